/* cases_shards.c: custom sharding and shard-key selectors (NOTES.md sections 1, 2
 * and 7): 405 without --cluster-mode, and with it keys, routing of writes and reads,
 * target/fallback selectors and the 400/404 errors. */
#include "dt_table.h"

#define CL DT_CLUSTER
#define UP(body) {"PUT", "/collections/s/points?wait=true", body}
#define MK(key) {"PUT", "/collections/s/shards", "{'shard_key':'" key "'}"}
#define SCROLL REQ("POST", "/collections/s/points/scroll")
#define STANDALONE ERR(405, "@contains:Qdrant is running in standalone mode")
#define REPLICATE_T1 "{'replicate_points':{'from_shard_key':'default','to_shard_key':'t1'," \
                     "'filter':{'must':[{'key':'tenant','match':{'value':'t1'}}]}}}"

/* DT_FX_SHARDED with points 1 (tenant t1) and 2 (tenant t2) in `default`, then key t1
 * created Partial and t1's points replicated into it. */
static const dt_step_t promoted[] = {
    {"PUT", "/collections/s", "{'vectors':{'size':2,'distance':'Dot'},'sharding_method':'custom'}"},
    {"PUT", "/collections/s/shards", "{'shard_key':'default'}"},
    UP("{'points':[{'id':1,'vector':[1,0],'payload':{'tenant':'t1'}},"
       "{'id':2,'vector':[0,1],'payload':{'tenant':'t2'}}],'shard_key':'default'}"),
    {"PUT", "/collections/s/shards", "{'shard_key':'t1','initial_state':'Partial'}"},
    {"POST", "/collections/s/cluster", REPLICATE_T1},
    {0}};

