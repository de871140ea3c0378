/* ids.c: point ids as Qdrant sees them.
 *
 * An id is an unsigned 64-bit integer or a UUID; UUIDs are accepted in every form the
 * Rust `uuid` crate parses and always written back lowercase and hyphenated. Ordering
 * puts numbers before UUIDs, like the enum order in Qdrant. Nothing here allocates
 * except ds_id_to_json.
 */
#include "ids.h"

#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ds_hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads 32 hex digits, allowing hyphens only at the canonical positions when
 * `hyphens` is set. */
static int read_hex(const char *s, size_t len, int hyphens, unsigned char out[16])
{
    size_t i = 0;
    int nib = 0;
    for (size_t k = 0; k < len; k++) {
        if (hyphens && (k == 8 || k == 13 || k == 18 || k == 23)) {
            if (s[k] != '-')
                return 0;
            continue;
        }
        int v = ds_hex_value(s[k]);
        if (v < 0 || i >= 16)
            return 0;
        if (nib == 0) {
            out[i] = (unsigned char)(v << 4);
            nib = 1;
        } else {
            out[i++] |= (unsigned char)v;
            nib = 0;
        }
    }
    return i == 16 && nib == 0;
}

int ds_uuid_parse(const char *s, unsigned char out[16])
{
    size_t len = strlen(s);
    if (len > 9 && strncasecmp(s, "urn:uuid:", 9) == 0) {
        s += 9;
        len -= 9;
    } else if (len == 38 && s[0] == '{' && s[37] == '}') {
        s += 1;
        len -= 2;
        return read_hex(s, len, 1, out);
    }
    if (len == 32)
        return read_hex(s, len, 0, out);
    if (len == 36)
        return read_hex(s, len, 1, out);
    return 0;
}

int ds_id_from_json(const cJSON *node, ds_point_id_t *out)
{
    memset(out, 0, sizeof *out);
    if (cJSON_IsNumber(node))
        return ds_json_u64(node, &out->num);
    if (cJSON_IsString(node) && ds_uuid_parse(node->valuestring, out->uuid)) {
        out->is_uuid = 1;
        return 1;
    }
    return 0;
}

int ds_id_from_text(const char *s, ds_point_id_t *out)
{
    memset(out, 0, sizeof *out);
    if (*s >= '0' && *s <= '9') {
        uint64_t v = 0;
        const char *q = s;
        while (*q >= '0' && *q <= '9') {
            uint64_t d = (uint64_t)(*q - '0');
            if (v > (UINT64_MAX - d) / 10)
                break;
            v = v * 10 + d;
            q++;
        }
        if (*q == '\0') {
            out->num = v;
            return 1;
        }
    }
    if (ds_uuid_parse(s, out->uuid)) {
        out->is_uuid = 1;
        return 1;
    }
    return 0;
}

void ds_id_format(const ds_point_id_t *id, char *buf, unsigned long len)
{
    if (!id->is_uuid) {
        snprintf(buf, len, "%llu", (unsigned long long)id->num);
        return;
    }
    const unsigned char *u = id->uuid;
    snprintf(buf, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
             u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
}

cJSON *ds_id_to_json(const ds_point_id_t *id)
{
    if (!id->is_uuid && id->num > (1ull << 53)) {
        /* Beyond 2^53 a double is inexact; the serialiser prints these digits. */
        char digits[24];
        snprintf(digits, sizeof digits, "%llu", (unsigned long long)id->num);
        cJSON *n = cJSON_CreateNumber((double)id->num);
        if (n && !(n->valuestring = malloc(strlen(digits) + 1))) {
            cJSON_Delete(n);
            return NULL;
        }
        if (n)
            memcpy(n->valuestring, digits, strlen(digits) + 1);
        return n;
    }
    if (!id->is_uuid)
        return cJSON_CreateNumber((double)id->num);
    char buf[40];
    ds_id_format(id, buf, sizeof buf);
    return cJSON_CreateString(buf);
}

int ds_id_cmp(const ds_point_id_t *a, const ds_point_id_t *b)
{
    if (a->is_uuid != b->is_uuid)
        return a->is_uuid ? 1 : -1;
    if (!a->is_uuid)
        return a->num < b->num ? -1 : a->num > b->num;
    return memcmp(a->uuid, b->uuid, 16);
}

int ds_id_equal(const ds_point_id_t *a, const ds_point_id_t *b)
{
    return ds_id_cmp(a, b) == 0;
}

uint64_t ds_id_hash(const ds_point_id_t *id)
{
    uint64_t h = id->is_uuid ? 0x9E3779B97F4A7C15ull : 0;
    if (!id->is_uuid) {
        h ^= id->num;
    } else {
        for (int i = 0; i < 16; i++)
            h = (h ^ id->uuid[i]) * 0x100000001B3ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

void ds_id_error(const cJSON *node, char *buf, unsigned long len)
{
    if (cJSON_IsString(node)) {
        snprintf(buf, len,
                 "Format error in JSON body: value %.200s is not a valid point ID, valid "
                 "values are either an unsigned integer or a UUID",
                 node->valuestring);
    } else if (cJSON_IsNumber(node)) {
        snprintf(buf, len,
                 "Format error in JSON body: value %g is not a valid point ID, valid values "
                 "are either an unsigned integer or a UUID",
                 node->valuedouble);
    } else {
        snprintf(buf, len,
                 "Format error in JSON body: data did not match any variant of untagged enum "
                 "ExtendedPointId, valid values are either an unsigned integer or a UUID");
    }
}
