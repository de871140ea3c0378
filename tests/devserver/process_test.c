/* process_test.c: devserver behaviour that needs control of the process itself:
 * clean exit on SIGTERM and SIGINT, --snapshot round trip, --request-log lines, fault
 * injection flags, parallel writers and input limits (a 4xx and a live server
 * afterwards, never a crash). Expectations come from the issue text and NOTES.md; the
 * request-log keys and fault semantics the tests assume follow the wording.
 * Every server started here is stopped by its test, or killed by the teardown when
 * the test failed. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "dt_case.h"
#include "dt_json_match.h"
#include "dt_jwt.h"

typedef struct proc {
    dt_ctx_t ctx;
    dt_case_t c;
    char dir[64];   /* scratch directory, "" when none */
    char file[128]; /* the one file a test keeps in it */
} proc_t;

static void start(proc_t *p, dt_profile_t profile, const char *const *args) {
    p->c.name = "process";
    p->c.profile = profile;
    p->ctx.c = &p->c;
    dt_profile_env(profile);
    int rc = tq_test_server_start(&p->ctx.srv, args);
    dt_profile_env(DT_PLAIN);
    if (rc != 0) fail_msg("tenantq-devserver did not start");
}

/* Makes a scratch directory and returns the path of `name` inside it (kept in
 * p->file); teardown removes both. */
static const char *scratch_file(proc_t *p, const char *name) {
    snprintf(p->dir, sizeof p->dir, "/tmp/tq-devserver-test-XXXXXX");
    if (!mkdtemp(p->dir)) fail_msg("mkdtemp: %s", strerror(errno));
    snprintf(p->file, sizeof p->file, "%s/%s", p->dir, name);
    return p->file;
}

static int proc_setup(void **state) {
    proc_t *p = calloc(1, sizeof *p);
    *state = p;
    return p ? 0 : -1;
}

/* Stops a server a failed test left behind (SIGKILL: its exit status no longer
 * matters) and removes its scratch directory. */
static int proc_teardown(void **state) {
    proc_t *p = *state;
    if (p->ctx.srv.pid > 0) {
        kill(p->ctx.srv.pid, SIGKILL);
        waitpid(p->ctx.srv.pid, NULL, 0);
    }
    if (p->dir[0]) {
        unlink(p->file);
        rmdir(p->dir);
    }
    dt_ctx_release(&p->ctx);
    free(p);
    return 0;
}

/* Starts a plain server with `args` and creates collection `c` (`dims` dims, Dot). */
static void start_with_c(proc_t *p, const char *const *args, int dims) {
    start(p, DT_PLAIN, args);
    char body[64];
    snprintf(body, sizeof body, "{'vectors':{'size':%d,'distance':'Dot'}}", dims);
    dt_expect_ok(&p->ctx, "PUT", "/collections/c", body, "true");
}

static void expect_health(proc_t *p) {
    dt_response_t *r = &p->ctx.scratch;
    dt_response_free(r);
    dt_send(&p->ctx, "GET", "/healthz", NULL, r);
    dt_check_response(r, 200, DT_TEXT, "healthz check passed", "GET /healthz");
    dt_response_free(r);
}

static void stop_clean(proc_t *p) {
    int rc = tq_test_server_stop(&p->ctx.srv);
    assert_int_equal(rc, 0);
}

/* Stops the server with SIGINT and asserts it exited with status 0. */
static void stop_sigint_clean(proc_t *p) {
    int status = 0;
    kill(p->ctx.srv.pid, SIGINT);
    while (waitpid(p->ctx.srv.pid, &status, 0) < 0 && errno == EINTR) {
    }
    p->ctx.srv.pid = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("devserver did not exit 0 on SIGINT (wait status %d)", status);
}

/* Reads a whole small file (at most 4 MiB); the caller frees it. */
static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4u << 20, len = 0;
    char *buf = malloc(cap + 1);
    if (buf) {
        len = fread(buf, 1, cap, f);
        buf[len] = '\0';
    }
    fclose(f);
    return buf;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- signals ------------------------------------------------------------------ */

static void sigterm_exits_zero(void **state) {
    proc_t *p = *state;
    start_with_c(p, NULL, 2);
    if (strncmp(p->ctx.srv.url, "http://127.0.0.1:", 17) != 0)
        fail_msg("default bind should be 127.0.0.1, listening on %s", p->ctx.srv.url);
    stop_clean(p);
}

