/* rel_stub_server.h: a deliberately bad HTTP server that answers every request with
 * a body it drips out slowly and never finishes. Implementation in rel_stub_server.c. */
#ifndef TQ_REL_STUB_SERVER_H
#define TQ_REL_STUB_SERVER_H

#include <stddef.h>

typedef enum rel_stub_mode {
    REL_STUB_CHUNKED = 0,    /* 200, Transfer-Encoding: chunked, chunks forever */
    REL_STUB_HUGE_LENGTH = 1 /* 200, Content-Length of 1 TiB, then the same drip */
} rel_stub_mode_t;

typedef struct rel_stub_server rel_stub_server_t;

/* Listens on 127.0.0.1 (a free port); for each connection, in turn, reads the request
 * head and then writes `chunk_bytes` of body every `interval_ms` until the client
 * closes. NULL when it cannot listen. */
rel_stub_server_t *rel_stub_start(rel_stub_mode_t mode, size_t chunk_bytes, int interval_ms);

int rel_stub_port(const rel_stub_server_t *stub);

/* Connections whose close by the client was seen, and the body bytes written to the
 * most recent of them before that. */
unsigned rel_stub_closed(const rel_stub_server_t *stub);
size_t rel_stub_body_sent(const rel_stub_server_t *stub);

/* Stops the thread and frees the server; NULL is fine. */
void rel_stub_stop(rel_stub_server_t *stub);

#endif
