/* http_wire.c: reading one HTTP/1.1 answer from a connection's bytes (http_wire.h).
 *
 * Strict where a lenient reader would let two parties disagree on where an answer
 * ends: a Content-Length that is not plain digits, two different ones, one beside a
 * Transfer-Encoding, a transfer coding other than chunked, a folded header line and a
 * malformed chunk are all TQ_EPROTO; a body over the limit is TQ_ELIMIT before any of
 * it is kept. Lines may end in CRLF or a bare LF. */
#include "http_wire.h"

#include "alloc.h"

#include <stdio.h>
#include <string.h>

enum {
    ST_HEAD = 0,     /* reading a header block */
    ST_SIZED,        /* a body of `remaining` bytes */
    ST_CHUNK_SIZE,   /* a chunk-size line */
    ST_CHUNK_DATA,   /* `remaining` bytes of a chunk */
    ST_CHUNK_END,    /* the line break after a chunk's data */
    ST_TRAILERS,     /* the trailer block after the last chunk */
    ST_UNTIL_CLOSE,  /* a body that ends when the connection does */
    ST_DONE,
    ST_FAILED
};

void tq_wire_answer_init(tq_wire_answer_t *a, size_t limit)
{
    memset(a, 0, sizeof *a);
    a->limit = limit;
    a->state = ST_HEAD;
}

void tq_wire_answer_free(tq_wire_answer_t *a)
{
    tq_free(a->body);
    tq_free(a->head);
    a->body = a->head = NULL;
    a->len = a->cap = a->head_len = a->head_cap = 0;
}

