/* model.c: turning the .tqs files given on the command line into the runtime's
 * collection descriptors (exactly as tenantq-gen lays them out in generated code,
 * fields, revision and schema version included, so fingerprints agree), and
 * opening the registry and client every command works through.
 *
 * The descriptors must match generated code field for field: the physical collection
 * names, the indexes onboard creates and the names the offboard sweep looks for all
 * derive from them. */
#include "model.h"

#include "fileio.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCHEMA_FILE_MAX (1024u * 1024u)

static tq_field_type_t index_type(tq_schema_type_t type)
{
    switch (type) {
    case TQ_SCHEMA_TEXT: return TQ_FIELD_TEXT;
    case TQ_SCHEMA_INTEGER:
    case TQ_SCHEMA_INTEGER_ARRAY: return TQ_FIELD_INTEGER;
    case TQ_SCHEMA_FLOAT: return TQ_FIELD_FLOAT;
    case TQ_SCHEMA_BOOL: return TQ_FIELD_BOOL;
    case TQ_SCHEMA_DATETIME: return TQ_FIELD_DATETIME;
    case TQ_SCHEMA_UUID: return TQ_FIELD_UUID;
    default: return TQ_FIELD_KEYWORD;
    }
}

void adm_fail(const adm_env_t *env, const char *what, tq_status_t status,
              const tq_detail_t *detail)
{
    fprintf(env->err, "tenantq-admin: error: %s: %s (%s)\n", what,
            detail && detail->message[0] ? detail->message : tq_strerror(status),
            tq_status_name(status));
}

