/* uuid.h: name-based UUIDv5 (RFC 9562) and the point-id derivation. */
#ifndef TQ_UUID_H
#define TQ_UUID_H

#include <tenantq/raw.h>

#include <stddef.h>

/* The tenantq point-id namespace: uuid5(NAMESPACE_URL,
 * "https://tenantq.invalid/point-id/v1"). Changing it changes every point id. */
#define TQ_POINT_NAMESPACE "03c72fd4-ef59-5314-920f-aa93cf62f297"

/* Parses a hyphenated UUID (either case) into 16 bytes; 0 on success, -1 otherwise. */
int tq_uuid_parse(const char *text, unsigned char out[16]);

/* 1 when `text` is a canonical lowercase hyphenated UUID, else 0. */
int tq_uuid_is_canonical(const char *text);

/* Formats 16 bytes as a canonical lowercase hyphenated UUID. */
void tq_uuid_format(const unsigned char bytes[16], char out[TQ_UUID_STR_LEN + 1]);

/* UUIDv5 of `name` (`len` bytes) in namespace `ns`, canonical lowercase into `out`.
 * TQ_ENOMEM or TQ_ECRYPTO on failure. */
tq_status_t tq_uuid5(const unsigned char ns[16], const void *name, size_t len,
                     char out[TQ_UUID_STR_LEN + 1]);

/* The point id: UUIDv5 in TQ_POINT_NAMESPACE over
 * tenant NUL logical_collection NUL (scope_value NUL)... key. */
tq_status_t tq_point_id_derive(const char *tenant, const char *logical_collection,
                               const char *const *scope_values, size_t scope_count,
                               const char *key, char out[TQ_UUID_STR_LEN + 1]);

/* As tq_point_id_derive, as the 16 id bytes (what the leak guard compares). */
tq_status_t tq_point_id_bytes(const char *tenant, const char *logical_collection,
                              const char *const *scope_values, size_t scope_count,
                              const char *key, unsigned char out[16]);

#endif
