/* threads.c: the probe's only place that creates threads.
 *
 * It must never return while a thread it started is still running. */
#include "threads.h"

#include <pthread.h>
#include <stdlib.h>

size_t threads_run(size_t count, void *(*fn)(void *), void *args, size_t stride)
{
    pthread_t *ids = calloc(count ? count : 1, sizeof *ids);
    if (!ids)
        return 0;
    size_t started = 0;
    for (; started < count; started++) {
        if (pthread_create(&ids[started], NULL, fn, (char *)args + started * stride) != 0)
            break;
    }
    for (size_t i = 0; i < started; i++)
        pthread_join(ids[i], NULL);
    free(ids);
    return started;
}
