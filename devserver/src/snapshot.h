/* snapshot.h: saving and loading the whole store as one JSON file (--snapshot). */
#ifndef DS_SNAPSHOT_H
#define DS_SNAPSHOT_H

#include <stddef.h>

#include "store.h"

/* Loads `path` into an empty store; a missing file is not an error. 0 or -1 (err). */
int ds_snapshot_load(ds_store_t *store, const char *path, char *err, size_t errlen);
/* Writes the store atomically (temp file + rename). 0 or -1 (err). */
int ds_snapshot_save(const ds_store_t *store, const char *path, char *err, size_t errlen);

#endif
