/* library.c: a library of the project that holds a generated client (linkcheck's
 * kb_library). */
#include "kb.tq.h"

int kb_library_ready(void);
int kb_library_ready(void)
{
    return tq_strerror(TQ_OK) != NULL;
}
