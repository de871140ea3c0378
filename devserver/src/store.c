/* store.c: collections, shards and point storage.
 *
 * Each shard keeps its points in slots; the vectors of one vector space sit in one
 * contiguous float array with stride `dim`, so a search is a linear scan over memory.
 * An open-addressing map finds a slot by id, and every keyword index marked
 * `is_tenant` keeps, per value, the list of slots carrying it, so a tenant-filtered
 * search visits only that tenant. Callers hold the store lock; nothing here locks,
 * prints or validates request input.
 */
#include "store.h"

#include "path.h"
#include "quant.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_EMPTY ((size_t)-1)
#define SLOT_TOMB ((size_t)-2)

void ds_normalise(float *v, size_t dim)
{
    double sum = 0;
    for (size_t i = 0; i < dim; i++)
        sum += (double)v[i] * v[i];
    if (sum == 0.0 || fabs(sum - 1.0) < 1e-6)
        return;
    float inv = (float)(1.0 / sqrt(sum));
    for (size_t i = 0; i < dim; i++)
        v[i] *= inv;
}

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

/* ---- tenant lists ---- */

static int slots_push(ds_slots_t *s, uint32_t v)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        uint32_t *p = realloc(s->items, cap * sizeof *p);
        if (!p)
            return -1;
        s->items = p;
        s->cap = cap;
    }
    s->items[s->n++] = v;
    return 0;
}

static void slots_remove(ds_slots_t *s, uint32_t v)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->items[i] == v) {
            s->items[i] = s->items[--s->n];
            return;
        }
    }
}

static ds_tenant_bucket_t *tenant_bucket(ds_tenant_list_t *t, const char *value, int create)
{
    if (t->nbuckets == 0) {
        if (!create)
            return NULL;
        t->buckets = calloc(64, sizeof *t->buckets);
        if (!t->buckets)
            return NULL;
        t->nbuckets = 64;
    }
    size_t h = (size_t)(str_hash(value) & (t->nbuckets - 1));
    for (ds_tenant_bucket_t *b = t->buckets[h]; b; b = b->next)
        if (strcmp(b->value, value) == 0)
            return b;
    if (!create)
        return NULL;
    if (t->count >= t->nbuckets * 2) {
        size_t n = t->nbuckets * 4;
        ds_tenant_bucket_t **nb = calloc(n, sizeof *nb);
        if (!nb)
            return NULL;
        for (size_t i = 0; i < t->nbuckets; i++) {
            ds_tenant_bucket_t *b = t->buckets[i];
            while (b) {
                ds_tenant_bucket_t *next = b->next;
                size_t k = (size_t)(str_hash(b->value) & (n - 1));
                b->next = nb[k];
                nb[k] = b;
                b = next;
            }
        }
        free(t->buckets);
        t->buckets = nb;
        t->nbuckets = n;
        h = (size_t)(str_hash(value) & (n - 1));
    }
    ds_tenant_bucket_t *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->value = strdup(value);
    if (!b->value) {
        free(b);
        return NULL;
    }
    b->next = t->buckets[h];
    t->buckets[h] = b;
    t->count++;
    return b;
}

static void tenant_list_free(ds_tenant_list_t *t)
{
    for (size_t i = 0; i < t->nbuckets; i++) {
        ds_tenant_bucket_t *b = t->buckets[i];
        while (b) {
            ds_tenant_bucket_t *next = b->next;
            free(b->value);
            free(b->slots.items);
            free(b);
            b = next;
        }
    }
    free(t->buckets);
    free(t->field);
    memset(t, 0, sizeof *t);
}

