/* http.c: one HTTP exchange with Qdrant, with retries, a body-size limit and
 * credentials chosen per request.
 *
 * libcurl makes the connection: it resolves the name, connects, makes the TLS
 * handshake and verifies the certificate for https://, and tunnels through a proxy the
 * environment names. The exchange itself is written here, over that connection: the
 * request as one block of bytes (a body over 64 KiB sent from the caller's memory
 * behind it), the answer read strictly by http_wire.c. That costs
 * one poll per request where curl_easy_perform's state machine made five, and knows to
 * the byte where an answer ends.
 *
 * Connections are pooled per tenant and endpoint, and a connection serves one tenant
 * only, so an answer meant for, or pushed at, one tenant's request can at worst reach
 * the same tenant; a connection that had bytes nobody asked for (after an answer, or
 * waiting when it is taken from the pool) is closed even then. Each request writes its
 * own credential into its own bytes, which are wiped once it is done: nothing of one
 * request rides along on the next. It must never retry a request whose kind is not
 * idempotent, never put a credential into a detail message, and never read more than
 * max_response_bytes of a body. */
#include "http.h"

#include "alloc.h"
#include "detail.h"
#include "http_wire.h"
#include "interpose.h"

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <time.h>


static const unsigned char idempotent_kinds[TQ_REQ_KIND_LAST] = {
    [TQ_REQ_COLLECTION_CREATE] = 0, [TQ_REQ_COLLECTION_DELETE] = 1,
    [TQ_REQ_COLLECTION_EXISTS] = 1, [TQ_REQ_INDEX_CREATE] = 1,
    [TQ_REQ_POINTS_UPSERT] = 1,     [TQ_REQ_POINTS_DELETE] = 1,
    [TQ_REQ_POINTS_QUERY] = 1,      [TQ_REQ_POINTS_SCROLL] = 1,
    [TQ_REQ_POINTS_COUNT] = 1,      [TQ_REQ_SERVER_INFO] = 1,
    [TQ_REQ_COLLECTION_INFO] = 1,   [TQ_REQ_COLLECTION_UPDATE] = 1,
};

int tq_request_idempotent(tq_request_kind_t kind)
{
    if ((int)kind < 0 || kind >= TQ_REQ_KIND_LAST)
        return 0;
    return idempotent_kinds[kind];
}

int tq_retry_should(tq_request_kind_t kind, tq_status_t status, long http_status, int attempt,
                    int max_retries)
{
    if (!tq_request_idempotent(kind) || attempt >= max_retries)
        return 0;
    if (status == TQ_ECONNECT)
        return 1;
    return http_status == 429 || http_status == 503;
}

long tq_retry_delay_ms(long base_ms, long max_ms, int attempt, uint64_t random)
{
    long d = base_ms > 0 ? base_ms : 0;
    for (int i = 0; i < attempt && d < max_ms; i++)
        d *= 2;
    if (d > max_ms)
        d = max_ms;
    if (d <= 1)
        return d;
    long half = d / 2;
    return half + (long)(random % (uint64_t)(d - half + 1));
}

void tq_response_free(tq_response_t *response)
{
    if (response) {
        tq_free(response->body);
        response->body = NULL;
        response->len = 0;
    }
}

/* 1 when a pooled connection has bytes waiting, was closed by the server or is in
 * error: an answer nobody asked for, which must never be read as the answer to the
 * next request. One non-blocking peek at a single byte answers all three (more than 0
 * bytes: unread data; 0: the peer closed; an error other than "would block": a broken
 * socket) without consuming anything; only "would block" (or an interrupted call,
 * retried) keeps the connection. */
