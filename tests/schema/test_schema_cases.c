/* test_schema_cases.c: exact diagnostics for every schema in tests/schema/cases.
 *
 * Usage: test_schema_cases DIR NAME... ; for each NAME it loads DIR/NAME.tqs, renders
 * the diagnostics with the path "NAME.tqs" and compares them byte for byte with
 * DIR/NAME.expected. A case whose expected output holds an "error:" line must fail to
 * load; any other must load. */
#include "schema.h"
#include "util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *cases_dir;

static void run_case(void **state) {
    const char *name = *state;
    char path[1024], display[256];
    char *text, *expected, *rendered = NULL;
    size_t len = 0, expected_len = 0;
    tq_schema_diags_t diags;
    tq_schema_t *schema = NULL;
    tq_schema_status_t status;

    memset(&diags, 0, sizeof diags);
    snprintf(path, sizeof path, "%s/%s.tqs", cases_dir, name);
    text = util_read_file(path, &len);
    assert_non_null(text);
    snprintf(path, sizeof path, "%s/%s.expected", cases_dir, name);
    expected = util_read_file(path, &expected_len);
    assert_non_null(expected);

    status = tq_schema_load(text, len, NULL, &schema, &diags);
    snprintf(display, sizeof display, "%s.tqs", name);
    assert_int_equal(tq_schema_diags_render(&diags, display, text, len, &rendered), TQ_SCHEMA_OK);
    if (strcmp(rendered, expected) != 0) print_error("--- got ---\n%s--- expected ---\n%s", rendered, expected);
    assert_string_equal(rendered, expected);
    if (strstr(expected, ": error: ") != NULL || strstr(expected, ": note: ") != NULL) {
        assert_int_equal(status, TQ_SCHEMA_INVALID);
        assert_null(schema);
    } else {
        assert_int_equal(status, TQ_SCHEMA_OK);
        assert_non_null(schema);
    }
    tq_schema_text_free(&diags, rendered);
    tq_schema_free(schema);
    tq_schema_diags_free(&diags);
    free(text);
    free(expected);
}

int main(int argc, char **argv) {
    struct CMUnitTest *tests;
    int i, failures;
    if (argc < 3) {
        fprintf(stderr, "usage: test_schema_cases DIR NAME...\n");
        return 2;
    }
    cases_dir = argv[1];
    tests = calloc((size_t)argc, sizeof *tests);
    if (tests == NULL) return 2;
    for (i = 2; i < argc; i++) {
        tests[i - 2].name = argv[i];
        tests[i - 2].test_func = run_case;
        tests[i - 2].initial_state = argv[i];
    }
    failures = _cmocka_run_group_tests("schema_cases", tests, (size_t)(argc - 2), NULL, NULL);
    free(tests);
    return failures;
}
