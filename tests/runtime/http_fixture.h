/* http_fixture.h: a scripted in-process HTTP server (libmicrohttpd) for the transport
 * behaviours the devserver cannot be told to show on demand: a given status sequence,
 * dropped connections, oversized bodies. It records every request it receives. */
#ifndef TQ_HTTP_FIXTURE_H
#define TQ_HTTP_FIXTURE_H

#include <stddef.h>

#define FIXTURE_MAX_STEPS 32
#define FIXTURE_MAX_REQUESTS 256

typedef struct fixture_step {
    int status;       /* HTTP status; 0 drops the connection without an answer */
    const char *body; /* answer body (static storage) */
    int delay_ms;     /* wait this long before answering */
} fixture_step_t;

typedef struct fixture_request {
    char method[8];
    char url[256];
    char api_key[128];
    char authorization[1024];
    char *body; /* malloc'd */
} fixture_request_t;

typedef struct fixture fixture_t;

/* Starts on 127.0.0.1 with a free port; NULL on failure. */
fixture_t *fixture_start(void);
/* As fixture_start, serving https with the PEM certificate and key given (copied). */
fixture_t *fixture_start_tls(const char *cert_pem, const char *key_pem);

/* Makes a self-signed certificate for IP 127.0.0.1 and its key, as malloc'd PEM text;
 * 0 on success. */
int fixture_make_cert(char **cert_pem, char **key_pem);
void fixture_stop(fixture_t *f);
/* "http://127.0.0.1:PORT" (https:// for a TLS fixture) */
const char *fixture_url(const fixture_t *f);
/* Replaces the script; requests beyond it get `fallback` (status 200 when NULL body
 * {"result":{"operation_id":0,"status":"completed"},"status":"ok","time":0}). Clears the request log. */
void fixture_script(fixture_t *f, const fixture_step_t *steps, size_t count,
                    const fixture_step_t *fallback);
size_t fixture_request_count(fixture_t *f);
/* Copy of request i (body not copied; valid until the next fixture_script). */
fixture_request_t fixture_request(fixture_t *f, size_t i);
/* TCP connections accepted since the start. */
size_t fixture_connections(fixture_t *f);

#endif
