/* late_server.c: the raw-socket servers of late_server.h: misbehaving, scripted, and a
 * CONNECT tunnel. One thread accepts and one thread serves each connection; it
 * understands just enough HTTP/1.1 (a head, a Content-Length body) for the runtime's
 * requests. Test code only. */
#include "late_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LATE_MAX_CONNECTIONS 64

struct late_server {
    int listen_fd;
    late_mode_t mode;
    int delay_ms;
    char url[64];
    pthread_t acceptor;
    pthread_mutex_t lock;
    int fds[LATE_MAX_CONNECTIONS];
    pthread_t threads[LATE_MAX_CONNECTIONS];
    unsigned count;
    atomic_int stopping;
    const late_step_t *steps; /* a script instead of `mode`; NULL: mode */
    size_t step_count;
    atomic_uint requests;
    int tunnel;              /* a CONNECT proxy instead */
    char connect_target[64]; /* the last CONNECT request's target */
};

typedef struct conn {
    late_server_t *server;
    int fd;
} conn_t;

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Reads one request's head into buf (with whatever of the body came with it); returns
 * the bytes read, 0 at EOF or error. *body_left is what remains of the body. */
static size_t read_head(int fd, char *buf, size_t cap, size_t *body_left)
{
    size_t len = 0;
    char *end = NULL;
    buf[0] = '\0';
    while (!(end = strstr(buf, "\r\n\r\n"))) {
        if (len + 1 >= cap)
            return 0;
        ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
        if (n <= 0)
            return 0;
        len += (size_t)n;
        buf[len] = '\0';
    }
    size_t head = (size_t)(end + 4 - buf);
    const char *cl = strstr(buf, "Content-Length:");
    size_t body = cl && cl < end ? (size_t)strtoul(cl + 15, NULL, 10) : 0;
    *body_left = head + body > len ? head + body - len : 0;
    return len;
}

/* Reads and drops `left` bytes; -1 when the connection ends first. */
static int drain(int fd, size_t left)
{
    char sink[65536];
    while (left > 0) {
        ssize_t n = recv(fd, sink, left < sizeof sink ? left : sizeof sink, 0);
        if (n <= 0)
            return -1;
        left -= (size_t)n;
    }
    return 0;
}

/* Reads one whole request into buf; returns its length, 0 at EOF or error. */
static size_t read_request(int fd, char *buf, size_t cap)
{
    size_t left = 0, len = read_head(fd, buf, cap, &left);
    return len && drain(fd, left) == 0 ? len : 0;
}

