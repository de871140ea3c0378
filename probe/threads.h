/* threads.h: run one function on several threads and wait for all of them. */
#ifndef TQ_PROBE_THREADS_H
#define TQ_PROBE_THREADS_H

#include <stddef.h>

/* Starts `count` threads running `fn`; thread i gets (char *)args + i * stride (stride 0:
 * all share `args`). Joins every thread it started and returns how many that was
 * (fewer than `count` when the system refused a thread). */
size_t threads_run(size_t count, void *(*fn)(void *), void *args, size_t stride);

#endif