/* Calls add/remove of `slot` for each distinct string value of the field. */
static int tenant_apply(ds_tenant_list_t *t, const cJSON *payload, uint32_t slot, int add)
{
    const cJSON *vals[DS_PATH_MAX_VALUES];
    size_t n = ds_path_values(payload, t->field, vals, DS_PATH_MAX_VALUES);
    for (size_t i = 0; i < n; i++) {
        if (!cJSON_IsString(vals[i]))
            continue;
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup =
                cJSON_IsString(vals[j]) && strcmp(vals[j]->valuestring, vals[i]->valuestring) == 0;
        if (dup)
            continue;
        ds_tenant_bucket_t *b = tenant_bucket(t, vals[i]->valuestring, add);
        if (!b) {
            if (add)
                return -1;
            continue;
        }
        if (add) {
            if (slots_push(&b->slots, slot) != 0)
                return -1;
        } else {
            slots_remove(&b->slots, slot);
        }
    }
    return 0;
}

const ds_slots_t *ds_shard_tenant_slots(const ds_shard_t *shard, const char *field,
                                        const char *value, int *indexed)
{
    static const ds_slots_t empty = {0};
    for (size_t i = 0; i < shard->n_tenants; i++) {
        ds_tenant_list_t *t = &shard->tenants[i];
        if (strcmp(t->field, field) != 0)
            continue;
        *indexed = 1;
        ds_tenant_bucket_t *b = tenant_bucket(t, value, 0);
        return b ? &b->slots : &empty;
    }
    *indexed = 0;
    return NULL;
}

static int shard_reindex(const ds_collection_t *col, ds_shard_t *shard)
{
    for (size_t i = 0; i < shard->n_tenants; i++)
        tenant_list_free(&shard->tenants[i]);
    free(shard->tenants);
    shard->tenants = NULL;
    shard->n_tenants = 0;
    size_t n = 0;
    for (size_t i = 0; i < col->n_indexes; i++)
        n += col->indexes[i].is_tenant;
    if (n == 0)
        return 0;
    shard->tenants = calloc(n, sizeof *shard->tenants);
    if (!shard->tenants)
        return -1;
    for (size_t i = 0; i < col->n_indexes; i++) {
        if (!col->indexes[i].is_tenant)
            continue;
        ds_tenant_list_t *t = &shard->tenants[shard->n_tenants++];
        t->field = strdup(col->indexes[i].field);
        if (!t->field)
            return -1;
        for (size_t s = 0; s < shard->n_slots; s++)
            if (shard->points[s].live &&
                tenant_apply(t, shard->points[s].payload, (uint32_t)s, 1) != 0)
                return -1;
    }
    return 0;
}

int ds_collection_reindex(ds_collection_t *col)
{
    for (size_t i = 0; i < col->n_shards; i++)
        if (shard_reindex(col, col->shards[i]) != 0)
            return -1;
    return 0;
}

/* ---- id map ---- */

static size_t *idmap_find(const ds_shard_t *shard, const ds_point_id_t *id)
{
    if (shard->idmap_cap == 0)
        return NULL;
    size_t mask = shard->idmap_cap - 1;
    size_t h = (size_t)(ds_id_hash(id) & mask);
    for (;;) {
        size_t v = shard->idmap[h];
        if (v == SLOT_EMPTY)
            return NULL;
        if (v != SLOT_TOMB && ds_id_equal(&shard->points[v].id, id))
            return &shard->idmap[h];
        h = (h + 1) & mask;
    }
}

static int idmap_insert(ds_shard_t *shard, size_t slot);

static int idmap_grow(ds_shard_t *shard)
{
    size_t old_cap = shard->idmap_cap;
    size_t *old = shard->idmap;
    size_t cap = old_cap ? old_cap * 2 : 1024;
    shard->idmap = malloc(cap * sizeof *shard->idmap);
    if (!shard->idmap) {
        shard->idmap = old;
        return -1;
    }
    for (size_t i = 0; i < cap; i++)
        shard->idmap[i] = SLOT_EMPTY;
    shard->idmap_cap = cap;
    shard->idmap_used = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] != SLOT_EMPTY && old[i] != SLOT_TOMB)
            idmap_insert(shard, old[i]);
    free(old);
    return 0;
}

