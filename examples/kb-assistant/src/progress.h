/* progress.h: a one-line progress bar for long commands, drawn only on a terminal. */
#ifndef KB_PROGRESS_H
#define KB_PROGRESS_H

#include <stdio.h>

typedef struct kb_progress {
    FILE *out;
    int enabled;      /* `out` is a terminal */
    size_t total;
    size_t done;
    int drawn_width;  /* bar cells drawn at the last update */
    char label[48];
} kb_progress_t;

/* Starts a bar over `total` units on `out`; draws nothing unless `out` is a TTY, so
 * logs and pipes stay clean. */
void kb_progress_start(kb_progress_t *bar, FILE *out, const char *label, size_t total);

/* Adds `units` and redraws when the bar or the percentage changed. */
void kb_progress_advance(kb_progress_t *bar, size_t units);

/* Ends the line the bar was drawn on (no-op when nothing was drawn). */
void kb_progress_finish(kb_progress_t *bar);

#endif
