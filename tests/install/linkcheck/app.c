/* app.c: a minimal application of the generated kb client; it only has to link. */
#include "kb.tq.h"

#include <stdio.h>

int main(void)
{
    printf("%s\n", tq_strerror(TQ_OK));
    return 0;
}
