/* unit_bm25.c: the BM25 text-to-sparse-vector conventions: murmur3 against published
 * vectors, token ids as fastembed computes them, tokenisation, stop words, Snowball
 * stemming, document weights and query vectors computed by hand here, refusal of bad
 * input, and a failure injected at every allocation. */
#include "test_common.h"

#include "bm25.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void murmur3_published_vectors(void **state)
{
    (void)state;
    /* SMHasher's MurmurHash3_x86_32 and the mmh3 package's documented outputs. */
    assert_int_equal(tq_murmur3_32("", 0, 0), 0u);
    assert_int_equal(tq_murmur3_32("", 0, 1), 0x514e28b7u);
    assert_int_equal(tq_murmur3_32("hello", 5, 0), 0x248bfa47u);
    assert_int_equal(tq_murmur3_32("Hello, world!", 13, 1234), 0xfaf6cdb3u);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    assert_int_equal(tq_murmur3_32(fox, strlen(fox), 0), 0x2e4ff723u);
    /* mmh3.hash("foo") == -156908512: fastembed's id is its absolute value. */
    assert_int_equal(tq_murmur3_32("foo", 3, 0), (uint32_t)-156908512);
    assert_int_equal(tq_bm25_token_id("foo", 3), 156908512u);
    /* A positive hash is its own id. */
    assert_int_equal(tq_bm25_token_id("hello", 5), 0x248bfa47u);
}

typedef struct collected {
    char text[512];
    size_t count;
} collected_t;

static void collect(void *user, const char *stem, size_t len)
{
    collected_t *c = user;
    assert_int_equal(strlen(stem), len);
    if (c->count)
        strcat(c->text, " ");
    strncat(c->text, stem, len);
    c->count++;
}

static const char *stems_of(tq_bm25_t *b, const char *text, collected_t *c)
{
    memset(c, 0, sizeof *c);
    assert_int_equal(tq_bm25_stems(b, text, strlen(text), collect, c), TQ_OK);
    return c->text;
}

static void tokens_stop_words_and_stems(void **state)
{
    (void)state;
    tq_bm25_t *b = tq_bm25_new();
    collected_t c;
    assert_non_null(b);
    /* Lowercase, split at every non-word character, drop stop words, stem. */
    assert_string_equal(stems_of(b, "The cats are RUNNING, the cats!", &c), "cat run cat");
    assert_string_equal(stems_of(b, "Connections generously jumped", &c), "connect generous jump");
    /* Digits and '_' are word characters; '-', '.', '/' and apostrophes split. */
    assert_string_equal(stems_of(b, "Error ERR-4012 on XR7731/v2.5 snake_case", &c),
                        "error err 4012 xr7731 v2 5 snake_cas");
    assert_string_equal(stems_of(b, "don't won't", &c), "");
    /* The bare token "_" is punctuation for fastembed; "__" is not. */
    assert_string_equal(stems_of(b, "_ __", &c), "__");
    /* Tokens over 40 code points are dropped, 40 kept. */
    char text[128];
    memset(text, 'x', 41);
    text[41] = ' ';
    memset(text + 42, 'y', 40);
    text[82] = '\0';
    stems_of(b, text, &c);
    assert_int_equal(c.count, 1);
    assert_int_equal(strlen(c.text), 40);
    assert_int_equal(c.text[0], 'y');
    /* Latin-1 capitals lowercase; non-breaking space and the em dash separate. */
    assert_string_equal(stems_of(b, "CAF\xc3\x89\xc2\xa0na\xc3\xafve\xe2\x80\x94" "ok", &c),
                        "caf\xc3\xa9 na\xc3\xafv ok");
    assert_string_equal(stems_of(b, "", &c), "");
    tq_bm25_free(b);
}

/* The BM25 term-frequency weight written out for one term. */
static float tf_weight(double occurrences, double doc_len)
{
    return (float)(occurrences * (1.2 + 1.0) /
                   (occurrences + 1.2 * (1.0 - 0.75 + 0.75 * doc_len / 256.0)));
}