static void host_flag(void **state) {
    proc_t *p = *state;
    const char *const args[] = {"--host", "127.0.0.1", NULL};
    start(p, DT_PLAIN, args);
    if (strncmp(p->ctx.srv.url, "http://127.0.0.1:", 17) != 0)
        fail_msg("--host 127.0.0.1 gave %s", p->ctx.srv.url);
    expect_health(p);
    stop_clean(p);
}

static void sigint_exits_zero(void **state) {
    proc_t *p = *state;
    start(p, DT_PLAIN, NULL);
    expect_health(p);
    stop_sigint_clean(p);
}

/* Starts the devserver with no flags at all and QDRANT__SERVICE__HTTP_PORT=0, reading
 * its "listening on URL" line like tq_test_server_start does. */
static void start_port_from_env(proc_t *p) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        setenv("QDRANT__SERVICE__HTTP_PORT", "0", 1);
        execl(tq_test_devserver_path(), tq_test_devserver_path(), (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    p->ctx.srv.pid = pid;
    p->c.name = "process";
    p->ctx.c = &p->c;
    char line[256];
    size_t len = 0;
    while (len + 1 < sizeof line && read(fds[0], line + len, 1) == 1 && line[len] != '\n') len++;
    line[len] = '\0';
    close(fds[0]);
    static const char prefix[] = "listening on ";
    if (strncmp(line, prefix, sizeof prefix - 1) != 0 ||
        strlen(line) - (sizeof prefix - 1) >= sizeof p->ctx.srv.url)
        fail_msg("unexpected first line: '%s'", line);
    strcpy(p->ctx.srv.url, line + sizeof prefix - 1);
}

static void http_port_from_environment(void **state) {
    proc_t *p = *state;
    start_port_from_env(p);
    if (strcmp(p->ctx.srv.url, "http://127.0.0.1:6333") == 0)
        fail_msg("QDRANT__SERVICE__HTTP_PORT=0 ignored: listening on the default port");
    expect_health(p);
    stop_clean(p);
}

/* ---- snapshot ----------------------------------------------------------------- */

static void snapshot_round_trip(void **state) {
    proc_t *p = *state;
    const char *file = scratch_file(p, "snap.bin");
    const char *const args[] = {"--snapshot", file, NULL};

    start(p, DT_PLAIN, args);
    dt_expect_ok(&p->ctx, "PUT", "/collections/kb", "{'vectors':{'size':3,'distance':'Cosine'}}",
                 "true");
    dt_expect_ok(&p->ctx, "PUT", "/collections/kb/index?wait=true",
                 "{'field_name':'tenant','field_schema':{'type':'keyword','is_tenant':true}}",
                 "{'status':'completed'}");
    dt_expect_ok(&p->ctx, "PUT", "/collections/kb/points?wait=true",
                 "{'points':[{'id':7,'vector':[3,4,0],'payload':{'tenant':'a','doc':{'t':'x'}}},"
                 "{'id':'936DA01F9ABD4D9D80C702AF85C822A8','vector':[0,0,2],"
                 "'payload':{'tenant':'b','tags':['p','q']}}]}",
                 "{'status':'completed'}");
    dt_expect_ok(&p->ctx, "PUT", "/collections/empty", "{'vectors':{'size':2,'distance':'Euclid'}}",
                 "true");
    stop_clean(p);

    struct stat st;
    assert_int_equal(stat(file, &st), 0);
    assert_true(st.st_size > 0);

    start(p, DT_PLAIN, args);
    dt_expect_ok(&p->ctx, "GET", "/collections", NULL,
                 "{'collections':['@unordered',{'name':'kb'},{'name':'empty'}]}");
    dt_expect_ok(&p->ctx, "GET", "/collections/kb", NULL,
                 "{'points_count':2,'config':{'params':{'vectors':{'size':3,'distance':'Cosine'}}},"
                 "'payload_schema':{'tenant':{'data_type':'keyword','params':{'is_tenant':true}}}}");
    dt_expect_ok(&p->ctx, "POST", "/collections/kb/points/scroll", "{'with_vector':true}",
                 "{'points':[{'id':7,'payload':{'@only':true,'tenant':'a','doc':{'t':'x'}},"
                 "'vector':[0.6,0.8,0]},{'id':'936da01f-9abd-4d9d-80c7-02af85c822a8',"
                 "'payload':{'@only':true,'tenant':'b','tags':['p','q']},'vector':[0,0,1]}],"
                 "'next_page_offset':null}");
    dt_expect_ok(&p->ctx, "POST", "/collections/kb/points/query",
                 "{'query':[0,0,1],'limit':1,'filter':{'must':[{'key':'tenant','match':"
                 "{'value':'b'}}]}}",
                 "{'points':[{'id':'936da01f-9abd-4d9d-80c7-02af85c822a8','score':1}]}");
    dt_expect_ok(&p->ctx, "GET", "/collections/empty", NULL,
                 "{'config':{'params':{'vectors':{'size':2,'distance':'Euclid'}}}}");
    /* Writes after a restore are saved again. */
    dt_expect_ok(&p->ctx, "DELETE", "/collections/empty", NULL, "true");
    stop_clean(p);
    start(p, DT_PLAIN, args);
    dt_expect_ok(&p->ctx, "GET", "/collections", NULL, "{'collections':[{'name':'kb'}]}");
    stop_clean(p);
}

/* Sparse vectors (with their idf modifier), metadata and a text index survive a restart:
 * the IDF score of the restored points equals the one before (query {1: 1} on three
 * points, two listing index 1: 2 * ln((3 - 2 + 0.5) / (2 + 0.5) + 1) = 0.9400073). */
static void snapshot_sparse_and_metadata(void **state) {
    proc_t *p = *state;
    const char *file = scratch_file(p, "snap.bin");
    const char *const args[] = {"--snapshot", file, NULL};
    static const char query[] = "{'query':{'indices':[1],'values':[1]},'using':'s','limit':1}";
    static const char scored[] = "{'points':[{'id':2,'score':0.9400073}]}";
    start(p, DT_PLAIN, args);
    dt_expect_ok(&p->ctx, "PUT", "/collections/h",
                 "{'vectors':{'d':{'size':2,'distance':'Dot'}},"
                 "'sparse_vectors':{'s':{'modifier':'idf'}},'metadata':{'rev':1,'x':'y'}}",
                 "true");
    dt_expect_ok(&p->ctx, "PUT", "/collections/h/index?wait=true",
                 "{'field_name':'body','field_schema':{'type':'text','tokenizer':'word'}}",
                 "{'status':'completed'}");
    dt_expect_ok(&p->ctx, "PUT", "/collections/h/points?wait=true",
                 "{'points':[{'id':1,'vector':{'d':[1,0],'s':{'indices':[3000000000,1],"
                 "'values':[0.5,0.25]}},'payload':{'body':'Disk full'}},"
                 "{'id':2,'vector':{'s':{'indices':[1],'values':[2]}}},"
                 "{'id':3,'vector':{'s':{'indices':[7],'values':[1]}}}]}",
                 "{'status':'completed'}");
    dt_expect_ok(&p->ctx, "POST", "/collections/h/points/query", query, scored);
    stop_clean(p);
    start(p, DT_PLAIN, args);
    dt_expect_ok(&p->ctx, "POST", "/collections/h/points/query", query, scored);
    dt_expect_ok(&p->ctx, "GET", "/collections/h", NULL,
                 "{'config':{'params':{'sparse_vectors':{'s':{'modifier':'idf'}}},"
                 "'metadata':{'@only':true,'rev':1,'x':'y'}}}");
    dt_expect_ok(&p->ctx, "POST", "/collections/h/points", "{'ids':[1],'with_vector':true}",
                 "[{'id':1,'vector':{'d':[1,0],'s':{'indices':[1,3000000000],'values':[0.25,0.5]}}}]");
    dt_expect_ok(&p->ctx, "POST", "/collections/h/points/count",
                 "{'filter':{'must':[{'key':'body','match':{'text':'FULL'}}]}}", "{'count':1}");
    stop_clean(p);
}

static void snapshot_saved_on_sigint(void **state) {
    proc_t *p = *state;
    const char *file = scratch_file(p, "snap.bin");
    const char *const args[] = {"--snapshot", file, NULL};
    start(p, DT_PLAIN, args);
    dt_expect_ok(&p->ctx, "PUT", "/collections/c", "{'vectors':{'size':2,'distance':'Dot'}}",
                 "true");
    dt_expect_ok(&p->ctx, "PUT", "/collections/c/points?wait=true",
                 "{'points':[{'id':3,'vector':[1,2],'payload':{'k':'v'}}]}", "{'status':'completed'}");
    stop_sigint_clean(p);
    start(p, DT_PLAIN, args);
    dt_expect_ok(&p->ctx, "POST", "/collections/c/points", "{'ids':[3],'with_vector':true}",
                 "[{'id':3,'payload':{'k':'v'},'vector':[1,2]}]");
    stop_clean(p);
}

static void snapshot_missing_file_starts_empty(void **state) {
    proc_t *p = *state;
    const char *file = scratch_file(p, "none.bin");
    const char *const args[] = {"--snapshot", file, NULL};
    start(p, DT_PLAIN, args);
    dt_expect_ok(&p->ctx, "GET", "/collections", NULL, "{'collections':[]}");
    stop_clean(p);
}

/* ---- request log -------------------------------------------------------------- */

/* Finds the log line with this method, path and status; NULL when none. */
static const cJSON *find_line(cJSON *const *lines, int n, const char *method, const char *path,
                              int status) {
    for (int i = 0; i < n; i++) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(lines[i], "method");
        const cJSON *pa = cJSON_GetObjectItemCaseSensitive(lines[i], "path");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(lines[i], "status");
        if (cJSON_IsString(m) && cJSON_IsString(pa) && cJSON_IsNumber(s) &&
            strcmp(m->valuestring, method) == 0 && strcmp(pa->valuestring, path) == 0 &&
            (int)s->valuedouble == status)
            return lines[i];
    }
    return NULL;
}

