/* path.h: resolving Qdrant payload key paths ("a.b", "a[].b", "a[2]"). */
#ifndef DS_PATH_H
#define DS_PATH_H

#include <stddef.h>
#include <cjson/cJSON.h>

#define DS_PATH_MAX_VALUES 1024

/* Collects the values at `path` in `payload`, flattening a final array into its
 * elements. Writes at most `max` pointers (into the payload) to out and returns the
 * number found (capped at max). A missing key yields 0. */
size_t ds_path_values(const cJSON *payload, const char *path, const cJSON **out, size_t max);

#endif
