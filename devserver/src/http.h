/* http.h: libmicrohttpd glue around ds_handle(). */
#ifndef DS_HTTP_H
#define DS_HTTP_H

#include "server.h"

typedef struct ds_http ds_http_t;

/* Starts listening on host:port (port 0 picks one), served by `workers` threads (at
 * least 1), each multiplexing its share of the connections. Returns NULL with a message
 * in err. */
ds_http_t *ds_http_start(ds_server_t *server, const char *host, unsigned port, unsigned workers,
                         char *err, size_t errlen);
/* The port actually bound. */
unsigned ds_http_port(const ds_http_t *http);
/* Stops the daemon, waiting for in-flight requests. */
void ds_http_stop(ds_http_t *http);

#endif
