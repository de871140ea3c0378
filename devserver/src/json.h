/* json.h: request-body JSON parser into arena-allocated cJSON trees. */
#ifndef DS_JSON_H
#define DS_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

/* Set on number nodes written with a fraction or exponent ("5.0", "1e3"). */
#define DS_JSON_FLOAT 0x1000
/* Set on array nodes holding vector data packed as floats: no children; valuestring
 * points at `valueint` floats. Only arrays under the keys vector, vectors, query and
 * nearest outside payloads are packed; read them with ds_json_floats. */
#define DS_JSON_PACKED 0x2000

typedef struct ds_arena ds_arena_t;

/* Creates an arena whose total allocations may not exceed `limit` bytes. */
ds_arena_t *ds_arena_new(size_t limit);
/* Frees the arena and every tree parsed into it; NULL is fine. */
void ds_arena_free(ds_arena_t *arena);

/* Frees the blocks kept for reuse by finished arenas (at exit, for leak checkers). */
void ds_arena_pool_release(void);

/* 16-byte aligned zeroed memory from the arena, or NULL past its limit. */
void *ds_arena_alloc(ds_arena_t *arena, size_t n);

/* Parses `len` bytes into a tree owned by `arena` (never pass it to cJSON_Delete).
 * Returns NULL on error with a serde-like message in err (size errlen). Nesting
 * deeper than max_depth is an error. Integer numbers with more than 15 digits keep
 * their text in valuestring so u64 ids stay exact. */
cJSON *ds_json_parse(ds_arena_t *arena, const char *text, size_t len, int max_depth, char *err,
                     size_t errlen);

/* Copies up to max floats of an array (packed or not) into out and returns the element
 * count; stops with *non_number set at the first element that is not a number. */
size_t ds_json_floats(const cJSON *arr, float *out, size_t max, int *non_number);
/* Reads a number node as an exact u64: 1 on success (non-negative integer that fits),
 * 0 otherwise. */
int ds_json_u64(const cJSON *node, uint64_t *out);
/* Reads a number node as an exact i64 (integers only): 1 on success. */
int ds_json_i64(const cJSON *node, int64_t *out);

#endif
