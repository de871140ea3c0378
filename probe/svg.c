/* svg.c: renders per-tenant p50 and p95 latency as grouped bars, one panel per
 * placement, all panels on one scale so placements compare at a glance.
 *
 * Plain SVG 1.1 with no scripts or external references; tenant ids are the only text
 * that comes from input and they match [a-z0-9_-], so nothing needs escaping. */
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define PANEL_H 240
#define PLOT_H 170
#define LEFT 70
#define TOP 40
#define PLOT_W_MIN 600
#define LABELS_MAX 40

/* A "nice" axis maximum at or above `v` (1, 2 or 5 times a power of ten). */
static double nice_ceiling(double v)
{
    if (v <= 0.0)
        return 1.0;
    double p = pow(10.0, floor(log10(v)));
    for (int i = 0; i < 3; i++) {
        double m = (i == 0 ? 1.0 : i == 1 ? 2.0 : 5.0) * p;
        if (m >= v)
            return m;
    }
    return 10.0 * p;
}

static void panel(FILE *f, probe_run_t *run, const probe_percentiles_t *p, double y0,
                  double ymax, double group_w)
{
    size_t n = run->corpus->tenants;
    double plot_w = group_w * (double)n;
    fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
            LEFT, y0 + 20, tq_placement_name(run->placement));
    double base = y0 + TOP + PLOT_H;
    for (int i = 0; i <= 4; i++) {
        double v = ymax * i / 4.0;
        double y = base - PLOT_H * i / 4.0;
        fprintf(f,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n"
                "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.3g ms</text>\n",
                LEFT, y, LEFT + plot_w, y, LEFT - 4, y + 3, v);
    }
    for (size_t t = 0; t < n; t++) {
        double x = LEFT + group_w * (double)t;
        double bw = group_w * 0.4;
        double h50 = PLOT_H * (p[t].p50 / ymax), h95 = PLOT_H * (p[t].p95 / ymax);
        fprintf(f,
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#4878d0\">"
                "<title>%s p50 %.3f ms</title></rect>\n"
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#ee854a\">"
                "<title>%s p95 %.3f ms</title></rect>\n",
                x + group_w * 0.1, base - h50, bw, h50, run->corpus->ids[t], p[t].p50,
                x + group_w * 0.5, base - h95, bw, h95, run->corpus->ids[t], p[t].p95);
        if (n <= LABELS_MAX)
            fprintf(f,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" text-anchor=\"end\" "
                    "transform=\"rotate(-45 %.1f %.1f)\">%s</text>\n",
                    x + group_w / 2, base + 12, x + group_w / 2, base + 12, run->corpus->ids[t]);
    }
    fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", LEFT,
            base, LEFT + plot_w, base);
}

int svg_write(probe_run_t *runs, size_t count, const char *path)
{
    size_t n = count ? runs[0].corpus->tenants : 0;
    probe_percentiles_t *p = calloc((n ? n : 1) * (count ? count : 1), sizeof *p);
    if (!p) {
        fprintf(stderr, "tenantq-probe: error: out of memory drawing %s\n", path);
        return -1;
    }
    double ymax = 0.0;
    for (size_t r = 0; r < count; r++) {
        for (size_t t = 0; t < n; t++) {
            p[r * n + t] = samples_percentiles(&runs[r].tenants[t].latency);
            if (p[r * n + t].p95 > ymax)
                ymax = p[r * n + t].p95;
        }
    }
    ymax = nice_ceiling(ymax);
    double group_w = n ? (double)PLOT_W_MIN / (double)n : 1.0;
    if (group_w < 2.0)
        group_w = 2.0;
    double width = LEFT + group_w * (double)n + 140;
    double height = PANEL_H * (double)count + 30;
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        free(p);
        return -1;
    }
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
            "<text x=\"%d\" y=\"18\" font-size=\"13\">tenantq-probe: per-tenant latency of "
            "read calls (%zu tenants)</text>\n",
            width, height, width, height, LEFT, n);
    double lx = width - 120;
    fprintf(f,
            "<rect x=\"%.0f\" y=\"8\" width=\"10\" height=\"10\" fill=\"#4878d0\"/>"
            "<text x=\"%.0f\" y=\"17\" font-size=\"11\">p50</text>\n"
            "<rect x=\"%.0f\" y=\"8\" width=\"10\" height=\"10\" fill=\"#ee854a\"/>"
            "<text x=\"%.0f\" y=\"17\" font-size=\"11\">p95</text>\n",
            lx, lx + 14, lx + 50, lx + 64);
    for (size_t r = 0; r < count; r++)
        panel(f, &runs[r], p + r * n, 30.0 + PANEL_H * (double)r, ymax, group_w);
    fputs("</svg>\n", f);
    int rc = ferror(f) ? -1 : 0;
    if (fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "tenantq-probe: error: %s: write failed\n", path);
    free(p);
    return rc;
}
