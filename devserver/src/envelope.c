/* envelope.c: builds response bodies in Qdrant's shapes.
 *
 * Success bodies are {"result","status":"ok","time"}; errors are {"status":{"error"},
 * "time"} with no `result`. A failed allocation degrades to a fixed 500 body rather
 * than a NULL body; nothing here decides status codes.
 */
#include "envelope.h"

#include "jsonout.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char oom_body[] =
    "{\"status\":{\"error\":\"Service internal error: out of memory\"},\"time\":0}";

double ds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_body(ds_response_t *resp, int status, cJSON *doc)
{
    size_t len = 0;
    char *text = doc ? ds_json_print(doc, &len) : NULL;
    cJSON_Delete(doc);
    free(resp->body);
    resp->content_type = "application/json";
    if (!text) {
        resp->status = 500;
        resp->body = strdup(oom_body);
        resp->body_len = resp->body ? strlen(resp->body) : 0;
        return;
    }
    resp->status = status;
    resp->body = text;
    resp->body_len = len;
}

void ds_resp_ok(ds_response_t *resp, cJSON *result, double t)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc || !result) {
        cJSON_Delete(doc);
        cJSON_Delete(result);
        set_body(resp, 500, NULL);
        return;
    }
    cJSON_AddItemToObject(doc, "result", result);
    cJSON_AddStringToObject(doc, "status", "ok");
    cJSON_AddNumberToObject(doc, "time", t);
    set_body(resp, 200, doc);
}

void ds_resp_error(ds_response_t *resp, int status, double t, const char *msg)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *st = cJSON_AddObjectToObject(doc, "status");
    if (!st || !cJSON_AddStringToObject(st, "error", msg) ||
        !cJSON_AddNumberToObject(doc, "time", t)) {
        cJSON_Delete(doc);
        doc = NULL;
    }
    set_body(resp, status, doc);
}

void ds_resp_json(ds_response_t *resp, int status, cJSON *doc)
{
    set_body(resp, status, doc);
}

void ds_resp_text(ds_response_t *resp, int status, const char *text)
{
    free(resp->body);
    resp->status = status;
    resp->content_type = "text/plain; charset=utf-8";
    resp->body = strdup(text);
    resp->body_len = resp->body ? strlen(text) : 0;
}

void ds_response_clear(ds_response_t *response)
{
    free(response->body);
    memset(response, 0, sizeof *response);
}
