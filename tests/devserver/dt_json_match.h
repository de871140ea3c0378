/* dt_json_match.h: "does this JSON contain that JSON" for the devserver test tables. */
#ifndef DT_JSON_MATCH_H
#define DT_JSON_MATCH_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Matches `actual` against the pattern `expected`: objects match when every expected
 * key matches (extra actual keys allowed unless the pattern has "@only": true), arrays
 * match element by element with equal length (or in any order when the first pattern
 * element is "@unordered"), numbers match within 1e-5 relative, other scalars exactly.
 * Pattern strings starting with '@' are predicates: @any @absent @null-or-absent
 * @number @uint @string @array @object @prefix:TEXT @contains:TEXT. On a mismatch
 * returns false and writes "at PATH: reason" to why (n bytes). */
bool dt_json_match(const cJSON *expected, const cJSON *actual, char *why, size_t n);

/* Copies `text` with every ' turned into ", so tables can write JSON readably.
 * Returns a malloc'd string (NULL on allocation failure); the caller frees it. */
char *dt_json_quotes(const char *text);

#endif
