/* progress.c: what a long migration shows while it runs. On a terminal a single
 * redrawn bar; in a log (not a terminal) one plain line per tenth, so CI output and
 * files stay readable. It must never write anything to stdout that a script parses. */
#include "progress.h"

#include <time.h>
#include <unistd.h>

uint64_t adm_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void adm_progress_start(adm_progress_t *p, FILE *out, const char *label, uint64_t total)
{
    p->out = out;
    p->tty = isatty(fileno(out));
    p->label = label;
    p->total = total;
    p->done = 0;
    p->started_us = adm_now_us();
    p->last_decile = 0;
}

void adm_progress_update(adm_progress_t *p, uint64_t done)
{
    p->done = done;
    unsigned pct = p->total ? (unsigned)(done * 100 / p->total) : 100;
    if (pct > 100)
        pct = 100;
    if (p->tty) {
        char bar[31];
        unsigned fill = pct * 30 / 100;
        for (unsigned i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(p->out, "\r%s [%s] %3u%% %llu/%llu", p->label, bar, pct,
                (unsigned long long)done, (unsigned long long)p->total);
        fflush(p->out);
    } else if (pct / 10 > p->last_decile) {
        p->last_decile = pct / 10;
        fprintf(p->out, "%s: %llu/%llu points (%u%%)\n", p->label, (unsigned long long)done,
                (unsigned long long)p->total, pct);
    }
}

void adm_progress_finish(adm_progress_t *p)
{
    double s = (double)(adm_now_us() - p->started_us) / 1e6;
    if (p->tty)
        fputc('\n', p->out);
    fprintf(p->out, "%s: %llu points in %.2f s (%.0f points/s)\n", p->label,
            (unsigned long long)p->done, s, s > 0 ? (double)p->done / s : 0.0);
}