static tq_wire_result_t fail(tq_wire_answer_t *a, tq_status_t error, const char *why)
{
    a->state = ST_FAILED;
    a->error = error;
    snprintf(a->why, sizeof a->why, "%s", why);
    return TQ_WIRE_ERROR;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* 1 when the n bytes at `s` spell `word`, ignoring ASCII case. */
static int same_word(const char *s, size_t n, const char *word)
{
    size_t i = 0;
    for (; i < n && word[i]; i++) {
        if (lower((unsigned char)s[i]) != word[i])
            return 0;
    }
    return i == n && !word[i];
}

/* Makes room for `more` body bytes (and the NUL) within the limit, by doubling (so a
 * body read in many small pieces is copied a few times, not once per piece), or,
 * when `exact` and doubling would not reach it, exactly that much; never past what
 * the limit allows. */
static tq_wire_result_t body_reserve(tq_wire_answer_t *a, unsigned long long more, int exact)
{
    if (more > a->limit - a->len)
        return fail(a, TQ_ELIMIT, "the body exceeds the response limit");
    size_t need = a->len + (size_t)more + 1;
    if (need <= a->cap)
        return TQ_WIRE_MORE;
    size_t cap = a->cap ? a->cap : 4096;
    if (exact && need > cap * 2)
        cap = need;
    while (cap < need)
        cap *= 2;
    if (a->limit < (size_t)-1 && cap > a->limit + 1)
        cap = a->limit + 1;
    char *bigger = tq_grow(a->body, a->len, cap);
    if (!bigger)
        return fail(a, TQ_ENOMEM, "out of memory");
    a->body = bigger;
    a->cap = cap;
    a->body[a->len] = '\0';
    return TQ_WIRE_MORE;
}

/* A length the server announced (a Content-Length or a chunk size): over the limit it
 * is refused at once; otherwise room is made for at most TQ_WIRE_RESERVE_MAX of it, so
 * a few header bytes cannot make the reader set aside memory no body backs. */
static tq_wire_result_t body_announced(tq_wire_answer_t *a, unsigned long long length)
{
    if (length > a->limit - a->len)
        return fail(a, TQ_ELIMIT, "the body exceeds the response limit");
    return body_reserve(a, length < TQ_WIRE_RESERVE_MAX ? length : TQ_WIRE_RESERVE_MAX, 1);
}

static tq_wire_result_t body_put(tq_wire_answer_t *a, const char *data, size_t n)
{
    if (body_reserve(a, n, 0) == TQ_WIRE_ERROR)
        return TQ_WIRE_ERROR;
    memcpy(a->body + a->len, data, n);
    a->len += n;
    a->body[a->len] = '\0';
    return TQ_WIRE_MORE;
}

/* Plain decimal digits, at most 18 of them; -1 otherwise. */
static long long decimal(const char *s, size_t n)
{
    if (n == 0 || n > 18)
        return -1;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* The framing a header block asked for, gathered line by line. */
typedef struct framing {
    long long content_length; /* -1: none */
    int chunked, te_seen, close;
} framing_t;

/* One header line (without its line break) of the block. */
static tq_wire_result_t header_line(tq_wire_answer_t *a, const char *s, size_t n, framing_t *f)
{
    if (s[0] == ' ' || s[0] == '\t')
        return fail(a, TQ_EPROTO, "a folded header line (obsolete line folding)");
    const char *colon = memchr(s, ':', n);
    if (!colon || colon == s)
        return fail(a, TQ_EPROTO, "a header line without a name and a colon");
    size_t name_len = (size_t)(colon - s);
    for (size_t i = 0; i < name_len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c >= 0x7f)
            return fail(a, TQ_EPROTO, "a header name with a space or a control character");
    }
    const char *v = colon + 1, *end = s + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    for (const char *p = v; p < end; p++) {
        if ((unsigned char)*p < ' ' && *p != '\t')
            return fail(a, TQ_EPROTO, "a header value with a control character");
    }
    size_t vn = (size_t)(end - v);
    if (same_word(s, name_len, "content-length")) {
        long long cl = decimal(v, vn);
        if (cl < 0)
            return fail(a, TQ_EPROTO, "a Content-Length that is not a plain decimal number");
        if (f->content_length >= 0 && f->content_length != cl)
            return fail(a, TQ_EPROTO, "two different Content-Length headers");
        f->content_length = cl;
    } else if (same_word(s, name_len, "transfer-encoding")) {
        if (f->te_seen || !same_word(v, vn, "chunked"))
            return fail(a, TQ_EPROTO, "a transfer coding other than a single \"chunked\"");
        f->te_seen = f->chunked = 1;
    } else if (same_word(s, name_len, "connection")) {
        for (const char *p = v; p < end;) {
            const char *comma = memchr(p, ',', (size_t)(end - p));
            const char *q = comma ? comma : end, *t = q;
            while (p < t && (*p == ' ' || *p == '\t'))
                p++;
            while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
                t--;
            if (same_word(p, (size_t)(t - p), "close"))
                f->close = 1;
            p = comma ? comma + 1 : end;
        }
    }
    return TQ_WIRE_MORE;
}

/* The status line and headers of a complete block (`n` bytes, the final empty line
 * excluded); sets the state that reads what follows. */
static tq_wire_result_t head_parse(tq_wire_answer_t *a, const char *s, size_t n)
{
    const char *eol = memchr(s, '\n', n);
    size_t line = eol ? (size_t)(eol - s) : n;
    size_t ln = line > 0 && s[line - 1] == '\r' ? line - 1 : line;
    /* "HTTP/1.x SP 3DIGIT [SP reason]" */
    if (ln < 12 || memcmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1') ||
        s[8] != ' ' || (ln > 12 && s[12] != ' '))
        return fail(a, TQ_EPROTO, "a malformed status line (not HTTP/1.0 or HTTP/1.1)");
    long long code = decimal(s + 9, 3);
    if (code < 100 || code > 599)
        return fail(a, TQ_EPROTO, "a status code outside 100 to 599");
    framing_t f = {.content_length = -1, .close = s[7] == '0'};
    const char *p = eol ? eol + 1 : s + n, *end = s + n;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        const char *le = e ? e : end;
        size_t len = (size_t)(le - p);
        if (len > 0 && p[len - 1] == '\r')
            len--;
        if (len > 0 && header_line(a, p, len, &f) == TQ_WIRE_ERROR)
            return TQ_WIRE_ERROR;
        p = e ? e + 1 : end;
    }
    if (code == 101)
        return fail(a, TQ_EPROTO, "a protocol switch (101) that was not asked for");
    a->head_len = 0;
    if (code < 200) /* informational: the final answer follows */
        return TQ_WIRE_MORE;
    if (f.chunked && f.content_length >= 0)
        return fail(a, TQ_EPROTO, "both Transfer-Encoding and Content-Length");
    a->status = (long)code;
    a->keep_alive = !f.close;
    if (code == 204 || code == 304) {
        a->state = ST_DONE;
    } else if (f.chunked) {
        a->state = ST_CHUNK_SIZE;
    } else if (f.content_length >= 0) {
        if (body_announced(a, (unsigned long long)f.content_length) == TQ_WIRE_ERROR)
            return TQ_WIRE_ERROR;
        a->remaining = (unsigned long long)f.content_length;
        a->state = a->remaining ? ST_SIZED : ST_DONE;
    } else {
        a->keep_alive = 0; /* the close ends the body */
        a->state = ST_UNTIL_CLOSE;
    }
    return TQ_WIRE_MORE;
}

