/* main.c: tenantq-bench, the side-by-side client benchmark behind `make bench`.
 *
 * Each round starts a fresh tenantq-devserver per client (API key and JWT RBAC on) and
 * onboards the tenants through the generated client. The generated client and the
 * hand-written one, in its two layouts (one connection; a connection per tenant), then
 * run paired (paired.c): each ingests on its own, then they take turns at blocks of 10
 * searches. The JS client, a separate process, runs before or after them, turn about.
 * Reported figures are medians over rounds, with ratios to the hand-written client, the
 * command and the machine's state. Then the shared-client concurrency runs, one fresh
 * server per thread count and round.
 * `tenantq-bench growth` (growth.c) runs the probe's growth curves instead, and
 * `tenantq-bench ops` (ops.c) the latency of every operation and probe kind.
 *
 * Benchmarks report; they never judge: the exit status is 0 whenever every run
 * completed and returned what the workload asks (limit hits per search, or every point
 * of a tenant smaller than that), whatever the
 * timings, 1 when a run failed, 2 on a usage error. */
#include "bench.h"
#include "growth.h"
#include "ops.h"
#include "report.h"
#include "spawn.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS_MAX 100
#define THREAD_COUNTS_MAX 8

enum {
    CLIENT_GENERATED,
    CLIENT_HANDWRITTEN,
    CLIENT_HANDWRITTEN_TENANT,
    CLIENT_HANDWRITTEN_WIRE,
    CLIENT_JS,
    CLIENT_COUNT
};

static const char *const client_names[CLIENT_COUNT] = {
    "generated tenantq client",
    "hand-written libcurl + cJSON, same requests, no tenant layer",
    "the same hand-written client with a connection per tenant, as the generated one keeps",
    "the same with HTTP/1.1 written by hand over libcurl's connection, as the runtime does",
    "official `@qdrant/js-client-rest` 1.19, same requests",
};
static const char *const client_flags[CLIENT_COUNT] = {"generated", "handwritten",
                                                       "handwritten-per-tenant",
                                                       "handwritten-wire", "js"};

typedef struct options {
    bench_workload_t w;
    size_t rounds;
    unsigned threads[THREAD_COUNTS_MAX];
    size_t thread_count;
    int js;
    int pin;  /* the comparison's clients on one core, its servers on another */
    int pin_client, pin_server; /* those cores, when pin is set */
    const char *unpinned; /* why not, when pin is not set */
    int only; /* -1: all clients; else run just this one once (for profilers) */
    const char *out;
} options_t;

static const char usage_text[] =
    "usage: tenantq-bench [--rounds R] [--tenants N] [--vectors M] [--batch B]\n"
    "                     [--searches S] [--limit K] [--seed X] [--threads 1,2,4,8|none]\n"
    "                     [--no-js] [--no-pin]\n"
    "                     [--only generated|handwritten|handwritten-per-tenant|handwritten-wire]\n"
    "                     [--out FILE.md]\n"
    "       tenantq-bench growth --help\n"
    "       tenantq-bench ops --help\n"
    "       tenantq-bench section FILE.md NAME < TEXT\n"
    "\n"
    "Runs the generated tenantq client, a hand-written libcurl + cJSON client (on one\n"
    "connection, and with a connection per tenant) and the official Qdrant JS client\n"
    "side by side against fresh tenantq-devservers and prints (or, with --out, writes\n"
    "into FILE's tenantq-bench section) a Markdown table.\n";

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "tenantq-bench: error: MESSAGE" and the usage; returns 2. */
static int usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tenantq-bench: error: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n%s", usage_text);
    va_end(ap);
    return 2;
}

static int parse_size(const char *s, size_t min, size_t max, size_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = (size_t)v;
    return 0;
}

static int parse_threads(const char *s, options_t *o)
{
    o->thread_count = 0;
    if (strcmp(s, "none") == 0)
        return 0;
    char copy[128];
    snprintf(copy, sizeof copy, "%s", s);
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        size_t v;
        if (o->thread_count == THREAD_COUNTS_MAX || parse_size(tok, 1, 64, &v) != 0)
            return -1;
        o->threads[o->thread_count++] = (unsigned)v;
    }
    return o->thread_count ? 0 : -1;
}

