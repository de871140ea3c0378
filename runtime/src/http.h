/* http.h: one HTTP exchange with retries, limits and per-request credentials. */
#ifndef TQ_HTTP_H
#define TQ_HTTP_H

#include "client.h"

#include <stddef.h>

/* Every request the runtime sends, so the retry rule is decided per kind, not per
 * HTTP method (Qdrant reads are POSTs). */
typedef enum tq_request_kind {
    TQ_REQ_COLLECTION_CREATE = 0, /* not retried: a lost answer would turn into 409 */
    TQ_REQ_COLLECTION_DELETE,
    TQ_REQ_COLLECTION_EXISTS,
    TQ_REQ_INDEX_CREATE,
    TQ_REQ_POINTS_UPSERT, /* explicit, derived ids: replaying writes the same points */
    TQ_REQ_POINTS_DELETE,
    TQ_REQ_POINTS_QUERY,
    TQ_REQ_POINTS_SCROLL,
    TQ_REQ_POINTS_COUNT,
    TQ_REQ_SERVER_INFO, /* GET /, no credential */
    TQ_REQ_COLLECTION_INFO,   /* GET /collections/C: the config and metadata */
    TQ_REQ_COLLECTION_UPDATE, /* PATCH /collections/C: metadata merge, idempotent */
    TQ_REQ_KIND_LAST
} tq_request_kind_t;

/* 1 when replaying a request of `kind` cannot change the outcome, else 0. */
int tq_request_idempotent(tq_request_kind_t kind);

/* The retry rule: 1 when attempt number `attempt` (0 = the first) ended with
 * `status` (TQ_ECONNECT for a connection failure, else the transport's status) and
 * `http_status` (0 when there was no answer) should be retried; only idempotent kinds
 * are, only on connection failures, 429 and 503, and at most `max_retries` times. */
int tq_retry_should(tq_request_kind_t kind, tq_status_t status, long http_status,
                    int attempt, int max_retries);

/* Backoff before retry `attempt` (0 = before the second try): base * 2^attempt capped at
 * max, then "equal jitter" from `random` (half fixed, half random). */
long tq_retry_delay_ms(long base_ms, long max_ms, int attempt, uint64_t random);

/* Maps a final HTTP status to a tq status (2xx -> TQ_OK). */
tq_status_t tq_http_status_map(long http_status);

typedef enum tq_credential {
    TQ_CRED_NONE = 0,
    TQ_CRED_API_KEY, /* header api-key */
    TQ_CRED_BEARER   /* header Authorization: Bearer */
} tq_credential_t;

typedef struct tq_request {
    tq_request_kind_t kind;
    const char *method; /* GET, PUT, POST, DELETE */
    const tq_endpoint_t *endpoint;
    const char *path;   /* begins with '/', already escaped */
    const char *body;   /* JSON or NULL */
    tq_credential_t credential;
    const char *secret; /* the key or token for `credential` */
    size_t tenant_slot; /* for statistics */
    tq_op_t op;
} tq_request_t;

typedef struct tq_response {
    long http_status;
    char *body; /* tq_malloc'd, NUL-terminated; free with tq_response_free */
    size_t len;
} tq_response_t;

void tq_response_free(tq_response_t *response);

/* Sends `request`, retrying as tq_retry_should says. TQ_OK only for a 2xx answer, with
 * the body in `out`; otherwise the mapped status, with the server's message (from the
 * Qdrant error envelope, or its plain text) in `detail`. */
tq_status_t tq_http_perform(tq_client_t *client, const tq_request_t *request,
                            tq_response_t *out, tq_detail_t *detail);

/* Extracts the server's reason from an error body into `out` (cap bytes). */
void tq_http_error_message(const char *body, size_t len, char *out, size_t cap);

#endif
