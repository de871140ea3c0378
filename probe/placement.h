/* placement.h: one complete probe run over one placement. */
#ifndef TQ_PROBE_PLACEMENT_H
#define TQ_PROBE_PLACEMENT_H

#include "run.h"

/* The environment variable the probe's registry names for the API key. */
#define PROBE_API_KEY_ENV "TENANTQ_PROBE_API_KEY"

/* Builds the registry for the run's placement (the shared endpoint at urls[0];
 * dedicated tenants alternate between endpoints d0 at urls[0] and d1 at urls[1]),
 * opens a client, cleans and onboards every tenant, ingests, runs the probes and,
 * unless --keep, offboards. Returns 0 when the probes ran (leaks and failed checks are
 * in `run`), or 2 after printing a set-up error. */
int placement_run(probe_run_t *run, const char *const urls[2], int have_api_key);

#endif