static int parse_args(int argc, char **argv, options_t *o)
{
    *o = (options_t){.w = {.tenants = 10, .vectors = 1000, .batch = 256, .searches = 1000,
                           .limit = 10, .seed = 19},
                     .rounds = 9, .threads = {1, 2, 4, 8}, .thread_count = 4, .js = 1,
                     .pin = 1, .unpinned = "--no-pin",
                     .only = -1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        size_t n;
        struct {
            const char *name;
            size_t min, max;
            size_t *dst;
        } nums[] = {{"--rounds", 1, ROUNDS_MAX, &o->rounds},
                    {"--tenants", 1, 10000, &o->w.tenants},
                    {"--vectors", 1, 1000000, &o->w.vectors},
                    {"--batch", 1, 10000, &o->w.batch},
                    {"--searches", 1, 10000000, &o->w.searches}};
        int matched = 0;
        for (size_t k = 0; k < sizeof nums / sizeof *nums && !matched; k++) {
            if (strcmp(a, nums[k].name) != 0)
                continue;
            if (parse_size(v, nums[k].min, nums[k].max, nums[k].dst) != 0)
                return usage("%s needs a number in range", a);
            matched = 1;
            i++;
        }
        if (matched)
            continue;
        if (strcmp(a, "--limit") == 0 || strcmp(a, "--seed") == 0) {
            if (parse_size(v, strcmp(a, "--limit") == 0 ? 1 : 0,
                           strcmp(a, "--limit") == 0 ? 1000 : (size_t)-1, &n) != 0)
                return usage("%s needs a number in range", a);
            if (strcmp(a, "--limit") == 0)
                o->w.limit = (uint32_t)n;
            else
                o->w.seed = n;
            i++;
        } else if (strcmp(a, "--threads") == 0) {
            if (!v || parse_threads(v, o) != 0)
                return usage("--threads needs a list such as 1,2,4,8 (each 1..64), or none");
            i++;
        } else if (strcmp(a, "--only") == 0) {
            o->only = -1;
            for (int k = 0; v && k < CLIENT_JS; k++) {
                if (strcmp(v, client_flags[k]) == 0)
                    o->only = k;
            }
            if (o->only < 0)
                return usage("--only needs generated, handwritten, handwritten-per-tenant or "
                             "handwritten-wire, not '%s'",
                             v ? v : "");
            i++;
        } else if (strcmp(a, "--out") == 0 && v) {
            o->out = v;
            i++;
        } else if (strcmp(a, "--no-js") == 0) {
            o->js = 0;
        } else if (strcmp(a, "--no-pin") == 0) {
            o->pin = 0;
        } else if (strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            exit(0);
        } else {
            return usage("unknown or incomplete argument '%s'", a);
        }
    }
    return 0;
}

/* A fresh devserver with the shared collection made, every thread of it on core `pin`
 * when that is not negative; fills `t`. */
static int server_up(probe_server_t *server, bench_target_t *t, const bench_corpus_t *c,
                     int pin)
{
    if (spawn_devserver(server, BENCH_API_KEY, 1, 1) != 0)
        return -1;
    t->url = server->url;
    t->api_key = BENCH_API_KEY;
    if (bench_setup(t, c, t->collection, sizeof t->collection) != 0 ||
        (pin >= 0 && bench_pin_process((int)server->pid, pin) != 0)) {
        if (pin >= 0)
            fprintf(stderr, "tenantq-bench: error: cannot pin the devserver to core %d "
                            "(--no-pin runs unpinned)\n", pin);
        spawn_stop(server);
        return -1;
    }
    return 0;
}

/* The in-process clients, by their CLIENT_ index. */
static const bench_client_t *const in_process[CLIENT_JS] = {
    &bench_generated_client, &bench_handwritten_client, &bench_handwritten_tenant_client,
    &bench_handwritten_wire_client};

/* 0 when `client` returned what the workload asks: limit hits per search, or every
 * point of a tenant smaller than that; else -1 after saying so. */
static int check_hits(int client, const bench_corpus_t *c, uint64_t hits)
{
    uint64_t per_search = c->w.limit < c->w.vectors ? c->w.limit : c->w.vectors;
    uint64_t want = (uint64_t)c->w.searches * per_search;
    if (hits == want)
        return 0;
    fprintf(stderr, "tenantq-bench: error: %s returned %llu search hits, not %llu\n",
            client_flags[client], (unsigned long long)hits, (unsigned long long)want);
    return -1;
}

/* Stops every server in `servers[0..n)`; 0 when all exited cleanly. */
static int servers_down(probe_server_t *servers, size_t n)
{
    int rc = 0;
    for (size_t k = 0; k < n; k++)
        rc |= spawn_stop(&servers[k]) != 0;
    if (rc)
        fprintf(stderr, "tenantq-bench: error: a devserver did not exit cleanly\n");
    return rc ? -1 : 0;
}

