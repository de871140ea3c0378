/* float_text.c: printing vector floats for upsert bodies.
 *
 * Vectors dominate the bytes and the CPU time of an upsert, and snprintf("%.9g") costs
 * about half a microsecond per float. Nine significant digits always identify a
 * float32; this prints them with integer arithmetic. The digits come from one or two
 * double multiplications, so the ninth digit can be off by one from the correctly
 * rounded one; that error (at most 1.5e-8 relative) stays below half a float ulp
 * (at least 2.98e-8 relative), so the text still reads back as the same float. The
 * unit test checks that round trip over hundreds of thousands of values. */
#include "float_text.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static const double exact_pow10[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* value * 10^k for |k| up to about 60, with at most two roundings. */
static double scale_pow10(double value, int k)
{
    while (k > 22) {
        value *= exact_pow10[22];
        k -= 22;
    }
    while (k < -22) {
        value /= exact_pow10[22];
        k += 22;
    }
    return k >= 0 ? value * exact_pow10[k] : value / exact_pow10[-k];
}

/* Writes `n` in decimal, most significant digit first; returns the digit count. */
static size_t put_uint(char *out, unsigned n)
{
    char tmp[12];
    size_t len = 0;
    do {
        tmp[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    for (size_t i = 0; i < len; i++)
        out[i] = tmp[len - 1 - i];
    return len;
}

size_t tq_float_text(float value, char out[TQ_FLOAT_TEXT_MAX])
{
    double d = value;
    if (d == 0) {
        out[0] = '0';
        return 1;
    }
    size_t len = 0;
    if (d < 0) {
        out[len++] = '-';
        d = -d;
    }
    /* Nine digits m = d * 10^(8 - e10), with e10 the exponent of the first digit. */
    int e10 = (int)floor(log10(d));
    double scaled = scale_pow10(d, 8 - e10);
    if (scaled < 1e8 - 0.5) { /* log10 rounded up across a power of ten */
        e10--;
        scaled = scale_pow10(d, 8 - e10);
    }
    uint64_t m = (uint64_t)(scaled + 0.5);
    if (m >= 1000000000u) { /* rounding carried into a tenth digit */
        m = (m + 5) / 10;
        e10++;
    }
    char digits[9];
    put_uint(digits, (unsigned)m);
    size_t nd = 9;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;

    if (e10 >= 0 && e10 < 9) { /* ddd or ddd.ddd */
        size_t int_digits = (size_t)e10 + 1;
        for (size_t i = 0; i < int_digits; i++)
            out[len++] = i < nd ? digits[i] : '0';
        if (nd > int_digits) {
            out[len++] = '.';
            memcpy(out + len, digits + int_digits, nd - int_digits);
            len += nd - int_digits;
        }
    } else if (e10 < 0 && e10 >= -4) { /* 0.000ddd */
        out[len++] = '0';
        out[len++] = '.';
        for (int i = -1; i > e10; i--)
            out[len++] = '0';
        memcpy(out + len, digits, nd);
        len += nd;
    } else { /* d.ddde-XX */
        out[len++] = digits[0];
        if (nd > 1) {
            out[len++] = '.';
            memcpy(out + len, digits + 1, nd - 1);
            len += nd - 1;
        }
        out[len++] = 'e';
        if (e10 < 0) {
            out[len++] = '-';
            e10 = -e10;
        }
        len += put_uint(out + len, (unsigned)e10);
    }
    return len;
}