static int idmap_insert(ds_shard_t *shard, size_t slot)
{
    if ((shard->idmap_used + 1) * 2 > shard->idmap_cap && idmap_grow(shard) != 0)
        return -1;
    size_t mask = shard->idmap_cap - 1;
    size_t h = (size_t)(ds_id_hash(&shard->points[slot].id) & mask);
    while (shard->idmap[h] != SLOT_EMPTY && shard->idmap[h] != SLOT_TOMB)
        h = (h + 1) & mask;
    if (shard->idmap[h] == SLOT_EMPTY)
        shard->idmap_used++;
    shard->idmap[h] = slot;
    return 0;
}

long ds_shard_lookup(const ds_shard_t *shard, const ds_point_id_t *id)
{
    size_t *e = idmap_find(shard, id);
    return e ? (long)*e : -1;
}

/* ---- points ---- */

static int shard_reserve(const ds_collection_t *col, ds_shard_t *shard, size_t need)
{
    if (need <= shard->cap_slots)
        return 0;
    size_t cap = shard->cap_slots ? shard->cap_slots : 256;
    while (cap < need)
        cap *= 2;
    ds_point_t *pts = realloc(shard->points, cap * sizeof *pts);
    if (!pts)
        return -1;
    shard->points = pts;
    for (size_t i = 0; i < col->n_spaces; i++) {
        float *v = realloc(shard->vectors[i], cap * col->spaces[i].dim * sizeof *v);
        if (!v)
            return -1;
        shard->vectors[i] = v;
        if (!ds_quant_used(col->spaces[i].distance))
            continue;
        int8_t *codes = realloc(shard->codes[i], cap * col->spaces[i].dim);
        if (!codes)
            return -1;
        shard->codes[i] = codes;
        ds_qmeta_t *meta = realloc(shard->qmeta[i], cap * sizeof *meta);
        if (!meta)
            return -1;
        shard->qmeta[i] = meta;
    }
    for (size_t i = 0; i < col->n_sparse; i++) {
        ds_svec_t *sv = realloc(shard->svecs[i], cap * sizeof *sv);
        if (!sv)
            return -1;
        memset(sv + shard->cap_slots, 0, (cap - shard->cap_slots) * sizeof *sv);
        shard->svecs[i] = sv;
    }
    shard->cap_slots = cap;
    return 0;
}

/* ---- sparse inverted index ---- */