static int connection_has_unread(CURL *h)
{
    curl_socket_t sock = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &sock) != CURLE_OK || sock == CURL_SOCKET_BAD)
        return 1;
    char byte;
    ssize_t n;
    do
        n = recv(sock, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

/* The pool shard that keeps `tenant_slot`'s idle connections: all of one tenant's are
 * in one shard, so the per-tenant limit is exact, and a request only ever locks its own
 * tenant's shard, never a lock every request of every thread goes through. */
static tq_pool_shard_t *tenant_shard(tq_client_t *client, size_t tenant_slot)
{
    return &client->pool[tenant_slot % TQ_POOL_SHARDS];
}

/* An idle pooled connection to `endpoint` that carried only `tenant_slot`'s requests,
 * or NULL. A connection is never handed from one tenant to another, so a late answer
 * on it can at worst reach the same tenant, and one with unread bytes is dropped even
 * then. */
static CURL *connection_take(tq_client_t *client, size_t tenant_slot,
                             const tq_endpoint_t *endpoint)
{
    CURL *h = NULL;
    tq_pool_shard_t *p = tenant_shard(client, tenant_slot);
    pthread_mutex_lock(&p->lock);
    for (size_t i = p->count; i-- > 0;) {
        if (p->idle[i].tenant_slot == tenant_slot && p->idle[i].endpoint == endpoint) {
            h = p->idle[i].handle;
            memmove(&p->idle[i], &p->idle[i + 1], (p->count - i - 1) * sizeof *p->idle);
            p->count--;
            break;
        }
    }
    pthread_mutex_unlock(&p->lock);
    if (h && connection_has_unread(h)) {
        curl_easy_cleanup(h);
        h = NULL;
    }
    return h;
}

/* Keeps a connection for later requests of `tenant_slot`, unless its shard already
 * keeps TQ_IDLE_PER_TENANT of the tenant's (then it is closed); a full shard closes
 * its oldest connection to make room. */
static void connection_return(tq_client_t *client, CURL *h, size_t tenant_slot,
                              const tq_endpoint_t *endpoint)
{
    CURL *closed = NULL;
    size_t same = 0;
    tq_pool_shard_t *p = tenant_shard(client, tenant_slot);
    pthread_mutex_lock(&p->lock);
    for (size_t i = 0; i < p->count; i++)
        same += p->idle[i].tenant_slot == tenant_slot;
    if (same >= TQ_IDLE_PER_TENANT) {
        closed = h;
    } else {
        if (p->count == TQ_SHARD_HANDLES) {
            closed = p->idle[0].handle;
            memmove(&p->idle[0], &p->idle[1], (p->count - 1) * sizeof *p->idle);
            p->count--;
        }
        p->idle[p->count].handle = h;
        p->idle[p->count].endpoint = endpoint;
        p->idle[p->count].tenant_slot = tenant_slot;
        p->count++;
    }
    pthread_mutex_unlock(&p->lock);
    if (closed)
        curl_easy_cleanup(closed);
}

/* The tq status for a failed connection set-up; TQ_ECONNECT is the retryable class. */
static tq_status_t map_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_OUT_OF_MEMORY:
        return TQ_ENOMEM;
    case CURLE_OPERATION_TIMEDOUT:
        return TQ_ETIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return TQ_ETLS;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return TQ_EINVAL;
    default:
        return TQ_ECONNECT;
    }
}

/* Milliseconds left until `deadline_us`, at least 1 while any is left, 0 after. */
static long ms_left(uint64_t deadline_us)
{
    uint64_t now = tq_now_us();
    return now >= deadline_us ? 0 : (long)((deadline_us - now + 999) / 1000);
}

/* A new connection to `endpoint`, made by libcurl within the connect timeout and what
 * is left of the attempt's; its reason in `why` when there is none. */
static tq_status_t connection_open(tq_client_t *client, const tq_endpoint_t *endpoint,
                                   uint64_t deadline_us, CURL **out, char *why)
{
    const tq_client_options_t *o = &client->options;
    *out = NULL;
    why[0] = '\0';
    long left = ms_left(deadline_us);
    if (left == 0) {
        snprintf(why, CURL_ERROR_SIZE, "timed out before connecting");
        return TQ_ETIMEOUT;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(why, CURL_ERROR_SIZE, "cannot create an HTTP handle");
        return TQ_ENOMEM;
    }
    curl_easy_setopt(h, CURLOPT_URL, endpoint->url);
    curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(h, CURLOPT_HTTPPROXYTUNNEL, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, left);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, why);
    if (client->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, client->ca_file);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    if (rc != CURLE_OK) {
        if (!why[0])
            snprintf(why, CURL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
        curl_easy_cleanup(h);
        return map_curl(rc);
    }
    *out = h;
    return TQ_OK;
}

/* Waits until the connection is ready for `events` or the deadline passes; the
 * events that came in *revents. */