/* Runs the in-process clients `which[0..n)` paired (paired.c), each against a fresh
 * server of its own, client `first` ingesting first; out[k] is which[k]'s result. */
static int run_in_process(const int *which, size_t n, size_t first, int pin,
                          const bench_corpus_t *c, bench_result_t *out)
{
    probe_server_t servers[CLIENT_JS];
    bench_target_t targets[CLIENT_JS];
    const bench_client_t *clients[CLIENT_JS];
    size_t up = 0;
    int rc = -1;
    memset(targets, 0, sizeof targets);
    for (; up < n; up++) {
        clients[up] = in_process[which[up]];
        if (server_up(&servers[up], &targets[up], c, pin) != 0)
            goto done;
    }
    rc = bench_run_paired(clients, targets, n, first, c, out);
done:
    if (servers_down(servers, up) != 0)
        rc = -1;
    for (size_t k = 0; rc == 0 && k < n; k++)
        rc = check_hits(which[k], c, out[k].hits);
    return rc;
}

static int run_js(const bench_corpus_t *c, const char *corpus_path, int pin,
                  bench_result_t *out)
{
    probe_server_t server;
    bench_target_t t;
    memset(&t, 0, sizeof t);
    if (server_up(&server, &t, c, pin) != 0)
        return -1;
    int rc = bench_run_js(&t, c, corpus_path, out);
    if (servers_down(&server, 1) != 0)
        rc = -1;
    return rc == 0 ? check_hits(CLIENT_JS, c, out->hits) : rc;
}

static int run_concurrency(unsigned threads, const bench_corpus_t *c, bench_conc_result_t *out)
{
    probe_server_t server;
    bench_target_t t;
    memset(&t, 0, sizeof t);
    if (server_up(&server, &t, c, -1) != 0)
        return -1;
    int rc = bench_run_concurrency(&t, c, threads, out);
    if (spawn_stop(&server) != 0 && rc == 0)
        rc = -1;
    return rc;
}

/* Formats microseconds as milliseconds with three decimals. */
static double ms(double us)
{
    return us / 1000.0;
}

/* Medians over rounds; the ratios are medians of each round's own ratio to the
 * hand-written client of the same round (its pair), not ratios of medians, and
 * layer_p50/layer_p95 the same to the hand-written client with the runtime's transport and
 * connections. */
typedef struct medians {
    double ingest, p50, p95;
    double p50_ratio, p95_ratio;
    double layer_p50, layer_p95;
} medians_t;

static void write_tables(report_text_t *r, const options_t *o, const medians_t *m,
                         const int *measured, const bench_conc_result_t *conc,
                         const char *command, const char *before, const char *after,
                         const char *when)
{
    char where[96];
    if (o->pin)
        snprintf(where, sizeof where,
                 "the clients on core %d and every devserver thread on core %d", o->pin_client,
                 o->pin_server);
    else
        snprintf(where, sizeof where, "unpinned (%s)", o->unpinned);
    report_printf(r,
                  "Measured %s by `%s`: %zu tenants x %zu vectors x %d dims, batches of %zu, "
                  "%zu tenant-filtered searches, limit %u, one thread, a fresh devserver per "
                  "client and round, the four in-process clients taking turns at "
                  "blocks of 10 searches after 100 untimed ones, %s; medians of %zu rounds, the "
                  "ratios medians of each round's own ratio. "
                  "Machine: %s before, %s after.\n\n",
                  when, command, o->w.tenants, o->w.vectors, BENCH_DIM, o->w.batch,
                  o->w.searches, o->w.limit,
                  where,
                  o->rounds, before, after);
    report_printf(r, "| client | ingest vectors/s | search p50 | search p95 | p50 vs "
                     "hand-written | p95 vs hand-written |\n| --- | --- | --- | --- | --- | "
                     "--- |\n");
    for (int k = 0; k < CLIENT_COUNT; k++) {
        if (!measured[k]) {
            report_printf(r, "| %s | not measured (--no-js) | | | | |\n", client_names[k]);
            continue;
        }
        report_printf(r, "| %s | %.0f | %.3f ms | %.3f ms | %.2fx | %.2fx |\n",
                      client_names[k], m[k].ingest, ms(m[k].p50), ms(m[k].p95), m[k].p50_ratio,
                      m[k].p95_ratio);
    }
    report_printf(r,
                  "\nThe tenant layer alone, the generated client against the hand-written "
                  "client with the same transport and the same connection per tenant: %.2fx "
                  "at the p50 and %.2fx at the p95 (medians of each round's own ratio).\n",
                  m[CLIENT_GENERATED].layer_p50, m[CLIENT_GENERATED].layer_p95);
    if (o->thread_count == 0)
        return;
    report_printf(r,
                  "\nOne generated client shared by several threads (same workload; upserts "
                  "are requests of %zu points spread over the threads, then the searches; "
                  "medians of %zu rounds):\n\n| threads | search calls/s | search p95 | "
                  "upsert vectors/s | upsert p95 (one request) |\n| --- | --- | --- | --- | "
                  "--- |\n",
                  o->w.batch, o->rounds);
    for (size_t i = 0; i < o->thread_count; i++)
        report_printf(r, "| %u | %.0f | %.3f ms | %.0f | %.3f ms |\n", o->threads[i],
                      conc[i].search_per_s, ms(conc[i].search_p95_us), conc[i].upsert_per_s,
                      ms(conc[i].upsert_p95_us));
}

