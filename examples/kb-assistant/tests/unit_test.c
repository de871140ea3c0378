/* unit_test.c: the server-free parts of kb: chunking, embedding, the progress bar.
 *
 * These pin the behaviour the end-to-end test relies on without a server: titles,
 * sections and pages come out of the chunker as documented, chunks respect their size
 * limit, and the embedder is deterministic, normalised and ranks related text higher. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chunk.h"
#include "embed.h"
#include "progress.h"

#define DIM 384

static kb_document_t chunk_text(const char *text, const char *fallback) {
    kb_document_t doc;
    assert_int_equal(kb_chunk_document(text, strlen(text), fallback, &doc), 0);
    return doc;
}

static void test_markdown_title_sections_and_pages(void **state) {
    (void)state;
    kb_document_t doc = chunk_text("# Billing guide\n\nIntro text.\n\n## Refunds\n\n"
                                   "Refunds within 14 days.\n\n<!-- page 3 -->\n\n"
                                   "## Seats\n\nSeats are prorated.\n",
                                   "fallback");
    assert_string_equal(doc.title, "Billing guide");
    assert_int_equal(doc.count, 3);
    assert_string_equal(doc.chunks[0].section, "Billing guide");
    assert_string_equal(doc.chunks[0].text, "Billing guide\nIntro text.");
    assert_int_equal(doc.chunks[0].page, 1);
    assert_string_equal(doc.chunks[1].section, "Refunds");
    assert_string_equal(doc.chunks[1].text, "Refunds\nRefunds within 14 days.");
    assert_int_equal(doc.chunks[1].page, 1);
    assert_string_equal(doc.chunks[2].section, "Seats");
    assert_int_equal(doc.chunks[2].page, 3);
    kb_document_free(&doc);
}

static void test_form_feed_advances_the_page(void **state) {
    (void)state;
    kb_document_t doc = chunk_text("first page words\fsecond page words\f\fthird", "f");
    assert_int_equal(doc.count, 3);
    assert_int_equal(doc.chunks[0].page, 1);
    assert_int_equal(doc.chunks[1].page, 2);
    assert_int_equal(doc.chunks[2].page, 4);
    kb_document_free(&doc);
}

static void test_plain_text_title_and_fallback(void **state) {
    (void)state;
    kb_document_t doc = chunk_text("Shipping FAQ\n\nParcels leave daily.\n", "faq");
    assert_string_equal(doc.title, "Shipping FAQ");
    kb_document_free(&doc);
    doc = chunk_text("A first line that runs on\ninto a second line.\n", "notes");
    assert_string_equal(doc.title, "notes");
    assert_int_equal(doc.count, 1);
    kb_document_free(&doc);
    char line[KB_TITLE_LINE_MAX + 16];
    memset(line, 'w', sizeof line - 1);
    line[sizeof line - 1] = '\0';
    char text[sizeof line + 16];
    snprintf(text, sizeof text, "%s\n\nBody.\n", line);
    doc = chunk_text(text, "long-line");
    assert_string_equal(doc.title, "long-line");
    kb_document_free(&doc);
}

static void test_setext_heading_and_code_fence(void **state) {
    (void)state;
    kb_document_t doc = chunk_text("Guide\n=====\n\nText.\n\n```\n# not a heading\n```\n\n"
                                   "Setup\n-----\n\nMore.\n",
                                   "f");
    assert_string_equal(doc.title, "Guide");
    assert_int_equal(doc.count, 2);
    assert_non_null(strstr(doc.chunks[0].text, "# not a heading"));
    assert_string_equal(doc.chunks[1].section, "Setup");
    kb_document_free(&doc);
}

static void test_long_paragraph_is_cut_within_the_limit(void **state) {
    (void)state;
    size_t len = KB_CHUNK_MAX * 3 + 17;
    char *text = malloc(len + 1);
    assert_non_null(text);
    for (size_t i = 0; i < len; i++) text[i] = (i % 7 == 6) ? ' ' : 'x';
    text[len] = '\0';
    kb_document_t doc = chunk_text(text, "long");
    assert_true(doc.count >= 4);
    size_t total = 0;
    for (size_t i = 0; i < doc.count; i++) {
        assert_true(strlen(doc.chunks[i].text) <= KB_CHUNK_MAX);
        total += strlen(doc.chunks[i].text);
    }
    assert_true(total + doc.count >= len - doc.count); /* only cut blanks are dropped */
    kb_document_free(&doc);
    free(text);
}

