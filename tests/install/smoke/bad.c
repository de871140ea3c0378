/* bad.c: reaches around the generated client; tenantq_add_check must refuse it. */
#include "kb.tq.h"
#include <tenantq/raw.h>

int main(void)
{
    tq_raw_filter_t *filter = tq_raw_filter_new();
    tq_raw_filter_free(filter);
    return 0;
}
