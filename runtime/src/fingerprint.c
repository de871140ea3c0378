/* fingerprint.c: the schema fingerprint in each collection's metadata, and the check
 * that refuses a collection whose stored points mean something else than the schema
 * says (TQ_ESCHEMA), before any data is read or written.
 *
 * Onboarding writes the metadata (tq_schema, tq_schema_version, tq_collection,
 * tq_revision, tq_fingerprint, tq_shape, tq_version; keys outside the tq_ prefix are
 * the application's and never touched). Onboarding an existing collection, and the
 * first data call per physical collection and client, read the collection's config and
 * metadata and compare them with the descriptor: the vector (name, size, distance) and
 * the declared sparse vector (name, modifier idf) as the server reports them, then the
 * recorded shape (shape.c) property by property. What
 * may change without touching stored points (a field or index added, a declared
 * rename) passes, and onboarding re-stamps; anything else is refused with a message
 * naming the collection, the property, both values and the fix. The rules are in
 * docs/migrations.md. Server answers are untrusted: sizes are bounded and malformed
 * metadata is a refusal, never a pass. */
#include "fingerprint.h"

#include "alloc.h"
#include "detail.h"
#include "json.h"
#include "shape.h"
#include "text.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

static const char *const FIELD_TYPES[] = {"keyword", "text",     "integer",   "float",    "bool",
                                          "datetime", "uuid", "keyword[]", "integer[]"};

/* Descriptor limits (the schema language allows 128 fields; leave room). */
#define MAX_FIELDS 1024
/* Largest tq_shape text accepted from a server. */
#define MAX_SHAPE_TEXT (256 * 1024)

static int type_known(const char *type)
{
    for (size_t i = 0; type && i < sizeof FIELD_TYPES / sizeof *FIELD_TYPES; i++)
        if (strcmp(type, FIELD_TYPES[i]) == 0)
            return 1;
    return 0;
}

tq_status_t tq_fields_check(const tq_raw_collection_t *c, tq_detail_t *detail)
{
    if ((c->field_count && !c->fields) || c->field_count > MAX_FIELDS)
        return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: bad field list", c->schema,
                       c->name);
    for (size_t i = 0; i < c->field_count; i++) {
        const tq_raw_field_t *f = &c->fields[i];
        if (!tq_text_field_name(f->name) || !type_known(f->type) ||
            (f->was && (!tq_text_field_name(f->was) || strcmp(f->was, f->name) == 0)))
            return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: bad field declaration",
                           c->schema, c->name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(f->name, c->fields[j].name) == 0)
                return tq_fail(detail, TQ_EINVAL, 0, "collection %s.%s: field %s listed twice",
                               c->schema, c->name, f->name);
    }
    return TQ_OK;
}

static uint32_t revision_of(const tq_raw_collection_t *c)
{
    return c->revision ? c->revision : 1;
}

/* The shape text of `c` in a tq_malloc'd string (*out), or TQ_ENOMEM. */
static tq_status_t shape_alloc(const tq_raw_collection_t *c, char **out, tq_detail_t *detail)
{
    size_t len = tq_shape_text(c, NULL, 0);
    char *text = tq_malloc(len + 1);
    if (!text)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    tq_shape_text(c, text, len + 1);
    *out = text;
    return TQ_OK;
}

static tq_status_t digest_of(const char *text, char digest[TQ_FINGERPRINT_LEN + 1],
                             tq_detail_t *detail)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (EVP_Digest(text, strlen(text), md, &md_len, EVP_sha256(), NULL) != 1 || md_len != 32)
        return tq_fail(detail, TQ_ECRYPTO, 0, "SHA-256 failed");
    memcpy(digest, "sha256:", 7);
    for (unsigned i = 0; i < md_len; i++)
        snprintf(digest + 7 + 2 * i, 3, "%02x", md[i]);
    return TQ_OK;
}

tq_status_t tq_raw_fingerprint(const tq_raw_collection_t *collection, char *text,
                               size_t text_size, char digest[TQ_FINGERPRINT_LEN + 1],
                               tq_detail_t *detail)
{
    if (!digest || (text_size && !text))
        return tq_fail(detail, TQ_EINVAL, 0, "NULL argument");
    tq_status_t st = tq_collection_check(collection, detail);
    char *shape = NULL;
    if (st == TQ_OK)
        st = shape_alloc(collection, &shape, detail);
    if (st == TQ_OK) {
        size_t len = strlen(shape);
        if (text && text_size <= len)
            st = tq_fail(detail, TQ_ELIMIT, 0, "the shape text needs %zu bytes", len + 1);
        else if (text)
            memcpy(text, shape, len + 1);
    }
    if (st == TQ_OK)
        st = digest_of(shape, digest, detail);
    tq_free(shape);
    if (st == TQ_OK)
        tq_detail_ok(detail);
    return st;
}

