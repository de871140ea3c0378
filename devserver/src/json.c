/* json.c: a strict JSON parser that builds cJSON trees inside an arena.
 *
 * Request bodies are parsed here instead of cJSON_Parse for three reasons: the whole
 * tree is freed at once (upserts of thousands of vectors make one node per float),
 * numbers remember whether they were written as floats (Qdrant matches integers
 * exactly) and long integers keep their digits (u64 point ids). Nesting depth and
 * total memory are bounded. It must never read past `len` and never call cJSON_Delete
 * on its own trees; payloads kept beyond the request are copied with cJSON_Duplicate.
 */
#include "json.h"

#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 65536
/* Standard-size blocks are kept for reuse (up to this many bytes in all), so large
 * upserts do not page-fault fresh memory on every request. */
#define ARENA_POOL_MAX (64u * 1024u * 1024u)

typedef struct arena_block {
    struct arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
} arena_block_t;

struct ds_arena {
    arena_block_t *head;
    size_t total, limit;
};

static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static arena_block_t *pool;
static size_t pool_bytes;

static arena_block_t *block_get(size_t size)
{
    if (size == ARENA_BLOCK) {
        pthread_mutex_lock(&pool_mu);
        arena_block_t *b = pool;
        if (b) {
            pool = b->next;
            pool_bytes -= ARENA_BLOCK;
        }
        pthread_mutex_unlock(&pool_mu);
        if (b)
            return b;
    }
    return malloc(sizeof(arena_block_t) + size);
}

static void block_put(arena_block_t *b)
{
    if (b->size == ARENA_BLOCK) {
        pthread_mutex_lock(&pool_mu);
        if (pool_bytes + ARENA_BLOCK <= ARENA_POOL_MAX) {
            b->next = pool;
            pool = b;
            pool_bytes += ARENA_BLOCK;
            b = NULL;
        }
        pthread_mutex_unlock(&pool_mu);
    }
    free(b);
}

void ds_arena_pool_release(void)
{
    pthread_mutex_lock(&pool_mu);
    while (pool) {
        arena_block_t *next = pool->next;
        free(pool);
        pool = next;
    }
    pool_bytes = 0;
    pthread_mutex_unlock(&pool_mu);
}

ds_arena_t *ds_arena_new(size_t limit)
{
    ds_arena_t *a = calloc(1, sizeof *a);
    if (a)
        a->limit = limit;
    return a;
}

void ds_arena_free(ds_arena_t *arena)
{
    if (!arena)
        return;
    arena_block_t *b = arena->head;
    while (b) {
        arena_block_t *next = b->next;
        block_put(b);
        b = next;
    }
    free(arena);
}

