/* rel_slow_server.h: a deliberately bad HTTP server that answers every request with
 * a body it drips out slowly and never finishes. Implementation in rel_slow_server.c. */
#ifndef TQ_REL_SLOW_SERVER_H
#define TQ_REL_SLOW_SERVER_H

#include <stddef.h>

typedef enum rel_slow_mode {
    REL_SLOW_CHUNKED = 0,    /* 200, Transfer-Encoding: chunked, chunks forever */
    REL_SLOW_HUGE_LENGTH = 1 /* 200, Content-Length of 1 TiB, then the same drip */
} rel_slow_mode_t;

typedef struct rel_slow_server rel_slow_server_t;

/* Listens on 127.0.0.1 (a free port); for each connection, in turn, reads the request
 * head and then writes `chunk_bytes` of body every `interval_ms` until the client
 * closes. NULL when it cannot listen. */
rel_slow_server_t *rel_slow_start(rel_slow_mode_t mode, size_t chunk_bytes, int interval_ms);

int rel_slow_port(const rel_slow_server_t *server);

/* Connections whose close by the client was seen, and the body bytes written to the
 * most recent of them before that. */
unsigned rel_slow_closed(const rel_slow_server_t *server);
size_t rel_slow_body_sent(const rel_slow_server_t *server);

/* Stops the thread and frees the server; NULL is fine. */
void rel_slow_stop(rel_slow_server_t *server);

#endif