cJSON *tq_fingerprint_metadata(const tq_raw_collection_t *c)
{
    char digest[TQ_FINGERPRINT_LEN + 1];
    char *shape = NULL;
    cJSON *m = NULL;
    if (shape_alloc(c, &shape, NULL) != TQ_OK || digest_of(shape, digest, NULL) != TQ_OK)
        goto done;
    m = cJSON_CreateObject();
    if (!m || !cJSON_AddStringToObject(m, "tq_schema", c->schema) ||
        !cJSON_AddNumberToObject(m, "tq_schema_version", c->schema_version) ||
        !cJSON_AddStringToObject(m, "tq_collection", c->name) ||
        !cJSON_AddNumberToObject(m, "tq_revision", revision_of(c)) ||
        !cJSON_AddStringToObject(m, "tq_fingerprint", digest) ||
        !cJSON_AddStringToObject(m, "tq_shape", shape) ||
        !cJSON_AddStringToObject(m, "tq_version", TQ_VERSION_STRING)) {
        cJSON_Delete(m);
        m = NULL;
    }
done:
    tq_free(shape);
    return m;
}

/* ---- the recorded shape ---------------------------------------------------------- */

typedef struct stored_field {
    const char *name;
    const char *type;
    int indexed;
} stored_field_t;

/* A tq_shape text split into its parts; every string points into `copy`. */
typedef struct stored_shape {
    char *copy;
    const char *vector;
    const char *dim;
    const char *distance;
    char scopes[512]; /* "a,b" in order, for messages and comparison */
    const char *sparse;          /* the sparse vector's name, or NULL when none recorded */
    const char *sparse_modifier; /* "idf" */
    const char *sparse_fields;   /* "a,b" in order */
    stored_field_t *fields;
    size_t field_count;
} stored_shape_t;

static void stored_free(stored_shape_t *s)
{
    tq_free(s->copy);
    tq_free(s->fields);
    memset(s, 0, sizeof *s);
}

/* Splits `line` at single spaces into at most `max` words; returns the count. */
static size_t split_words(char *line, char **words, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (*p && n < max) {
        words[n++] = p;
        char *sp = strchr(p, ' ');
        if (!sp)
            break;
        *sp = '\0';
        p = sp + 1;
    }
    return n;
}

/* Parses a tq_shape text; 0 on success, -1 when malformed, -2 when out of memory. */
static int stored_parse(const char *text, stored_shape_t *out)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(text), lines = 0;
    if (len > MAX_SHAPE_TEXT)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\n' && (text[i] < 0x20 || text[i] > 0x7e))
            return -1; /* names in messages stay printable */
        lines += text[i] == '\n';
    }
    out->copy = tq_strdup(text);
    out->fields = tq_calloc(lines + 1, sizeof *out->fields);
    if (!out->copy || !out->fields) {
        stored_free(out);
        return -2;
    }
    char *line = out->copy;
    size_t n = 0;
    while (*line) {
        char *nl = strchr(line, '\n');
        if (!nl)
            goto bad;
        *nl = '\0';
        char *w[5];
        size_t words = split_words(line, w, 5);
        if (n == 0) {
            /* the words of TQ_SHAPE_HEADER */
            if (words != 2 || strcmp(w[0], "tenantq-shape") != 0 || strcmp(w[1], "1") != 0)
                goto bad;
        } else if (words == 4 && strcmp(w[0], "vector") == 0 && !out->vector) {
            out->vector = w[1];
            out->dim = w[2];
            out->distance = w[3];
        } else if (words == 2 && strcmp(w[0], "scope") == 0) {
            size_t used = strlen(out->scopes);
            if (used + strlen(w[1]) + 2 > sizeof out->scopes)
                goto bad;
            snprintf(out->scopes + used, sizeof out->scopes - used, "%s%s", used ? "," : "",
                     w[1]);
        } else if (words == 4 && strcmp(w[0], "sparse") == 0 && !out->sparse) {
            out->sparse = w[1];
            out->sparse_modifier = w[2];
            out->sparse_fields = w[3];
        } else if ((words == 3 || (words == 4 && strcmp(w[3], "indexed") == 0)) &&
                   strcmp(w[0], "field") == 0) {
            stored_field_t *f = &out->fields[out->field_count++];
            f->name = w[1];
            f->type = w[2];
            f->indexed = words == 4;
        } else {
            goto bad;
        }
        n++;
        line = nl + 1;
    }
    if (n == 0 || !out->vector)
        goto bad;
    return 0;