/* Runs the comparison rounds and the concurrency runs; fills medians. */
static int measure(const options_t *o, const bench_corpus_t *c, const char *corpus_path,
                   medians_t *m, int *measured, bench_conc_result_t *conc)
{
    static double v[CLIENT_COUNT][3][ROUNDS_MAX];
    for (int k = 0; k < CLIENT_COUNT; k++)
        measured[k] = k != CLIENT_JS || o->js;
    const int together[] = {CLIENT_GENERATED, CLIENT_HANDWRITTEN, CLIENT_HANDWRITTEN_TENANT,
                            CLIENT_HANDWRITTEN_WIRE};
    if (o->pin && bench_pin_process(0, o->pin_client) != 0) {
        fprintf(stderr, "tenantq-bench: error: cannot pin the clients to core %d (--no-pin "
                        "runs unpinned)\n", o->pin_client);
        return -1;
    }
    int rc = 0;
    for (size_t r = 0; r < o->rounds && rc == 0; r++) {
        /* The in-process clients and the JS client take turns going first, as the
         * in-process ones do among themselves. */
        for (size_t step = 0; step < 2; step++) {
            bench_result_t res[CLIENT_COUNT];
            int js = (r + step) % 2 == 1;
            if (js && !o->js)
                continue;
            int pin = o->pin ? o->pin_server : -1;
            if (js ? run_js(c, corpus_path, pin, &res[CLIENT_JS]) != 0
                   : run_in_process(together, 4, r % 4, pin, c, res) != 0) {
                rc = -1;
                break;
            }
            for (int k = js ? CLIENT_JS : 0; k < (js ? CLIENT_COUNT : CLIENT_JS); k++) {
                fprintf(stderr,
                        "tenantq-bench: round %zu %-22s ingest %.0f/s p50 %.3f ms p95 %.3f ms\n",
                        r + 1, client_flags[k], res[k].ingest_vps, ms(res[k].search_p50_us),
                        ms(res[k].search_p95_us));
                v[k][0][r] = res[k].ingest_vps;
                v[k][1][r] = res[k].search_p50_us;
                v[k][2][r] = res[k].search_p95_us;
            }
        }
    }
    /* The concurrency runs use every core. */
    if (o->pin)
        bench_unpin_self();
    if (rc != 0)
        return -1;
    /* Each round's ratios first: report_median sorts what it is given. [k][q][r]: to the
     * hand-written client on one connection, [k][2 + q][r]: to it with the runtime's
     * transport and a connection per tenant. */
    static double ratio[CLIENT_COUNT][4][ROUNDS_MAX];
    for (int k = 0; k < CLIENT_COUNT; k++) {
        for (size_t r = 0; r < o->rounds; r++) {
            for (int q = 0; q < 4; q++) {
                int base = q < 2 ? CLIENT_HANDWRITTEN : CLIENT_HANDWRITTEN_WIRE;
                double hand = v[base][1 + q % 2][r];
                ratio[k][q][r] = hand > 0 ? v[k][1 + q % 2][r] / hand : 0.0;
            }
        }
    }
    for (int k = 0; k < CLIENT_COUNT; k++)
        m[k] = (medians_t){report_median(v[k][0], o->rounds), report_median(v[k][1], o->rounds),
                           report_median(v[k][2], o->rounds),
                           report_median(ratio[k][0], o->rounds),
                           report_median(ratio[k][1], o->rounds),
                           report_median(ratio[k][2], o->rounds),
                           report_median(ratio[k][3], o->rounds)};
    for (size_t i = 0; i < o->thread_count; i++) {
        double f[4][ROUNDS_MAX];
        for (size_t r = 0; r < o->rounds; r++) {
            bench_conc_result_t one;
            if (run_concurrency(o->threads[i], c, &one) != 0)
                return -1;
            fprintf(stderr, "tenantq-bench: round %zu %u threads: search %.0f/s p95 %.3f ms, "
                            "upsert %.0f vectors/s p95 %.3f ms\n",
                    r + 1, o->threads[i], one.search_per_s, ms(one.search_p95_us),
                    one.upsert_per_s, ms(one.upsert_p95_us));
            f[0][r] = one.search_per_s;
            f[1][r] = one.search_p95_us;
            f[2][r] = one.upsert_per_s;
            f[3][r] = one.upsert_p95_us;
        }
        conc[i] = (bench_conc_result_t){report_median(f[0], o->rounds),
                                        report_median(f[1], o->rounds),
                                        report_median(f[2], o->rounds),
                                        report_median(f[3], o->rounds)};
    }
    return 0;
}

