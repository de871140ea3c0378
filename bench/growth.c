/* growth.c: `tenantq-bench growth`: runs tenantq-probe at growing tenant counts and
 * growing tenant sizes, in each chosen placement, and reports how ingest rate, latency,
 * the devserver's resident memory per point and the probe's set-up time grow.
 *
 * Every point gets a fresh devserver started here (so its memory can be read from
 * /proc), and the probe runs against it with --keep, so the points are still stored
 * when the memory is read. The chart is drawn by the probe's own svg_write_panels. A
 * point whose probe run fails (a leak, a failed check) is reported as failed, never
 * dropped. */
#include "growth.h"

#include "probe_run.h"
#include "report.h"
#include "svg.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX 8
#define POINTS_MAX 64

typedef struct growth_opts {
    size_t tenants[LIST_MAX], tenants_n;  /* the tenant curve */
    size_t sizes[LIST_MAX], sizes_n;      /* the size curve: vectors per tenant */
    size_t tenant_vectors;                /* vectors per tenant on the tenant curve */
    size_t size_tenants;                  /* tenants on the size curve */
    const char *placements[2];
    size_t placements_n;
    size_t probes;
    const char *out, *svg;
} growth_opts_t;

typedef struct growth_point {
    const char *placement;
    int size_curve; /* 0: tenant curve, 1: size curve */
    size_t tenants, vectors;
    int measured;   /* 0: not reached (yet) */
    int status;     /* the probe's exit status */
    double ingest_vps, p50_ms, p95_ms, setup_s, rss_bytes_per_point, wall_s;
    char label[32];
} growth_point_t;

static const char usage_text[] =
    "usage: tenantq-bench growth [--tenants 10,100,300,1000] [--tenant-vectors M]\n"
    "                            [--sizes 1000,10000,100000] [--size-tenants N]\n"
    "                            [--placements collection,shared] [--probes P]\n"
    "                            [--out FILE.md] [--svg FILE.svg]\n"
    "\n"
    "Runs tenantq-probe (beside this program in the build tree, or $TENANTQ_PROBE) at each\n"
    "tenant count with M vectors per tenant, and with N tenants at each size, against a\n"
    "fresh tenantq-devserver per point, and reports ingest, read p50/p95, devserver\n"
    "resident memory per point and set-up time.\n";

static int usage(const char *what)
{
    return bench_usage("growth", what, usage_text);
}

static int parse(int argc, char **argv, growth_opts_t *o)
{
    *o = (growth_opts_t){.tenants = {10, 100, 300, 1000}, .tenants_n = 4,
                         .sizes = {1000, 10000, 100000}, .sizes_n = 3, .tenant_vectors = 100,
                         .size_tenants = 2, .placements = {"collection", "shared"},
                         .placements_n = 2, .probes = 200};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        size_t one[LIST_MAX], n = 0;
        int shared = bench_probe_option("growth", usage_text, a, v, o->placements,
                                        &o->placements_n, &o->out);
        if (shared == 2)
            return 2;
        i++;
        if (shared == 1)
            continue;
        if (strcmp(a, "--tenants") == 0) {
            if (bench_parse_counts(v, o->tenants, LIST_MAX, &o->tenants_n, 2, 10000) != 0)
                return usage("--tenants needs a list of counts 2..10000 (the probe needs two)");
        } else if (strcmp(a, "--sizes") == 0) {
            if (bench_parse_counts(v, o->sizes, LIST_MAX, &o->sizes_n, 2, 10000000) != 0)
                return usage("--sizes needs a list of vector counts 2..10000000");
        } else if (strcmp(a, "--tenant-vectors") == 0 || strcmp(a, "--size-tenants") == 0 ||
                   strcmp(a, "--probes") == 0) {
            if (bench_parse_counts(v, one, 1, &n, strcmp(a, "--probes") == 0 ? 0 : 2, 10000000) != 0 ||
                n != 1)
                return usage("--tenant-vectors, --size-tenants and --probes need one number");
            *(strcmp(a, "--probes") == 0          ? &o->probes
              : strcmp(a, "--size-tenants") == 0 ? &o->size_tenants
                                                 : &o->tenant_vectors) = one[0];
        } else if (strcmp(a, "--svg") == 0) {
            o->svg = v;
        } else {
            return usage("unknown argument");
        }
    }
    return 0;
}