bad:
    stored_free(out);
    return -1;
}

/* ---- comparison --------------------------------------------------------------- */

/* What a comparison found. */
typedef struct verdict {
    int stamp; /* onboarding should write the schema's fingerprint */
} verdict_t;

/* The fix for a change of meaning: a new revision keeps old and new points apart. */
static void fix_revision(const tq_raw_collection_t *c, char *out, size_t cap)
{
    snprintf(out, cap,
             "to store the new shape, declare 'collection %s revision %lu' in the schema, "
             "regenerate, run %s_onboard_tenant and write the points again (docs/migrations.md)",
             c->name, (unsigned long)revision_of(c) + 1, c->schema);
}

/* Reports a change of meaning: collection, property, both values, fix. */
static tq_status_t drift(const tq_op_call_t *call, const char *property, const char *server,
                         const char *schema, const char *fix, tq_detail_t *detail)
{
    return tq_fail(detail, TQ_ESCHEMA, 0,
                   "collection %s: %s is %s on the server but %s in schema %s; %s",
                   call->route.collection, property, server, schema, call->collection->schema,
                   fix);
}

/* Compares the vector the server reports (config.params.vectors) with the descriptor. */
static tq_status_t compare_vector(const tq_op_call_t *call, const cJSON *result, const char *fix,
                                  tq_detail_t *detail)
{
    const tq_raw_collection_t *c = call->collection;
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(result, "config");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(config, "params");
    const cJSON *vectors = cJSON_GetObjectItemCaseSensitive(params, "vectors");
    if (!cJSON_IsObject(vectors))
        return tq_fail(detail, TQ_EPROTO, 0,
                       "collection %s: the collection info has no config.params.vectors",
                       call->route.collection);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(vectors, c->vector_name);
    char property[128], server[160], schema[96];
    snprintf(property, sizeof property, "vector '%s'", c->vector_name);
    if (!cJSON_IsObject(v)) {
        int unnamed = cJSON_GetObjectItemCaseSensitive(vectors, "size") != NULL;
        const char *other = !unnamed && vectors->child && vectors->child->string
                                ? vectors->child->string
                                : NULL;
        char name[80];
        tq_text_sanitize(name, sizeof name, other ? other : "", other ? strlen(other) : 0);
        if (other)
            snprintf(server, sizeof server, "absent (the collection's vector is '%s')", name);
        else
            snprintf(server, sizeof server, "absent (%s)",
                     unnamed ? "the collection has an unnamed vector" : "it has no dense vector");
        snprintf(schema, sizeof schema, "declared");
        return drift(call, property, server, schema, fix, detail);
    }
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(v, "size");
    const cJSON *dist = cJSON_GetObjectItemCaseSensitive(v, "distance");
    if (!cJSON_IsNumber(size) || !cJSON_IsString(dist))
        return tq_fail(detail, TQ_EPROTO, 0, "collection %s: vector '%s' lacks size or distance",
                       call->route.collection, c->vector_name);
    if (size->valuedouble != (double)c->dim) {
        snprintf(property, sizeof property, "the dimension of vector '%s'", c->vector_name);
        snprintf(server, sizeof server, "%.0f", size->valuedouble);
        snprintf(schema, sizeof schema, "%u", (unsigned)c->dim);
        return drift(call, property, server, schema, fix, detail);
    }
    const char *want = tq_shape_distance_name(c->distance);
    if (strcmp(dist->valuestring, want) != 0) {
        snprintf(property, sizeof property, "the distance of vector '%s'", c->vector_name);
        tq_text_sanitize(server, 64, dist->valuestring, strlen(dist->valuestring));
        return drift(call, property, server, want, fix, detail);
    }
    return TQ_OK;
}

/* Compares the declared sparse vector with the server's config.params.sparse_vectors:
 * present under its name, with modifier idf (the BM25 scores depend on it). A sparse
 * vector the schema does not declare is left to the recorded shape. */
