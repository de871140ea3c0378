/* probe_run.c: one tenantq-probe run against a fresh devserver started here, so its
 * memory can be read from /proc; the probe runs with --keep, so the points are still
 * stored when the memory is read after it. */
#include "probe_run.h"

#include "bench.h"
#include "report.h"
#include "spawn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARGS_MAX 32
#define OUTPUT_MAX 8192

int bench_find_probe(const char *who, char *out, size_t cap)
{
    static const char *const candidates[] = {"/tenantq-probe", "/../probe/tenantq-probe"};
    if (spawn_find_program("TENANTQ_PROBE", candidates, 2, out, cap) == 0)
        return 0;
    fprintf(stderr, "%s: error: tenantq-probe not found (build it, or set TENANTQ_PROBE)\n", who);
    return -1;
}

double bench_report_number(const cJSON *report, const char *a, const char *b)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(report, a);
    if (b)
        v = cJSON_GetObjectItemCaseSensitive(v, b);
    return cJSON_IsNumber(v) ? v->valuedouble : -1.0;
}

static cJSON *read_report(const char *path)
{
    char *text = report_slurp(path);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    return root;
}

int bench_parse_counts(const char *list, size_t *out, size_t cap, size_t *n, size_t min,
                       size_t max)
{
    *n = 0;
    for (const char *p = list; p && *p;) {
        char *end = NULL;
        errno = 0;
        unsigned long long v = *p >= '0' && *p <= '9' ? strtoull(p, &end, 10) : 0;
        if (!end || errno || (*end != ',' && *end != '\0') || v < min || v > max || *n == cap)
            return -1;
        out[(*n)++] = (size_t)v;
        p = *end == ',' ? end + 1 : end;
        if (*end == ',' && *p == '\0')
            return -1; /* a trailing comma */
    }
    return *n ? 0 : -1;
}

int bench_parse_placements(const char *list, const char *out[2], size_t *n)
{
    static const char *const names[2] = {"collection", "shared"};
    int seen[2] = {0, 0};
    *n = 0;
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        int k = len == strlen(names[0]) && strncmp(p, names[0], len) == 0   ? 0
                : len == strlen(names[1]) && strncmp(p, names[1], len) == 0 ? 1
                                                                            : -1;
        if (k < 0 || seen[k]++ || (p[len] == ',' && p[len + 1] == '\0'))
            return -1;
        p += len + (p[len] == ',');
    }
    for (int k = 0; k < 2; k++) /* always in this order */
        if (seen[k])
            out[(*n)++] = names[k];
    return *n ? 0 : -1;
}

int bench_probe_run(const char *probe, const char *const *args, bench_probe_run_t *out)
{
    *out = (bench_probe_run_t){.status = -1, .rss_before_kib = -1, .rss_after_kib = -1};
    const char *argv[ARGS_MAX];
    size_t n = 0, given = 0;
    while (args[given])
        given++;
    if (given + 7 > ARGS_MAX) {
        fprintf(stderr, "tenantq-bench: error: %zu probe arguments, at most %d\n", given,
                ARGS_MAX - 7);
        return -1;
    }
    char report[] = "/tmp/tenantq-bench-probe-XXXXXX";
    int fd = mkstemp(report);
    if (fd < 0) {
        perror("tenantq-bench: error: the probe's report file");
        return -1;
    }
    close(fd);
    probe_server_t server;
    if (spawn_devserver(&server, NULL, 0, 1) != 0) {
        unlink(report);
        return -1;
    }
    argv[n++] = probe;
    argv[n++] = "--url";
    argv[n++] = server.url;
    for (size_t i = 0; i < given; i++)
        argv[n++] = args[i];
    argv[n++] = "--report";
    argv[n++] = report;
    argv[n++] = "--keep";
    argv[n] = NULL;
    char output[OUTPUT_MAX];
    out->rss_before_kib = bench_rss_kib(server.pid);
    double t0 = bench_now_us();
    out->status = bench_run_child(argv, output, sizeof output);
    out->wall_s = (bench_now_us() - t0) / 1e6;
    out->rss_after_kib = bench_rss_kib(server.pid);
    spawn_stop(&server);
    if (out->status == 0)
        out->report = read_report(report);
    unlink(report);
    return out->status == 0 && out->report ? 0 : -1;
}

void bench_probe_run_free(bench_probe_run_t *run)
{
    cJSON_Delete(run->report);
    run->report = NULL;
}

int bench_usage(const char *who, const char *what, const char *usage_text)
{
    fprintf(stderr, "tenantq-bench %s: error: %s\n%s", who, what, usage_text);
    return 2;
}

int bench_probe_option(const char *who, const char *usage_text, const char *a, const char *v,
                       const char *placements[2], size_t *placements_n, const char **out)
{
    if (strcmp(a, "--help") == 0) {
        fputs(usage_text, stdout);
        exit(0);
    }
    if (!v)
        return bench_usage(who, "an option is missing its value", usage_text);
    if (strcmp(a, "--placements") == 0) {
        if (bench_parse_placements(v, placements, placements_n) != 0)
            return bench_usage(who, "--placements takes collection, shared or both",
                               usage_text);
        return 1;
    }
    if (strcmp(a, "--out") == 0) {
        *out = v;
        return 1;
    }
    return 0;
}
