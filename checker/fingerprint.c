/* fingerprint.c: finding fingerprints that survive lines moving. A fingerprint is the
 * first 32 hex digits of sha256(rule, repo-relative path, the finding's source line
 * with whitespace runs collapsed, the index of this finding among earlier ones with
 * the same rule, path and line text). Line numbers are deliberately left out. */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Writes the whitespace-normalised text of the finding's line into a malloc'd string. */
static char *normalised_line(const tqc_finding_t *f)
{
    size_t len = 0;
    const char *text = tqc_file_line(f->file, f->line, &len);
    char *out = malloc(len + 1);
    if (!out) {
        return NULL;
    }
    size_t n = 0;
    int space = 0;
    for (size_t i = 0; text && i < len; i++) {
        if (isspace((unsigned char)text[i])) {
            space = n > 0;
            continue;
        }
        if (space) {
            out[n++] = ' ';
            space = 0;
        }
        out[n++] = text[i];
    }
    out[n] = '\0';
    return out;
}

int tqc_fingerprints_compute(tqc_session_t *s)
{
    char **lines = calloc(s->finding_count ? s->finding_count : 1, sizeof *lines);
    int rc = -1;
    if (!lines) {
        return -1;
    }
    for (size_t i = 0; i < s->finding_count; i++) {
        if (!(lines[i] = normalised_line(&s->findings[i]))) {
            goto done;
        }
    }
    for (size_t i = 0; i < s->finding_count; i++) {
        tqc_finding_t *f = &s->findings[i];
        size_t occurrence = 0;
        for (size_t j = 0; j < i; j++) {
            const tqc_finding_t *g = &s->findings[j];
            occurrence += g->rule == f->rule && g->file == f->file &&
                          strcmp(lines[j], lines[i]) == 0;
        }
        char *key = tqc_format("%s\n%s\n%s\n%zu", tqc_rule_info(f->rule)->id, f->file->display,
                               lines[i], occurrence);
        char hex[65];
        if (!key || tqc_sha256_hex(key, strlen(key), hex) != 0) {
            free(key);
            goto done;
        }
        free(key);
        memcpy(f->fingerprint, hex, 32);
        f->fingerprint[32] = '\0';
    }
    rc = 0;
done:
    tqc_strv_free(lines, s->finding_count);
    return rc;
}
