/* cases_hybrid.c: sparse vectors, IDF, prefetch, fusion, groups, full-text matching and
 * collection metadata (issue 16's devserver side, issue 14's metadata). Expected values
 * are derived below from Qdrant's formulas (docs/devserver.md names the source files).
 *
 * Fixture HYB, collection `h`: dense `d` (Dot, 2), sparse `s` (modifier idf) and sparse
 * `p` (no modifier); both sparse vectors of a point are equal:
 *   id 1  d [1,0]  sparse {1: 1, 3: 0.5}  tenant a
 *   id 2  d [0,1]  sparse {1: 2}          tenant a
 *   id 3  d [1,1]  sparse {7: 1}          tenant b
 * IDF (query_context.rs fancy_idf) is ln((N - df + 0.5) / (df + 0.5) + 1):
 *   whole shard, N = 3: idf(1) = ln(1.5/2.5 + 1) = ln 1.6 = 0.4700036,
 *                       idf(3) = ln(2.5/1.5 + 1) = ln(8/3) = 0.9808293
 *   corpus tenant a, N = 2: idf(1) = ln(0.5/2.5 + 1) = ln 1.2 = 0.1823216,
 *                           idf(3) = ln(1.5/1.5 + 1) = ln 2 = 0.6931472
 * Query Q = {1: 1, 3: 1} on `s`: id 1 = 0.4700036 + 0.5 * 0.9808293 = 0.9604182,
 * id 2 = 2 * 0.4700036 = 0.9400073, id 3 shares no index and is not a result.
 * RRF (reciprocal_rank_fusion.rs, k = 2): position p scores 1 / (p + k). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dt_table.h"

#define HQUERY REQ("POST", "/collections/h/points/query")
#define Q "{'indices':[3,1],'values':[1,1]}"
#define TENANT(t) "{'must':[{'key':'t','match':{'value':'" t "'}}]}"

static const dt_step_t hyb[] = {
    {"PUT", "/collections/h",
     "{'vectors':{'d':{'size':2,'distance':'Dot'}},"
     "'sparse_vectors':{'s':{'modifier':'idf'},'p':{}}}"},
    {"PUT", "/collections/h/points?wait=true",
     "{'points':["
     "{'id':1,'vector':{'d':[1,0],'s':{'indices':[3,1],'values':[0.5,1]},"
     "'p':{'indices':[3,1],'values':[0.5,1]}},'payload':{'t':'a','doc':'x'}},"
     "{'id':2,'vector':{'d':[0,1],'s':{'indices':[1],'values':[2]},"
     "'p':{'indices':[1],'values':[2]}},'payload':{'t':'a','doc':'y'}},"
     "{'id':3,'vector':{'d':[1,1],'s':{'indices':[7],'values':[1]},"
     "'p':{'indices':[7],'values':[1]}},'payload':{'t':'b','doc':'x'}}]}"},
    {0}};

/* The same points in batch form. */
static const dt_step_t hyb_batch[] = {
    {"PUT", "/collections/h",
     "{'vectors':{'d':{'size':2,'distance':'Dot'}},'sparse_vectors':{'s':{'modifier':'idf'}}}"},
    {"PUT", "/collections/h/points?wait=true",
     "{'batch':{'ids':[1,2,3],'vectors':{'d':[[1,0],[0,1],[1,1]],"
     "'s':[{'indices':[3,1],'values':[0.5,1]},{'indices':[1],'values':[2]},"
     "{'indices':[7],'values':[1]}]},'payloads':[{'t':'a'},{'t':'a'},{'t':'b'}]}}"},
    {0}};

/* Groups: Dot scores of query [1] are the stored values. */
static const dt_step_t grp[] = {
    {"PUT", "/collections/g", "{'vectors':{'size':1,'distance':'Dot'}}"},
    {"PUT", "/collections/g/points?wait=true",
     "{'points':[{'id':1,'vector':[5],'payload':{'doc':'a'}},"
     "{'id':2,'vector':[4],'payload':{'doc':'a'}},{'id':3,'vector':[3],'payload':{'doc':'b'}},"
     "{'id':4,'vector':[2],'payload':{'doc':7}},{'id':5,'vector':[1],'payload':{'doc':'a'}},"
     "{'id':6,'vector':[6]},{'id':7,'vector':[7],'payload':{'doc':1.5}}]}"},
    {"PUT", "/collections/docs", "{'vectors':{'size':1,'distance':'Dot'}}"},
    {"PUT", "/collections/docs/points?wait=true",
     "{'points':[{'id':7,'vector':[1],'payload':{'title':'seven'}}]}"},
    {0}};