static void expect_line(cJSON *const *lines, int n, const char *method, const char *path,
                        int status, const char *pattern) {
    const cJSON *line = find_line(lines, n, method, path, status);
    if (!line) fail_msg("request log has no line for %s %s -> %d", method, path, status);
    char *pat_text = dt_json_quotes(pattern);
    cJSON *pat = cJSON_Parse(pat_text);
    free(pat_text);
    assert_non_null(pat);
    char why[512];
    bool ok = dt_json_match(pat, line, why, sizeof why);
    cJSON_Delete(pat);
    if (!ok) fail_msg("request log line for %s %s: %s", method, path, why);
}

static void request_log_lines(void **state) {
    proc_t *p = *state;
    const char *file = scratch_file(p, "requests.jsonl");
    const char *const args[] = {"--request-log", file, NULL};
    start(p, DT_AUTH, args);

    char url[256], token[2048], auth[2100];
    const char *none[] = {NULL};
    dt_response_t r;
    snprintf(url, sizeof url, "%s/collections", p->ctx.srv.url);
    dt_http("GET", url, none, NULL, 0, &r);
    assert_int_equal(r.status, 401);
    dt_response_free(&r);
    dt_expect_ok(&p->ctx, "PUT", "/collections/c?timeout=5",
                 "{'vectors':{'size':2,'distance':'Dot'}}", "true");
    assert_int_equal(dt_jwt_mint("HS256", DT_ADMIN_KEY,
                                 "{\"access\":[{\"collection\":\"c\",\"access\":\"r\"}]}", true,
                                 600, token, sizeof token),
                     0);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *jwt_headers[] = {auth, NULL};
    snprintf(url, sizeof url, "%s/collections/c/points/scroll", p->ctx.srv.url);
    dt_http("POST", url, jwt_headers, "{}", 2, &r);
    assert_int_equal(r.status, 200);
    dt_response_free(&r);
    snprintf(url, sizeof url, "%s/collections/d", p->ctx.srv.url);
    dt_http("GET", url, jwt_headers, NULL, 0, &r);
    assert_int_equal(r.status, 403);
    dt_response_free(&r);
    snprintf(url, sizeof url, "%s/collections", p->ctx.srv.url);
    const char *ro[] = {"api-key: " DT_RO_KEY, NULL};
    dt_http("GET", url, ro, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    dt_response_free(&r);
    stop_clean(p);

    char *text = read_file(file);
    if (!text) fail_msg("no request log at %s", file);
    cJSON *lines[64] = {0};
    int n = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line && n < 64;
         line = strtok_r(NULL, "\n", &save)) {
        lines[n] = cJSON_Parse(line);
        if (!cJSON_IsObject(lines[n])) fail_msg("request log line is not a JSON object: %s", line);
        n++;
    }
    assert_true(n >= 5);
    expect_line(lines, n, "GET", "/collections", 401, "{'credential':'none'}");
    expect_line(lines, n, "PUT", "/collections/c", 200, "{'credential':'api_key'}");
    expect_line(lines, n, "POST", "/collections/c/points/scroll", 200,
                "{'credential':'jwt','jwt_access':[{'collection':'c','access':'r'}]}");
    expect_line(lines, n, "GET", "/collections/d", 403,
                "{'credential':'jwt','jwt_access':[{'collection':'c','access':'r'}]}");
    expect_line(lines, n, "GET", "/collections", 200, "{'credential':'read_only_key'}");
    for (int i = 0; i < n; i++) cJSON_Delete(lines[i]);
    free(text);
}

