/* status.c: names and descriptions of statuses, placements and operations, and the
 * per-call detail writer. Static tables only; nothing here allocates or keeps state. */
#include "detail.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct status_entry {
    const char *name;
    const char *text;
};

static const struct status_entry status_table[TQ_STATUS_LAST] = {
    [TQ_OK] = {"TQ_OK", "success"},
    [TQ_EINVAL] = {"TQ_EINVAL", "invalid argument"},
    [TQ_ENOMEM] = {"TQ_ENOMEM", "out of memory"},
    [TQ_ETENANT] = {"TQ_ETENANT", "invalid or unknown tenant"},
    [TQ_EREGISTRY] = {"TQ_EREGISTRY", "invalid tenant registry"},
    [TQ_EIO] = {"TQ_EIO", "local file input/output failed"},
    [TQ_ECONNECT] = {"TQ_ECONNECT", "could not connect to the server"},
    [TQ_ETIMEOUT] = {"TQ_ETIMEOUT", "request timed out"},
    [TQ_EHTTP] = {"TQ_EHTTP", "server answered with an error status"},
    [TQ_EPROTO] = {"TQ_EPROTO", "unexpected server response"},
    [TQ_ELIMIT] = {"TQ_ELIMIT", "response exceeded a configured limit"},
    [TQ_ELEAK] = {"TQ_ELEAK", "response carried another tenant's or scope's data"},
    [TQ_ENOTFOUND] = {"TQ_ENOTFOUND", "not found"},
    [TQ_EAUTH] = {"TQ_EAUTH", "authentication or authorisation refused"},
    [TQ_ECONFLICT] = {"TQ_ECONFLICT", "already exists"},
    [TQ_ESCOPE] = {"TQ_ESCOPE", "missing or malformed scope value"},
    [TQ_ECRYPTO] = {"TQ_ECRYPTO", "cryptographic operation failed"},
    [TQ_ETLS] = {"TQ_ETLS", "TLS handshake or certificate verification failed"},
    [TQ_EBUSY] = {"TQ_EBUSY", "server busy after every retry"},
    [TQ_EVERIFY] = {"TQ_EVERIFY", "post-condition check failed"},
    [TQ_ESCHEMA] = {"TQ_ESCHEMA", "collection's schema fingerprint differs from the schema"},
};

const char *tq_strerror(tq_status_t status)
{
    if ((int)status < 0 || status >= TQ_STATUS_LAST)
        return "unknown status";
    return status_table[status].text;
}

const char *tq_status_name(tq_status_t status)
{
    if ((int)status < 0 || status >= TQ_STATUS_LAST)
        return "TQ_UNKNOWN";
    return status_table[status].name;
}

static const char *const placement_names[] = {"collection", "shared", "dedicated",
                                                "tiered"};

const char *tq_placement_name(tq_placement_t placement)
{
    if ((int)placement < 0 || (size_t)placement >= sizeof placement_names / sizeof *placement_names)
        return NULL;
    return placement_names[placement];
}

tq_status_t tq_placement_parse(const char *name, tq_placement_t *out)
{
    if (!name || !out)
        return TQ_EINVAL;
    for (size_t i = 0; i < sizeof placement_names / sizeof *placement_names; i++) {
        if (strcmp(name, placement_names[i]) == 0) {
            *out = (tq_placement_t)i;
            return TQ_OK;
        }
    }
    return TQ_EINVAL;
}

static const char *const op_names[TQ_OP_LAST] = {"admin", "upsert", "get", "delete",
                                                 "search", "count", "scroll"};

const char *tq_op_name(tq_op_t op)
{
    if ((int)op < 0 || op >= TQ_OP_LAST)
        return NULL;
    return op_names[op];
}

tq_status_t tq_fail(tq_detail_t *detail, tq_status_t status, long http_status,
                    const char *fmt, ...)
{
    if (detail) {
        detail->status = status;
        detail->http_status = http_status;
        detail->items_done = 0;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail->message, sizeof detail->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

void tq_detail_ok(tq_detail_t *detail)
{
    if (detail) {
        detail->status = TQ_OK;
        detail->http_status = 0;
        detail->message[0] = '\0';
        detail->items_done = 0;
    }
}
