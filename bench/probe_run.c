/* probe_run.c: one tenantq-probe run against a fresh devserver started here, so its
 * memory can be read from /proc; the probe runs with --keep, so the points are still
 * stored when the memory is read after it. */
#include "probe_run.h"

#include "bench.h"
#include "report.h"
#include "spawn.h"

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

int bench_parse_placements(const char *list, const char *out[2], size_t *n)
{
    *n = 0;
    if (strstr(list, "collection"))
        out[(*n)++] = "collection";
    if (strstr(list, "shared"))
        out[(*n)++] = "shared";
    return *n ? 0 : -1;
}

int bench_probe_run(const char *probe, const char *const *args, bench_probe_run_t *out)
{
    *out = (bench_probe_run_t){.status = -1, .rss_before_kib = -1, .rss_after_kib = -1};
    const char *argv[ARGS_MAX];
    size_t n = 0;
    probe_server_t server;
    if (spawn_devserver(&server, NULL, 0, 1) != 0)
        return -1;
    char report[] = "/tmp/tenantq-bench-probe-XXXXXX";
    int fd = mkstemp(report);
    if (fd >= 0)
        close(fd);
    argv[n++] = probe;
    argv[n++] = "--url";
    argv[n++] = server.url;
    for (size_t i = 0; args[i] && n < ARGS_MAX - 5; i++)
        argv[n++] = args[i];
    argv[n++] = "--report";
    argv[n++] = report;
    argv[n++] = "--keep";
    argv[n] = NULL;
    char output[OUTPUT_MAX];
    out->rss_before_kib = bench_rss_kib(server.pid);
    double t0 = bench_now_us();
    out->status = fd >= 0 ? bench_run_child(argv, output, sizeof output) : -1;
    out->wall_s = (bench_now_us() - t0) / 1e6;
    out->rss_after_kib = bench_rss_kib(server.pid);
    spawn_stop(&server);
    if (out->status == 0)
        out->report = read_report(report);
    if (fd >= 0)
        unlink(report);
    return out->status == 0 && out->report ? 0 : -1;
}

void bench_probe_run_free(bench_probe_run_t *run)
{
    cJSON_Delete(run->report);
    run->report = NULL;
}
