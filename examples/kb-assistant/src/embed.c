/* embed.c: the built-in, model-free text embedder (feature hashing).
 *
 * Words are runs of ASCII letters and digits (bytes above 0x7f count as letters, so
 * UTF-8 words stay whole), lower-cased, cut at WORD_MAX bytes and stripped of common
 * English suffixes. Each unigram that is
 * not a stop word and each adjacent word pair is hashed (FNV-1a, 64 bit) to a bucket and
 * a sign; counts are dampened with 1 + log(count) before normalising so one repeated
 * word cannot dominate a chunk. It must never allocate per word or read past the text's
 * terminating NUL, and it gives bit-identical output on every platform with IEEE floats. */
#include "embed.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX 32
#define BIGRAM_WEIGHT 0.7

static const char *const STOP_WORDS[] = {
    "a",   "an",   "and",  "are",  "as",   "at",   "be",   "by",    "can",  "do",
    "does", "for", "from", "has",  "have", "how",  "i",    "if",    "in",   "is",
    "it",  "its",  "my",   "of",   "on",   "or",   "our",  "so",    "that", "the",
    "their", "them", "then", "there", "this", "to", "was", "we",   "what", "when",
    "which", "who", "will", "with", "you", "your",
};

static int is_stop_word(const char *word) {
    size_t lo = 0, hi = sizeof STOP_WORDS / sizeof STOP_WORDS[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(word, STOP_WORDS[mid]);
        if (cmp == 0) return 1;
        if (cmp < 0) hi = mid;
        else lo = mid + 1;
    }
    return 0;
}

static uint64_t fnv1a(uint64_t hash, const char *bytes, size_t len) {
    for (size_t i = 0; i < len; i++) {
        hash ^= (unsigned char)bytes[i];
        hash *= 1099511628211ull;
    }
    return hash;
}

static int is_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

static int ends_with(const char *word, size_t len, const char *suffix) {
    size_t n = strlen(suffix);
    return len >= n && memcmp(word + len - n, suffix, n) == 0;
}

static int is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/* Folds common English inflections so "refunds", "refunded" and "refund" share a
 * feature: plural -s/-es/-ies, -ing and -ed (undoubling a final consonant left behind,
 * "cancelling" -> "cancel"), then a final silent -e ("expired", "expire" -> "expir").
 * Short words are left alone; this is a crude stemmer, not a linguistic one. */
static void fold_suffixes(char *word) {
    size_t len = strlen(word);
    if (len > 4 && ends_with(word, len, "ies")) {
        len -= 2;
        word[len - 1] = 'y';
    } else if (len > 4 && ends_with(word, len, "sses")) {
        len -= 2;
    } else if (len > 3 && word[len - 1] == 's' && word[len - 2] != 's' && word[len - 2] != 'u') {
        len -= 1;
    }
    size_t stripped = 0;
    if (len > 5 && ends_with(word, len, "ing")) stripped = 3;
    else if (len > 4 && ends_with(word, len, "ed")) stripped = 2;
    len -= stripped;
    if (stripped && len > 4 && word[len - 1] == word[len - 2] && !is_vowel(word[len - 1]))
        len -= 1;
    if (len > 4 && word[len - 1] == 'e') len -= 1;
    word[len] = '\0';
}

/* Reads the next word at *cursor into `word` (lower-cased, NUL-terminated, at most
 * WORD_MAX bytes kept) and advances *cursor past it. Returns 0 at the end of text. */
static int next_word(const char **cursor, char word[WORD_MAX + 1]) {
    const unsigned char *p = (const unsigned char *)*cursor;
    while (*p && !is_word_byte(*p)) p++;
    if (!*p) {
        *cursor = (const char *)p;
        return 0;
    }
    size_t len = 0;
    for (; *p && is_word_byte(*p); p++) {
        if (len < WORD_MAX) word[len++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    }
    word[len] = '\0';
    *cursor = (const char *)p;
    return 1;
}

static void add_feature(float *acc, size_t dim, uint64_t hash, double weight) {
    /* The top bit picks the sign so unrelated features cancel instead of piling up. */
    double sign = (hash >> 63) ? -1.0 : 1.0;
    acc[(hash & 0x7fffffffffffffffull) % dim] += (float)(sign * weight);
}

/* Counts are accumulated first and dampened afterwards: the sign trick makes the
 * accumulator signed, so the damping is applied to the magnitude. */
static int hashed_embed(void *state, const char *text, float *out) {
    size_t dim = (size_t)(uintptr_t)state;
    char prev[WORD_MAX + 1] = "";
    char word[WORD_MAX + 1];
    size_t features = 0;
    memset(out, 0, dim * sizeof *out);
    const char *cursor = text;
    while (next_word(&cursor, word)) {
        int stop = is_stop_word(word);
        fold_suffixes(word);
        if (!stop) {
            add_feature(out, dim, fnv1a(14695981039346656037ull, word, strlen(word)), 1.0);
            features++;
        }
        if (prev[0]) {
            uint64_t h = fnv1a(14695981039346656037ull, prev, strlen(prev));
            h = fnv1a(h, " ", 1);
            add_feature(out, dim, fnv1a(h, word, strlen(word)), BIGRAM_WEIGHT);
            features++;
        }
        memcpy(prev, word, sizeof prev);
    }
    if (features == 0) return -1;
    double norm = 0.0;
    for (size_t i = 0; i < dim; i++) {
        double magnitude = fabs((double)out[i]);
        double damped = magnitude <= 1.0 ? magnitude : 1.0 + log(magnitude);
        if (out[i] < 0) damped = -damped;
        out[i] = (float)damped;
        norm += damped * damped;
    }
    if (norm <= 0.0) return -1;
    double inv = 1.0 / sqrt(norm);
    for (size_t i = 0; i < dim; i++) out[i] = (float)(out[i] * inv);
    return 0;
}

void kb_embedder_hashed(kb_embedder_t *out, size_t dim) {
    out->name = "hashed-bigram";
    out->dim = dim;
    out->embed = hashed_embed;
    out->state = (void *)(uintptr_t)dim;
}

int kb_embed(const kb_embedder_t *embedder, const char *text, float *out) {
    if (!embedder || !embedder->embed || !text || !out || embedder->dim == 0) return -1;
    return embedder->embed(embedder->state, text, out);
}
