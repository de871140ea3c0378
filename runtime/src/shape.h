/* shape.h: the canonical text of what a collection's stored points depend on. Shared by
 * the runtime (fingerprints on the server) and tenantq-gen (the FINGERPRINT macro and
 * the breaking check), so both always agree byte for byte. */
#ifndef TQ_SHAPE_H
#define TQ_SHAPE_H

#include <tenantq/raw.h>

#include <stddef.h>

/* First line of every shape text; bumped if the format ever changes. */
#define TQ_SHAPE_HEADER "tenantq-shape 1"

/* The modifier of the BM25 sparse vector (Qdrant `modifier: idf`), as the shape names it. */
#define TQ_SHAPE_SPARSE_MODIFIER "idf"

/* Writes the shape text of `c` to `out` (`cap` bytes, may be 0 with `out` NULL) when it
 * fits, and returns its length without the NUL; the caller checks that the result is
 * below `cap`. Lines, each ending in '\n':
 *   tenantq-shape 1
 *   vector NAME DIM DISTANCE
 *   scope NAME            (one per scope field, in declared order: ids depend on it)
 *   sparse NAME idf F,G   (only when a sparse vector is declared; text fields in order)
 *   field NAME TYPE [indexed]   (one per field, sorted by name)
 * The descriptor must have passed tq_collection_check; field names are unique. */
size_t tq_shape_text(const tq_raw_collection_t *c, char *out, size_t cap);

/* The spelling of a distance ("Cosine"); NULL when out of range. */
const char *tq_shape_distance_name(tq_distance_t distance);

#endif
