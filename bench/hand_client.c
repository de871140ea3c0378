/* hand_client.c: the baseline of the benchmark: the same requests as the generated
 * client, written by hand with libcurl and cJSON and no tenant layer.
 *
 * Honest by construction: one easy handle kept alive for the whole run, one reused
 * request buffer and header list, bodies written straight into the buffer (the floats
 * with the same printer the runtime uses, tq_float_text, so the two clients send the
 * same bytes and pay the same for them), answers parsed once with cJSON and their keys
 * and scores copied out, as any caller needs them. What it skips is exactly the tenant
 * layer: no key checks or UUIDv5 ids (ids are counters), no token (the api key
 * instead), no leak guard, no statistics. It must never do work the generated client
 * does not.
 *
 * It comes in three layouts. The minimal one sends every request on one connection
 * through curl_easy_perform. The second (bench_handwritten_tenant_client) keeps one
 * easy handle, and so one keep-alive connection, per tenant, as the generated client
 * does to keep a late answer from reaching another tenant: the same code otherwise, so
 * the difference between the two is what the connection per tenant costs. The third
 * (bench_handwritten_wire_client) also keeps a connection per tenant and writes the
 * HTTP/1.1 exchange itself over libcurl's connection, as the runtime does: the same
 * transport as the generated client, so the generated client's ratio to it is what the
 * tenant layer alone costs. Its reading of the answer is as minimal as the rest: the
 * status code and a Content-Length body, which is what the devserver sends. */
#include "bench.h"

#include "float_text.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer_t;

static int reserve(buffer_t *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *bigger = realloc(b->data, cap);
    if (!bigger)
        return -1;
    b->data = bigger;
    b->cap = cap;
    return 0;
}

static int put(buffer_t *b, const char *s, size_t n)
{
    if (reserve(b, n) != 0)
        return -1;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static int puts_(buffer_t *b, const char *s)
{
    return put(b, s, strlen(s));
}

static int put_vector(buffer_t *b, const float *v)
{
    if (reserve(b, BENCH_DIM * (TQ_FLOAT_TEXT_MAX + 1) + 2) != 0)
        return -1;
    char *p = b->data + b->len;
    *p++ = '[';
    for (size_t i = 0; i < BENCH_DIM; i++) {
        if (i)
            *p++ = ',';
        p += tq_float_text(v[i], p);
    }
    *p++ = ']';
    *p = '\0';
    b->len = (size_t)(p - b->data);
    return 0;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    return put(userdata, ptr, size * nmemb) == 0 ? size * nmemb : 0;
}

typedef struct hand_client {
    CURL *h;
    CURL **per_tenant; /* NULL: every request on h; else tenants handles, made on first use */
    size_t tenants;
    int wire; /* the exchange written here over libcurl's connection */
    struct curl_slist *headers;
    char upsert_url[256], query_url[256];
    char upsert_path[192], query_path[192], host[128], auth[128];
    buffer_t body, answer, request;
} hand_client_t;

static int hand_open(hand_client_t *hc, const bench_target_t *t)
{
    memset(hc, 0, sizeof *hc);
    const char *host = strstr(t->url, "://");
    snprintf(hc->host, sizeof hc->host, "%s", host ? host + 3 : t->url);
    snprintf(hc->auth, sizeof hc->auth, "api-key: %s", t->api_key);
    snprintf(hc->upsert_path, sizeof hc->upsert_path, "/collections/%s/points?wait=true",
             t->collection);
    snprintf(hc->query_path, sizeof hc->query_path, "/collections/%s/points/query",
             t->collection);
    snprintf(hc->upsert_url, sizeof hc->upsert_url, "%s%s", t->url, hc->upsert_path);
    snprintf(hc->query_url, sizeof hc->query_url, "%s%s", t->url, hc->query_path);
    const char *lines[] = {"Content-Type: application/json", "Expect:", hc->auth};
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        struct curl_slist *next = curl_slist_append(hc->headers, lines[i]);
        if (!next)
            return -1;
        hc->headers = next;
    }
    if (!(hc->h = curl_easy_init()))
        return -1;
    curl_easy_setopt(hc->h, CURLOPT_HTTPHEADER, hc->headers);
    curl_easy_setopt(hc->h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(hc->h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(hc->h, CURLOPT_WRITEDATA, &hc->answer);
    return 0;
}

static void hand_close(hand_client_t *hc)
{
    for (size_t i = 0; hc->per_tenant && i < hc->tenants; i++) {
        if (hc->per_tenant[i])
            curl_easy_cleanup(hc->per_tenant[i]);
    }
    free(hc->per_tenant);
    if (hc->h)
        curl_easy_cleanup(hc->h);
    curl_slist_free_all(hc->headers);
    free(hc->body.data);
    free(hc->answer.data);
    free(hc->request.data);
}

/* The handle for `tenant`'s requests: the one handle, or in the per-tenant layout that
 * tenant's own, a copy of the first one's options made on first use; NULL when out of
 * memory. */
static CURL *handle_for(hand_client_t *hc, size_t tenant)
{
    if (!hc->per_tenant)
        return hc->h;
    if (!hc->per_tenant[tenant]) {
        hc->per_tenant[tenant] = curl_easy_duphandle(hc->h);
        /* In the wire layout the copy connects now and keeps that one connection. */
        if (hc->wire && hc->per_tenant[tenant] &&
            curl_easy_perform(hc->per_tenant[tenant]) != CURLE_OK) {
            curl_easy_cleanup(hc->per_tenant[tenant]);
            hc->per_tenant[tenant] = NULL;
        }
    }
    return hc->per_tenant[tenant];
}

/* Waits until the connection is ready for `events`; -1 after 10 s or on an error. */
static int wire_wait(CURL *h, short events)
{
    curl_socket_t sock = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &sock) != CURLE_OK || sock == CURL_SOCKET_BAD)
        return -1;
    struct pollfd p = {.fd = sock, .events = events};
    return poll(&p, 1, 10000) == 1 ? 0 : -1;
}