/* ---- fault injection ---------------------------------------------------------- */

#define UPSERT "{'points':[{'id':1,'vector':[1,0]}]}"

static long upsert_status(proc_t *p) {
    dt_response_t r;
    char url[256];
    snprintf(url, sizeof url, "%s/collections/c/points", p->ctx.srv.url);
    const char *body = "{\"points\":[{\"id\":1,\"vector\":[1,0]}]}";
    dt_http("PUT", url, NULL, body, strlen(body), &r);
    long status = r.status;
    dt_response_free(&r);
    return status;
}

static void fault_rate_one_fails_point_requests(void **state) {
    proc_t *p = *state;
    const char *const args[] = {"--fault-rate", "1", NULL};
    start_with_c(p, args, 2);
    expect_health(p);
    dt_response_t *r = &p->ctx.scratch;
    dt_response_free(r);
    dt_send(&p->ctx, "PUT", "/collections/c/points?wait=true", UPSERT, r);
    dt_check_response(r, 503, DT_ERR, "", "upsert under --fault-rate 1");
    dt_response_free(r);
    dt_send(&p->ctx, "POST", "/collections/c/points/scroll", "{}", r);
    dt_check_response(r, 503, DT_ERR, "", "scroll under --fault-rate 1");
    dt_response_free(r);
    expect_health(p);
    stop_clean(p);
}