static const dt_case_t cases[] = {
    {.name = "standalone_create_key_405", .fixture = DT_FX_EMPTY,
     REQ("PUT", "/collections/c/shards"), .body = "{'shard_key':'t1'}", STANDALONE},
    {.name = "standalone_delete_key_405", .fixture = DT_FX_EMPTY,
     REQ("POST", "/collections/c/shards/delete"), .body = "{'shard_key':'t1'}", STANDALONE},

    {.name = "create_key", .profile = CL, .fixture = DT_FX_SHARDED,
     REQ("PUT", "/collections/s/shards"), .body = "{'shard_key':'t1','shards_number':1}",
     OK("true")},
    {.name = "create_numeric_key", .profile = CL, .fixture = DT_FX_SHARDED,
     REQ("PUT", "/collections/s/shards"), .body = "{'shard_key':7}", OK("true")},
    {.name = "list_keys", .profile = CL, .fixture = DT_FX_SHARDED, STEPS(MK("t1")),
     REQ("GET", "/collections/s/shards"),
     OK("{'shard_keys':['@unordered',{'key':'default'},{'key':'t1'}]}")},
    {.name = "upsert_without_key_400", .profile = CL, .fixture = DT_FX_SHARDED,
     REQ("PUT", "/collections/s/points"), .body = "{'points':[{'id':1,'vector':[1,0]}]}",
     ERR(400, "Wrong input: Shard key not specified")},
    {.name = "upsert_unknown_key_400", .profile = CL, .fixture = DT_FX_SHARDED,
     REQ("PUT", "/collections/s/points"),
     .body = "{'points':[{'id':1,'vector':[1,0]}],'shard_key':'nokey'}",
     ERR(400, "@contains:Shard key nokey not found")},
    {.name = "upsert_with_key", .profile = CL, .fixture = DT_FX_SHARDED,
     REQ("PUT", "/collections/s/points?wait=true"),
     .body = "{'points':[{'id':1,'vector':[1,0]}],'shard_key':'default'}",
     OK("{'status':'completed'}")},
    {.name = "batch_upsert_with_key", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(UP("{'batch':{'ids':[1,2],'vectors':[[1,0],[0,1]]},'shard_key':'default'}")),
     SCROLL, .body = "{'shard_key':'default'}", OK("{'points':[{'id':1},{'id':2}]}")},
    {.name = "reads_fan_out_without_key", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(MK("t1"), UP("{'points':[{'id':1,'vector':[1,0]}],'shard_key':'default'}"),
           UP("{'points':[{'id':2,'vector':[0,1]}],'shard_key':'t1'}")),
     REQ("POST", "/collections/s/points/count"), .body = "{}", OK("{'count':2}")},
    {.name = "read_one_key", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(MK("t1"), UP("{'points':[{'id':1,'vector':[1,0]}],'shard_key':'default'}"),
           UP("{'points':[{'id':2,'vector':[0,1]}],'shard_key':'t1'}")),
     SCROLL, .body = "{'shard_key':'t1'}", OK("{'points':[{'id':2}]}")},
    {.name = "read_key_list", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(MK("t1"), MK("t2"), UP("{'points':[{'id':1,'vector':[1,0]}],'shard_key':'default'}"),
           UP("{'points':[{'id':2,'vector':[0,1]}],'shard_key':'t1'}"),
           UP("{'points':[{'id':3,'vector':[1,1]}],'shard_key':'t2'}")),
     SCROLL, .body = "{'shard_key':['default','t2']}", OK("{'points':[{'id':1},{'id':3}]}")},
    {.name = "query_one_key", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(MK("t1"), UP("{'points':[{'id':1,'vector':[1,0]}],'shard_key':'default'}"),
           UP("{'points':[{'id':2,'vector':[1,0]}],'shard_key':'t1'}")),
     REQ("POST", "/collections/s/points/query"), .body = "{'query':[1,0],'shard_key':'t1'}",
     OK("{'points':[{'id':2,'score':1}]}")},
    {.name = "retrieve_one_key", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(MK("t1"), UP("{'points':[{'id':1,'vector':[1,0]}],'shard_key':'default'}")),
     REQ("POST", "/collections/s/points"), .body = "{'ids':[1],'shard_key':'t1'}", OK("[]")},
    {.name = "target_missing_uses_fallback", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(UP("{'points':[{'id':5,'vector':[1,0]}],"
              "'shard_key':{'target':'t9','fallback':'default'}}")),
     SCROLL, .body = "{'shard_key':'default'}", OK("{'points':[{'id':5}]}")},
    {.name = "target_present_gets_write", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(MK("t1"), UP("{'points':[{'id':6,'vector':[1,0]}],"
                        "'shard_key':{'target':'t1','fallback':'default'}}")),
     SCROLL, .body = "{'shard_key':'t1'}", OK("{'points':[{'id':6}]}")},
    {.name = "target_present_fallback_untouched", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(MK("t1"), UP("{'points':[{'id':6,'vector':[1,0]}],"
                        "'shard_key':{'target':'t1','fallback':'default'}}")),
     SCROLL, .body = "{'shard_key':'default'}", OK("{'points':[]}")},
    {.name = "target_fallback_read", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(UP("{'points':[{'id':5,'vector':[1,0]}],'shard_key':'default'}")),
     REQ("POST", "/collections/s/points/count"),
     .body = "{'shard_key':{'target':'t9','fallback':'default'}}", OK("{'count':1}")},
    {.name = "neither_key_exists_404", .profile = CL, .fixture = DT_FX_SHARDED,
     REQ("PUT", "/collections/s/points"),
     .body = "{'points':[{'id':1,'vector':[1,0]}],'shard_key':{'target':'t8','fallback':'t9'}}",
     ERR(404, "Not found: Neither target shard key t8 nor fallback shard key t9 exist")},
    {.name = "delete_key_result", .profile = CL, .fixture = DT_FX_SHARDED, STEPS(MK("t1")),
     REQ("POST", "/collections/s/shards/delete"), .body = "{'shard_key':'t1'}", OK("true")},
    {.name = "delete_key_drops_its_points", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(MK("t1"), UP("{'points':[{'id':2,'vector':[0,1]}],'shard_key':'t1'}"),
           {"POST", "/collections/s/shards/delete", "{'shard_key':'t1'}"}),
     REQ("POST", "/collections/s/points/count"), .body = "{}", OK("{'count':0}")},
    {.name = "delete_points_with_key", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(MK("t1"), UP("{'points':[{'id':1,'vector':[1,0]}],'shard_key':'default'}"),
           UP("{'points':[{'id':1,'vector':[1,0]}],'shard_key':'t1'}"),
           {"POST", "/collections/s/points/delete?wait=true",
            "{'points':[1],'shard_key':'t1'}"}),
     SCROLL, .body = "{}", OK("{'points':[{'id':1}]}")},

    /* Tenant promotion (NOTES.md section 7): a Partial key is not used until
     * replicate_points has filled it; then it is Active and target reads go to it. */
    {.name = "partial_key_routes_to_fallback", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS({"PUT", "/collections/s/shards", "{'shard_key':'t1','initial_state':'Partial'}"},
           UP("{'points':[{'id':1,'vector':[1,0]}],'shard_key':{'target':'t1','fallback':'default'}}")),
     SCROLL, .body = "{'shard_key':'default'}", OK("{'points':[{'id':1}]}")},
    {.name = "replicate_points_result", .profile = CL, .fixture = DT_FX_SHARDED,
     STEPS(UP("{'points':[{'id':1,'vector':[1,0],'payload':{'tenant':'t1'}}],'shard_key':'default'}"),
           {"PUT", "/collections/s/shards", "{'shard_key':'t1','initial_state':'Partial'}"}),
     REQ("POST", "/collections/s/cluster"), .body = REPLICATE_T1, OK("true")},
    {.name = "replicate_points_copies_tenant", .profile = CL, .fixture = promoted,
     SCROLL, .body = "{'shard_key':'t1'}", OK("{'points':[{'id':1,'payload':{'tenant':'t1'}}]}")},
    {.name = "replicate_points_keeps_source", .profile = CL, .fixture = promoted,
     SCROLL, .body = "{'shard_key':'default','with_payload':false}",
     OK("{'points':[{'id':1},{'id':2}]}")},
    {.name = "replicated_key_serves_target_reads", .profile = CL, .fixture = promoted,
     REQ("POST", "/collections/s/points/count"),
     .body = "{'shard_key':{'target':'t1','fallback':'default'}}", OK("{'count':1}")},

    /* Shard-key create/delete need global manage access (NOTES.md section 6). */
    {.name = "create_key_collection_token_403", .profile = DT_CLUSTER_AUTH,
     .fixture = DT_FX_SHARDED,
     .cred = {.kind = DT_CRED_JWT_BEARER, .exp = true, .exp_delta = 600,
              .value = "{'access':[{'collection':'s','access':'rw'}]}"},
     REQ("PUT", "/collections/s/shards"), .body = "{'shard_key':'t1'}", ERR(403, "Forbidden: ")},
    {.name = "delete_key_read_only_key_403", .profile = DT_CLUSTER_AUTH, .fixture = DT_FX_SHARDED,
     .cred = {.kind = DT_CRED_APIKEY, .value = DT_RO_KEY},
     REQ("POST", "/collections/s/shards/delete"), .body = "{'shard_key':'default'}",
     ERR(403, "Forbidden: ")},
    {.name = "create_key_manage_token", .profile = DT_CLUSTER_AUTH, .fixture = DT_FX_SHARDED,
     .cred = {.kind = DT_CRED_JWT_BEARER, .value = "{'access':'m'}"},
     REQ("PUT", "/collections/s/shards"), .body = "{'shard_key':'t1'}", OK("true")},
    {.name = "collection_token_reads_with_key", .profile = DT_CLUSTER_AUTH,
     .fixture = DT_FX_SHARDED,
     STEPS(UP("{'points':[{'id':1,'vector':[1,0]}],'shard_key':'default'}")),
     .cred = {.kind = DT_CRED_JWT_BEARER, .value = "{'access':[{'collection':'s','access':'r'}]}"},
     REQ("POST", "/collections/s/points/count"), .body = "{'shard_key':'default'}",
     OK("{'count':1}")},
};

const dt_group_t dt_group_shards = {"shards", cases, sizeof cases / sizeof cases[0]};
