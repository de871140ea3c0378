/* main.c: tenantq-probe, the live cross-tenant leakage probe and per-tenant benchmark,
 * over its built-in generated client (probe/probe.tqs.in at the --dim chosen).
 *
 * Everything after choosing the client is the shared driver (driver.c), which the
 * probe executables of users' schemas run too. Exit status: 0 every probe ran with
 * zero leaks and every check held, 1 a leak or failed check, 2 a set-up error. */
#include <stdio.h>

#include "driver.h"

int main(int argc, char **argv)
{
    probe_options_t opt;
    int parsed = cli_parse(argc, argv, &opt);
    if (parsed != 0)
        return parsed > 0 ? EXIT_CLEAN : EXIT_SETUP;

    const probe_api_t *api = probe_api_for_dim(opt.dim);
    if (!api) {
        char dims[256];
        probe_api_dims(dims, sizeof dims);
        fprintf(stderr,
                "tenantq-probe: error: no client was generated for --dim %u (built for: %s; "
                "add dimensions with -DTENANTQ_PROBE_DIMS at configure time)\n",
                (unsigned)opt.dim, dims);
        return EXIT_SETUP;
    }
    const probe_target_t target = {api, 0, 0};
    return probe_drive(&opt, &target, 1);
}
