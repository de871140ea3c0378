/* progress.h: a one-line progress bar on a terminal; silent otherwise. */
#ifndef TQ_PROBE_PROGRESS_H
#define TQ_PROBE_PROGRESS_H

#include <pthread.h>
#include <stddef.h>

typedef struct probe_progress {
    pthread_mutex_t lock;
    int enabled;
    char label[48];
    size_t done;
    size_t total;
    int last_width;
} probe_progress_t;

/* `enabled` 0 makes every call a no-op. */
void progress_init(probe_progress_t *progress, int enabled);
void progress_begin(probe_progress_t *progress, const char *label, size_t total);
/* Thread-safe; NULL `progress` is allowed. */
void progress_step(probe_progress_t *progress, size_t n);
void progress_end(probe_progress_t *progress);
void progress_destroy(probe_progress_t *progress);

#endif
