/* regedit.c: the registry rewrite behind `tenantq-admin migrate`.
 *
 * The registry is a file people edit and review, so the tool changes exactly one value
 * in it: the object of the migrating tenant. A small JSON scanner finds that value's
 * byte span; the new text is the old one with that span replaced, checked by the
 * runtime's own registry parser, and written through a temporary file and a rename.
 * It must never reformat, reorder or drop anything else in the file. */
#include "regedit.h"

#include "detail.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REGISTRY_FILE_MAX (16u * 1024u * 1024u)
#define SCAN_DEPTH_MAX 64

typedef struct scanner {
    const char *s;
    size_t len;
    size_t pos;
} scanner_t;

static void skip_ws(scanner_t *sc)
{
    while (sc->pos < sc->len && (sc->s[sc->pos] == ' ' || sc->s[sc->pos] == '\t' ||
                                 sc->s[sc->pos] == '\n' || sc->s[sc->pos] == '\r'))
        sc->pos++;
}

/* Skips a string token starting at sc->pos (a '"'); 0 on success. */
static int skip_string(scanner_t *sc)
{
    if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
        return -1;
    for (sc->pos++; sc->pos < sc->len; sc->pos++) {
        if (sc->s[sc->pos] == '\\')
            sc->pos++;
        else if (sc->s[sc->pos] == '"') {
            sc->pos++;
            return 0;
        }
    }
    return -1;
}

/* Skips one JSON value of any kind; 0 on success. Validity is left to cJSON, which
 * parsed the same text before; this only needs the boundaries. */
static int skip_value(scanner_t *sc, int depth)
{
    if (depth > SCAN_DEPTH_MAX)
        return -1;
    skip_ws(sc);
    if (sc->pos >= sc->len)
        return -1;
    char c = sc->s[sc->pos];
    if (c == '"')
        return skip_string(sc);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        sc->pos++;
        skip_ws(sc);
        if (sc->pos < sc->len && sc->s[sc->pos] == close) {
            sc->pos++;
            return 0;
        }
        for (;;) {
            if (c == '{') {
                skip_ws(sc);
                if (skip_string(sc) != 0)
                    return -1;
                skip_ws(sc);
                if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
                    return -1;
                sc->pos++;
            }
            if (skip_value(sc, depth + 1) != 0)
                return -1;
            skip_ws(sc);
            if (sc->pos >= sc->len)
                return -1;
            if (sc->s[sc->pos] == ',') {
                sc->pos++;
                continue;
            }
            if (sc->s[sc->pos] != close)
                return -1;
            sc->pos++;
            return 0;
        }
    }
    while (sc->pos < sc->len && !strchr(",}] \t\r\n", sc->s[sc->pos]))
        sc->pos++;
    return 0;
}

/* 1 when the string token s[start..end) (quotes included) decodes to `want`. Keys
 * with escapes are decoded by cJSON, so "\u0061corn" still matches "acorn". */
static int key_equals(const char *s, size_t start, size_t end, const char *want)
{
    size_t n = end - start - 2;
    if (!memchr(s + start, '\\', end - start))
        return n == strlen(want) && memcmp(s + start + 1, want, n) == 0;
    cJSON *k = cJSON_ParseWithLength(s + start, end - start);
    int eq = k && cJSON_IsString(k) && strcmp(k->valuestring, want) == 0;
    cJSON_Delete(k);
    return eq;
}

/* With sc->pos at an object's '{', finds member `key`: its value's span in
 * [*vstart, *vend). 1 when found, 0 when absent, -1 on malformed text. */
static int find_member(scanner_t *sc, const char *key, size_t *vstart, size_t *vend)
{
    skip_ws(sc);
    if (sc->pos >= sc->len || sc->s[sc->pos] != '{')
        return -1;
    sc->pos++;
    skip_ws(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == '}')
        return 0;
    for (;;) {
        skip_ws(sc);
        size_t ks = sc->pos;
        if (skip_string(sc) != 0)
            return -1;
        size_t ke = sc->pos;
        skip_ws(sc);
        if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
            return -1;
        sc->pos++;
        skip_ws(sc);
        size_t vs = sc->pos;
        if (skip_value(sc, 1) != 0)
            return -1;
        if (key_equals(sc->s, ks, ke, key)) {
            *vstart = vs;
            *vend = sc->pos;
            return 1;
        }
        skip_ws(sc);
        if (sc->pos >= sc->len)
            return -1;
        if (sc->s[sc->pos] == '}')
            return 0;
        if (sc->s[sc->pos] != ',')
            return -1;
        sc->pos++;
    }
}

