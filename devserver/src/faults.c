/* faults.c: fault injection for reliability tests, off unless a --fault-* flag is set.
 * Draws come from one seeded xorshift generator under a mutex, so a given seed and
 * request order reproduce the same faults. Only the dispatcher calls this, and only
 * for /points requests.
 */
#include "faults.h"

#include <time.h>

void ds_faults_init(ds_faults_t *f, const ds_config_t *config)
{
    f->rate = config->fault_rate;
    f->drop = config->fault_drop;
    f->delay_ms = config->fault_delay_ms;
    f->state = config->fault_seed ? config->fault_seed : 0x2545F4914F6CDD1Dull;
    pthread_mutex_init(&f->mu, NULL);
}

void ds_faults_destroy(ds_faults_t *f)
{
    pthread_mutex_destroy(&f->mu);
}

static double next_unit(ds_faults_t *f)
{
    uint64_t x = f->state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    f->state = x;
    return (double)(x >> 11) / 9007199254740992.0;
}

ds_fault_t ds_faults_draw(ds_faults_t *f)
{
    if (f->delay_ms > 0) {
        struct timespec ts = {f->delay_ms / 1000, (long)(f->delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (f->rate <= 0 && f->drop <= 0)
        return DS_FAULT_NONE;
    pthread_mutex_lock(&f->mu);
    double a = next_unit(f), b = next_unit(f);
    pthread_mutex_unlock(&f->mu);
    if (f->drop > 0 && a < f->drop)
        return DS_FAULT_DROP;
    if (f->rate > 0 && b < f->rate)
        return DS_FAULT_503;
    return DS_FAULT_NONE;
}
