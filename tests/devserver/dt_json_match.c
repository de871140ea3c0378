/* dt_json_match.c: the pattern matcher behind every JSON expectation in the tables.
 *
 * A pattern is ordinary JSON plus a few '@' string predicates, so a case can say
 * "this key must be absent" or "the error starts with Not found: " without code. It
 * must never accept a mismatch silently: every failure names the JSON path. */
#include "dt_json_match.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool fail(char *why, size_t n, const char *path, const char *msg, const cJSON *actual) {
    char *shown = actual ? cJSON_PrintUnformatted(actual) : NULL;
    snprintf(why, n, "at %s: %s (actual: %.300s)", path[0] ? path : "$", msg,
             shown ? shown : "<absent>");
    free(shown);
    return false;
}

static bool numbers_equal(double want, double got) {
    double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
    return fabs(want - got) <= 1e-5 * scale;
}

static bool is_marker(const cJSON *e, const char *marker) {
    return cJSON_IsString(e) && strcmp(e->valuestring, marker) == 0;
}

static bool match_at(const cJSON *e, const cJSON *a, char *path, size_t plen, char *why,
                     size_t n);

/* String predicates ('@...'); returns -1 when `pattern` is not a predicate. */
static int match_predicate(const char *pattern, const cJSON *a, const char *path, char *why,
                           size_t n) {
    char msg[512];
    if (pattern[0] != '@') return -1;
    if (strcmp(pattern, "@any") == 0) return a ? 1 : fail(why, n, path, "missing", a);
    if (strcmp(pattern, "@absent") == 0) return !a ? 1 : fail(why, n, path, "must be absent", a);
    if (strcmp(pattern, "@null-or-absent") == 0)
        return !a || cJSON_IsNull(a) ? 1 : fail(why, n, path, "must be null or absent", a);
    if (!a) return fail(why, n, path, "missing", a);
    if (strcmp(pattern, "@number") == 0)
        return cJSON_IsNumber(a) ? 1 : fail(why, n, path, "not a number", a);
    if (strcmp(pattern, "@uint") == 0)
        return cJSON_IsNumber(a) && a->valuedouble >= 0 &&
                       a->valuedouble == floor(a->valuedouble)
                   ? 1
                   : fail(why, n, path, "not an unsigned integer", a);
    if (strcmp(pattern, "@string") == 0)
        return cJSON_IsString(a) ? 1 : fail(why, n, path, "not a string", a);
    if (strcmp(pattern, "@array") == 0)
        return cJSON_IsArray(a) ? 1 : fail(why, n, path, "not an array", a);
    if (strcmp(pattern, "@object") == 0)
        return cJSON_IsObject(a) ? 1 : fail(why, n, path, "not an object", a);
    if (strncmp(pattern, "@prefix:", 8) == 0) {
        const char *want = pattern + 8;
        if (cJSON_IsString(a) && strncmp(a->valuestring, want, strlen(want)) == 0) return 1;
        snprintf(msg, sizeof msg, "does not start with '%s'", want);
        return fail(why, n, path, msg, a);
    }
    if (strncmp(pattern, "@contains:", 10) == 0) {
        const char *want = pattern + 10;
        if (cJSON_IsString(a) && strstr(a->valuestring, want)) return 1;
        snprintf(msg, sizeof msg, "does not contain '%s'", want);
        return fail(why, n, path, msg, a);
    }
    return -1;
}

/* Every pattern key must match (absent-markers included); with "@only": true the
 * actual object may not carry keys the pattern does not name. */
static bool match_object(const cJSON *e, const cJSON *a, char *path, size_t plen, char *why,
                         size_t n) {
    if (!cJSON_IsObject(a)) return fail(why, n, path, "not an object", a);
    size_t base = strlen(path);
    bool only = false;
    for (const cJSON *ek = e->child; ek; ek = ek->next) {
        if (strcmp(ek->string, "@only") == 0) {
            only = cJSON_IsTrue(ek);
            continue;
        }
        snprintf(path + base, plen - base, ".%s", ek->string);
        const cJSON *ak = cJSON_GetObjectItemCaseSensitive(a, ek->string);
        if (!match_at(ek, ak, path, plen, why, n)) return false;
        path[base] = '\0';
    }
    if (only) {
        for (const cJSON *ak = a->child; ak; ak = ak->next) {
            if (!cJSON_GetObjectItemCaseSensitive(e, ak->string)) {
                snprintf(path + base, plen - base, ".%s", ak->string);
                return fail(why, n, path, "unexpected key", ak);
            }
        }
    }
    return true;
}