static tq_status_t connection_wait(CURL *h, short events, uint64_t deadline_us, short *revents,
                                   char *why)
{
    curl_socket_t sock = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &sock) != CURLE_OK || sock == CURL_SOCKET_BAD) {
        snprintf(why, CURL_ERROR_SIZE, "the connection is gone");
        return TQ_ECONNECT;
    }
    for (;;) {
        long left = ms_left(deadline_us);
        if (left == 0) {
            snprintf(why, CURL_ERROR_SIZE, "timed out waiting for the %s",
                     events & POLLOUT ? "request to be sent" : "answer");
            return TQ_ETIMEOUT;
        }
        struct pollfd pfd = {.fd = sock, .events = events};
        int n = poll(&pfd, 1, left > 0x7fffffffL ? 0x7fffffff : (int)left);
        if (n > 0) {
            *revents = pfd.revents;
            return TQ_OK;
        }
        if (n < 0 && errno != EINTR) {
            snprintf(why, CURL_ERROR_SIZE, "poll failed: %s", strerror(errno));
            return TQ_ECONNECT;
        }
    }
}

/* Feeds what the connection has to the answer, or its close; *r says where the answer
 * stands, and *again is set when nothing was there yet. Bytes after a complete answer
 * mark the connection as not reusable. */
static tq_status_t answer_read(CURL *h, tq_wire_answer_t *a, int *again, tq_wire_result_t *r,
                               char *why)
{
    char buf[16384];
    size_t n = 0;
    *again = 0;
    CURLcode rc = curl_easy_recv(h, buf, sizeof buf, &n);
    if (rc == CURLE_AGAIN) {
        *again = 1;
        return TQ_OK;
    }
    if (rc != CURLE_OK) {
        snprintf(why, CURL_ERROR_SIZE, "receiving the answer failed: %s",
                 curl_easy_strerror(rc));
        return TQ_ECONNECT;
    }
    if (n == 0) {
        *r = tq_wire_answer_eof(a);
    } else {
        size_t used = 0;
        *r = tq_wire_answer_feed(a, buf, n, &used);
        if (*r == TQ_WIRE_DONE && used < n)
            a->keep_alive = 0; /* bytes nobody asked for: the connection is not reused */
    }
    if (*r != TQ_WIRE_ERROR)
        return TQ_OK;
    snprintf(why, CURL_ERROR_SIZE, "%s", a->why);
    /* An answer cut short by the close is a dropped connection (retryable); the rest
     * is a malformed or oversized answer. */
    return n == 0 ? TQ_ECONNECT : a->error;
}

/* A request's bytes: the head (request line and headers), then the body, copied in
 * behind the head when it is small, so that it leaves in one piece, and sent from the
 * caller's memory when it is large. */
typedef struct wire_request {
    char *head; /* tq_malloc'd; holds the credential, wiped before it is freed */
    size_t head_len;
    size_t header_len; /* of head_len, the request line and headers (the rest is body) */
    const char *body; /* the rest, not copied */
    size_t body_len;
} wire_request_t;

#define INLINE_BODY_MAX (64u * 1024u)

/* Sends the request on `h` and reads the whole answer into `a`. A final answer that
 * starts before the request is all sent (a server refusing it early) ends the sending;
 * it is read, and the connection is then not reused. Interim (1xx) answers do not:
 * the server that sent one still waits for the body. On a `plain` (not TLS)
 * connection the kernel's socket is the only place an answer can wait, so the first
 * read waits for it instead of finding nothing; through TLS, bytes may already sit
 * decrypted in the library, so every wait comes after a read that found nothing. */
