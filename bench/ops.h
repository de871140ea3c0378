/* ops.h: `tenantq-bench ops`, the latency of every operation and probe kind. */
#ifndef TQ_BENCH_OPS_H
#define TQ_BENCH_OPS_H

/* argv[0] is "ops". Returns the process exit status. */
int ops_main(int argc, char **argv);

#endif
