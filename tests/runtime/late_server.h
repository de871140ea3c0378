/* late_server.h: an HTTP/1.1 server on raw sockets, for answers libmicrohttpd will not
 * send. In its modes it misbehaves the way a confused proxy or a buggy server can: on
 * a kept-alive connection it sends an answer nobody asked for, either shortly after
 * the first answer or just before the answer to the next request; it answers POST
 * .../points/count with a count taken from the collection name, so a test can tell
 * whose answer a call received. With a script it answers each request with the next
 * step's bytes, exactly as given. As a tunnel it is an HTTP proxy that serves CONNECT
 * to 127.0.0.1 only. Implementation in late_server.c. */
#ifndef TQ_LATE_SERVER_H
#define TQ_LATE_SERVER_H

#include <stddef.h>

/* The count the unsolicited answer carries. */
#define LATE_FOREIGN_COUNT 666

typedef enum late_mode {
    LATE_AFTER_FIRST = 0, /* the extra answer follows the first one after `delay_ms` */
    LATE_BEFORE_SECOND = 1 /* the extra answer precedes the answer to the second request */
} late_mode_t;

typedef struct late_server late_server_t;

/* Listens on 127.0.0.1 (a free port). A request whose path holds "--acme" is answered
 * with count 1, "--globex" with count 2, anything else with 0; every connection gets
 * one extra answer with LATE_FOREIGN_COUNT as `mode` says. NULL when it cannot listen. */
late_server_t *late_start(late_mode_t mode, int delay_ms);

/* One answer of a script. */
typedef struct late_step {
    const char *reply; /* the answer's bytes as sent; NULL: close without an answer */
    int close_after;   /* close the connection after the answer */
    int early;         /* answer as soon as the head is read, never read the body, then
                          close after 5 s or when the server stops */
    const char *interim; /* sent as soon as the head is read, 100 ms before the body is
                            read (NULL: nothing) */
} late_step_t;

/* Listens as late_start does; request i (counted over every connection) is answered
 * by step i, and every request after the last by the last step. `steps` must outlive
 * the server. NULL when it cannot listen. */
late_server_t *late_start_script(const late_step_t *steps, size_t count);

/* An HTTP proxy serving CONNECT 127.0.0.1:PORT (each connection one tunnel); its URL
 * is late_url's. NULL when it cannot listen. */
late_server_t *late_start_tunnel(void);

/* The target of the last CONNECT the tunnel read ("" before any), into out[cap]. */
void late_connect_target(late_server_t *server, char *out, size_t cap);

/* Requests read so far by a script server. */
unsigned late_requests(late_server_t *server);

/* "http://127.0.0.1:PORT" */
const char *late_url(const late_server_t *server);

/* Connections accepted so far. */
unsigned late_connections(late_server_t *server);

/* Stops the server and frees it; NULL is fine. */
void late_stop(late_server_t *server);

#endif
