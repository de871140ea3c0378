/* report.h: Markdown sections of docs/performance.md that tenantq-bench rewrites. */
#ifndef TQ_BENCH_REPORT_H
#define TQ_BENCH_REPORT_H

#include <stddef.h>
#include <stdio.h>

/* A growing text. */
typedef struct report_text {
    char *data;
    size_t len, cap;
    int failed; /* an allocation failed; the text is incomplete */
} report_text_t;

void report_printf(report_text_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_free(report_text_t *t);

/* Appends everything `f` holds to `t`. Returns 0, or -1 on a read error or when out of
 * memory. */
int report_read(FILE *f, report_text_t *t);

/* Replaces what lies between "<!-- NAME:begin -->" and "<!-- NAME:end -->" in `path`
 * with `body` (markers kept); a file that does not exist is created with the markers
 * and the body alone. Returns 0, or -1 after printing why (a file without the markers
 * is left untouched). */
int report_replace_section(const char *path, const char *name, const char *body);

/* "2 cores, load average 3.41 3.12 2.80" into `out`: the machine's state for a figure. */
void report_machine(char *out, size_t cap);

/* The command line as one shell-quoted-enough string (arguments are plain words). */
void report_command(int argc, char **argv, char *out, size_t cap);

/* The whole of `path` (free it), or NULL when it cannot be read. */
char *report_slurp(const char *path);

/* The current time as "YYYY-MM-DD HH:MM UTC". */
void report_utc_now(char *out, size_t cap);

/* Median of `n` values (sorts them); 0 when n is 0. */
double report_median(double *values, size_t n);

#endif
