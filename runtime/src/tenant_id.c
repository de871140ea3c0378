/* tenant_id.c: the tenant id grammar. Every id that reaches a collection name, a
 * filter, a point id or a token passes through here first; it must never accept a
 * byte outside [a-z0-9_-]. */
#include "detail.h"

#include <string.h>

/* Ids that are the usual spelling of a missing value in upstream code; refusing them
 * turns "tenant id was never set" into an error instead of a shared bucket. */
static const char *const reserved_ids[] = {"null", "none", "nil", "undefined"};

tq_status_t tq_tenant_id_validate(const char *id, tq_detail_t *detail)
{
    if (!id)
        return tq_fail(detail, TQ_ETENANT, 0, "tenant id is NULL");
    size_t n = strlen(id);
    if (n == 0)
        return tq_fail(detail, TQ_ETENANT, 0, "tenant id is empty");
    if (n > TQ_TENANT_ID_MAX)
        return tq_fail(detail, TQ_ETENANT, 0, "tenant id is %zu bytes long; the limit is %d",
                       n, TQ_TENANT_ID_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        int lower_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (lower_digit || (i > 0 && (c == '_' || c == '-')))
            continue;
        if (c >= 'A' && c <= 'Z')
            return tq_fail(detail, TQ_ETENANT, 0,
                           "tenant id \"%.63s\": uppercase letter '%c' at offset %zu; ids are "
                           "lowercase",
                           id, c, i);
        if (c > 0x20 && c < 0x7f)
            return tq_fail(detail, TQ_ETENANT, 0,
                           "tenant id: '%c' at offset %zu; ids use [a-z0-9] then [a-z0-9_-]", c,
                           i);
        return tq_fail(detail, TQ_ETENANT, 0,
                       "tenant id: byte 0x%02x at offset %zu; ids use [a-z0-9] then [a-z0-9_-]",
                       c, i);
    }
    for (size_t i = 0; i < sizeof reserved_ids / sizeof *reserved_ids; i++) {
        if (strcmp(id, reserved_ids[i]) == 0)
            return tq_fail(detail, TQ_ETENANT, 0, "tenant id \"%s\" is reserved", id);
    }
    tq_detail_ok(detail);
    return TQ_OK;
}
