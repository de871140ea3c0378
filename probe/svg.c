/* svg.c: renders p50 and p95 latency as grouped bars, panels on one scale so they
 * compare at a glance: the probe's per-tenant chart (one panel per placement) and, through
 * svg_write_panels, tenantq-bench's growth curves.
 *
 * Plain SVG 1.1 with no scripts or external references; labels (tenant ids,
 * fixed growth-point names) never hold XML specials, so nothing needs escaping. */
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

/* One panel of p50/p95 bar pairs, one pair per label, on the scale 0..ymax. */
static void panel(FILE *f, const svg_panel_t *pn, double y0, double ymax, double group_w)
{
    size_t n = pn->count;
    double plot_w = group_w * (double)n;
    fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
            LEFT, y0 + 20, pn->title);
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
        double h50 = PLOT_H * (pn->p50[t] / ymax), h95 = PLOT_H * (pn->p95[t] / ymax);
        fprintf(f,
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#4878d0\">"
                "<title>%s p50 %.3f ms</title></rect>\n"
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#ee854a\">"
                "<title>%s p95 %.3f ms</title></rect>\n",
                x + group_w * 0.1, base - h50, bw, h50, pn->labels[t], pn->p50[t],
                x + group_w * 0.5, base - h95, bw, h95, pn->labels[t], pn->p95[t]);
        if (n <= LABELS_MAX)
            fprintf(f,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" text-anchor=\"end\" "
                    "transform=\"rotate(-45 %.1f %.1f)\">%s</text>\n",
                    x + group_w / 2, base + 12, x + group_w / 2, base + 12, pn->labels[t]);
    }
    fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", LEFT,
            base, LEFT + plot_w, base);
}

int svg_write_panels(const svg_panel_t *panels, size_t count, const char *title,
                     const char *path)
{
    double ymax = 0.0;
    size_t n = 0;
    for (size_t r = 0; r < count; r++) {
        if (panels[r].count > n)
            n = panels[r].count;
        for (size_t t = 0; t < panels[r].count; t++) {
            if (panels[r].p95[t] > ymax)
                ymax = panels[r].p95[t];
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
        return -1;
    }
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
            "<text x=\"%d\" y=\"18\" font-size=\"13\">%s</text>\n",
            width, height, width, height, LEFT, title);
    double lx = width - 120;
    fprintf(f,
            "<rect x=\"%.0f\" y=\"8\" width=\"10\" height=\"10\" fill=\"#4878d0\"/>"
            "<text x=\"%.0f\" y=\"17\" font-size=\"11\">p50</text>\n"
            "<rect x=\"%.0f\" y=\"8\" width=\"10\" height=\"10\" fill=\"#ee854a\"/>"
            "<text x=\"%.0f\" y=\"17\" font-size=\"11\">p95</text>\n",
            lx, lx + 14, lx + 50, lx + 64);
    for (size_t r = 0; r < count; r++)
        panel(f, &panels[r], 30.0 + PANEL_H * (double)r, ymax, group_w);
    fputs("</svg>\n", f);
    int rc = ferror(f) ? -1 : 0;
    if (fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "%s: write failed\n", path);
    return rc;
}

int svg_write(probe_run_t *runs, size_t count, const char *path)
{
    size_t n = count ? runs[0].corpus->tenants : 0;
    double *v = calloc((n ? n : 1) * (count ? count : 1) * 2, sizeof *v);
    svg_panel_t *panels = calloc(count ? count : 1, sizeof *panels);
    const char **labels = calloc(n ? n : 1, sizeof *labels);
    char (*names)[sizeof runs->target + 16] = calloc(count ? count : 1, sizeof *names);
    if (!v || !panels || !labels || !names) {
        fprintf(stderr, "tenantq-probe: error: out of memory drawing %s\n", path);
        free(v);
        free(panels);
        free(labels);
        free(names);
        return -1;
    }
    for (size_t t = 0; t < n; t++)
        labels[t] = runs[0].corpus->ids[t];
    for (size_t r = 0; r < count; r++) {
        /* A user's schema: the panel names the collection and scope too. */
        snprintf(names[r], sizeof names[r], "%s%s%s", runs[r].target, runs[r].target[0] ? " " : "",
                 tq_placement_name(runs[r].placement));
        panels[r] = (svg_panel_t){names[r], labels, v + 2 * r * n, v + (2 * r + 1) * n, n};
        for (size_t t = 0; t < n; t++) {
            probe_percentiles_t p = samples_percentiles(&runs[r].tenants[t].latency);
            v[2 * r * n + t] = p.p50;
            v[(2 * r + 1) * n + t] = p.p95;
        }
    }
    char title[96];
    snprintf(title, sizeof title, "tenantq-probe: per-tenant latency of read calls (%zu tenants)",
             n);
    int rc = svg_write_panels(panels, count, title, path);
    free(v);
    free(panels);
    free(labels);
    free(names);
    return rc;
}
