/* judge.h: deciding, from the probe's own ground truth, whether a result leaked, and
 * recording every leak and failed check with tenant, probe kind and point. */
#ifndef TQ_PROBE_JUDGE_H
#define TQ_PROBE_JUDGE_H

#include "run.h"

/* 1 when `key` is a point the probe stored for tenant `caller` in scope `bot`. */
int judge_owned(const probe_run_t *run, size_t caller, size_t bot, const char *key);

/* Checks every key of `hits` returned to `caller` in scope `bot`; each foreign one is
 * recorded as a leak. Returns the number of leaks found. */
size_t judge_hits(probe_run_t *run, size_t caller, size_t bot, probe_kind_t kind,
                  const probe_hits_t *hits);

/* Records a failed check (not a leak) for `caller` ("" point when none applies). */
void judge_fail(probe_run_t *run, size_t caller, probe_kind_t kind, const char *point,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Records a call that returned `st` (not TQ_OK). TQ_ELEAK is counted apart: the
 * runtime's guard refused foreign data the server sent. */
void judge_status(probe_run_t *run, size_t caller, probe_kind_t kind, const char *op,
                  tq_status_t st, const tq_detail_t *detail);

/* As judge_status, for a phase outside the probes ("offboard"). */
void judge_status_in(probe_run_t *run, size_t caller, const char *phase, const char *op,
                     tq_status_t st, const tq_detail_t *detail);

/* Marks the ordered pair (attacker, victim) as probed. */
void judge_cover_pair(probe_run_t *run, size_t attacker, size_t victim);

/* Counts one completed probe of `kind`. */
void judge_probe_done(probe_run_t *run, probe_kind_t kind);

/* Prints every kept failure to stderr, one line each, then a line for any not kept. */
void judge_print_failures(const probe_run_t *run);

/* The tenant's mean recall@k, or -1 when it ran no search with recall. */
double judge_tenant_recall(const probe_run_t *run, size_t t);

/* The lowest per-tenant mean recall@k, or -1 when no search ran. */
double judge_recall_min(const probe_run_t *run);

/* Ordered tenant pairs: n(n-1). */
size_t judge_pairs_total(const probe_run_t *run);

/* Final checks after the probes: every tenant's recall against --min-recall, every
 * ordered pair probed when the probe count allows, every probe run. Returns 1 when the
 * run has any leak, guard trip or failed check, else 0. */
int judge_verdict(probe_run_t *run);

#endif
