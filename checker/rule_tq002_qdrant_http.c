/* rule_tq002_qdrant_http.c: TQ002, strings that name a Qdrant REST route.
 *
 * The value of every string literal (after concatenation and macro expansion, and so
 * also every const array initialiser and snprintf format) is searched for a route at a
 * route position: the start of the string, just after an HTTP method and a space
 * ("POST /collections/..."), just after scheme://authority, or just after a printf
 * conversion ("%s/collections/%s/points"). The routes are "/collections" followed by
 * the end of the string, '?' or '/' (the listing, one collection, or any sub-route),
 * and "/points" followed by the end, '?' or '/' (a sub-route built in pieces; not after
 * an authority, where it would be some other service's path). Text where the route
 * does not start at such a position ("collections of points", "see /collections in
 * the docs", "https://qdrant.tech/documentation/concepts/collections/") is not a
 * finding. A request body is recognised by the reserved payload fields: a string
 * whose value is exactly tq_tenant or tq_key (a key handed to a JSON builder), or that
 * contains "tq_tenant" or "tq_key" in double quotes (JSON text). Runtime and generated
 * files never reach this rule. */
#include "analyze.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int followed_by_end(const char *p)
{
    return *p == '\0' || *p == '?' || *p == '/';
}

/* 1 when s[i] ends a printf conversion ("%s", "%.*s", "%lu"). */
static int ends_conversion(const char *s, size_t i)
{
    if (!strchr("sdiuxXcp", s[i])) {
        return 0;
    }
    size_t j = i;
    while (j > 0 && strchr("0123456789.*-+ #lhzjt", s[j - 1])) {
        j--;
    }
    if (j == 0 || s[j - 1] != '%') {
        return 0;
    }
    /* "%%s" is a literal percent followed by 's'. */
    size_t percents = 0;
    while (j > percents && s[j - 1 - percents] == '%') {
        percents++;
    }
    return percents % 2 == 1;
}

/* Returns the kind of route position at s[i] ('/'): 0 none, 1 start or conversion or
 * method, 2 after an authority. */
static int route_position(const char *s, size_t i)
{
    static const char *const methods[] = {"GET ", "POST ", "PUT ", "DELETE ", "PATCH ",
                                          "HEAD "};
    if (i == 0) {
        return 1;
    }
    if (ends_conversion(s, i - 1)) {
        return 1;
    }
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        size_t n = strlen(methods[m]);
        if (i == n && strncmp(s, methods[m], n) == 0) {
            return 1;
        }
    }
    /* scheme://authority: no '/' or space between "://" and s[i]. */
    size_t j = i;
    while (j > 0 && s[j - 1] != '/' && !isspace((unsigned char)s[j - 1])) {
        j--;
    }
    if (j >= 3 && j < i && s[j - 1] == '/' && s[j - 2] == '/' && s[j - 3] == ':') {
        size_t k = j - 3;
        if (k > 0 && isalpha((unsigned char)s[k - 1])) {
            return 2;
        }
    }
    return 0;
}

/* The reserved payload field a request body names, or NULL. */
static const char *body_field(const char *value)
{
    static const char *const fields[] = {"tq_tenant", "tq_key"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        char quoted[16];
        snprintf(quoted, sizeof quoted, "\"%s\"", fields[i]);
        if (strcmp(value, fields[i]) == 0 || strstr(value, quoted)) {
            return fields[i];
        }
    }
    return NULL;
}

void tqc_tq002_string(tqc_tu_t *t, CXCursor c, const char *value)
{
    const char *field = strstr(value, "tq_") ? body_field(value) : NULL;
    if (field) {
        tqc_loc_t loc;
        if (tqc_cursor_loc(t, c, &loc)) {
            tqc_report(t, TQC_TQ002, &loc,
                       "string names the reserved payload field '%s' of a Qdrant request "
                       "body; use the generated client, which adds the tenant itself", field);
        }
        return;
    }
    if (!strstr(value, "/collections") && !strstr(value, "/points")) {
        return;
    }
    for (size_t i = 0; value[i]; i++) {
        if (value[i] != '/') {
            continue;
        }
        const char *p = value + i;
        int collections = strncmp(p, "/collections", 12) == 0 && followed_by_end(p + 12);
        int points = strncmp(p, "/points", 7) == 0 && followed_by_end(p + 7);
        if (!collections && !points) {
            continue;
        }
        int position = route_position(value, i);
        if (position == 0 || (points && position == 2)) {
            continue;
        }
        tqc_loc_t loc;
        if (!tqc_cursor_loc(t, c, &loc)) {
            return;
        }
        size_t len = strcspn(p, " \t\r\n\"");
        tqc_report(t, TQC_TQ002, &loc,
                   "string names the Qdrant REST route '%.*s%s'; use the generated client, "
                   "which routes every request through the tenant context",
                   (int)(len > 60 ? 60 : len), p, len > 60 ? "..." : "");
        return;
    }
}
