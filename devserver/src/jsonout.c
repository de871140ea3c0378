/* jsonout.c: response serialisation.
 *
 * cJSON_PrintUnformatted formats every number with sprintf and checks it with sscanf,
 * which dominated small responses; ids, versions and counts are integers and take a
 * digit loop here instead. Output is byte-for-byte valid JSON with strings escaped as
 * cJSON does. The buffer grows geometrically; nothing else is allocated.
 */
#include "jsonout.h"

#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct out {
    char *p;
    size_t len, cap;
    int oom;
} out_t;

static int reserve(out_t *o, size_t n)
{
    if (o->oom)
        return 0;
    if (o->len + n + 1 <= o->cap)
        return 1;
    size_t cap = o->cap ? o->cap : 256;
    while (cap < o->len + n + 1)
        cap *= 2;
    char *p = realloc(o->p, cap);
    if (!p) {
        o->oom = 1;
        return 0;
    }
    o->p = p;
    o->cap = cap;
    return 1;
}

static void put(out_t *o, const char *s, size_t n)
{
    if (!reserve(o, n))
        return;
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void put_number(out_t *o, double v)
{
    char buf[40];
    size_t n;
    if (!isfinite(v)) {
        put(o, "null", 4);
        return;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        long long i = (long long)v;
        unsigned long long u = i < 0 ? (unsigned long long)(-i) : (unsigned long long)i;
        char tmp[24];
        size_t k = 0;
        do {
            tmp[k++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        n = 0;
        if (i < 0)
            buf[n++] = '-';
        while (k)
            buf[n++] = tmp[--k];
        put(o, buf, n);
        return;
    }
    int w = snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v)
        w = snprintf(buf, sizeof buf, "%.17g", v);
    put(o, buf, (size_t)w);
}

static void put_string(out_t *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    put(o, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(o, run, (size_t)(s - run));
        run = s + 1;
        char esc[6] = {'\\', 0};
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            put(o, esc, 6);
            continue;
        }
        put(o, esc, 2);
    }
    put(o, run, (size_t)(s - run));
    put(o, "\"", 1);
}

static void put_value(out_t *o, const cJSON *n)
{
    switch (n->type & 0xFF) {
    case cJSON_False: put(o, "false", 5); return;
    case cJSON_True: put(o, "true", 4); return;
    case cJSON_NULL: put(o, "null", 4); return;
    case cJSON_Number:
        /* Long integers parsed from requests keep their exact digits; f32 values from
         * records.c carry their shortest text. */
        if (n->valuestring &&
            (n->valuestring[0] == '-' || (n->valuestring[0] >= '0' && n->valuestring[0] <= '9')))
            put(o, n->valuestring, strlen(n->valuestring));
        else
            put_number(o, n->valuedouble);
        /* A payload number written as a float stays one ("5.0"), as serde prints f64. */
        if ((n->type & DS_JSON_FLOAT) && !n->valuestring && isfinite(n->valuedouble) &&
            n->valuedouble == floor(n->valuedouble) && fabs(n->valuedouble) < 9007199254740992.0)
            put(o, ".0", 2);
        return;
    case cJSON_String: put_string(o, n->valuestring ? n->valuestring : ""); return;
    case cJSON_Raw: put(o, n->valuestring, strlen(n->valuestring)); return;
    case cJSON_Array:
    case cJSON_Object: {
        int obj = (n->type & 0xFF) == cJSON_Object;
        put(o, obj ? "{" : "[", 1);
        for (const cJSON *c = n->child; c; c = c->next) {
            if (c != n->child)
                put(o, ",", 1);
            if (obj) {
                put_string(o, c->string ? c->string : "");
                put(o, ":", 1);
            }
            put_value(o, c);
        }
        put(o, obj ? "}" : "]", 1);
        return;
    }
    default: put(o, "null", 4);
    }
}

char *ds_json_print(const cJSON *node, size_t *len)
{
    out_t o = {0};
    put_value(&o, node);
    if (o.oom || !reserve(&o, 0)) {
        free(o.p);
        return NULL;
    }
    o.p[o.len] = '\0';
    if (len)
        *len = o.len;
    return o.p;
}
