/* probe_run.h: one tenantq-probe run against a fresh devserver, and the option
 * parsing, for `tenantq-bench growth` and `tenantq-bench ops`. */
#ifndef TQ_BENCH_PROBE_RUN_H
#define TQ_BENCH_PROBE_RUN_H

#include <cjson/cJSON.h>
#include <stddef.h>

typedef struct bench_probe_run {
    int status;                  /* the probe's exit status, -1 when it could not run */
    double wall_s;               /* the probe's whole run */
    long rss_before_kib;         /* the devserver's resident memory before, or -1 */
    long rss_after_kib;          /* and after the probe (which ran with --keep), or -1 */
    cJSON *report;               /* the probe's JSON report, or NULL */
} bench_probe_run_t;

/* tenantq-probe: $TENANTQ_PROBE, else beside this program or in the build tree; -1
 * after telling standard error, as `who`, that it is not there. */
int bench_find_probe(const char *who, char *out, size_t cap);

/* Starts a devserver, runs `probe --url URL ARGS... --report FILE --keep` against it
 * (args NULL-terminated) and stops it. Returns 0 when the probe exited 0 and its report
 * parsed, else -1; `out` holds what was measured either way (free it with
 * bench_probe_run_free). */
int bench_probe_run(const char *probe, const char *const *args, bench_probe_run_t *out);
void bench_probe_run_free(bench_probe_run_t *run);

/* A comma-separated list of at most `cap` decimal counts, each in min..max, into
 * out[0..*n); -1 for anything else (signs, spaces, empty items, too many). */
int bench_parse_counts(const char *list, size_t *out, size_t cap, size_t *n, size_t min,
                       size_t max);

/* "collection", "shared" or both, in that order, from a comma-separated list of those
 * names; -1 for anything else (another name, a repeat, an empty item). */
int bench_parse_placements(const char *list, const char *out[2], size_t *n);

/* Prints "tenantq-bench WHO: error: WHAT" and `usage_text` to standard error; returns 2,
 * the exit status of a usage error. */
int bench_usage(const char *who, const char *what, const char *usage_text);

/* The options every probe-running subcommand shares, for argument `a` with `v` the next
 * argument (NULL at the end): --help prints `usage_text` and exits 0; --placements and
 * --out are stored. Returns 1 when `a` was one of them, 0 when it is the caller's (and
 * `v` is present), 2 after a usage error (a missing value, bad placements). */
int bench_probe_option(const char *who, const char *usage_text, const char *a, const char *v,
                       const char *placements[2], size_t *placements_n, const char **out);

/* report.a.b as a number, or -1 (b may be NULL). */
double bench_report_number(const cJSON *report, const char *a, const char *b);

#endif
