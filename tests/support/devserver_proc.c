/* devserver_proc.c: starts and stops a tenantq-devserver child for live tests.
 *
 * The child binds port 0 and prints "listening on http://HOST:PORT" as its first
 * line; we read that line through a pipe, so tests never race for a fixed port. It
 * must never leave a child behind: a start that fails kills what it spawned, and the
 * child is sent SIGTERM if the test process dies first. */
#include "devserver_proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 64
static const char LISTEN_PREFIX[] = "listening on ";

const char *tq_test_devserver_path(void) { return TQ_TEST_DEVSERVER_PATH; }

static int read_first_line(int fd, char *buf, size_t cap) {
    size_t len = 0;
    while (len + 1 < cap) {
        ssize_t n = read(fd, buf + len, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (buf[len] == '\n') break;
        len++;
    }
    buf[len] = '\0';
    return len > 0 ? 0 : -1;
}

int tq_test_server_start(tq_test_server_t *server, const char *const *args) {
    const char *argv[MAX_ARGS + 4];
    size_t argc = 0;
    argv[argc++] = TQ_TEST_DEVSERVER_PATH;
    argv[argc++] = "--port";
    argv[argc++] = "0";
    for (size_t i = 0; args && args[i]; i++) {
        if (argc >= MAX_ARGS + 3) {
            fprintf(stderr, "devserver_proc: too many arguments\n");
            return -1;
        }
        argv[argc++] = args[i];
    }
    argv[argc] = NULL;

    int fds[2];
    if (pipe(fds) != 0) {
        perror("devserver_proc: pipe");
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("devserver_proc: fork");
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        /* A test killed hard must not leave its server behind. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], (char *const *)argv);
        perror("devserver_proc: exec");
        _exit(127);
    }
    close(fds[1]);
    char line[256];
    int rc = read_first_line(fds[0], line, sizeof line);
    close(fds[0]);
    size_t plen = sizeof LISTEN_PREFIX - 1;
    if (rc != 0 || strncmp(line, LISTEN_PREFIX, plen) != 0 ||
        strlen(line + plen) >= sizeof server->url) {
        fprintf(stderr, "devserver_proc: unexpected first line from %s: '%s'\n", argv[0], line);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    strcpy(server->url, line + plen);
    server->pid = pid;
    return 0;
}

int tq_test_server_start_or_external(tq_test_server_t *server, const char *const *args) {
    const char *url = getenv("TENANTQ_QDRANT_URL");
    if (url && *url) {
        if (strlen(url) >= sizeof server->url) {
            fprintf(stderr, "devserver_proc: TENANTQ_QDRANT_URL too long\n");
            return -1;
        }
        strcpy(server->url, url);
        server->pid = 0;
        return 0;
    }
    return tq_test_server_start(server, args);
}

int tq_test_server_stop(tq_test_server_t *server) {
    if (server->pid == 0) return 0;
    int status = 0;
    kill(server->pid, SIGTERM);
    while (waitpid(server->pid, &status, 0) < 0 && errno == EINTR) {
    }
    server->pid = 0;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
