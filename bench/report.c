/* report.c: writes tenantq-bench's figures into their marked sections of
 * docs/performance.md, with the command and the machine's state next to them.
 *
 * Only the text between a section's two markers is ever replaced; the hand-written
 * prose around it is kept byte for byte. A file without the markers is refused rather
 * than overwritten. */
#include "report.h"

#include "bench.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void report_printf(report_text_t *t, const char *fmt, ...)
{
    va_list ap;
    if (t->failed)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t need = t->len + (size_t)(n > 0 ? n : 0) + 1;
    if (n < 0) {
        t->failed = 1;
        return;
    }
    if (need > t->cap) {
        char *bigger = realloc(t->data, need * 2);
        if (!bigger) {
            t->failed = 1;
            return;
        }
        t->data = bigger;
        t->cap = need * 2;
    }
    va_start(ap, fmt);
    vsnprintf(t->data + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

void report_free(report_text_t *t)
{
    free(t->data);
    memset(t, 0, sizeof *t);
}

int report_read(FILE *f, report_text_t *t)
{
    char chunk[8192];
    size_t n;
    report_printf(t, "%s", "");
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        report_printf(t, "%.*s", (int)n, chunk);
    return ferror(f) || t->failed ? -1 : 0;
}

char *report_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    report_text_t t = {0};
    int bad = report_read(f, &t) != 0;
    fclose(f);
    if (bad) {
        report_free(&t);
        return NULL;
    }
    return t.data;
}

int report_replace_section(const char *path, const char *name, const char *body)
{
    char begin[96], end[96];
    snprintf(begin, sizeof begin, "<!-- %s:begin -->\n", name);
    snprintf(end, sizeof end, "<!-- %s:end -->", name);
    char *old = report_slurp(path);
    const char *head = "", *tail = "\n";
    size_t head_len = 0;
    if (old) {
        char *b = strstr(old, begin);
        char *e = b ? strstr(b, end) : NULL;
        if (!e) {
            fprintf(stderr, "tenantq-bench: error: %s: no '%s' ... '%s' section to replace\n",
                    path, name, end);
            free(old);
            return -1;
        }
        head = old;
        head_len = (size_t)(b - old);
        tail = e + strlen(end);
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    int rc = -1;
    if (f) {
        fwrite(head, 1, head_len, f);
        fprintf(f, "%s%s%s%s", begin, body, end, tail);
        rc = ferror(f) ? -1 : 0;
        if (fclose(f) != 0)
            rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0) {
        perror(path);
        unlink(tmp);
    }
    free(old);
    return rc;
}

void report_machine(char *out, size_t cap)
{
    double load[3] = {0, 0, 0};
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
            load[0] = load[1] = load[2] = 0;
        fclose(f);
    }
    snprintf(out, cap, "%ld cores, load average %.2f %.2f %.2f", sysconf(_SC_NPROCESSORS_ONLN),
             load[0], load[1], load[2]);
}

void report_command(int argc, char **argv, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < argc && used < cap; i++) {
        const char *a = argv[i];
        if (i == 0) {
            const char *slash = strrchr(a, '/');
            a = slash ? slash + 1 : a;
        }
        int n = snprintf(out + used, cap - used, "%s%s", i ? " " : "", a);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

double report_median(double *values, size_t n)
{
    if (n == 0)
        return 0.0;
    bench_sort_doubles(values, n);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

void report_utc_now(char *out, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%M UTC", &tm);
}
