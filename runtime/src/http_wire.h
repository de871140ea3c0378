/* http_wire.h: an HTTP/1.1 answer read from the bytes of a connection, strictly and
 * under limits: the status line, the headers, and the body framed by Content-Length,
 * by the chunked transfer coding or by the connection's close. Informational (1xx)
 * answers are skipped. It decides whether the connection may carry another request,
 * and tells how many of the bytes it was given belong to the answer, so bytes nobody
 * asked for are seen, not read as the next answer. No I/O: http.c feeds it. */
#ifndef TQ_HTTP_WIRE_H
#define TQ_HTTP_WIRE_H

#include <tenantq/tenantq.h>

#include <stddef.h>

/* The most header bytes of one answer: every header block it has, interim (1xx)
 * answers and the trailers of a chunked body included. */
#define TQ_WIRE_HEAD_MAX (64u * 1024u)
/* The longest chunk-size line of a chunked body. */
#define TQ_WIRE_CHUNK_LINE_MAX 1024u
#define TQ_WIRE_WHY_MAX 160
/* The most body memory set aside for a length the server announced before the bytes
 * arrive; beyond it the body grows as they do. */
#define TQ_WIRE_RESERVE_MAX (1024u * 1024u)

typedef enum tq_wire_result {
    TQ_WIRE_MORE = 0, /* the answer is not complete: feed more bytes */
    TQ_WIRE_DONE,     /* the answer is complete */
    TQ_WIRE_ERROR     /* malformed or over a limit: see `error` and `why` */
} tq_wire_result_t;

typedef struct tq_wire_answer {
    /* Set by tq_wire_answer_init. */
    size_t limit; /* the most body bytes */
    /* Results. */
    long status;    /* the final answer's status code, once its head is read (else 0) */
    int keep_alive; /* 1 when the connection may carry another request */
    char *body;     /* tq_malloc'd, NUL-terminated (NULL while empty) */
    size_t len, cap;
    size_t received; /* bytes fed so far, of every kind */
    tq_status_t error;          /* TQ_EPROTO, TQ_ELIMIT or TQ_ENOMEM after TQ_WIRE_ERROR */
    char why[TQ_WIRE_WHY_MAX]; /* what was wrong, after TQ_WIRE_ERROR */
    /* Reading state. */
    int state;
    char *head; /* the header block being read */
    size_t head_len, head_cap;
    size_t head_seen; /* header bytes of the blocks already read */
    unsigned long long remaining; /* bytes left of a sized body or of a chunk */
    char line[TQ_WIRE_CHUNK_LINE_MAX + 1];
    size_t line_len;
} tq_wire_answer_t;

void tq_wire_answer_init(tq_wire_answer_t *a, size_t limit);
void tq_wire_answer_free(tq_wire_answer_t *a);

/* Reads `n` more bytes of the connection. *used is set to how many of them belong to
 * this answer: after TQ_WIRE_DONE, the rest were sent without being asked for. */
tq_wire_result_t tq_wire_answer_feed(tq_wire_answer_t *a, const char *data, size_t n,
                                     size_t *used);

/* The peer closed the connection: TQ_WIRE_DONE when that ends a body framed by the
 * close, else TQ_WIRE_ERROR (TQ_EPROTO: the answer was cut short). */
tq_wire_result_t tq_wire_answer_eof(tq_wire_answer_t *a);

#endif