static tq_status_t exchange(CURL *h, const wire_request_t *w, tq_wire_answer_t *a, int plain,
                            uint64_t deadline_us, char *why)
{
    size_t len = w->head_len + w->body_len;
    tq_wire_result_t r = TQ_WIRE_MORE;
    int again = 0;
    size_t off = 0;
    tq_status_t st = TQ_OK;
    while (off < len && a->status == 0) {
        size_t n = 0;
        const char *from = off < w->head_len ? w->head + off : w->body + (off - w->head_len);
        size_t part = off < w->head_len ? w->head_len - off : len - off;
        CURLcode rc = curl_easy_send(h, from, part, &n);
        if (rc == CURLE_OK) {
            off += n;
            continue;
        }
        if (rc != CURLE_AGAIN)
            break; /* the server may have answered and closed: read what it said */
        short ready = 0;
        if ((st = connection_wait(h, POLLOUT | POLLIN, deadline_us, &ready, why)) != TQ_OK)
            return st;
        if ((ready & POLLIN) && (st = answer_read(h, a, &again, &r, why)) != TQ_OK)
            return st;
        if (r != TQ_WIRE_MORE)
            break;
    }
    short rev = 0;
    if (r == TQ_WIRE_MORE && plain && a->received == 0 &&
        (st = connection_wait(h, POLLIN, deadline_us, &rev, why)) != TQ_OK)
        return st;
    while (r == TQ_WIRE_MORE) {
        /* The deadline holds even while bytes keep coming. */
        if (ms_left(deadline_us) == 0) {
            snprintf(why, CURL_ERROR_SIZE, "timed out reading the answer");
            return TQ_ETIMEOUT;
        }
        if ((st = answer_read(h, a, &again, &r, why)) != TQ_OK)
            return st;
        if (again && (st = connection_wait(h, POLLIN, deadline_us, &rev, why)) != TQ_OK)
            return st;
    }
    if (off < len)
        a->keep_alive = 0;
    return TQ_OK;
}

/* One piece of a request's head. */
typedef struct piece {
    const char *s;
    size_t n;
} piece_t;

#define PIECE(literal) {literal, sizeof literal - 1}

/* Writes the request's bytes into *w: the head assembled from its pieces (the request
 * line, Host, the content headers, the credential, the length), then the body, inline
 * when small. TQ_ENOMEM when out of memory. */
static tq_status_t request_bytes(const tq_request_t *rq, wire_request_t *w)
{
    const char *url = rq->endpoint->url;
    const char *authority = strstr(url, "://");
    authority = authority ? authority + 3 : url;
    const char *prefix = strchr(authority, '/');
    size_t authority_len = prefix ? (size_t)(prefix - authority) : strlen(authority);
    piece_t cred = rq->credential == TQ_CRED_API_KEY  ? (piece_t)PIECE("api-key: ")
                   : rq->credential == TQ_CRED_BEARER ? (piece_t)PIECE("Authorization: Bearer ")
                                                      : (piece_t)PIECE("");
    const char *secret = cred.n ? rq->secret : "";
    size_t body_len = rq->body ? strlen(rq->body) : 0;
    int sized = rq->body || (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "DELETE") != 0);
    char digits[24];
    size_t digit_count = 0;
    for (size_t v = body_len; digit_count == 0 || v > 0; v /= 10)
        digits[sizeof digits - 1 - digit_count++] = (char)('0' + v % 10);
    const piece_t pieces[] = {
        {rq->method, strlen(rq->method)},
        PIECE(" "),
        {prefix ? prefix : "", prefix ? strlen(prefix) : 0},
        {rq->path, strlen(rq->path)},
        PIECE(" HTTP/1.1\r\nHost: "),
        {authority, authority_len},
        PIECE("\r\nContent-Type: application/json\r\nAccept: application/json\r\n"),
        cred,
        {secret, strlen(secret)},
        {"\r\n", cred.n ? 2 : 0},
        {"Content-Length: ", sized ? 16 : 0},
        {digits + sizeof digits - digit_count, sized ? digit_count : 0},
        {"\r\n", sized ? 2 : 0},
        PIECE("\r\n"),
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++)
        n += pieces[i].n;
    size_t inline_len = body_len <= INLINE_BODY_MAX ? body_len : 0;
    w->head = tq_malloc(n + inline_len + 1);
    if (!w->head)
        return TQ_ENOMEM;
    char *at = w->head;
    for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++) {
        memcpy(at, pieces[i].s, pieces[i].n);
        at += pieces[i].n;
    }
    memcpy(at, rq->body ? rq->body : "", inline_len);
    at[inline_len] = '\0';
    w->head_len = n + inline_len;
    w->header_len = n;
    w->body = rq->body ? rq->body + inline_len : NULL;
    w->body_len = body_len - inline_len;
    return TQ_OK;
}