static void test_empty_document_has_no_chunks(void **state) {
    (void)state;
    kb_document_t doc = chunk_text("\n\n   \n", "empty");
    assert_int_equal(doc.count, 0);
    assert_string_equal(doc.title, "empty");
    kb_document_free(&doc);
}

static double cosine(const float *a, const float *b) {
    double dot = 0;
    for (size_t i = 0; i < DIM; i++) dot += (double)a[i] * b[i];
    return dot;
}

static void test_embedder_is_deterministic_and_normalised(void **state) {
    (void)state;
    kb_embedder_t e;
    kb_embedder_hashed(&e, DIM);
    float a[DIM], b[DIM];
    assert_int_equal(kb_embed(&e, "Reset your password from the sign-in page", a), 0);
    assert_int_equal(kb_embed(&e, "Reset your password from the sign-in page", b), 0);
    assert_memory_equal(a, b, sizeof a);
    assert_true(fabs(cosine(a, a) - 1.0) < 1e-5);
    assert_int_equal(kb_embed(&e, "  ... !!! ", a), -1);
    assert_int_equal(kb_embed(&e, "", a), -1);
}

static void test_embedder_ranks_related_text_higher(void **state) {
    (void)state;
    kb_embedder_t e;
    kb_embedder_hashed(&e, DIM);
    float q[DIM], near[DIM], far[DIM];
    assert_int_equal(kb_embed(&e, "How long is the password reset link valid?", q), 0);
    assert_int_equal(kb_embed(&e, "The password reset link is valid for 30 minutes.", near), 0);
    assert_int_equal(kb_embed(&e, "Annual billing saves 20% on Starter and Growth.", far), 0);
    assert_true(cosine(q, near) > cosine(q, far) + 0.2);
    /* Case and punctuation do not change the features. */
    assert_int_equal(kb_embed(&e, "HOW LONG is the Password-Reset link valid", near), 0);
    assert_true(cosine(q, near) > 0.99);
    /* Inflections fold together: plural, -ing with a doubled consonant, -ed, silent e. */
    assert_int_equal(kb_embed(&e, "refund cancel expire invoice", q), 0);
    assert_int_equal(kb_embed(&e, "Refunds cancelling expired invoices", near), 0);
    assert_true(cosine(q, near) > 0.999);
}

static void test_progress_draws_nothing_off_a_terminal(void **state) {
    (void)state;
    FILE *out = tmpfile();
    assert_non_null(out);
    kb_progress_t bar;
    kb_progress_start(&bar, out, "ingest", 10);
    for (int i = 0; i < 10; i++) kb_progress_advance(&bar, 1);
    kb_progress_finish(&bar);
    assert_int_equal(bar.done, 10);
    assert_int_equal(ftell(out), 0);
    fclose(out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markdown_title_sections_and_pages),
        cmocka_unit_test(test_form_feed_advances_the_page),
        cmocka_unit_test(test_plain_text_title_and_fallback),
        cmocka_unit_test(test_setext_heading_and_code_fence),
        cmocka_unit_test(test_long_paragraph_is_cut_within_the_limit),
        cmocka_unit_test(test_empty_document_has_no_chunks),
        cmocka_unit_test(test_embedder_is_deterministic_and_normalised),
        cmocka_unit_test(test_embedder_ranks_related_text_higher),
        cmocka_unit_test(test_progress_draws_nothing_off_a_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
