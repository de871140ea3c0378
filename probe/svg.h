/* svg.h: a chart of per-tenant p50/p95 latency, one panel per placement. */
#ifndef TQ_PROBE_SVG_H
#define TQ_PROBE_SVG_H

#include "run.h"

/* Writes the chart to `path`. Returns 0, or -1 after printing why. */
int svg_write(probe_run_t *runs, size_t count, const char *path);

#endif