/* The Content-Length of the header block `head` (ending "\r\n\r\n"), or -1. */
static long content_length(const char *head)
{
    for (const char *line = strstr(head, "\r\n"); line && line[2] != '\r';
         line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "content-length:", 15) == 0)
            return strtol(line + 17, NULL, 10);
    }
    return -1;
}

/* The body sent with `method` to `path` on `h`, written here, and the answer read into
 * hc->answer (the body alone); returns the HTTP status, or -1. */
static long wire_exchange(hand_client_t *hc, CURL *h, const char *method, const char *path)
{
    buffer_t *q = &hc->request;
    char head[512];
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n%s\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     method, path, hc->host, hc->auth, hc->body.len);
    q->len = 0;
    if (n < 0 || put(q, head, (size_t)n) != 0 || put(q, hc->body.data, hc->body.len) != 0)
        return -1;
    for (size_t off = 0, sent = 0; off < q->len; off += sent) {
        sent = 0;
        CURLcode rc = curl_easy_send(h, q->data + off, q->len - off, &sent);
        if (rc == CURLE_AGAIN ? wire_wait(h, POLLOUT) != 0 : rc != CURLE_OK)
            return -1;
    }
    buffer_t *a = &hc->answer;
    size_t head_len = 0;
    long body_len = -1;
    while (body_len < 0 || a->len < head_len + (size_t)body_len) {
        size_t got = 0;
        if (reserve(a, 16384) != 0)
            return -1;
        CURLcode rc = curl_easy_recv(h, a->data + a->len, 16384, &got);
        if (rc == CURLE_AGAIN ? wire_wait(h, POLLIN) != 0 : rc != CURLE_OK || got == 0)
            return -1;
        a->len += got;
        a->data[a->len] = '\0';
        const char *end = head_len ? NULL : strstr(a->data, "\r\n\r\n");
        if (end) {
            head_len = (size_t)(end + 4 - a->data);
            if ((body_len = content_length(a->data)) < 0)
                return -1;
        }
    }
    long code = strncmp(a->data, "HTTP/1.1 ", 9) == 0 ? strtol(a->data + 9, NULL, 10) : -1;
    memmove(a->data, a->data + head_len, (size_t)body_len);
    a->len = (size_t)body_len;
    a->data[a->len] = '\0';
    return code;
}

