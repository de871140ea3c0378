/* progress.h: progress of a long step: a bar on a terminal, plain lines otherwise. */
#ifndef TQ_ADMIN_PROGRESS_H
#define TQ_ADMIN_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef struct adm_progress {
    FILE *out;
    int tty;
    const char *label;
    uint64_t total;
    uint64_t done;
    uint64_t started_us;
    unsigned last_decile; /* plain mode: the last tenth printed */
} adm_progress_t;

/* Starts a progress report of `total` units on `out` (a bar when `out` is a terminal). */
void adm_progress_start(adm_progress_t *p, FILE *out, const char *label, uint64_t total);

/* Records `done` units so far and redraws (bar) or prints a line per tenth (plain). */
void adm_progress_update(adm_progress_t *p, uint64_t done);

/* Ends the report with a final line: units, seconds, units per second. */
void adm_progress_finish(adm_progress_t *p);

/* Microseconds from a monotonic clock. */
uint64_t adm_now_us(void);

#endif