static void faults_off_by_default(void **state) {
    proc_t *p = *state;
    start_with_c(p, NULL, 2);
    for (int i = 0; i < 50; i++) assert_int_equal(upsert_status(p), 200);
    stop_clean(p);
}

static void fault_drop_closes_without_response(void **state) {
    proc_t *p = *state;
    const char *const args[] = {"--fault-drop", "1", NULL};
    start_with_c(p, args, 2);
    expect_health(p);
    char url[256];
    snprintf(url, sizeof url, "%s/collections/c/points/count", p->ctx.srv.url);
    dt_response_t r;
    int rc = dt_http("POST", url, NULL, "{}", 2, &r);
    long status = r.status;
    dt_response_free(&r);
    assert_int_equal(rc, -1);
    assert_int_equal(status, 0);
    expect_health(p);
    stop_clean(p);
}

static void fault_delay_delays_point_requests(void **state) {
    proc_t *p = *state;
    const char *const args[] = {"--fault-delay-ms", "300", NULL};
    start_with_c(p, args, 2);
    double t0 = now_s();
    dt_expect_ok(&p->ctx, "POST", "/collections/c/points/count", "{}", "{'count':0}");
    double elapsed = now_s() - t0;
    if (elapsed < 0.3) fail_msg("point request took %.3f s, --fault-delay-ms 300", elapsed);
    stop_clean(p);
}

static void run_seeded(proc_t *p, long *statuses, int n) {
    const char *const args[] = {"--fault-rate", "0.5", "--fault-seed", "42", NULL};
    start_with_c(p, args, 2);
    for (int i = 0; i < n; i++) statuses[i] = upsert_status(p);
    stop_clean(p);
}

static void fault_seed_is_reproducible(void **state) {
    enum { N = 40 };
    long a[N], b[N];
    proc_t *p = *state;
    run_seeded(p, a, N);
    run_seeded(p, b, N);
    int ok = 0, failed = 0;
    for (int i = 0; i < N; i++) {
        if (a[i] != b[i]) fail_msg("request %d: %ld then %ld with the same seed", i, a[i], b[i]);
        if (a[i] == 200) ok++;
        else if (a[i] == 503) failed++;
        else fail_msg("request %d: unexpected status %ld", i, a[i]);
    }
    if (ok == 0 || failed == 0)
        fail_msg("--fault-rate 0.5 gave %d successes and %d faults in %d requests", ok, failed, N);
}

/* ---- concurrency -------------------------------------------------------------- */

enum { WRITERS = 8, WRITES_EACH = 50 };

typedef struct writer {
    const char *url;
    int index;
    int failures;
} writer_t;

static void *write_points(void *arg) {
    writer_t *w = arg;
    char url[256], body[128];
    snprintf(url, sizeof url, "%s/collections/c/points?wait=true", w->url);
    for (int i = 0; i < WRITES_EACH; i++) {
        int id = w->index * WRITES_EACH + i + 1;
        int len = snprintf(body, sizeof body,
                           "{\"points\":[{\"id\":%d,\"vector\":[%d,1],\"payload\":{\"w\":%d}}]}",
                           id, id, w->index);
        dt_response_t r;
        dt_http("PUT", url, NULL, body, (size_t)len, &r);
        if (r.status != 200) w->failures++;
        dt_response_free(&r);
    }
    return NULL;
}

