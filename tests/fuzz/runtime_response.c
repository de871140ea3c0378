/* runtime_response.c: libFuzzer target over libtenantq's response parsing: the points
 * parser with its leak guard and limits, the count and exists parsers and the error
 * message extraction. The first input byte picks the mode; the rest is the body.
 *
 * Beyond memory safety it checks the leak guard's promise: whenever a points answer is
 * accepted, every point it hands out carries the caller's tenant and scope. */
#include "http.h"
#include "result.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const scope_fields[] = {"team"};
static const char *const scope_values[] = {"team-a"};

static void check_points(const tq_raw_result_t *r)
{
    for (size_t i = 0; i < r->count; i++) {
        const tq_raw_point_t *p = tq_raw_result_point(r, i);
        char *s = NULL;
        int present = 0;
        if (tq_raw_point_keyword(p, "tq_tenant", &s, &present) != TQ_OK || !present ||
            strcmp(s, "acme") != 0)
            abort();
        free(s);
        s = NULL;
        if (tq_raw_point_keyword(p, "team", &s, &present) != TQ_OK || !present ||
            strcmp(s, "team-a") != 0)
            abort();
        free(s);
        if (!tq_raw_point_key(p))
            abort();
        size_t dim = 0;
        if (tq_raw_point_vector(p, &dim) && dim != 2)
            abort();
        /* exercise every accessor; wrong types must be reported, not crash */
        int64_t iv;
        double dv;
        int bv;
        char **sa = NULL;
        int64_t *ia = NULL;
        size_t n = 0;
        (void)tq_raw_point_int(p, "year", &iv, &present);
        (void)tq_raw_point_float(p, "rank", &dv, &present);
        (void)tq_raw_point_bool(p, "flag", &bv, &present);
        if (tq_raw_point_keyword_array(p, "tags", &sa, &n, &present) == TQ_OK && present) {
            for (size_t k = 0; k < n; k++)
                free(sa[k]);
            free(sa);
        }
        if (tq_raw_point_int_array(p, "nums", &ia, &n, &present) == TQ_OK && present)
            free(ia);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int mode = data[0] & 3;
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    tq_guard_t g = {
        .tenant = "acme",
        .collection = "kb-docs--acme",
        .logical = "kb-docs",
        .scope_fields = scope_fields,
        .scope_values = scope_values,
        .scope_count = 1,
        .vector_name = "text",
        .dim = 2,
        .max_results = 64,
        .max_depth = 32,
    };
    tq_detail_t detail;
    if (mode <= 1) {
        tq_raw_result_t r;
        memset(&r, 0, sizeof r);
        tq_status_t st = tq_result_parse(body, len, mode == 0 ? TQ_PARSE_SCROLL : TQ_PARSE_QUERY,
                                         &g, &r, &detail);
        if (st == TQ_OK)
            check_points(&r);
        else if (r.count != 0 || r.points != NULL)
            abort(); /* a failed parse hands out nothing */
        tq_raw_result_free(&r);
    } else if (mode == 2) {
        uint64_t n;
        int e;
        (void)tq_count_parse(body, len, 32, &n, &detail);
        (void)tq_exists_parse(body, len, 32, &e, &detail);
    } else {
        char message[TQ_DETAIL_MESSAGE_MAX];
        tq_http_error_message(body, len, message, sizeof message);
        if (strlen(message) >= sizeof message)
            abort();
    }
    return 0;
}
