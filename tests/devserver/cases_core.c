/* cases_core.c: envelope, health, collections, collection names and the generic
 * 400/404/409/422 cases (NOTES.md sections 1, 2 and 5). Each expectation is quoted
 * from NOTES.md or openapi.json; none was taken from a server's answer. */
#include <stdlib.h>
#include <stdio.h>

#include "dt_table.h"

bool dt_pred_time_zero(const dt_response_t *r, char *why, size_t n) {
    cJSON *root = cJSON_ParseWithLength(r->body, r->len);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "time");
    bool ok = cJSON_IsNumber(t) && t->valuedouble == 0.0;
    if (!ok) snprintf(why, n, "time must be 0 on parse/validation errors");
    cJSON_Delete(root);
    return ok;
}

#define N64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define N255 N64 N64 N64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define E16 "%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"
#define E255 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16 E16 \
    "%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"
#define VEC4 "{'vectors':{'size':4,'distance':'Dot'}}"

static const dt_case_t cases[] = {
    /* Bare endpoints: no envelope (section 1 EXCEPTIONS). */
    {.name = "root_bare_version_info", REQ("GET", "/"), .check = DT_JSON,
     .expect = "{'title':'qdrant - vector search engine','version':'1.19.0',"
               "'result':'@absent','status':'@absent','time':'@absent'}"},
    {.name = "healthz_plain_text", REQ("GET", "/healthz"), TEXT(200, "healthz check passed")},
    {.name = "livez_plain_text", REQ("GET", "/livez"), TEXT(200, "healthz check passed")},
    {.name = "readyz_plain_text", REQ("GET", "/readyz"), TEXT(200, "all shards are ready")},

    /* Collections. */
    {.name = "list_empty", REQ("GET", "/collections"), OK("{'collections':[]}")},
    {.name = "list_two", .fixture = DT_FX_TWO, REQ("GET", "/collections"),
     OK("{'collections':['@unordered',{'name':'c'},{'name':'d'}]}")},
    {.name = "create_returns_true", REQ("PUT", "/collections/x"), .body = VEC4, OK("true")},
    {.name = "envelope_without_usage", REQ("PUT", "/collections/x"), .body = VEC4,
     .check = DT_JSON, .expect = "{'result':true,'status':'ok','time':'@number','usage':'@absent'}"},
    {.name = "create_named_vectors", REQ("PUT", "/collections/x"),
     .body = "{'vectors':{'img':{'size':3,'distance':'Cosine'},'txt':{'size':2,"
             "'distance':'Euclid'}}}",
     OK("true")},
    {.name = "create_with_options", REQ("PUT", "/collections/x?timeout=30"),
     .body = "{'vectors':{'size':4,'distance':'Manhattan'},'hnsw_config':{'m':0,'payload_m':16,"
             "'ef_construct':100,'full_scan_threshold':10000},'shard_number':1,"
             "'sharding_method':'auto','replication_factor':1,'on_disk_payload':true,"
             "'optimizers_config':{'indexing_threshold':20000},"
             "'quantization_config':{'scalar':{'type':'int8','always_ram':true}},"
             "'wal_config':{'wal_capacity_mb':32},'write_consistency_factor':1}",
     OK("true")},
    {.name = "get_collection_info", .fixture = DT_FX_BASIC, REQ("GET", "/collections/c"),
     OK("{'status':'green','optimizer_status':'ok','points_count':6,'segments_count':'@uint',"
        "'payload_schema':{},'config':{'params':{'vectors':{'size':4,'distance':'Dot'}}}}")},
    {.name = "get_named_vectors_info", REQ("GET", "/collections/x"),
     STEPS({"PUT", "/collections/x",
            "{'vectors':{'img':{'size':3,'distance':'Cosine'}}}"}),
     OK("{'config':{'params':{'vectors':{'img':{'size':3,'distance':'Cosine'}}}}}")},
    {.name = "get_missing_404", REQ("GET", "/collections/nope"), MISSING("nope")},
    {.name = "exists_false", REQ("GET", "/collections/nope/exists"), OK("{'exists':false}")},
    {.name = "exists_true", .fixture = DT_FX_EMPTY, REQ("GET", "/collections/c/exists"),
     OK("{'exists':true}")},
    {.name = "delete_missing_false", REQ("DELETE", "/collections/nope"), OK("false")},
    {.name = "delete_existing_true", .fixture = DT_FX_EMPTY, REQ("DELETE", "/collections/c"),
     OK("true")},
    {.name = "get_after_delete_404", .fixture = DT_FX_BASIC,
     STEPS({"DELETE", "/collections/c", NULL}), REQ("GET", "/collections/c"), MISSING("c")},
    {.name = "recreate_after_delete_is_empty", .fixture = DT_FX_BASIC,
     STEPS({"DELETE", "/collections/c", NULL}, {"PUT", "/collections/c", VEC4}),
     REQ("POST", "/collections/c/points/count"), .body = "{}", OK("{'count':0}")},
    {.name = "create_existing_409", .fixture = DT_FX_EMPTY, REQ("PUT", "/collections/c"),
     .body = VEC4, ERR(409, "@contains:Collection `c` already exists!")},

    /* Missing collection on every collection-scoped endpoint -> 404. */
    {.name = "upsert_missing_404", REQ("PUT", "/collections/nope/points"),
     .body = "{'points':[{'id':1,'vector':[1,0,0,0]}]}", MISSING("nope")},
    {.name = "upsert_missing_404_wait_false", REQ("PUT", "/collections/nope/points?wait=false"),
     .body = "{'points':[{'id':1,'vector':[1,0,0,0]}]}", MISSING("nope")},
    {.name = "query_missing_404", REQ("POST", "/collections/nope/points/query"),
     .body = "{'query':[1,0,0,0]}", MISSING("nope")},
    {.name = "search_missing_404", REQ("POST", "/collections/nope/points/search"),
     .body = "{'vector':[1,0,0,0],'limit':1}", MISSING("nope")},
    {.name = "scroll_missing_404", REQ("POST", "/collections/nope/points/scroll"), .body = "{}",
     MISSING("nope")},
    {.name = "count_missing_404", REQ("POST", "/collections/nope/points/count"), .body = "{}",
     MISSING("nope")},
    {.name = "retrieve_missing_404", REQ("POST", "/collections/nope/points"),
     .body = "{'ids':[1]}", MISSING("nope")},
    {.name = "get_point_missing_collection_404", REQ("GET", "/collections/nope/points/1"),
     MISSING("nope")},
    {.name = "delete_points_missing_404", REQ("POST", "/collections/nope/points/delete"),
     .body = "{'points':[1]}", MISSING("nope")},
    {.name = "index_missing_404", REQ("PUT", "/collections/nope/index"),
     .body = "{'field_name':'t','field_schema':'keyword'}", MISSING("nope")},

    /* Parse errors -> 400 Format error, time 0; validators -> 422, time 0. */
    {.name = "malformed_json_400", .fixture = DT_FX_EMPTY, REQ("PUT", "/collections/c/points"),
     .body = "{not json", ERR(400, "Format error in JSON body: "), .pred = dt_pred_time_zero},
    {.name = "wrong_type_400", REQ("PUT", "/collections/x"),
     .body = "{'vectors':{'size':'four','distance':'Dot'}}",
     ERR(400, "Format error in JSON body: "), .pred = dt_pred_time_zero},
    {.name = "unknown_distance_400", REQ("PUT", "/collections/x"),
     .body = "{'vectors':{'size':4,'distance':'Hamming'}}",
     ERR(400, "Format error in JSON body: ")},
    {.name = "points_not_array_400", .fixture = DT_FX_EMPTY, REQ("PUT", "/collections/c/points"),
     .body = "{'points':{'id':1}}", ERR(400, "Format error in JSON body: ")},
    {.name = "vector_size_zero_422", REQ("PUT", "/collections/x"),
     .body = "{'vectors':{'size':0,'distance':'Dot'}}",
     ERR(422, "Validation error in JSON body: "), .pred = dt_pred_time_zero},
    {.name = "query_limit_zero_422", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/query"), .body = "{'query':[1,0,0,0],'limit':0}",
     ERR(422, "Validation error in JSON body: "), .pred = dt_pred_time_zero},
    {.name = "scroll_limit_zero_422", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"), .body = "{'limit':0}",
     ERR(422, "Validation error in JSON body: ")},
    {.name = "batch_length_mismatch_422", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points"),
     .body = "{'batch':{'ids':[1,2],'vectors':[[1,0,0,0]]}}",
     ERR(422, "Validation error in JSON body: ")},
    {.name = "field_condition_without_condition_422", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/count"), .body = "{'filter':{'must':[{'key':'n'}]}}",
     ERR(422, "Validation error in JSON body: ")},
    {.name = "bad_wait_query_param_400", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points?wait=maybe"),
     .body = "{'points':[{'id':1,'vector':[1,0,0,0]}]}",
     ERR(400, "Deserialize error in query parameters: ")},

    /* Collection names (section 5). */
    {.name = "name_colon_create_422", REQ("PUT", "/collections/a:b"), .body = VEC4, ERR(422, "")},
    {.name = "name_lt_create_422", REQ("PUT", "/collections/a%3Cb"), .body = VEC4, ERR(422, "")},
    {.name = "name_gt_create_422", REQ("PUT", "/collections/a%3Eb"), .body = VEC4, ERR(422, "")},
    {.name = "name_quote_create_422", REQ("PUT", "/collections/a%22b"), .body = VEC4,
     ERR(422, "")},
    {.name = "name_backslash_create_422", REQ("PUT", "/collections/a%5Cb"), .body = VEC4,
     ERR(422, "")},
    {.name = "name_pipe_create_422", REQ("PUT", "/collections/a%7Cb"), .body = VEC4,
     ERR(422, "")},
    {.name = "name_question_create_422", REQ("PUT", "/collections/a%3Fb"), .body = VEC4,
     ERR(422, "")},
    {.name = "name_star_create_422", REQ("PUT", "/collections/a*b"), .body = VEC4, ERR(422, "")},
    {.name = "name_unit_separator_create_422", REQ("PUT", "/collections/a%1Fb"), .body = VEC4,
     ERR(422, "")},
    {.name = "name_256_create_422", REQ("PUT", "/collections/" N255 "b"), .body = VEC4,
     ERR(422, "")},
    {.name = "name_255_create_ok", REQ("PUT", "/collections/" N255), .body = VEC4, OK("true")},
    {.name = "name_255_chars_510_bytes_create_ok", REQ("PUT", "/collections/" E255),
     .body = VEC4, OK("true")},
    {.name = "name_256_chars_create_422", REQ("PUT", "/collections/" E255 "%C3%A9"),
     .body = VEC4, ERR(422, "")},
    {.name = "name_percent_decoded", REQ("GET", "/collections"),
     STEPS({"PUT", "/collections/a%20b", VEC4}), OK("{'collections':[{'name':'a b'}]}")},
    {.name = "name_percent_decoded_get", REQ("GET", "/collections/a%20b/exists"),
     STEPS({"PUT", "/collections/a%20b", VEC4}), OK("{'exists':true}")},
    {.name = "name_colon_get_is_legacy_ok_404", REQ("GET", "/collections/a:b"),
     MISSING("a:b")},
    {.name = "name_256_get_422", REQ("GET", "/collections/" N255 "b"), ERR(422, "")},
    {.name = "name_case_sensitive", .fixture = DT_FX_EMPTY, REQ("GET", "/collections/C"),
     MISSING("C")},
    {.name = "chunked_request_body", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points?wait=true"), .headers = {"Transfer-Encoding: chunked"},
     .body = "{'points':[{'id':1,'vector':[1,0,0,0]}]}", OK("{'status':'completed'}")},
    {.name = "unknown_route_404", REQ("GET", "/no/such/route"), STATUS(404)},
};

const dt_group_t dt_group_core = {"core", cases, sizeof cases / sizeof cases[0]};
