/* rule_tq002_qdrant_http.c: TQ002, strings that name a Qdrant route or build a Qdrant
 * request body.
 *
 * The value of every string literal (after concatenation and macro expansion, and so
 * also every const array initialiser and snprintf format) is searched for Qdrant's
 * route *shapes* (tests/contract/spec/openapi.json), wherever they start: after any
 * '/', at the start of the string, or after a blank, quote or '=' (a relative path
 * joined to a base that ends in '/'). A route is judged by its segments:
 *
 *  - strong, reported wherever it starts: /collections/{name}/{sub} with a Qdrant
 *    sub-resource (points, index, shards, cluster, snapshots, aliases, exists, facet,
 *    optimizations, vectors), /collections/aliases, and Qdrant's gRPC service paths
 *    (qdrant.Points/..., qdrant.Collections/..., qdrant.Snapshots/...);
 *  - positional, reported only at a route position (the start of the string, after a
 *    printf conversion, "METHOD ", scheme://authority or host:port, or a shell
 *    variable such as $QDRANT_URL): /collections/{name}, /collections/, /snapshots...,
 *    /cluster..., /aliases, and the pieces /points/{qdrant sub-route} and
 *    /points?wait=... (not after an authority: other services have points); a
 *    conversion counts only as a base (at the start, after a blank, quote, '=' or
 *    "%s:"), not as a path segment ("/repos/%s/collections/%s");
 *  - Qdrant-only: the bare listing /collections, reported only after an authority
 *    or variable that names Qdrant (host or variable containing "qdrant", port 6333
 *    or 6334).
 * So "/collections" (an application's own route), "%s/collections/%s/products.json"
 * (a shop API), "/points/redeem" and prose ("collections of points") are not findings.
 * A request body is recognised by the reserved payload fields, also when spelled with
 * JSON escapes (tq\u005ftenant): a string whose value is exactly tq_tenant or tq_key,
 * or that contains "tq_tenant" or "tq_key" in double quotes. Runtime and generated
 * files never reach this rule. */
#include "analyze.h"
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { LEVEL_NONE, LEVEL_QDRANT_HOST, LEVEL_POSITION, LEVEL_STRONG };
enum { POS_NONE, POS_START, POS_CONVERSION, POS_METHOD, POS_AUTHORITY, POS_VARIABLE };

static const char *const collection_subs[] = {
    "points", "index", "shards", "cluster", "snapshots", "aliases", "exists", "facet",
    "optimizations", "vectors", NULL};
static const char *const point_subs[] = {
    "batch", "count", "delete", "payload", "query", "scroll", "search", "vectors",
    "recommend", "discover", "groups", NULL};
static const char *const grpc_services[] = {
    "qdrant.Points/", "qdrant.Collections/", "qdrant.Snapshots/", "qdrant.ShardSnapshots/",
    NULL};

static int ends_segment(char c)
{
    return c == '\0' || c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' ||
           isspace((unsigned char)c);
}

static int ends_route(char c)
{
    return c != '/' && ends_segment(c);
}

static size_t segment_length(const char *p)
{
    size_t n = 0;
    while (!ends_segment(p[n])) {
        n++;
    }
    return n;
}

static int segment_is(const char *p, const char *word)
{
    size_t n = strlen(word);
    return strncmp(p, word, n) == 0 && ends_segment(p[n]);
}

static int segment_in(const char *p, const char *const *words)
{
    for (size_t i = 0; words[i]; i++) {
        if (segment_is(p, words[i])) {
            return 1;
        }
    }
    return 0;
}

/* The level of the route whose first segment starts at p; *points says it is a
 * /points piece (never judged after an authority: other services have points too). */
