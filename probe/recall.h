/* recall.h: recall@k of a search against the exact top-k over the caller's own
 * points. */
#ifndef TQ_PROBE_RECALL_H
#define TQ_PROBE_RECALL_H

#include "run.h"

/* The exact answer is computed over the caller's points in scope `bot` (only those of
 * topic `topic` when it is >= 0). A returned key counts when the caller owns it, it
 * passes the topic condition, and its true similarity reaches the k-th best (ties
 * within 1e-4 count). Returns recall in 0..1 and adds it to the caller's figures, or
 * -1 when the caller has no eligible point or memory ran out (nothing recorded). */
double recall_check(probe_run_t *run, size_t caller, size_t bot, const float *query,
                    long topic, const probe_hits_t *hits, uint32_t k);

#endif
