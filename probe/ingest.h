/* ingest.h: loading every tenant's corpus through the generated upsert. */
#ifndef TQ_PROBE_INGEST_H
#define TQ_PROBE_INGEST_H

#include "run.h"

/* Upserts every tenant's points in batches of opt->batch on opt->concurrency threads,
 * filling the run's ingest figures. Returns 0, or -1 after printing the first failure
 * (a set-up error: the probes would have no ground truth). */
int ingest_all(probe_run_t *run);

#endif
