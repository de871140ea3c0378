/* http.c: one HTTP exchange with Qdrant over libcurl, with retries, a body-size limit
 * and credentials chosen per request.
 *
 * Easy handles come from the client's pool and keep their keep-alive connections. The
 * options every request shares (protocols, timeouts, limits, CA file, write callback)
 * are set once when a handle is made; what belongs to one request (URL, method, body,
 * header list with its credential, sink, error buffer) is set before each use and
 * cleared after it, so a key or token set for one tenant's request can never ride
 * along on the next one. A pooled handle (and the
 * connections it keeps) serves one tenant only, and one whose connection holds unread
 * bytes is closed, so an answer meant for, or pushed at, one tenant's request is never
 * read by another tenant's. It must never retry a
 * request whose kind is not idempotent, never put a credential into a detail message,
 * and never read more than max_response_bytes. */
#include "http.h"

#include "alloc.h"
#include "detail.h"
#include "interpose.h"

#include <curl/curl.h>
#include <errno.h>
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

typedef struct sink {
    char *data;
    size_t len, cap, limit;
    int over_limit;
    int out_of_memory;
} sink_t;

/* libcurl write callback: appends to the sink; returning short aborts the transfer
 * once the body would pass the limit or memory runs out (flags say which). */
static size_t sink_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    sink_t *s = userdata;
    size_t n = size * nmemb;
    if (n > s->limit - s->len) {
        s->over_limit = 1;
        return 0;
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *bigger = tq_grow(s->data, s->len, cap);
        if (!bigger) {
            s->out_of_memory = 1;
            return 0;
        }
        s->data = bigger;
        s->cap = cap;
    }
    memcpy(s->data + s->len, ptr, n);
    s->len += n;
    s->data[s->len] = '\0';
    return n;
}

/* 1 when the connection a pooled handle kept has bytes waiting, was closed by the
 * server or is in error: an answer nobody asked for, which must never be read as the
 * answer to the next request. One non-blocking peek at a single byte answers all
 * three (more than 0 bytes: unread data; 0: the peer closed; an error other than
 * "would block": a broken socket) without consuming anything and without the poll
 * set-up; only "would block" (or an interrupted call, retried) keeps the connection. */
static int connection_has_unread(CURL *h)
{
    curl_socket_t sock = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &sock) != CURLE_OK || sock == CURL_SOCKET_BAD)
        return 0;
    char byte;
    ssize_t n;
    do
        n = recv(sock, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

/* A new easy handle with the options every request of `client` shares, set once for
 * the handle's life (attempt_once sets and clears the per-request ones); NULL when
 * libcurl cannot make one. */
static CURL *handle_new(tq_client_t *client)
{
    const tq_client_options_t *o = &client->options;
    CURL *h = curl_easy_init();
    if (!h)
        return NULL;
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->total_timeout_ms);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_response_bytes);
    if (client->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, client->ca_file);
    return h;
}

/* Clears what one request set on a pooled handle, so that nothing of it (the header
 * list and its credential above all, the body, the method) reaches the next request,
 * and no option points at memory freed after the call. */
static void handle_clear_request(CURL *h)
{
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 0L);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
}

/* The pool shard that keeps `tenant_slot`'s idle handles: all of one tenant's are in one
 * shard, so the per-tenant limit is exact, and a request only ever locks its own
 * tenant's shard, never a lock every request of every thread goes through. */
static tq_pool_shard_t *tenant_shard(tq_client_t *client, size_t tenant_slot)
{
    return &client->pool[tenant_slot % TQ_POOL_SHARDS];
}

/* An idle pooled handle whose connections carried only `tenant_slot`'s requests, or a
 * new one; NULL when libcurl cannot make one. A connection is never handed from one
 * tenant to another, so a late answer on it can at worst reach the same tenant, and
 * one with unread bytes is dropped even then. */
static CURL *handle_take(tq_client_t *client, size_t tenant_slot)
{
    CURL *h = NULL;
    tq_pool_shard_t *p = tenant_shard(client, tenant_slot);
    pthread_mutex_lock(&p->lock);
    for (size_t i = p->count; i-- > 0;) {
        if (p->idle[i].tenant_slot == tenant_slot) {
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
    return h ? h : handle_new(client);
}

/* Keeps a handle for later requests of `tenant_slot`, unless its shard already keeps
 * TQ_IDLE_PER_TENANT of the tenant's (then it is closed); a full shard closes its
 * oldest handle to make room. */
static void handle_return(tq_client_t *client, CURL *h, size_t tenant_slot)
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
        p->idle[p->count].tenant_slot = tenant_slot;
        p->count++;
    }
    pthread_mutex_unlock(&p->lock);
    if (closed)
        curl_easy_cleanup(closed);
}

