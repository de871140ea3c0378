/* rel_slow_server.c: a slow-loris HTTP server for the timeout and size-limit tests.
 *
 * It answers 200 and then streams a body that never ends, a little at a time, so a
 * client without a response size limit or a total timeout would wait forever. It
 * counts the body bytes it managed to write before the client hung up, so a test can
 * tell that the client stopped at its limit rather than merely at its timeout. One
 * thread serves connections one after another; every wait is bounded by TICK_MS so
 * rel_slow_stop never hangs. It must never write more than SEND_CAP bytes per
 * connection. */
#include "rel_slow_server.h"

#include "rel_sys.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TICK_MS 20
#define HEAD_MAX 8192
#define CHUNK_MAX 65536
#define SEND_CAP ((size_t)1 << 30)

struct rel_slow_server {
    rel_slow_mode_t mode;
    size_t chunk_bytes;
    int interval_ms;
    int listen_fd;
    int port;
    pthread_t thread;
    atomic_int stop;
    atomic_uint closed;
    atomic_size_t body_sent;
};

/* Reads until the end of the request head; 0, or -1 when the client went away or
 * the server is stopping. The request body, if any, is left unread. */
static int read_head(rel_slow_server_t *s, int fd)
{
    char head[HEAD_MAX + 1];
    size_t len = 0;
    while (!atomic_load(&s->stop) && len < HEAD_MAX) {
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, TICK_MS) <= 0)
            continue;
        ssize_t n = recv(fd, head + len, HEAD_MAX - len, 0);
        if (n <= 0)
            return -1;
        len += (size_t)n;
        head[len] = '\0';
        if (strstr(head, "\r\n\r\n"))
            return 0;
    }
    return -1;
}

/* 1 once the peer has closed its side (a read gives end of file or an error). */
static int peer_closed(int fd)
{
    char byte[512];
    for (;;) {
        ssize_t n = recv(fd, byte, sizeof byte, MSG_DONTWAIT);
        if (n == 0)
            return 1;
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : 1;
    }
}

/* Serves one connection until the client closes it or the server stops. */
static void serve(rel_slow_server_t *s, int fd, char *chunk)
{
    atomic_store(&s->body_sent, 0);
    if (read_head(s, fd) != 0)
        return;
    const char *head =
        s->mode == REL_SLOW_CHUNKED
            ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              "Transfer-Encoding: chunked\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              "Content-Length: 1099511627776\r\n\r\n";
    if (rel_send_all(fd, head, strlen(head)) != 0)
        return;
    int framed = s->mode == REL_SLOW_CHUNKED;
    char frame[32];
    size_t frame_len = (size_t)snprintf(frame, sizeof frame, "%zx\r\n", s->chunk_bytes);
    size_t sent = 0;
    while (!atomic_load(&s->stop) && sent < SEND_CAP) {
        if ((framed && rel_send_all(fd, frame, frame_len) != 0) ||
            rel_send_all(fd, chunk, s->chunk_bytes) != 0 ||
            (framed && rel_send_all(fd, "\r\n", 2) != 0))
            break;
        sent += s->chunk_bytes;
        atomic_store(&s->body_sent, sent);
        int waited = 0;
        while (waited < s->interval_ms && !peer_closed(fd)) {
            int step = s->interval_ms - waited < TICK_MS ? s->interval_ms - waited : TICK_MS;
            rel_sleep_ms(step);
            waited += step;
        }
        if (peer_closed(fd))
            break;
    }
    if (!atomic_load(&s->stop))
        atomic_fetch_add(&s->closed, 1);
}

static void *server_main(void *arg)
{
    rel_slow_server_t *s = arg;
    char *chunk = malloc(s->chunk_bytes);
    if (!chunk)
        return NULL;
    memset(chunk, ' ', s->chunk_bytes);
    memcpy(chunk, "{\"result\":", s->chunk_bytes < 10 ? s->chunk_bytes : 10);
    while (!atomic_load(&s->stop)) {
        struct pollfd pfd = {s->listen_fd, POLLIN, 0};
        if (poll(&pfd, 1, TICK_MS) <= 0)
            continue;
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        serve(s, fd, chunk);
        close(fd);
    }
    free(chunk);
    return NULL;
}

rel_slow_server_t *rel_slow_start(rel_slow_mode_t mode, size_t chunk_bytes, int interval_ms)
{
    if (chunk_bytes == 0 || chunk_bytes > CHUNK_MAX || interval_ms < 0)
        return NULL;
    rel_slow_server_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->mode = mode;
    s->chunk_bytes = chunk_bytes;
    s->interval_ms = interval_ms;
    s->listen_fd = rel_listen_loopback(16, &s->port);
    if (s->listen_fd >= 0 && pthread_create(&s->thread, NULL, server_main, s) == 0)
        return s;
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    free(s);
    return NULL;
}

int rel_slow_port(const rel_slow_server_t *server)
{
    return server->port;
}

unsigned rel_slow_closed(const rel_slow_server_t *server)
{
    return atomic_load(&((rel_slow_server_t *)server)->closed);
}

size_t rel_slow_body_sent(const rel_slow_server_t *server)
{
    return atomic_load(&((rel_slow_server_t *)server)->body_sent);
}

void rel_slow_stop(rel_slow_server_t *server)
{
    if (!server)
        return;
    atomic_store(&server->stop, 1);
    pthread_join(server->thread, NULL);
    close(server->listen_fd);
    free(server);
}
