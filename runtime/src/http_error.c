/* http_error.c: what a failed HTTP answer means: the tq status for an HTTP status, and
 * the server's reason taken from Qdrant's error envelope or its plain-text body.
 *
 * The reason goes into a detail message, so it is sanitised to printable ASCII and
 * truncated; nothing here may echo request headers or credentials. */
#include "http.h"

#include "text.h"

#include <cjson/cJSON.h>
#include <string.h>

#define ERROR_BODY_PARSE_MAX 65536

tq_status_t tq_http_status_map(long s)
{
    if (s >= 200 && s < 300)
        return TQ_OK;
    switch (s) {
    case 401:
    case 403:
        return TQ_EAUTH;
    case 404:
        return TQ_ENOTFOUND;
    case 409:
        return TQ_ECONFLICT;
    case 429:
    case 503:
        return TQ_EBUSY;
    default:
        return TQ_EHTTP;
    }
}

void tq_http_error_message(const char *body, size_t len, char *out, size_t cap)
{
    cJSON *root = (len > 0 && len < ERROR_BODY_PARSE_MAX) ? cJSON_ParseWithLength(body, len) : NULL;
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(root, "status");
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(status, "error");
    if (cJSON_IsString(err))
        tq_text_sanitize(out, cap, err->valuestring, strlen(err->valuestring));
    else
        tq_text_sanitize(out, cap, body, len);
    cJSON_Delete(root);
}