static const dt_step_t txt[] = {
    {"PUT", "/collections/t", "{'vectors':{'size':1,'distance':'Dot'}}"},
    {"PUT", "/collections/t/points?wait=true",
     "{'points':[{'id':1,'vector':[1],'payload':{'body':'Error E-4711: Disk FULL'}},"
     "{'id':2,'vector':[1],'payload':{'body':'disk fuller'}}]}"},
    {0}};

static const dt_step_t txt_indexed[] = {
    {"PUT", "/collections/t", "{'vectors':{'size':1,'distance':'Dot'}}"},
    {"PUT", "/collections/t/points?wait=true",
     "{'points':[{'id':1,'vector':[1],'payload':{'body':'Error E-4711: Disk FULL'}},"
     "{'id':2,'vector':[1],'payload':{'body':'disk fuller'}}]}"},
    {"PUT", "/collections/t/index?wait=true",
     "{'field_name':'body','field_schema':{'type':'text','tokenizer':'word','lowercase':true}}"},
    {0}};

static const dt_step_t meta[] = {
    {"PUT", "/collections/m",
     "{'vectors':{'size':1,'distance':'Dot'},'metadata':{'a':1,'b':2,'c':3}}"},
    {0}};

static const dt_step_t nometa[] = {{"PUT", "/collections/m", "{'vectors':{'size':1,'distance':'Dot'}}"},
                                   {0}};

/* Two shard keys: IDF statistics are per shard. Shard A: {1: 1}, {2: 1}, so N = 2,
 * df(1) = 1, idf(1) = ln(1.5 / 1.5 + 1) = ln 2 = 0.6931472. Shard B: {1: 1} twice and
 * {3: 1}, N = 3, df(1) = 2, idf(1) = ln(1.5 / 2.5 + 1) = ln 1.6 = 0.4700036. */
static const dt_step_t sharded[] = {
    {"PUT", "/collections/s",
     "{'sparse_vectors':{'s':{'modifier':'idf'}},'sharding_method':'custom'}"},
    {"PUT", "/collections/s/shards", "{'shard_key':'A'}"},
    {"PUT", "/collections/s/shards", "{'shard_key':'B'}"},
    {"PUT", "/collections/s/points?wait=true",
     "{'points':[{'id':1,'vector':{'s':{'indices':[1],'values':[1]}}},"
     "{'id':2,'vector':{'s':{'indices':[2],'values':[1]}}}],'shard_key':'A'}"},
    {"PUT", "/collections/s/points?wait=true",
     "{'points':[{'id':3,'vector':{'s':{'indices':[1],'values':[1]}}},"
     "{'id':4,'vector':{'s':{'indices':[1],'values':[1]}}},"
     "{'id':5,'vector':{'s':{'indices':[3],'values':[1]}}}],'shard_key':'B'}"},
    {0}};

#define COUNT(match) "{'filter':{'must':[{'key':'body','match':" match "}]}}"