/* Reads the probe's report into the point. Returns 0 or -1. */
static int read_report(const cJSON *root, growth_point_t *p)
{
    p->ingest_vps = bench_report_number(root, "ingest", "vectors_per_s");
    p->p50_ms = bench_report_number(root, "latency_ms", "p50");
    p->p95_ms = bench_report_number(root, "latency_ms", "p95");
    p->setup_s = bench_report_number(root, "setup_seconds", NULL);
    return p->ingest_vps < 0 || p->p50_ms < 0 || p->setup_s < 0 ? -1 : 0;
}

/* The probes fired at a point. The probe's recall check regenerates every one of the
 * caller's vectors for each probe, so on the size curve the count shrinks with the
 * size (--probes at 1,000 vectors per tenant, at least PROBES_MIN): the set-up, ingest
 * and memory figures do not depend on it, and the campaign stays minutes long. */
#define PROBES_MIN 20
static size_t point_probes(const growth_opts_t *o, const growth_point_t *p)
{
    if (!p->size_curve || p->vectors <= 1000 || o->probes <= PROBES_MIN)
        return o->probes;
    size_t scaled = o->probes * 1000 / p->vectors;
    return scaled > PROBES_MIN ? scaled : PROBES_MIN;
}

static int measure_point(const char *probe, const growth_opts_t *o, growth_point_t *p)
{
    char tenants[24], vectors[24], probes[24];
    snprintf(tenants, sizeof tenants, "%zu", p->tenants);
    snprintf(vectors, sizeof vectors, "%zu", p->vectors);
    snprintf(probes, sizeof probes, "%zu", point_probes(o, p));
    const char *args[] = {"--tenants", tenants, "--vectors",  vectors,
                          "--probes",  probes,  "--placement", p->placement, NULL};
    bench_probe_run_t run;
    int rc = bench_probe_run(probe, args, &run) == 0 && read_report(run.report, p) == 0 ? 0 : -1;
    p->status = run.status;
    p->wall_s = run.wall_s;
    if (run.rss_before_kib > 0 && run.rss_after_kib > 0)
        p->rss_bytes_per_point = (double)(run.rss_after_kib - run.rss_before_kib) * 1024.0 /
                                 (double)(p->tenants * p->vectors);
    bench_probe_run_free(&run);
    fprintf(stderr,
            "tenantq-bench growth: %s %zu tenants x %zu vectors: %s, ingest %.0f/s, p50 %.3f "
            "ms, p95 %.3f ms, %.0f B/point, set-up %.3f s, %.1f s in all\n",
            p->placement, p->tenants, p->vectors, rc == 0 ? "ok" : "FAILED", p->ingest_vps,
            p->p50_ms, p->p95_ms, p->rss_bytes_per_point, p->setup_s, p->wall_s);
    return rc;
}

static void write_table(report_text_t *r, const growth_point_t *pts, size_t n,
                        const char *command, const char *before, const char *after,
                        const char *svg)
{
    report_printf(r, "Measured by `%s` (each point: a fresh devserver, then `tenantq-probe "
                     "--url URL --keep`, default 384 dims). Machine: %s before, %s after.\n\n",
                  command, before, after);
    report_printf(r, "| placement | tenants | vectors per tenant | ingest vectors/s | read "
                     "p50 | read p95 | devserver memory per point | probe set-up | probe run "
                     "|\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < n; i++) {
        const growth_point_t *p = &pts[i];
        if (!p->measured) {
            report_printf(r, "| %s | %zu | %zu | not measured | | | | | |\n", p->placement,
                          p->tenants, p->vectors);
            continue;
        }
        if (p->status != 0 || p->ingest_vps < 0) {
            report_printf(r, "| %s | %zu | %zu | failed (probe exit status %d) | | | | | |\n",
                          p->placement, p->tenants, p->vectors, p->status);
            continue;
        }
        report_printf(r, "| %s | %zu | %zu | %.0f | %.3f ms | %.3f ms | %.0f B | %.3f s | "
                         "%.1f s |\n",
                      p->placement, p->tenants, p->vectors, p->ingest_vps, p->p50_ms,
                      p->p95_ms, p->rss_bytes_per_point, p->setup_s, p->wall_s);
    }
    if (svg)
        report_printf(r, "\n![read latency p50/p95 per growth point](%s)\n", svg);
}

