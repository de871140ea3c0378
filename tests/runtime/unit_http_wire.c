/* unit_http_wire.c: the HTTP/1.1 answer reader (http_wire.c): framing by
 * Content-Length, chunks and the close, informational answers skipped, the bytes after
 * an answer told apart, whatever the answer's bytes are split into, and every
 * malformed or oversized answer refused with the reason. */
#include "test_common.h"

#include "alloc.h"
#include "http_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct outcome {
    tq_wire_result_t result;
    long status;
    int keep_alive;
    size_t used; /* bytes of the input that belonged to the answer */
    tq_status_t error;
    char body[256];
    char why[TQ_WIRE_WHY_MAX];
} outcome_t;

/* Feeds `text` in pieces of `piece` bytes (0: in one piece), then the close when `eof`. */
static outcome_t read_answer(const char *text, size_t piece, int eof, size_t limit)
{
    outcome_t o = {0};
    tq_wire_answer_t a;
    tq_wire_answer_init(&a, limit);
    size_t n = strlen(text), at = 0;
    o.result = TQ_WIRE_MORE;
    while (at < n && o.result == TQ_WIRE_MORE) {
        size_t len = piece && piece < n - at ? piece : n - at, used = 0;
        o.result = tq_wire_answer_feed(&a, text + at, len, &used);
        assert_true(used <= len);
        o.used += used;
        at += len;
        if (o.result == TQ_WIRE_MORE)
            assert_int_equal(used, len);
    }
    if (o.result == TQ_WIRE_MORE && eof)
        o.result = tq_wire_answer_eof(&a);
    o.status = a.status;
    o.keep_alive = a.keep_alive;
    o.error = a.error;
    snprintf(o.why, sizeof o.why, "%s", a.why);
    if (a.body) {
        assert_int_equal(strlen(a.body), a.len);
        snprintf(o.body, sizeof o.body, "%s", a.body);
    }
    assert_true(a.len <= limit);
    tq_wire_answer_free(&a);
    return o;
}

typedef struct good_case {
    const char *name, *text;
    int eof;
    long status;
    int keep_alive;
    const char *body;
    size_t extra; /* bytes after the answer that were not asked for */
} good_case_t;

static const good_case_t good[] = {
    {"sized", "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"ok\":true}", 0, 200, 1,
     "{\"ok\":true}", 0},
    {"sized, bare line feeds", "HTTP/1.1 200 OK\nContent-Length: 2\n\n{}", 0, 200, 1, "{}", 0},
    {"no reason phrase", "HTTP/1.1 404\r\ncontent-length: 2\r\n\r\n{}", 0, 404, 1, "{}", 0},
    {"header names any case, values trimmed",
     "HTTP/1.1 200 OK\r\nCONTENT-LENGTH: \t 3 \t\r\nX-Other: a:b\r\n\r\nabc", 0, 200, 1, "abc", 0},
    {"the same length twice", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
     0, 200, 1, "x", 0},
    {"empty sized body", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 200, 1, "", 0},
    {"chunked with an extension and trailers",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n4;name=v\r\n{\"a\"\r\n"
     "A\r\n:[1,2,3,4]\r\n"
     "1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n",
     0, 200, 1, "{\"a\":[1,2,3,4]}", 0},
    {"chunked, bare line feeds", "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\n{}\n0\n\n", 0,
     200, 1, "{}", 0},
    {"chunked, uppercase hex and padded size",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0000B \r\nhello world\r\n0\r\n\r\n",
     0, 200, 1, "hello world", 0},
    {"ended by the close", "HTTP/1.1 200 OK\r\n\r\n{\"ok\":1}", 1, 200, 0, "{\"ok\":1}", 0},
    {"HTTP/1.0 is never kept", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", 0, 200, 0, "{}",
     0},
    {"Connection: close", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", 0,
     200, 0, "{}", 0},
    {"close among other tokens",
     "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: Keep-Alive , CLOSE\r\n\r\n{}", 0, 200, 0,
     "{}", 0},
    {"a token that only contains close",
     "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: closed, x-close\r\n\r\n{}", 0, 200, 1,
     "{}", 0},
    {"informational answers skipped",
     "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
     "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}",
     0, 201, 1, "{}", 0},
    {"204 has no body", "HTTP/1.1 204 No Content\r\n\r\n", 0, 204, 1, "", 0},
    {"304 has no body, whatever its length says",
     "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", 0, 304, 1, "", 0},
    {"a second answer nobody asked for",
     "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
     0, 200, 1, "{}", 40},
    {"bytes after the last chunk's trailers",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\nJUNK", 0, 200, 1, "x",
     4},
};

static void good_answers_in_any_pieces(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        const good_case_t *c = &good[i];
        size_t n = strlen(c->text);
        for (size_t piece = 0; piece <= n; piece++) {
            outcome_t o = read_answer(c->text, piece, c->eof, 1024);
            if (o.result != TQ_WIRE_DONE)
                fail_msg("%s (pieces of %zu): not done: %s", c->name, piece, o.why);
            assert_int_equal(o.status, c->status);
            assert_int_equal(o.keep_alive, c->keep_alive);
            assert_string_equal(o.body, c->body);
            if (o.used != n - c->extra)
                fail_msg("%s (pieces of %zu): used %zu of %zu", c->name, piece, o.used, n);
        }
    }
}