/* Byte `k` of the header block being read, the bytes already kept followed by `data`;
 * position -1 is the line break before the block: a trailer block starts right after
 * the last chunk's size line, a head block after nothing. */
static char block_byte(const tq_wire_answer_t *a, const char *data, long long k)
{
    if (k < 0)
        return a->state == ST_TRAILERS ? '\n' : '\0';
    return (size_t)k < a->head_len ? a->head[k] : data[(size_t)k - a->head_len];
}

/* Takes header-block bytes up to the empty line that ends the block; *used is how many
 * it took. Sets *complete, and *block_len to the length of the block before the final
 * line break (the block is kept in a->head). */
static tq_wire_result_t head_take(tq_wire_answer_t *a, const char *data, size_t n, size_t *used,
                                  int *complete, size_t *block_len)
{
    size_t old = a->head_len, take = n;
    *complete = 0;
    for (size_t i = 0; i < n; i++) {
        if (data[i] != '\n')
            continue;
        long long at = (long long)(old + i);
        char p1 = block_byte(a, data, at - 1);
        if (p1 == '\n' || (p1 == '\r' && block_byte(a, data, at - 2) == '\n')) {
            take = i + 1;
            *complete = 1;
            *block_len = (size_t)at;
            break;
        }
    }
    if (take > TQ_WIRE_HEAD_MAX - a->head_seen - old)
        return fail(a, TQ_EPROTO, "the answer's headers exceed 64 KiB");
    if (old + take + 1 > a->head_cap) {
        size_t cap = a->head_cap ? a->head_cap : 1024;
        while (cap < old + take + 1)
            cap *= 2;
        char *bigger = tq_grow(a->head, old, cap);
        if (!bigger)
            return fail(a, TQ_ENOMEM, "out of memory");
        a->head = bigger;
        a->head_cap = cap;
    }
    memcpy(a->head + old, data, take);
    a->head_len = old + take;
    *used = take;
    return TQ_WIRE_MORE;
}

/* A chunk-size line: hex digits, optionally followed by extensions after ';'. */
static tq_wire_result_t chunk_size(tq_wire_answer_t *a)
{
    size_t n = a->line_len;
    if (n > 0 && a->line[n - 1] == '\r')
        n--;
    unsigned long long v = 0;
    size_t i = 0;
    for (; i < n; i++) {
        char c = a->line[i];
        int d = c >= '0' && c <= '9' ? c - '0'
                : lower((unsigned char)c) >= 'a' && lower((unsigned char)c) <= 'f'
                    ? lower((unsigned char)c) - 'a' + 10
                    : -1;
        if (d < 0)
            break;
        if (i >= 15)
            return fail(a, TQ_EPROTO, "a chunk size of more than 15 hex digits");
        v = v * 16 + (unsigned long long)d;
    }
    while (i < n && (a->line[i] == ' ' || a->line[i] == '\t'))
        i++;
    if (i == 0 || (i < n && a->line[i] != ';'))
        return fail(a, TQ_EPROTO, "a malformed chunk-size line");
    a->line_len = 0;
    if (v == 0) {
        a->state = ST_TRAILERS;
        return TQ_WIRE_MORE;
    }
    if (body_announced(a, v) == TQ_WIRE_ERROR)
        return TQ_WIRE_ERROR;
    a->remaining = v;
    a->state = ST_CHUNK_DATA;
    return TQ_WIRE_MORE;
}

