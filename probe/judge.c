/* judge.c: the leak judge and the failure log.
 *
 * A leak is any returned point the caller does not own by the probe's own ground
 * truth (the corpus): payloads, scores and the runtime's own verdict are never trusted
 * to decide it. This file must never drop a leak: counters always count, and only the
 * detailed list is capped at PROBE_FAILURES_KEPT. */
#include "judge.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int judge_owned(const probe_run_t *run, size_t caller, size_t bot, const char *key)
{
    size_t owner = 0, index = 0;
    if (!corpus_key_owner(run->corpus, key, &owner, &index))
        return 0;
    return owner == caller && corpus_point_bot(index) == bot;
}

/* Appends a failure to the kept list; the caller holds run->lock. */
static void keep_failure(probe_run_t *run, int leak, size_t caller, const char *kind,
                         const char *point, const char *message)
{
    if (run->failure_count >= PROBE_FAILURES_KEPT)
        return;
    probe_failure_t *f = &run->failures[run->failure_count++];
    f->leak = leak;
    snprintf(f->tenant, sizeof f->tenant, "%s",
             caller < run->corpus->tenants ? run->corpus->ids[caller] : "-");
    snprintf(f->kind, sizeof f->kind, "%s", kind);
    snprintf(f->point, sizeof f->point, "%s", point ? point : "");
    snprintf(f->message, sizeof f->message, "%s", message);
}

size_t judge_hits(probe_run_t *run, size_t caller, size_t bot, probe_kind_t kind,
                  const probe_hits_t *hits)
{
    size_t leaks = 0;
    for (size_t i = 0; i < hits->count; i++) {
        const char *key = hits->keys[i];
        if (judge_owned(run, caller, bot, key))
            continue;
        size_t owner = 0, index = 0;
        char message[320];
        if (corpus_key_owner(run->corpus, key, &owner, &index))
            snprintf(message, sizeof message,
                     "foreign point returned: owner %s scope %s, caller scope %s",
                     run->corpus->ids[owner], corpus_bot_name(corpus_point_bot(index)),
                     corpus_bot_name(bot));
        else
            snprintf(message, sizeof message, "point the probe never stored was returned");
        pthread_mutex_lock(&run->lock);
        run->leaks++;
        run->tenants[caller].leaks++;
        keep_failure(run, 1, caller, probe_kind_name(kind), key, message);
        pthread_mutex_unlock(&run->lock);
        leaks++;
    }
    return leaks;
}

void judge_fail(probe_run_t *run, size_t caller, probe_kind_t kind, const char *point,
                const char *fmt, ...)
{
    char message[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&run->lock);
    run->failed_checks++;
    keep_failure(run, 0, caller, probe_kind_name(kind), point, message);
    pthread_mutex_unlock(&run->lock);
}

void judge_status(probe_run_t *run, size_t caller, probe_kind_t kind, const char *op,
                  tq_status_t st, const tq_detail_t *detail)
{
    judge_status_in(run, caller, probe_kind_name(kind), op, st, detail);
}

void judge_status_in(probe_run_t *run, size_t caller, const char *phase, const char *op,
                     tq_status_t st, const tq_detail_t *detail)
{
    char message[320];
    snprintf(message, sizeof message, "%s: %s%s%.240s", op, tq_status_name(st),
             detail && detail->message[0] ? ": " : "", detail ? detail->message : "");
    pthread_mutex_lock(&run->lock);
    if (st == TQ_ELEAK)
        run->eleak_results++;
    else
        run->failed_checks++;
    keep_failure(run, 0, caller, phase, "", message);
    pthread_mutex_unlock(&run->lock);
}

void judge_cover_pair(probe_run_t *run, size_t attacker, size_t victim)
{
    size_t n = run->corpus->tenants;
    if (attacker >= n || victim >= n || attacker == victim || !run->pair_seen)
        return;
    pthread_mutex_lock(&run->lock);
    unsigned char *seen = &run->pair_seen[attacker * n + victim];
    if (!*seen) {
        *seen = 1;
        run->pairs_covered++;
    }
    pthread_mutex_unlock(&run->lock);
}

void judge_probe_done(probe_run_t *run, probe_kind_t kind)
{
    pthread_mutex_lock(&run->lock);
    run->probes_by_kind[kind]++;
    run->probes_run++;
    pthread_mutex_unlock(&run->lock);
    progress_step(run->progress, 1);
}

void judge_print_failures(const probe_run_t *run)
{
    const char *placement = tq_placement_name(run->placement);
    for (size_t i = 0; i < run->failure_count; i++) {
        const probe_failure_t *f = &run->failures[i];
        fprintf(stderr, "tenantq-probe: %s: %s%splacement=%s tenant=%s probe=%s point=%s: %s\n",
                f->leak ? "LEAK" : "FAILED", run->target, run->target[0] ? " " : "", placement,
                f->tenant, f->kind, f->point[0] ? f->point : "-", f->message);
    }
    uint64_t total = run->leaks + run->eleak_results + run->failed_checks;
    if (total > run->failure_count)
        fprintf(stderr, "tenantq-probe: placement=%s: %llu more not listed\n", placement,
                (unsigned long long)(total - run->failure_count));
}

/* The tenant's mean recall@k, or -1 when it ran no search with recall. */
double judge_tenant_recall(const probe_run_t *run, size_t t)
{
    const probe_tenant_t *pt = &run->tenants[t];
    return pt->recall_n ? pt->recall_sum / (double)pt->recall_n : -1.0;
}

double judge_recall_min(const probe_run_t *run)
{
    double min = -1.0;
    for (size_t t = 0; t < run->corpus->tenants; t++) {
        double r = judge_tenant_recall(run, t);
        if (r >= 0.0 && (min < 0.0 || r < min))
            min = r;
    }
    return min;
}

size_t judge_pairs_total(const probe_run_t *run)
{
    size_t n = run->corpus->tenants;
    return n * (n - 1);
}

int judge_verdict(probe_run_t *run)
{
    for (size_t t = 0; t < run->corpus->tenants; t++) {
        double r = judge_tenant_recall(run, t);
        if (r >= 0.0 && r < run->opt->min_recall)
            judge_fail(run, t, PK_COUNT, "", "mean recall@%u %.4f is below %.4f",
                       (unsigned)run->opt->k, r, run->opt->min_recall);
    }
    size_t pair_probes = 0;
    probe_kind_t kinds[PK_COUNT];
    size_t listed = probe_kinds_list(run->kinds, kinds);
    for (size_t k = 0; k < listed; k++) {
        if (probe_kind_is_pair(kinds[k]))
            pair_probes += run->opt->probes / listed + (k < run->opt->probes % listed);
    }
    size_t wanted = pair_probes < judge_pairs_total(run) ? pair_probes : judge_pairs_total(run);
    if (run->pairs_covered < wanted)
        judge_fail(run, 0, PK_COUNT, "", "only %zu of %zu ordered tenant pairs were probed",
                   run->pairs_covered, wanted);
    if (run->probes_run != run->opt->probes)
        judge_fail(run, 0, PK_COUNT, "", "%llu of %zu probes ran",
                   (unsigned long long)run->probes_run, run->opt->probes);
    return run->leaks || run->eleak_results || run->leak_guard_trips || run->failed_checks ? 1
                                                                                           : 0;
}
