/* unit_float_text.c: vector floats print as short JSON numbers that read back as the
 * very same float: fixed cases, every binade's edges, and a deterministic sweep over
 * random bit patterns. */
#include "test_common.h"

#include "float_text.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void text_of(float f, char *buf)
{
    size_t n = tq_float_text(f, buf);
    assert_true(n > 0 && n <= TQ_FLOAT_TEXT_MAX);
    buf[n] = '\0';
}

/* Fails unless the text of `f` parses back to `f` bit for bit. */
static void round_trips(float f)
{
    char buf[TQ_FLOAT_TEXT_MAX + 1];
    text_of(f, buf);
    char *end;
    float back = strtof(buf, &end);
    if (*end != '\0' || memcmp(&back, &f, sizeof f) != 0)
        fail_msg("%.9g printed as \"%s\", read back as %.9g", (double)f, buf, (double)back);
}

static void fixed_cases(void **state)
{
    (void)state;
    static const struct {
        float value;
        const char *text;
    } cases[] = {
        {0.0f, "0"},          {1.0f, "1"},         {-1.0f, "-1"},
        {0.5f, "0.5"},        {-0.25f, "-0.25"},   {10.0f, "10"},
        {123456789.0f, "123456792"}, {0.1f, "0.100000001"}, {1e-5f, "9.99999975e-6"},
        {0.001f, "0.00100000005"}, {3.0e9f, "3e9"}, {-2.5e-30f, "-2.50000001e-30"},
    };
    char buf[TQ_FLOAT_TEXT_MAX + 1];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        text_of(cases[i].value, buf);
        assert_string_equal(buf, cases[i].text);
    }
    text_of(-0.0f, buf);
    assert_string_equal(buf, "0");
}

static void edges_round_trip(void **state)
{
    (void)state;
    round_trips(FLT_MAX);
    round_trips(-FLT_MAX);
    round_trips(FLT_MIN);
    round_trips(FLT_TRUE_MIN);
    round_trips(nextafterf(FLT_MIN, 0));
    for (int e = -149; e <= 127; e++) {
        float p = ldexpf(1.0f, e);
        round_trips(p);
        round_trips(nextafterf(p, 0));
        round_trips(nextafterf(p, INFINITY));
    }
    for (int k = -45; k <= 38; k++) {
        float p = (float)pow(10.0, k);
        if (p != 0 && isfinite(p)) {
            round_trips(p);
            round_trips(nextafterf(p, 0));
            round_trips(nextafterf(p, INFINITY));
        }
    }
}

static void random_bits_round_trip(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 400000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint32_t bits = (uint32_t)x;
        float f;
        memcpy(&f, &bits, sizeof f);
        if (isfinite(f))
            round_trips(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixed_cases),
        cmocka_unit_test(edges_round_trip),
        cmocka_unit_test(random_bits_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
