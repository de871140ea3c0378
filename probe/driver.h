/* driver.h: the probe from parsed options to exit status, over one or more generated
 * collections; shared by tenantq-probe (its built-in client) and the `<target>_probe`
 * executables built for a user's schema (tq_probe_main). */
#ifndef TQ_PROBE_DRIVER_H
#define TQ_PROBE_DRIVER_H

#include <stddef.h>

#include "api.h"
#include "cli.h"

#define EXIT_CLEAN 0
#define EXIT_FINDINGS 1
#define EXIT_SETUP 2

/* One collection to probe, with the scope whose value varies (`axis`). */
typedef struct probe_target {
    const probe_api_t *api;
    size_t axis;
    int named; /* a user's schema: reports and failures name the collection and scope */
} probe_target_t;

/* Starts the devservers unless --url, runs every target over every chosen placement,
 * prints each leak and failed check, the summary table, and writes the report and
 * chart over all runs. Returns the exit status (EXIT_*). */
int probe_drive(probe_options_t *opt, const probe_target_t *targets, size_t count);

#endif