/* The tq status for a transfer result; TQ_ECONNECT is the retryable class. */
static tq_status_t map_curl(CURLcode rc, const sink_t *sink)
{
    switch (rc) {
    case CURLE_OK:
        return TQ_OK;
    case CURLE_WRITE_ERROR:
        if (sink->over_limit)
            return TQ_ELIMIT;
        return sink->out_of_memory ? TQ_ENOMEM : TQ_ECONNECT;
    case CURLE_FILESIZE_EXCEEDED:
        return TQ_ELIMIT;
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

/* Builds a fresh header list for one attempt; NULL when out of memory. */
static struct curl_slist *build_headers(const tq_request_t *rq)
{
    struct curl_slist *list = NULL, *next;
    char *auth = NULL;
    if (rq->credential != TQ_CRED_NONE) {
        const char *prefix = rq->credential == TQ_CRED_API_KEY ? "api-key: "
                                                               : "Authorization: Bearer ";
        size_t n = strlen(prefix) + strlen(rq->secret) + 1;
        auth = tq_malloc(n);
        if (!auth)
            return NULL;
        snprintf(auth, n, "%s%s", prefix, rq->secret);
    }
    const char *fixed[] = {"Content-Type: application/json", "Accept: application/json",
                           "Expect:"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        if (!(next = curl_slist_append(list, fixed[i])))
            goto fail;
        list = next;
    }
    if (auth) {
        if (!(next = curl_slist_append(list, auth)))
            goto fail;
        list = next;
        memset(auth, 0, strlen(auth));
        tq_free(auth);
    }
    return list;
fail:
    if (auth) {
        memset(auth, 0, strlen(auth));
        tq_free(auth);
    }
    curl_slist_free_all(list);
    return NULL;
}

/* One attempt. Returns the transport status; the HTTP status goes to *http_status. */
static tq_status_t attempt_once(CURL *h, const tq_request_t *rq, sink_t *sink,
                                long *http_status, char *curl_error)
{
    size_t url_len = strlen(rq->endpoint->url) + strlen(rq->path) + 1;
    char *url = tq_malloc(url_len);
    struct curl_slist *headers = build_headers(rq);
    tq_status_t st = TQ_OK;
    if (!url || !headers) {
        st = TQ_ENOMEM;
        goto cleanup;
    }
    snprintf(url, url_len, "%s%s", rq->endpoint->url, rq->path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_error);
    /* libcurl silently resends a request once when a reused connection turns out to be
     * dead; a request that must not be replayed gets a connection of its own. */
    if (!tq_request_idempotent(rq->kind))
        curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    if (strcmp(rq->method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
        if (rq->body) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(rq->body));
        }
    }
    curl_error[0] = '\0';
    CURLcode rc = curl_easy_perform(h);
    st = map_curl(rc, sink);
    *http_status = 0;
    if (st == TQ_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, http_status);
    /* Drop the references to this request's header list, body and buffers before
     * they are freed, and its method before the next request. */
    handle_clear_request(h);
    if (st != TQ_OK && !curl_error[0])
        snprintf(curl_error, CURL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
cleanup:
    tq_free(url);
    curl_slist_free_all(headers);
    return st;
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
    sink_t sink = {0};
    char curl_error[CURL_ERROR_SIZE];
    long http_status = 0;
    tq_status_t st = TQ_OK;
    const char *replaced = tq_interposed();
    if (replaced)
        return tq_fail(detail, TQ_EVERIFY, 0, "%s; the request is refused", replaced);
    CURL *h = handle_take(client, rq->tenant_slot);
    if (!h)
        return tq_fail(detail, TQ_ENOMEM, 0, "cannot create an HTTP handle");
    for (int attempt = 0;; attempt++) {
        tq_free(sink.data);
        memset(&sink, 0, sizeof sink);
        sink.limit = client->options.max_response_bytes;
        tq_stats_note_request(client, rq->tenant_slot, rq->op, attempt > 0);
        st = attempt_once(h, rq, &sink, &http_status, curl_error);
        if (!tq_retry_should(rq->kind, st, http_status, attempt, client->options.max_retries))
            break;
        sleep_ms(tq_retry_delay_ms(client->options.retry_base_ms, client->options.retry_max_ms,
                                   attempt, next_random(client)));
    }
    handle_return(client, h, rq->tenant_slot);
    if (st == TQ_ELIMIT) {
        st = tq_fail(detail, TQ_ELIMIT, 0,
                     "%s %s: response body exceeds max_response_bytes (%zu)", rq->method,
                     rq->path, client->options.max_response_bytes);
        goto cleanup;
    }
    if (st != TQ_OK) {
        st = tq_fail(detail, st, 0, "%s %s%s: %s", rq->method, rq->endpoint->url, rq->path,
                     curl_error);
        goto cleanup;
    }
    st = tq_http_status_map(http_status);
    if (st != TQ_OK) {
        char message[TQ_DETAIL_MESSAGE_MAX - 64];
        tq_http_error_message(sink.data ? sink.data : "", sink.len, message, sizeof message);
        st = tq_fail(detail, st, http_status, "%s %s: HTTP %ld: %s", rq->method, rq->path,
                     http_status, message);
        goto cleanup;
    }
    if (!sink.data) {
        sink.data = tq_strdup("");
        if (!sink.data) {
            st = tq_fail(detail, TQ_ENOMEM, http_status, "out of memory");
            goto cleanup;
        }
    }
    out->http_status = http_status;
    out->body = sink.data;
    out->len = sink.len;
    sink.data = NULL;
cleanup:
    tq_free(sink.data);
    return st;
}