/* Sends the body with `method` to `url` on `tenant`'s handle; returns the parsed answer
 * when it is HTTP 200 with "status":"ok", else NULL after printing why. */
static cJSON *exchange(hand_client_t *hc, size_t tenant, const char *method, const char *url)
{
    hc->answer.len = 0;
    CURL *h = handle_for(hc, tenant);
    if (!h) {
        fprintf(stderr, "tenantq-bench: error: hand-written client: out of memory\n");
        return NULL;
    }
    long code = 0;
    CURLcode rc = CURLE_OK;
    if (hc->wire) {
        code = wire_exchange(hc, h, method, url == hc->query_url ? hc->query_path
                                                                 : hc->upsert_path);
        rc = code < 0 ? CURLE_RECV_ERROR : CURLE_OK;
    } else {
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, hc->body.data);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)hc->body.len);
        rc = curl_easy_perform(h);
        if (rc == CURLE_OK)
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    }
    cJSON *root = rc == CURLE_OK && code == 200
                      ? cJSON_ParseWithLength(hc->answer.data ? hc->answer.data : "",
                                              hc->answer.len)
                      : NULL;
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(root, "status");
    if (!cJSON_IsString(status) || strcmp(status->valuestring, "ok") != 0) {
        fprintf(stderr, "tenantq-bench: error: hand-written client: %s %s: %s, HTTP %ld\n",
                method, url, curl_easy_strerror(rc), code);
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

static int hand_upsert(hand_client_t *hc, const bench_corpus_t *c, size_t tenant, size_t from,
                       size_t n)
{
    buffer_t *b = &hc->body;
    b->len = 0;
    int err = puts_(b, "{\"points\":[");
    for (size_t i = from; i < from + n && !err; i++) {
        char head[160];
        snprintf(head, sizeof head,
                 "%s{\"id\":\"00000000-0000-4000-8000-%012zx\",\"vector\":{\"embedding\":",
                 i > from ? "," : "", tenant * c->w.vectors + i);
        err = puts_(b, head) || put_vector(b, bench_vector(c, tenant, i)) ||
              puts_(b, "},\"payload\":{\"tq_tenant\":\"") || puts_(b, c->tenant_ids[tenant]) ||
              puts_(b, "\",\"tq_key\":\"") || puts_(b, c->keys[i]) ||
              puts_(b, "\",\"source\":\"bench\"}}");
    }
    if (err || puts_(b, "]}") != 0)
        return -1;
    cJSON *root = exchange(hc, tenant, "PUT", hc->upsert_url);
    cJSON_Delete(root);
    return root ? 0 : -1;
}

/* One search; copies each hit's key and score out as a caller would, adds to *hits. */
static int hand_search(hand_client_t *hc, const bench_corpus_t *c, size_t i, uint64_t *hits)
{
    buffer_t *b = &hc->body;
    b->len = 0;
    char tail[112];
    snprintf(tail, sizeof tail,
             "\"}}]},\"using\":\"embedding\",\"limit\":%u,\"with_payload\":true,"
             "\"with_vector\":false,\"query\":",
             (unsigned)c->w.limit);
    if (puts_(b, "{\"filter\":{\"must\":[{\"key\":\"tq_tenant\",\"match\":{\"value\":\"") ||
        puts_(b, c->tenant_ids[bench_search_tenant(c, i)]) || puts_(b, tail) ||
        put_vector(b, c->queries + i * BENCH_DIM) || puts_(b, "}"))
        return -1;
    cJSON *root = exchange(hc, bench_search_tenant(c, i), "POST", hc->query_url);
    if (!root)
        return -1;
    const cJSON *points =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "result"),
                                         "points");
    size_t n = (size_t)cJSON_GetArraySize(points), k = 0;
    char **keys = calloc(n ? n : 1, sizeof *keys);
    double *scores = calloc(n ? n : 1, sizeof *scores);
    int rc = keys && scores ? 0 : -1;
    const cJSON *p;
    cJSON_ArrayForEach(p, points)
    {
        const cJSON *key = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(p, "payload"), "tq_key");
        const cJSON *score = cJSON_GetObjectItemCaseSensitive(p, "score");
        if (rc != 0 || !cJSON_IsString(key) || !cJSON_IsNumber(score) ||
            !(keys[k] = strdup(key->valuestring))) {
            rc = -1;
            break;
        }
        scores[k++] = score->valuedouble;
    }
    *hits += k;
    for (size_t j = 0; keys && j < k; j++)
        free(keys[j]);
    free(keys);
    free(scores);
    cJSON_Delete(root);
    return rc;
}

