/* json.h: bounded JSON parsing and the request-body pieces every operation shares. */
#ifndef TQ_JSON_H
#define TQ_JSON_H

#include <tenantq/raw.h>

#include <cjson/cJSON.h>

#include "float_text.h"

/* 1 when no array/object in `text` nests deeper than `max_depth`, scanning bytes only
 * (strings and escapes honoured), so hostile nesting is refused before parsing. */
int tq_json_depth_ok(const char *text, size_t len, int max_depth);

/* Parses a response body under the depth limit: TQ_ELIMIT when too deep, TQ_EPROTO
 * when not JSON, TQ_ENOMEM. */
tq_status_t tq_json_parse_limited(const char *text, size_t len, int max_depth, cJSON **out,
                                  tq_detail_t *detail);

/* Builds {"must": [tenant match, scope matches..., (has_id ids)?, user conditions...]}.
 * `ids` may be NULL. NULL when out of memory. */
cJSON *tq_json_scope_filter(const char *tenant, const tq_raw_collection_t *c,
                            const char *const *scope_values, const char *const *ids,
                            size_t id_count);

/* {"key": key, "match": {"value": value}}; NULL when out of memory. */
cJSON *tq_json_match_keyword(const char *key, const char *value);

/* Prints `root` compactly (tq-independent cJSON allocation, free with cJSON_free);
 * NULL when out of memory. Never deletes `root`. */
char *tq_json_print(const cJSON *root);

/* The most bytes tq_json_vector_text writes for `dim` values, NUL included. */
#define TQ_JSON_VECTOR_TEXT_MAX(dim) ((dim) * (TQ_FLOAT_TEXT_MAX + 1) + 3)

/* Writes `dim` finite floats as a JSON array ("[1,0.5]") and a NUL into `out`, which
 * holds TQ_JSON_VECTOR_TEXT_MAX(dim) bytes; returns the length without the NUL. */
size_t tq_json_vector_text(const float *v, size_t dim, char *out);

/* Adds a float array of `dim` values to `parent` under `name` (an object) or appends
 * it (an array, name NULL); 0 on success, -1 when out of memory. Values must already
 * be finite. */
int tq_json_add_vector(cJSON *parent, const char *name, const float *v, size_t dim);

/* Exact JSON numbers (cJSON's own printer may round to 15 digits): an integer as
 * %lld, a finite double as %.17g. NULL when out of memory. */
cJSON *tq_json_int(int64_t value);
cJSON *tq_json_double(double value);

/* A JSON array of `count` strings or integers (NULL when out of memory). Values must
 * already be checked. */
cJSON *tq_json_string_array(const char *const *values, size_t count);
cJSON *tq_json_int_array(const int64_t *values, size_t count);

#endif