static int route_level(const char *p, int *points)
{
    *points = 0;
    if (segment_is(p, "collections")) {
        const char *q = p + 11;
        if (ends_route(*q)) {
            return LEVEL_QDRANT_HOST;
        }
        q++;
        if (segment_is(q, "aliases")) {
            return LEVEL_STRONG;
        }
        q += segment_length(q);
        if (ends_route(*q) || ends_route(q[1])) {
            return LEVEL_POSITION; /* /collections/{name} or /collections/{name}/ */
        }
        return segment_in(q + 1, collection_subs) ? LEVEL_STRONG : LEVEL_NONE;
    }
    if (segment_is(p, "points")) {
        *points = 1;
        const char *q = p + 6;
        if (strncmp(q, "?wait=", 6) == 0) {
            return LEVEL_POSITION; /* "%s/points?wait=true": an upsert */
        }
        return *q == '/' && segment_in(q + 1, point_subs) ? LEVEL_POSITION : LEVEL_NONE;
    }
    if (segment_is(p, "snapshots") || segment_is(p, "cluster") || segment_is(p, "aliases")) {
        return LEVEL_POSITION;
    }
    return LEVEL_NONE;
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

/* 1 when s[i] ends a printf conversion; *start is its '%'. */
static int conversion_start(const char *s, size_t i, size_t *start)
{
    if (!ends_conversion(s, i)) {
        return 0;
    }
    size_t j = i;
    while (s[j] != '%') {
        j--;
    }
    *start = j;
    return 1;
}

/* A conversion is a base URL (so the '/' after it starts a route) when it starts the
 * string or follows a blank, quote, '=' or another conversion ("%s:%d/..."), not a
 * path segment ("/repos/%s/collections/..."). */
static int base_position(const char *s, size_t percent)
{
    if (percent == 0) {
        return 1;
    }
    char before = s[percent - 1];
    if (isspace((unsigned char)before) || strchr("\"'=", before)) {
        return 1;
    }
    if (before == ':') {
        size_t p = 0;
        return percent >= 2 && conversion_start(s, percent - 2, &p) && base_position(s, p);
    }
    return 0;
}

static int contains_qdrant(const char *s, size_t len)
{
    for (size_t i = 0; i + 6 <= len; i++) {
        if (strncasecmp(s + i, "qdrant", 6) == 0) {
            return 1;
        }
    }
    for (size_t i = 0; i + 5 <= len; i++) {
        if (strncmp(s + i, ":6333", 5) == 0 || strncmp(s + i, ":6334", 5) == 0) {
            return 1;
        }
    }
    return 0;
}

/* What precedes the '/' at s[i]; *qdrant says the authority or variable names Qdrant. */
static int route_position(const char *s, size_t i, int *qdrant)
{
    static const char *const methods[] = {"GET ", "POST ", "PUT ", "DELETE ", "PATCH ",
                                          "HEAD "};
    *qdrant = 0;
    if (i == 0) {
        return POS_START;
    }
    size_t conv = s[i - 1] == ' ' && i > 1 ? i - 2 : i - 1;
    size_t percent = 0;
    if (conversion_start(s, conv, &percent) && base_position(s, percent)) {
        return POS_CONVERSION;
    }
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        size_t n = strlen(methods[m]);
        if (i >= n && strncmp(s + i - n, methods[m], n) == 0 &&
            (i == n || !isalnum((unsigned char)s[i - n - 1]))) {
            return POS_METHOD;
        }
    }
    /* The word before the '/': back to a blank, quote, '=' or the start. */
    size_t j = i;
    while (j > 0 && !isspace((unsigned char)s[j - 1]) && !strchr("\"'=(", s[j - 1])) {
        j--;
    }
    const char *word = s + j;
    size_t len = i - j;
    if (len == 0) {
        return POS_NONE;
    }
    /* $VAR, ${VAR}, $(command) */
    if (word[0] == '$') {
        size_t k = 1;
        if (word[1] == '{' || word[1] == '(') {
            char close = word[1] == '{' ? '}' : ')';
            while (k < len && word[k] != close) {
                k++;
            }
            k++;
        } else {
            while (k < len && (isalnum((unsigned char)word[k]) || word[k] == '_')) {
                k++;
            }
        }
        if (k == len) {
            *qdrant = contains_qdrant(word, len);
            return POS_VARIABLE;
        }
        return POS_NONE;
    }
    /* scheme://authority or host:port, with no '/' after the authority. */
    const char *scheme = NULL;
    for (size_t k = 0; k + 3 <= len; k++) {
        if (word[k] == ':' && word[k + 1] == '/' && word[k + 2] == '/') {
            scheme = word + k + 3;
            break;
        }
    }
    const char *host = scheme ? scheme : word;
    if (memchr(host, '/', len - (size_t)(host - word))) {
        return POS_NONE;
    }
    if (scheme) {
        *qdrant = contains_qdrant(host, len - (size_t)(host - word));
        return POS_AUTHORITY;
    }
    const char *colon = memchr(word, ':', len);
    if (colon && colon > word && colon + 1 < word + len) {
        for (const char *d = colon + 1; d < word + len; d++) {
            if (!isdigit((unsigned char)*d) && !(*d == '%' || *d == 'd' || *d == 's')) {
                return POS_NONE;
            }
        }
        *qdrant = contains_qdrant(word, len);
        return POS_AUTHORITY;
    }
    return POS_NONE;
}