/* ---- the comparison's steps (bench_handwritten_client) ------------------------------ */

static void hand_free(void *session)
{
    if (session) {
        hand_close(session);
        free(session);
    }
}

/* A session in any layout: `per_tenant` 1 for a handle per tenant, `wire` 1 (with it)
 * for the exchange written here. */
static void *hand_new_layout(const bench_target_t *t, const bench_corpus_t *c, int per_tenant,
                             int wire)
{
    hand_client_t *hc = malloc(sizeof *hc);
    int ok = hc && hand_open(hc, t) == 0;
    if (ok && wire) {
        hc->wire = 1;
        curl_easy_setopt(hc->h, CURLOPT_URL, t->url);
        curl_easy_setopt(hc->h, CURLOPT_CONNECT_ONLY, 1L);
    }
    if (ok && per_tenant) {
        hc->tenants = c->w.tenants;
        ok = (hc->per_tenant = calloc(c->w.tenants, sizeof *hc->per_tenant)) != NULL;
    }
    if (!ok) {
        fprintf(stderr, "tenantq-bench: error: hand-written client: out of memory\n");
        hand_free(hc);
        return NULL;
    }
    return hc;
}

static void *hand_new(const bench_target_t *t, const bench_corpus_t *c)
{
    return hand_new_layout(t, c, 0, 0);
}

static void *hand_new_per_tenant(const bench_target_t *t, const bench_corpus_t *c)
{
    return hand_new_layout(t, c, 1, 0);
}

static void *hand_new_wire(const bench_target_t *t, const bench_corpus_t *c)
{
    return hand_new_layout(t, c, 1, 1);
}

static int hand_ingest(void *session, const bench_corpus_t *c)
{
    for (size_t tenant = 0; tenant < c->w.tenants; tenant++) {
        for (size_t from = 0; from < c->w.vectors; from += c->w.batch) {
            size_t n = c->w.vectors - from < c->w.batch ? c->w.vectors - from : c->w.batch;
            if (hand_upsert(session, c, tenant, from, n) != 0) {
                fprintf(stderr, "tenantq-bench: error: hand-written client: upsert of tenant %zu "
                                "failed\n", tenant);
                return -1;
            }
        }
    }
    return 0;
}

static int hand_search_step(void *session, const bench_corpus_t *c, size_t i, uint64_t *hits)
{
    if (hand_search(session, c, i, hits) == 0)
        return 0;
    fprintf(stderr, "tenantq-bench: error: hand-written client: search %zu failed\n", i);
    return -1;
}

const bench_client_t bench_handwritten_client = {"handwritten", hand_new, hand_ingest,
                                                 hand_search_step, hand_free};
const bench_client_t bench_handwritten_tenant_client = {
    "handwritten-per-tenant", hand_new_per_tenant, hand_ingest, hand_search_step, hand_free};
const bench_client_t bench_handwritten_wire_client = {
    "handwritten-wire", hand_new_wire, hand_ingest, hand_search_step, hand_free};