static tq_status_t compare_sparse(const tq_op_call_t *call, const cJSON *result, const char *fix,
                                  tq_detail_t *detail)
{
    const tq_raw_collection_t *c = call->collection;
    if (!c->sparse_name)
        return TQ_OK;
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(result, "config");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(config, "params");
    const cJSON *sparse = cJSON_GetObjectItemCaseSensitive(params, "sparse_vectors");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(sparse, c->sparse_name);
    char property[128], server[160];
    snprintf(property, sizeof property, "sparse vector '%s'", c->sparse_name);
    if (!cJSON_IsObject(v)) {
        const char *other = cJSON_IsObject(sparse) && sparse->child && sparse->child->string
                                ? sparse->child->string
                                : NULL;
        char name[80];
        tq_text_sanitize(name, sizeof name, other ? other : "", other ? strlen(other) : 0);
        if (other)
            snprintf(server, sizeof server, "absent (the collection's sparse vector is '%s')",
                     name);
        else
            snprintf(server, sizeof server, "absent");
        return drift(call, property, server, "declared", fix, detail);
    }
    const cJSON *modifier = cJSON_GetObjectItemCaseSensitive(v, "modifier");
    const char *have = cJSON_IsString(modifier) ? modifier->valuestring : "none";
    if (strcmp(have, TQ_SHAPE_SPARSE_MODIFIER) != 0) {
        snprintf(property, sizeof property, "the modifier of sparse vector '%s'",
                 c->sparse_name);
        tq_text_sanitize(server, 64, have, strlen(have));
        return drift(call, property, server, TQ_SHAPE_SPARSE_MODIFIER, fix, detail);
    }
    return TQ_OK;
}

static const tq_raw_field_t *schema_field(const tq_raw_collection_t *c, const char *name)
{
    for (size_t i = 0; i < c->field_count; i++)
        if (strcmp(c->fields[i].name, name) == 0)
            return &c->fields[i];
    return NULL;
}

static const tq_raw_field_t *renamed_from(const tq_raw_collection_t *c, const char *old)
{
    for (size_t i = 0; i < c->field_count; i++)
        if (c->fields[i].was && strcmp(c->fields[i].was, old) == 0)
            return &c->fields[i];
    return NULL;
}

/* Compares the recorded sparse vector (name, modifier, text fields in order) with the
 * descriptor: stored sparse vectors were computed from those fields, so any change is
 * refused, an added or a removed declaration alike. */
static tq_status_t compare_recorded_sparse(const tq_op_call_t *call, const stored_shape_t *s,
                                           const char *fix, tq_detail_t *detail)
{
    const tq_raw_collection_t *c = call->collection;
    char mine[512], theirs[512], property[160];
    mine[0] = '\0';
    for (size_t i = 0; c->sparse_name && i < c->sparse_field_count; i++) {
        size_t used = strlen(mine);
        snprintf(mine + used, sizeof mine - used, "%s%s", i ? "," : "", c->sparse_fields[i]);
    }
    if (!s->sparse && !c->sparse_name)
        return TQ_OK;
    if (!s->sparse || !c->sparse_name || strcmp(s->sparse, c->sparse_name) != 0) {
        if (s->sparse)
            snprintf(theirs, sizeof theirs, "'%.64s' (from %.256s)", s->sparse, s->sparse_fields);
        else
            snprintf(theirs, sizeof theirs, "absent");
        char want[600];
        if (c->sparse_name)
            snprintf(want, sizeof want, "'%s' (from %s)", c->sparse_name, mine);
        else
            snprintf(want, sizeof want, "absent");
        return drift(call, "the sparse vector", theirs, want, fix, detail);
    }
    snprintf(property, sizeof property, "the modifier of sparse vector '%s'", c->sparse_name);
    if (strcmp(s->sparse_modifier, TQ_SHAPE_SPARSE_MODIFIER) != 0) {
        snprintf(theirs, sizeof theirs, "%.16s", s->sparse_modifier);
        return drift(call, property, theirs, TQ_SHAPE_SPARSE_MODIFIER, fix, detail);
    }
    if (strcmp(s->sparse_fields, mine) != 0) {
        snprintf(property, sizeof property, "the text field list of sparse vector '%s'",
                 c->sparse_name);
        snprintf(theirs, sizeof theirs, "[%.256s]", s->sparse_fields);
        char want[520];
        snprintf(want, sizeof want, "[%s]", mine);
        return drift(call, property, theirs, want, fix, detail);
    }
    return TQ_OK;
}

/* Compares the recorded shape with the descriptor, property by property. `older` is
 * set when the stamp comes from a later version of the schema (this program runs an
 * older client): fields it does not know are then no refusal. */
