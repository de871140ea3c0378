/* uses_library.c: an application linking a library of the project that holds generated
 * code (linkcheck's uses_library); that library is not read by this link's check. */
#include "kb.tq.h"

#include <stdio.h>

int kb_library_ready(void);

int main(void)
{
    printf("%s %d\n", tq_strerror(TQ_OK), kb_library_ready());
    return 0;
}
