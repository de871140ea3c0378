/* cli.h: the command line of tenantq-probe. */
#ifndef TQ_PROBE_CLI_H
#define TQ_PROBE_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <tenantq/tenantq.h>

#define PROBE_MAX_URLS 2

typedef struct probe_options {
    const char *urls[PROBE_MAX_URLS]; /* --url, up to twice (dedicated uses both) */
    size_t url_count;
    const char *api_key;
    size_t tenants;
    size_t vectors;
    uint32_t dim;
    int dim_given; /* --dim was on the command line */
    size_t probes;
    tq_placement_t placements[3];
    size_t placement_count;
    unsigned concurrency;
    size_t batch;
    uint64_t seed;
    int jwt;
    const char *report_path;
    const char *svg_path;
    int keep;
    const char *tenant_prefix;
    uint32_t k;        /* search limit and recall depth */
    double min_recall; /* the recall check: every tenant's mean recall@k at least this */
    int progress;      /* draw a progress bar (stderr is a terminal) */
} probe_options_t;

/* Parses argv into `opt`. Returns 0 to run, 1 when --help or --version was printed,
 * and -1 after printing a usage error to stderr. */
int cli_parse(int argc, char **argv, probe_options_t *opt);

#endif
