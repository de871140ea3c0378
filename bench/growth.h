/* growth.h: `tenantq-bench growth`, the probe's growth curves. */
#ifndef TQ_BENCH_GROWTH_H
#define TQ_BENCH_GROWTH_H

/* argv[0] is "growth". Returns the process exit status. */
int growth_main(int argc, char **argv);

#endif