static tq_status_t compare_shape(const tq_op_call_t *call, const stored_shape_t *s, int older,
                                 const char *fix, tq_detail_t *detail)
{
    const tq_raw_collection_t *c = call->collection;
    char property[160], mine[512], theirs[512];
    char dim[16];
    tq_status_t st;
    snprintf(dim, sizeof dim, "%u", (unsigned)c->dim);
    if (strcmp(s->vector, c->vector_name) != 0 || strcmp(s->dim, dim) != 0 ||
        strcmp(s->distance, tq_shape_distance_name(c->distance)) != 0) {
        snprintf(theirs, sizeof theirs, "'%.64s' (%.16s, %.16s)", s->vector, s->dim,
                 s->distance);
        snprintf(mine, sizeof mine, "'%s' (%s, %s)", c->vector_name, dim,
                 tq_shape_distance_name(c->distance));
        return drift(call, "the recorded vector", theirs, mine, fix, detail);
    }
    mine[0] = '\0';
    for (size_t i = 0; i < c->scope_count; i++) {
        size_t used = strlen(mine);
        snprintf(mine + used, sizeof mine - used, "%s%s", i ? "," : "", c->scope_fields[i]);
    }
    if (strcmp(mine, s->scopes) != 0) {
        snprintf(theirs, sizeof theirs, "[%s]", s->scopes);
        char want[520];
        snprintf(want, sizeof want, "[%s]", mine);
        return drift(call, "the scope set", theirs, want, fix, detail);
    }
    st = compare_recorded_sparse(call, s, fix, detail);
    if (st != TQ_OK)
        return st;
    for (size_t i = 0; i < s->field_count; i++) {
        const stored_field_t *sf = &s->fields[i];
        const tq_raw_field_t *f = schema_field(c, sf->name);
        const char *how = "";
        if (!f && (f = renamed_from(c, sf->name)) != NULL)
            how = " (renamed)";
        if (!f) {
            if (older)
                continue;
            snprintf(property, sizeof property, "field '%.64s'", sf->name);
            snprintf(theirs, sizeof theirs, "stored (%.16s)", sf->type);
            char fix2[768];
            snprintf(fix2, sizeof fix2,
                     "declare it again, rename it with 'field NEW: %.16s was %.64s;', or %s",
                     sf->type, sf->name, fix);
            return drift(call, property, theirs, "not declared", fix2, detail);
        }
        if (strcmp(sf->type, f->type) != 0) {
            snprintf(property, sizeof property, "the type of field '%s'%s", f->name, how);
            snprintf(theirs, sizeof theirs, "%.16s", sf->type);
            char fix2[768];
            snprintf(fix2, sizeof fix2,
                     "keep the type and add a field of the new type under a new name, or %s", fix);
            return drift(call, property, theirs, f->type, fix2, detail);
        }
    }
    return TQ_OK;
}

