/* files.h: file input and output for tenantq-gen. */
#ifndef TQ_GEN_FILES_H
#define TQ_GEN_FILES_H

#include <stddef.h>

/* Reads up to `limit` + 1 bytes of `path` into a malloc'd, NUL-terminated buffer, so a
 * caller can tell a file over the limit. Returns 0, or -1 with errno set. */
int gen_read_file(const char *path, size_t limit, char **data, size_t *len);

/* Whether `path` holds exactly `len` bytes equal to `data` (0 when missing). */
int gen_file_matches(const char *path, const char *data, size_t len);

/* Replaces `path` with `data` through a temporary file in the same directory and a
 * rename, unless it already holds exactly that; *written says which. Returns 0, or -1
 * with errno set (the temporary file is removed). */
int gen_write_if_changed(const char *path, const char *data, size_t len, int *written);

/* The schema path as recorded in generated files: a relative path as given (without
 * leading "./"); an absolute one relative to the current directory when inside it,
 * else to the enclosing git work tree, else its file name. Never absolute. Returns 0,
 * or -1 when the path cannot be resolved or holds control characters. */
int gen_display_path(const char *given, char *out, size_t size);

#endif