typedef struct bad_case {
    const char *name, *text;
    int eof;
    tq_status_t error;
    const char *why; /* a part of the reason */
} bad_case_t;

static const bad_case_t bad[] = {
    {"not HTTP", "SSH-2.0-OpenSSH\r\n\r\n", 0, TQ_EPROTO, "status line"},
    {"HTTP/2 status line", "HTTP/2 200\r\n\r\n", 0, TQ_EPROTO, "status line"},
    {"HTTP/1.2", "HTTP/1.2 200 OK\r\n\r\n", 0, TQ_EPROTO, "status line"},
    {"two-digit status", "HTTP/1.1 20 OK\r\n\r\n", 0, TQ_EPROTO, "status line"},
    {"status out of range", "HTTP/1.1 999 What\r\n\r\n", 0, TQ_EPROTO, "100 to 599"},
    {"status with a sign", "HTTP/1.1 +20 OK\r\n\r\n", 0, TQ_EPROTO, "100 to 599"},
    {"an empty line first", "\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", 0, TQ_EPROTO, "status line"},
    {"protocol switch", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", 0, TQ_EPROTO,
     "101"},
    {"length with a letter", "HTTP/1.1 200 OK\r\nContent-Length: 1a\r\n\r\nx", 0, TQ_EPROTO,
     "Content-Length"},
    {"length with a sign", "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\nx", 0, TQ_EPROTO,
     "Content-Length"},
    {"length as a list", "HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\nx", 0, TQ_EPROTO,
     "Content-Length"},
    {"empty length", "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", 0, TQ_EPROTO, "Content-Length"},
    {"huge length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", 0,
     TQ_EPROTO, "Content-Length"},
    {"two different lengths",
     "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy", 0, TQ_EPROTO,
     "two different"},
    {"length beside chunked",
     "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 0,
     TQ_EPROTO, "both"},
    {"chunked beside a length, the other way round",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", 0,
     TQ_EPROTO, "both"},
    {"another transfer coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 0,
     TQ_EPROTO, "transfer coding"},
    {"chunked twice",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 0,
     TQ_EPROTO, "transfer coding"},
    {"folded header", "HTTP/1.1 200 OK\r\nX-A: 1\r\n  continued\r\nContent-Length: 0\r\n\r\n", 0,
     TQ_EPROTO, "folded"},
    {"header without a colon", "HTTP/1.1 200 OK\r\nContent-Length 2\r\n\r\n{}", 0, TQ_EPROTO,
     "colon"},
    {"space before the colon", "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\n{}", 0, TQ_EPROTO,
     "header name"},
    {"control character in a value", "HTTP/1.1 200 OK\r\nX-A: a\001b\r\nContent-Length: 0\r\n\r\n",
     0, TQ_EPROTO, "control character"},
    {"chunk size not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0,
     TQ_EPROTO, "chunk-size"},
    {"empty chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 0, TQ_EPROTO,
     "chunk-size"},
    {"chunk size too long",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0000000000000001\r\nx\r\n0\r\n\r\n", 0,
     TQ_EPROTO, "15 hex digits"},
    {"chunk longer than its size",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n", 0, TQ_EPROTO,
     "longer than its chunk size"},
    {"lone CR after chunk data",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\r\n0\r\n\r\n", 0, TQ_EPROTO,
     "longer than its chunk size"},
    {"sized body cut by the close", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", 1, TQ_EPROTO,
     "before the answer was complete"},
    {"chunked body cut by the close",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 1, TQ_EPROTO,
     "before the answer was complete"},
    {"headers cut by the close", "HTTP/1.1 200 OK\r\nContent-Len", 1, TQ_EPROTO,
     "before the answer was complete"},
    {"nothing before the close", "", 1, TQ_EPROTO, "without an answer"},
    {"sized body over the limit", "HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n", 0, TQ_ELIMIT,
     "limit"},
    {"chunk over the limit", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", 0,
     TQ_ELIMIT, "limit"},
    {"chunks over the limit together",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n"
     "0123456789abcdef0123456789abcdef\r\n20\r\n0123456789abcdef0123456789abcdef\r\n1\r\n",
     0, TQ_ELIMIT, "limit"},
    {"close-framed body over the limit",
     "HTTP/1.1 200 OK\r\n\r\n0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefX",
     0, TQ_ELIMIT, "limit"},
};