/* The comparison of one collection info answer `result` with the call's descriptor. */
static tq_status_t compare(const tq_op_call_t *call, const cJSON *result, verdict_t *v,
                           tq_detail_t *detail)
{
    const tq_raw_collection_t *c = call->collection;
    char fix[512], digest[TQ_FINGERPRINT_LEN + 1];
    fix_revision(c, fix, sizeof fix);
    memset(v, 0, sizeof *v);
    tq_status_t st = compare_vector(call, result, fix, detail);
    if (st == TQ_OK)
        st = compare_sparse(call, result, fix, detail);
    if (st != TQ_OK)
        return st;
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(result, "config");
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(config, "metadata");
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(meta, "tq_fingerprint");
    if (!fp) {
        v->stamp = 1; /* made before fingerprints; its vector matched: adopt it */
        return TQ_OK;
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(meta, "tq_schema");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(meta, "tq_collection");
    const cJSON *revision = cJSON_GetObjectItemCaseSensitive(meta, "tq_revision");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(meta, "tq_schema_version");
    const cJSON *shape = cJSON_GetObjectItemCaseSensitive(meta, "tq_shape");
    if (!cJSON_IsString(fp) || !cJSON_IsString(schema) || !cJSON_IsString(name) ||
        !cJSON_IsNumber(revision) || !cJSON_IsNumber(version) || !cJSON_IsString(shape))
        return tq_fail(detail, TQ_ESCHEMA, 0,
                       "collection %s: its tenantq metadata is incomplete or malformed; it was "
                       "not written by tenantq-gen's runtime (check with GET /collections/%s)",
                       call->route.collection, call->route.collection);
    char theirs[160], mine[160];
    if (strcmp(schema->valuestring, c->schema) != 0 || strcmp(name->valuestring, c->name) != 0) {
        char a[64], b[64];
        tq_text_sanitize(a, sizeof a, schema->valuestring, strlen(schema->valuestring));
        tq_text_sanitize(b, sizeof b, name->valuestring, strlen(name->valuestring));
        snprintf(theirs, sizeof theirs, "%s.%s", a, b);
        snprintf(mine, sizeof mine, "%s.%s", c->schema, c->name);
        return drift(call, "the owning schema collection", theirs, mine,
                     "a collection belongs to one schema collection; rename one of them", detail);
    }
    if (revision->valuedouble != (double)revision_of(c)) {
        snprintf(theirs, sizeof theirs, "%.0f", revision->valuedouble);
        snprintf(mine, sizeof mine, "%lu", (unsigned long)revision_of(c));
        return drift(call, "the revision", theirs, mine,
                     "each revision has collections of its own; check the collection names",
                     detail);
    }
    char *text = NULL;
    st = shape_alloc(c, &text, detail);
    if (st == TQ_OK)
        st = digest_of(text, digest, detail);
    tq_free(text);
    if (st != TQ_OK)
        return st;
    int older = version->valuedouble > (double)c->schema_version;
    if (strcmp(fp->valuestring, digest) == 0)
        return TQ_OK;
    stored_shape_t s;
    int rc = stored_parse(shape->valuestring, &s);
    if (rc == -2)
        return tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
    if (rc != 0)
        return tq_fail(detail, TQ_ESCHEMA, 0,
                       "collection %s: its recorded shape (metadata tq_shape) is malformed",
                       call->route.collection);
    st = compare_shape(call, &s, older, fix, detail);
    stored_free(&s);
    if (st == TQ_OK)
        v->stamp = !older; /* compatible; never stamp an older shape over a newer one */
    return st;
}

/* GET /collections/C, then compare. *found is 0 on 404 (then TQ_OK). */
static tq_status_t fetch_and_compare(tq_op_call_t *call, int admin, int *found, verdict_t *v,
                                     tq_detail_t *detail)
{
    tq_response_t resp = {0};
    cJSON *root = NULL;
    *found = 1;
    tq_status_t st =
        tq_op_send(call, TQ_REQ_COLLECTION_INFO, "GET", "", NULL, admin, &resp, detail);
    if (st == TQ_ENOTFOUND) {
        *found = 0;
        st = TQ_OK;
        goto cleanup;
    }
    if (st == TQ_OK)
        st = tq_json_parse_limited(resp.body, resp.len,
                                   call->client->options.max_json_depth, &root, detail);
    if (st != TQ_OK)
        goto cleanup;
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    if (!cJSON_IsObject(result)) {
        st = tq_fail(detail, TQ_EPROTO, 0, "collection %s: the collection info has no result",
                     call->route.collection);
        goto cleanup;
    }
    st = compare(call, result, v, detail);
cleanup:
    cJSON_Delete(root);
    tq_response_free(&resp);
    return st;
}

/* ---- the per-client table of verified collections -------------------------------- */

/* Buckets: a power of two of at least 4 per tenant (a tenant has one physical
 * collection per schema collection in the collection placement), 64 to 65536. */
#define VERIFIED_BUCKETS_MIN 64
#define VERIFIED_BUCKETS_MAX 65536

int tq_verified_init(tq_verified_set_t *set, size_t tenants)
{
    memset(set, 0, sizeof *set);
    pthread_mutex_init(&set->lock, NULL);
    size_t n = VERIFIED_BUCKETS_MIN;
    while (n < VERIFIED_BUCKETS_MAX && n / 4 < tenants)
        n *= 2;
    set->buckets = tq_calloc(n, sizeof *set->buckets);
    if (!set->buckets)
        return -1;
    for (size_t i = 0; i < n; i++)
        atomic_init(&set->buckets[i], NULL);
    set->mask = n - 1;
    return 0;
}

void tq_verified_destroy(tq_verified_set_t *set)
{
    for (size_t i = 0; set->buckets && i <= set->mask; i++) {
        tq_verified_node_t *n = atomic_load_explicit(&set->buckets[i], memory_order_relaxed);
        while (n) {
            tq_verified_node_t *next = atomic_load_explicit(&n->next, memory_order_relaxed);
            pthread_mutex_destroy(&n->check);
            tq_free(n);
            n = next;
        }
    }
    tq_free(set->buckets);
    set->buckets = NULL;
    pthread_mutex_destroy(&set->lock);
}

/* FNV-1a over the endpoint index and the collection name. */
static uint64_t verified_hash(size_t endpoint, const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)endpoint;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return h;
}

/* The node of (endpoint, name) in its chain, or NULL; safe without the set's lock (see
 * tq_verified_node_t: nodes are published fully written and never change). */
