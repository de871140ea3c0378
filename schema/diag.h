/* diag.h: recording diagnostics for the schema library (rendering is in diag.c too). */
#ifndef TQ_SCHEMA_DIAG_H
#define TQ_SCHEMA_DIAG_H

#include "schema.h"

#if defined(__GNUC__) || defined(__clang__)
#define TQS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define TQS_PRINTF(fmt, args)
#endif

/* Records one diagnostic. Returns 0, or -1 when out of memory. Once the error cap is
 * reached further errors and warnings are dropped and `truncated` is set. */
int tqs_diag(tq_schema_diags_t *diags, tq_schema_severity_t severity, tq_schema_pos_t pos,
             const char *fmt, ...) TQS_PRINTF(4, 5);

#include <stdarg.h>

/* As tqs_diag, with a va_list. */
int tqs_vdiag(tq_schema_diags_t *diags, tq_schema_severity_t severity, tq_schema_pos_t pos,
              const char *fmt, va_list args) TQS_PRINTF(4, 0);

/* As tqs_diag, but records an allocation failure in *nomem instead of returning it, so
 * the parser and the checks can report and carry on. */
void tqs_report(tq_schema_diags_t *diags, int *nomem, tq_schema_severity_t severity,
                tq_schema_pos_t pos, const char *fmt, ...) TQS_PRINTF(5, 6);

/* Orders the diagnostics by position, keeping the order of those at one position. */
void tqs_diag_sort(tq_schema_diags_t *diags);

/* Whether the run must stop (cap reached). */
int tqs_diag_stopped(const tq_schema_diags_t *diags);

#endif
