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
        if (i == 0 && !lower_digit)
            return tq_fail(detail, TQ_ETENANT, 0,
                           "tenant id must start with [a-z0-9], not byte 0x%02x", c);
        if (!lower_digit && c != '_' && c != '-')
            return tq_fail(detail, TQ_ETENANT, 0,
                           "tenant id byte %zu is 0x%02x; only [a-z0-9_-] are allowed", i, c);
    }
    for (size_t i = 0; i < sizeof reserved_ids / sizeof *reserved_ids; i++) {
        if (strcmp(id, reserved_ids[i]) == 0)
            return tq_fail(detail, TQ_ETENANT, 0, "tenant id \"%s\" is reserved", id);
    }
    tq_detail_ok(detail);
    return TQ_OK;
}
