/* emit_evolution.c: the parts of generated code that schema evolution relies on: the
 * revision and fingerprint macros of the header, the field list and revision of each
 * collection descriptor (from which the runtime stamps and compares collection
 * metadata), and the read of a renamed field's previous payload key.
 *
 * Like the other emitters it writes plain, deterministic C and nothing else. */
#include "emit.h"

#include "fingerprint.h"

#include <stdio.h>
#include <stdlib.h>

void emit_evolution_macros(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    char name[GEN_NAME_MAX], upper[GEN_NAME_MAX], digest[GEN_FINGERPRINT_LEN + 1];
    snprintf(name, sizeof name, "%s_%s", s->name, c->name);
    gen_upper(upper, sizeof upper, name);
    gen_put(out, "/* The revision this client serves (its own physical collections from 2 on), and the\n"
                 " * fingerprint onboarding records in the collection's metadata. */\n");
    gen_printf(out, "#define %s_REVISION %llu\n", upper, (unsigned long long)c->revision);
    if (gen_fingerprint(s, c, digest, NULL) != 0) {
        out->failed = 1;
        return;
    }
    gen_printf(out, "#define %s_FINGERPRINT \"%s\"\n\n", upper, digest);
}

void emit_evolution_fields(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    size_t i;
    if (c->field_count == 0) return;
    gen_printf(out, "static const tq_raw_field_t %s_%s_fields[] = {\n", s->name, c->name);
    for (i = 0; i < c->field_count; i++) {
        const tq_schema_field_t *f = &c->fields[i];
        gen_printf(out, "    {\"%s\", \"%s\", %d, ", f->name, tq_schema_type_name(f->type),
                   f->indexed ? 1 : 0);
        if (f->was != NULL)
            gen_printf(out, "\"%s\"},\n", f->was);
        else
            gen_put(out, "NULL},\n");
    }
    gen_put(out, "};\n\n");
}

void emit_evolution_members(gen_buf_t *out, const tq_schema_t *s, const tq_schema_collection_t *c) {
    gen_printf(out, "    .schema_version = %lluu,\n", (unsigned long long)s->version);
    gen_printf(out, "    .revision = %lluu,\n", (unsigned long long)c->revision);
    if (c->field_count > 0)
        gen_printf(out, "    .fields = %s_%s_fields,\n", s->name, c->name);
    else
        gen_put(out, "    .fields = NULL,\n");
    gen_printf(out, "    .field_count = %zu,\n", c->field_count);
}

void emit_evolution_fallback(gen_buf_t *out, const tq_schema_field_t *f, const char *head,
                             const char *args, const char *present) {
    if (f->was == NULL) return;
    gen_printf(out, "    if (status == TQ_OK && !%s) {\n", present);
    gen_printf(out, "        /* points written before the rename carry '%s' */\n", f->was);
    emit_call(out, "        ", head, args);
    gen_put(out, "    }\n");
}
