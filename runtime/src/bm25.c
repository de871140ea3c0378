/* bm25.c: text to BM25 sparse document and query vectors, the client half of the
 * keyword retrieval path.
 *
 * Follows fastembed's Qdrant/bm25 conventions so vectors made here match vectors a
 * Python application would store: every character that is not a word character
 * separates tokens, tokens are lowercased, English stop words (NLTK's list), the bare
 * token "_" and tokens over 40 code points are dropped, the rest go through the
 * Snowball English stemmer (libstemmer), and each stem's id is the absolute value of
 * its signed murmur3 hash. It never reads the server's statistics: IDF is the
 * server's job (modifier idf), computed over the caller's tenant only. Input is
 * application text: malformed UTF-8 is refused, nothing is read beyond `len`. */
#include "bm25.h"

#include "alloc.h"
#include "text.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

struct tq_bm25 {
    struct sb_stemmer *stemmer;
};

/* NLTK's English stop words, the list fastembed's Qdrant/bm25 ships, sorted for
 * bsearch. Its entries with an apostrophe ("don't", ...) are left out: the tokeniser
 * splits at apostrophes, so no token can ever equal them. */
static const char *const STOP_WORDS[] = {
    "a",       "about",   "above",      "after",    "again",   "against", "ain",     "all",
    "am",      "an",      "and",        "any",      "are",     "aren",    "as",      "at",
    "be",      "because", "been",       "before",   "being",   "below",   "between", "both",
    "but",     "by",      "can",        "couldn",   "d",       "did",     "didn",    "do",
    "does",    "doesn",   "doing",      "don",      "down",    "during",  "each",    "few",
    "for",     "from",    "further",    "had",      "hadn",    "has",     "hasn",    "have",
    "haven",   "having",  "he",         "her",      "here",    "hers",    "herself", "him",
    "himself", "his",     "how",        "i",        "if",      "in",      "into",    "is",
    "isn",     "it",      "its",        "itself",   "just",    "ll",      "m",       "ma",
    "me",      "mightn",  "more",       "most",     "mustn",   "my",      "myself",  "needn",
    "no",      "nor",     "not",        "now",      "o",       "of",      "off",     "on",
    "once",    "only",    "or",         "other",    "our",     "ours",    "ourselves", "out",
    "over",    "own",     "re",         "s",        "same",    "shan",    "she",     "should",
    "shouldn", "so",      "some",       "such",     "t",       "than",    "that",    "the",
    "their",   "theirs",  "them",       "themselves", "then",  "there",   "these",   "they",
    "this",    "those",   "through",    "to",       "too",     "under",   "until",   "up",
    "ve",      "very",    "was",        "wasn",     "we",      "were",    "weren",   "what",
    "when",    "where",   "which",      "while",    "who",     "whom",    "why",     "will",
    "with",    "won",     "wouldn",     "y",        "you",     "your",    "yours",   "yourself",
    "yourselves"};

#define STOP_WORD_COUNT (sizeof STOP_WORDS / sizeof STOP_WORDS[0])

static int compare_word(const void *key, const void *entry)
{
    return strcmp((const char *)key, *(const char *const *)entry);
}

static int is_stop_word(const char *token)
{
    return bsearch(token, STOP_WORDS, STOP_WORD_COUNT, sizeof STOP_WORDS[0], compare_word) != NULL;
}

static uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

