/* probes.h: the adversarial cross-tenant probes. */
#ifndef TQ_PROBE_PROBES_H
#define TQ_PROBE_PROBES_H

#include "run.h"

/* One planned probe: its kind, the calling tenant, the victim (pair kinds; otherwise
 * equal to the attacker) and the point it aims at. */
typedef struct probe_plan {
    probe_kind_t kind;
    size_t attacker;
    size_t victim;
    size_t point;
} probe_plan_t;

/* The deterministic plan of probe `i`: kinds in turn, pair kinds walking every ordered
 * pair (attacker, victim) before repeating one. `pair_index` and `tenant_index` count
 * the pair probes and single-tenant probes planned so far. */
probe_plan_t probes_plan(const probe_corpus_t *corpus, size_t i, size_t *pair_index,
                         size_t *tenant_index);

/* As probes_plan, over the kinds in `kinds` only (bit 1 << kind), in kind order. */
probe_plan_t probes_plan_kinds(const probe_corpus_t *corpus, unsigned kinds, size_t i,
                               size_t *pair_index, size_t *tenant_index);

/* Runs opt->probes probes on opt->concurrency threads against the run's contexts.
 * Leaks and failed checks go to the run's counters. Returns 0, or -1 when a thread
 * could not be started. */
int probes_run_all(probe_run_t *run);

#endif
