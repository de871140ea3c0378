/* faults.h: seeded fault injection for point requests (--fault-*). */
#ifndef DS_FAULTS_H
#define DS_FAULTS_H

#include <pthread.h>
#include <stdint.h>

#include "server.h"

typedef enum { DS_FAULT_NONE, DS_FAULT_503, DS_FAULT_DROP } ds_fault_t;

typedef struct ds_faults {
    double rate, drop;
    int delay_ms;
    uint64_t state;
    pthread_mutex_t mu;
} ds_faults_t;

void ds_faults_init(ds_faults_t *f, const ds_config_t *config);
void ds_faults_destroy(ds_faults_t *f);
/* Applies the delay and draws the fault for one point request. */
ds_fault_t ds_faults_draw(ds_faults_t *f);

#endif
