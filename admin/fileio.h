/* fileio.h: whole-file reads, crash-safe replacement of a file, and sha256 digests for
 * tenantq-admin. */
#ifndef TQ_ADMIN_FILEIO_H
#define TQ_ADMIN_FILEIO_H

#include <tenantq/tenantq.h>

#include <stddef.h>

#define ADM_SHA256_HEX_LEN 64

/* Reads all of `path` (at most `max_bytes`) into a malloc'd, NUL-terminated buffer.
 * TQ_ENOTFOUND when the file does not exist, TQ_EIO for any other failure, TQ_ELIMIT
 * when it is larger than `max_bytes`. Free *out with free(). */
tq_status_t adm_file_read(const char *path, size_t max_bytes, char **out, size_t *len,
                          tq_detail_t *detail);

/* Replaces `path` with `len` bytes of `data` so that a reader (or a crash at any
 * instant) sees either the old file or the new one, never a mix: the bytes go to a
 * temporary file in the same directory, which is flushed to disk, given the old
 * file's mode (0644 for a new file) and renamed over `path`; then the directory is
 * flushed. On failure the temporary file is removed and `path` is untouched. */
tq_status_t adm_file_replace(const char *path, const char *data, size_t len,
                             tq_detail_t *detail);

/* Removes `path` and flushes its directory; a missing file is not an error. */
tq_status_t adm_file_remove(const char *path, tq_detail_t *detail);

/* Lowercase hex sha256 of `len` bytes into `out` (ADM_SHA256_HEX_LEN + 1 bytes).
 * Returns 0, or -1 when OpenSSL cannot hash (out of memory); `out` is then "". */
int adm_sha256_hex(const void *data, size_t len, char out[ADM_SHA256_HEX_LEN + 1]);

/* Raw sha256 of `len` bytes into `out`; 0, or -1 when OpenSSL cannot hash. */
int adm_sha256(const void *data, size_t len, unsigned char out[32]);

#endif
