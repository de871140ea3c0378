/* reqlog.h: the --request-log JSON-lines writer. */
#ifndef DS_REQLOG_H
#define DS_REQLOG_H

#include "auth.h"
#include "server.h"

typedef struct ds_reqlog ds_reqlog_t;

/* Opens (appends to) `path`. NULL on failure. */
ds_reqlog_t *ds_reqlog_open(const char *path);
void ds_reqlog_close(ds_reqlog_t *log);
/* Writes one line and flushes it; thread-safe. `fault` is NULL, "503" or "drop". */
void ds_reqlog_write(ds_reqlog_t *log, const ds_request_t *req, const ds_access_t *access,
                     int status, const char *fault);

#endif
