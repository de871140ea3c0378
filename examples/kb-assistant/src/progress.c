/* progress.c: a terminal progress bar ("label [#####.....] 40/100").
 *
 * It redraws in place with a carriage return and only when the visible state changes,
 * so a fast loop costs a few hundred writes at most. It must never write anything when
 * the stream is not a terminal: output that ends up in a log or a test's capture must
 * carry no control characters. */
#include "progress.h"

#include <string.h>
#include <unistd.h>

#define BAR_CELLS 30

static void draw(kb_progress_t *bar, int cells) {
    char line[BAR_CELLS + 1];
    for (int i = 0; i < BAR_CELLS; i++) line[i] = i < cells ? '#' : '.';
    line[BAR_CELLS] = '\0';
    fprintf(bar->out, "\r%s [%s] %zu/%zu", bar->label, line, bar->done, bar->total);
    fflush(bar->out);
    bar->drawn_width = cells;
}

static int cells_for(const kb_progress_t *bar) {
    if (bar->total == 0) return BAR_CELLS;
    size_t done = bar->done < bar->total ? bar->done : bar->total;
    return (int)(done * BAR_CELLS / bar->total);
}

void kb_progress_start(kb_progress_t *bar, FILE *out, const char *label, size_t total) {
    memset(bar, 0, sizeof *bar);
    bar->out = out;
    bar->total = total;
    bar->enabled = out && isatty(fileno(out));
    snprintf(bar->label, sizeof bar->label, "%s", label ? label : "");
    bar->drawn_width = -1;
    if (bar->enabled) draw(bar, 0);
}

void kb_progress_advance(kb_progress_t *bar, size_t units) {
    bar->done += units;
    if (!bar->enabled) return;
    size_t step = bar->total / 100 ? bar->total / 100 : 1;
    int cells = cells_for(bar);
    if (cells != bar->drawn_width || bar->done % step == 0 || bar->done >= bar->total)
        draw(bar, cells);
}

void kb_progress_finish(kb_progress_t *bar) {
    if (!bar->enabled || bar->drawn_width < 0) return;
    draw(bar, cells_for(bar));
    fputc('\n', bar->out);
    fflush(bar->out);
    bar->drawn_width = -1;
}
