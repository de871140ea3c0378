/* pin.c: keeps the comparison's clients on one core and their servers on another.
 *
 * Left to the scheduler on a small machine, a client and its server share a core in
 * one run and not in the next, and a wake-up across cores costs far more than one on
 * the same core (an interrupt between virtual CPUs): paired rounds then still differ by
 * up to 10% in their ratio. With the client on core 0 and every server thread on core
 * 1, as a client and its database on machines of their own, the ratio repeats to about
 * 1%. It must never leave the caller pinned after the comparison. */
#define _GNU_SOURCE
#include "bench.h"

#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int bench_pin_process(int pid, int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pid == 0)
        return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : -1;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *dir = opendir(path);
    if (!dir)
        return -1;
    int rc = 0, threads = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        int tid = atoi(e->d_name);
        if (tid <= 0)
            continue;
        threads++;
        rc |= sched_setaffinity(tid, sizeof set, &set);
    }
    closedir(dir);
    return rc == 0 && threads > 0 ? 0 : -1;
}

void bench_unpin_self(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    for (long i = 0; i < cores && i < CPU_SETSIZE; i++)
        CPU_SET((int)i, &set);
    sched_setaffinity(0, sizeof set, &set);
}
