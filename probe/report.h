/* report.h: the JSON report and the end-of-run table. */
#ifndef TQ_PROBE_REPORT_H
#define TQ_PROBE_REPORT_H

#include "run.h"

/* Writes the report for `count` runs to `path`: one object for a single placement,
 * {"reports": [...]} for several. Returns 0, or -1 after printing why. */
int report_write_json(probe_run_t *runs, size_t count, const char *path);

/* Prints the summary table (and a per-tenant table) to stdout. */
void report_print_table(probe_run_t *runs, size_t count);

#endif
