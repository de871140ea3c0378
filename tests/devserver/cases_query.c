/* cases_query.c: universal query, query batch, legacy search and the distance
 * conventions (NOTES.md sections 2 and 8). With DT_FX_BASIC and query [4,3,2,1] under
 * Dot the scores are integers: UUID_A 7, UUID_1 5, 1 4, 2 3, 3 2, 10 1. The distance
 * cases compute their expected scores and order here, from the formulas in NOTES.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>

#include <cmocka.h>

#include "dt_table.h"

#define QUERY REQ("POST", "/collections/c/points/query")
#define SEARCH REQ("POST", "/collections/c/points/search")
#define SP(id, score) "{'id':" id ",'score':" score ",'version':'@uint','payload':'@absent','vector':'@absent'}"
#define UA "'" DT_UUID_A "'"
#define U1 "'" DT_UUID_1 "'"
#define DIM_ERR "Wrong input: Vector dimension error: expected dim: 4, got 3"

/* ---- distances ---------------------------------------------------------------- */

enum { NPTS = 5, DIM = 3 };

typedef struct distance_case {
    const char *distance;
    float points[NPTS][DIM];
    float query[DIM];
} distance_case_t;

static bool higher_is_better(const char *d) {
    return strcmp(d, "Cosine") == 0 || strcmp(d, "Dot") == 0;
}

static void normalise(const float *in, double *out) {
    double norm = 0;
    for (int i = 0; i < DIM; i++) norm += (double)in[i] * in[i];
    norm = sqrt(norm);
    for (int i = 0; i < DIM; i++) out[i] = norm > 0 ? in[i] / norm : in[i];
}

/* The score NOTES.md section 8 defines for `distance`. */
static double score_of(const char *distance, const float *p, const float *q) {
    double a[DIM], b[DIM], s = 0;
    for (int i = 0; i < DIM; i++) {
        a[i] = p[i];
        b[i] = q[i];
    }
    if (strcmp(distance, "Cosine") == 0) {
        normalise(p, a);
        normalise(q, b);
    }
    for (int i = 0; i < DIM; i++) {
        if (strcmp(distance, "Euclid") == 0) s += (a[i] - b[i]) * (a[i] - b[i]);
        else if (strcmp(distance, "Manhattan") == 0) s += fabs(a[i] - b[i]);
        else s += a[i] * b[i];
    }
    return strcmp(distance, "Euclid") == 0 ? sqrt(s) : s;
}

static void vec_json(const float *v, char *out, size_t cap) {
    snprintf(out, cap, "[%.9g,%.9g,%.9g]", v[0], v[1], v[2]);
}

/* Checks `points` (ScoredPoint array) equals ids order[0..n) with scores `want`. */
static void check_scored(const cJSON *points, const int *order, const double *scores, int n,
                         const char *what) {
    if (!cJSON_IsArray(points) || cJSON_GetArraySize(points) != n)
        fail_msg("%s: expected %d points, got %d", what, n, cJSON_GetArraySize(points));
    for (int i = 0; i < n; i++) {
        const cJSON *pt = cJSON_GetArrayItem(points, i);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(pt, "id");
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(pt, "score");
        double want = scores[order[i]];
        if (!cJSON_IsNumber(id) || (int)id->valuedouble != order[i] + 1)
            fail_msg("%s: position %d should be id %d", what, i, order[i] + 1);
        if (!cJSON_IsNumber(sc) || fabs(sc->valuedouble - want) > 1e-4 * fmax(1.0, fabs(want)))
            fail_msg("%s: id %d score %.9g, expected %.9g", what, order[i] + 1,
                     cJSON_IsNumber(sc) ? sc->valuedouble : NAN, want);
    }
}

