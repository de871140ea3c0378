/* rel_proxy.h: a TCP proxy that holds each request for a random delay, standing in
 * for a network and server that answer late. Implementation in rel_proxy.c. */
#ifndef TQ_REL_PROXY_H
#define TQ_REL_PROXY_H

#include <stdint.h>

typedef struct rel_proxy rel_proxy_t;

/* Listens on 127.0.0.1 (a free port) and forwards every connection to 127.0.0.1:
 * `upstream_port`. The first bytes of each request are held for a delay drawn
 * uniformly from [0, max_delay_ms] (seeded by `seed`), except every `late_every`-th
 * request (0: none), which is held `late_ms`. Returns NULL when it cannot listen. */
rel_proxy_t *rel_proxy_start(int upstream_port, int max_delay_ms, unsigned late_every,
                             int late_ms, uint64_t seed);

/* The port the proxy listens on. */
int rel_proxy_port(const rel_proxy_t *proxy);

/* Requests held so far, and how many of them for late_ms. */
uint64_t rel_proxy_requests(const rel_proxy_t *proxy);
uint64_t rel_proxy_late(const rel_proxy_t *proxy);

/* Closes every connection, joins every thread and frees the proxy; NULL is fine. */
void rel_proxy_stop(rel_proxy_t *proxy);

#endif
