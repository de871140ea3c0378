/* schema_breaking.c: libFuzzer target over tenantq-gen's breaking check and
 * fingerprints. The input is two schemas separated by a NUL byte (without one, the
 * schema is compared with itself). Whatever loads is compared both ways and
 * fingerprinted; comparing a schema with itself must report no change, and a change
 * must always carry a kind and a message. Nothing may crash, leak or read out of
 * bounds. */
#include "breaking.h"
#include "fingerprint.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tq_schema_t *load(const char *text, size_t len)
{
    tq_schema_diags_t diags;
    tq_schema_t *s = NULL;
    memset(&diags, 0, sizeof diags);
    if (tq_schema_load(text, len, NULL, &s, &diags) != TQ_SCHEMA_OK)
        s = NULL;
    tq_schema_diags_free(&diags);
    return s;
}

static void compare(const tq_schema_t *a, const tq_schema_t *b, int same)
{
    gen_changes_t ch;
    memset(&ch, 0, sizeof ch);
    if (gen_breaking_compare(a, b, &ch) == 0) {
        if (same && ch.count != 0)
            abort(); /* a schema compared with itself changed */
        for (size_t i = 0; i < ch.count; i++)
            if (!ch.items[i].kind || !ch.items[i].message[0] ||
                (int)ch.items[i].level < 0 || ch.items[i].level > GEN_BREAKING)
                abort();
    }
    gen_changes_free(&ch);
}

static void fingerprints(const tq_schema_t *s)
{
    for (size_t i = 0; i < s->collection_count; i++) {
        char digest[GEN_FINGERPRINT_LEN + 1];
        char *shape = NULL;
        if (gen_fingerprint(s, &s->collections[i], digest, &shape) == 0) {
            if (strncmp(digest, "sha256:", 7) != 0 || strlen(digest) != GEN_FINGERPRINT_LEN)
                abort();
            free(shape);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t first = nul ? (size_t)(nul - text) : size;
    tq_schema_t *a = load(text, first);
    tq_schema_t *b = nul ? load(nul + 1, size - first - 1) : NULL;
    if (a) {
        fingerprints(a);
        compare(a, a, 1);
    }
    if (a && b) {
        fingerprints(b);
        compare(a, b, 0);
        compare(b, a, 0);
    }
    tq_schema_free(a);
    tq_schema_free(b);
    return 0;
}