/* Equal length, then element by element, or any order after an "@unordered" head. */
static bool match_array(const cJSON *e, const cJSON *a, char *path, size_t plen, char *why,
                        size_t n) {
    if (!cJSON_IsArray(a)) return fail(why, n, path, "not an array", a);
    const cJSON *first = e->child;
    bool unordered = first && is_marker(first, "@unordered");
    if (unordered) first = first->next;
    int want = 0;
    for (const cJSON *x = first; x; x = x->next) want++;
    int got = cJSON_GetArraySize(a);
    char msg[128];
    if (want != got) {
        snprintf(msg, sizeof msg, "array length %d, expected %d", got, want);
        return fail(why, n, path, msg, a);
    }
    size_t base = strlen(path);
    if (!unordered) {
        int i = 0;
        const cJSON *ai = a->child;
        for (const cJSON *ei = first; ei; ei = ei->next, ai = ai->next, i++) {
            snprintf(path + base, plen - base, "[%d]", i);
            if (!match_at(ei, ai, path, plen, why, n)) return false;
            path[base] = '\0';
        }
        return true;
    }
    /* Unordered: greedy assignment is enough for the small, distinct tables used. */
    char used[256] = {0};
    if (got > (int)sizeof used) return fail(why, n, path, "array too long to match unordered", a);
    int i = 0;
    for (const cJSON *ei = first; ei; ei = ei->next, i++) {
        bool found = false;
        int j = 0;
        for (const cJSON *ai = a->child; ai; ai = ai->next, j++) {
            char scratch[64];
            if (used[j]) continue;
            path[base] = '\0';
            if (match_at(ei, ai, path, plen, scratch, sizeof scratch)) {
                used[j] = 1;
                found = true;
                break;
            }
        }
        path[base] = '\0';
        if (!found) {
            char *shown = cJSON_PrintUnformatted(ei);
            snprintf(msg, sizeof msg, "no element matches %.80s", shown ? shown : "?");
            free(shown);
            return fail(why, n, path, msg, a);
        }
    }
    return true;
}

static bool match_at(const cJSON *e, const cJSON *a, char *path, size_t plen, char *why,
                     size_t n) {
    if (cJSON_IsString(e)) {
        int p = match_predicate(e->valuestring, a, path, why, n);
        if (p >= 0) return p == 1;
    }
    if (!a) return fail(why, n, path, "missing", a);
    if (cJSON_IsObject(e)) return match_object(e, a, path, plen, why, n);
    if (cJSON_IsArray(e)) return match_array(e, a, path, plen, why, n);
    if (cJSON_IsNumber(e)) {
        if (cJSON_IsNumber(a) && numbers_equal(e->valuedouble, a->valuedouble)) return true;
        char msg[64];
        snprintf(msg, sizeof msg, "expected %.9g", e->valuedouble);
        return fail(why, n, path, msg, a);
    }
    if (cJSON_IsString(e)) {
        if (cJSON_IsString(a) && strcmp(e->valuestring, a->valuestring) == 0) return true;
        char msg[300];
        snprintf(msg, sizeof msg, "expected \"%.250s\"", e->valuestring);
        return fail(why, n, path, msg, a);
    }
    if (cJSON_IsTrue(e)) return cJSON_IsTrue(a) ? true : fail(why, n, path, "expected true", a);
    if (cJSON_IsFalse(e)) return cJSON_IsFalse(a) ? true : fail(why, n, path, "expected false", a);
    if (cJSON_IsNull(e)) return cJSON_IsNull(a) ? true : fail(why, n, path, "expected null", a);
    return fail(why, n, path, "unsupported pattern", a);
}

bool dt_json_match(const cJSON *expected, const cJSON *actual, char *why, size_t n) {
    char path[512] = "";
    return match_at(expected, actual, path, sizeof path, why, n);
}

char *dt_json_quotes(const char *text) {
    size_t len = strlen(text);
    char *out = malloc(len + 1);
    if (!out) return NULL;
    for (size_t i = 0; i <= len; i++) out[i] = text[i] == '\'' ? '"' : text[i];
    return out;
}
