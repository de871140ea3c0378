/* driver.c: the probe from parsed options to exit status, over one or more generated
 * collections.
 *
 * Starts its own tenantq-devserver children unless --url is given, runs every target
 * (a collection and the scope that varies) over every chosen placement (placement.c),
 * prints each leak and failed check with tenant, probe kind and point, the summary
 * table, and writes the JSON report and SVG chart. A target's corpus has the
 * target's dimension. It must never print the API key or pass it anywhere but the
 * environment (of the devserver children, and the variable the registry names). */
#include "driver.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "placement.h"
#include "report.h"
#include "spawn.h"
#include "svg.h"

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

/* Runs every target over every chosen placement in turn, then prints failures and the
 * table and writes the report and chart. Returns the exit status. A set-up error stops
 * the run; the runs done so far are still reported. */
static int run_targets(const probe_options_t *opt, const probe_target_t *targets,
                       size_t target_count, const probe_corpus_t *corpora,
                       const char *const urls[2], probe_progress_t *progress)
{
    int findings = 0, setup_failed = 0;
    size_t inited = 0, total = target_count * opt->placement_count;
    probe_run_t *runs = calloc(total ? total : 1, sizeof *runs);
    if (!runs) {
        fprintf(stderr, "tenantq-probe: error: out of memory\n");
        return EXIT_SETUP;
    }
    for (size_t i = 0; i < total && !setup_failed; i++) {
        const probe_target_t *target = &targets[i / opt->placement_count];
        probe_run_t *run = &runs[i];
        if (run_init(run, opt, opt->placements[i % opt->placement_count], target->api,
                     &corpora[i / opt->placement_count], target->axis) != 0) {
            fprintf(stderr, "tenantq-probe: error: out of memory\n");
            setup_failed = 1;
            break;
        }
        inited++;
        if (target->named)
            snprintf(run->target, sizeof run->target, "collection=%s.%s scope=%s",
                     target->api->schema, target->api->collection,
                     target->api->scope_names[target->axis]);
        run->progress = progress;
        if (opt->progress)
            fprintf(stderr, "%s%splacement %s\n", run->target, run->target[0] ? " " : "",
                    tq_placement_name(run->placement));
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

int probe_drive(probe_options_t *opt, const probe_target_t *targets, size_t count)
{
    signal(SIGPIPE, SIG_IGN);
    int status = EXIT_SETUP;
    size_t corpora_inited = 0, server_count = 0;
    probe_server_t servers[2];
    char generated_key[64];
    probe_progress_t progress;
    progress_init(&progress, opt->progress);
    probe_corpus_t *corpora = calloc(count ? count : 1, sizeof *corpora);
    if (!corpora) {
        fprintf(stderr, "tenantq-probe: error: out of memory\n");
        goto done;
    }
    for (; corpora_inited < count; corpora_inited++) {
        if (corpus_init(&corpora[corpora_inited], opt->seed, targets[corpora_inited].api->dim,
                        opt->tenants, opt->vectors, opt->tenant_prefix) != 0) {
            fprintf(stderr,
                    "tenantq-probe: error: out of memory, or --tenant-prefix too long\n");
            goto done;
        }
    }
    if (count == 0 || check_tenant_ids(&corpora[0]) != 0 ||
        setup_api_key(opt, generated_key, sizeof generated_key) != 0)
        goto done;
    const char *urls[2] = {opt->urls[0], opt->url_count > 1 ? opt->urls[1] : opt->urls[0]};
    if (opt->url_count == 0) {
        size_t want = needs_two_servers(opt) ? 2 : 1;
        for (; server_count < want; server_count++) {
            if (spawn_devserver(&servers[server_count], opt->api_key, opt->jwt, !opt->keep) !=
                0)
                goto done;
        }
        urls[0] = servers[0].url;
        urls[1] = servers[server_count - 1].url;
    }
    status = run_targets(opt, targets, count, corpora, urls, &progress);
done:
    stop_servers(opt, servers, server_count);
    for (size_t i = 0; i < corpora_inited; i++)
        corpus_free(&corpora[i]);
    free(corpora);
    progress_destroy(&progress);
    return status;
}
