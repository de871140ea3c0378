/* ops.c: `tenantq-bench ops`: one row per operation and one per probe kind.
 *
 * The hand-written client only knows the dense search, so the other operations (get,
 * count, scroll, delete, BM25 text search, hybrid, grouped) and the thirteen probe
 * kinds are timed through the generated client alone: tenantq-probe runs every kind in
 * turn against a fresh devserver per placement, and its report's latency_ms_by_op (each
 * call) and latency_ms_by_kind (each probe end to end: its calls and the checks of what
 * came back) become the table. A placement whose probe run fails (a leak, a failed
 * check) is reported as failed, never dropped. */
#include "ops.h"

#include "probe_run.h"
#include "report.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLACEMENTS_MAX 2

typedef struct ops_opts {
    size_t tenants, vectors, probes;
    const char *placements[PLACEMENTS_MAX];
    size_t placements_n;
    const char *out;
} ops_opts_t;

static const char usage_text[] =
    "usage: tenantq-bench ops [--tenants N] [--vectors M] [--probes P]\n"
    "                         [--placements collection,shared] [--out FILE.md]\n"
    "\n"
    "Runs tenantq-probe (beside this program in the build tree, or $TENANTQ_PROBE) with\n"
    "every probe kind against a fresh tenantq-devserver per placement (defaults: 10\n"
    "tenants x 1000 vectors, 1300 probes) and reports p50/p95 per operation and per probe\n"
    "kind (or, with --out, writes them into FILE's tenantq-bench-ops section).\n";

static int usage(const char *what)
{
    return bench_usage("ops", what, usage_text);
}

static int parse(int argc, char **argv, ops_opts_t *o)
{
    *o = (ops_opts_t){.tenants = 10, .vectors = 1000, .probes = 1300,
                      .placements = {"collection", "shared"}, .placements_n = 2};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        size_t n = 0;
        int shared = bench_probe_option("ops", usage_text, a, v, o->placements,
                                        &o->placements_n, &o->out);
        if (shared == 2)
            return 2;
        i++;
        if (shared == 1)
            continue;
        if (strcmp(a, "--tenants") == 0) {
            if (bench_parse_counts(v, &o->tenants, 1, &n, 2, 10000) != 0)
                return usage("--tenants needs a count 2..10000 (the probe needs two)");
        } else if (strcmp(a, "--vectors") == 0) {
            if (bench_parse_counts(v, &o->vectors, 1, &n, 2, 10000000) != 0)
                return usage("--vectors needs a count 2..10000000");
        } else if (strcmp(a, "--probes") == 0) {
            if (bench_parse_counts(v, &o->probes, 1, &n, 1, 10000000) != 0)
                return usage("--probes needs a count 1..10000000");
        } else {
            return usage("unknown argument");
        }
    }
    return 0;
}

/* The rows of one report object (latency_ms_by_op or latency_ms_by_kind), in the
 * report's order, taken from the first placement that ran. */
static void write_rows(report_text_t *r, const char *group, const char *what,
                       const bench_probe_run_t *runs, size_t n)
{
    const cJSON *names = NULL;
    for (size_t i = 0; i < n && !names; i++)
        names = cJSON_GetObjectItemCaseSensitive(runs[i].report, group);
    const cJSON *name;
    cJSON_ArrayForEach(name, names)
    {
        if (bench_report_number(name, "calls", NULL) <= 0)
            continue;
        report_printf(r, "| %s `%s` |", what, name->string);
        for (size_t i = 0; i < n; i++) {
            const cJSON *row = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(runs[i].report, group), name->string);
            double calls = bench_report_number(row, "calls", NULL);
            if (calls > 0)
                report_printf(r, " %.3f ms | %.3f ms | %.0f |",
                              bench_report_number(row, "p50", NULL),
                              bench_report_number(row, "p95", NULL), calls);
            else
                report_printf(r, " | | 0 |");
        }
        report_printf(r, "\n");
    }
}

static void write_table(report_text_t *r, const ops_opts_t *o, const bench_probe_run_t *runs,
                        const char *command, const char *when, const char *before,
                        const char *after)
{
    report_printf(r,
                  "Measured %s by `%s`: %zu tenants x %zu vectors (384 dims), %zu probes of "
                  "every kind in turn, one thread, through the generated client, a fresh "
                  "devserver per placement. A call's latency is one generated function call; "
                  "a probe kind's is one probe end to end, its calls and the checks of what "
                  "came back. Machine: %s before, %s after.\n\n",
                  when, command, o->tenants, o->vectors, o->probes, before, after);
    report_printf(r, "| operation or probe kind |");
    for (size_t i = 0; i < o->placements_n; i++)
        report_printf(r, " %s p50 | %s p95 | %s count |", o->placements[i], o->placements[i],
                      o->placements[i]);
    report_printf(r, "\n| --- |");
    for (size_t i = 0; i < o->placements_n; i++)
        report_printf(r, " --- | --- | --- |");
    report_printf(r, "\n");
    for (size_t i = 0; i < o->placements_n; i++) {
        if (!runs[i].report)
            report_printf(r, "| %s: failed (probe exit status %d) |\n", o->placements[i],
                          runs[i].status);
    }
    write_rows(r, "latency_ms_by_op", "call", runs, o->placements_n);
    write_rows(r, "latency_ms_by_kind", "probe", runs, o->placements_n);
}

int ops_main(int argc, char **argv)
{
    ops_opts_t o;
    char probe[PATH_MAX];
    if (parse(argc, argv, &o) != 0)
        return 2;
    if (bench_find_probe("tenantq-bench ops", probe, sizeof probe) != 0)
        return 1;
    char before[128], after[128], command[1024], when[64];
    char tenants[24], vectors[24], probes[24];
    report_machine(before, sizeof before);
    report_command(argc + 1, argv - 1, command, sizeof command);
    report_utc_now(when, sizeof when);
    snprintf(tenants, sizeof tenants, "%zu", o.tenants);
    snprintf(vectors, sizeof vectors, "%zu", o.vectors);
    snprintf(probes, sizeof probes, "%zu", o.probes);
    bench_probe_run_t runs[PLACEMENTS_MAX];
    int failed = 0;
    for (size_t i = 0; i < o.placements_n; i++) {
        const char *args[] = {"--tenants", tenants, "--vectors",  vectors,
                              "--probes",  probes,  "--placement", o.placements[i], NULL};
        failed |= bench_probe_run(probe, args, &runs[i]) != 0;
        fprintf(stderr, "tenantq-bench ops: %s: %s, %.1f s\n", o.placements[i],
                runs[i].report ? "ok" : "FAILED", runs[i].wall_s);
    }
    report_machine(after, sizeof after);
    report_text_t r = {0};
    write_table(&r, &o, runs, command, when, before, after);
    int rc = r.failed;
    if (!rc && o.out)
        rc = report_replace_section(o.out, "tenantq-bench-ops", r.data) != 0;
    else if (!rc)
        rc = fputs(r.data, stdout) == EOF;
    report_free(&r);
    for (size_t i = 0; i < o.placements_n; i++)
        bench_probe_run_free(&runs[i]);
    return rc || failed;
}
