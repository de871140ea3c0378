/* cli.c: parses the tenantq-probe command line into probe_options_t.
 *
 * Every number is checked for range and trailing garbage; a bad argument is a usage
 * error (exit 2 in main). It must never touch the network or the environment, except
 * to read TENANTQ_QDRANT_API_KEY as the --api-key default when --url is given. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: tenantq-probe [--url URL]... [--api-key KEY] [--tenants N] [--vectors M]\n"
    "                     [--dim D] [--probes P]\n"
    "                     [--placement collection|shared|dedicated|tiered|all]\n"
    "                     [--concurrency C] [--batch B] [--seed S] [--jwt]\n"
    "                     [--report FILE.json] [--svg FILE.svg] [--keep]\n"
    "                     [--tenant-prefix PREFIX] [--k K] [--min-recall R]\n"
    "                     [-h|--help] [--version]\n"
    "\n"
    "Loads N tenants of M vectors into Qdrant through the generated client, fires P\n"
    "cross-tenant probes and reports leaks, recall@k, per-tenant latency and ingestion.\n"
    "Without --url it starts its own tenantq-devserver (two for dedicated).\n"
    "Exit status: 0 no leaks and every check held, 1 a leak or failed check, 2 set-up error.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "tenantq-probe: error: MESSAGE" and the usage; returns -1. */
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tenantq-probe: error: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n%s", usage_text);
    va_end(ap);
    return -1;
}

/* Parses an unsigned decimal in [min, max]. Returns 0 or -1. */
static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* The integer options and their ranges. */
typedef enum number_id {
    NUM_TENANTS,
    NUM_VECTORS,
    NUM_DIM,
    NUM_PROBES,
    NUM_CONCURRENCY,
    NUM_BATCH,
    NUM_SEED,
    NUM_K
} number_id_t;

static const struct {
    const char *name;
    uint64_t min;
    uint64_t max;
    number_id_t id;
} numbers[] = {
    {"--tenants", 2, 10000, NUM_TENANTS},    {"--vectors", 2, 10000000, NUM_VECTORS},
    {"--dim", 1, 65536, NUM_DIM},             {"--probes", 0, 100000000, NUM_PROBES},
    {"--concurrency", 1, 64, NUM_CONCURRENCY}, {"--batch", 1, 10000, NUM_BATCH},
    {"--seed", 0, UINT64_MAX, NUM_SEED},      {"--k", 1, 1000, NUM_K},
};

/* Handles `name` when it is an integer option. Returns 1 when it was and `value` was
 * stored, 0 when `name` is not one, -1 after a usage error. */
static int number_option(const char *name, const char *value, probe_options_t *opt)
{
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        if (strcmp(name, numbers[i].name) != 0)
            continue;
        uint64_t n = 0;
        if (parse_u64(value, numbers[i].min, numbers[i].max, &n) != 0)
            return usage_error("%s must be an integer in %llu..%llu, not '%s'", name,
                               (unsigned long long)numbers[i].min,
                               (unsigned long long)numbers[i].max, value);
        switch (numbers[i].id) {
        case NUM_TENANTS: opt->tenants = (size_t)n; break;
        case NUM_VECTORS: opt->vectors = (size_t)n; break;
        case NUM_DIM: opt->dim = (uint32_t)n; opt->dim_given = 1; break;
        case NUM_PROBES: opt->probes = (size_t)n; break;
        case NUM_CONCURRENCY: opt->concurrency = (unsigned)n; break;
        case NUM_BATCH: opt->batch = (size_t)n; break;
        case NUM_SEED: opt->seed = n; break;
        case NUM_K: opt->k = (uint32_t)n; break;
        }
        return 1;
    }
    return 0;
}

static int parse_placements(const char *s, probe_options_t *opt)
{
    if (strcmp(s, "all") == 0) {
        opt->placements[0] = TQ_PLACEMENT_COLLECTION;
        opt->placements[1] = TQ_PLACEMENT_SHARED;
        opt->placements[2] = TQ_PLACEMENT_DEDICATED;
        opt->placement_count = 3;
        return 0;
    }
    tq_placement_t p;
    if (tq_placement_parse(s, &p) != TQ_OK)
        return -1;
    opt->placements[0] = p;
    opt->placement_count = 1;
    return 0;
}

static void set_defaults(probe_options_t *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->tenants = 10;
    opt->vectors = 1000;
    opt->dim = 384;
    opt->probes = 200;
    opt->placements[0] = TQ_PLACEMENT_COLLECTION;
    opt->placement_count = 1;
    opt->concurrency = 1;
    opt->batch = 256;
    opt->seed = 1;
    opt->tenant_prefix = "t";
    opt->k = 10;
    opt->min_recall = 0.9;
    opt->progress = isatty(STDERR_FILENO);
}

int cli_parse(int argc, char **argv, probe_options_t *opt)
{
    set_defaults(opt);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return 1;
        }
        if (strcmp(a, "--version") == 0) {
            printf("tenantq-probe %s\n", TQ_VERSION_STRING);
            return 1;
        }
        if (strcmp(a, "--jwt") == 0) {
            opt->jwt = 1;
            continue;
        }
        if (strcmp(a, "--keep") == 0) {
            opt->keep = 1;
            continue;
        }
        if (strncmp(a, "--", 2) != 0)
            return usage_error("unexpected argument '%s'", a);
        if (i + 1 >= argc)
            return usage_error("%s needs a value", a);
        const char *v = argv[++i];
        int numeric = number_option(a, v, opt);
        if (numeric < 0)
            return -1;
        if (numeric > 0)
            continue;
        if (strcmp(a, "--url") == 0) {
            if (opt->url_count == PROBE_MAX_URLS)
                return usage_error("--url is accepted at most twice ('%s')", v);
            if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
                return usage_error("--url must be an http:// or https:// URL, not '%s'", v);
            opt->urls[opt->url_count++] = v;
        } else if (strcmp(a, "--api-key") == 0) {
            opt->api_key = v;
        } else if (strcmp(a, "--placement") == 0) {
            if (parse_placements(v, opt) != 0)
                return usage_error("--placement must be collection, shared, dedicated or all, "
                                   "not '%s'",
                                   v);
        } else if (strcmp(a, "--report") == 0) {
            opt->report_path = v;
        } else if (strcmp(a, "--svg") == 0) {
            opt->svg_path = v;
        } else if (strcmp(a, "--tenant-prefix") == 0) {
            opt->tenant_prefix = v;
        } else if (strcmp(a, "--min-recall") == 0) {
            char *end = NULL;
            double r = strtod(v, &end);
            if (*v == '\0' || *end != '\0' || !(r >= 0.0 && r <= 1.0))
                return usage_error("--min-recall must be a number in 0..1, not '%s'", v);
            opt->min_recall = r;
        } else {
            return usage_error("unknown option '%s'", a);
        }
    }
    if (!opt->api_key && opt->url_count > 0) {
        const char *env = getenv("TENANTQ_QDRANT_API_KEY");
        if (env && *env)
            opt->api_key = env;
    }
    return 0;
}