static void document_weights(void **state)
{
    (void)state;
    tq_bm25_t *b = tq_bm25_new();
    tq_sparse_t s;
    const char *text = "The cats are running, the cats!";
    assert_int_equal(tq_bm25_document(b, text, strlen(text), &s), TQ_OK);
    /* Kept stems: cat, run, cat (d = 3). */
    uint32_t cat = tq_bm25_token_id("cat", 3), run = tq_bm25_token_id("run", 3);
    assert_int_equal(s.count, 2);
    size_t ci = s.indices[0] == cat ? 0 : 1;
    assert_int_equal(s.indices[ci], cat);
    assert_int_equal(s.indices[1 - ci], run);
    assert_true(s.indices[0] < s.indices[1]);
    assert_true(s.values[ci] == tf_weight(2, 3));
    assert_true(s.values[1 - ci] == tf_weight(1, 3));
    /* By hand: cat 4.4 / (2 + 1.2 * (0.25 + 0.75 * 3 / 256)) = 4.4 / 2.310547 = 1.90431,
     * run 2.2 / 1.310547 = 1.67868. */
    assert_true(fabs(s.values[ci] - 1.90431) < 1e-4);
    assert_true(fabs(s.values[1 - ci] - 1.67868) < 1e-4);
    tq_sparse_free(&s);

    /* A longer document lowers the weight of the same count (length normalisation). */
    char long_text[4096] = "cat ";
    for (int i = 0; i < 299; i++)
        strcat(long_text, "dog ");
    assert_int_equal(tq_bm25_document(b, long_text, strlen(long_text), &s), TQ_OK);
    assert_int_equal(s.count, 2);
    ci = s.indices[0] == cat ? 0 : 1;
    assert_true(s.values[ci] == tf_weight(1, 300));
    assert_true(s.values[1 - ci] == tf_weight(299, 300));
    tq_sparse_free(&s);

    /* Only stop words: an empty vector. */
    assert_int_equal(tq_bm25_document(b, "the and of", 10, &s), TQ_OK);
    assert_int_equal(s.count, 0);
    assert_null(s.indices);
    tq_bm25_free(b);
}

static void query_vector(void **state)
{
    (void)state;
    tq_bm25_t *b = tq_bm25_new();
    tq_sparse_t s;
    const char *text = "running cats, the CAT runs";
    assert_int_equal(tq_bm25_query(b, text, strlen(text), &s), TQ_OK);
    uint32_t cat = tq_bm25_token_id("cat", 3), run = tq_bm25_token_id("run", 3);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.indices[0], cat < run ? cat : run);
    assert_int_equal(s.indices[1], cat < run ? run : cat);
    assert_true(s.values[0] == 1.0f && s.values[1] == 1.0f);
    tq_sparse_free(&s);
    tq_bm25_free(b);
}

static void bad_input(void **state)
{
    (void)state;
    tq_bm25_t *b = tq_bm25_new();
    tq_sparse_t s;
    memset(&s, 0x5a, sizeof s);
    tq_sparse_t before = s;
    assert_int_equal(tq_bm25_document(b, "caf\xc3", 4, &s), TQ_EINVAL);
    assert_int_equal(tq_bm25_query(b, "\xff", 1, &s), TQ_EINVAL);
    assert_int_equal(tq_bm25_query(b, NULL, 3, &s), TQ_EINVAL);
    assert_int_equal(tq_bm25_query(NULL, "x", 1, &s), TQ_EINVAL);
    assert_memory_equal(&s, &before, sizeof s);
    char *huge = malloc(TQ_BM25_TEXT_MAX + 1);
    assert_non_null(huge);
    memset(huge, 'a', TQ_BM25_TEXT_MAX + 1);
    assert_int_equal(tq_bm25_document(b, huge, TQ_BM25_TEXT_MAX + 1, &s), TQ_EINVAL);
    free(huge);
    /* Bytes after `len` are never read: the NUL inside the text separates tokens. */
    assert_int_equal(tq_bm25_query(b, "cat\0dog", 7, &s), TQ_OK);
    assert_int_equal(s.count, 2);
    tq_sparse_free(&s);
    tq_bm25_free(b);
}

static void allocation_failures(void **state)
{
    (void)state;
    const char *text = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu "
                       "xi omicron pi rho sigma tau upsilon phi chi psi omega alpha beta";
    for (long n = 1;; n++) {
        tq_test_alloc_reset(n);
        tq_bm25_t *b = tq_bm25_new();
        tq_sparse_t s;
        tq_status_t st = b ? tq_bm25_document(b, text, strlen(text), &s) : TQ_ENOMEM;
        int failed = tq_test_alloc_failed();
        if (st == TQ_OK)
            tq_sparse_free(&s);
        tq_bm25_free(b);
        assert_int_equal(tq_test_alloc_live(), 0);
        if (!failed) {
            assert_int_equal(st, TQ_OK);
            break;
        }
        assert_int_equal(st, TQ_ENOMEM);
    }
    tq_test_alloc_reset(0);
}

int main(void)
{
    tq_test_alloc_install();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(murmur3_published_vectors),
        cmocka_unit_test(tokens_stop_words_and_stems),
        cmocka_unit_test(document_weights),
        cmocka_unit_test(query_vector),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