/* `tenantq-bench section FILE NAME`: standard input replaces FILE's NAME section (for
 * bench/profile.sh, whose figures come from valgrind rather than from this program). */
static int section_main(int argc, char **argv)
{
    if (argc != 4)
        return usage("section needs FILE and NAME, and the text on standard input");
    report_text_t t = {0};
    int rc = report_read(stdin, &t) != 0 || report_replace_section(argv[2], argv[3], t.data) != 0;
    report_free(&t);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "growth") == 0)
        return growth_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "ops") == 0)
        return ops_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "section") == 0)
        return section_main(argc, argv);
    options_t o;
    if (parse_args(argc, argv, &o) != 0)
        return 2;
    if (o.pin && bench_pin_cores(&o.pin_client, &o.pin_server) != 0) {
        o.pin = 0;
        o.unpinned = "fewer than two cores to run on";
    }
    /* One devserver worker per core (unless the caller chose), not Qdrant's default of
     * one less: the concurrency table measures the client, which a single worker on a
     * 2-core machine would hide behind the server. */
    char cores[24];
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    snprintf(cores, sizeof cores, "%ld", online > 0 ? online : 1);
    if (setenv("QDRANT__SERVICE__MAX_WORKERS", cores, 0) != 0 ||
        setenv(BENCH_API_KEY_ENV, BENCH_API_KEY, 1) != 0 ||
        curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    bench_corpus_t c;
    if (bench_corpus_make(&c, &o.w) != 0) {
        fprintf(stderr, "tenantq-bench: error: out of memory for the corpus\n");
        return 1;
    }
    int rc = 1;
    if (o.only >= 0) {
        bench_result_t res;
        if (run_in_process(&o.only, 1, 0, -1, &c, &res) == 0) {
            printf("%s: ingest %.0f vectors/s, search p50 %.3f ms, p95 %.3f ms\n",
                   client_flags[o.only], res.ingest_vps, ms(res.search_p50_us),
                   ms(res.search_p95_us));
            rc = 0;
        }
        bench_corpus_free(&c);
        curl_global_cleanup();
        return rc;
    }
    char corpus_path[] = "/tmp/tenantq-bench-corpus-XXXXXX";
    int fd = mkstemp(corpus_path);
    if (fd < 0) {
        perror("tenantq-bench: error: corpus file");
        bench_corpus_free(&c);
        return 1;
    }
    close(fd);
    char before[128], after[128], command[1024], when[64];
    report_machine(before, sizeof before);
    report_command(argc, argv, command, sizeof command);
    report_utc_now(when, sizeof when);
    medians_t m[CLIENT_COUNT];
    int measured[CLIENT_COUNT];
    bench_conc_result_t conc[THREAD_COUNTS_MAX];
    report_text_t r = {0};
    if ((!o.js || bench_corpus_write(&c, corpus_path) == 0) &&
        measure(&o, &c, corpus_path, m, measured, conc) == 0) {
        report_machine(after, sizeof after);
        write_tables(&r, &o, m, measured, conc, command, before, after, when);
        if (r.failed)
            fprintf(stderr, "tenantq-bench: error: out of memory writing the report\n");
        else if (!o.out)
            rc = fputs(r.data, stdout) == EOF;
        else
            rc = report_replace_section(o.out, "tenantq-bench", r.data) != 0;
    }
    unlink(corpus_path);
    report_free(&r);
    bench_corpus_free(&c);
    curl_global_cleanup();
    return rc;
}
