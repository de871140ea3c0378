/* emit_manifest.c: writes <name>.tq.json, the record of what was generated from what.
 *
 * tenantq-check reads this file to recognise generated code, so its format is fixed:
 * keys in the order generator, abi, schema{path, sha256}, functions (sorted), files
 * (sorted by path, paths relative to the manifest's directory), two-space indentation,
 * a final newline. No timestamps and no absolute paths. */
#include "emit.h"

#include <stdio.h>

static void put_json_string(gen_buf_t *out, const char *text) {
    const unsigned char *p;
    gen_put(out, "\"");
    for (p = (const unsigned char *)text; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            gen_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            gen_printf(out, "\\u%04x", *p);
        else
            gen_printf(out, "%c", *p);
    }
    gen_put(out, "\"");
}

typedef struct function_list {
    gen_buf_t *out;
    int first;
} function_list_t;

static void put_function(void *ctx, const char *name) {
    function_list_t *list = ctx;
    if (name == NULL) {
        list->out->failed = 1;
        return;
    }
    gen_put(list->out, list->first ? "\n    " : ",\n    ");
    put_json_string(list->out, name);
    list->first = 0;
}

void emit_manifest(gen_buf_t *out, const gen_input_t *in, const gen_file_t *files,
                   size_t file_count) {
    function_list_t list;
    size_t i;

    gen_put(out, "{\n");
    gen_printf(out, "  \"generator\": \"tenantq-gen %s\",\n", TQ_GEN_VERSION);
    gen_printf(out, "  \"abi\": %d,\n", GEN_ABI_VERSION);
    gen_put(out, "  \"schema\": {\n    \"path\": ");
    put_json_string(out, in->schema_path);
    gen_printf(out, ",\n    \"sha256\": \"%s\"\n  },\n", in->schema_sha256);
    gen_put(out, "  \"functions\": [");
    list.out = out;
    list.first = 1;
    gen_each_function(in->schema, put_function, &list);
    gen_put(out, "\n  ],\n");
    gen_put(out, "  \"files\": [");
    for (i = 0; i < file_count; i++) {
        gen_put(out, i == 0 ? "\n    {\"path\": " : ",\n    {\"path\": ");
        put_json_string(out, files[i].path);
        gen_printf(out, ", \"sha256\": \"%s\"}", files[i].sha256);
    }
    gen_put(out, "\n  ]\n}\n");
}