/* One chart panel per (placement, curve) with its measured points. */
static int draw(const growth_point_t *pts, size_t n, const char *path)
{
    svg_panel_t panels[4];
    const char *labels[4][POINTS_MAX];
    double p50[4][POINTS_MAX], p95[4][POINTS_MAX];
    char titles[4][96];
    size_t count = 0;
    for (int curve = 0; curve < 2; curve++) {
        for (const char *const *pl = (const char *const[]){"collection", "shared", NULL}; *pl;
             pl++) {
            size_t k = 0;
            for (size_t i = 0; i < n; i++) {
                if (pts[i].size_curve != curve || strcmp(pts[i].placement, *pl) != 0 ||
                    !pts[i].measured || pts[i].status != 0)
                    continue;
                labels[count][k] = pts[i].label;
                p50[count][k] = pts[i].p50_ms;
                p95[count][k++] = pts[i].p95_ms;
            }
            if (k == 0)
                continue;
            snprintf(titles[count], sizeof titles[count], "%s placement, %s", *pl,
                     curve ? "growing tenant size" : "growing tenant count");
            panels[count] = (svg_panel_t){titles[count], labels[count], p50[count], p95[count], k};
            count++;
        }
    }
    return svg_write_panels(panels, count,
                            "tenantq-probe growth: read latency per tenant count and size", path);
}

/* Writes the section (or prints it without --out) and the chart for the points so far. */
static int publish(const growth_opts_t *o, const growth_point_t *pts, size_t n,
                   const char *command, const char *before, const char *after)
{
    report_text_t r = {0};
    const char *svg_name = o->svg ? strrchr(o->svg, '/') : NULL;
    write_table(&r, pts, n, command, before, after,
                o->svg ? (svg_name ? svg_name + 1 : o->svg) : NULL);
    int rc = r.failed;
    if (!rc && o->svg)
        rc = draw(pts, n, o->svg) != 0;
    if (!rc && o->out)
        rc = report_replace_section(o->out, "tenantq-bench-growth", r.data) != 0;
    else if (!rc && pts[n - 1].measured)
        rc = fputs(r.data, stdout) == EOF;
    report_free(&r);
    return rc;
}

int growth_main(int argc, char **argv)
{
    growth_opts_t o;
    char probe[PATH_MAX];
    if (parse(argc, argv, &o) != 0)
        return 2;
    if (bench_find_probe("tenantq-bench growth", probe, sizeof probe) != 0)
        return 1;
    static growth_point_t pts[POINTS_MAX];
    size_t n = 0;
    for (size_t pl = 0; pl < o.placements_n; pl++) {
        for (size_t i = 0; i < o.tenants_n + o.sizes_n && n < POINTS_MAX; i++) {
            growth_point_t *p = &pts[n++];
            int size_curve = i >= o.tenants_n;
            *p = (growth_point_t){.placement = o.placements[pl], .size_curve = size_curve,
                                  .tenants = size_curve ? o.size_tenants : o.tenants[i],
                                  .vectors = size_curve ? o.sizes[i - o.tenants_n]
                                                        : o.tenant_vectors,
                                  .ingest_vps = -1};
            if (size_curve)
                snprintf(p->label, sizeof p->label, "%zu vectors", p->vectors);
            else
                snprintf(p->label, sizeof p->label, "%zu tenants", p->tenants);
        }
    }
    char before[128], after[128], command[1024];
    report_machine(before, sizeof before);
    report_command(argc + 1, argv - 1, command, sizeof command);
    int failed = 0, rc = 0;
    /* The document and chart are rewritten after every point, so a campaign stopped
     * part way (it takes hours on a small machine) still leaves what it measured; the
     * points not reached yet are listed as not measured. */
    for (size_t i = 0; i < n && rc == 0; i++) {
        failed |= measure_point(probe, &o, &pts[i]) != 0;
        pts[i].measured = 1;
        report_machine(after, sizeof after);
        rc = publish(&o, pts, n, command, before, after);
    }
    return rc || failed;
}
