/* jsonout.h: compact JSON text from a cJSON tree, with fast number output. */
#ifndef DS_JSONOUT_H
#define DS_JSONOUT_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* Serialises `node` without whitespace. Returns malloc'd text (length in *len) or
 * NULL on OOM. Integral numbers print as integers, others in the shortest of %.15g and
 * %.17g that reads back exactly; NaN and infinities print as null. */
char *ds_json_print(const cJSON *node, size_t *len);

#endif