tq_status_t adm_registry_splice(const char *text, size_t len, const char *tenant,
                                const adm_location_t *to, char **out, size_t *out_len,
                                tq_detail_t *detail)
{
    const char *pname = tq_placement_name(to->placement);
    if (!pname)
        return tq_fail(detail, TQ_EINVAL, 0, "unknown placement %d", (int)to->placement);
    scanner_t sc = {text, len, 0};
    size_t ts = 0, te = 0, vs = 0, ve = 0;
    int found = find_member(&sc, "tenants", &ts, &te);
    if (found < 0)
        return tq_fail(detail, TQ_EREGISTRY, 0, "registry: not a JSON object");
    if (found == 0)
        return tq_fail(detail, TQ_EREGISTRY, 0, "registry: key tenants: is required");
    sc.pos = ts;
    found = find_member(&sc, tenant, &vs, &ve);
    if (found < 0)
        return tq_fail(detail, TQ_EREGISTRY, 0, "registry: key tenants: must be an object");
    if (found == 0)
        return tq_fail(detail, TQ_ETENANT, 0, "registry: no tenant \"%s\"", tenant);
    char value[256];
    int vn;
    if (to->placement == TQ_PLACEMENT_DEDICATED)
        vn = snprintf(value, sizeof value, "{\"placement\": \"%s\", \"endpoint\": \"%s\"}", pname,
                      to->endpoint);
    else
        vn = snprintf(value, sizeof value, "{\"placement\": \"%s\"}", pname);
    if (vn < 0 || (size_t)vn >= sizeof value)
        return tq_fail(detail, TQ_EINVAL, 0, "endpoint name too long");
    size_t n = vs + (size_t)vn + (len - ve);
    char *buf = malloc(n + 1);
    if (!buf)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    memcpy(buf, text, vs);
    memcpy(buf + vs, value, (size_t)vn);
    memcpy(buf + vs + vn, text + ve, len - ve);
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return TQ_OK;
}

tq_status_t adm_registry_sha(const char *path, char out[ADM_SHA256_HEX_LEN + 1],
                             tq_detail_t *detail)
{
    char *text = NULL;
    size_t len = 0;
    tq_status_t st = adm_file_read(path, REGISTRY_FILE_MAX, &text, &len, detail);
    if (st != TQ_OK)
        return st;
    if (adm_sha256_hex(text, len, out) != 0)
        st = tq_fail(detail, TQ_ECRYPTO, 0, "cannot hash %s", path);
    free(text);
    return st;
}

tq_status_t adm_registry_plan(const char *path, const char *tenant, const adm_location_t *to,
                              const char *expect_sha, char **out, size_t *out_len,
                              char new_sha[ADM_SHA256_HEX_LEN + 1], tq_detail_t *detail)
{
    char *text = NULL, *edited = NULL;
    size_t len = 0, edited_len = 0;
    char sha[ADM_SHA256_HEX_LEN + 1];
    tq_registry_t *check = NULL;
    tq_status_t st = adm_file_read(path, REGISTRY_FILE_MAX, &text, &len, detail);
    if (st != TQ_OK)
        return st;
    if (expect_sha) {
        if (adm_sha256_hex(text, len, sha) != 0) {
            st = tq_fail(detail, TQ_ECRYPTO, 0, "cannot hash %s", path);
            goto cleanup;
        }
        if (strcmp(sha, expect_sha) != 0) {
            st = tq_fail(detail, TQ_ECONFLICT, 0,
                         "%s changed since the migration began (sha256 %.12s..., expected "
                         "%.12s...); refusing to overwrite it",
                         path, sha, expect_sha);
            goto cleanup;
        }
    }
    st = adm_registry_splice(text, len, tenant, to, &edited, &edited_len, detail);
    if (st == TQ_OK)
        st = tq_registry_parse(edited, edited_len, path, &check, detail);
    if (st != TQ_OK)
        goto cleanup;
    if (adm_sha256_hex(edited, edited_len, new_sha) != 0) {
        st = tq_fail(detail, TQ_ECRYPTO, 0, "cannot hash the new %s", path);
        goto cleanup;
    }
    *out = edited;
    *out_len = edited_len;
    edited = NULL;
cleanup:
    tq_registry_free(check);
    free(edited);
    free(text);
    return st;
}

tq_status_t adm_registry_set(const char *path, const char *tenant, const adm_location_t *to,
                             const char *expect_sha, char new_sha[ADM_SHA256_HEX_LEN + 1],
                             tq_detail_t *detail)
{
    char *edited = NULL;
    size_t len = 0;
    char sha[ADM_SHA256_HEX_LEN + 1];
    tq_status_t st = adm_registry_plan(path, tenant, to, expect_sha, &edited, &len, sha, detail);
    if (st == TQ_OK)
        st = adm_file_replace(path, edited, len, detail);
    if (st == TQ_OK && new_sha)
        memcpy(new_sha, sha, sizeof sha);
    free(edited);
    return st;
}
