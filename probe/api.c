/* api.c: picks tenantq-probe's built-in generated client for a dimension.
 *
 * The table of clients comes from the build (api_table.h lists one per dimension the
 * probe schema was generated for). This file must never call the runtime itself. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_table.h"

static const probe_api_t *const apis[] = {PROBE_API_TABLE};

const probe_api_t *probe_api_for_dim(uint32_t dim)
{
    for (size_t i = 0; i < sizeof apis / sizeof apis[0]; i++) {
        if (apis[i]->dim == dim)
            return apis[i];
    }
    return NULL;
}

void probe_api_dims(char *buf, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof apis / sizeof apis[0] && used < cap; i++) {
        int n = snprintf(buf + used, cap - used, "%s%u", i ? ", " : "", (unsigned)apis[i]->dim);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}