static uint64_t term_hash(uint32_t t)
{
    uint64_t h = t * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

static ds_posting_t *inv_slot(const ds_inverted_t *inv, uint32_t term)
{
    size_t mask = inv->cap - 1, h = (size_t)(term_hash(term) & mask);
    while (inv->tab[h].used && inv->tab[h].term != term)
        h = (h + 1) & mask;
    return &inv->tab[h];
}

const ds_posting_t *ds_inverted_find(const ds_inverted_t *inv, uint32_t term)
{
    if (!inv->cap)
        return NULL;
    const ds_posting_t *p = inv_slot(inv, term);
    return p->used ? p : NULL;
}

/* The posting list of `term`, created when absent; NULL on OOM. */
static ds_posting_t *inv_get(ds_inverted_t *inv, uint32_t term)
{
    if ((inv->used + 1) * 2 > inv->cap) {
        size_t cap = inv->cap ? inv->cap * 2 : 256;
        ds_posting_t *tab = calloc(cap, sizeof *tab);
        if (!tab)
            return NULL;
        ds_inverted_t grown = {tab, cap, inv->used, inv->docs};
        for (size_t i = 0; i < inv->cap; i++)
            if (inv->tab[i].used)
                *inv_slot(&grown, inv->tab[i].term) = inv->tab[i];
        free(inv->tab);
        *inv = grown;
    }
    ds_posting_t *p = inv_slot(inv, term);
    if (!p->used) {
        *p = (ds_posting_t){term, 1, 0, 0, NULL, NULL};
        inv->used++;
    }
    return p;
}

/* Lists the vector of `slot` under each of its indices. The document count goes up
 * first, so a failure half-way is undone exactly by inv_remove. */
static int inv_add(ds_inverted_t *inv, const ds_svec_t *v, uint32_t slot)
{
    inv->docs++;
    for (uint32_t i = 0; i < v->n; i++) {
        ds_posting_t *p = inv_get(inv, v->idx[i]);
        if (!p)
            return -1;
        if (p->n == p->cap) {
            uint32_t cap = p->cap ? p->cap * 2 : 4;
            uint32_t *sl = realloc(p->slots, cap * sizeof *sl);
            if (sl)
                p->slots = sl;
            float *vl = sl ? realloc(p->vals, cap * sizeof *vl) : NULL;
            if (!vl)
                return -1;
            p->vals = vl;
            p->cap = cap;
        }
        p->slots[p->n] = slot;
        p->vals[p->n++] = v->val[i];
    }
    return 0;
}

static void inv_remove(ds_inverted_t *inv, const ds_svec_t *v, uint32_t slot)
{
    for (uint32_t i = 0; i < v->n; i++) {
        ds_posting_t *p = inv->cap ? inv_slot(inv, v->idx[i]) : NULL;
        for (uint32_t k = 0; p && p->used && k < p->n; k++) {
            if (p->slots[k] == slot) {
                p->slots[k] = p->slots[--p->n];
                p->vals[k] = p->vals[p->n];
                break;
            }
        }
    }
    inv->docs--;
}

static void inv_free(ds_inverted_t *inv)
{
    for (size_t i = 0; i < inv->cap; i++) {
        free(inv->tab[i].slots);
        free(inv->tab[i].vals);
    }
    free(inv->tab);
    memset(inv, 0, sizeof *inv);
}

static void point_unlink(ds_collection_t *col, ds_shard_t *shard, size_t slot)
{
    ds_point_t *p = &shard->points[slot];
    for (size_t i = 0; i < shard->n_tenants; i++)
        tenant_apply(&shard->tenants[i], p->payload, (uint32_t)slot, 0);
    cJSON_Delete(p->payload);
    p->payload = NULL;
    p->live = 0;
    for (size_t i = 0; i < col->n_sparse; i++) {
        if ((p->sparse_mask >> i) & 1u)
            inv_remove(&shard->inv[i], &shard->svecs[i][slot], (uint32_t)slot);
        free(shard->svecs[i][slot].idx);
        shard->svecs[i][slot] = (ds_svec_t){0, NULL, NULL};
    }
    p->sparse_mask = 0;
}

/* Copies `src` into the slot's sparse entry (one allocation for both arrays). */
static int svec_store(ds_svec_t *dst, const ds_svec_t *src)
{
    size_t n = src->n;
    void *mem = malloc(n ? n * (sizeof *src->idx + sizeof *src->val) : 1);
    if (!mem)
        return -1;
    dst->n = src->n;
    dst->idx = mem;
    dst->val = (float *)(dst->idx + n);
    if (n) {
        memcpy(dst->idx, src->idx, n * sizeof *src->idx);
        memcpy(dst->val, src->val, n * sizeof *src->val);
    }
    return 0;
}

int ds_shard_upsert(ds_collection_t *col, ds_shard_t *shard, const ds_point_id_t *id,
                    const float *const *vecs, const ds_svec_t *const *svecs, cJSON *payload,
                    uint64_t version)
{
    size_t *entry = idmap_find(shard, id);
    size_t slot;
    if (entry) {
        slot = *entry;
        point_unlink(col, shard, slot);
    } else {
        if (shard->n_free > 0) {
            slot = shard->free_slots[--shard->n_free];
        } else {
            if (shard->n_slots >= UINT32_MAX - 1 ||
                shard_reserve(col, shard, shard->n_slots + 1) != 0) {
                cJSON_Delete(payload);
                return -1;
            }
            slot = shard->n_slots++;
        }
        shard->points[slot].id = *id;
        if (idmap_insert(shard, slot) != 0) {
            shard->points[slot].live = 0;
            uint32_t *fs = realloc(shard->free_slots, (shard->n_free + 1) * sizeof *fs);
            if (fs) {
                shard->free_slots = fs;
                fs[shard->n_free++] = (uint32_t)slot;
            }
            cJSON_Delete(payload);
            return -1;
        }
        shard->n_live++;
    }
    ds_point_t *p = &shard->points[slot];
    p->id = *id;
    p->payload = payload;
    p->version = version;
    p->vec_mask = 0;
    p->sparse_mask = 0;
    p->live = 1;
    for (size_t i = 0; i < col->n_spaces; i++) {
        size_t dim = col->spaces[i].dim;
        float *dst = shard->vectors[i] + slot * dim;
        int8_t *codes = shard->codes[i] ? shard->codes[i] + slot * dim : NULL;
        if (vecs[i]) {
            memcpy(dst, vecs[i], dim * sizeof *dst);
            p->vec_mask |= 1ull << i;
        } else {
            memset(dst, 0, dim * sizeof *dst);
        }
        if (codes)
            ds_quant_encode(dst, dim, codes, &shard->qmeta[i][slot]);
    }
    for (size_t i = 0; svecs && i < col->n_sparse; i++) {
        if (!svecs[i])
            continue;
        if (svec_store(&shard->svecs[i][slot], svecs[i]) != 0)
            return -1;
        p->sparse_mask |= 1ull << i;
        if (inv_add(&shard->inv[i], &shard->svecs[i][slot], (uint32_t)slot) != 0)
            return -1;
    }
    for (size_t i = 0; i < shard->n_tenants; i++)
        if (tenant_apply(&shard->tenants[i], payload, (uint32_t)slot, 1) != 0)
            return -1;
    return 0;
}

int ds_shard_delete(ds_collection_t *col, ds_shard_t *shard, const ds_point_id_t *id)
{
    size_t *entry = idmap_find(shard, id);
    if (!entry)
        return 0;
    size_t slot = *entry;
    uint32_t *fs = realloc(shard->free_slots, (shard->n_free + 1) * sizeof *fs);
    if (!fs)
        return 0;
    shard->free_slots = fs;
    *entry = SLOT_TOMB;
    point_unlink(col, shard, slot);
    fs[shard->n_free++] = (uint32_t)slot;
    shard->n_live--;
    return 1;
}

/* ---- shards and collections ---- */

static void shard_free(const ds_collection_t *col, ds_shard_t *shard)
{
    if (!shard)
        return;
    for (size_t i = 0; i < shard->n_slots; i++)
        if (shard->points[i].live)
            cJSON_Delete(shard->points[i].payload);
    for (size_t i = 0; col && i < col->n_sparse; i++) {
        for (size_t k = 0; shard->svecs[i] && k < shard->n_slots; k++)
            free(shard->svecs[i][k].idx);
        free(shard->svecs[i]);
        inv_free(&shard->inv[i]);
    }
    for (size_t i = 0; i < DS_MAX_VECTOR_SPACES; i++) {
        free(shard->vectors[i]);
        free(shard->codes[i]);
        free(shard->qmeta[i]);
    }
    for (size_t i = 0; i < shard->n_tenants; i++)
        tenant_list_free(&shard->tenants[i]);
    free(shard->tenants);
    free(shard->points);
    free(shard->free_slots);
    free(shard->idmap);
    cJSON_Delete(shard->key);
    free(shard);
}

ds_shard_t *ds_collection_add_shard(ds_collection_t *col, const cJSON *key)
{
    ds_shard_t *shard = calloc(1, sizeof *shard);
    if (!shard)
        return NULL;
    if (key && !(shard->key = cJSON_Duplicate(key, 1)))
        goto fail;
    ds_shard_t **arr = realloc(col->shards, (col->n_shards + 1) * sizeof *arr);
    if (!arr)
        goto fail;
    col->shards = arr;
    if (shard_reindex(col, shard) != 0)
        goto fail;
    arr[col->n_shards++] = shard;
    return shard;
fail:
    shard_free(col, shard);
    return NULL;
}

/* Shard keys are a string or a u64; both compare by JSON value. */
static int key_equal(const cJSON *a, const cJSON *b)
{
    if (!a || !b)
        return a == b;
    if (cJSON_IsString(a) && cJSON_IsString(b))
        return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
        return a->valuedouble == b->valuedouble;
    return 0;
}

ds_shard_t *ds_collection_find_shard(ds_collection_t *col, const cJSON *key)
{
    for (size_t i = 0; i < col->n_shards; i++)
        if (key_equal(col->shards[i]->key, key))
            return col->shards[i];
    return NULL;
}

void ds_collection_remove_shard(ds_collection_t *col, ds_shard_t *shard)
{
    for (size_t i = 0; i < col->n_shards; i++) {
        if (col->shards[i] == shard) {
            memmove(&col->shards[i], &col->shards[i + 1],
                    (col->n_shards - i - 1) * sizeof *col->shards);
            col->n_shards--;
            shard_free(col, shard);
            return;
        }
    }
}

size_t ds_collection_count(const ds_collection_t *col)
{
    size_t n = 0;
    for (size_t i = 0; i < col->n_shards; i++)
        n += col->shards[i]->n_live;
    return n;
}

int ds_collection_space(const ds_collection_t *col, const char *name)
{
    for (size_t i = 0; i < col->n_spaces; i++)
        if (strcmp(col->spaces[i].name, name) == 0)
            return (int)i;
    return -1;
}

int ds_collection_sparse(const ds_collection_t *col, const char *name)
{
    for (size_t i = 0; i < col->n_sparse; i++)
        if (strcmp(col->sparse[i].name, name) == 0)
            return (int)i;
    return -1;
}

const ds_index_t *ds_collection_index(const ds_collection_t *col, const char *field)
{
    for (size_t i = 0; i < col->n_indexes; i++)
        if (strcmp(col->indexes[i].field, field) == 0)
            return &col->indexes[i];
    return NULL;
}

void ds_collection_free(ds_collection_t *col)
{
    if (!col)
        return;
    for (size_t i = 0; i < col->n_shards; i++)
        shard_free(col, col->shards[i]);
    free(col->shards);
    for (size_t i = 0; i < col->n_spaces; i++) {
        free(col->spaces[i].name);
        cJSON_Delete(col->spaces[i].extra);
    }
    for (size_t i = 0; i < col->n_sparse; i++) {
        free(col->sparse[i].name);
        cJSON_Delete(col->sparse[i].extra);
    }
    cJSON_Delete(col->metadata);
    for (size_t i = 0; i < col->n_indexes; i++) {
        free(col->indexes[i].field);
        free(col->indexes[i].type);
        cJSON_Delete(col->indexes[i].params);
    }
    free(col->indexes);
    cJSON_Delete(col->params_extra);
    cJSON_Delete(col->hnsw_config);
    cJSON_Delete(col->optimizer_config);
    cJSON_Delete(col->wal_config);
    cJSON_Delete(col->quantization_config);
    free(col->name);
    free(col);
}

ds_collection_t *ds_store_find(ds_store_t *store, const char *name)
{
    for (size_t i = 0; i < store->n; i++)
        if (strcmp(store->cols[i]->name, name) == 0)
            return store->cols[i];
    return NULL;
}

int ds_store_add(ds_store_t *store, ds_collection_t *col)
{
    if (store->n == store->cap) {
        size_t cap = store->cap ? store->cap * 2 : 8;
        ds_collection_t **c = realloc(store->cols, cap * sizeof *c);
        if (!c)
            return -1;
        store->cols = c;
        store->cap = cap;
    }
    store->cols[store->n++] = col;
    return 0;
}

int ds_store_remove(ds_store_t *store, const char *name)
{
    for (size_t i = 0; i < store->n; i++) {
        if (strcmp(store->cols[i]->name, name) == 0) {
            ds_collection_free(store->cols[i]);
            memmove(&store->cols[i], &store->cols[i + 1], (store->n - i - 1) * sizeof *store->cols);
            store->n--;
            return 1;
        }
    }
    return 0;
}

void ds_store_clear(ds_store_t *store)
{
    for (size_t i = 0; i < store->n; i++)
        ds_collection_free(store->cols[i]);
    free(store->cols);
    memset(store, 0, sizeof *store);
}