/* Parallel writers on separate connections, on a server started with `args`: every
 * write lands exactly once. */
static void expect_concurrent_upserts(proc_t *p, const char *const *args) {
    start_with_c(p, args, 2);
    pthread_t threads[WRITERS];
    writer_t writers[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        writers[i] = (writer_t){p->ctx.srv.url, i, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, write_points, &writers[i]), 0);
    }
    int failures = 0;
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(threads[i], NULL);
        failures += writers[i].failures;
    }
    assert_int_equal(failures, 0);
    char count[64];
    snprintf(count, sizeof count, "{'count':%d}", WRITERS * WRITES_EACH);
    dt_expect_ok(&p->ctx, "POST", "/collections/c/points/count", "{}", count);
    dt_expect_ok(&p->ctx, "POST", "/collections/c/points/count",
                 "{'filter':{'must':[{'key':'w','match':{'value':3}}]}}", "{'count':50}");
    dt_expect_ok(&p->ctx, "POST", "/collections/c/points/query", "{'query':[1,0],'limit':1}",
                 "{'points':[{'id':400,'score':400}]}");
    stop_clean(p);
}

static void concurrent_upserts(void **state) {
    expect_concurrent_upserts(*state, NULL);
}

/* Eight connections on one worker: it multiplexes them, none starves. */
static void concurrent_upserts_one_worker(void **state) {
    const char *const args[] = {"--max-workers", "1", NULL};
    expect_concurrent_upserts(*state, args);
}

static void concurrent_upserts_four_workers(void **state) {
    const char *const args[] = {"--max-workers", "4", NULL};
    expect_concurrent_upserts(*state, args);
}

typedef struct delayed {
    const char *url;
    long status;
} delayed_t;

static void *count_points(void *arg) {
    delayed_t *d = arg;
    char url[256];
    snprintf(url, sizeof url, "%s/collections/c/points/count", d->url);
    dt_response_t r;
    dt_http("POST", url, NULL, "{}", 2, &r);
    d->status = r.status;
    dt_response_free(&r);
    return NULL;
}

/* --fault-delay-ms sleeps inside the worker (docs/devserver.md, "Workers"): with one
 * worker, two delayed requests on two connections are answered one after the other. */