static tq_verified_node_t *verified_find(tq_verified_set_t *set, uint64_t hash, size_t endpoint,
                                         const char *name)
{
    tq_verified_node_t *n =
        atomic_load_explicit(&set->buckets[hash & set->mask], memory_order_acquire);
    for (; n; n = atomic_load_explicit(&n->next, memory_order_acquire)) {
        if (n->hash == hash && n->endpoint == endpoint && strcmp(n->name, name) == 0)
            return n;
    }
    return NULL;
}

/* The call's node, added (not yet verified) when absent; NULL only when out of memory,
 * and then the caller checks without caching (the next call checks again). */
static tq_verified_node_t *verified_node(const tq_op_call_t *call)
{
    tq_verified_set_t *set = &call->client->verified;
    uint64_t hash = verified_hash(call->endpoint, call->route.collection);
    tq_verified_node_t *n = verified_find(set, hash, call->endpoint, call->route.collection);
    if (n)
        return n;
    pthread_mutex_lock(&set->lock);
    n = verified_find(set, hash, call->endpoint, call->route.collection);
    if (!n && (n = tq_calloc(1, sizeof *n)) != NULL) {
        n->hash = hash;
        n->endpoint = call->endpoint;
        snprintf(n->name, sizeof n->name, "%s", call->route.collection);
        atomic_init(&n->verified, 0);
        pthread_mutex_init(&n->check, NULL);
        tq_verified_node_t *_Atomic *head = &set->buckets[hash & set->mask];
        atomic_init(&n->next, atomic_load_explicit(head, memory_order_relaxed));
        atomic_store_explicit(head, n, memory_order_release);
    }
    pthread_mutex_unlock(&set->lock);
    return n;
}

void tq_fingerprint_note(tq_op_call_t *call)
{
    tq_verified_node_t *n = verified_node(call);
    if (n)
        atomic_store_explicit(&n->verified, 1, memory_order_release);
}

tq_status_t tq_fingerprint_onboard(tq_op_call_t *call, tq_detail_t *detail)
{
    int found = 0;
    verdict_t v;
    tq_response_t resp = {0};
    cJSON *body = NULL;
    tq_status_t st = fetch_and_compare(call, 1, &found, &v, detail);
    if (st == TQ_OK && !found)
        st = tq_fail(detail, TQ_ENOTFOUND, 404, "collection %s vanished during onboarding",
                     call->route.collection);
    if (st == TQ_OK && v.stamp) {
        body = cJSON_CreateObject();
        cJSON *meta = tq_fingerprint_metadata(call->collection);
        if (!body || !meta || !cJSON_AddItemToObject(body, "metadata", meta)) {
            cJSON_Delete(meta);
            st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        } else {
            st = tq_op_send(call, TQ_REQ_COLLECTION_UPDATE, "PATCH", "?timeout=60", body, 1,
                            &resp, detail);
        }
    }
    if (st == TQ_OK)
        tq_fingerprint_note(call);
    cJSON_Delete(body);
    tq_response_free(&resp);
    return st;
}

tq_status_t tq_fingerprint_verify(tq_op_call_t *call, tq_detail_t *detail)
{
    /* The hot path: one hash, one chain walk and an acquire load, no lock. */
    tq_verified_node_t *n = verified_node(call);
    if (n && atomic_load_explicit(&n->verified, memory_order_acquire))
        return TQ_OK;
    if (n)
        pthread_mutex_lock(&n->check);
    int found = 0;
    verdict_t v;
    tq_status_t st = TQ_OK;
    /* A call that waited on `check` finds the comparison done by the one before it. */
    if (!n || !atomic_load_explicit(&n->verified, memory_order_acquire)) {
        st = fetch_and_compare(call, 0, &found, &v, detail);
        if (st == TQ_OK && found && n)
            atomic_store_explicit(&n->verified, 1, memory_order_release);
    }
    if (n)
        pthread_mutex_unlock(&n->check);
    return st;
}

/* ---- default placement changes ----------------------------------------------- */

/* Whether the tenant has points in collection `name` of the other placement: for a
 * per-tenant collection, that it exists; for the shared one, an exact count of the
 * tenant's points when the collection exists. */
