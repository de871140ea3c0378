/* rule_tq005_symbol_lookup.c: TQ005, strings naming a raw-layer symbol.
 *
 * A string whose whole value is a tq_raw_* identifier (optionally built with printf
 * conversions, "tq_raw_%s") can only serve to look the symbol up at run time with
 * dlsym or dlvsym, which no compile-time reference would show. Strings that merely
 * mention one inside a sentence are not findings. */
#include "analyze.h"

#include <ctype.h>
#include <string.h>

void tqc_tq005_string(tqc_tu_t *t, CXCursor c, const char *value)
{
    if (strncmp(value, "tq_raw_", 7) != 0) {
        return;
    }
    for (const char *p = value; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '%' && *p != '.' && *p != '*') {
            return;
        }
    }
    tqc_loc_t loc;
    if (tqc_cursor_loc(t, c, &loc)) {
        tqc_report(t, TQC_TQ005, &loc,
                   "string names raw-layer symbol '%s'; looking it up with dlsym/dlvsym "
                   "bypasses the raw-layer rule", value);
    }
}
