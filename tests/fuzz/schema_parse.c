/* schema_parse.c: libFuzzer target over the schema library: lexer, parser, checks and
 * the diagnostics renderer. The schema tests' counting allocator fails one allocation
 * chosen by the input, so out-of-memory paths are fuzzed too. The library must never
 * crash, leak, or report success together with an error. */
#include "schema.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    util_counter_t state;
    tq_schema_allocator_t allocator;
    tq_schema_diags_t diags;
    tq_schema_t *schema = NULL;
    tq_schema_status_t status;
    char *report = NULL;

    /* The first byte picks the allocation to fail (0: none). */
    memset(&state, 0, sizeof state);
    if (size > 0) {
        state.fail_at = data[0] < 128 ? 0 : (size_t)(data[0] - 127);
        data++;
        size--;
    }
    allocator = util_counting_allocator(&state);
    memset(&diags, 0, sizeof diags);
    status = tq_schema_load((const char *)data, size, &allocator, &schema, &diags);
    if (status == TQ_SCHEMA_OK && (schema == NULL || diags.errors != 0)) abort();
    if (status != TQ_SCHEMA_OK && schema != NULL) abort();
    if (status == TQ_SCHEMA_INVALID && diags.errors == 0 && !diags.truncated) abort();
    if (tq_schema_diags_render(&diags, "fuzz.tqs", (const char *)data, size, &report) ==
        TQ_SCHEMA_OK)
        tq_schema_text_free(&diags, report);
    tq_schema_free(schema);
    tq_schema_diags_free(&diags);
    if (state.live != 0) abort();
    return 0;
}
