/* dt_http.h: one blocking HTTP request through libcurl, for the devserver tests. */
#ifndef DT_HTTP_H
#define DT_HTTP_H

#include <stddef.h>

/* Largest response body kept; a longer one fails the request (curl_rc != 0). */
#define DT_HTTP_MAX_BODY (64u * 1024u * 1024u)

typedef struct dt_response {
    long status;            /* HTTP status, 0 when no response arrived */
    int curl_rc;            /* CURLcode of the transfer, 0 on success */
    char *body;             /* NUL-terminated, owned; free with dt_response_free */
    size_t len;             /* bytes in body, excluding the NUL */
    char content_type[128]; /* Content-Type header value, "" when absent */
} dt_response_t;

/* Sends METHOD URL with the NULL-terminated raw header lines `headers` (may be NULL)
 * and `body` of `body_len` bytes (body NULL: none; a body adds
 * Content-Type: application/json unless a header sets it). Always fills *out; returns
 * 0 when a response arrived, -1 otherwise (out->curl_rc says why). */
int dt_http(const char *method, const char *url, const char *const *headers,
            const char *body, size_t body_len, dt_response_t *out);

/* Frees out->body and resets *out. Safe on a zeroed or already freed response. */
void dt_response_free(dt_response_t *out);

#endif