void adm_now_rfc3339(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Fills one descriptor from a schema collection; 0, or -1 when out of memory. */
static int describe(const tq_schema_t *s, const tq_schema_collection_t *c,
                    tq_raw_collection_t *d)
{
    memset(d, 0, sizeof *d);
    d->schema = s->name;
    d->name = c->name;
    d->vector_name = c->vector_name;
    d->dim = (uint32_t)c->dim;
    d->distance = (tq_distance_t)c->distance;
    d->default_placement = (tq_placement_t)c->placement;
    if (c->scope_count) {
        const char **scopes = calloc(c->scope_count, sizeof *scopes);
        if (!scopes)
            return -1;
        for (size_t i = 0; i < c->scope_count; i++)
            scopes[i] = c->scopes[i].name;
        d->scope_fields = scopes;
        d->scope_count = c->scope_count;
    }
    /* What the collection's fingerprint is made of, exactly as generated code declares
     * it (docs/migrations.md), so onboarding here stamps and compares the same shape. */
    d->schema_version = (uint32_t)s->version;
    d->revision = (uint32_t)c->revision;
    if (c->field_count) {
        tq_raw_field_t *fields = calloc(c->field_count, sizeof *fields);
        if (!fields)
            return -1;
        for (size_t i = 0; i < c->field_count; i++) {
            fields[i].name = c->fields[i].name;
            fields[i].type = tq_schema_type_name(c->fields[i].type);
            fields[i].indexed = c->fields[i].indexed != 0;
            fields[i].was = c->fields[i].was;
        }
        d->fields = fields;
        d->field_count = c->field_count;
    }
    size_t n = 0;
    for (size_t i = 0; i < c->field_count; i++)
        n += c->fields[i].indexed != 0;
    if (n) {
        tq_raw_index_t *idx = calloc(n, sizeof *idx);
        if (!idx)
            return -1;
        n = 0;
        for (size_t i = 0; i < c->field_count; i++) {
            if (!c->fields[i].indexed)
                continue;
            idx[n].field = c->fields[i].name;
            idx[n].type = index_type(c->fields[i].type);
            n++;
        }
        d->indexes = idx;
        d->index_count = n;
    }
    /* Hybrid retrieval, as emit_retrieval.c writes it: onboarding (and so migrate's
     * prepare step) creates the BM25 sparse vector (modifier idf) from these, so the
     * points copied into a target keep their sparse vectors. */
    if (c->has_sparse) {
        const char **sparse = calloc(c->sparse_field_count ? c->sparse_field_count : 1,
                                     sizeof *sparse);
        if (!sparse)
            return -1;
        for (size_t i = 0; i < c->sparse_field_count; i++)
            sparse[i] = c->sparse_fields[i].name;
        d->sparse_name = c->sparse_name;
        d->sparse_fields = sparse;
        d->sparse_field_count = c->sparse_field_count;
        d->fusion = c->fusion == TQ_SCHEMA_FUSION_DBSF ? TQ_FUSION_DBSF : TQ_FUSION_RRF;
    }
    d->group_field = c->group_field;
    return 0;
}

/* Loads one schema file into env->files[env->file_count]. */
static int load_schema(adm_env_t *env, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    tq_detail_t d;
    tq_status_t st = adm_file_read(path, SCHEMA_FILE_MAX, &text, &len, &d);
    if (st != TQ_OK) {
        adm_fail(env, "reading the schema", st, &d);
        return ADM_EXIT_FAIL;
    }
    adm_schema_file_t *f = &env->files[env->file_count];
    tq_schema_diags_t diags;
    memset(&diags, 0, sizeof diags);
    tq_schema_t *schema = NULL;
    tq_schema_status_t ss = tq_schema_load(text, len, NULL, &schema, &diags);
    if (ss != TQ_SCHEMA_OK || diags.errors) {
        char *rendered = NULL;
        if (tq_schema_diags_render(&diags, path, text, len, &rendered) == TQ_SCHEMA_OK) {
            fputs(rendered, env->err);
            tq_schema_text_free(&diags, rendered);
        }
        fprintf(env->err, "tenantq-admin: error: %s: the schema does not load\n", path);
        tq_schema_diags_free(&diags);
        tq_schema_free(schema);
        free(text);
        return ADM_EXIT_FAIL;
    }
    tq_schema_diags_free(&diags);
    int hashed = adm_sha256_hex(text, len, f->sha256);
    free(text);
    f->schema = schema;
    f->path = strdup(path);
    env->file_count++;
    if (hashed != 0 || !f->path) {
        fprintf(env->err, "tenantq-admin: error: %s: out of memory\n", path);
        return ADM_EXIT_FAIL;
    }
    for (size_t i = 0; i < env->file_count - 1; i++) {
        if (strcmp(env->files[i].schema->name, schema->name) == 0) {
            fprintf(env->err, "tenantq-admin: error: %s: schema \"%s\" is also given by %s\n",
                    path, schema->name, env->files[i].path);
            return ADM_EXIT_FAIL;
        }
    }
    return ADM_EXIT_OK;
}

static int open_client(adm_env_t *env)
{
    tq_detail_t d;
    tq_status_t st = tq_registry_load(env->registry_path, &env->registry, &d);
    if (st != TQ_OK) {
        adm_fail(env, "loading the registry", st, &d);
        return ADM_EXIT_FAIL;
    }
    tq_client_options_t opts;
    tq_client_options_init(&opts);
    st = tq_client_new(env->registry, &opts, &env->client, &d);
    if (st != TQ_OK) {
        adm_fail(env, "opening the client", st, &d);
        return ADM_EXIT_FAIL;
    }
    return ADM_EXIT_OK;
}

int adm_env_open(adm_env_t *env, const char *const *schemas, size_t schema_count,
                 const char *registry_path)
{
    env->registry_path = registry_path;
    env->files = calloc(schema_count, sizeof *env->files);
    if (!env->files) {
        fprintf(env->err, "tenantq-admin: error: out of memory\n");
        return ADM_EXIT_FAIL;
    }
    size_t total = 0;
    for (size_t i = 0; i < schema_count; i++) {
        int rc = load_schema(env, schemas[i]);
        if (rc != ADM_EXIT_OK)
            return rc;
        total += env->files[i].schema->collection_count;
    }
    env->collections = calloc(total ? total : 1, sizeof *env->collections);
    if (!env->collections) {
        fprintf(env->err, "tenantq-admin: error: out of memory\n");
        return ADM_EXIT_FAIL;
    }
    for (size_t i = 0; i < env->file_count; i++) {
        const tq_schema_t *s = env->files[i].schema;
        for (size_t c = 0; c < s->collection_count; c++) {
            if (describe(s, &s->collections[c], &env->collections[env->collection_count++]) !=
                0) {
                fprintf(env->err, "tenantq-admin: error: out of memory\n");
                return ADM_EXIT_FAIL;
            }
        }
    }
    return open_client(env);
}

int adm_env_reload(adm_env_t *env)
{
    tq_client_free(env->client);
    tq_registry_free(env->registry);
    env->client = NULL;
    env->registry = NULL;
    return open_client(env);
}

void adm_env_close(adm_env_t *env)
{
    tq_client_free(env->client);
    tq_registry_free(env->registry);
    for (size_t i = 0; i < env->collection_count; i++) {
        free((void *)env->collections[i].scope_fields);
        free((void *)env->collections[i].indexes);
        free((void *)env->collections[i].fields);
        free((void *)env->collections[i].sparse_fields);
    }
    free(env->collections);
    for (size_t i = 0; i < env->file_count; i++) {
        free(env->files[i].path);
        tq_schema_free(env->files[i].schema);
    }
    free(env->files);
    memset(env, 0, sizeof *env);
}

tenant_ctx_t *adm_tenant(const adm_env_t *env, const char *tenant)
{
    tenant_ctx_t *ctx = NULL;
    tq_detail_t d;
    tq_status_t st = tq_ctx_new(env->client, tenant, &ctx, &d);
    if (st != TQ_OK) {
        char what[128];
        snprintf(what, sizeof what, "tenant \"%.64s\"", tenant);
        adm_fail(env, what, st, &d);
        return NULL;
    }
    return ctx;
}
