/* live_wire.c: the runtime's own HTTP/1.1 exchange against a server on raw sockets
 * (late_server.c's scripts): chunked and close-framed answers, a kept connection the
 * server closed, answers cut short or malformed, and an answer sent before the request
 * was all read. The answers are written byte for byte, as no HTTP library would. */
#include "test_common.h"

#include "client.h"
#include "http.h"
#include "late_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(n) "{\"result\":{\"count\":" #n "},\"status\":\"ok\",\"time\":0}"
#define SIZED(n) "HTTP/1.1 200 OK\r\nContent-Length: 45\r\n\r\n" COUNT(n)

typedef struct env {
    late_server_t *server;
    tq_registry_t *registry;
    tq_client_t *client;
    tenant_ctx_t *acme;
} env_t;

static void open_env(env_t *e, const late_step_t *steps, size_t count, int max_retries)
{
    memset(e, 0, sizeof *e);
    e->server = late_start_script(steps, count);
    assert_non_null(e->server);
    setenv("TENANTQ_QDRANT_URL", late_url(e->server), 1);
    unsetenv("TENANTQ_QDRANT_API_KEY");
    const char *json = "{\"version\":1,\"tenants\":{\"acme\":{}}}";
    tq_detail_t d;
    tq_client_options_t o;
    tq_client_options_init(&o);
    o.skip_schema_check = 1; /* the scripts answer the data requests only */
    o.retry_base_ms = 1;
    o.retry_max_ms = 4;
    o.max_retries = max_retries;
    o.total_timeout_ms = 3000;
    assert_int_equal(tq_registry_parse(json, strlen(json), "t", &e->registry, &d), TQ_OK);
    assert_int_equal(tq_client_new(e->registry, &o, &e->client, &d), TQ_OK);
    assert_int_equal(tq_ctx_new(e->client, "acme", &e->acme, &d), TQ_OK);
}

static void close_env(env_t *e)
{
    tq_ctx_free(e->acme);
    tq_client_free(e->client);
    tq_registry_free(e->registry);
    late_stop(e->server);
}

static tq_status_t count(env_t *e, uint64_t *n, tq_detail_t *d)
{
    static const char *scope[] = {"t"};
    *n = 0;
    return tq_raw_count(e->acme, &tq_test_docs, scope, NULL, n, d);
}

static void expect_count(env_t *e, uint64_t want)
{
    uint64_t n;
    tq_detail_t d;
    tq_status_t st = count(e, &n, &d);
    if (st != TQ_OK)
        fail_msg("count: status %d: %s", (int)st, d.message);
    assert_int_equal(n, want);
}

/* Runs `count_n` counts against the script with retries off: each must give its
 * count, over `connections` connections and `requests` requests in all. */
static void expect_counts(const late_step_t *steps, size_t step_n, const uint64_t *counts,
                          size_t count_n, unsigned connections, unsigned requests)
{
    env_t e;
    open_env(&e, steps, step_n, 0);
    for (size_t i = 0; i < count_n; i++)
        expect_count(&e, counts[i]);
    assert_int_equal(late_connections(e.server), connections);
    assert_int_equal(late_requests(e.server), requests);
    close_env(&e);
}

static void chunked_answers_keep_the_connection(void **state)
{
    (void)state;
    static const late_step_t steps[] = {
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
         "a;ext=1\r\n{\"result\":\r\n20\r\n{\"count\":5},\"status\":\"ok\",\"time\"\r\n"
         "2\r\n:0\r\n1\r\n}\r\n0\r\nX-Trailer: yes\r\n\r\n",
         0, 0, NULL},
        {SIZED(6), 0, 0, NULL},
    };
    static const uint64_t counts[] = {5, 6};
    expect_counts(steps, 2, counts, 2, 1, 2);
}

static void close_framed_answers_end_the_connection(void **state)
{
    (void)state;
    static const late_step_t steps[] = {
        {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" COUNT(3), 1, 0, NULL},
        {"HTTP/1.0 200 OK\r\nContent-Length: 45\r\n\r\n" COUNT(4), 0, 0, NULL},
        {SIZED(7), 0, 0, NULL},
    };
    static const uint64_t counts[] = {3, 4, 7}; /* HTTP/1.0: the connection is not kept */
    expect_counts(steps, 3, counts, 3, 3, 3);
}

/* A kept connection the server closes as the request arrives (an idle timeout racing
 * the request) is not a failure: the request goes once more on a new connection, with
 * retries off, as libcurl did. */
static void a_closed_kept_connection_is_replaced(void **state)
{
    (void)state;
    static const late_step_t steps[] = {
        {SIZED(1), 0, 0, NULL}, {NULL, 0, 0, NULL}, {SIZED(2), 0, 0, NULL}};
    static const uint64_t counts[] = {1, 2};
    expect_counts(steps, 3, counts, 2, 2, 3);
}

/* An answer cut short by the close is a dropped connection: retried when allowed. */
static void answers_cut_short_are_retried(void **state)
{
    (void)state;
    static const late_step_t steps[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n{\"result\":", 1, 0, NULL},
        {SIZED(9), 0, 0, NULL},
    };
    env_t e;
    open_env(&e, steps, 2, 2);
    expect_count(&e, 9);
    assert_int_equal(late_requests(e.server), 2);
    close_env(&e);

    open_env(&e, steps, 2, 0);
    uint64_t n;
    tq_detail_t d;
    assert_int_equal(count(&e, &n, &d), TQ_ECONNECT);
    assert_non_null(strstr(d.message, "closed before the answer was complete"));
    assert_int_equal(late_requests(e.server), 1);
    close_env(&e);
}

static void malformed_answers_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *reply, *why;
    } cases[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 45\r\nContent-Length: 44\r\n\r\n" COUNT(1),
         "two different Content-Length headers"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 45\r\nTransfer-Encoding: chunked\r\n\r\n" COUNT(1),
         "both Transfer-Encoding and Content-Length"},
        {"HTTP/2 200\r\nContent-Length: 45\r\n\r\n" COUNT(1), "status line"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk-size line"},
        {"HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 45\r\n\r\n" COUNT(1), "folded"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        late_step_t steps[] = {{cases[i].reply, 0, 0, NULL}};
        env_t e;
        open_env(&e, steps, 1, 3);
        uint64_t n;
        tq_detail_t d;
        assert_int_equal(count(&e, &n, &d), TQ_EPROTO);
        if (!strstr(d.message, "malformed HTTP answer") || !strstr(d.message, cases[i].why))
            fail_msg("case %zu: \"%s\"", i, d.message);
        assert_int_equal(n, 0);
        assert_int_equal(late_requests(e.server), 1); /* not retried */
        close_env(&e);
    }
}

