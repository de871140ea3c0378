/* paired.c: runs the in-process clients of the comparison side by side, each against
 * its own fresh server, so that they are measured under the same conditions.
 *
 * A shared machine's speed moves by more than the difference being measured (the same
 * client's p50 has been seen to change by 1.7x within an hour here). Whole runs taken
 * one after the other catch those moves unevenly; the clients instead take turns at
 * blocks of searches, the one going first alternating, which spreads them over all
 * alike. Ingest is timed per client, one after the other. It must never let one client's work fall
 * inside another's timing, and never time anything but the call itself. */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Searches each client sends before the other's turn: one pass over the default ten
 * tenants, a few milliseconds. Single searches in turn evict each client's working set
 * before every request, which cost the generated client (ten connections, a larger
 * library) about two points more of ratio than the hand-written one. Blocks of 100 kept
 * both warm but let one burst of the machine's noise, tens of milliseconds long, fall
 * on one client's block alone: their rounds' p95 ratios ranged from 0.98x to 1.13x,
 * against 1.04x to 1.10x with blocks of 10. */
#define PAIRED_BLOCK 10

/* The timed search phase, in a function of its own so callgrind can count it alone
 * (--toggle-collect=bench_paired_searches, with one client). */
int bench_paired_searches(const bench_client_t *const *clients, void *const *sessions, size_t n,
                          size_t first, const bench_corpus_t *c, bench_samples_t *lat,
                          uint64_t *hits);
int bench_paired_searches(const bench_client_t *const *clients, void *const *sessions, size_t n,
                          size_t first, const bench_corpus_t *c, bench_samples_t *lat,
                          uint64_t *hits)
{
    for (size_t from = 0; from < c->w.searches; from += PAIRED_BLOCK) {
        size_t to = c->w.searches - from > PAIRED_BLOCK ? from + PAIRED_BLOCK : c->w.searches;
        for (size_t step = 0; step < n; step++) {
            size_t k = (first + from / PAIRED_BLOCK + step) % n;
            for (size_t i = from; i < to; i++) {
                double t0 = bench_now_us();
                if (clients[k]->search(sessions[k], c, i, &hits[k]) != 0)
                    return -1;
                if (bench_samples_add(&lat[k], bench_now_us() - t0) != 0) {
                    fprintf(stderr, "tenantq-bench: error: out of memory for latency samples\n");
                    return -1;
                }
            }
        }
    }
    return 0;
}

#define PAIRED_MAX 4
#define PAIRED_WARM_UP 100

int bench_run_paired(const bench_client_t *const *clients, const bench_target_t *targets,
                     size_t n, size_t first, const bench_corpus_t *c, bench_result_t *out)
{
    void *sessions[PAIRED_MAX] = {0};
    bench_samples_t lat[PAIRED_MAX];
    uint64_t hits[PAIRED_MAX] = {0};
    if (n == 0 || n > PAIRED_MAX) {
        fprintf(stderr, "tenantq-bench: error: %zu clients to pair (1..%d)\n", n, PAIRED_MAX);
        return -1;
    }
    memset(lat, 0, sizeof lat);
    memset(out, 0, n * sizeof *out);
    int rc = -1;
    for (size_t k = 0; k < n; k++) {
        if (!(sessions[k] = clients[k]->open(&targets[k], c)))
            goto done;
    }
    for (size_t step = 0; step < n; step++) {
        size_t k = (first + step) % n;
        double t0 = bench_now_us();
        if (clients[k]->ingest(sessions[k], c) != 0)
            goto done;
        out[k].ingest_vps =
            (double)(c->w.tenants * c->w.vectors) / ((bench_now_us() - t0) / 1e6);
    }
    /* 100 untimed searches each first: the first searches after a bulk ingest run up to
     * 1.5x slower for any client, for a few tens of milliseconds, while the machine
     * settles. */
    for (size_t step = 0; step < n; step++) {
        size_t k = (first + step) % n;
        uint64_t warm_hits = 0;
        for (size_t i = 0; i < PAIRED_WARM_UP && i < c->w.searches; i++) {
            if (clients[k]->search(sessions[k], c, i, &warm_hits) != 0)
                goto done;
        }
    }
    if (bench_paired_searches(clients, sessions, n, first, c, lat, hits) != 0)
        goto done;
    for (size_t k = 0; k < n; k++) {
        out[k].hits = hits[k];
        out[k].search_p50_us = bench_samples_quantile(&lat[k], 0.50);
        out[k].search_p95_us = bench_samples_quantile(&lat[k], 0.95);
    }
    rc = 0;
done:
    for (size_t k = 0; k < n; k++) {
        if (sessions[k])
            clients[k]->close(sessions[k]);
        bench_samples_free(&lat[k]);
    }
    return rc;
}
