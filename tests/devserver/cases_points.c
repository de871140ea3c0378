/* cases_points.c: upsert, retrieve, point ids, delete, scroll, count and payload
 * indexes (NOTES.md sections 1, 2 and 4). Expectations come from NOTES.md and
 * openapi.json only. The big-id cases read the raw body because a double cannot hold
 * a u64 id. */
#include <stdio.h>
#include <string.h>

#include "dt_table.h"

#define UP(body) {"PUT", "/collections/c/points?wait=true", body}
#define CANON "abcdef01-2345-6789-0abc-def012345678"
#define SCROLL_IDS(...) "{'points':[" __VA_ARGS__ "]}"
#define INVALID_ID "@contains:valid values are either an unsigned integer or a UUID"
#define DIM_ERR "Wrong input: Vector dimension error: expected dim: 4, got 3"

static bool body_has(const dt_response_t *r, const char *needle, char *why, size_t n) {
    if (strstr(r->body, needle)) return true;
    snprintf(why, n, "body does not contain %s", needle);
    return false;
}
static bool has_u64_max(const dt_response_t *r, char *why, size_t n) {
    return body_has(r, "\"id\":18446744073709551615", why, n);
}
static bool has_2p53_plus_1(const dt_response_t *r, char *why, size_t n) {
    return body_has(r, "\"id\":9007199254740993", why, n);
}

/* Scroll from 2^53+1: that id, then u64 max, in this order, as exact integers. */
static bool big_ids_in_order(const dt_response_t *r, char *why, size_t n) {
    const char *a = strstr(r->body, "\"id\":9007199254740993");
    const char *b = strstr(r->body, "\"id\":18446744073709551615");
    if (a && b && a < b) return true;
    snprintf(why, n, "expected ids 9007199254740993 then 18446744073709551615");
    return false;
}

/* A rejected upsert stores nothing: the good point in the same request is not kept. */
static void wrong_dim_stores_nothing(dt_ctx_t *ctx) {
    dt_response_t *r = &ctx->scratch;
    dt_response_free(r);
    dt_send(ctx, "PUT", "/collections/c/points?wait=true",
            "{'points':[{'id':1,'vector':[1,0,0,0]},{'id':2,'vector':[1,0,0]}]}", r);
    dt_check_response(r, 400, DT_ERR, DIM_ERR, "PUT mixed dims");
    dt_response_free(r);
    dt_expect_ok(ctx, "POST", "/collections/c/points/count", "{}", "{'count':0}");
}