static const dt_case_t cases[] = {
    /* Sparse storage and validation (sparse_vector.rs validate_sparse_vector_impl). */
    {.name = "sparse_retrieve_sorted", .fixture = hyb, REQ("POST", "/collections/h/points"),
     .body = "{'ids':[1],'with_vector':['s']}",
     OK("[{'id':1,'vector':{'@only':true,'s':{'indices':[1,3],'values':[1,0.5]}}}]")},
    {.name = "sparse_config_reported", .fixture = hyb, REQ("GET", "/collections/h"),
     OK("{'config':{'params':{'sparse_vectors':{'s':{'modifier':'idf'},'p':{}}}}}")},
    {.name = "sparse_length_mismatch_422", .fixture = hyb,
     REQ("PUT", "/collections/h/points?wait=true"),
     .body = "{'points':[{'id':9,'vector':{'s':{'indices':[1,2],'values':[1]}}}]}",
     ERR(422, "Validation error in JSON body: [points[0].vector.?.values: Validation error: "
              "must be the same length as indices [{}]]")},
    {.name = "sparse_duplicate_indices_422", .fixture = hyb,
     REQ("PUT", "/collections/h/points?wait=true"),
     .body = "{'points':[{'id':9,'vector':{'s':{'indices':[4,4],'values':[1,2]}}}]}",
     ERR(422, "Validation error in JSON body: [points[0].vector.?.indices: Validation error: "
              "must be unique [{}]]")},
    {.name = "sparse_index_not_u32_400", .fixture = hyb,
     REQ("PUT", "/collections/h/points?wait=true"),
     .body = "{'points':[{'id':9,'vector':{'s':{'indices':[-1],'values':[1]}}}]}",
     ERR(400, "Format error in JSON body: ")},
    {.name = "dense_value_for_sparse_400", .fixture = hyb,
     REQ("PUT", "/collections/h/points?wait=true"),
     .body = "{'points':[{'id':9,'vector':{'s':[1,2]}}]}",
     ERR(400, "Wrong input: Conversion between sparse and regular vectors failed")},
    /* Scoring. */
    {.name = "sparse_idf_scores", .fixture = hyb, HQUERY,
     .body = "{'query':" Q ",'using':'s'}",
     OK("{'points':[{'id':1,'score':0.9604182},{'id':2,'score':0.9400073}]}")},
    {.name = "sparse_idf_scores_batch_upsert", .fixture = hyb_batch, HQUERY,
     .body = "{'query':{'nearest':" Q "},'using':'s'}",
     OK("{'points':[{'id':1,'score':0.9604182},{'id':2,'score':0.9400073}]}")},
    /* No modifier: plain dot product, id 2 = 2, id 1 = 1 + 0.5. */
    {.name = "sparse_plain_dot", .fixture = hyb, HQUERY, .body = "{'query':" Q ",'using':'p'}",
     OK("{'points':[{'id':2,'score':2},{'id':1,'score':1.5}]}")},
    /* IDF corpus = tenant a: id 1 = 0.1823216 + 0.5 * 0.6931472, id 2 = 2 * 0.1823216. */
    {.name = "sparse_idf_corpus", .fixture = hyb, HQUERY,
     .body = "{'query':" Q ",'using':'s','params':{'idf':{'corpus':" TENANT("a") "}}}",
     OK("{'points':[{'id':1,'score':0.5288952},{'id':2,'score':0.3646431}]}")},
    {.name = "sparse_idf_global_keyword", .fixture = hyb, HQUERY,
     .body = "{'query':" Q ",'using':'s','params':{'idf':'global'},'limit':1}",
     OK("{'points':[{'id':1,'score':0.9604182}]}")},
    /* Another tenant's documents full of term 1 do not move tenant a's corpus scores. */
    {.name = "sparse_idf_corpus_isolated", .fixture = hyb,
     STEPS({"PUT", "/collections/h/points?wait=true",
            "{'points':[{'id':20,'vector':{'s':{'indices':[1],'values':[1]}},'payload':{'t':'b'}},"
            "{'id':21,'vector':{'s':{'indices':[1,3],'values':[1,1]}},'payload':{'t':'b'}}]}"}),
     HQUERY,
     .body = "{'query':" Q ",'using':'s','filter':" TENANT("a") ","
             "'params':{'idf':{'corpus':" TENANT("a") "}}}",
     OK("{'points':[{'id':1,'score':0.5288952},{'id':2,'score':0.3646431}]}")},
    /* The incident's shape: terms only another tenant's documents hold, tenant a's
     * filter: nothing comes back, in a plain and in a fused query. */
    {.name = "foreign_terms_find_nothing", .fixture = hyb, HQUERY,
     .body = "{'query':{'indices':[7],'values':[1]},'using':'s','filter':" TENANT("a") "}",
     OK("{'points':[]}")},
    {.name = "foreign_terms_fused_find_only_own", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':{'indices':[7],'values':[1]},'using':'s'},"
             "{'query':[1,1],'using':'d'}],'query':{'fusion':'rrf'},'filter':" TENANT("a") ","
             "'with_payload':true}",
     OK("{'points':[{'id':1,'payload':{'t':'a'}},{'id':2,'payload':{'t':'a'}}]}")},
    {.name = "idf_per_shard_fan_out", .profile = DT_CLUSTER, .fixture = sharded,
     REQ("POST", "/collections/s/points/query"),
     .body = "{'query':{'indices':[1],'values':[1]},'using':'s'}",
     OK("{'points':[{'id':1,'score':0.6931472,'shard_key':'A'},"
        "{'id':3,'score':0.4700036,'shard_key':'B'},{'id':4,'score':0.4700036}]}")},
    {.name = "idf_per_shard_one_key", .profile = DT_CLUSTER, .fixture = sharded,
     REQ("POST", "/collections/s/points/query"),
     .body = "{'query':{'indices':[1],'values':[1]},'using':'s','shard_key':'B'}",
     OK("{'points':[{'id':3,'score':0.4700036},{'id':4,'score':0.4700036}]}")},
    {.name = "sparse_threshold", .fixture = hyb, HQUERY,
     .body = "{'query':" Q ",'using':'s','score_threshold':0.95}",
     OK("{'points':[{'id':1,'score':0.9604182}]}")},
    {.name = "sparse_query_by_id", .fixture = hyb, HQUERY, .body = "{'query':2,'using':'p'}",
     OK("{'points':[{'id':1,'score':2}]}")},
    {.name = "dense_query_on_sparse_400", .fixture = hyb, HQUERY,
     .body = "{'query':[1,1],'using':'s'}",
     ERR(400, "Wrong input: Conversion between sparse and regular vectors failed")},
    {.name = "sparse_query_on_dense_400", .fixture = hyb, HQUERY,
     .body = "{'query':" Q ",'using':'d'}",
     ERR(400, "Wrong input: Conversion between sparse and regular vectors failed")},

    /* Prefetch and fusion. */
    /* Both lists rank id 1 then id 2 (dense [1,1] gives 1 and 1, tie broken by id):
     * id 1 = 1/2 + 1/2, id 2 = 1/3 + 1/3. */
    {.name = "rrf_with_top_filter", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s'},{'query':[1,1],'using':'d'}],"
             "'query':{'fusion':'rrf'},'filter':" TENANT("a") "}",
     OK("{'points':[{'id':1,'score':1},{'id':2,'score':0.6666667}]}")},
    /* k = 1: position p scores 1 / (p + 1). */
    {.name = "rrf_k_param", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s'},{'query':[1,1],'using':'d'}],"
             "'query':{'rrf':{'k':1}},'filter':" TENANT("a") "}",
     OK("{'points':[{'id':1,'score':2},{'id':2,'score':1}]}")},
    /* Weights: 1 / ((p + 1) / w + k - 1); w = 2 for the sparse list, 0 for the dense:
     * id 1 = 1 / (1/2 + 1) = 0.6666667, id 2 = 1 / (2/2 + 1) = 0.5. */
    {.name = "rrf_weights", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s'},{'query':[1,1],'using':'d'}],"
             "'query':{'rrf':{'weights':[2,0]}},'filter':" TENANT("a") "}",
     OK("{'points':[{'id':1,'score':0.6666667},{'id':2,'score':0.5}]}")},
    /* The top-level filter reaches the leaf: id 3 overlaps term 7 but is tenant b. */
    {.name = "top_filter_reaches_leaf", .fixture = hyb, HQUERY,
     .body = "{'prefetch':{'query':{'indices':[7,1],'values':[1,1]},'using':'p'},"
             "'query':{'fusion':'rrf'},'filter':" TENANT("a") "}",
     OK("{'points':[{'id':2,'score':0.5},{'id':1,'score':0.33333334}]}")},
    {.name = "top_filter_nested_leaf", .fixture = hyb, HQUERY,
     .body = "{'prefetch':{'prefetch':{'query':{'indices':[7],'values':[1]},'using':'p'},"
             "'query':{'fusion':'rrf'}},'query':{'fusion':'rrf'},'filter':" TENANT("a") "}",
     OK("{'points':[]}")},
    /* A prefetch limit bounds its candidates: only the best sparse hit survives. */
    {.name = "prefetch_limit_bounds", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s','limit':1}],'query':{'fusion':'rrf'}}",
     OK("{'points':[{'id':1,'score':0.5}]}")},
    /* Fused scores keep score >= threshold. */
    {.name = "fusion_threshold_inclusive", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s'}],'query':{'fusion':'rrf'},"
             "'score_threshold':0.5}",
     OK("{'points':[{'id':1,'score':0.5}]}")},
    {.name = "fusion_offset_limit", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s'}],'query':{'fusion':'rrf'},"
             "'offset':1,'limit':1}",
     OK("{'points':[{'id':2,'score':0.33333334}]}")},
    /* DBSF (score_fusion.rs distr_norm, f32 Welford): sparse list [0.9604182,
     * 0.9400073] has mean 0.9502127, sample sd 0.0144327, bounds mean -/+ 3 sd =
     * 0.9069146, 0.9935108: id 1 -> 0.6178516, id 2 -> 0.3821491. Dense list [2 (id 3),
     * 1, 1]: mean 4/3, sd 0.5773503, bounds -0.3987174, 3.0653841: id 3 -> 0.6924501,
     * 1 -> 0.4037749. Sums: id 1 = 1.0216266, id 2 = 0.7859240, id 3 = 0.6924501. */
    {.name = "dbsf", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s'},{'query':[1,1],'using':'d'}],"
             "'query':{'fusion':'dbsf'}}",
     OK("{'points':[{'id':1,'score':1.0216266},{'id':2,'score':0.7859240},"
        "{'id':3,'score':0.6924501}]}")},
    /* Rescoring the sparse candidates (ids 1, 2) with a dense query. */
    {.name = "prefetch_rescore_dense", .fixture = hyb, HQUERY,
     .body = "{'prefetch':{'query':" Q ",'using':'s'},'query':[0,1],'using':'d'}",
     OK("{'points':[{'id':2,'score':1},{'id':1,'score':0}]}")},
    {.name = "prefetch_with_payload", .fixture = hyb, HQUERY,
     .body = "{'prefetch':{'query':" Q ",'using':'s'},'query':{'fusion':'rrf'},"
             "'with_payload':['t'],'limit':1}",
     OK("{'points':[{'id':1,'payload':{'@only':true,'t':'a'}}]}")},
    {.name = "fusion_without_prefetch_400", .fixture = hyb, HQUERY,
     .body = "{'query':{'fusion':'rrf'}}",
     ERR(400, "Wrong input: Validation failed: cannot apply Fusion without prefetches")},
    {.name = "prefetch_without_query_400", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s'}]}",
     ERR(400, "Wrong input: Validation failed: cannot have prefetches without a query")},
    {.name = "rrf_weights_count_400", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s'}],'query':{'rrf':{'weights':[1,2]}}}",
     ERR(400, "Wrong input: Validation failed: Number of weights in RRF should match")},
    {.name = "rrf_k_zero_422", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s'}],'query':{'rrf':{'k':0}}}",
     ERR(422, "Validation error in JSON body: ")},
    {.name = "prefetch_bad_filter_400", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s','filter':{'musst':[]}}],"
             "'query':{'fusion':'rrf'}}",
     ERR(400, "Format error in JSON body: ")},
    {.name = "prefetch_limit_zero_422", .fixture = hyb, HQUERY,
     .body = "{'prefetch':[{'query':" Q ",'using':'s','limit':0}],'query':{'fusion':'rrf'}}",
     ERR(422, "Validation error in JSON body: ")},

    /* Groups (lib/shard/src/grouping): groups ranked by their best hit, hits by score;
     * points without the field (6) or with a float value (7) are skipped. */
    {.name = "groups_basic", .fixture = grp, REQ("POST", "/collections/g/points/query/groups"),
     .body = "{'query':[1],'group_by':'doc','group_size':2,'limit':2}",
     OK("{'groups':[{'id':'a','hits':[{'id':1,'score':5},{'id':2,'score':4}]},"
        "{'id':'b','hits':[{'id':3,'score':3}]}]}")},
    {.name = "groups_integer_key", .fixture = grp,
     REQ("POST", "/collections/g/points/query/groups"),
     .body = "{'query':[1],'group_by':'doc','group_size':1,'limit':5,'with_payload':true}",
     OK("{'groups':[{'id':'a','hits':[{'id':1,'payload':{'doc':'a'}}]},"
        "{'id':'b','hits':[{'id':3}]},{'id':7,'hits':[{'id':4}]}]}")},
    {.name = "groups_with_lookup", .fixture = grp,
     REQ("POST", "/collections/g/points/query/groups"),
     .body = "{'query':[1],'group_by':'doc','group_size':1,'limit':5,'with_lookup':'docs',"
             "'filter':{'must':[{'key':'doc','match':{'value':7}}]}}",
     OK("{'groups':[{'id':7,'hits':[{'id':4}],'lookup':{'id':7,'payload':{'title':'seven'}}}]}")},
    {.name = "groups_hybrid", .fixture = hyb, REQ("POST", "/collections/h/points/query/groups"),
     .body = "{'prefetch':[{'query':" Q ",'using':'s'},{'query':[1,1],'using':'d'}],"
             "'query':{'fusion':'rrf'},'group_by':'doc','group_size':1,'limit':2}",
     OK("{'groups':[{'id':'x','hits':[{'id':1}]},{'id':'y','hits':[{'id':2}]}]}")},
    {.name = "groups_missing_group_by_400", .fixture = grp,
     REQ("POST", "/collections/g/points/query/groups"), .body = "{'query':[1]}",
     ERR(400, "Format error in JSON body: missing field `group_by`")},
    {.name = "groups_size_zero_422", .fixture = grp,
     REQ("POST", "/collections/g/points/query/groups"),
     .body = "{'query':[1],'group_by':'doc','group_size':0}",
     ERR(422, "Validation error in JSON body: ")},

    /* Full text: substring without a text index, tokens with one. */
    {.name = "text_substring_without_index", .fixture = txt,
     REQ("POST", "/collections/t/points/count"), .body = COUNT("{'text':'disk ful'}"),
     OK("{'count':1}")},
    {.name = "text_all_tokens", .fixture = txt_indexed,
     REQ("POST", "/collections/t/points/count"), .body = COUNT("{'text':'DISK full'}"),
     OK("{'count':1}")},
    {.name = "text_partial_token_no_match", .fixture = txt_indexed,
     REQ("POST", "/collections/t/points/count"), .body = COUNT("{'text':'ful'}"),
     OK("{'count':0}")},
    {.name = "text_word_split", .fixture = txt_indexed,
     REQ("POST", "/collections/t/points/count"), .body = COUNT("{'text':'4711 e'}"),
     OK("{'count':1}")},
    {.name = "text_any", .fixture = txt_indexed, REQ("POST", "/collections/t/points/count"),
     .body = COUNT("{'text_any':'nothing disk'}"), OK("{'count':2}")},
    {.name = "phrase_in_order", .fixture = txt_indexed,
     REQ("POST", "/collections/t/points/count"), .body = COUNT("{'phrase':'disk full'}"),
     OK("{'count':1}")},
    {.name = "phrase_wrong_order", .fixture = txt_indexed,
     REQ("POST", "/collections/t/points/count"), .body = COUNT("{'phrase':'full disk'}"),
     OK("{'count':0}")},

    /* Collection metadata (collection_ops.rs update_metadata, utils.rs merge_map). */
    {.name = "metadata_on_create", .fixture = meta, REQ("GET", "/collections/m"),
     OK("{'config':{'metadata':{'@only':true,'a':1,'b':2,'c':3}}}")},
    {.name = "metadata_absent_when_unset", .fixture = nometa, REQ("GET", "/collections/m"),
     OK("{'config':{'metadata':'@absent'}}")},
    {.name = "metadata_merge_and_delete", .fixture = meta,
     STEPS({"PATCH", "/collections/m", "{'metadata':{'a':null,'b':{'x':1},'d':4}}"}),
     REQ("GET", "/collections/m"), OK("{'config':{'metadata':{'@only':true,'c':3,'b':{'x':1},'d':4}}}")},
    {.name = "metadata_first_patch_stored_as_given", .fixture = nometa,
     STEPS({"PATCH", "/collections/m", "{'metadata':{'a':null,'b':1}}"}),
     REQ("GET", "/collections/m"), OK("{'config':{'metadata':{'@only':true,'a':null,'b':1}}}")},
    {.name = "metadata_not_object_400", .fixture = nometa, REQ("PATCH", "/collections/m"),
     .body = "{'metadata':[1]}", ERR(400, "Format error in JSON body: metadata")},
};

const dt_group_t dt_group_hybrid = {"hybrid", cases, sizeof cases / sizeof cases[0]};