static int send_all(int fd, const char *bytes)
{
    size_t n = strlen(bytes);
    return send(fd, bytes, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

/* Serves a connection from the script: each request takes the next step. */
static void serve_script(conn_t *c)
{
    late_server_t *s = c->server;
    char buf[16384];
    for (;;) {
        size_t left = 0;
        if (read_head(c->fd, buf, sizeof buf, &left) == 0)
            return;
        unsigned i = atomic_fetch_add(&s->requests, 1);
        const late_step_t *step = &s->steps[i < s->step_count ? i : s->step_count - 1];
        if (step->early) {
            /* Answer at once and never read the body, as a server refusing it does;
             * the connection is closed when the server stops or after 5 s. */
            if (step->reply && send_all(c->fd, step->reply) == 0) {
                for (int waited = 0; waited < 5000 && !atomic_load(&s->stopping); waited += 10)
                    sleep_ms(10);
            }
            return;
        }
        /* The interim answer, then a pause before the body is read, so that a client
         * sending a large body fills the socket and sees the interim answer mid-send. */
        if (step->interim) {
            if (send_all(c->fd, step->interim) != 0)
                return;
            sleep_ms(100);
        }
        if (drain(c->fd, left) != 0 || !step->reply || send_all(c->fd, step->reply) != 0)
            return;
        if (step->close_after)
            return;
    }
}

static int send_count(int fd, int count)
{
    char body[128], msg[512];
    int blen = snprintf(body, sizeof body,
                        "{\"result\":{\"count\":%d},\"status\":\"ok\",\"time\":0.0001}", count);
    int mlen = snprintf(msg, sizeof msg,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        "Content-Length: %d\r\n\r\n%s",
                        blen, body);
    return send(fd, msg, (size_t)mlen, MSG_NOSIGNAL) == mlen ? 0 : -1;
}

/* Connects to "127.0.0.1:PORT"; -1 when it cannot. */
static int connect_local(const char *target)
{
    const char *colon = strrchr(target, ':');
    if (strncmp(target, "127.0.0.1:", 10) != 0 || !colon)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* A CONNECT proxy's connection: reads "CONNECT 127.0.0.1:PORT HTTP/1.1", connects
 * there, answers 200 and relays both ways until either side closes. */
static void serve_tunnel(conn_t *c)
{
    char buf[16384], target[64];
    size_t left = 0;
    if (read_head(c->fd, buf, sizeof buf, &left) == 0 ||
        sscanf(buf, "CONNECT %63s HTTP/1.1", target) != 1)
        return;
    pthread_mutex_lock(&c->server->lock);
    snprintf(c->server->connect_target, sizeof c->server->connect_target, "%s", target);
    pthread_mutex_unlock(&c->server->lock);
    int up = connect_local(target);
    if (up < 0) {
        send_all(c->fd, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        return;
    }
    if (send_all(c->fd, "HTTP/1.1 200 Connection established\r\n\r\n") == 0) {
        struct pollfd p[2] = {{.fd = c->fd, .events = POLLIN}, {.fd = up, .events = POLLIN}};
        while (!atomic_load(&c->server->stopping) && poll(p, 2, 100) >= 0) {
            int stop = 0;
            for (int i = 0; i < 2 && !stop; i++) {
                if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                    continue;
                ssize_t n = recv(p[i].fd, buf, sizeof buf, 0);
                stop = n <= 0 || send(p[1 - i].fd, buf, (size_t)n, MSG_NOSIGNAL) != n;
            }
            if (stop)
                break;
        }
    }
    close(up);
}

static void *serve(void *arg)
{
    conn_t *c = arg;
    char buf[16384];
    if (c->server->steps || c->server->tunnel) {
        if (c->server->tunnel)
            serve_tunnel(c);
        else
            serve_script(c);
        shutdown(c->fd, SHUT_RDWR);
        free(c);
        return NULL;
    }
    for (unsigned requests = 0;; requests++) {
        buf[0] = '\0';
        if (read_request(c->fd, buf, sizeof buf) == 0)
            break;
        int count = strstr(buf, "--acme/") ? 1 : strstr(buf, "--globex/") ? 2 : 0;
        if (requests == 1 && c->server->mode == LATE_BEFORE_SECOND &&
            send_count(c->fd, LATE_FOREIGN_COUNT) != 0)
            break;
        if (send_count(c->fd, count) != 0)
            break;
        if (requests == 0 && c->server->mode == LATE_AFTER_FIRST) {
            sleep_ms(c->server->delay_ms);
            if (send_count(c->fd, LATE_FOREIGN_COUNT) != 0)
                break;
        }
    }
    free(c);
    return NULL;
}

static void *accept_loop(void *arg)
{
    late_server_t *s = arg;
    while (!atomic_load(&s->stopping)) {
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0)
            break;
        conn_t *c = malloc(sizeof *c);
        pthread_mutex_lock(&s->lock);
        int room = s->count < LATE_MAX_CONNECTIONS && c;
        if (room) {
            c->server = s;
            c->fd = fd;
            s->fds[s->count] = fd;
            if (pthread_create(&s->threads[s->count], NULL, serve, c) == 0)
                s->count++;
            else
                room = 0;
        }
        pthread_mutex_unlock(&s->lock);
        if (!room) {
            free(c);
            close(fd);
        }
    }
    return NULL;
}

/* Listens and starts accepting; `s` is freed when it cannot. */
static late_server_t *start(late_server_t *s)
{
    pthread_mutex_init(&s->lock, NULL);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(s->listen_fd, 16) != 0 ||
        getsockname(s->listen_fd, (struct sockaddr *)&a, &alen) != 0 ||
        pthread_create(&s->acceptor, NULL, accept_loop, s) != 0) {
        if (s->listen_fd >= 0)
            close(s->listen_fd);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
    return s;
}

late_server_t *late_start(late_mode_t mode, int delay_ms)
{
    late_server_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->mode = mode;
    s->delay_ms = delay_ms;
    return start(s);
}

late_server_t *late_start_script(const late_step_t *steps, size_t count)
{
    late_server_t *s = count ? calloc(1, sizeof *s) : NULL;
    if (!s)
        return NULL;
    s->steps = steps;
    s->step_count = count;
    return start(s);
}

late_server_t *late_start_tunnel(void)
{
    late_server_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->tunnel = 1;
    return start(s);
}

void late_connect_target(late_server_t *s, char *out, size_t cap)
{
    pthread_mutex_lock(&s->lock);
    snprintf(out, cap, "%s", s->connect_target);
    pthread_mutex_unlock(&s->lock);
}

unsigned late_requests(late_server_t *s)
{
    return atomic_load(&s->requests);
}

const char *late_url(const late_server_t *s)
{
    return s->url;
}

unsigned late_connections(late_server_t *s)
{
    pthread_mutex_lock(&s->lock);
    unsigned n = s->count;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void late_stop(late_server_t *s)
{
    if (!s)
        return;
    atomic_store(&s->stopping, 1);
    shutdown(s->listen_fd, SHUT_RDWR);
    pthread_join(s->acceptor, NULL);
    close(s->listen_fd);
    for (unsigned i = 0; i < s->count; i++) {
        shutdown(s->fds[i], SHUT_RDWR);
        pthread_join(s->threads[i], NULL);
        close(s->fds[i]);
    }
    pthread_mutex_destroy(&s->lock);
    free(s);
}
