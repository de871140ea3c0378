/* runtime_http_wire.c: libFuzzer target over the HTTP/1.1 answer reader
 * (runtime/src/http_wire.c). The first byte picks the body limit and where the rest is
 * cut in two, so every split of the bytes is tried; the reader must never take more
 * bytes than it is given, never keep more body than the limit, always end the body
 * with a NUL, and finish with a status code in range or a reason. */
#include "http_wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t limit = (size_t)(data[0] & 0x0f) * 64 + 16;
    const char *text = (const char *)data + 1;
    size_t n = size - 1, cut = n ? ((size_t)data[0] * 7919u) % (n + 1) : 0;
    tq_wire_answer_t a;
    tq_wire_answer_init(&a, limit);
    tq_wire_result_t r = TQ_WIRE_MORE;
    size_t pieces[2] = {cut, n - cut}, at = 0;
    for (int i = 0; i < 2 && r == TQ_WIRE_MORE; i++) {
        size_t used = 0;
        r = tq_wire_answer_feed(&a, text + at, pieces[i], &used);
        if (used > pieces[i] || (r == TQ_WIRE_MORE && used != pieces[i]))
            abort();
        at += pieces[i];
    }
    if (r == TQ_WIRE_MORE && (data[0] & 0x80))
        r = tq_wire_answer_eof(&a);
    if (a.len > limit || (a.body && a.body[a.len] != '\0'))
        abort();
    if (r == TQ_WIRE_DONE && (a.status < 200 || a.status > 599))
        abort();
    if (r == TQ_WIRE_ERROR &&
        (a.why[0] == '\0' || (a.error != TQ_EPROTO && a.error != TQ_ELIMIT && a.error != TQ_ENOMEM)))
        abort();
    tq_wire_answer_free(&a);
    return 0;
}