static void bad_answers_are_refused_with_the_reason(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const bad_case_t *c = &bad[i];
        size_t n = strlen(c->text);
        for (size_t piece = 0; piece <= (n ? n : 0); piece++) {
            outcome_t o = read_answer(c->text, piece, c->eof, 64);
            if (o.result != TQ_WIRE_ERROR)
                fail_msg("%s (pieces of %zu): accepted", c->name, piece);
            if (o.error != c->error || !strstr(o.why, c->why))
                fail_msg("%s (pieces of %zu): status %d, \"%s\"", c->name, piece, (int)o.error,
                         o.why);
        }
    }
}

/* The header block's size limit: just under it is read, just over it is refused. */
static void headers_are_limited(void **state)
{
    (void)state;
    const char *start = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: ";
    for (int over = 0; over <= 1; over++) {
        size_t pad = TQ_WIRE_HEAD_MAX - strlen(start) - 4 + (size_t)over;
        char *text = malloc(strlen(start) + pad + 5);
        assert_non_null(text);
        strcpy(text, start);
        memset(text + strlen(start), 'p', pad);
        strcpy(text + strlen(start) + pad, "\r\n\r\n");
        outcome_t o = read_answer(text, 4096, 0, 1024);
        if (over) {
            assert_int_equal(o.result, TQ_WIRE_ERROR);
            assert_non_null(strstr(o.why, "64 KiB"));
        } else {
            assert_int_equal(o.result, TQ_WIRE_DONE);
        }
        free(text);
    }
    /* A chunk-size line has its own, smaller limit. */
    char text[2048] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;";
    memset(text + strlen(text), 'e', 1100);
    outcome_t o = read_answer(text, 0, 0, 1024);
    assert_int_equal(o.result, TQ_WIRE_ERROR);
    assert_non_null(strstr(o.why, "1 KiB"));
}

/* A flood of interim answers shares one header allowance with the final answer. */
static void interim_answers_share_the_header_limit(void **state)
{
    (void)state;
    const char *interim = "HTTP/1.1 100 Continue\r\nX-Pad: "
                          "pppppppppppppppppppppppppppppppp"
                          "pppppppppppppppppppppppppppppppp\r\n\r\n";
    size_t one = strlen(interim), count = TQ_WIRE_HEAD_MAX / one + 1;
    char *text = malloc(one * count + 1);
    assert_non_null(text);
    for (size_t i = 0; i < count; i++)
        memcpy(text + i * one, interim, one);
    text[one * count] = '\0';
    outcome_t o = read_answer(text, 0, 0, 1024);
    assert_int_equal(o.result, TQ_WIRE_ERROR);
    assert_non_null(strstr(o.why, "64 KiB"));
    /* One short of the allowance is read: the flood is cut by the limit, not refused. */
    text[one * (count - 1)] = '\0';
    o = read_answer(text, 0, 0, 1024);
    assert_int_equal(o.result, TQ_WIRE_MORE);
    free(text);
}

static size_t largest_allocation;