uint32_t tq_murmur3_32(const void *key, size_t len, uint32_t seed)
{
    const unsigned char *p = key;
    const uint32_t c1 = 0xcc9e2d51u, c2 = 0x1b873593u;
    uint32_t h = seed;
    size_t blocks = len / 4;
    for (size_t i = 0; i < blocks; i++) {
        uint32_t k = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
                     (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
        k *= c1;
        k = rotl32(k, 15);
        k *= c2;
        h ^= k;
        h = rotl32(h, 13);
        h = h * 5 + 0xe6546b64u;
    }
    const unsigned char *tail = p + 4 * blocks;
    uint32_t k = 0;
    switch (len & 3) {
    case 3:
        k ^= (uint32_t)tail[2] << 16;
        /* fall through */
    case 2:
        k ^= (uint32_t)tail[1] << 8;
        /* fall through */
    case 1:
        k ^= tail[0];
        k *= c1;
        k = rotl32(k, 15);
        k *= c2;
        h ^= k;
        break;
    default:
        break;
    }
    h ^= (uint32_t)len;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

uint32_t tq_bm25_token_id(const char *stem, size_t len)
{
    uint32_t h = tq_murmur3_32(stem, len, 0);
    /* mmh3.hash is signed; fastembed takes abs(). -2^31 becomes 2^31. */
    return (h & 0x80000000u) ? (uint32_t)(~h + 1u) : h;
}

tq_bm25_t *tq_bm25_new(void)
{
    tq_bm25_t *b = tq_calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->stemmer = sb_stemmer_new("english", NULL);
    if (!b->stemmer) {
        tq_free(b);
        return NULL;
    }
    return b;
}

void tq_bm25_free(tq_bm25_t *b)
{
    if (b) {
        sb_stemmer_delete(b->stemmer);
        tq_free(b);
    }
}

void tq_sparse_free(tq_sparse_t *s)
{
    if (s) {
        tq_free(s->indices);
        tq_free(s->values);
        memset(s, 0, sizeof *s);
    }
}

/* Decodes one code point of well-formed UTF-8 (checked beforehand); returns its
 * length in bytes. */
static size_t decode(const unsigned char *p, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] < 0xe0) {
        *cp = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
        return 2;
    }
    if (p[0] < 0xf0) {
        *cp = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
        return 3;
    }
    *cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
          (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
    return 4;
}

static size_t encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Python's \w for the characters an application's text commonly holds: ASCII letters,
 * digits and '_', and every other code point except the controls, spaces, punctuation
 * and symbol blocks listed here (docs/runtime.md names the approximation). */
static int is_word(uint32_t cp)
{
    static const uint32_t separators[][2] = {
        {0x0080, 0x00a9}, {0x00ab, 0x00b1}, {0x00b4, 0x00b4}, {0x00b6, 0x00b8},
        {0x00bb, 0x00bb}, {0x00bf, 0x00bf}, {0x00d7, 0x00d7}, {0x00f7, 0x00f7},
        {0x2000, 0x206f}, {0x20a0, 0x20cf}, {0x2190, 0x2bff}, {0x3000, 0x3004},
        {0x3008, 0x3020}, {0xfe10, 0xfe1f}, {0xfe30, 0xfe6f}, {0xfeff, 0xfeff},
        {0xff01, 0xff0f}, {0xff1a, 0xff20}, {0xff3b, 0xff40}, {0xff5b, 0xff65},
        {0x1f000, 0x1faff}};
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
               cp == '_';
    for (size_t i = 0; i < sizeof separators / sizeof separators[0]; i++) {
        if (cp >= separators[i][0] && cp <= separators[i][1])
            return 0;
    }
    return 1;
}

/* Lowercase mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic
 * capitals; other code points are returned unchanged. */
static uint32_t lower(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7) || (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2) ||
        (cp >= 0x410 && cp <= 0x42f))
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40f)
        return cp + 80;
    if (cp == 0x178)
        return 0xff;
    if ((cp >= 0x100 && cp <= 0x137 && cp != 0x130) || (cp >= 0x14a && cp <= 0x177))
        return cp | 1;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e))
        return (cp & 1) ? cp + 1 : cp;
    return cp;
}

/* Keeps or drops one lowercased token (`len` bytes, `chars` code points) and hands
 * its stem to `fn`. */
static tq_status_t keep_token(tq_bm25_t *b, const char *token, size_t len, size_t chars,
                              void (*fn)(void *, const char *, size_t), void *user)
{
    if (chars > TQ_BM25_TOKEN_MAX || (len == 1 && token[0] == '_') || is_stop_word(token))
        return TQ_OK;
    const sb_symbol *stem = sb_stemmer_stem(b->stemmer, (const sb_symbol *)token, (int)len);
    if (!stem)
        return TQ_ENOMEM;
    size_t n = (size_t)sb_stemmer_length(b->stemmer);
    if (n > 0)
        fn(user, (const char *)stem, n);
    return TQ_OK;
}

tq_status_t tq_bm25_stems(tq_bm25_t *b, const char *text, size_t len,
                          void (*fn)(void *user, const char *stem, size_t len), void *user)
{
    /* A lowercased token is at most 4 bytes per code point; longer ones are dropped
     * anyway, so the buffer holds one more code point than the limit to detect them. */
    char token[4 * (TQ_BM25_TOKEN_MAX + 1) + 1];
    size_t tlen = 0, chars = 0;
    if (!b || (!text && len) || len > TQ_BM25_TEXT_MAX || !tq_text_utf8(text ? text : "", len))
        return TQ_EINVAL;
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    while (p <= end) {
        uint32_t cp = 0;
        size_t step = p < end ? decode(p, &cp) : 1;
        if (p < end && is_word(cp)) {
            if (chars <= TQ_BM25_TOKEN_MAX)
                tlen += encode(lower(cp), token + tlen);
            chars++;
        } else if (chars > 0) {
            token[tlen] = '\0';
            tq_status_t st = keep_token(b, token, tlen, chars, fn, user);
            if (st != TQ_OK)
                return st;
            tlen = chars = 0;
        }
        p += step;
    }
    return TQ_OK;
}

