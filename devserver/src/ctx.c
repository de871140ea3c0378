/* ctx.c: error and query-string helpers for handlers.
 * Query strings are "k=v&..." with %-escapes (the HTTP glue re-escapes decoded
 * values); lookups decode into a caller buffer and never allocate.
 */
#include "ctx.h"

#include "envelope.h"
#include "ids.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

double ds_elapsed(const ds_ctx_t *c)
{
    return ds_now() - c->start;
}

cJSON *ds_fail(ds_ctx_t *c, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int zero = strncmp(msg, "Format error", 12) == 0 || strncmp(msg, "Validation error", 16) == 0 ||
               strncmp(msg, "Deserialize error", 17) == 0;
    ds_resp_error(c->resp, status, zero ? 0.0 : ds_elapsed(c), msg);
    c->failed = 1;
    return NULL;
}

cJSON *ds_fail_no_collection(ds_ctx_t *c, const char *name)
{
    return ds_fail(c, 404, "Not found: Collection `%s` doesn't exist!", name);
}

/* Decodes %XX and '+' from src[0..n) into buf (always terminated). */
static void decode(const char *src, size_t n, char *buf, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < len; i++) {
        if (src[i] == '%' && i + 2 < n && ds_hex_value(src[i + 1]) >= 0 &&
            ds_hex_value(src[i + 2]) >= 0) {
            buf[o++] = (char)(ds_hex_value(src[i + 1]) * 16 + ds_hex_value(src[i + 2]));
            i += 2;
        } else if (src[i] == '+') {
            buf[o++] = ' ';
        } else {
            buf[o++] = src[i];
        }
    }
    buf[o] = '\0';
}

int ds_query_param(const ds_ctx_t *c, const char *name, char *buf, size_t len)
{
    const char *q = c->req->query;
    size_t nl = strlen(name);
    while (q && *q) {
        size_t seg = strcspn(q, "&");
        const char *eq = memchr(q, '=', seg);
        size_t kl = eq ? (size_t)(eq - q) : seg;
        if (kl == nl && memcmp(q, name, nl) == 0) {
            if (eq)
                decode(eq + 1, seg - kl - 1, buf, len);
            else if (len)
                buf[0] = '\0';
            return 1;
        }
        q += seg;
        if (*q == '&')
            q++;
    }
    return 0;
}
