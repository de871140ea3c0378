/* spawn.c: finds, starts and stops tenantq-devserver children on free ports.
 *
 * The executable is $TENANTQ_DEVSERVER, else tenantq-devserver beside this executable
 * (an install), else ../devserver/tenantq-devserver (the build tree), else the first on
 * $PATH. Ports come from
 * the child itself (--port 0, first stdout line), so runs never race for a port. It
 * must never leave a child running after a failed start, and never put the API key
 * on a command line (the child gets it as QDRANT__SERVICE__API_KEY). */
#include "spawn.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define LISTEN_PREFIX "listening on "
/* The first line is short; anything longer is not a devserver. */
#define FIRST_LINE_MAX 256

int spawn_find_program(const char *env_name, const char *const *candidates, size_t count,
                       char *out, size_t cap)
{
    const char *env = getenv(env_name);
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return access(out, X_OK) == 0 ? 0 : -1;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    for (size_t i = 0; i < count; i++) {
        int w = snprintf(out, cap, "%s%s", self, candidates[i]);
        if (w > 0 && (size_t)w < cap && access(out, X_OK) == 0)
            return 0;
    }
    return -1;
}

/* Writes the first executable `name` in a directory of $PATH into `out`; returns 0, or
 * -1 when there is none. */
static int find_on_path(const char *name, char *out, size_t cap)
{
    const char *path = getenv("PATH");
    while (path && *path) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        int w = snprintf(out, cap, "%.*s/%s", (int)len, path, name);
        if (len > 0 && w > 0 && (size_t)w < cap && access(out, X_OK) == 0)
            return 0;
        path = end ? end + 1 : NULL;
    }
    return -1;
}

/* Writes the devserver path into `out`; returns 0, or -1 when none is found. After the
 * places tenantq-probe's own build and install use, $PATH: a probe built from a user's
 * schema (<target>_probe) lives in the user's build tree. */
static int find_devserver(char *out, size_t cap)
{
    static const char *const candidates[] = {"/tenantq-devserver",
                                             "/../devserver/tenantq-devserver"};
    if (spawn_find_program("TENANTQ_DEVSERVER", candidates,
                           sizeof candidates / sizeof candidates[0], out, cap) == 0)
        return 0;
    if (getenv("TENANTQ_DEVSERVER") && *getenv("TENANTQ_DEVSERVER"))
        return -1;
    return find_on_path("tenantq-devserver", out, cap);
}

static int read_line(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    while (len + 1 < cap) {
        ssize_t n = read(fd, buf + len, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || buf[len] == '\n')
            break;
        len++;
    }
    buf[len] = '\0';
    if (len > 0 && buf[len - 1] == '\r')
        buf[--len] = '\0';
    return len > 0 ? 0 : -1;
}

int spawn_devserver(probe_server_t *server, const char *api_key, int jwt, int die_with_parent)
{
    char path[PATH_MAX];
    memset(server, 0, sizeof *server);
    server->out_fd = -1;
    if (find_devserver(path, sizeof path) != 0) {
        fprintf(stderr, "tenantq-probe: error: tenantq-devserver not found (set "
                        "TENANTQ_DEVSERVER, or pass --url)\n");
        return -1;
    }
    const char *argv[8];
    size_t argc = 0;
    argv[argc++] = path;
    argv[argc++] = "--port";
    argv[argc++] = "0";
    argv[argc++] = "--cluster-mode"; /* shard keys, for --placement tiered */
    if (jwt)
        argv[argc++] = "--jwt-rbac";
    argv[argc] = NULL;

    int fds[2];
    if (pipe(fds) != 0) {
        perror("tenantq-probe: error: pipe");
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        perror("tenantq-probe: error: fork");
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        if (die_with_parent) {
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() != parent)
                _exit(1);
        }
        /* The key goes through the environment, not argv, so `ps` never shows it. The
         * probe is single-threaded here, so setenv after fork is safe. */
        if (api_key ? setenv("QDRANT__SERVICE__API_KEY", api_key, 1)
                    : unsetenv("QDRANT__SERVICE__API_KEY"))
            _exit(127);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(path, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    char line[FIRST_LINE_MAX];
    size_t plen = sizeof LISTEN_PREFIX - 1;
    if (read_line(fds[0], line, sizeof line) != 0 || strncmp(line, LISTEN_PREFIX, plen) != 0 ||
        strlen(line + plen) >= sizeof server->url) {
        fprintf(stderr, "tenantq-probe: error: %s did not report its address (first line '%s')\n",
                path, line);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(fds[0]);
        return -1;
    }
    snprintf(server->url, sizeof server->url, "%s", line + plen);
    server->pid = pid;
    server->out_fd = fds[0];
    return 0;
}

int spawn_stop(probe_server_t *server)
{
    int status = 0;
    if (server->pid <= 0)
        return 0;
    kill(server->pid, SIGTERM);
    while (waitpid(server->pid, &status, 0) < 0 && errno == EINTR) {
    }
    server->pid = 0;
    if (server->out_fd >= 0)
        close(server->out_fd);
    server->out_fd = -1;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
