/* fingerprint.c: the fingerprint of a schema collection as tenantq-gen sees it.
 *
 * It lays the parsed collection out as the tq_raw_collection_t the generated code will
 * declare and hands it to the runtime's shape code, so the FINGERPRINT macro of a
 * generated header is exactly what onboarding writes into the collection's metadata.
 * Never prints. */
#include "fingerprint.h"

#include "sha256.h"
#include "shape.h"

#include <stdlib.h>
#include <string.h>

int gen_fingerprint(const tq_schema_t *s, const tq_schema_collection_t *c,
                    char digest[GEN_FINGERPRINT_LEN + 1], char **shape) {
    tq_raw_collection_t raw;
    tq_raw_field_t *fields = calloc(c->field_count + 1, sizeof *fields);
    const char **scopes = calloc(c->scope_count + 1, sizeof *scopes);
    const char **sparse = calloc(c->sparse_field_count + 1, sizeof *sparse);
    char *text = NULL, hex[GEN_SHA256_HEX_LEN + 1];
    size_t i, len;
    int rc = -1;
    if (fields == NULL || scopes == NULL || sparse == NULL) goto done;
    for (i = 0; i < c->field_count; i++) {
        fields[i].name = c->fields[i].name;
        fields[i].type = tq_schema_type_name(c->fields[i].type);
        fields[i].indexed = c->fields[i].indexed;
        fields[i].was = c->fields[i].was;
    }
    for (i = 0; i < c->scope_count; i++) scopes[i] = c->scopes[i].name;
    for (i = 0; i < c->sparse_field_count; i++) sparse[i] = c->sparse_fields[i].name;
    memset(&raw, 0, sizeof raw);
    raw.schema = s->name;
    raw.name = c->name;
    raw.vector_name = c->vector_name;
    raw.dim = (uint32_t)c->dim;
    raw.distance = (tq_distance_t)c->distance;
    raw.scope_fields = scopes;
    raw.scope_count = c->scope_count;
    raw.fields = fields;
    raw.field_count = c->field_count;
    if (c->has_sparse) {
        raw.sparse_name = c->sparse_name;
        raw.sparse_fields = sparse;
        raw.sparse_field_count = c->sparse_field_count;
    }
    len = tq_shape_text(&raw, NULL, 0);
    text = malloc(len + 1);
    if (text == NULL) goto done;
    tq_shape_text(&raw, text, len + 1);
    if (gen_sha256_hex(text, len, hex) != 0) goto done;
    memcpy(digest, "sha256:", 7);
    memcpy(digest + 7, hex, GEN_SHA256_HEX_LEN + 1);
    if (shape != NULL) {
        *shape = text;
        text = NULL;
    }
    rc = 0;
done:
    free(text);
    free(fields);
    free(scopes);
    free(sparse);
    return rc;
}