/* One attempt: a pooled connection of the tenant's for an idempotent request (a
 * request that must not be replayed gets a new one), the exchange, and the connection
 * kept when the answer left it clean. A kept connection the server had closed in the
 * meantime fails before any answer byte; the request then goes once more on a new one,
 * as libcurl itself does. */
static tq_status_t attempt_once(tq_client_t *client, const tq_request_t *rq,
                                const wire_request_t *w, tq_wire_answer_t *a, char *why)
{
    uint64_t deadline = tq_now_us() + (uint64_t)client->options.total_timeout_ms * 1000u;
    CURL *h = tq_request_idempotent(rq->kind)
                  ? connection_take(client, rq->tenant_slot, rq->endpoint)
                  : NULL;
    for (;;) {
        int reused = h != NULL;
        tq_status_t st = TQ_OK;
        if (!h && (st = connection_open(client, rq->endpoint, deadline, &h, why)) != TQ_OK)
            return st;
        tq_wire_answer_free(a);
        tq_wire_answer_init(a, client->options.max_response_bytes);
        st = exchange(h, w, a, strncmp(rq->endpoint->url, "https://", 8) != 0, deadline, why);
        if (st == TQ_OK && a->keep_alive)
            connection_return(client, h, rq->tenant_slot, rq->endpoint);
        else
            curl_easy_cleanup(h);
        h = NULL;
        if (!(st == TQ_ECONNECT && reused && a->received == 0))
            return st;
    }
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* Jitter source: splitmix64 over a per-client atomic counter (no locking). */
static uint64_t next_random(tq_client_t *client)
{
    uint64_t z = atomic_fetch_add(&client->jitter_state, 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

tq_status_t tq_http_perform(tq_client_t *client, const tq_request_t *rq, tq_response_t *out,
                            tq_detail_t *detail)
{
    char why[CURL_ERROR_SIZE];
    tq_status_t st = TQ_OK;
    const char *replaced = tq_interposed();
    if (replaced)
        return tq_fail(detail, TQ_EVERIFY, 0, "%s; the request is refused", replaced);
    wire_request_t w;
    if (request_bytes(rq, &w) != TQ_OK)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_wire_answer_t a;
    tq_wire_answer_init(&a, client->options.max_response_bytes);
    for (int attempt = 0;; attempt++) {
        tq_stats_note_request(client, rq->tenant_slot, rq->op, attempt > 0);
        st = attempt_once(client, rq, &w, &a, why);
        long http_status = st == TQ_OK ? a.status : 0;
        if (!tq_retry_should(rq->kind, st, http_status, attempt, client->options.max_retries))
            break;
        sleep_ms(tq_retry_delay_ms(client->options.retry_base_ms, client->options.retry_max_ms,
                                   attempt, next_random(client)));
    }
    /* The credential was in the request's head: wipe it before it is freed. */
    tq_wipe(w.head, w.header_len);
    tq_free(w.head);
    if (st == TQ_ELIMIT) {
        st = tq_fail(detail, TQ_ELIMIT, 0,
                     "%s %s: response body exceeds max_response_bytes (%zu)", rq->method,
                     rq->path, client->options.max_response_bytes);
        goto cleanup;
    }
    if (st == TQ_EPROTO) {
        st = tq_fail(detail, st, 0, "%s %s%s: malformed HTTP answer: %s", rq->method,
                     rq->endpoint->url, rq->path, why);
        goto cleanup;
    }
    if (st != TQ_OK) {
        st = tq_fail(detail, st, 0, "%s %s%s: %s", rq->method, rq->endpoint->url, rq->path, why);
        goto cleanup;
    }
    st = tq_http_status_map(a.status);
    if (st != TQ_OK) {
        char message[TQ_DETAIL_MESSAGE_MAX - 64];
        tq_http_error_message(a.body ? a.body : "", a.len, message, sizeof message);
        st = tq_fail(detail, st, a.status, "%s %s: HTTP %ld: %s", rq->method, rq->path, a.status,
                     message);
        goto cleanup;
    }
    if (!a.body) {
        a.body = tq_strdup("");
        if (!a.body) {
            st = tq_fail(detail, TQ_ENOMEM, a.status, "out of memory");
            goto cleanup;
        }
    }
    out->http_status = a.status;
    out->body = a.body;
    out->len = a.len;
    a.body = NULL;
cleanup:
    tq_wire_answer_free(&a);
    return st;
}
