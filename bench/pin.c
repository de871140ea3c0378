/* pin.c: keeps the comparison's clients on one core and their servers on another.
 *
 * Left to the scheduler on a small machine, a client and its server share a core in
 * one run and not in the next, and a wake-up across cores costs far more than one on
 * the same core (an interrupt between virtual CPUs): paired rounds then still differ by
 * up to 10% in their ratio. With the clients on one core and every server thread on
 * another, as a client and its database on machines of their own, the ratio repeats
 * to a few points. The two cores are the first two this process may run on (a
 * container's CPU set need not start at 0). It must never leave the caller pinned
 * after the comparison. */
#define _GNU_SOURCE
#include "bench.h"

#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

static cpu_set_t allowed; /* the calling thread's CPU set before bench_pin_cores */
static int allowed_saved;

int bench_pin_cores(int *client, int *server)
{
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
        return -1;
    allowed_saved = 1;
    int found[2], n = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && n < 2; cpu++) {
        if (CPU_ISSET(cpu, &allowed))
            found[n++] = cpu;
    }
    if (n < 2)
        return -1;
    *client = found[0];
    *server = found[1];
    return 0;
}

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
    if (allowed_saved)
        sched_setaffinity(0, sizeof allowed, &allowed);
}
