/* spawn.h: the probe's own tenantq-devserver children, when no --url is given. */
#ifndef TQ_PROBE_SPAWN_H
#define TQ_PROBE_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

typedef struct probe_server {
    pid_t pid;
    int out_fd;    /* the child's stdout, held open so it never meets a closed pipe */
    char url[128]; /* http://HOST:PORT */
} probe_server_t;

/* Starts `tenantq-devserver --port 0` (with QDRANT__SERVICE__API_KEY=KEY in its
 * environment when `api_key` is not NULL, and --jwt-rbac when `jwt` is set) and waits for its "listening on URL" line.
 * `die_with_parent` makes the child exit when the probe does. Returns 0, or -1 after
 * printing why (nothing is left running). */
int spawn_devserver(probe_server_t *server, const char *api_key, int jwt, int die_with_parent);

/* Finds a program: $ENV_NAME when set, else the first of `candidates` (suffixes such as
 * "/../probe/tenantq-probe") beside this executable that can be run. Writes its path to
 * `out`; returns 0, or -1 when none is found. */
int spawn_find_program(const char *env_name, const char *const *candidates, size_t count,
                       char *out, size_t cap);

/* SIGTERM, then waits. Returns the child's exit status (0 on a clean exit). */
int spawn_stop(probe_server_t *server);

#endif