static void one_worker_serialises_delayed_requests(void **state) {
    proc_t *p = *state;
    const char *const args[] = {"--max-workers", "1", "--fault-delay-ms", "200", NULL};
    start_with_c(p, args, 2);
    pthread_t threads[2];
    delayed_t d[2] = {{p->ctx.srv.url, 0}, {p->ctx.srv.url, 0}};
    double t0 = now_s();
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, count_points, &d[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    double elapsed = now_s() - t0;
    assert_int_equal(d[0].status, 200);
    assert_int_equal(d[1].status, 200);
    if (elapsed < 0.4) fail_msg("two delayed requests on one worker took %.3f s", elapsed);
    stop_clean(p);
}

/* Runs the devserver with `flag value` (or, flag NULL, with `env`=value) and returns
 * its exit status; its stderr goes to `err`. */
static int run_with_bad_value(const char *flag, const char *env, const char *value, char *err,
                              size_t errlen) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        if (env) setenv(env, value, 1);
        const char *dev = tq_test_devserver_path();
        if (flag)
            execl(dev, dev, "--port", "0", flag, value, (char *)NULL);
        else
            execl(dev, dev, "--port", "0", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    ssize_t n = read(fds[0], err, errlen - 1);
    err[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void max_workers_bad_values_refused(void **state) {
    (void)state;
    const char *const bad[] = {"-1", "x", "", "1025", "2 "};
    char err[512];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = run_with_bad_value("--max-workers", NULL, bad[i], err, sizeof err);
        if (rc != 2 || !strstr(err, "invalid --max-workers"))
            fail_msg("--max-workers '%s': exit %d, stderr '%s'", bad[i], rc, err);
        rc = run_with_bad_value(NULL, "QDRANT__SERVICE__MAX_WORKERS", bad[i], err, sizeof err);
        if (rc != 2 || !strstr(err, "invalid QDRANT__SERVICE__MAX_WORKERS"))
            fail_msg("QDRANT__SERVICE__MAX_WORKERS='%s': exit %d, stderr '%s'", bad[i], rc, err);
    }
}

/* ---- limits ------------------------------------------------------------------- */

static void expect_4xx_then_alive(proc_t *p, const char *method, const char *path,
                                  const char *body, size_t len, const char *what) {
    char url[512];
    snprintf(url, sizeof url, "%s%s", p->ctx.srv.url, path);
    dt_response_t r;
    dt_http(method, url, NULL, body, len, &r);
    long status = r.status;
    dt_response_free(&r);
    if (status < 400 || status > 499) fail_msg("%s: HTTP %ld, expected a 4xx", what, status);
    expect_health(p);
}

static void limits_oversized_body(void **state) {
    proc_t *p = *state;
    start_with_c(p, NULL, 2);
    size_t len = 40u << 20;
    char *body = malloc(len);
    assert_non_null(body);
    memset(body, ' ', len);
    memcpy(body, "{\"points\":[", 11);
    body[len - 2] = ']';
    body[len - 1] = '}';
    expect_4xx_then_alive(p, "PUT", "/collections/c/points", body, len, "40 MiB body");
    free(body);
    stop_clean(p);
}

static void limits_max_body_bytes_flag(void **state) {
    proc_t *p = *state;
    const char *const args[] = {"--max-body-bytes", "4096", NULL};
    start_with_c(p, args, 2);
    char body[8192];
    int n = snprintf(body, sizeof body, "{\"points\":[{\"id\":1,\"vector\":[1,0],\"payload\":{\"s\":\"");
    memset(body + n, 'x', 5000);
    n += 5000;
    n += snprintf(body + n, sizeof body - (size_t)n, "\"}}]}");
    expect_4xx_then_alive(p, "PUT", "/collections/c/points", body, (size_t)n, "5 KB body over 4096");
    dt_expect_ok(&p->ctx, "PUT", "/collections/c/points?wait=true",
                 "{'points':[{'id':1,'vector':[1,0],'payload':{'s':'small'}}]}",
                 "{'status':'completed'}");
    stop_clean(p);
}

static void limits_deep_json(void **state) {
    proc_t *p = *state;
    start_with_c(p, NULL, 2);
    size_t depth = 200000;
    char *body = malloc(2 * depth + 64);
    assert_non_null(body);
    size_t n = (size_t)sprintf(body, "{\"filter\":");
    for (size_t i = 0; i < depth; i++) body[n++] = '[';
    for (size_t i = 0; i < depth; i++) body[n++] = ']';
    body[n++] = '}';
    expect_4xx_then_alive(p, "POST", "/collections/c/points/scroll", body, n, "deep arrays");
    n = 0;
    for (size_t i = 0; i < depth / 5; i++) n += (size_t)sprintf(body + n, "{\"a\":");
    expect_4xx_then_alive(p, "PUT", "/collections/c/points", body, n, "deep objects");
    free(body);
    stop_clean(p);
}

static void limits_huge_dimension(void **state) {
    proc_t *p = *state;
    start(p, DT_PLAIN, NULL);
    static const char *const sizes[] = {"1000000000000", "18446744073709551615", "4294967297",
                                        "65537"};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char body[128];
        int len = snprintf(body, sizeof body, "{\"vectors\":{\"size\":%s,\"distance\":\"Dot\"}}",
                           sizes[i]);
        expect_4xx_then_alive(p, "PUT", "/collections/huge", body, (size_t)len, sizes[i]);
    }
    dt_expect_ok(&p->ctx, "GET", "/collections/huge/exists", NULL, "{'exists':false}");
    stop_clean(p);
}

static void limits_garbage_bodies(void **state) {
    proc_t *p = *state;
    start_with_c(p, NULL, 2);
    static const char *const bodies[] = {
        "", "null", "[]", "\"x\"", "{\"points\":null}", "{\"points\":[null]}",
        "{\"points\":[{\"id\":1}]}", "{\"points\":[{\"id\":1,\"vector\":\"ab\"}]}",
        "{\"points\":[{\"id\":1,\"vector\":[1,\"a\"]}]}", "{\"points\":[{\"id\":1,\"vector\":[1e999,0]}]}",
        "{\"points\":[{\"id\":{},\"vector\":[1,0]}]}"};
    static const char binary[] = "\xff\xfe\x00garbage";
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "garbage body #%zu", i);
        expect_4xx_then_alive(p, "PUT", "/collections/c/points", bodies[i], strlen(bodies[i]),
                              what);
    }
    expect_4xx_then_alive(p, "PUT", "/collections/c/points", binary, sizeof binary - 1,
                          "binary body");
    dt_expect_ok(&p->ctx, "POST", "/collections/c/points/count", "{}", "{'count':0}");
    stop_clean(p);
}

