/* main.c: tenantq-probe, the live cross-tenant leakage probe and per-tenant benchmark.
 *
 * Starts its own tenantq-devserver children unless --url is given, runs every chosen
 * placement (placement.c), prints each leak and failed check with tenant, probe kind
 * and point, the summary table, and writes the JSON report and SVG chart. Exit status:
 * 0 every probe ran with zero leaks and every check held, 1 a leak or failed check, 2
 * a set-up error. It must never print the API key or pass it anywhere but the
 * environment (of the devserver children, and the variable the registry names). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "judge.h"
#include "placement.h"
#include "report.h"
#include "spawn.h"
#include "svg.h"

#define EXIT_CLEAN 0
#define EXIT_FINDINGS 1
#define EXIT_SETUP 2

/* A random key for spawned servers when --jwt is asked without --api-key. */
static int random_key(char *out, size_t cap)
{
    unsigned char raw[24];
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f)
        return -1;
    size_t got = fread(raw, 1, sizeof raw, f);
    fclose(f);
    if (got != sizeof raw || cap < 2 * sizeof raw + 1)
        return -1;
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

/* Checks every tenant id built from --tenant-prefix with the runtime's own rule.
 * Returns 0, or -1 after printing the first bad one. */
static int check_tenant_ids(const probe_corpus_t *corpus)
{
    for (size_t t = 0; t < corpus->tenants; t++) {
        tq_detail_t detail;
        memset(&detail, 0, sizeof detail);
        if (tq_tenant_id_validate(corpus->ids[t], &detail) != TQ_OK) {
            fprintf(stderr, "tenantq-probe: error: tenant id '%s': %s\n", corpus->ids[t],
                    detail.message);
            return -1;
        }
    }
    return 0;
}

static int needs_two_servers(const probe_options_t *opt)
{
    for (size_t i = 0; i < opt->placement_count; i++) {
        if (opt->placements[i] == TQ_PLACEMENT_DEDICATED)
            return 1;
    }
    return 0;
}

/* Runs every chosen placement in turn, then prints failures and the table and writes
 * the report and chart. Returns the exit status. A set-up error in one placement stops
 * the run; the placements done so far are still reported. */
static int run_placements(const probe_options_t *opt, const probe_api_t *api,
                          const probe_corpus_t *corpus, const char *const urls[2],
                          probe_progress_t *progress)
{
    int findings = 0, setup_failed = 0;
    size_t inited = 0;
    probe_run_t *runs = calloc(opt->placement_count, sizeof *runs);
    if (!runs) {
        fprintf(stderr, "tenantq-probe: error: out of memory\n");
        return EXIT_SETUP;
    }
    for (size_t i = 0; i < opt->placement_count && !setup_failed; i++) {
        probe_run_t *run = &runs[i];
        if (run_init(run, opt, opt->placements[i], api, corpus) != 0) {
            fprintf(stderr, "tenantq-probe: error: out of memory\n");
            setup_failed = 1;
            break;
        }
        inited++;
        run->progress = progress;
        if (opt->progress)
            fprintf(stderr, "placement %s\n", tq_placement_name(run->placement));
        if (placement_run(run, urls, opt->api_key != NULL) != 0) {
            setup_failed = 1;
            break;
        }
        findings |= judge_verdict(run);
        judge_print_failures(run);
    }
    int status = setup_failed ? EXIT_SETUP : findings ? EXIT_FINDINGS : EXIT_CLEAN;
    if (!setup_failed)
        report_print_table(runs, inited);
    if (opt->report_path && inited > 0 && report_write_json(runs, inited, opt->report_path))
        status = EXIT_SETUP;
    if (opt->svg_path && inited > 0 && svg_write(runs, inited, opt->svg_path) != 0)
        status = EXIT_SETUP;
    for (size_t i = 0; i < inited; i++)
        run_free(&runs[i]);
    free(runs);
    return status;
}

/* Chooses the key (generating one for --jwt with spawned servers) and puts it where the
 * registry says the runtime finds it. Returns 0, or -1 after printing why. */
static int setup_api_key(probe_options_t *opt, char *generated, size_t cap)
{
    if (opt->jwt && !opt->api_key) {
        if (opt->url_count > 0) {
            fprintf(stderr, "tenantq-probe: error: --jwt with --url needs --api-key (or "
                            "TENANTQ_QDRANT_API_KEY): the server's key signs the tokens\n");
            return -1;
        }
        if (random_key(generated, cap) != 0) {
            fprintf(stderr, "tenantq-probe: error: could not read /dev/urandom\n");
            return -1;
        }
        opt->api_key = generated;
    }
    if (opt->api_key ? setenv(PROBE_API_KEY_ENV, opt->api_key, 1)
                     : unsetenv(PROBE_API_KEY_ENV)) {
        perror("tenantq-probe: error: setenv");
        return -1;
    }
    return 0;
}

/* Stops the spawned servers, or with --keep leaves them running and says where. */
static void stop_servers(const probe_options_t *opt, probe_server_t *servers, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (opt->keep) {
            printf("kept tenantq-devserver pid %ld at %s\n", (long)servers[i].pid,
                   servers[i].url);
            continue;
        }
        int rc = spawn_stop(&servers[i]);
        if (rc != 0)
            fprintf(stderr, "tenantq-probe: warning: tenantq-devserver at %s exited with %d\n",
                    servers[i].url, rc);
    }
}

int main(int argc, char **argv)
{
    probe_options_t opt;
    int parsed = cli_parse(argc, argv, &opt);
    if (parsed != 0)
        return parsed > 0 ? EXIT_CLEAN : EXIT_SETUP;
    signal(SIGPIPE, SIG_IGN);

    const probe_api_t *api = probe_api_for_dim(opt.dim);
    if (!api) {
        char dims[256];
        probe_api_dims(dims, sizeof dims);
        fprintf(stderr,
                "tenantq-probe: error: no client was generated for --dim %u (built for: %s; "
                "add dimensions with -DTENANTQ_PROBE_DIMS at configure time)\n",
                (unsigned)opt.dim, dims);
        return EXIT_SETUP;
    }

    int status = EXIT_SETUP;
    probe_corpus_t corpus;
    probe_server_t servers[2];
    size_t server_count = 0;
    char generated_key[64];
    probe_progress_t progress;
    progress_init(&progress, opt.progress);
    if (corpus_init(&corpus, opt.seed, opt.dim, opt.tenants, opt.vectors, opt.tenant_prefix) !=
        0) {
        fprintf(stderr, "tenantq-probe: error: out of memory, or --tenant-prefix too long\n");
        goto done;
    }
    if (check_tenant_ids(&corpus) != 0 ||
        setup_api_key(&opt, generated_key, sizeof generated_key) != 0)
        goto done;
    const char *urls[2] = {opt.urls[0], opt.url_count > 1 ? opt.urls[1] : opt.urls[0]};
    if (opt.url_count == 0) {
        size_t want = needs_two_servers(&opt) ? 2 : 1;
        for (; server_count < want; server_count++) {
            if (spawn_devserver(&servers[server_count], opt.api_key, opt.jwt, !opt.keep) != 0)
                goto done;
        }
        urls[0] = servers[0].url;
        urls[1] = servers[server_count - 1].url;
    }
    status = run_placements(&opt, api, &corpus, urls, &progress);
done:
    stop_servers(&opt, servers, server_count);
    corpus_free(&corpus);
    progress_destroy(&progress);
    return status;
}