/* Where the route at p (inside value) starts for reporting, and whether it is one. */
static int is_qdrant_route(const char *value, size_t at)
{
    int points = 0, qdrant = 0;
    int level = route_level(value + at, &points);
    if (level == LEVEL_NONE) {
        return 0;
    }
    if (level == LEVEL_STRONG) {
        return 1;
    }
    if (at == 0 || value[at - 1] != '/') {
        return 0; /* no leading slash ("cluster/node-1 joined"): strong shapes only */
    }
    int position = route_position(value, at - 1, &qdrant);
    if (position == POS_NONE) {
        return 0;
    }
    if (points) {
        /* Other services have points too: never after an authority or variable. */
        return position == POS_CONVERSION || position == POS_START || position == POS_METHOD;
    }
    if (level == LEVEL_QDRANT_HOST) {
        return qdrant;
    }
    return 1;
}

/* A copy of value with JSON \uXXXX escapes of ASCII characters decoded, or NULL. */
static char *json_unescape(const char *value)
{
    char *out = malloc(strlen(value) + 1);
    if (!out) {
        return NULL;
    }
    size_t n = 0;
    for (const char *p = value; *p; p++) {
        unsigned code = 0;
        if (p[0] == '\\' && p[1] == 'u' && sscanf(p + 2, "%4x", &code) == 1 && code > 0 &&
            code < 0x80 && isxdigit((unsigned char)p[2]) && isxdigit((unsigned char)p[3]) &&
            isxdigit((unsigned char)p[4]) && isxdigit((unsigned char)p[5])) {
            out[n++] = (char)code;
            p += 5;
        } else if (p[0] == '\\' && p[1] == '/') {
            out[n++] = '/';
            p++;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return out;
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

static void report_route(tqc_tu_t *t, CXCursor c, const char *what, const char *p)
{
    tqc_loc_t loc;
    if (!tqc_cursor_loc(t, c, &loc)) {
        return;
    }
    size_t len = strcspn(p, " \t\r\n\"");
    tqc_report(t, TQC_TQ002, &loc,
               "string names the Qdrant %s '%.*s%s'; use the generated client, which routes "
               "every request through the tenant context",
               what, (int)(len > 60 ? 60 : len), p, len > 60 ? "..." : "");
}

void tqc_tq002_string(tqc_tu_t *t, CXCursor c, const char *value)
{
    const char *field = NULL;
    if (strstr(value, "tq_")) {
        field = body_field(value);
    } else if (strstr(value, "\\u")) {
        char *plain = json_unescape(value);
        if (!plain) {
            t->failed = 1;
            return;
        }
        field = body_field(plain);
        free(plain);
    }
    if (field) {
        tqc_loc_t loc;
        if (tqc_cursor_loc(t, c, &loc)) {
            tqc_report(t, TQC_TQ002, &loc,
                       "string names the reserved payload field '%s' of a Qdrant request "
                       "body; use the generated client, which adds the tenant itself", field);
        }
        return;
    }
    const char *grpc = strstr(value, "qdrant.");
    for (; grpc; grpc = strstr(grpc + 1, "qdrant.")) {
        for (size_t i = 0; grpc_services[i]; i++) {
            if (strncmp(grpc, grpc_services[i], strlen(grpc_services[i])) == 0) {
                report_route(t, c, "gRPC method", grpc);
                return;
            }
        }
    }
    if (!strstr(value, "collections") && !strstr(value, "points") &&
        !strstr(value, "snapshots") && !strstr(value, "cluster") && !strstr(value, "aliases")) {
        return;
    }
    for (size_t i = 0; value[i]; i++) {
        char before = i ? value[i - 1] : '\0';
        if (i && before != '/' && !isspace((unsigned char)before) && !strchr("\"'=", before)) {
            continue;
        }
        if (!strchr("cpsa", value[i]) || !is_qdrant_route(value, i)) {
            continue;
        }
        report_route(t, c, "REST route", before == '/' ? value + i - 1 : value + i);
        return;
    }
}