static void distance_run(dt_ctx_t *ctx) {
    const distance_case_t *dc = ctx->c->data;
    char body[2048], v[128];
    snprintf(body, sizeof body, "{'vectors':{'size':%d,'distance':'%s'}}", DIM, dc->distance);
    dt_expect_ok(ctx, "PUT", "/collections/d", body, "true");
    int len = snprintf(body, sizeof body, "{'points':[");
    for (int i = 0; i < NPTS; i++) {
        vec_json(dc->points[i], v, sizeof v);
        len += snprintf(body + len, sizeof body - (size_t)len, "%s{'id':%d,'vector':%s}",
                        i ? "," : "", i + 1, v);
    }
    snprintf(body + len, sizeof body - (size_t)len, "]}");
    dt_expect_ok(ctx, "PUT", "/collections/d/points?wait=true", body, "{'status':'completed'}");

    double scores[NPTS];
    int order[NPTS];
    for (int i = 0; i < NPTS; i++) {
        scores[i] = score_of(dc->distance, dc->points[i], dc->query);
        order[i] = i;
    }
    bool higher = higher_is_better(dc->distance);
    for (int i = 0; i < NPTS; i++) /* insertion sort, best first */
        for (int j = i; j > 0; j--) {
            double a = scores[order[j - 1]], b = scores[order[j]];
            if (higher ? b > a : b < a) {
                int t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        }

    vec_json(dc->query, v, sizeof v);
    const cJSON *result;
    snprintf(body, sizeof body, "{'query':%s,'limit':%d,'params':{'exact':true}}", v, NPTS);
    cJSON *root = dt_ok(ctx, "POST", "/collections/d/points/query", body, &result);
    check_scored(cJSON_GetObjectItemCaseSensitive(result, "points"), order, scores, NPTS, "query");
    cJSON_Delete(root);

    snprintf(body, sizeof body, "{'vector':%s,'limit':%d}", v, NPTS);
    root = dt_ok(ctx, "POST", "/collections/d/points/search", body, &result);
    check_scored(result, order, scores, NPTS, "legacy search");
    cJSON_Delete(root);

    /* A threshold halfway between the 2nd and 3rd best keeps exactly two. */
    double t = (scores[order[1]] + scores[order[2]]) / 2;
    snprintf(body, sizeof body, "{'query':%s,'limit':%d,'score_threshold':%.9g}", v, NPTS, t);
    root = dt_ok(ctx, "POST", "/collections/d/points/query", body, &result);
    check_scored(cJSON_GetObjectItemCaseSensitive(result, "points"), order, scores, 2,
                 "query with score_threshold");
    cJSON_Delete(root);
}

static const distance_case_t dist_cosine = {
    "Cosine", {{1, 2, 3}, {-1, 0.5f, 2}, {3, -1, 0.25f}, {0.2f, 0.2f, 0.25f}, {-2, -1, 0}},
    {1, 1, -1}};
static const distance_case_t dist_dot = {
    "Dot", {{1, 2, 3}, {-1, 0.5f, 2}, {3, -1, 0.25f}, {0.2f, 0.2f, 0.25f}, {-2, -1, 0}},
    {1, 1, -1}};
static const distance_case_t dist_euclid = {
    "Euclid", {{1, 2, 3}, {-1, 0.5f, 2}, {3, -1, 0.25f}, {0.2f, 0.2f, 0.25f}, {-2, -1, 0}},
    {1, 1, -1}};
static const distance_case_t dist_manhattan = {
    "Manhattan", {{1, 2, 3}, {-1, 0.5f, 2}, {3, -1, 0.25f}, {0.2f, 0.2f, 0.25f}, {-2, -1, 0}},
    {1, 1, -1}};

/* Integer-scored collections to pin the strictness of score_threshold. */
static const dt_step_t manhattan_ints[] = {
    {"PUT", "/collections/m", "{'vectors':{'size':2,'distance':'Manhattan'}}"},
    {"PUT", "/collections/m/points?wait=true",
     "{'points':[{'id':1,'vector':[0,0]},{'id':2,'vector':[1,1]},{'id':3,'vector':[3,0]}]}"},
    {0}};
static const dt_step_t euclid_ints[] = {
    {"PUT", "/collections/m", "{'vectors':{'size':2,'distance':'Euclid'}}"},
    {"PUT", "/collections/m/points?wait=true",
     "{'points':[{'id':1,'vector':[0,0]},{'id':2,'vector':[3,4]},{'id':3,'vector':[6,8]}]}"},
    {0}};
static const dt_step_t cosine3[] = {
    {"PUT", "/collections/k", "{'vectors':{'size':3,'distance':'Cosine'}}"},
    {"PUT", "/collections/k/points?wait=true",
     "{'points':[{'id':1,'vector':[3,4,0]},{'id':2,'vector':[0,0,0]},{'id':3,'vector':[0,0,1]}]}"},
    {0}};
static const dt_step_t named[] = {
    {"PUT", "/collections/n",
     "{'vectors':{'img':{'size':2,'distance':'Dot'},'txt':{'size':3,'distance':'Dot'}}}"},
    {"PUT", "/collections/n/points?wait=true",
     "{'points':[{'id':1,'vector':{'img':[1,2],'txt':[0,0,1]}},"
     "{'id':2,'vector':{'img':[2,0],'txt':[1,0,0]}}]}"},
    {0}};

static const dt_case_t cases[] = {
    /* Universal query. */
    {.name = "query_bare_vector_defaults", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[4,3,2,1]}",
     OK("{'points':[" SP(UA, "7") "," SP(U1, "5") "," SP("1", "4") "," SP("2", "3") ","
        SP("3", "2") "," SP("10", "1") "]}")},
    {.name = "query_nearest_object", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':{'nearest':[4,3,2,1]},'limit':2}",
     OK("{'points':[" SP(UA, "7") "," SP(U1, "5") "]}")},
    {.name = "query_limit_offset", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[4,3,2,1],'limit':2,'offset':2}",
     OK("{'points':[" SP("1", "4") "," SP("2", "3") "]}")},
    {.name = "query_offset_past_end", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[4,3,2,1],'offset':6}", OK("{'points':[]}")},
    {.name = "query_score_threshold_strict_dot", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[4,3,2,1],'score_threshold':4}",
     OK("{'points':[" SP(UA, "7") "," SP(U1, "5") "]}")},
    {.name = "query_filter", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[4,3,2,1],'filter':{'must':[{'key':'tenant','match':{'value':'a'}}]}}",
     OK("{'points':[" SP(UA, "7") "," SP("1", "4") "," SP("2", "3") "]}")},
    {.name = "query_filter_tenant_indexed", .fixture = DT_FX_BASIC_INDEXED, QUERY,
     .body = "{'query':[4,3,2,1],'filter':{'must':[{'key':'tenant','match':{'value':'a'}}]}}",
     OK("{'points':[" SP(UA, "7") "," SP("1", "4") "," SP("2", "3") "]}")},
    {.name = "query_filter_tenant_indexed_first", .fixture = DT_FX_BASIC_INDEXED_FIRST, QUERY,
     .body = "{'query':[4,3,2,1],'limit':2,'filter':{'must':[{'key':'tenant','match':"
             "{'value':'b'}},{'key':'n','range':{'gte':3}}]}}",
     OK("{'points':[" SP("3", "2") "," SP("10", "1") "]}")},
    {.name = "query_tenant_indexed_after_new_upsert", .fixture = DT_FX_BASIC_INDEXED,
     STEPS({"PUT", "/collections/c/points?wait=true",
            "{'points':[{'id':20,'vector':[9,0,0,0],'payload':{'tenant':'b'}},"
            "{'id':2,'vector':[0,1,0,0],'payload':{'tenant':'b'}}]}"}),
     QUERY, .body = "{'query':[4,3,2,1],'filter':{'must':[{'key':'tenant','match':{'value':'a'}}]}}",
     OK("{'points':[" SP(UA, "7") "," SP("1", "4") "]}")},
    {.name = "query_tenant_indexed_after_delete", .fixture = DT_FX_BASIC_INDEXED,
     STEPS({"POST", "/collections/c/points/delete?wait=true", "{'points':[1]}"}),
     QUERY, .body = "{'query':[4,3,2,1],'filter':{'must':[{'key':'tenant','match':{'value':'a'}}]}}",
     OK("{'points':[" SP(UA, "7") "," SP("2", "3") "]}")},
    {.name = "query_tenant_index_dropped", .fixture = DT_FX_BASIC_INDEXED,
     STEPS({"DELETE", "/collections/c/index/tenant?wait=true", NULL}),
     QUERY, .body = "{'query':[4,3,2,1],'filter':{'must':[{'key':'tenant','match':{'value':'b'}}]}}",
     OK("{'points':[" SP("3", "2") "," SP("10", "1") "]}")},
    {.name = "query_tenant_indexed_array_value", .fixture = DT_FX_BASIC_INDEXED,
     STEPS({"PUT", "/collections/c/points?wait=true",
            "{'points':[{'id':30,'vector':[9,9,9,9],'payload':{'tenant':['b','c']}},"
            "{'id':31,'vector':[8,8,8,8],'payload':{'tenant':5}},"
            "{'id':32,'vector':[7,7,7,7],'payload':{}}]}"}),
     QUERY, .body = "{'query':[1,1,1,1],'limit':3,'filter':{'must':[{'key':'tenant','match':"
                    "{'value':'c'}}]}}",
     OK("{'points':[{'id':30,'score':36},{'id':'" DT_UUID_1 "','score':2}]}")},
    {.name = "count_tenant_indexed_any", .fixture = DT_FX_BASIC_INDEXED,
     REQ("POST", "/collections/c/points/count"),
     .body = "{'filter':{'must':[{'key':'tenant','match':{'any':['a','c']}}],"
             "'must_not':[{'has_id':[2]}]}}",
     OK("{'count':3}")},
    {.name = "search_filter_tenant_indexed", .fixture = DT_FX_BASIC_INDEXED, SEARCH,
     .body = "{'vector':[4,3,2,1],'limit':10,'filter':{'should':[{'key':'tenant','match':"
             "{'value':'c'}},{'key':'tags','match':{'value':'x'}}]}}",
     OK("[" SP(U1, "5") "," SP("1", "4") "]")},
    {.name = "query_tenant_indexed_threshold_offset", .fixture = DT_FX_BASIC_INDEXED, QUERY,
     .body = "{'query':[4,3,2,1],'offset':1,'score_threshold':3,"
             "'filter':{'must':[{'key':'tenant','match':{'value':'a'}}]}}",
     OK("{'points':[" SP("1", "4") "]}")},
    {.name = "query_with_payload_true", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[4,3,2,1],'limit':1,'with_payload':true}",
     OK("{'points':[{'id':" UA ",'score':7,'payload':{'@only':true,'tenant':'a'}}]}")},
    {.name = "query_with_payload_include", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[1,0,0,0],'limit':1,'filter':{'must':[{'has_id':[1]}]},"
             "'with_payload':{'include':['n','f']}}",
     OK("{'points':[{'id':1,'payload':{'@only':true,'n':1,'f':1.5}}]}")},
    {.name = "query_with_payload_exclude", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[1,0,0,0],'limit':1,'filter':{'must':[{'has_id':[2]}]},"
             "'with_payload':{'exclude':['tags','n']}}",
     OK("{'points':[{'id':2,'payload':{'@only':true,'tenant':'a'}}]}")},
    {.name = "query_with_vector", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[4,3,2,1],'limit':1,'with_vector':true}",
     OK("{'points':[{'id':" UA ",'vector':[1,1,0,0],'payload':'@absent'}]}")},
    {.name = "query_params_accepted", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[4,3,2,1],'limit':1,'params':{'hnsw_ef':128,'exact':false}}",
     OK("{'points':[" SP(UA, "7") "]}")},
    {.name = "query_params_exact", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[4,3,2,1],'limit':1,'params':{'exact':true}}",
     OK("{'points':[" SP(UA, "7") "]}")},
    {.name = "query_by_point_id", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':1,'limit':1,'filter':{'must':[{'has_id':[2,3," UA "]}]}}",
     OK("{'points':[" SP(UA, "1") "]}")},
    {.name = "query_by_uuid_point_id", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':'936DA01F9ABD4D9D80C702AF85C822A8','limit':1,"
             "'filter':{'must':[{'has_id':[1,3]}]}}",
     OK("{'points':[" SP("1", "1") "]}")},
    {.name = "query_without_query_orders_by_id", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'limit':3}", OK("{'points':[{'id':1},{'id':2},{'id':3}]}")},
    {.name = "query_without_query_filtered", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'filter':{'must':[{'key':'tenant','match':{'value':'b'}}]}}",
     OK("{'points':[{'id':3},{'id':10}]}")},
    {.name = "query_default_limit_10", .fixture = DT_FX_TWELVE, QUERY, .body = "{'query':[1]}",
     OK("{'points':[{'score':1},{'score':1},{'score':1},{'score':1},{'score':1},{'score':1},"
        "{'score':1},{'score':1},{'score':1},{'score':1}]}")},
    {.name = "query_hnsw_ef_zero_422", .fixture = DT_FX_BASIC, QUERY,
     .body = "{'query':[4,3,2,1],'params':{'hnsw_ef':0}}",
     ERR(422, "Validation error in JSON body: ")},
    {.name = "query_wrong_dim_400", .fixture = DT_FX_BASIC, QUERY, .body = "{'query':[1,0,0]}",
     ERR(400, DIM_ERR)},
    {.name = "query_empty_collection", .fixture = DT_FX_EMPTY, QUERY,
     .body = "{'query':[1,0,0,0]}", OK("{'points':[]}")},
    {.name = "query_named_using", .fixture = named, REQ("POST", "/collections/n/points/query"),
     .body = "{'query':[1,1],'using':'img'}",
     OK("{'points':[{'id':1,'score':3},{'id':2,'score':2}]}")},
    {.name = "query_named_other_vector", .fixture = named,
     REQ("POST", "/collections/n/points/query"),
     .body = "{'query':[1,0,0],'using':'txt','limit':1,'with_vector':['txt']}",
     OK("{'points':[{'id':2,'score':1,'vector':{'txt':[1,0,0]}}]}")},

    {.name = "query_named_wrong_dim_400", .fixture = named,
     REQ("POST", "/collections/n/points/query"), .body = "{'query':[1,1,1],'using':'img'}",
     ERR(400, "Wrong input: Vector dimension error: expected dim: 2, got 3")},

    {.name = "named_batch_upsert", .fixture = named,
     STEPS({"PUT", "/collections/n/points?wait=true",
            "{'batch':{'ids':[3],'vectors':{'img':[[5,5]],'txt':[[0,1,0]]}}}"}),
     REQ("POST", "/collections/n/points/query"), .body = "{'query':[1,1],'using':'img','limit':1}",
     OK("{'points':[{'id':3,'score':10}]}")},

    /* Batch. */
    {.name = "query_batch", .fixture = DT_FX_BASIC, REQ("POST", "/collections/c/points/query/batch"),
     .body = "{'searches':[{'query':[4,3,2,1],'limit':1},"
             "{'query':[0,0,0,1],'limit':1,'filter':{'must':[{'key':'tenant','match':"
             "{'value':'b'}}]},'with_payload':true}]}",
     OK("[{'points':[" SP(UA, "7") "]},{'points':[{'id':10,'score':1,'payload':{'tenant':'b'}}]}]")},
    {.name = "query_batch_empty", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/query/batch"), .body = "{'searches':[]}", OK("[]")},
    {.name = "query_batch_wrong_dim_400", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/query/batch"),
     .body = "{'searches':[{'query':[4,3,2,1]},{'query':[1,0,0]}]}", ERR(400, DIM_ERR)},

    /* Legacy search: bare array, payload off by default, `top` alias. */
    {.name = "search_bare_array", .fixture = DT_FX_BASIC, SEARCH,
     .body = "{'vector':[4,3,2,1],'limit':2}", OK("[" SP(UA, "7") "," SP(U1, "5") "]")},
    {.name = "search_top_alias", .fixture = DT_FX_BASIC, SEARCH,
     .body = "{'vector':[4,3,2,1],'top':1}", OK("[" SP(UA, "7") "]")},
    {.name = "search_options", .fixture = DT_FX_BASIC, SEARCH,
     .body = "{'vector':[4,3,2,1],'limit':5,'offset':1,'score_threshold':2,'with_payload':true,"
             "'filter':{'must_not':[{'key':'tenant','match':{'value':'c'}}]},"
             "'params':{'exact':true}}",
     OK("[{'id':1,'score':4,'payload':{'tenant':'a'}},{'id':2,'score':3,'payload':{'n':2}}]")},
    {.name = "search_named_vector", .fixture = named, REQ("POST", "/collections/n/points/search"),
     .body = "{'vector':{'name':'img','vector':[1,1]},'limit':1}",
     OK("[{'id':1,'score':3}]")},
    {.name = "search_missing_limit_400", .fixture = DT_FX_BASIC, SEARCH,
     .body = "{'vector':[4,3,2,1]}", ERR(400, "Format error in JSON body: ")},
    {.name = "search_wrong_dim_400", .fixture = DT_FX_BASIC, SEARCH,
     .body = "{'vector':[4,3,2],'limit':1}", ERR(400, DIM_ERR)},

    /* Distances (section 8): computed scores, order and threshold direction. */
    {.name = "distance_cosine", CUSTOM(distance_run), .data = &dist_cosine},
    {.name = "distance_dot", CUSTOM(distance_run), .data = &dist_dot},
    {.name = "distance_euclid", CUSTOM(distance_run), .data = &dist_euclid},
    {.name = "distance_manhattan", CUSTOM(distance_run), .data = &dist_manhattan},
    {.name = "manhattan_threshold_strict", .fixture = manhattan_ints,
     REQ("POST", "/collections/m/points/query"), .body = "{'query':[0,0],'score_threshold':2}",
     OK("{'points':[{'id':1,'score':0}]}")},
    {.name = "euclid_threshold_strict", .fixture = euclid_ints,
     REQ("POST", "/collections/m/points/query"), .body = "{'query':[0,0],'score_threshold':10}",
     OK("{'points':[{'id':1,'score':0},{'id':2,'score':5}]}")},
    {.name = "euclid_true_distance", .fixture = euclid_ints,
     REQ("POST", "/collections/m/points/search"), .body = "{'vector':[0,0],'limit':3}",
     OK("[{'id':1,'score':0},{'id':2,'score':5},{'id':3,'score':10}]")},
    {.name = "cosine_stored_normalised", .fixture = cosine3,
     REQ("POST", "/collections/k/points"), .body = "{'ids':[1],'with_vector':true}",
     OK("[{'id':1,'vector':[0.6,0.8,0]}]")},
    {.name = "cosine_zero_vector_kept", .fixture = cosine3, REQ("POST", "/collections/k/points"),
     .body = "{'ids':[2],'with_vector':true}", OK("[{'id':2,'vector':[0,0,0]}]")},
    {.name = "cosine_query_normalised", .fixture = cosine3,
     REQ("POST", "/collections/k/points/query"),
     .body = "{'query':[0,0,5],'limit':1,'filter':{'must':[{'has_id':[1,3]}]}}",
     OK("{'points':[{'id':3,'score':1}]}")},
};

const dt_group_t dt_group_query = {"query", cases, sizeof cases / sizeof cases[0]};
