/* rel_proxy.c: a delaying TCP proxy between the client and tenantq-devserver.
 *
 * The devserver's own --fault-delay-ms delays every request by one fixed amount; the
 * reliability suite wants delays spread up to the client's timeout, so some requests
 * finish just in time and some do not. A request held past the client's timeout is
 * still forwarded afterwards, as a slow network would deliver it, so the server may
 * apply a write whose caller already saw TQ_ETIMEOUT. One thread per connection, at
 * most MAX_CONNS at once (more are refused by closing them). It must never block
 * shutdown: every wait is a poll or sleep of at most TICK_MS that checks the stop flag.
 */
#include "rel_proxy.h"

#include "rel_sys.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNS 128
#define TICK_MS 20
#define IO_BUFFER 65536

typedef struct conn {
    struct rel_proxy *proxy;
    pthread_t thread;
    int client_fd;
    int running; /* a thread was started and not yet joined */
    atomic_int done;
} conn_t;

struct rel_proxy {
    int listen_fd;
    int port;
    int upstream_port;
    int max_delay_ms;
    unsigned late_every;
    int late_ms;
    pthread_t acceptor;
    atomic_int stop;
    pthread_mutex_t lock; /* rng state */
    uint64_t rng;
    atomic_uint_fast64_t requests, late;
    conn_t conns[MAX_CONNS];
};

/* The hold for the next request, in milliseconds. */
static int draw_delay(rel_proxy_t *p)
{
    pthread_mutex_lock(&p->lock);
    uint64_t x = rel_xorshift(&p->rng);
    pthread_mutex_unlock(&p->lock);
    uint64_t nth = atomic_fetch_add(&p->requests, 1) + 1;
    int late = p->late_every && nth % p->late_every == 0;
    if (late)
        atomic_fetch_add(&p->late, 1);
    return late ? p->late_ms : (int)(x % (uint64_t)(p->max_delay_ms + 1));
}

/* Sleeps `ms` in ticks; returns 0, or -1 when the proxy is stopping. */
static int hold(rel_proxy_t *p, int ms)
{
    while (ms > 0) {
        if (atomic_load(&p->stop))
            return -1;
        int step = ms < TICK_MS ? ms : TICK_MS;
        rel_sleep_ms(step);
        ms -= step;
    }
    return 0;
}

/* Pumps one connection until either side closes or the proxy stops. The first chunk
 * the client sends after an answer (or on a new connection) starts a request and is
 * held before it is forwarded. */
static void *conn_main(void *arg)
{
    conn_t *c = arg;
    rel_proxy_t *p = c->proxy;
    char *buf = malloc(IO_BUFFER);
    int up = buf ? rel_connect_loopback(p->upstream_port) : -1;
    int awaiting_request = 1;
    while (up >= 0 && !atomic_load(&p->stop)) {
        struct pollfd fds[2] = {{c->client_fd, POLLIN, 0}, {up, POLLIN, 0}};
        int r = poll(fds, 2, TICK_MS);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        if (fds[0].revents) {
            ssize_t n = recv(c->client_fd, buf, IO_BUFFER, 0);
            if (n <= 0)
                break;
            if (awaiting_request && hold(p, draw_delay(p)) != 0)
                break;
            awaiting_request = 0;
            if (rel_send_all(up, buf, (size_t)n) != 0)
                break;
        }
        if (fds[1].revents) {
            ssize_t n = recv(up, buf, IO_BUFFER, 0);
            if (n <= 0)
                break;
            awaiting_request = 1;
            if (rel_send_all(c->client_fd, buf, (size_t)n) != 0)
                break;
        }
    }
    if (up >= 0)
        close(up);
    close(c->client_fd);
    free(buf);
    atomic_store(&c->done, 1);
    return NULL;
}

/* Joins finished connection threads; with `all`, waits for every thread. */
static void reap(rel_proxy_t *p, int all)
{
    for (size_t i = 0; i < MAX_CONNS; i++) {
        conn_t *c = &p->conns[i];
        if (c->running && (all || atomic_load(&c->done))) {
            pthread_join(c->thread, NULL);
            c->running = 0;
        }
    }
}

static void *accept_main(void *arg)
{
    rel_proxy_t *p = arg;
    while (!atomic_load(&p->stop)) {
        struct pollfd pfd = {p->listen_fd, POLLIN, 0};
        if (poll(&pfd, 1, TICK_MS) <= 0)
            continue;
        int fd = accept(p->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        reap(p, 0);
        conn_t *slot = NULL;
        for (size_t i = 0; i < MAX_CONNS && !slot; i++)
            if (!p->conns[i].running)
                slot = &p->conns[i];
        if (!slot) {
            close(fd);
            continue;
        }
        slot->proxy = p;
        slot->client_fd = fd;
        atomic_store(&slot->done, 0);
        if (pthread_create(&slot->thread, NULL, conn_main, slot) != 0) {
            close(fd);
            continue;
        }
        slot->running = 1;
    }
    reap(p, 1);
    return NULL;
}

rel_proxy_t *rel_proxy_start(int upstream_port, int max_delay_ms, unsigned late_every,
                             int late_ms, uint64_t seed)
{
    rel_proxy_t *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->upstream_port = upstream_port;
    p->max_delay_ms = max_delay_ms > 0 ? max_delay_ms : 0;
    p->late_every = late_every;
    p->late_ms = late_ms > 0 ? late_ms : 0;
    p->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
    pthread_mutex_init(&p->lock, NULL);
    p->listen_fd = rel_listen_loopback(64, &p->port);
    if (p->listen_fd >= 0 && pthread_create(&p->acceptor, NULL, accept_main, p) == 0)
        return p;
    if (p->listen_fd >= 0)
        close(p->listen_fd);
    pthread_mutex_destroy(&p->lock);
    free(p);
    return NULL;
}

int rel_proxy_port(const rel_proxy_t *proxy)
{
    return proxy->port;
}

uint64_t rel_proxy_requests(const rel_proxy_t *proxy)
{
    return atomic_load(&((rel_proxy_t *)proxy)->requests);
}

uint64_t rel_proxy_late(const rel_proxy_t *proxy)
{
    return atomic_load(&((rel_proxy_t *)proxy)->late);
}

void rel_proxy_stop(rel_proxy_t *proxy)
{
    if (!proxy)
        return;
    atomic_store(&proxy->stop, 1);
    pthread_join(proxy->acceptor, NULL);
    close(proxy->listen_fd);
    pthread_mutex_destroy(&proxy->lock);
    free(proxy);
}
