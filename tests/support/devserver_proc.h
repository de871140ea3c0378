/* devserver_proc.h: run a tenantq-devserver child process for a test.
 * One-sentence contracts; the implementation is in devserver_proc.c. */
#ifndef TQ_TEST_DEVSERVER_PROC_H
#define TQ_TEST_DEVSERVER_PROC_H

#include <sys/types.h>

typedef struct tq_test_server {
    pid_t pid;       /* 0 when the server is external (TENANTQ_QDRANT_URL) */
    char url[128];   /* http://127.0.0.1:PORT, no trailing slash */
} tq_test_server_t;

/* Starts tenantq-devserver --port 0 with `args` (NULL-terminated, may be NULL) and
 * waits for its "listening on URL" line; returns 0 on success, -1 with a message on
 * stderr otherwise. */
int tq_test_server_start(tq_test_server_t *server, const char *const *args);

/* As tq_test_server_start, but when TENANTQ_QDRANT_URL is set uses that server and
 * starts nothing (for suites that must also pass against a real Qdrant). */
int tq_test_server_start_or_external(tq_test_server_t *server, const char *const *args);

/* Sends SIGTERM, waits for the child and returns its exit status (0 on a clean
 * shutdown), or 0 at once for an external server. */
int tq_test_server_stop(tq_test_server_t *server);

/* The devserver executable this build made. */
const char *tq_test_devserver_path(void);

#endif
