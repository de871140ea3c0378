/* svg.h: charts of p50/p95 latency bars: the probe's per-tenant chart, one panel per
 * placement, and the generic panels behind it. */
#ifndef TQ_PROBE_SVG_H
#define TQ_PROBE_SVG_H

#include "run.h"

/* One panel: a p50/p95 bar pair per label, in milliseconds; all borrowed. Labels are
 * written unescaped, so they must not hold XML specials (tenant ids never do). */
typedef struct svg_panel {
    const char *title;
    const char *const *labels;
    const double *p50;
    const double *p95;
    size_t count;
} svg_panel_t;

/* Writes the panels, all on one scale, under `title` to `path`. Returns 0, or -1 after
 * printing why. Also used by tenantq-bench growth. */
int svg_write_panels(const svg_panel_t *panels, size_t count, const char *title,
                     const char *path);

/* Writes the probe's chart to `path`. Returns 0, or -1 after printing why. */
int svg_write(probe_run_t *runs, size_t count, const char *path);

#endif