/* Stems gathered from one text, in one growing arena of NUL-terminated strings. */
typedef struct stem_list {
    char *arena;
    size_t used, cap;
    size_t *offsets;
    size_t count, offsets_cap;
    int nomem;
} stem_list_t;

static void gather(void *user, const char *stem, size_t len)
{
    stem_list_t *l = user;
    if (l->nomem)
        return;
    if (l->used + len + 1 > l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        while (cap < l->used + len + 1)
            cap *= 2;
        char *grown = tq_grow(l->arena, l->used, cap);
        if (!grown) {
            l->nomem = 1;
            return;
        }
        l->arena = grown;
        l->cap = cap;
    }
    if (l->count == l->offsets_cap) {
        size_t cap = l->offsets_cap ? l->offsets_cap * 2 : 32;
        size_t *grown = tq_grow(l->offsets, l->offsets_cap * sizeof *grown, cap * sizeof *grown);
        if (!grown) {
            l->nomem = 1;
            return;
        }
        l->offsets = grown;
        l->offsets_cap = cap;
    }
    memcpy(l->arena + l->used, stem, len);
    l->arena[l->used + len] = '\0';
    l->offsets[l->count++] = l->used;
    l->used += len + 1;
}

typedef struct term {
    uint32_t id;
    const char *stem;
    size_t occurrences;
} term_t;

static int compare_term_stem(const void *a, const void *b)
{
    return strcmp(((const term_t *)a)->stem, ((const term_t *)b)->stem);
}

static int compare_term_id(const void *a, const void *b)
{
    const term_t *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return strcmp(x->stem, y->stem);
}

/* Stems `text` and builds the vector; `document` selects BM25 weights over 1s. */
static tq_status_t embed(tq_bm25_t *b, const char *text, size_t len, int document,
                         tq_sparse_t *out)
{
    stem_list_t l;
    term_t *terms = NULL;
    tq_sparse_t s;
    memset(&l, 0, sizeof l);
    memset(&s, 0, sizeof s);
    tq_status_t st = tq_bm25_stems(b, text, len, gather, &l);
    if (st == TQ_OK && l.nomem)
        st = TQ_ENOMEM;
    if (st != TQ_OK || l.count == 0)
        goto done;
    terms = tq_calloc(l.count, sizeof *terms);
    s.indices = tq_calloc(l.count, sizeof *s.indices);
    s.values = tq_calloc(l.count, sizeof *s.values);
    if (!terms || !s.indices || !s.values) {
        st = TQ_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < l.count; i++)
        terms[i].stem = l.arena + l.offsets[i];
    /* Count occurrences per distinct stem, then order the distinct stems by id. */
    qsort(terms, l.count, sizeof *terms, compare_term_stem);
    size_t distinct = 0;
    for (size_t i = 0; i < l.count; i++) {
        if (distinct > 0 && strcmp(terms[distinct - 1].stem, terms[i].stem) == 0) {
            terms[distinct - 1].occurrences++;
            continue;
        }
        terms[distinct].stem = terms[i].stem;
        terms[distinct].id = tq_bm25_token_id(terms[i].stem, strlen(terms[i].stem));
        terms[distinct].occurrences = 1;
        distinct++;
    }
    qsort(terms, distinct, sizeof *terms, compare_term_id);
    double norm = TQ_BM25_K1 * (1.0 - TQ_BM25_B + TQ_BM25_B * (double)l.count / TQ_BM25_AVG_LEN);
    for (size_t i = 0; i < distinct; i++) {
        /* Two stems with one id (a hash collision) keep the first in stem order. */
        if (s.count > 0 && s.indices[s.count - 1] == terms[i].id)
            continue;
        double n = (double)terms[i].occurrences;
        s.indices[s.count] = terms[i].id;
        s.values[s.count] = document ? (float)(n * (TQ_BM25_K1 + 1.0) / (n + norm)) : 1.0f;
        s.count++;
    }
done:
    tq_free(terms);
    tq_free(l.arena);
    tq_free(l.offsets);
    if (st != TQ_OK) {
        tq_sparse_free(&s);
        return st;
    }
    *out = s;
    return TQ_OK;
}

tq_status_t tq_bm25_document(tq_bm25_t *b, const char *text, size_t len, tq_sparse_t *out)
{
    return embed(b, text, len, 1, out);
}

tq_status_t tq_bm25_query(tq_bm25_t *b, const char *text, size_t len, tq_sparse_t *out)
{
    return embed(b, text, len, 0, out);
}
