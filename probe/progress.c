/* progress.c: a progress bar redrawn in place on stderr when it is a terminal.
 *
 * It must never write when disabled (pipes, CI logs, ctest), so reports and logs stay
 * clean. */
#include "progress.h"

#include <stdio.h>
#include <string.h>

#define BAR_WIDTH 30

void progress_init(probe_progress_t *progress, int enabled)
{
    memset(progress, 0, sizeof *progress);
    pthread_mutex_init(&progress->lock, NULL);
    progress->enabled = enabled;
}

void progress_destroy(probe_progress_t *progress)
{
    pthread_mutex_destroy(&progress->lock);
}

/* Redraws the bar; the caller holds the lock. Only redraws when the bar moved. */
static void draw(probe_progress_t *progress, int force)
{
    size_t total = progress->total ? progress->total : 1;
    size_t done = progress->done < total ? progress->done : total;
    int width = (int)(done * BAR_WIDTH / total);
    if (!force && width == progress->last_width)
        return;
    progress->last_width = width;
    char bar[BAR_WIDTH + 1];
    memset(bar, '#', (size_t)width);
    memset(bar + width, '.', (size_t)(BAR_WIDTH - width));
    bar[BAR_WIDTH] = '\0';
    fprintf(stderr, "\r%-28s [%s] %zu/%zu", progress->label, bar, done, progress->total);
    fflush(stderr);
}

void progress_begin(probe_progress_t *progress, const char *label, size_t total)
{
    if (!progress || !progress->enabled)
        return;
    pthread_mutex_lock(&progress->lock);
    snprintf(progress->label, sizeof progress->label, "%s", label);
    progress->done = 0;
    progress->total = total;
    progress->last_width = -1;
    draw(progress, 1);
    pthread_mutex_unlock(&progress->lock);
}

void progress_step(probe_progress_t *progress, size_t n)
{
    if (!progress || !progress->enabled)
        return;
    pthread_mutex_lock(&progress->lock);
    progress->done += n;
    draw(progress, 0);
    pthread_mutex_unlock(&progress->lock);
}

void progress_end(probe_progress_t *progress)
{
    if (!progress || !progress->enabled)
        return;
    pthread_mutex_lock(&progress->lock);
    progress->done = progress->total;
    draw(progress, 1);
    fputc('\n', stderr);
    pthread_mutex_unlock(&progress->lock);
}
