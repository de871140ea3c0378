/* float_text.h: finite floats as short JSON numbers that parse back to the same float. */
#ifndef TQ_FLOAT_TEXT_H
#define TQ_FLOAT_TEXT_H

#include <stddef.h>

/* Longest text tq_float_text writes, without the NUL: "-1.23456789e-45". */
#define TQ_FLOAT_TEXT_MAX 16

/* Writes finite `value` to `out` as a JSON number of at most 9 significant digits
 * that strtof() reads back as exactly `value` (both zeros print as "0"), and returns
 * its length. Does not NUL-terminate. The caller guarantees finiteness. */
size_t tq_float_text(float value, char out[TQ_FLOAT_TEXT_MAX]);

#endif