static void *recording_malloc(size_t size)
{
    if (size > largest_allocation)
        largest_allocation = size;
    return malloc(size);
}

/* A length the server announces sets aside at most TQ_WIRE_RESERVE_MAX before the
 * bytes arrive, and the body never grows past the limit's size. */
static void announced_lengths_reserve_little(void **state)
{
    (void)state;
    const char *texts[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3B9ACA00\r\nabc",
    };
    tq_alloc_set_hooks(recording_malloc, free);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        largest_allocation = 0;
        outcome_t o = read_answer(texts[i], 0, 0, (size_t)1 << 30);
        assert_int_equal(o.result, TQ_WIRE_MORE);
        assert_string_equal(o.body, "abc");
        if (largest_allocation > TQ_WIRE_RESERVE_MAX + 1)
            fail_msg("case %zu: %zu bytes set aside for three", i, largest_allocation);
    }
    /* Growing to a limit just over a power of two takes no more than the limit. */
    static char text[8300];
    int n = snprintf(text, sizeof text, "HTTP/1.1 200 OK\r\nContent-Length: 8200\r\n\r\n");
    memset(text + n, 'b', 8200);
    largest_allocation = 0;
    outcome_t o = read_answer(text, 1000, 0, 8200);
    assert_int_equal(o.result, TQ_WIRE_DONE);
    assert_true(largest_allocation <= 8201);
    tq_alloc_set_hooks(NULL, NULL);
}

/* Every allocation the reader makes may fail: it then says so and leaks nothing. */
static void out_of_memory_is_reported(void **state)
{
    (void)state;
    const char *texts[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\n\r\nhello",
    };
    tq_test_alloc_install();
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        for (long fail_from = 1;; fail_from++) {
            tq_test_alloc_reset(fail_from);
            outcome_t o = read_answer(texts[t], 3, 1, 1024);
            long live = tq_test_alloc_live();
            int failed = tq_test_alloc_failed();
            tq_test_alloc_reset(0);
            assert_int_equal(live, 0);
            if (!failed) {
                assert_int_equal(o.result, TQ_WIRE_DONE);
                assert_string_equal(o.body, "hello");
                break;
            }
            assert_int_equal(o.result, TQ_WIRE_ERROR);
            assert_int_equal(o.error, TQ_ENOMEM);
        }
    }
}

static size_t allocation_count;

static void *counting_malloc(size_t size)
{
    allocation_count++;
    return malloc(size);
}

/* A chunked body grows geometrically, chunk by chunk: a 1 MiB body in 64-byte chunks
 * takes a few dozen allocations, not one (and a copy of the body so far) per chunk. */
static void chunked_body_grows_geometrically(void **state)
{
    (void)state;
    size_t chunks = 16384, size = 64;
    size_t cap = 64 + chunks * (size + 8) + 16;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n =
        (size_t)snprintf(text, cap, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (size_t i = 0; i < chunks; i++) {
        n += (size_t)snprintf(text + n, cap - n, "40\r\n");
        memset(text + n, 'x', size);
        n += size;
        n += (size_t)snprintf(text + n, cap - n, "\r\n");
    }
    n += (size_t)snprintf(text + n, cap - n, "0\r\n\r\n");
    tq_alloc_set_hooks(counting_malloc, free);
    allocation_count = 0;
    tq_wire_answer_t a;
    tq_wire_answer_init(&a, (size_t)32 << 20);
    size_t used = 0;
    tq_wire_result_t r = tq_wire_answer_feed(&a, text, n, &used);
    tq_alloc_set_hooks(NULL, NULL);
    assert_int_equal(r, TQ_WIRE_DONE);
    assert_int_equal(a.len, chunks * size);
    tq_wire_answer_free(&a);
    free(text);
    if (allocation_count > 64)
        fail_msg("%zu allocations for a %zu-byte body in %zu chunks", allocation_count,
                 chunks * size, chunks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_answers_in_any_pieces),
        cmocka_unit_test(bad_answers_are_refused_with_the_reason),
        cmocka_unit_test(headers_are_limited),
        cmocka_unit_test(interim_answers_share_the_header_limit),
        cmocka_unit_test(announced_lengths_reserve_little),
        cmocka_unit_test(out_of_memory_is_reported),
        cmocka_unit_test(chunked_body_grows_geometrically),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