/* PUTs a body of 32 MiB, more than the socket buffers on both sides hold, through
 * tq_http_perform against the two-step script `steps`; the call must end with `want`,
 * HTTP status `want_http` and `want_text` in its answer (or its message, when it
 * failed). A count must then give `next`, over `connections` connections in all. */
static void put_big_then_count(const late_step_t *steps, tq_status_t want, long want_http,
                               const char *want_text, uint64_t next, unsigned connections)
{
    env_t e;
    open_env(&e, steps, 2, 0);
    size_t size = 32u << 20;
    char *body = malloc(size + 1);
    assert_non_null(body);
    memset(body, ' ', size);
    body[size] = '\0';
    tq_request_t rq = {.kind = TQ_REQ_POINTS_UPSERT,
                       .method = "PUT",
                       .endpoint = &e.client->endpoints[0],
                       .path = "/collections/kb--acme/points?wait=true",
                       .body = body,
                       .credential = TQ_CRED_NONE,
                       .tenant_slot = 0,
                       .op = TQ_OP_UPSERT};
    tq_response_t out = {0};
    tq_detail_t d;
    tq_status_t st = tq_http_perform(e.client, &rq, &out, &d);
    free(body);
    long http = st == TQ_OK ? out.http_status : d.http_status;
    const char *text = st == TQ_OK ? out.body : d.message;
    if (st != want || http != want_http || !text || !strstr(text, want_text))
        fail_msg("status %d, HTTP %ld: %s", (int)st, http, text ? text : "");
    tq_response_free(&out);
    expect_count(&e, next);
    assert_int_equal(late_connections(e.server), connections);
    close_env(&e);
}

/* A server that answers before it has read the request (here: a body it will never
 * read) is heard while the body is still being sent; without that, the call would
 * end with TQ_ETIMEOUT, sending into a full socket. The connection is not kept: the
 * count goes on a new one. */
static void an_early_answer_is_read(void **state)
{
    (void)state;
    static const late_step_t steps[] = {
        {"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 41\r\n\r\n"
         "{\"status\":{\"error\":\"too large\"},\"time\":0}",
         0, 1, NULL},
        {SIZED(8), 0, 0, NULL},
    };
    put_big_then_count(steps, TQ_EHTTP, 413, "too large", 8, 2);
}

/* An interim answer (100 Continue) sent before the body is read does not stop the
 * sending: the server still waits for the body, then gives the final answer, and the
 * connection is kept for the count. */
static void an_interim_answer_does_not_stop_the_body(void **state)
{
    (void)state;
    static const late_step_t steps[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", 0, 0,
         "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"},
        {SIZED(5), 0, 0, NULL},
    };
    put_big_then_count(steps, TQ_OK, 200, "{}", 5, 1);
}

/* A proxy named by the environment carries the requests as a tunnel (CONNECT to the
 * endpoint), the runtime's bytes passing through unchanged, and the kept connection
 * stays the tunnel. */
static void an_environment_proxy_is_a_tunnel(void **state)
{
    (void)state;
    static const late_step_t steps[] = {{SIZED(1), 0, 0, NULL}, {SIZED(2), 0, 0, NULL}};
    late_server_t *proxy = late_start_tunnel();
    assert_non_null(proxy);
    setenv("http_proxy", late_url(proxy), 1);
    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
    env_t e;
    open_env(&e, steps, 2, 0);
    expect_count(&e, 1);
    expect_count(&e, 2);
    char target[64];
    late_connect_target(proxy, target, sizeof target);
    assert_string_equal(target, late_url(e.server) + strlen("http://"));
    assert_int_equal(late_connections(proxy), 1);
    assert_int_equal(late_connections(e.server), 1);
    close_env(&e);
    unsetenv("http_proxy");
    late_stop(proxy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chunked_answers_keep_the_connection),
        cmocka_unit_test(close_framed_answers_end_the_connection),
        cmocka_unit_test(a_closed_kept_connection_is_replaced),
        cmocka_unit_test(answers_cut_short_are_retried),
        cmocka_unit_test(malformed_answers_are_refused),
        cmocka_unit_test(an_early_answer_is_read),
        cmocka_unit_test(an_interim_answer_does_not_stop_the_body),
        cmocka_unit_test(an_environment_proxy_is_a_tunnel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
