/* evolution_test.c: one kind of schema change, end to end, against tenantq-devserver.
 *
 * Built once per file in schemas/ (EVO_CASE_<NAME> names the change) with the client
 * generated from that file. Each run starts a devserver, lets evo_writer (the client
 * of schemas/base.tqs, a separate process) onboard three tenants and store four points
 * each, and then asserts what docs/migrations.md promises for the change: the points
 * are still found through the new client, or every data call and onboarding is refused
 * with TQ_ESCHEMA and a message naming the collection, the property, both values and
 * the fix, before any point is read or written, and the stored points stay intact. */
#include "evo.tq.h"

#include "devserver_proc.h"
#include "evo_common.h"

#include <curl/curl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

/* Helpers not every change uses. */
#define EVO_HELPER static __attribute__((unused))

typedef struct fixture {
    tq_test_server_t server;
    tq_registry_t *registry;
    tq_client_t *client; /* fresh: it has compared no fingerprint yet */
    tenant_ctx_t *ctx[EVO_TENANTS];
} fixture_t;

/* Runs evo_writer URL MODE; returns its exit status (-1 when it could not run). */
static int run_writer(const char *url, const char *mode)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execl(EVO_WRITER_PATH, "evo_writer", url, mode, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static size_t collect(char *data, size_t size, size_t n, void *user)
{
    char *buf = user;
    size_t used = strlen(buf), add = size * n;
    if (used + add >= 16384)
        add = 16384 - 1 - used;
    memcpy(buf + used, data, add);
    buf[used + add] = '\0';
    return size * n;
}

/* METHOD url+path with an optional JSON body, straight to the server (the test's own
 * view of the collections); the answer goes to `out` (16 KiB). Returns the HTTP status. */
EVO_HELPER long http(const fixture_t *f, const char *method, const char *path, const char *body,
                 char *out)
{
    char url[512];
    long code = 0;
    snprintf(url, sizeof url, "%s%s", f->server.url, path);
    out[0] = '\0';
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    assert_non_null(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (body)
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
    if (curl_easy_perform(curl) == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return code;
}

static void expect_ok(tq_status_t st, const tq_detail_t *d, const char *what)
{
    if (st != TQ_OK)
        print_error("%s: %s (%s)\n", what, tq_status_name(st), d->message);
    assert_int_equal(st, TQ_OK);
}

/* `st` is TQ_ESCHEMA and the detail holds every NULL-terminated substring. */
EVO_HELPER void expect_refusal(tq_status_t st, const tq_detail_t *d, ...)
{
    if (st != TQ_ESCHEMA)
        print_error("expected TQ_ESCHEMA, got %s (%s)\n", tq_status_name(st), d->message);
    assert_int_equal(st, TQ_ESCHEMA);
    va_list ap;
    va_start(ap, d);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) {
        if (!strstr(d->message, s))
            print_error("the message lacks \"%s\": %s\n", s, d->message);
        assert_non_null(strstr(d->message, s));
    }
    va_end(ap);
}

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    tq_detail_t d;
    if (!f || tq_test_server_start(&f->server, NULL) != 0)
        return -1;
#ifndef EVO_CASE_ADOPT
    if (run_writer(f->server.url, "write") != 0) {
        fprintf(stderr, "setup: evo_writer could not store the old points\n");
        return -1;
    }
#endif
    if (evo_registry(f->server.url, &f->registry, &d) != TQ_OK ||
        tq_client_new(f->registry, NULL, &f->client, &d) != TQ_OK) {
        fprintf(stderr, "setup: %s\n", d.message);
        return -1;
    }
    for (int t = 0; t < EVO_TENANTS; t++)
        if (tq_ctx_new(f->client, evo_tenants[t], &f->ctx[t], &d) != TQ_OK)
            return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    for (int t = 0; t < EVO_TENANTS; t++)
        tq_ctx_free(f->ctx[t]);
    tq_client_free(f->client);
    tq_registry_free(f->registry);
    int rc = tq_test_server_stop(&f->server);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* Onboards every tenant with the new client. */
EVO_HELPER void onboard_all(fixture_t *f)
{
    tq_detail_t d;
    for (int t = 0; t < EVO_TENANTS; t++)
        expect_ok(evo_onboard_tenant(f->ctx[t], &d), &d, evo_tenants[t]);
}

/* The collection metadata of `tenant`'s collection holds the new fingerprint. */
EVO_HELPER void expect_stamped(fixture_t *f, const char *collection)
{
    char path[128], body[16384];
    snprintf(path, sizeof path, "/collections/%s", collection);
    assert_int_equal(http(f, "GET", path, NULL, body), 200);
    if (!strstr(body, EVO_CHUNKS_FINGERPRINT))
        print_error("%s is not stamped with %s: %s\n", collection, EVO_CHUNKS_FINGERPRINT, body);
    assert_non_null(strstr(body, EVO_CHUNKS_FINGERPRINT));
}

/* The writer's points are all still there, as the old client reads them. */
EVO_HELPER void expect_old_points_intact(fixture_t *f)
{
    assert_int_equal(run_writer(f->server.url, "check"), 0);
}

#if !defined(EVO_CASE_RETYPE_FIELD) && !defined(EVO_CASE_RENAME_WITHOUT_WAS) &&                 \
    !defined(EVO_CASE_REMOVE_FIELD) && !defined(EVO_CASE_CHANGE_DIM) &&                        \
    !defined(EVO_CASE_CHANGE_DISTANCE) && !defined(EVO_CASE_CHANGE_SCOPE) &&                   \
    !defined(EVO_CASE_NEW_REVISION) && !defined(EVO_CASE_ADOPT) && !defined(EVO_CASE_ADD_SPARSE)
/* The rank field: 'priority', or 'severity' after the rename. */
#ifdef EVO_CASE_RENAME_FIELD
#define RANK severity
#define HAS_RANK has_severity
#else
#define RANK priority
#define HAS_RANK has_priority
#endif

/* Every point the writer stored for tenant `t` is read back through the new client,
 * with its values. */
static void expect_points_found(fixture_t *f, int t)
{
    evo_chunks_records_t r;
    tq_detail_t d;
    memset(&r, 0, sizeof r);
    expect_ok(evo_chunks_get(f->ctx[t], EVO_BOT, evo_keys, EVO_POINTS, 0, &r, &d), &d, "get");
    assert_int_equal(r.count, EVO_POINTS);
    for (size_t i = 0; i < r.count; i++) {
        const evo_chunks_record_t *p = &r.items[i];
        int k = p->key[1] - '0';
        char title[16];
        snprintf(title, sizeof title, "title %d", k);
        assert_true(p->HAS_RANK);
        assert_int_equal(p->RANK, k);
        assert_non_null(p->title);
        assert_string_equal(p->title, title);
        assert_string_equal(p->source, k % 2 ? "web" : "pdf");
    }
    evo_chunks_records_free(&r);
    uint64_t n = 0;
    expect_ok(evo_chunks_count(f->ctx[t], EVO_BOT, NULL, &n, &d), &d, "count");
    assert_int_equal(n, EVO_POINTS);
}

#ifndef EVO_CASE_CHANGE_PLACEMENT
/* Compatible changes: data calls work before and after onboarding, which stamps. */
static void compatible_change(void **state)
{
    fixture_t *f = *state;
    for (int t = 0; t < EVO_TENANTS; t++)
        expect_points_found(f, t); /* before onboarding: no refusal */
    onboard_all(f);
    expect_stamped(f, "evo-chunks--acme");
    expect_stamped(f, "evo-chunks");
    for (int t = 0; t < EVO_TENANTS; t++)
        expect_points_found(f, t);
    /* The old client (schema version 1) still runs against the newer stamps. */
    expect_old_points_intact(f);
}
#endif
#endif

#if defined(EVO_CASE_ADD_FIELD) || defined(EVO_CASE_ADD_INDEXED_FIELD)
/* New points carry the new field; old ones read it as absent. */
static void new_field_written_and_filtered(void **state)
{
    fixture_t *f = *state;
    static const float v[EVO_CHUNKS_DIM] = {1, 1, 0, 0};
    evo_chunks_point_t p;
    evo_chunks_records_t r;
    tq_detail_t d;
    const char *keys[2] = {"k1", "k5"};
    onboard_all(f);
    memset(&p, 0, sizeof p);
    p.key = "k5";
    p.vector = v;
    p.vector_len = EVO_CHUNKS_DIM;
    p.source = "web";
    p.title = "title 5";
    p.lang = "en";
    expect_ok(evo_chunks_upsert(f->ctx[0], EVO_BOT, &p, 1, &d), &d, "upsert");
    memset(&r, 0, sizeof r);
    expect_ok(evo_chunks_get(f->ctx[0], EVO_BOT, keys, 2, 0, &r, &d), &d, "get");
    assert_int_equal(r.count, 2);
    for (size_t i = 0; i < r.count; i++) {
        if (strcmp(r.items[i].key, "k1") == 0)
            assert_null(r.items[i].lang);
        else
            assert_string_equal(r.items[i].lang, "en");
    }
    evo_chunks_records_free(&r);
#ifdef EVO_CASE_ADD_INDEXED_FIELD
    char body[16384];
    uint64_t n = 0;
    evo_chunks_filter_t filter;
    memset(&filter, 0, sizeof filter);
    filter.lang = "en";
    expect_ok(evo_chunks_count(f->ctx[0], EVO_BOT, &filter, &n, &d), &d, "count lang");
    assert_int_equal(n, 1);
    /* onboarding built the new index on the existing collection */
    assert_int_equal(http(f, "GET", "/collections/evo-chunks--acme", NULL, body), 200);
    assert_non_null(strstr(body, "\"lang\""));
#endif
}
#endif

#ifdef EVO_CASE_RENAME_FIELD
/* `count severity >= 3` finds the points written as `priority` (and new ones). */
static void renamed_field_filters(void **state)
{
    fixture_t *f = *state;
    static const float v[EVO_CHUNKS_DIM] = {1, 1, 0, 0};
    const int64_t three = 3;
    evo_chunks_filter_t filter;
    tq_detail_t d;
    uint64_t n = 0;
    memset(&filter, 0, sizeof filter);
    filter.severity_gte = &three;
    for (int t = 0; t < EVO_TENANTS; t++) {
        expect_ok(evo_chunks_count(f->ctx[t], EVO_BOT, &filter, &n, &d), &d, "count");
        assert_int_equal(n, 2);
    }
    onboard_all(f);
    evo_chunks_point_t p;
    memset(&p, 0, sizeof p);
    p.key = "k5";
    p.vector = v;
    p.vector_len = EVO_CHUNKS_DIM;
    p.severity = 7;
    p.has_severity = 1;
    expect_ok(evo_chunks_upsert(f->ctx[1], EVO_BOT, &p, 1, &d), &d, "upsert");
    expect_ok(evo_chunks_count(f->ctx[1], EVO_BOT, &filter, &n, &d), &d, "count");
    assert_int_equal(n, 3);
    const int64_t two = 2;
    filter.severity_gte = NULL;
    filter.severity = &two;
    expect_ok(evo_chunks_count(f->ctx[2], EVO_BOT, &filter, &n, &d), &d, "count");
    assert_int_equal(n, 1);
}
#endif

#ifdef EVO_CASE_ADD_INDEX
static void new_index_filters(void **state)
{
    fixture_t *f = *state;
    evo_chunks_filter_t filter;
    tq_detail_t d;
    uint64_t n = 0;
    char body[16384];
    onboard_all(f);
    assert_int_equal(http(f, "GET", "/collections/evo-chunks--acme", NULL, body), 200);
    assert_non_null(strstr(body, "\"tags\""));
    memset(&filter, 0, sizeof filter);
    filter.tags = "t2";
    for (int t = 0; t < EVO_TENANTS; t++) {
        expect_ok(evo_chunks_count(f->ctx[t], EVO_BOT, &filter, &n, &d), &d, "count");
        assert_int_equal(n, 1);
    }
}
#endif

#ifdef EVO_CASE_ADD_OP
static void new_op_works_on_old_points(void **state)
{
    fixture_t *f = *state;
    const int64_t one = 1;
    evo_chunks_filter_t filter;
    tq_detail_t d;
    uint64_t n = 0;
    memset(&filter, 0, sizeof filter);
    filter.priority = &one;
    expect_ok(evo_chunks_delete_where(f->ctx[0], EVO_BOT, &filter, &d), &d, "delete_where");
    expect_ok(evo_chunks_count(f->ctx[0], EVO_BOT, NULL, &n, &d), &d, "count");
    assert_int_equal(n, EVO_POINTS - 1);
}
#endif

#if defined(EVO_CASE_RETYPE_FIELD) || defined(EVO_CASE_RENAME_WITHOUT_WAS) ||                  \
    defined(EVO_CASE_REMOVE_FIELD) || defined(EVO_CASE_CHANGE_DIM) ||                          \
    defined(EVO_CASE_CHANGE_DISTANCE) || defined(EVO_CASE_CHANGE_SCOPE) ||                     \
    defined(EVO_CASE_ADD_SPARSE)
/* What the refusal must say for acme's collection (then the fix), per change. */
#if defined(EVO_CASE_RETYPE_FIELD)
#define WHAT "the type of field 'priority' is integer on the server but keyword in schema evo"
#define FIX "add a field of the new type under a new name"
#elif defined(EVO_CASE_RENAME_WITHOUT_WAS)
#define WHAT "field 'priority' is stored (integer) on the server but not declared in schema evo"
#define FIX "'field NEW: integer was priority;'"
#elif defined(EVO_CASE_REMOVE_FIELD)
#define WHAT "field 'title' is stored (text) on the server but not declared in schema evo"
#define FIX "'field NEW: text was title;'"
#elif defined(EVO_CASE_CHANGE_DIM)
#define WHAT "the dimension of vector 'embedding' is 4 on the server but 8 in schema evo"
#define FIX "declare 'collection chunks revision 2'"
#elif defined(EVO_CASE_CHANGE_DISTANCE)
#define WHAT "the distance of vector 'embedding' is Cosine on the server but Dot in schema evo"
#define FIX "declare 'collection chunks revision 2'"
#elif defined(EVO_CASE_ADD_SPARSE)
#define WHAT "sparse vector 'keywords' is absent on the server but declared in schema evo"
#define FIX "declare 'collection chunks revision 2'"
#else
#define WHAT "the scope set is [bot] on the server but [team] in schema evo"
#define FIX "declare 'collection chunks revision 2'"
#endif

/* Every data call and every onboarding is refused, with the message; nothing stored
 * changes. */
static void change_is_refused(void **state)
{
    fixture_t *f = *state;
    tq_detail_t d;
    uint64_t n = 0;
    for (int t = 0; t < EVO_TENANTS; t++) {
        char collection[64];
        evo_collection_name(evo_tenants[t], collection, sizeof collection);
        char where[96];
        snprintf(where, sizeof where, "collection %s: ", collection);
        expect_refusal(evo_chunks_count(f->ctx[t], EVO_BOT, NULL, &n, &d), &d, where, WHAT, FIX,
                       (const char *)NULL);
        expect_refusal(evo_onboard_tenant(f->ctx[t], &d), &d, where, WHAT, FIX,
                       (const char *)NULL);
    }
    expect_old_points_intact(f);
}
#endif

#ifdef EVO_CASE_ADD_SPARSE
/* Records `shape` (JSON-escaped) with a fingerprint no schema has in acme's collection,
 * then expects onboarding to refuse with `what`. */
static void recorded_shape_refused(fixture_t *f, const char *shape, const char *what)
{
    char body[1024], out[16384];
    tq_detail_t d;
    snprintf(body, sizeof body,
             "{\"metadata\": {\"tq_fingerprint\": \"sha256:00\", \"tq_shape\": \"%s\"}}",
             shape);
    assert_int_equal(http(f, "PATCH", "/collections/evo-chunks--acme", body, out), 200);
    expect_refusal(evo_onboard_tenant(f->ctx[0], &d), &d, "collection evo-chunks--acme: ", what,
                   "declare 'collection chunks revision 2'", (const char *)NULL);
}

/* A collection made with the sparse vector, whose recorded sparse vector then differs
 * from the schema's (other text fields, none at all): refused by the recorded shape. */
static void recorded_sparse_compared(void **state)
{
    fixture_t *f = *state;
    char out[16384];
    tq_detail_t d;
    assert_int_equal(http(f, "DELETE", "/collections/evo-chunks--acme", NULL, out), 200);
    expect_ok(evo_onboard_tenant(f->ctx[0], &d), &d, "acme");
    expect_stamped(f, "evo-chunks--acme");
#define EVO_SHAPE_HEAD "tenantq-shape 1\\nvector embedding 4 Cosine\\nscope bot\\n"
#define EVO_SHAPE_FIELDS                                                                      \
    "field priority integer indexed\\nfield source keyword indexed\\nfield tags keyword[]\\n" \
    "field title text\\n"
    recorded_shape_refused(f, EVO_SHAPE_HEAD "sparse keywords idf title,tags\\n" EVO_SHAPE_FIELDS,
                           "the text field list of sparse vector 'keywords' is [title,tags] on "
                           "the server but [title] in schema evo");
    recorded_shape_refused(f, EVO_SHAPE_HEAD "sparse keywords bm25 title\\n" EVO_SHAPE_FIELDS,
                           "the modifier of sparse vector 'keywords' is bm25 on the server but "
                           "idf in schema evo");
    recorded_shape_refused(f, EVO_SHAPE_HEAD EVO_SHAPE_FIELDS,
                           "the sparse vector is absent on the server but 'keywords' (from "
                           "title) in schema evo");
    recorded_shape_refused(f, EVO_SHAPE_HEAD "sparse terms idf title\\n" EVO_SHAPE_FIELDS,
                           "the sparse vector is 'terms' (from title) on the server but "
                           "'keywords' (from title) in schema evo");
}
#endif

#ifdef EVO_CASE_CHANGE_PLACEMENT
/* Tenants pinned by the registry keep their points; the one that followed the default
 * is stopped at onboarding. */
static void default_placement_change(void **state)
{
    fixture_t *f = *state;
    tq_detail_t d;
    expect_ok(evo_onboard_tenant(f->ctx[0], &d), &d, "acme");
    expect_ok(evo_onboard_tenant(f->ctx[1], &d), &d, "globex");
    expect_points_found(f, 0);
    expect_points_found(f, 1);
    expect_refusal(evo_onboard_tenant(f->ctx[2], &d), &d,
                   "collection evo-chunks--initech: the default placement is shared on the server "
                   "(tenant \"initech\" has points in evo-chunks) but collection in schema evo",
                   "pin the tenant with \"placement\": \"shared\" in the registry",
                   "tenantq-admin migrate", (const char *)NULL);
    expect_old_points_intact(f);
}
#endif

#ifdef EVO_CASE_NEW_REVISION
#if EVO_CHUNKS_REVISION != 2
#error "the client must name the revision it serves"
#endif
/* Revision 2 (8 dimensions) lives in collections of its own while revision 1 serves. */
static void new_revision_beside_the_old(void **state)
{
    fixture_t *f = *state;
    static const float v[EVO_CHUNKS_DIM] = {1, 0, 0, 0, 0, 0, 0, 1};
    evo_chunks_point_t p;
    tq_detail_t d;
    uint64_t n = 0;
    char body[16384];
    onboard_all(f);
    assert_int_equal(http(f, "GET", "/collections/evo-chunks-r2--acme", NULL, body), 200);
    assert_non_null(strstr(body, "\"size\":8"));
    assert_non_null(strstr(body, "\"tq_revision\":2"));
    expect_stamped(f, "evo-chunks-r2");
    memset(&p, 0, sizeof p);
    p.key = "k1";
    p.vector = v;
    p.vector_len = EVO_CHUNKS_DIM;
    p.priority = 1;
    p.has_priority = 1;
    p.title = "title 1";
    for (int t = 0; t < EVO_TENANTS; t++) {
        expect_ok(evo_chunks_count(f->ctx[t], EVO_BOT, NULL, &n, &d), &d, "count");
        assert_int_equal(n, 0);
        expect_ok(evo_chunks_upsert(f->ctx[t], EVO_BOT, &p, 1, &d), &d, "upsert");
        expect_ok(evo_chunks_count(f->ctx[t], EVO_BOT, NULL, &n, &d), &d, "count");
        assert_int_equal(n, 1);
    }
    expect_old_points_intact(f);
}
#endif

#ifdef EVO_CASE_ADOPT
/* Collections made before fingerprints: adopted and stamped when the vector matches,
 * refused otherwise (here: another vector name). */
static void collections_without_metadata(void **state)
{
    fixture_t *f = *state;
    char body[16384];
    tq_detail_t d;
    uint64_t n = 0;
    assert_int_equal(http(f, "PUT", "/collections/evo-chunks--acme",
                          "{\"vectors\":{\"embedding\":{\"size\":4,\"distance\":\"Cosine\"}}}",
                          body),
                     200);
    assert_int_equal(http(f, "PUT", "/collections/evo-chunks",
                          "{\"vectors\":{\"other\":{\"size\":4,\"distance\":\"Cosine\"}}}",
                          body),
                     200);
    expect_ok(evo_chunks_count(f->ctx[0], EVO_BOT, NULL, &n, &d), &d, "count");
    expect_ok(evo_onboard_tenant(f->ctx[0], &d), &d, "acme");
    expect_stamped(f, "evo-chunks--acme");
    expect_refusal(evo_chunks_count(f->ctx[1], EVO_BOT, NULL, &n, &d), &d,
                   "collection evo-chunks: vector 'embedding' is absent (the collection's vector "
                   "is 'other') on the server but declared in schema evo",
                   (const char *)NULL);
    expect_refusal(evo_onboard_tenant(f->ctx[1], &d), &d, "vector 'embedding' is absent",
                   (const char *)NULL);
    assert_int_equal(http(f, "GET", "/collections/evo-chunks", NULL, body), 200);
    assert_null(strstr(body, "tq_fingerprint"));
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#if defined(EVO_CASE_ADD_FIELD) || defined(EVO_CASE_ADD_INDEXED_FIELD)
        cmocka_unit_test_setup_teardown(compatible_change, setup, teardown),
        cmocka_unit_test_setup_teardown(new_field_written_and_filtered, setup, teardown),
#elif defined(EVO_CASE_RENAME_FIELD)
        cmocka_unit_test_setup_teardown(compatible_change, setup, teardown),
        cmocka_unit_test_setup_teardown(renamed_field_filters, setup, teardown),
#elif defined(EVO_CASE_ADD_INDEX)
        cmocka_unit_test_setup_teardown(compatible_change, setup, teardown),
        cmocka_unit_test_setup_teardown(new_index_filters, setup, teardown),
#elif defined(EVO_CASE_ADD_OP)
        cmocka_unit_test_setup_teardown(compatible_change, setup, teardown),
        cmocka_unit_test_setup_teardown(new_op_works_on_old_points, setup, teardown),
#elif defined(EVO_CASE_DROP_INDEX) || defined(EVO_CASE_REMOVE_OP)
        cmocka_unit_test_setup_teardown(compatible_change, setup, teardown),
#elif defined(EVO_CASE_CHANGE_PLACEMENT)
        cmocka_unit_test_setup_teardown(default_placement_change, setup, teardown),
#elif defined(EVO_CASE_NEW_REVISION)
        cmocka_unit_test_setup_teardown(new_revision_beside_the_old, setup, teardown),
#elif defined(EVO_CASE_ADOPT)
        cmocka_unit_test_setup_teardown(collections_without_metadata, setup, teardown),
#else
        cmocka_unit_test_setup_teardown(change_is_refused, setup, teardown),
#endif
#ifdef EVO_CASE_ADD_SPARSE
        cmocka_unit_test_setup_teardown(recorded_sparse_compared, setup, teardown),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
