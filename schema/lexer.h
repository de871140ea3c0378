/* lexer.h: tokens of the schema language. */
#ifndef TQ_SCHEMA_LEXER_H
#define TQ_SCHEMA_LEXER_H

#include "schema.h"

typedef enum tqs_token_kind {
    TQS_TOK_EOF = 0,
    TQS_TOK_IDENT,  /* [A-Za-z_][A-Za-z0-9_-]*; validated later */
    TQS_TOK_INT,    /* [0-9]+ */
    TQS_TOK_LBRACE,
    TQS_TOK_RBRACE,
    TQS_TOK_SEMI,
    TQS_TOK_COLON,
    TQS_TOK_COMMA,
    TQS_TOK_LBRACKET,
    TQS_TOK_RBRACKET,
    TQS_TOK_BAD     /* a byte that starts no token; the lexer has reported it */
} tqs_token_kind_t;

typedef struct tqs_token {
    tqs_token_kind_t kind;
    const char *text; /* points into the source */
    size_t len;
    uint64_t value;   /* TQS_TOK_INT, saturated at UINT64_MAX */
    tq_schema_pos_t pos;
} tqs_token_t;

typedef struct tqs_lexer {
    const char *text;
    size_t len;
    size_t offset;
    unsigned line;
    unsigned col;
} tqs_lexer_t;

void tqs_lexer_init(tqs_lexer_t *lexer, const char *text, size_t len);

/* Scans the next token, skipping blanks and comments (# or // to the end of line). */
void tqs_lexer_next(tqs_lexer_t *lexer, tqs_token_t *token);

/* Whether `token` is the identifier `word`. */
int tqs_token_is(const tqs_token_t *token, const char *word);

/* Short description for messages: "'foo'", "end of file", "'{'". Writes to `buf`. */
const char *tqs_token_describe(const tqs_token_t *token, char *buf, size_t size);

#endif
