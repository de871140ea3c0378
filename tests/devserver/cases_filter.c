/* cases_filter.c: filter semantics (NOTES.md section 3) over the DT_FX_BASIC points,
 * read back through scroll so every case names the exact ids, in id order, that must
 * match: should [] matches nothing, missing keys fail every match, arrays match on any
 * element, unknown keys are rejected inside a Filter and ignored at the top level.
 * The same table runs again with payload indexes created after and before the data,
 * since an index must never change which points a filter selects. */
#include <string.h>

#include "dt_table.h"

#define SCROLL REQ("POST", "/collections/c/points/scroll")
#define F(filter) .body = "{'limit':100,'with_payload':false,'filter':" filter "}"
#define IDS(...) OK("{'points':[" __VA_ARGS__ "],'next_page_offset':null}")
#define ALL "{'id':1},{'id':2},{'id':3},{'id':10},{'id':'" DT_UUID_1 "'},{'id':'" DT_UUID_A "'}"
#define TEN(v) "{'key':'tenant','match':{'value':'" v "'}}"
#define FMT_ERR ERR(400, "Format error in JSON body: ")

static const dt_case_t cases[] = {
    {.name = "must_value", .fixture = DT_FX_BASIC, SCROLL, F("{'must':[" TEN("a") "]}"),
     IDS("{'id':1},{'id':2},{'id':'" DT_UUID_A "'}")},
    {.name = "must_single_condition_object", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':" TEN("b") "}"), IDS("{'id':3},{'id':10}")},
    {.name = "empty_filter_matches_all", .fixture = DT_FX_BASIC, SCROLL, F("{}"), IDS(ALL)},
    {.name = "must_empty_matches_all", .fixture = DT_FX_BASIC, SCROLL, F("{'must':[]}"), IDS(ALL)},
    {.name = "should_empty_matches_nothing", .fixture = DT_FX_BASIC, SCROLL, F("{'should':[]}"),
     IDS("")},
    {.name = "should_empty_with_must_matches_nothing", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[" TEN("a") "],'should':[]}"), IDS("")},
    {.name = "should_empty_count_zero", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/count"), .body = "{'filter':{'should':[]}}",
     OK("{'count':0}")},
    {.name = "must_not_empty_matches_all", .fixture = DT_FX_BASIC, SCROLL, F("{'must_not':[]}"),
     IDS(ALL)},
    {.name = "should_any_of", .fixture = DT_FX_BASIC, SCROLL,
     F("{'should':[" TEN("b") ",{'key':'n','match':{'value':1}}]}"),
     IDS("{'id':1},{'id':3},{'id':10}")},
    {.name = "must_not_value", .fixture = DT_FX_BASIC, SCROLL, F("{'must_not':[" TEN("a") "]}"),
     IDS("{'id':3},{'id':10},{'id':'" DT_UUID_1 "'}")},
    {.name = "must_not_keeps_points_missing_key", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must_not':[{'key':'meta.lang','match':{'value':'fr'}}]}"), IDS(ALL)},
    {.name = "except_fails_on_missing_key", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'meta.lang','match':{'except':['fr']}}]}"), IDS("{'id':1}")},
    {.name = "except_strings", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'tenant','match':{'except':['a','b']}}]}"),
     IDS("{'id':'" DT_UUID_1 "'}")},
    {.name = "match_fails_on_missing_key", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'other','match':{'value':true}}]}"), IDS("{'id':'" DT_UUID_1 "'}")},
    {.name = "array_matches_any_element", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'tags','match':{'value':'y'}}]}"), IDS("{'id':1},{'id':2}")},
    {.name = "array_matches_one_element", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'tags','match':{'value':'x'}}]}"), IDS("{'id':1}")},
    {.name = "match_any_strings", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'tenant','match':{'any':['b','c']}}]}"),
     IDS("{'id':3},{'id':10},{'id':'" DT_UUID_1 "'}")},
    {.name = "match_any_integers", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'n','match':{'any':[1,3]}}]}"), IDS("{'id':1},{'id':3}")},
    {.name = "match_any_on_array", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'tags','match':{'any':['x','z']}}]}"), IDS("{'id':1}")},
    {.name = "match_integer", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'n','match':{'value':2}}]}"), IDS("{'id':2}")},
    {.name = "match_integer_not_stored_float", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'n','match':{'value':5}}]}"), IDS("")},
    {.name = "range_integers", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'n','range':{'gte':2,'lte':3}}]}"), IDS("{'id':2},{'id':3}")},
    {.name = "range_includes_float", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'n','range':{'gt':4}}]}"), IDS("{'id':10}")},
    {.name = "range_float_field", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'f','range':{'gt':1.0,'lt':2}}]}"), IDS("{'id':1}")},
    {.name = "is_empty_missing_null_or_empty_array", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'is_empty':{'key':'tags'}}]}"),
     IDS("{'id':3},{'id':10},{'id':'" DT_UUID_1 "'},{'id':'" DT_UUID_A "'}")},
    {.name = "is_empty_explicit_null", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'is_empty':{'key':'nul'}}]}"), IDS(ALL)},
    {.name = "is_null_only_explicit_null", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'is_null':{'key':'nul'}}]}"), IDS("{'id':3}")},
    {.name = "is_null_not_empty_array", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'is_null':{'key':'tags'}}]}"), IDS("")},
    {.name = "has_id_mixed_forms", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'has_id':[2,'936DA01F9ABD4D9D80C702AF85C822A8',77]}]}"),
     IDS("{'id':2},{'id':'" DT_UUID_A "'}")},
    {.name = "has_id_invalid_id_400", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'has_id':[1,-2]}]}"), ERR(400, "")},
    {.name = "nested_bool_filter", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'should':[" TEN("b") "," TEN("c") "]}]}"),
     IDS("{'id':3},{'id':10},{'id':'" DT_UUID_1 "'}")},
    {.name = "must_not_nested_filter", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must_not':[{'must':[" TEN("a") ",{'key':'tags','match':{'value':'y'}}]}]}"),
     IDS("{'id':3},{'id':10},{'id':'" DT_UUID_1 "'},{'id':'" DT_UUID_A "'}")},
    {.name = "min_should", .fixture = DT_FX_BASIC, SCROLL,
     F("{'min_should':{'conditions':[" TEN("a") ",{'key':'tags','match':{'value':'y'}},"
       "{'key':'n','match':{'value':1}}],'min_count':2}}"),
     IDS("{'id':1},{'id':2}")},
    {.name = "json_path_dot", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'meta.lang','match':{'value':'en'}}]}"), IDS("{'id':1}")},
    {.name = "json_path_array_member", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'items[].k','match':{'value':'w'}}]}"), IDS("{'id':3}")},
    {.name = "nested_condition", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'nested':{'key':'items','filter':{'must':[{'key':'k','match':{'value':'v'}}]}}}]}"),
     IDS("{'id':3}")},
    {.name = "values_count", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'tags','values_count':{'gte':2}}]}"), IDS("{'id':1}")},

    {.name = "should_single_condition_object", .fixture = DT_FX_BASIC, SCROLL,
     F("{'should':" TEN("c") "}"), IDS("{'id':'" DT_UUID_1 "'}")},
    {.name = "field_is_null_form", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'nul','is_null':true}]}"), IDS("{'id':3}")},
    {.name = "field_is_empty_form", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'key':'tags','is_empty':true}]}"),
     IDS("{'id':3},{'id':10},{'id':'" DT_UUID_1 "'},{'id':'" DT_UUID_A "'}")},

    /* Strict inside a Filter, lenient at the top level. */
    {.name = "unknown_key_in_filter_scroll_400", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[],'bogus':1}"), FMT_ERR},
    {.name = "unknown_key_in_filter_count_400", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/count"), .body = "{'filter':{'must_nt':[" TEN("a") "]}}",
     FMT_ERR},
    {.name = "unknown_key_in_filter_query_400", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/query"),
     .body = "{'query':[1,0,0,0],'filter':{'should':[],'tenant':'a'}}", FMT_ERR},
    {.name = "unknown_key_in_nested_filter_400", .fixture = DT_FX_BASIC, SCROLL,
     F("{'must':[{'must':[],'bogus':1}]}"), FMT_ERR},
    {.name = "unknown_key_in_delete_filter_400", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/delete"), .body = "{'filter':{'mustnot':[]}}", FMT_ERR},
    {.name = "top_level_filters_typo_ignored_scroll", .fixture = DT_FX_BASIC, SCROLL,
     .body = "{'limit':100,'filters':{'must':[" TEN("a") "]}}", IDS(ALL)},
    {.name = "top_level_filters_typo_ignored_count", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/count"), .body = "{'filters':{'must':[" TEN("a") "]}}",
     OK("{'count':6}")},
    {.name = "top_level_unknown_key_ignored_query", .fixture = DT_FX_BASIC,
     REQ("POST", "/collections/c/points/query"),
     .body = "{'query':[4,3,2,1],'flter':{'must':[" TEN("c") "]},'limit':2}",
     OK("{'points':[{'id':'" DT_UUID_A "'},{'id':'" DT_UUID_1 "'}]}")},
};

const dt_group_t dt_group_filter = {"filter", cases, sizeof cases / sizeof cases[0]};

int dt_run_filter_variant(const char *name, const dt_step_t *fixture) {
    enum { N = sizeof cases / sizeof cases[0] };
    dt_case_t copy[N];
    memcpy(copy, cases, sizeof copy);
    for (size_t i = 0; i < N; i++)
        if (copy[i].fixture == DT_FX_BASIC) copy[i].fixture = fixture;
    const dt_group_t group = {name, copy, N};
    return dt_run_group(&group);
}
