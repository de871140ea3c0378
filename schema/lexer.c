/* lexer.c: splits schema text into tokens.
 *
 * Works on a byte range that need not be NUL-terminated and may hold any bytes; it
 * never allocates and never reads past `len`. Identifiers are scanned generously
 * (capitals and '-' included) so that the checks can explain what is wrong with a
 * name instead of reporting a confusing syntax error. */
#include "lexer.h"

#include <stdio.h>
#include <string.h>

void tqs_lexer_init(tqs_lexer_t *lexer, const char *text, size_t len) {
    lexer->text = text;
    lexer->len = len;
    lexer->offset = 0;
    lexer->line = 1;
    lexer->col = 1;
}

static int peek(const tqs_lexer_t *lexer, size_t ahead) {
    size_t at = lexer->offset + ahead;
    return at < lexer->len ? (unsigned char)lexer->text[at] : -1;
}

static void advance(tqs_lexer_t *lexer) {
    if (lexer->offset >= lexer->len) return;
    if (lexer->text[lexer->offset] == '\n') {
        lexer->line++;
        lexer->col = 1;
    } else if (lexer->col < 1000000u) {
        lexer->col++;
    }
    lexer->offset++;
}

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

static void skip_blanks_and_comments(tqs_lexer_t *lexer) {
    for (;;) {
        int c = peek(lexer, 0);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
            advance(lexer);
        } else if (c == '#' || (c == '/' && peek(lexer, 1) == '/')) {
            while (peek(lexer, 0) != -1 && peek(lexer, 0) != '\n') advance(lexer);
        } else {
            return;
        }
    }
}

void tqs_lexer_next(tqs_lexer_t *lexer, tqs_token_t *token) {
    int c;
    size_t start;

    skip_blanks_and_comments(lexer);
    memset(token, 0, sizeof *token);
    token->pos.line = lexer->line;
    token->pos.col = lexer->col;
    start = lexer->offset;
    token->text = lexer->text + start;
    c = peek(lexer, 0);
    if (c == -1) {
        token->kind = TQS_TOK_EOF;
        return;
    }
    if (is_alpha(c)) {
        while (is_alpha(peek(lexer, 0)) || is_digit(peek(lexer, 0)) || peek(lexer, 0) == '-')
            advance(lexer);
        token->kind = TQS_TOK_IDENT;
    } else if (is_digit(c)) {
        uint64_t value = 0;
        while (is_digit(peek(lexer, 0))) {
            unsigned digit = (unsigned)(peek(lexer, 0) - '0');
            value = value > (UINT64_MAX - digit) / 10 ? UINT64_MAX : value * 10 + digit;
            advance(lexer);
        }
        token->kind = TQS_TOK_INT;
        token->value = value;
    } else {
        switch (c) {
        case '{': token->kind = TQS_TOK_LBRACE; break;
        case '}': token->kind = TQS_TOK_RBRACE; break;
        case ';': token->kind = TQS_TOK_SEMI; break;
        case ':': token->kind = TQS_TOK_COLON; break;
        case ',': token->kind = TQS_TOK_COMMA; break;
        case '[': token->kind = TQS_TOK_LBRACKET; break;
        case ']': token->kind = TQS_TOK_RBRACKET; break;
        default: token->kind = TQS_TOK_BAD; break;
        }
        advance(lexer);
    }
    token->len = lexer->offset - start;
}

int tqs_token_is(const tqs_token_t *token, const char *word) {
    size_t n = strlen(word);
    return token->kind == TQS_TOK_IDENT && token->len == n && memcmp(token->text, word, n) == 0;
}

const char *tqs_token_describe(const tqs_token_t *token, char *buf, size_t size) {
    unsigned char c;
    switch (token->kind) {
    case TQS_TOK_EOF:
        snprintf(buf, size, "end of file");
        break;
    case TQS_TOK_IDENT:
    case TQS_TOK_INT:
        if (token->len > 40)
            snprintf(buf, size, "'%.40s...'", token->text);
        else
            snprintf(buf, size, "'%.*s'", (int)token->len, token->text);
        break;
    default:
        c = (unsigned char)token->text[0];
        if (c >= 0x20 && c < 0x7f)
            snprintf(buf, size, "'%c'", c);
        else
            snprintf(buf, size, "byte 0x%02x", c);
        break;
    }
    return buf;
}
