/* detail.h: filling the per-call tq_detail_t. */
#ifndef TQ_DETAIL_H
#define TQ_DETAIL_H

#include <tenantq/tenantq.h>

/* Writes status, HTTP status and a formatted message to `detail` (NULL: nothing) and
 * returns `status`, so failures read `return tq_fail(detail, TQ_EINVAL, 0, "...")`. */
tq_status_t tq_fail(tq_detail_t *detail, tq_status_t status, long http_status,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Resets `detail` to TQ_OK with an empty message (NULL: nothing). */
void tq_detail_ok(tq_detail_t *detail);

#endif