static tq_status_t other_placement_holds(const tq_op_call_t *call, const char *name,
                                         tq_placement_t other, int *holds, tq_detail_t *detail)
{
    tq_op_call_t probe = *call;
    tq_response_t resp = {0};
    cJSON *body = NULL;
    tq_status_t st;
    snprintf(probe.route.collection, sizeof probe.route.collection, "%s", name);
    probe.route.placement = other;
    int exists = 0;
    *holds = 0;
    st = tq_op_send(&probe, TQ_REQ_COLLECTION_EXISTS, "GET", "/exists", NULL, 1, &resp, detail);
    if (st == TQ_OK)
        st = tq_exists_parse(resp.body, resp.len, call->client->options.max_json_depth,
                             &exists, detail);
    tq_response_free(&resp);
    if (st != TQ_OK || !exists)
        return st;
    if (other == TQ_PLACEMENT_COLLECTION) {
        *holds = 1;
    } else {
        uint64_t n = 0;
        body = cJSON_CreateObject();
        cJSON *filter = body ? cJSON_AddObjectToObject(body, "filter") : NULL;
        cJSON *must = filter ? cJSON_AddArrayToObject(filter, "must") : NULL;
        cJSON *cond = tq_json_match_keyword(TQ_FIELD_TENANT, call->tenant->tenant);
        int ok = must && cond && cJSON_AddItemToArray(must, cond);
        if (!ok)
            cJSON_Delete(cond); /* not attached */
        if (!ok || !cJSON_AddBoolToObject(body, "exact", 1)) {
            st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory");
        } else {
            st = tq_op_send(&probe, TQ_REQ_POINTS_COUNT, "POST", "/points/count", body, 1, &resp,
                            detail);
            if (st == TQ_ENOTFOUND)
                st = TQ_OK;
            else if (st == TQ_OK)
                st = tq_count_parse(resp.body, resp.len,
                                    call->client->options.max_json_depth, &n, detail);
            *holds = n > 0;
        }
    }
    cJSON_Delete(body);
    tq_response_free(&resp);
    return st;
}

tq_status_t tq_fingerprint_placement(tq_op_call_t *call, tq_detail_t *detail)
{
    const tq_raw_collection_t *c = call->collection;
    if (call->tenant->placement >= 0 || call->route.placement == TQ_PLACEMENT_DEDICATED)
        return TQ_OK; /* the registry chose the placement, or another endpoint is involved */
    char base[TQ_COLLECTION_NAME_MAX + 1], other[2 * TQ_COLLECTION_NAME_MAX + 8];
    size_t n = strlen(call->route.collection);
    tq_placement_t where;
    if (call->route.placement == TQ_PLACEMENT_SHARED) {
        snprintf(other, sizeof other, "%s--%s", call->route.collection, call->tenant->tenant);
        where = TQ_PLACEMENT_COLLECTION;
    } else {
        size_t t = strlen(call->tenant->tenant) + 2; /* strip "--<tenant>" */
        snprintf(base, sizeof base, "%.*s", (int)(n > t ? n - t : 0), call->route.collection);
        snprintf(other, sizeof other, "%s", base);
        where = TQ_PLACEMENT_SHARED;
    }
    if (strlen(other) > TQ_COLLECTION_NAME_MAX)
        return TQ_OK; /* no such collection can exist */
    int holds = 0;
    tq_status_t st = other_placement_holds(call, other, where, &holds, detail);
    if (st != TQ_OK || !holds)
        return st;
    return tq_fail(detail, TQ_ESCHEMA, 0,
                   "collection %s: the default placement is %s on the server (tenant \"%s\" has "
                   "points in %s) but %s in schema %s; pin the tenant with \"placement\": \"%s\" "
                   "in the registry, or move it with 'tenantq-admin migrate' (docs/migrations.md)",
                   call->route.collection, tq_placement_name(where), call->tenant->tenant, other,
                   tq_placement_name(call->route.placement), c->schema, tq_placement_name(where));
}

/* ---- renamed fields in filters --------------------------------------------------- */

tq_status_t tq_rename_condition(const tq_raw_collection_t *c, const cJSON *cond, cJSON **out,
                                int *owned)
{
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(cond, "key");
    const tq_raw_field_t *f = cJSON_IsString(key) ? schema_field(c, key->valuestring) : NULL;
    *owned = 0;
    *out = (cJSON *)cond;
    if (!f || !f->was)
        return TQ_OK;
    cJSON *wrap = cJSON_CreateObject();
    cJSON *should = wrap ? cJSON_AddArrayToObject(wrap, "should") : NULL;
    cJSON *now = cJSON_Duplicate(cond, 1);
    cJSON *before = cJSON_Duplicate(cond, 1);
    int ok = should && now && before && cJSON_AddItemToArray(should, now);
    if (ok)
        now = NULL;
    ok = ok && cJSON_ReplaceItemInObjectCaseSensitive(before, "key", cJSON_CreateString(f->was)) &&
         cJSON_AddItemToArray(should, before);
    if (!ok) {
        cJSON_Delete(now);
        cJSON_Delete(before);
        cJSON_Delete(wrap);
        return TQ_ENOMEM;
    }
    *out = wrap;
    *owned = 1;
    return TQ_OK;
}