tq_wire_result_t tq_wire_answer_feed(tq_wire_answer_t *a, const char *data, size_t n,
                                     size_t *used)
{
    size_t i = 0;
    *used = 0;
    while (i < n && a->state != ST_DONE && a->state != ST_FAILED) {
        const char *d = data + i;
        size_t left = n - i, took = 0;
        switch (a->state) {
        case ST_HEAD:
        case ST_TRAILERS: {
            int complete;
            size_t block_len = 0;
            if (head_take(a, d, left, &took, &complete, &block_len) == TQ_WIRE_ERROR)
                return TQ_WIRE_ERROR;
            if (complete)
                a->head_seen += a->head_len; /* the block counts against the allowance */
            if (complete && a->state == ST_TRAILERS) {
                a->head_len = 0;
                a->state = ST_DONE;
            } else if (complete && head_parse(a, a->head, block_len) == TQ_WIRE_ERROR) {
                return TQ_WIRE_ERROR;
            }
            break;
        }
        case ST_SIZED:
        case ST_CHUNK_DATA:
            took = left < a->remaining ? left : (size_t)a->remaining;
            if (body_put(a, d, took) == TQ_WIRE_ERROR)
                return TQ_WIRE_ERROR;
            a->remaining -= took;
            if (a->remaining == 0)
                a->state = a->state == ST_SIZED ? ST_DONE : ST_CHUNK_END;
            break;
        case ST_CHUNK_END:
            /* CRLF or LF; a CR must be followed by LF. */
            took = 1;
            if (d[0] == '\n') {
                a->state = ST_CHUNK_SIZE;
                a->line_len = 0;
            } else if (d[0] != '\r' || a->line_len) {
                return fail(a, TQ_EPROTO, "chunk data longer than its chunk size");
            } else {
                a->line_len = 1;
            }
            break;
        case ST_CHUNK_SIZE: {
            const char *eol = memchr(d, '\n', left);
            took = eol ? (size_t)(eol - d) + 1 : left;
            size_t add = eol ? took - 1 : took;
            if (add > TQ_WIRE_CHUNK_LINE_MAX - a->line_len)
                return fail(a, TQ_EPROTO, "a chunk-size line longer than 1 KiB");
            memcpy(a->line + a->line_len, d, add);
            a->line_len += add;
            if (eol && chunk_size(a) == TQ_WIRE_ERROR)
                return TQ_WIRE_ERROR;
            break;
        }
        case ST_UNTIL_CLOSE:
            took = left;
            if (body_put(a, d, took) == TQ_WIRE_ERROR)
                return TQ_WIRE_ERROR;
            break;
        }
        i += took;
        a->received += took;
    }
    *used = i;
    if (a->state == ST_FAILED)
        return TQ_WIRE_ERROR;
    return a->state == ST_DONE ? TQ_WIRE_DONE : TQ_WIRE_MORE;
}

tq_wire_result_t tq_wire_answer_eof(tq_wire_answer_t *a)
{
    if (a->state == ST_DONE)
        return TQ_WIRE_DONE;
    if (a->state == ST_FAILED)
        return TQ_WIRE_ERROR;
    if (a->state == ST_UNTIL_CLOSE) {
        a->state = ST_DONE;
        return TQ_WIRE_DONE;
    }
    return fail(a, TQ_EPROTO,
                a->received ? "the connection closed before the answer was complete"
                            : "the connection closed without an answer");
}