static const dt_case_t cases[] = {
    /* Upsert forms and UpdateResult. */
    {.name = "upsert_default_wait_acknowledged", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points"), .body = "{'points':[{'id':1,'vector':[1,0,0,0]}]}",
     OK("{'operation_id':'@any','status':'acknowledged'}")},
    {.name = "upsert_wait_false_acknowledged", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points?wait=false"),
     .body = "{'points':[{'id':1,'vector':[1,0,0,0]}]}", OK("{'status':'acknowledged'}")},
    {.name = "upsert_wait_true_completed", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points?wait=true"),
     .body = "{'points':[{'id':1,'vector':[1,0,0,0],'payload':{'a':1}}]}",
     OK("{'operation_id':'@any','status':'completed'}")},
    {.name = "upsert_ordering_strong", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points?wait=true&ordering=strong"),
     .body = "{'points':[{'id':1,'vector':[1,0,0,0]}]}", OK("{'status':'completed'}")},
    {.name = "upsert_ordering_medium_timeout", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points?wait=true&ordering=medium&timeout=5"),
     .body = "{'points':[{'id':1,'vector':[1,0,0,0]}]}", OK("{'status':'completed'}")},
    {.name = "upsert_wait_false_then_visible", .fixture = DT_FX_EMPTY,
     STEPS({"PUT", "/collections/c/points?wait=false",
            "{'points':[{'id':7,'vector':[1,0,0,0]}]}"}),
     REQ("GET", "/collections/c/points/7"), OK("{'id':7}")},
    {.name = "upsert_batch_form", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'batch':{'ids':[1,2],'vectors':[[1,0,0,0],[0,1,0,0]],"
              "'payloads':[{'a':1},{'a':2}]}}")),
     REQ("POST", "/collections/c/points"), .body = "{'ids':[2,1],'with_vector':true}",
     OK("['@unordered',{'id':1,'payload':{'a':1},'vector':[1,0,0,0]},"
        "{'id':2,'payload':{'a':2},'vector':[0,1,0,0]}]")},
    {.name = "upsert_batch_payloads_length_mismatch_422", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points"),
     .body = "{'batch':{'ids':[1,2],'vectors':[[1,0,0,0],[0,1,0,0]],'payloads':[{'a':1}]}}",
     ERR(422, "Validation error in JSON body: ")},
    {.name = "upsert_batch_without_payloads", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'batch':{'ids':[1,2],'vectors':[[1,0,0,0],[0,1,0,0]]}}")),
     REQ("POST", "/collections/c/points/count"), .body = "{}", OK("{'count':2}")},
    {.name = "reupsert_replaces_whole_point", .fixture = DT_FX_BASIC,
     STEPS(UP("{'points':[{'id':1,'vector':[0,0,0,1],'payload':{'z':1}}]}")),
     REQ("POST", "/collections/c/points"), .body = "{'ids':[1],'with_vector':true}",
     OK("[{'id':1,'payload':{'@only':true,'z':1},'vector':[0,0,0,1]}]")},
    {.name = "duplicate_ids_in_one_request", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':1,'vector':[1,0,0,0]},{'id':1,'vector':[0,1,0,0]}]}")),
     REQ("POST", "/collections/c/points/count"), .body = "{}", OK("{'count':1}")},
    {.name = "delete_then_reinsert", .fixture = DT_FX_BASIC,
     STEPS({"POST", "/collections/c/points/delete?wait=true", "{'points':[2]}"},
           UP("{'points':[{'id':2,'vector':[0,1,0,0],'payload':{'back':true}}]}")),
     REQ("POST", "/collections/c/points"), .body = "{'ids':[2]}",
     OK("[{'id':2,'payload':{'@only':true,'back':true}}]")},
    {.name = "reupsert_keeps_count", .fixture = DT_FX_BASIC,
     STEPS(UP("{'points':[{'id':1,'vector':[0,0,0,1]}]}")),
     REQ("POST", "/collections/c/points/count"), .body = "{}", OK("{'count':6}")},

    {.name = "update_mode_insert_only_keeps_existing", .fixture = DT_FX_BASIC,
     STEPS(UP("{'points':[{'id':1,'vector':[0,0,0,1],'payload':{'z':1}},"
              "{'id':4,'vector':[0,0,0,1],'payload':{'z':4}}],'update_mode':'insert_only'}")),
     REQ("POST", "/collections/c/points"), .body = "{'ids':[1,4]}",
     OK("['@unordered',{'id':1,'payload':{'tenant':'a'}},{'id':4,'payload':{'z':4}}]")},
    {.name = "update_mode_update_only_skips_new", .fixture = DT_FX_BASIC,
     STEPS(UP("{'points':[{'id':1,'vector':[0,0,0,1],'payload':{'z':1}},"
              "{'id':4,'vector':[0,0,0,1],'payload':{'z':4}}],'update_mode':'update_only'}")),
     REQ("POST", "/collections/c/points"), .body = "{'ids':[1,4]}",
     OK("[{'id':1,'payload':{'@only':true,'z':1}}]")},
    {.name = "update_filter_guards_existing_points", .fixture = DT_FX_BASIC,
     STEPS(UP("{'points':[{'id':1,'vector':[0,0,0,1],'payload':{'z':1}},"
              "{'id':3,'vector':[0,0,0,1],'payload':{'z':3}},"
              "{'id':50,'vector':[0,0,0,1],'payload':{'z':50}}],"
              "'update_filter':{'must':[{'key':'tenant','match':{'value':'b'}}]}}")),
     REQ("POST", "/collections/c/points"), .body = "{'ids':[1,3,50]}",
     OK("['@unordered',{'id':1,'payload':{'tenant':'a','n':1}},"
        "{'id':3,'payload':{'@only':true,'z':3}},{'id':50,'payload':{'@only':true,'z':50}}]")},
    {.name = "update_mode_batch_insert_only", .fixture = DT_FX_BASIC,
     STEPS(UP("{'batch':{'ids':[2,60],'vectors':[[0,0,0,1],[0,0,0,1]],"
              "'payloads':[{'z':2},{'z':60}]},'update_mode':'insert_only'}")),
     REQ("POST", "/collections/c/points"), .body = "{'ids':[2,60]}",
     OK("['@unordered',{'id':2,'payload':{'tenant':'a'}},{'id':60,'payload':{'z':60}}]")},
    {.name = "read_params_consistency_timeout", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/count?consistency=majority&timeout=5"), .body = "{}",
     OK("{'count':6}")},
    {.name = "read_params_consistency_number", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll?consistency=2"), .body = "{'limit':1}",
     OK("{'points':[{'id':1}],'next_page_offset':2}")},

    {.name = "payload_not_object_400", .fixture = DT_FX_EMPTY, REQ("PUT", "/collections/c/points"),
     .body = "{'points':[{'id':1,'vector':[1,0,0,0],'payload':5}]}",
     ERR(400, "Format error in JSON body: ")},
    {.name = "upsert_neither_points_nor_batch_400", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points"), .body = "{'pints':[]}",
     ERR(400, "Format error in JSON body: ")},
    {.name = "delete_without_selector_400", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/delete"), .body = "{}",
     ERR(400, "Format error in JSON body: ")},
    {.name = "retrieve_without_ids_400", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points"), .body = "{'with_payload':true}",
     ERR(400, "Format error in JSON body: ")},
    {.name = "scroll_invalid_offset_400", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"), .body = "{'offset':-5}", ERR(400, INVALID_ID)},

    {.name = "payload_round_trip_unicode_and_numbers", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':1,'vector':[1,0,0,0],'payload':{'s':'caf\\u00e9 \\ud83d\\ude00',"
              "'neg':-17,'tiny':1e-7,'deep':{'a':[1,[2,{'b':null}]]},'t':true,'e':{}}}]}")),
     REQ("POST", "/collections/c/points"), .body = "{'ids':[1]}",
     OK("[{'id':1,'payload':{'@only':true,'s':'caf\\u00e9 \\ud83d\\ude00',"
        "'neg':-17,'tiny':1e-7,'deep':{'a':[1,[2,{'b':null}]]},'t':true,'e':{}}}]")},
    {.name = "payload_i64_compared_exactly", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':1,'vector':[1,0,0,0],'payload':{'big':9007199254740993}},"
              "{'id':2,'vector':[1,0,0,0],'payload':{'big':9007199254740992}}]}")),
     REQ("POST", "/collections/c/points/scroll"),
     .body = "{'filter':{'must':[{'key':'big','match':{'value':9007199254740993}}]}}",
     OK("{'points':[{'id':1}]}")},

    /* Vector dimension (section 1): 400 even with wait=false, nothing stored. */
    {.name = "wrong_dim_400", .fixture = DT_FX_EMPTY, REQ("PUT", "/collections/c/points"),
     .body = "{'points':[{'id':1,'vector':[1,0,0]}]}", ERR(400, DIM_ERR)},
    {.name = "wrong_dim_400_wait_false", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points?wait=false"),
     .body = "{'points':[{'id':1,'vector':[1,0,0]}]}", ERR(400, DIM_ERR)},
    {.name = "wrong_dim_400_wait_true", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/points?wait=true"),
     .body = "{'points':[{'id':1,'vector':[1,0,0]}]}", ERR(400, DIM_ERR)},
    {.name = "wrong_dim_batch_400", .fixture = DT_FX_EMPTY, REQ("PUT", "/collections/c/points"),
     .body = "{'batch':{'ids':[1],'vectors':[[1,0,0]]}}", ERR(400, DIM_ERR)},
    {.name = "wrong_dim_stores_nothing", .fixture = DT_FX_EMPTY,
     CUSTOM(wrong_dim_stores_nothing)},

    /* Retrieve (POST) defaults: payload true, vector false; absent ids dropped. */
    {.name = "retrieve_defaults", .fixture = DT_FX_BASIC, REQ("POST", "/collections/c/points"),
     .body = "{'ids':[2]}",
     OK("[{'id':2,'payload':{'@only':true,'tenant':'a','n':2,'tags':['y']},"
        "'vector':'@null-or-absent'}]")},
    {.name = "retrieve_drops_absent_ids", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points"),
     .body = "{'ids':[99,1,'00000000-0000-0000-0000-0000000000ff']}", OK("[{'id':1}]")},
    {.name = "retrieve_all_absent_empty", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points"), .body = "{'ids':[99]}", OK("[]")},
    {.name = "retrieve_with_vector", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points"), .body = "{'ids':[2],'with_vector':true}",
     OK("[{'id':2,'vector':[0,1,0,0]}]")},
    {.name = "retrieve_with_payload_false", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points"), .body = "{'ids':[2],'with_payload':false}",
     OK("[{'id':2,'payload':'@null-or-absent'}]")},
    {.name = "retrieve_with_payload_list", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points"), .body = "{'ids':[2],'with_payload':['n']}",
     OK("[{'id':2,'payload':{'@only':true,'n':2}}]")},
    {.name = "retrieve_with_payload_include", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points"),
     .body = "{'ids':[2],'with_payload':{'include':['n','tenant']}}",
     OK("[{'id':2,'payload':{'@only':true,'n':2,'tenant':'a'}}]")},
    {.name = "retrieve_with_payload_exclude", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points"),
     .body = "{'ids':[2],'with_payload':{'exclude':['tags']}}",
     OK("[{'id':2,'payload':{'@only':true,'n':2,'tenant':'a'}}]")},

    /* GET by id. */
    {.name = "get_point", .fixture = DT_FX_BASIC, REQ("GET", "/collections/c/points/2"),
     OK("{'id':2,'payload':{'tenant':'a','n':2,'tags':['y']}}")},
    {.name = "get_point_absent_404", .fixture = DT_FX_BASIC,
     REQ("GET", "/collections/c/points/99"), ERR(404, "Not found: No point with id 99 found")},
    {.name = "get_point_number_first", .fixture = DT_FX_BASIC,
     REQ("GET", "/collections/c/points/10"), OK("{'id':10}")},
    {.name = "get_point_uuid_simple_form", .fixture = DT_FX_BASIC,
     REQ("GET", "/collections/c/points/936DA01F9ABD4D9D80C702AF85C822A8"),
     OK("{'id':'" DT_UUID_A "','payload':{'tenant':'a'}}")},
    /* u64 parsing accepts leading zeros; 32 digits past u64 fall through to UUID. */
    {.name = "get_point_leading_zeros_is_number", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':'00000000-0000-0000-0000-000000000010','vector':[1,0,0,0]},"
              "{'id':10,'vector':[0,1,0,0]}]}")),
     REQ("GET", "/collections/c/points/00000000000000000000000000000010"), OK("{'id':10}")},
    {.name = "get_point_32_digits_over_u64_is_uuid", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':'10000000-0000-0000-0000-000000000010','vector':[1,0,0,0]}]}")),
     REQ("GET", "/collections/c/points/10000000000000000000000000000010"),
     OK("{'id':'10000000-0000-0000-0000-000000000010'}")},
    {.name = "get_point_invalid_id_400", .fixture = DT_FX_BASIC,
     REQ("GET", "/collections/c/points/not-an-id"), ERR(400, "")},

    /* UUID normalisation (section 4). */
    {.name = "uuid_simple_upper", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':'ABCDEF0123456789ABCDEF0123456789','vector':[1,0,0,0]}]}")),
     REQ("POST", "/collections/c/points/scroll"), .body = "{}",
     OK("{'points':[{'id':'abcdef01-2345-6789-abcd-ef0123456789'}]}")},
    {.name = "uuid_hyphenated_upper", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':'ABCDEF01-2345-6789-0ABC-DEF012345678','vector':[1,0,0,0]}]}")),
     REQ("POST", "/collections/c/points/scroll"), .body = "{}",
     OK("{'points':[{'id':'" CANON "'}]}")},
    {.name = "uuid_urn_form", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':'urn:uuid:abcdef01-2345-6789-0abc-def012345678',"
              "'vector':[1,0,0,0]}]}")),
     REQ("POST", "/collections/c/points/scroll"), .body = "{}",
     OK("{'points':[{'id':'" CANON "'}]}")},
    {.name = "uuid_braced_form", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':'{ABCDEF01-2345-6789-0abc-def012345678}','vector':[1,0,0,0]}]}")),
     REQ("POST", "/collections/c/points/scroll"), .body = "{}",
     OK("{'points':[{'id':'" CANON "'}]}")},
    {.name = "uuid_forms_address_one_point", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':'abcdef01234567890abcdef012345678','vector':[1,0,0,0],"
              "'payload':{'v':1}}]}"),
           UP("{'points':[{'id':'{ABCDEF01-2345-6789-0ABC-DEF012345678}','vector':[1,0,0,0],"
              "'payload':{'v':2}}]}")),
     REQ("POST", "/collections/c/points"),
     .body = "{'ids':['urn:uuid:ABCDEF01-2345-6789-0ABC-DEF012345678']}",
     OK("[{'id':'" CANON "','payload':{'v':2}}]")},
    {.name = "number_and_uuid_are_distinct", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':5,'vector':[1,0,0,0]},"
              "{'id':'00000000-0000-0000-0000-000000000005','vector':[1,0,0,0]}]}")),
     REQ("POST", "/collections/c/points/count"), .body = "{}", OK("{'count':2}")},
    {.name = "id_u64_max_round_trip", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':18446744073709551615,'vector':[1,0,0,0]}]}")),
     REQ("POST", "/collections/c/points/scroll"), .body = "{}", OK("{'points':[{'id':'@uint'}]}"),
     .pred = has_u64_max},
    {.name = "id_2p53_plus_1_round_trip", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':9007199254740993,'vector':[1,0,0,0]}]}")),
     REQ("POST", "/collections/c/points/scroll"), .body = "{}", OK("{'points':[{'id':'@uint'}]}"),
     .pred = has_2p53_plus_1},

    {.name = "id_u64_max_get_by_path", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':18446744073709551615,'vector':[1,0,0,0],'payload':{'m':1}},"
              "{'id':18446744073709551614,'vector':[1,0,0,0],'payload':{'m':2}}]}")),
     REQ("GET", "/collections/c/points/18446744073709551615"), OK("{'payload':{'m':1}}"),
     .pred = has_u64_max},
    {.name = "id_big_neighbours_distinct", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':9007199254740993,'vector':[1,0,0,0],'payload':{'m':1}},"
              "{'id':9007199254740992,'vector':[1,0,0,0],'payload':{'m':2}}]}"),
           {"POST", "/collections/c/points/delete?wait=true", "{'points':[9007199254740992]}"}),
     REQ("POST", "/collections/c/points"), .body = "{'ids':[9007199254740993,9007199254740992]}",
     OK("[{'payload':{'m':1}}]"), .pred = has_2p53_plus_1},
    {.name = "id_big_scroll_order_and_offset", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':18446744073709551615,'vector':[1,0,0,0]},"
              "{'id':9007199254740993,'vector':[1,0,0,0]},{'id':9007199254740992,'vector':[1,0,0,0]},"
              "{'id':'" DT_UUID_1 "','vector':[1,0,0,0]}]}")),
     REQ("POST", "/collections/c/points/scroll"),
     .body = "{'offset':9007199254740993,'limit':2,'with_payload':false}",
     OK("{'points':[{'id':'@uint'},{'id':'@uint'}],'next_page_offset':'" DT_UUID_1 "'}"),
     .pred = big_ids_in_order},
    {.name = "id_u64_max_has_id_filter", .fixture = DT_FX_EMPTY,
     STEPS(UP("{'points':[{'id':18446744073709551615,'vector':[1,0,0,0]},"
              "{'id':18446744073709551614,'vector':[1,0,0,0]}]}")),
     REQ("POST", "/collections/c/points/count"),
     .body = "{'filter':{'must':[{'has_id':[18446744073709551615]}]}}", OK("{'count':1}")},

    /* Invalid ids -> 400 (section 4). */
    {.name = "id_negative_400", .fixture = DT_FX_EMPTY, REQ("PUT", "/collections/c/points"),
     .body = "{'points':[{'id':-1,'vector':[1,0,0,0]}]}", ERR(400, INVALID_ID)},
    {.name = "id_fraction_400", .fixture = DT_FX_EMPTY, REQ("PUT", "/collections/c/points"),
     .body = "{'points':[{'id':1.5,'vector':[1,0,0,0]}]}", ERR(400, INVALID_ID)},
    {.name = "id_not_uuid_400", .fixture = DT_FX_EMPTY, REQ("PUT", "/collections/c/points"),
     .body = "{'points':[{'id':'not-a-uuid','vector':[1,0,0,0]}]}", ERR(400, INVALID_ID)},
    {.name = "id_numeric_string_400", .fixture = DT_FX_EMPTY, REQ("PUT", "/collections/c/points"),
     .body = "{'points':[{'id':'42','vector':[1,0,0,0]}]}", ERR(400, INVALID_ID)},
    {.name = "id_u64_overflow_400", .fixture = DT_FX_EMPTY, REQ("PUT", "/collections/c/points"),
     .body = "{'points':[{'id':18446744073709551616,'vector':[1,0,0,0]}]}", ERR(400, "")},
    {.name = "id_invalid_in_retrieve_400", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points"), .body = "{'ids':[-3]}", ERR(400, INVALID_ID)},
    {.name = "id_invalid_in_delete_400", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/delete"), .body = "{'points':['zz']}",
     ERR(400, INVALID_ID)},

    /* Delete. */
    {.name = "delete_by_ids_result", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/delete?wait=true"), .body = "{'points':[1,2]}",
     OK("{'operation_id':'@any','status':'completed'}")},
    {.name = "delete_by_ids_count", .fixture = DT_FX_BASIC,
     STEPS({"POST", "/collections/c/points/delete?wait=true", "{'points':[1,2]}"}),
     REQ("POST", "/collections/c/points/count"), .body = "{}", OK("{'count':4}")},
    {.name = "delete_absent_id_ok", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/delete"), .body = "{'points':[99]}",
     OK("{'status':'acknowledged'}")},
    {.name = "delete_uuid_other_form", .fixture = DT_FX_BASIC,
     STEPS({"POST", "/collections/c/points/delete?wait=true",
            "{'points':['936DA01F9ABD4D9D80C702AF85C822A8']}"}),
     REQ("POST", "/collections/c/points/scroll"), .body = "{'offset':'" DT_UUID_1 "'}",
     OK("{'points':[{'id':'" DT_UUID_1 "'}],'next_page_offset':null}")},
    {.name = "delete_by_filter", .fixture = DT_FX_BASIC,
     STEPS({"POST", "/collections/c/points/delete?wait=true",
            "{'filter':{'must':[{'key':'tenant','match':{'value':'a'}}]}}"}),
     REQ("POST", "/collections/c/points/scroll"), .body = "{}",
     OK(SCROLL_IDS("{'id':3},{'id':10},{'id':'" DT_UUID_1 "'}"))},

    /* Scroll (section 2): id order, numbers before UUIDs, inclusive offset. */
    {.name = "scroll_order_numbers_then_uuids", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"), .body = "{}",
     OK("{'points':[{'id':1},{'id':2},{'id':3},{'id':10},{'id':'" DT_UUID_1 "'},"
        "{'id':'" DT_UUID_A "'}],'next_page_offset':null}")},
    {.name = "scroll_defaults_payload_true_vector_false", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"), .body = "{'limit':1}",
     OK("{'points':[{'id':1,'payload':{'tenant':'a','n':1,'tags':['x','y'],'f':1.5,"
        "'meta':{'lang':'en'}},'vector':'@null-or-absent'}]}")},
    {.name = "scroll_with_vector_no_payload", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"),
     .body = "{'limit':1,'with_payload':false,'with_vector':true}",
     OK("{'points':[{'id':1,'payload':'@null-or-absent','vector':[1,0,0,0]}]}")},
    {.name = "scroll_limit_next_page_offset", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"), .body = "{'limit':2}",
     OK("{'points':[{'id':1},{'id':2}],'next_page_offset':3}")},
    {.name = "scroll_offset_inclusive", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"), .body = "{'offset':3,'limit':2}",
     OK("{'points':[{'id':3},{'id':10}],'next_page_offset':'" DT_UUID_1 "'}")},
    {.name = "scroll_offset_between_ids", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"), .body = "{'offset':4,'limit':1}",
     OK("{'points':[{'id':10}],'next_page_offset':'" DT_UUID_1 "'}")},
    {.name = "scroll_last_page_null", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"),
     .body = "{'offset':'" DT_UUID_1 "','limit':2}",
     OK("{'points':[{'id':'" DT_UUID_1 "'},{'id':'" DT_UUID_A "'}],'next_page_offset':null}")},
    {.name = "scroll_page_ends_exactly_null", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"), .body = "{'offset':10,'limit':3}",
     OK("{'points':[{'id':10},{'id':'" DT_UUID_1 "'},{'id':'" DT_UUID_A "'}],"
        "'next_page_offset':null}")},
    {.name = "scroll_offset_uuid_simple_form", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"),
     .body = "{'offset':'936DA01F9ABD4D9D80C702AF85C822A8'}",
     OK("{'points':[{'id':'" DT_UUID_A "'}],'next_page_offset':null}")},
    {.name = "scroll_filtered", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"),
     .body = "{'filter':{'must':[{'key':'tenant','match':{'value':'a'}}]}}",
     OK(SCROLL_IDS("{'id':1},{'id':2},{'id':'" DT_UUID_A "'}"))},
    {.name = "scroll_filtered_next_page_is_next_match", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"),
     .body = "{'offset':2,'limit':1,'filter':{'must':[{'key':'tenant','match':{'value':'a'}}]}}",
     OK("{'points':[{'id':2}],'next_page_offset':'" DT_UUID_A "'}")},
    {.name = "scroll_filtered_last_match_null", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/scroll"),
     .body = "{'limit':2,'filter':{'must':[{'key':'tenant','match':{'value':'b'}}]}}",
     OK("{'points':[{'id':3},{'id':10}],'next_page_offset':null}")},
    {.name = "scroll_default_limit_10", .fixture = DT_FX_TWELVE,
     REQ("POST", "/collections/c/points/scroll"), .body = "{}",
     OK("{'points':[{'id':1},{'id':2},{'id':3},{'id':4},{'id':5},{'id':6},{'id':7},{'id':8},"
        "{'id':9},{'id':10}],'next_page_offset':11}")},
    {.name = "scroll_empty_collection", .fixture = DT_FX_EMPTY,
     REQ("POST", "/collections/c/points/scroll"), .body = "{}",
     OK("{'points':[],'next_page_offset':null}")},

    /* Count. */
    {.name = "count_all", .fixture = DT_FX_BASIC, REQ("POST", "/collections/c/points/count"),
     .body = "{}", OK("{'count':6}")},
    {.name = "count_exact_false", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/count"), .body = "{'exact':false}",
     OK("{'count':'@uint'}")},
    {.name = "count_filtered", .fixture = DT_FX_BASIC, REQ("POST", "/collections/c/points/count"),
     .body = "{'exact':true,'filter':{'must':[{'key':'tenant','match':{'value':'b'}}]}}",
     OK("{'count':2}")},

    /* Payload indexes. */
    {.name = "index_create_acknowledged", .fixture = DT_FX_BASIC,
     REQ("PUT", "/collections/c/index"),
     .body = "{'field_name':'tenant','field_schema':{'type':'keyword','is_tenant':true}}",
     OK("{'operation_id':'@any','status':'acknowledged'}")},
    {.name = "index_create_wait_completed", .fixture = DT_FX_BASIC,
     REQ("PUT", "/collections/c/index?wait=true"),
     .body = "{'field_name':'tenant','field_schema':'keyword'}", OK("{'status':'completed'}")},
    {.name = "index_keyword_is_tenant_in_schema", .fixture = DT_FX_BASIC,
     STEPS({"PUT", "/collections/c/index?wait=true",
            "{'field_name':'tenant','field_schema':{'type':'keyword','is_tenant':true}}"}),
     REQ("GET", "/collections/c"),
     OK("{'payload_schema':{'tenant':{'data_type':'keyword',"
        "'params':{'type':'keyword','is_tenant':true},'points':6}}}")},
    {.name = "index_points_counted_when_created_first", .fixture = DT_FX_BASIC_INDEXED_FIRST,
     REQ("GET", "/collections/c"),
     OK("{'points_count':6,'payload_schema':{'tenant':{'data_type':'keyword','points':6},"
        "'n':{'data_type':'integer','points':4}}}")},
    {.name = "index_all_types_in_schema", .fixture = DT_FX_BASIC,
     STEPS({"PUT", "/collections/c/index?wait=true", "{'field_name':'n','field_schema':'integer'}"},
           {"PUT", "/collections/c/index?wait=true", "{'field_name':'f','field_schema':'float'}"},
           {"PUT", "/collections/c/index?wait=true", "{'field_name':'other','field_schema':'bool'}"},
           {"PUT", "/collections/c/index?wait=true", "{'field_name':'title','field_schema':'text'}"},
           {"PUT", "/collections/c/index?wait=true", "{'field_name':'u','field_schema':'uuid'}"},
           {"PUT", "/collections/c/index?wait=true",
            "{'field_name':'at','field_schema':'datetime'}"},
           {"PUT", "/collections/c/index?wait=true",
            "{'field_name':'tenant','field_schema':'keyword'}"}),
     REQ("GET", "/collections/c"),
     OK("{'payload_schema':{'n':{'data_type':'integer'},'f':{'data_type':'float'},"
        "'other':{'data_type':'bool'},'title':{'data_type':'text'},'u':{'data_type':'uuid'},"
        "'at':{'data_type':'datetime'},'tenant':{'data_type':'keyword'}}}")},
    {.name = "index_params_forms_accepted", .fixture = DT_FX_BASIC,
     STEPS({"PUT", "/collections/c/index?wait=true",
            "{'field_name':'n','field_schema':{'type':'integer','lookup':true,'range':true,"
            "'is_principal':false}}"},
           {"PUT", "/collections/c/index?wait=true",
            "{'field_name':'u','field_schema':{'type':'uuid','is_tenant':true}}"},
           {"PUT", "/collections/c/index?wait=true",
            "{'field_name':'f','field_schema':{'type':'float','memory':'cold'}}"}),
     REQ("PUT", "/collections/c/index?wait=true"),
     .body = "{'field_name':'tenant','field_schema':{'type':'keyword','is_tenant':true,"
             "'on_disk':true,'memory':'cached','enable_hnsw':false,'prefix':true}}",
     OK("{'status':'completed'}")},
    {.name = "index_delete_removes_schema", .fixture = DT_FX_BASIC,
     STEPS({"PUT", "/collections/c/index?wait=true",
            "{'field_name':'tenant','field_schema':'keyword'}"},
           {"DELETE", "/collections/c/index/tenant?wait=true", NULL}),
     REQ("GET", "/collections/c"), OK("{'payload_schema':{'tenant':'@absent'}}")},
    {.name = "index_delete_result", .fixture = DT_FX_BASIC,
     STEPS({"PUT", "/collections/c/index?wait=true",
            "{'field_name':'tenant','field_schema':'keyword'}"}),
     REQ("DELETE", "/collections/c/index/tenant?wait=true"), OK("{'status':'completed'}")},
    {.name = "index_unknown_type_400", .fixture = DT_FX_BASIC, REQ("PUT", "/collections/c/index"),
     .body = "{'field_name':'tenant','field_schema':'colour'}",
     ERR(400, "Format error in JSON body: ")},
};

const dt_group_t dt_group_points = {"points", cases, sizeof cases / sizeof cases[0]};
