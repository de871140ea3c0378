/* model.h: the schemas tenantq-admin was given, as the runtime's collection
 * descriptors, plus the registry and client it works through. */
#ifndef TQ_ADMIN_MODEL_H
#define TQ_ADMIN_MODEL_H

#include "schema.h"

#include <tenantq/raw.h>

#include <stdio.h>

/* Exit codes of every command. */
#define ADM_EXIT_OK 0
#define ADM_EXIT_FAIL 1
#define ADM_EXIT_USAGE 2

typedef struct adm_schema_file {
    char *path;
    char sha256[65];
    tq_schema_t *schema;
} adm_schema_file_t;

typedef struct adm_env {
    adm_schema_file_t *files;
    size_t file_count;
    tq_raw_collection_t *collections; /* every collection of every schema, in file order */
    size_t collection_count;
    const char *registry_path;
    tq_registry_t *registry;
    tq_client_t *client;
    FILE *out;
    FILE *err;
} adm_env_t;

/* Loads every schema (diagnostics go to env->err), builds the descriptors, loads the
 * registry and opens the client. Returns ADM_EXIT_OK or ADM_EXIT_FAIL (message
 * printed). */
int adm_env_open(adm_env_t *env, const char *const *schemas, size_t schema_count,
                 const char *registry_path);

/* Reloads the registry and reopens the client after the file changed. */
int adm_env_reload(adm_env_t *env);

void adm_env_close(adm_env_t *env);

/* Prints "tenantq-admin: error: WHAT: MESSAGE (TQ_NAME)" for a failed call. */
void adm_fail(const adm_env_t *env, const char *what, tq_status_t status,
              const tq_detail_t *detail);

/* Makes the context of a tenant the registry lists; prints the error and returns NULL
 * otherwise. */
tenant_ctx_t *adm_tenant(const adm_env_t *env, const char *tenant);

/* The current UTC time as RFC 3339 ("2026-12-04T19:00:00Z"). */
void adm_now_rfc3339(char out[32]);

#endif
