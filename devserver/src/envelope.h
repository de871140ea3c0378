/* envelope.h: Qdrant response shapes (success envelope, JSON errors, plain text). */
#ifndef DS_ENVELOPE_H
#define DS_ENVELOPE_H

#include <cjson/cJSON.h>

#include "server.h"

/* {"result": result, "status": "ok", "time": t}; takes ownership of result. */
void ds_resp_ok(ds_response_t *resp, cJSON *result, double t);
/* {"status": {"error": msg}, "time": t} with the given HTTP status. */
void ds_resp_error(ds_response_t *resp, int status, double t, const char *msg);
/* A JSON document without envelope; takes ownership. */
void ds_resp_json(ds_response_t *resp, int status, cJSON *doc);
void ds_resp_text(ds_response_t *resp, int status, const char *text);
/* Seconds elapsed since `start` (a CLOCK_MONOTONIC reading from ds_now). */
double ds_now(void);

#endif
