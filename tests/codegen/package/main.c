/* main.c: an application compiled against the installed package; it must see the
 * generated kb client and the runtime, and nothing else. Prints a line the test
 * checks. */
#include "kb.tq.h"

#include <stdio.h>

int main(void) {
    kb_chunks_records_t records = {0};
    kb_chunks_records_free(&records);
    printf("dim %d abi %d %s\n", KB_CHUNKS_DIM, TQ_ABI_VERSION, tq_status_name(TQ_ELEAK));
    return 0;
}