/* Returns 16-byte aligned zeroed memory, or NULL when the limit is reached. */
void *ds_arena_alloc(ds_arena_t *a, size_t n)
{
    n = (n + 15u) & ~(size_t)15u;
    arena_block_t *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        if (a->total + size > a->limit)
            return NULL;
        b = block_get(size);
        if (!b)
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->size = size;
        a->head = b;
        a->total += size;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

typedef struct parser {
    const char *s;
    size_t len, pos;
    int max_depth;
    ds_arena_t *arena;
    char *err;
    size_t errlen;
    int failed;
} parser_t;

static void fail(parser_t *p, const char *what)
{
    if (p->failed)
        return;
    p->failed = 1;
    /* serde_json reports 1-based line and column. */
    size_t line = 1, col = 1;
    for (size_t i = 0; i < p->pos && i < p->len; i++) {
        if (p->s[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    snprintf(p->err, p->errlen, "%s at line %zu column %zu", what, line, col);
}

/* The text is NUL-terminated (ds_json_parse copies it), so scanning stops there. */
static void skip_ws(parser_t *p)
{
    const char *c = p->s + p->pos;
    while (*c == ' ' || *c == '\n' || *c == '\r' || *c == '\t')
        c++;
    p->pos = (size_t)(c - p->s);
}

static cJSON *new_node(parser_t *p, int type)
{
    arena_block_t *b = p->arena->head;
    cJSON *n;
    if (b && b->size - b->used >= sizeof *n) {
        /* Fast path: cJSON is 64 bytes, a multiple of the 16-byte alignment. */
        n = (cJSON *)(void *)(b->data + b->used);
        b->used += (sizeof *n + 15u) & ~(size_t)15u;
        *n = (cJSON){.type = type};
        return n;
    }
    n = ds_arena_alloc(p->arena, sizeof *n);
    if (!n) {
        fail(p, "request body too large");
        return NULL;
    }
    n->type = type;
    return n;
}

static int hex4(parser_t *p, unsigned *out)
{
    if (p->len - p->pos < 4)
        return 0;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p->s[p->pos + (size_t)i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    p->pos += 4;
    *out = v;
    return 1;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Parses a string at p->pos (which is at the opening quote) into arena memory. */
static char *parse_string(parser_t *p)
{
    p->pos++;
    size_t start = p->pos;
    size_t end = start;
    while (end < p->len && p->s[end] != '"') {
        if (p->s[end] == '\\')
            end++;
        end++;
    }
    if (end >= p->len) {
        p->pos = p->len;
        fail(p, "EOF while parsing a string");
        return NULL;
    }
    /* Escapes never expand, so the raw length bounds the decoded length. */
    char *out = ds_arena_alloc(p->arena, end - start + 1);
    if (!out) {
        fail(p, "request body too large");
        return NULL;
    }
    size_t o = 0;
    while (p->pos < end) {
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c < 0x20) {
            fail(p, "control character (\\u0000-\\u001F) found while parsing a string");
            return NULL;
        }
        if (c != '\\') {
            out[o++] = (char)c;
            p->pos++;
            continue;
        }
        p->pos++;
        char e = p->s[p->pos++];
        switch (e) {
        case '"': out[o++] = '"'; break;
        case '\\': out[o++] = '\\'; break;
        case '/': out[o++] = '/'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': {
            unsigned cp;
            if (!hex4(p, &cp)) {
                fail(p, "invalid escape");
                return NULL;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (p->pos + 2 > end || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u') {
                    fail(p, "unexpected end of hex escape");
                    return NULL;
                }
                p->pos += 2;
                if (!hex4(p, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                    fail(p, "lone leading surrogate in hex escape");
                    return NULL;
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                fail(p, "lone leading surrogate in hex escape");
                return NULL;
            }
            if (cp == 0) {
                fail(p, "NUL character in string");
                return NULL;
            }
            o += put_utf8(out + o, cp);
            break;
        }
        default: fail(p, "invalid escape"); return NULL;
        }
    }
    out[o] = '\0';
    p->pos = end + 1;
    return out;
}

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int is_digit(char c)
{
    return (unsigned)(c - '0') < 10u;
}

typedef struct number {
    double value;
    int type; /* cJSON_Number, plus DS_JSON_FLOAT when written as a float */
    const char *text;
    size_t len;
    int long_integer; /* an integer beyond the exact fast path: keep its digits */
} number_t;

/* Scans a JSON number at p->pos. Short decimals take an exact fast path (at most 15
 * significant digits and a power of ten <= 22, both exactly representable, so one IEEE
 * operation rounds correctly); everything else goes through strtod on a bounded copy.
 * Relies on the NUL terminator instead of length checks. 0 on success, -1 (failed). */
static int scan_number(parser_t *p, number_t *out)
{
    const char *start = p->s + p->pos, *c = start;
    int neg = 0, is_float = 0, has_exp = 0;
    uint64_t mant = 0;
    int digits = 0, frac_digits = 0;
    if (*c == '-') {
        neg = 1;
        c++;
    }
    if (!is_digit(*c))
        goto bad;
    if (*c == '0') {
        c++;
        if (is_digit(*c))
            goto bad;
    } else {
        while (is_digit(*c)) {
            if (digits < 19)
                mant = mant * 10 + (uint64_t)(*c - '0');
            digits++;
            c++;
        }
    }
    if (*c == '.') {
        is_float = 1;
        c++;
        if (!is_digit(*c))
            goto bad;
        /* Zeros before the first significant digit only scale: "0.000123". */
        if (mant == 0)
            while (*c == '0') {
                frac_digits++;
                c++;
            }
        /* Up to 19 significant digits accumulate, the rest only count. */
        const char *first = c;
        size_t room = digits < 19 ? (size_t)(19 - digits) : 0;
        while ((size_t)(c - first) < room && is_digit(*c)) {
            mant = mant * 10 + (uint64_t)(*c - '0');
            c++;
        }
        frac_digits += (int)(c - first);
        digits += (int)(c - first);
        while (is_digit(*c)) {
            digits++;
            c++;
        }
    }
    long exp10 = 0;
    if (*c == 'e' || *c == 'E') {
        is_float = 1;
        has_exp = 1;
        c++;
        int eneg = 0;
        if (*c == '+' || *c == '-')
            eneg = *c++ == '-';
        if (!is_digit(*c))
            goto bad;
        while (is_digit(*c)) {
            if (exp10 < 100000)
                exp10 = exp10 * 10 + (*c - '0');
            c++;
        }
        if (eneg)
            exp10 = -exp10;
    }
    size_t n_len = (size_t)(c - start);
    p->pos += n_len;
    out->type = cJSON_Number | (is_float ? DS_JSON_FLOAT : 0);
    out->text = start;
    out->len = n_len;
    out->long_integer = 0;
    long e = exp10 - frac_digits;
    if (digits <= 15 && e >= -22 && e <= 22) {
        double v = (double)mant;
        v = e < 0 ? v / pow10_exact[-e] : v * pow10_exact[e];
        out->value = neg ? -v : v;
        return 0;
    }
    char buf[512];
    if (n_len >= sizeof buf) {
        fail(p, "number too long");
        return -1;
    }
    memcpy(buf, start, n_len);
    buf[n_len] = '\0';
    out->value = strtod(buf, NULL);
    if (isinf(out->value)) {
        fail(p, "number out of range");
        return -1;
    }
    out->long_integer = !is_float && !has_exp;
    return 0;
bad:
    p->pos = (size_t)(c - p->s);
    fail(p, "invalid number");
    return -1;
}

/* The usual vector element, -?int(.frac)? with no exponent, in one tight loop. Gives
 * the same correctly rounded double as scan_number (mant below 2^53 and a power of
 * ten <= 22 are exact, so one division rounds correctly). Returns 1 and advances, or
 * 0 with p->pos unchanged for anything else (scan_number then decides). */
static int scan_plain_decimal(parser_t *p, double *out)
{
    const char *c = p->s + p->pos;
    int neg = *c == '-';
    c += neg;
    uint64_t mant = 0;
    int total = 0, frac = 0;
    if (*c == '0') {
        c++;
    } else {
        while (is_digit(*c) && total < 19) {
            mant = mant * 10 + (uint64_t)(*c++ - '0');
            total++;
        }
        if (total == 0)
            return 0;
    }
    if (*c == '.') {
        c++;
        const char *first = c;
        while (is_digit(*c) && total < 19) {
            mant = mant * 10 + (uint64_t)(*c++ - '0');
            total++;
        }
        frac = (int)(c - first);
        if (frac == 0)
            return 0;
    }
    if (is_digit(*c) || *c == 'e' || *c == 'E' || *c == '.' || frac > 22 ||
        mant > (1ull << 53))
        return 0;
    double v = (double)mant / pow10_exact[frac];
    *out = neg ? -v : v;
    p->pos = (size_t)(c - p->s);
    return 1;
}

static cJSON *parse_number(parser_t *p)
{
    number_t num;
    if (scan_number(p, &num) != 0)
        return NULL;
    cJSON *n = new_node(p, num.type);
    if (!n)
        return NULL;
    if (num.long_integer) {
        n->valuestring = ds_arena_alloc(p->arena, num.len + 1);
        if (!n->valuestring) {
            fail(p, "request body too large");
            return NULL;
        }
        memcpy(n->valuestring, num.text, num.len);
        n->valuestring[num.len] = '\0';
    }
    double v = num.value;
    n->valuedouble = v;
    n->valueint = v >= 2147483647.0 ? 2147483647 : v <= -2147483648.0 ? (-2147483647 - 1) : (int)v;
    return n;
}

static int match_lit(parser_t *p, const char *lit)
{
    size_t l = strlen(lit);
    if (p->len - p->pos < l || memcmp(p->s + p->pos, lit, l) != 0)
        return 0;
    p->pos += l;
    return 1;
}

/* Where vector data may sit, so numeric arrays there can be stored packed (floats,
 * no node per number). Payload subtrees never pack: they are kept and printed. */
typedef enum {
    PACK_NONE = -1,  /* inside a payload: never pack below */
    PACK_KEYS = 0,   /* look at member names */
    PACK_VEC,        /* this value is a vector, or a name -> vector map */
    PACK_VEC_MEMBER, /* member of a name -> vector map */
    PACK_VECS,       /* batch vectors: list of vectors or name -> list of vectors */
    PACK_VECS_MEMBER
} pack_t;

static pack_t child_mode(pack_t parent, int parent_is_object, const char *key)
{
    if (parent == PACK_NONE)
        return PACK_NONE;
    if (parent_is_object) {
        /* Sparse vector indices are u32 term ids: never round them through f32. */
        if (strcmp(key, "indices") == 0)
            return PACK_KEYS;
        if (parent == PACK_VEC)
            return PACK_VEC_MEMBER;
        if (parent == PACK_VECS)
            return PACK_VECS_MEMBER;
        if (strcmp(key, "payload") == 0 || strcmp(key, "payloads") == 0)
            return PACK_NONE;
        if (strcmp(key, "vector") == 0 || strcmp(key, "query") == 0 || strcmp(key, "nearest") == 0)
            return PACK_VEC;
        if (strcmp(key, "vectors") == 0)
            return PACK_VECS;
        return PACK_KEYS;
    }
    if (parent == PACK_VECS || parent == PACK_VECS_MEMBER)
        return PACK_VEC_MEMBER;
    return PACK_KEYS;
}

/* Tries to parse the array at p->pos (the '[') as packed floats. Returns the node, or
 * NULL with p->pos unchanged when an element is not a number (the caller then parses
 * it normally) or on a hard error (p->failed set). */
static cJSON *parse_packed(parser_t *p)
{
    /* Every element takes at least two characters (digit and comma) before the first
     * ']', which bounds the count of a flat numeric array; anything else falls back
     * to the generic parser when its first non-number element is met. */
    size_t start = p->pos;
    const char *close = memchr(p->s + start, ']', p->len - start);
    if (!close)
        return NULL;
    size_t count = (size_t)(close - (p->s + start)) / 2 + 1;
    float *vals = ds_arena_alloc(p->arena, count * sizeof *vals);
    if (!vals) {
        fail(p, "request body too large");
        return NULL;
    }
    size_t n = 0;
    p->pos++;
    skip_ws(p);
    if (p->s[p->pos] != ']') {
        for (;;) {
            skip_ws(p);
            char c0 = p->s[p->pos];
            if ((c0 != '-' && !is_digit(c0)) || n >= count) {
                p->pos = start;
                return NULL;
            }
            double v;
            if (!scan_plain_decimal(p, &v)) {
                number_t num;
                if (scan_number(p, &num) != 0)
                    return NULL;
                v = num.value;
            }
            vals[n++] = (float)v;
            skip_ws(p);
            char c = p->s[p->pos];
            if (c == ']')
                break;
            if (c != ',') {
                fail(p, p->pos >= p->len ? "EOF while parsing a list" : "expected `,` or `]`");
                return NULL;
            }
            p->pos++;
        }
    }
    p->pos++;
    cJSON *node = new_node(p, cJSON_Array | DS_JSON_PACKED);
    if (!node)
        return NULL;
    node->valuestring = (char *)vals;
    node->valueint = (int)n;
    return node;
}

static cJSON *parse_value(parser_t *p, int depth, pack_t mode);

/* Appends child; the first child's prev points at the last, as cJSON expects. */
static void link_child(cJSON *node, cJSON **tail, cJSON *child)
{
    if (*tail) {
        (*tail)->next = child;
        child->prev = *tail;
    } else {
        node->child = child;
    }
    *tail = child;
    node->child->prev = child;
}

static cJSON *parse_container(parser_t *p, int depth, int is_object, pack_t mode)
{
    if (depth >= p->max_depth) {
        fail(p, "recursion limit exceeded");
        return NULL;
    }
    cJSON *node = new_node(p, is_object ? cJSON_Object : cJSON_Array);
    if (!node)
        return NULL;
    char close = is_object ? '}' : ']';
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
        return node;
    }
    cJSON *tail = NULL;
    if (!is_object) {
        /* Vectors: a run of numbers is parsed without the generic dispatch. */
        for (;;) {
            skip_ws(p);
            char c0 = p->s[p->pos];
            if (c0 != '-' && !is_digit(c0))
                break;
            cJSON *child = parse_number(p);
            if (!child)
                return NULL;
            link_child(node, &tail, child);
            skip_ws(p);
            char c = p->s[p->pos];
            if (c == ']') {
                p->pos++;
                return node;
            }
            if (c != ',') {
                fail(p, p->pos >= p->len ? "EOF while parsing a list" : "expected `,` or `]`");
                return NULL;
            }
            p->pos++;
        }
    }
    for (;;) {
        skip_ws(p);
        char *key = NULL;
        if (is_object) {
            if (p->pos >= p->len || p->s[p->pos] != '"') {
                fail(p, p->pos >= p->len ? "EOF while parsing an object" : "key must be a string");
                return NULL;
            }
            key = parse_string(p);
            if (!key)
                return NULL;
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':') {
                fail(p, "expected `:`");
                return NULL;
            }
            p->pos++;
        }
        cJSON *child = parse_value(p, depth + 1, child_mode(mode, is_object, key));
        if (!child)
            return NULL;
        if (is_object)
            child->string = key;
        link_child(node, &tail, child);
        skip_ws(p);
        if (p->pos >= p->len) {
            fail(p, is_object ? "EOF while parsing an object" : "EOF while parsing a list");
            return NULL;
        }
        char c = p->s[p->pos];
        if (c == ',') {
            p->pos++;
            continue;
        }
        if (c == close) {
            p->pos++;
            return node;
        }
        fail(p, is_object ? "expected `,` or `}`" : "expected `,` or `]`");
        return NULL;
    }
}

static cJSON *parse_value(parser_t *p, int depth, pack_t mode)
{
    skip_ws(p);
    if (p->pos >= p->len) {
        fail(p, "EOF while parsing a value");
        return NULL;
    }
    char c = p->s[p->pos];
    if (c == '{')
        return parse_container(p, depth, 1, mode);
    if (c == '[') {
        if ((mode == PACK_VEC || mode == PACK_VEC_MEMBER) && depth < p->max_depth) {
            cJSON *packed = parse_packed(p);
            if (packed || p->failed)
                return packed;
        }
        return parse_container(p, depth, 0, mode);
    }
    if (c == '"') {
        char *s = parse_string(p);
        if (!s)
            return NULL;
        cJSON *n = new_node(p, cJSON_String);
        if (n)
            n->valuestring = s;
        return n;
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(p);
    if (match_lit(p, "true"))
        return new_node(p, cJSON_True);
    if (match_lit(p, "false"))
        return new_node(p, cJSON_False);
    if (match_lit(p, "null"))
        return new_node(p, cJSON_NULL);
    fail(p, "expected value");
    return NULL;
}

cJSON *ds_json_parse(ds_arena_t *arena, const char *text, size_t len, int max_depth, char *err,
                     size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    char *copy = ds_arena_alloc(arena, len + 1);
    if (!copy) {
        snprintf(err, errlen, "request body too large");
        return NULL;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    if (memchr(copy, '\0', len)) {
        snprintf(err, errlen, "NUL byte in JSON text");
        return NULL;
    }
    parser_t p = {.s = copy,
                  .len = len,
                  .max_depth = max_depth,
                  .arena = arena,
                  .err = err,
                  .errlen = errlen};
    cJSON *root = parse_value(&p, 0, PACK_KEYS);
    if (!root)
        return NULL;
    skip_ws(&p);
    if (p.pos != p.len) {
        fail(&p, "trailing characters");
        return NULL;
    }
    return root;
}

int ds_json_u64(const cJSON *node, uint64_t *out)
{
    if (!node || (node->type & 0xFF) != cJSON_Number || (node->type & DS_JSON_FLOAT))
        return 0;
    if (node->valuestring) {
        const char *s = node->valuestring;
        if (s[0] == '-')
            return 0;
        errno = 0;
        char *end;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno || *end)
            return 0;
        *out = v;
        return 1;
    }
    double d = node->valuedouble;
    if (d < 0 || d != floor(d) || d >= 18446744073709551616.0)
        return 0;
    *out = (uint64_t)d;
    return 1;
}

int ds_json_i64(const cJSON *node, int64_t *out)
{
    if (!node || (node->type & 0xFF) != cJSON_Number || (node->type & DS_JSON_FLOAT))
        return 0;
    if (node->valuestring) {
        errno = 0;
        char *end;
        long long v = strtoll(node->valuestring, &end, 10);
        if (errno || *end)
            return 0;
        *out = v;
        return 1;
    }
    double d = node->valuedouble;
    if (d != floor(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0)
        return 0;
    *out = (int64_t)d;
    return 1;
}

size_t ds_json_floats(const cJSON *arr, float *out, size_t max, int *non_number)
{
    *non_number = 0;
    if (arr->type & DS_JSON_PACKED) {
        size_t n = (size_t)arr->valueint;
        const float *v = (const float *)(const void *)arr->valuestring;
        memcpy(out, v, (n < max ? n : max) * sizeof *out);
        return n;
    }
    size_t n = 0;
    for (const cJSON *e = arr->child; e; e = e->next) {
        if ((e->type & 0xFF) != cJSON_Number) {
            *non_number = 1;
            return n;
        }
        if (n < max)
            out[n] = (float)e->valuedouble;
        n++;
    }
    return n;
}
