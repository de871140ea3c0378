/* api.h: the probe's view of a generated client: tq_probe_collection_t from
 * <tenantq/probe.h>, under the probe's own short names.
 *
 * The generator fixes a collection's vector dimension at generation time, so the build
 * generates one client per supported dimension (probe_d64, probe_d384, ...; see
 * probe/CMakeLists.txt) and each instance of api_dim.c.in adapts its typed calls to
 * the table; a user's schema gets its tables from `tenantq-gen --probe`. Nothing here
 * names a collection, a tenant filter or a point id: every call goes through the
 * generated functions with the caller's context. */
#ifndef TQ_PROBE_API_H
#define TQ_PROBE_API_H

#include <stddef.h>
#include <stdint.h>

#include <tenantq/probe.h>
#include <tenantq/tenantq.h>

typedef tq_probe_point_t probe_point_t;
typedef tq_probe_filter_t probe_filter_t;
typedef tq_probe_hits_t probe_hits_t;
typedef tq_probe_collection_t probe_api_t;

void probe_hits_free(probe_hits_t *hits);

/* The built-in client generated for `dim`, or NULL when the build has none for it. */
const probe_api_t *probe_api_for_dim(uint32_t dim);

/* Writes the supported dimensions, comma-separated, into `buf` (for error messages). */
void probe_api_dims(char *buf, size_t cap);

#endif
