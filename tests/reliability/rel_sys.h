/* rel_sys.h: the POSIX pieces the reliability suite's servers and tests share: the
 * clock, sleeping, a small random generator and loopback sockets. Implementation in
 * rel_sys.c. */
#ifndef TQ_REL_SYS_H
#define TQ_REL_SYS_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds from a monotonic clock. */
int64_t rel_now_ms(void);

/* Sleeps `ms` milliseconds (resumed after signals). */
void rel_sleep_ms(int64_t ms);

/* Advances the xorshift64 generator at *state (never 0) and returns its next value. */
uint64_t rel_xorshift(uint64_t *state);

/* A listening socket on 127.0.0.1 at a free port, written to *port; -1 on failure. */
int rel_listen_loopback(int backlog, int *port);

/* A socket connected to 127.0.0.1:`port`, or -1. */
int rel_connect_loopback(int port);

/* Writes all `len` bytes without raising SIGPIPE; 0, or -1 when the peer is gone. */
int rel_send_all(int fd, const char *buf, size_t len);

/* A TCP port on 127.0.0.1 that was free a moment ago, outside the kernel's ephemeral
 * range, or -1. */
int rel_free_port(void);

#endif
