/* ids.h: Qdrant point ids (u64 or UUID), parsing and canonical output. */
#ifndef DS_IDS_H
#define DS_IDS_H

#include <stdint.h>
#include <cjson/cJSON.h>

typedef struct ds_point_id {
    int is_uuid;
    uint64_t num;
    unsigned char uuid[16];
} ds_point_id_t;

/* Value of one hex digit, or -1. */
int ds_hex_value(char c);
/* Parses a UUID in simple, hyphenated, urn:uuid: or braced form, any case. 1 on success. */
int ds_uuid_parse(const char *s, unsigned char out[16]);
/* Parses a JSON id (non-negative integer or UUID string). 1 on success. */
int ds_id_from_json(const cJSON *node, ds_point_id_t *out);
/* Parses path text: a u64 first, then a UUID. 1 on success. */
int ds_id_from_text(const char *s, ds_point_id_t *out);
/* Writes the canonical JSON (number or lowercase hyphenated string). NULL on OOM. */
cJSON *ds_id_to_json(const ds_point_id_t *id);
/* Formats the id for messages: digits or hyphenated UUID (buf >= 37 bytes). */
void ds_id_format(const ds_point_id_t *id, char *buf, unsigned long len);
/* Total order: numbers first by value, then UUIDs by bytes. */
int ds_id_cmp(const ds_point_id_t *a, const ds_point_id_t *b);
int ds_id_equal(const ds_point_id_t *a, const ds_point_id_t *b);
uint64_t ds_id_hash(const ds_point_id_t *id);
/* Formats the message for an unparseable id into buf. */
void ds_id_error(const cJSON *node, char *buf, unsigned long len);

#endif