static void limits_too_many_points(void **state) {
    proc_t *p = *state;
    start_with_c(p, NULL, 1);
    size_t count = 1000001, cap = count * 8 + 64, n = 0;
    char *body = malloc(cap);
    assert_non_null(body);
    n += (size_t)sprintf(body, "{\"batch\":{\"ids\":[");
    for (size_t i = 0; i < count; i++) n += (size_t)sprintf(body + n, i ? ",%zu" : "%zu", i % 10);
    n += (size_t)sprintf(body + n, "],\"vectors\":[");
    size_t room = cap - n;
    if (room < count * 4 + 8) {
        free(body);
        fail_msg("buffer sizing");
    }
    for (size_t i = 0; i < count; i++) {
        memcpy(body + n, i ? ",[1]" : "[1]", i ? 4 : 3);
        n += i ? 4 : 3;
    }
    n += (size_t)sprintf(body + n, "]}}");
    expect_4xx_then_alive(p, "PUT", "/collections/c/points", body, n, "a million points");
    free(body);
    stop_clean(p);
}

/* GET /collections with `token` as bearer; the HTTP status, the body into *body_out
 * (caller frees) when body_out is not NULL. */
static long bearer_status(proc_t *p, const char *token, char **body_out) {
    dt_response_t r;
    char url[256], auth[1024];
    snprintf(url, sizeof url, "%s/collections", p->ctx.srv.url);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *const headers[] = {auth, NULL};
    dt_http("GET", url, headers, NULL, 0, &r);
    long status = r.status;
    if (body_out) *body_out = r.body ? strdup(r.body) : NULL;
    dt_response_free(&r);
    return status;
}

/* The server remembers tokens it verified (docs/devserver.md), but `exp` is checked on
 * every use: a token accepted (twice, the second time from the cache) just inside the
 * 30 s leeway is refused once the leeway has run out, and a token signed with another
 * key is refused before and after the same bytes with the right key were accepted. */
static void jwt_verified_token_still_expires(void **state) {
    proc_t *p = *state;
    start(p, DT_AUTH, NULL);
    char token[1024], forged[1024];
    /* exp 28 s ago: accepted while now <= mint + 2 s, refused from mint + 3 s. */
    assert_int_equal(dt_jwt_mint("HS256", DT_ADMIN_KEY, "{\"access\":\"r\"}", true, -28, token,
                                 sizeof token), 0);
    assert_int_equal(dt_jwt_mint("HS256", "some-other-secret", "{\"access\":\"m\"}", true, 600,
                                 forged, sizeof forged), 0);
    assert_int_equal(bearer_status(p, forged, NULL), 403);
    assert_int_equal(bearer_status(p, token, NULL), 200);
    assert_int_equal(bearer_status(p, token, NULL), 200);
    assert_int_equal(bearer_status(p, forged, NULL), 403);
    struct timespec wait = {3, 600000000L};
    while (nanosleep(&wait, &wait) != 0) {
    }
    char *body = NULL;
    assert_int_equal(bearer_status(p, token, &body), 403);
    assert_non_null(body);
    assert_non_null(strstr(body, "ExpiredSignature"));
    free(body);
    stop_clean(p);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sigterm_exits_zero, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(sigint_exits_zero, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(host_flag, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(http_port_from_environment, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(snapshot_round_trip, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(snapshot_sparse_and_metadata, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(snapshot_saved_on_sigint, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(snapshot_missing_file_starts_empty, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(request_log_lines, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(fault_rate_one_fails_point_requests, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(faults_off_by_default, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(fault_drop_closes_without_response, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(fault_delay_delays_point_requests, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(fault_seed_is_reproducible, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(concurrent_upserts, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(concurrent_upserts_one_worker, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(concurrent_upserts_four_workers, proc_setup,
                                        proc_teardown),
        cmocka_unit_test_setup_teardown(one_worker_serialises_delayed_requests, proc_setup,
                                        proc_teardown),
        cmocka_unit_test_setup_teardown(max_workers_bad_values_refused, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(limits_oversized_body, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(limits_max_body_bytes_flag, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(limits_deep_json, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(limits_huge_dimension, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(limits_garbage_bodies, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(limits_too_many_points, proc_setup, proc_teardown),
        cmocka_unit_test_setup_teardown(jwt_verified_token_still_expires, proc_setup,
                                        proc_teardown),
    };
    int failed = cmocka_run_group_tests_name("process", tests, NULL, NULL);
    curl_global_cleanup();
    return failed == 0 ? 0 : 1;
}
