/* reqlog.c: one JSON object per request, flushed per line, so tests can prove what a
 * client sent (credential kind, JWT access claim, status, injected fault). Lines are
 * written under a mutex; a failed write is ignored because logging must never change
 * the response.
 */
#include "reqlog.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct ds_reqlog {
    FILE *f;
    pthread_mutex_t mu;
};

ds_reqlog_t *ds_reqlog_open(const char *path)
{
    ds_reqlog_t *log = calloc(1, sizeof *log);
    if (!log)
        return NULL;
    log->f = fopen(path, "a");
    if (!log->f) {
        free(log);
        return NULL;
    }
    pthread_mutex_init(&log->mu, NULL);
    return log;
}

void ds_reqlog_close(ds_reqlog_t *log)
{
    if (!log)
        return;
    fclose(log->f);
    pthread_mutex_destroy(&log->mu);
    free(log);
}

void ds_reqlog_write(ds_reqlog_t *log, const ds_request_t *req, const ds_access_t *access,
                     int status, const char *fault)
{
    if (!log)
        return;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    cJSON_AddStringToObject(o, "method", req->method ? req->method : "");
    cJSON_AddStringToObject(o, "path", req->path ? req->path : "");
    cJSON_AddStringToObject(o, "query", req->query ? req->query : "");
    cJSON_AddStringToObject(o, "credential", ds_cred_name(access->cred));
    if (access->jwt_access) {
        cJSON *acc = cJSON_Parse(access->jwt_access);
        if (acc)
            cJSON_AddItemToObject(o, "jwt_access", acc);
    }
    if (access->jwt_sub)
        cJSON_AddStringToObject(o, "jwt_sub", access->jwt_sub);
    cJSON_AddNumberToObject(o, "status", status);
    if (fault)
        cJSON_AddStringToObject(o, "fault", fault);
    char *line = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!line)
        return;
    pthread_mutex_lock(&log->mu);
    fputs(line, log->f);
    fputc('\n', log->f);
    fflush(log->f);
    pthread_mutex_unlock(&log->mu);
    free(line);
}
