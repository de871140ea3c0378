/* cases_auth.c: api key, read-only key and JWT RBAC (NOTES.md section 6). The server
 * runs with QDRANT__SERVICE__API_KEY=DT_ADMIN_KEY, READ_ONLY_API_KEY=DT_RO_KEY and
 * JWT_RBAC=true (profile DT_AUTH); tokens are minted per case with HS256 over the api
 * key, `exp` relative to now. 401s and JWT validation 403s are plain text; RBAC 403s
 * are JSON envelopes. */
#include "dt_table.h"

#define A DT_AUTH
#define NONE {.kind = DT_CRED_NONE}
#define KEY(k) {.kind = DT_CRED_APIKEY, .value = (k)}
#define JWT(claims) {.kind = DT_CRED_JWT_BEARER, .value = (claims), .exp = true, .exp_delta = 3600}
#define JWT_EXP(claims, d) {.kind = DT_CRED_JWT_BEARER, .value = (claims), .exp = true, .exp_delta = (d)}
#define MUST_PROVIDE TEXT(401, "Must provide an API key or an Authorization bearer token")
#define INVALID TEXT(401, "Invalid API key or JWT")
#define LIST_R "{'access':[{'collection':'c','access':'r'}]}"
#define LIST_RW "{'access':[{'collection':'c','access':'rw'}]}"
#define LIST_PRW "{'access':[{'collection':'c','access':'prw'}]}"
#define UPSERT_BODY "{'points':[{'id':2,'vector':[0,1,0,0]}]}"
#define INDEX_BODY "{'field_name':'tenant','field_schema':'keyword'}"
#define VEC4 "{'vectors':{'size':4,'distance':'Dot'}}"

#define JWT_HEAD "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
#define JWT_BODY_R "eyJleHAiOjQxMDI0NDQ4MDAsImFjY2VzcyI6InIifQ."
#define JWT_OK JWT_HEAD JWT_BODY_R "AYJGgxRf_j6c9GR_BtgJlPgYZ3PfCzoBONYFiwFnVu0"
/* The last character 1 instead of 0: the same bytes with an unused low bit set. */
#define JWT_NONCANONICAL_SIG JWT_HEAD JWT_BODY_R "AYJGgxRf_j6c9GR_BtgJlPgYZ3PfCzoBONYFiwFnVu1"
/* {"exp":4102444800,"access":"r","exp":4102444800} */
#define JWT_DUP_EXP JWT_HEAD "eyJleHAiOjQxMDI0NDQ4MDAsImFjY2VzcyI6InIiLCJleHAiOjQxMDI0NDQ4MDB9." \
                             "01dIjK740Zc0hgq7d9OYR-MamfqMylKZc61_LOAXFxk"
/* {"exp":4102444800,"access":"r","access":"m"} */
#define JWT_DUP_ACCESS JWT_HEAD "eyJleHAiOjQxMDI0NDQ4MDAsImFjY2VzcyI6InIiLCJhY2Nlc3MiOiJtIn0." \
                                "whRalH-xej9W3TDeEoI8s8OHfUpEFRT_lg1pjjdHEk8"
/* header {"alg":"HS256","typ":"JWT","alg":"HS256"} */
#define JWT_DUP_ALG "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImFsZyI6IkhTMjU2In0." JWT_BODY_R \
                    "MXf3iIUTH0D5iI_ztUxWpsoqs6qnSHCLDPJ0YLKofMc"

static const dt_case_t cases[] = {
    /* Whitelist. */
    {.name = "root_needs_no_key", .profile = A, .cred = NONE, REQ("GET", "/"), .check = DT_JSON,
     .expect = "{'title':'qdrant - vector search engine','version':'1.19.0'}"},
    {.name = "healthz_needs_no_key", .profile = A, .cred = NONE, REQ("GET", "/healthz"),
     TEXT(200, "healthz check passed")},
    {.name = "livez_needs_no_key", .profile = A, .cred = NONE, REQ("GET", "/livez"),
     TEXT(200, "healthz check passed")},
    {.name = "readyz_needs_no_key", .profile = A, .cred = NONE, REQ("GET", "/readyz"),
     TEXT(200, "all shards are ready")},

    {.name = "livez_prefix_whitelisted", .profile = A, .cred = NONE, REQ("GET", "/livez/extra"),
     STATUS(404)},
    {.name = "readyz_prefix_whitelisted", .profile = A, .cred = NONE,
     REQ("GET", "/readyz/extra"), STATUS(404)},
    {.name = "healthz_prefix_not_whitelisted", .profile = A, .cred = NONE,
     REQ("GET", "/healthz/extra"), MUST_PROVIDE},

    /* API keys. */
    {.name = "no_credential_401", .profile = A, .cred = NONE, REQ("GET", "/collections"),
     MUST_PROVIDE},
    {.name = "no_credential_point_request_401", .profile = A, .cred = NONE,
     .fixture = DT_FX_TWO, REQ("POST", "/collections/c/points/scroll"), .body = "{}",
     MUST_PROVIDE},
    {.name = "wrong_key_401", .profile = A, .cred = KEY("nope"), REQ("GET", "/collections"),
     INVALID},
    {.name = "wrong_bearer_401", .profile = A, .cred = {.kind = DT_CRED_BEARER, .value = "nope"},
     REQ("GET", "/collections"), INVALID},
    {.name = "bearer_prefix_case_sensitive_401", .profile = A, .cred = NONE,
     .headers = {"Authorization: bearer " DT_ADMIN_KEY}, REQ("GET", "/collections"),
     MUST_PROVIDE},
    {.name = "api_key_header_taken_first", .profile = A, .cred = KEY("nope"),
     .headers = {"Authorization: Bearer " DT_ADMIN_KEY}, REQ("GET", "/collections"), INVALID},
    {.name = "admin_api_key_ok", .profile = A, .cred = KEY(DT_ADMIN_KEY), .fixture = DT_FX_TWO,
     REQ("GET", "/collections"), OK("{'collections':['@unordered',{'name':'c'},{'name':'d'}]}")},
    {.name = "admin_bearer_ok", .profile = A,
     .cred = {.kind = DT_CRED_BEARER, .value = DT_ADMIN_KEY}, REQ("PUT", "/collections/x"),
     .body = VEC4, OK("true")},
    {.name = "read_only_key_reads", .profile = A, .cred = KEY(DT_RO_KEY), .fixture = DT_FX_TWO,
     REQ("POST", "/collections/c/points/scroll"), .body = "{}", OK("{'points':[{'id':1}]}")},
    {.name = "read_only_key_create_403", .profile = A, .cred = KEY(DT_RO_KEY),
     REQ("PUT", "/collections/x"), .body = VEC4,
     ERR(403, "Forbidden: Global manage access is required")},
    {.name = "read_only_key_upsert_403", .profile = A, .cred = KEY(DT_RO_KEY),
     .fixture = DT_FX_TWO, REQ("PUT", "/collections/c/points"), .body = UPSERT_BODY,
     ERR(403, "Forbidden: ")},
    {.name = "read_only_key_delete_collection_403", .profile = A, .cred = KEY(DT_RO_KEY),
     .fixture = DT_FX_TWO, REQ("DELETE", "/collections/c"), ERR(403, "Forbidden: ")},
    {.name = "api_key_only_rejects_jwt_401", .profile = DT_AUTH_NOJWT, .cred = JWT("{}"),
     REQ("GET", "/collections"), INVALID},
    {.name = "api_key_only_admin_ok", .profile = DT_AUTH_NOJWT, .cred = KEY(DT_ADMIN_KEY),
     REQ("GET", "/collections"), OK("{'collections':[]}")},

    {.name = "read_only_key_as_bearer", .profile = A,
     .cred = {.kind = DT_CRED_BEARER, .value = DT_RO_KEY}, .fixture = DT_FX_TWO,
     REQ("GET", "/collections/c/points/1"), OK("{'id':1}")},
    {.name = "read_only_key_query_batch", .profile = A, .cred = KEY(DT_RO_KEY),
     .fixture = DT_FX_TWO, REQ("POST", "/collections/c/points/query/batch"),
     .body = "{'searches':[{'query':[1,0,0,0]}]}", OK("[{'points':[{'id':1}]}]")},
    {.name = "read_only_key_create_index_403", .profile = A, .cred = KEY(DT_RO_KEY),
     .fixture = DT_FX_TWO, REQ("PUT", "/collections/c/index"), .body = INDEX_BODY,
     ERR(403, "Forbidden: ")},

    /* JWT validity. */
    {.name = "jwt_without_access_is_manage", .profile = A, .cred = JWT("{'sub':'x'}"),
     REQ("PUT", "/collections/x"), .body = VEC4, OK("true")},
    {.name = "jwt_without_exp_ok", .profile = A, .cred = {.kind = DT_CRED_JWT_BEARER,
     .value = "{'access':'r'}"}, REQ("GET", "/collections"), OK("{'collections':[]}")},
    {.name = "jwt_in_api_key_header", .profile = A,
     .cred = {.kind = DT_CRED_JWT_APIKEY, .value = "{'access':'r'}", .exp = true,
              .exp_delta = 600},
     REQ("GET", "/collections"), OK("{'collections':[]}")},
    {.name = "jwt_expired_10s_within_leeway", .profile = A,
     .cred = JWT_EXP("{'access':'r'}", -10), REQ("GET", "/collections"),
     OK("{'collections':[]}")},
    {.name = "jwt_expired_60s_403", .profile = A, .cred = JWT_EXP("{'access':'r'}", -60),
     REQ("GET", "/collections"), PLAIN(403)},
    {.name = "jwt_wrong_secret_403", .profile = A,
     .cred = {.kind = DT_CRED_JWT_BEARER, .value = "{'access':'m'}", .exp = true,
              .exp_delta = 600, .secret = "some-other-secret"},
     REQ("GET", "/collections"), PLAIN(403)},
    {.name = "jwt_hs512_401", .profile = A,
     .cred = {.kind = DT_CRED_JWT_BEARER, .value = "{'access':'m'}", .exp = true,
              .exp_delta = 600, .alg = "HS512"},
     REQ("GET", "/collections"), INVALID},
    {.name = "jwt_alg_none_401", .profile = A,
     .cred = {.kind = DT_CRED_JWT_BEARER, .value = "{'access':'m'}", .alg = "none"},
     REQ("GET", "/collections"), INVALID},
    {.name = "jwt_garbage_401", .profile = A,
     .cred = {.kind = DT_CRED_BEARER, .value = "not-a-jwt"}, REQ("GET", "/collections"),
     INVALID},
    {.name = "jwt_duplicate_collection_401", .profile = A,
     .cred = JWT("{'access':[{'collection':'c','access':'r'},{'collection':'c','access':'rw'}]}"),
     .fixture = DT_FX_TWO, REQ("GET", "/collections/c"), STATUS(401)},
    /* What Qdrant's decoder refuses (401), with valid HS256 signatures over
     * DT_ADMIN_KEY; exp is 2100-01-01. JWT_OK is the same token, well formed. */
    {.name = "jwt_well_formed_static_ok", .profile = A,
     .cred = {.kind = DT_CRED_BEARER, .value = JWT_OK}, REQ("GET", "/collections"),
     OK("{'collections':[]}")},
    {.name = "jwt_noncanonical_signature_401", .profile = A,
     .cred = {.kind = DT_CRED_BEARER, .value = JWT_NONCANONICAL_SIG},
     REQ("GET", "/collections"), INVALID},
    {.name = "jwt_duplicate_exp_401", .profile = A,
     .cred = {.kind = DT_CRED_BEARER, .value = JWT_DUP_EXP}, REQ("GET", "/collections"), INVALID},
    {.name = "jwt_duplicate_access_401", .profile = A,
     .cred = {.kind = DT_CRED_BEARER, .value = JWT_DUP_ACCESS}, REQ("GET", "/collections"),
     INVALID},
    {.name = "jwt_duplicate_alg_401", .profile = A,
     .cred = {.kind = DT_CRED_BEARER, .value = JWT_DUP_ALG}, REQ("GET", "/collections"), INVALID},
    {.name = "jwt_value_exists_match_ok", .profile = A, .fixture = DT_FX_TWO,
     .cred = JWT("{'value_exists':{'collection':'c','matches':[{'key':'tenant','value':'a'}]}}"),
     REQ("GET", "/collections/c/exists"), OK("{'exists':true}")},
    {.name = "jwt_value_exists_no_match_401", .profile = A, .fixture = DT_FX_TWO,
     .cred = JWT("{'value_exists':{'collection':'c','matches':[{'key':'tenant','value':'zz'}]}}"),
     REQ("GET", "/collections/c/exists"), STATUS(401)},

    {.name = "jwt_aud_ignored", .profile = A, .cred = JWT("{'aud':'someone-else','access':'r'}"),
     REQ("GET", "/collections"), OK("{'collections':[]}")},
    {.name = "jwt_payload_rule_401", .profile = A, .fixture = DT_FX_TWO,
     .cred = JWT("{'access':[{'collection':'c','access':'r','payload':{'tenant':'a'}}]}"),
     REQ("GET", "/collections/c"), STATUS(401)},

    /* Global access modes. */
    {.name = "jwt_global_r_reads", .profile = A, .cred = JWT("{'access':'r'}"),
     .fixture = DT_FX_TWO, REQ("GET", "/collections"),
     OK("{'collections':['@unordered',{'name':'c'},{'name':'d'}]}")},
    {.name = "jwt_global_r_count_ok", .profile = A, .cred = JWT("{'access':'r'}"),
     .fixture = DT_FX_TWO, REQ("POST", "/collections/c/points/count"), .body = "{}",
     OK("{'count':1}")},
    {.name = "jwt_global_m_upsert_ok", .profile = A, .cred = JWT("{'access':'m'}"),
     .fixture = DT_FX_TWO, REQ("PUT", "/collections/d/points?wait=true"), .body = UPSERT_BODY,
     OK("{'status':'completed'}")},
    {.name = "read_only_key_delete_points_403", .profile = A, .cred = KEY(DT_RO_KEY),
     .fixture = DT_FX_TWO, REQ("POST", "/collections/c/points/delete"), .body = "{'points':[1]}",
     ERR(403, "Forbidden: ")},
    {.name = "jwt_global_r_upsert_403", .profile = A, .cred = JWT("{'access':'r'}"),
     .fixture = DT_FX_TWO, REQ("PUT", "/collections/c/points"), .body = UPSERT_BODY,
     ERR(403, "Forbidden: ")},
    {.name = "jwt_global_r_create_403", .profile = A, .cred = JWT("{'access':'r'}"),
     REQ("PUT", "/collections/x"), .body = VEC4, ERR(403, "Forbidden: ")},
    {.name = "jwt_global_m_create", .profile = A, .cred = JWT("{'access':'m'}"),
     REQ("PUT", "/collections/x"), .body = VEC4, OK("true")},

    /* Collection lists. */
    {.name = "jwt_list_reads_listed", .profile = A, .cred = JWT(LIST_R), .fixture = DT_FX_TWO,
     REQ("GET", "/collections/c"), OK("{'points_count':1}")},
    {.name = "jwt_list_unlisted_403", .profile = A, .cred = JWT(LIST_R), .fixture = DT_FX_TWO,
     REQ("GET", "/collections/d"), ERR(403, "Forbidden: Access to collection d is required")},
    {.name = "jwt_list_unlisted_missing_403_not_404", .profile = A, .cred = JWT(LIST_R),
     .fixture = DT_FX_TWO, REQ("GET", "/collections/ghost"),
     ERR(403, "Forbidden: Access to collection ghost is required")},
    {.name = "jwt_list_unlisted_exists_403", .profile = A, .cred = JWT(LIST_R),
     REQ("GET", "/collections/ghost/exists"),
     ERR(403, "Forbidden: Access to collection ghost is required")},
    {.name = "jwt_list_unlisted_scroll_403", .profile = A, .cred = JWT(LIST_R),
     .fixture = DT_FX_TWO, REQ("POST", "/collections/d/points/scroll"), .body = "{}",
     ERR(403, "Forbidden: Access to collection d is required")},
    {.name = "jwt_list_unlisted_search_403", .profile = A, .cred = JWT(LIST_R),
     .fixture = DT_FX_TWO, REQ("POST", "/collections/d/points/search"),
     .body = "{'vector':[1,0,0,0],'limit':1}",
     ERR(403, "Forbidden: Access to collection d is required")},
    {.name = "jwt_list_unlisted_upsert_403", .profile = A, .cred = JWT(LIST_RW),
     .fixture = DT_FX_TWO, REQ("PUT", "/collections/d/points"), .body = UPSERT_BODY,
     ERR(403, "Forbidden: Access to collection d is required")},
    {.name = "jwt_list_listed_missing_404", .profile = A,
     .cred = JWT("{'access':[{'collection':'ghost','access':'r'}]}"),
     REQ("GET", "/collections/ghost"), MISSING("ghost")},
    {.name = "jwt_list_r_query_ok", .profile = A, .cred = JWT(LIST_R), .fixture = DT_FX_TWO,
     REQ("POST", "/collections/c/points/query"), .body = "{'query':[1,0,0,0]}",
     OK("{'points':[{'id':1,'score':1}]}")},
    {.name = "jwt_list_r_upsert_403", .profile = A, .cred = JWT(LIST_R), .fixture = DT_FX_TWO,
     REQ("PUT", "/collections/c/points"), .body = UPSERT_BODY,
     ERR(403, "Forbidden: Write access to collection c is required")},
    {.name = "jwt_list_r_delete_points_403", .profile = A, .cred = JWT(LIST_R),
     .fixture = DT_FX_TWO, REQ("POST", "/collections/c/points/delete"), .body = "{'points':[1]}",
     ERR(403, "Forbidden: Write access to collection c is required")},
    {.name = "jwt_list_rw_upsert_ok", .profile = A, .cred = JWT(LIST_RW), .fixture = DT_FX_TWO,
     REQ("PUT", "/collections/c/points?wait=true"), .body = UPSERT_BODY,
     OK("{'status':'completed'}")},
    {.name = "jwt_list_prw_upsert_ok", .profile = A, .cred = JWT(LIST_PRW), .fixture = DT_FX_TWO,
     REQ("PUT", "/collections/c/points?wait=true"), .body = UPSERT_BODY,
     OK("{'status':'completed'}")},
    {.name = "jwt_list_rw_index_ok", .profile = A, .cred = JWT(LIST_RW), .fixture = DT_FX_TWO,
     REQ("PUT", "/collections/c/index?wait=true"), .body = INDEX_BODY,
     OK("{'status':'completed'}")},
    {.name = "jwt_list_prw_index_403", .profile = A, .cred = JWT(LIST_PRW), .fixture = DT_FX_TWO,
     REQ("PUT", "/collections/c/index"), .body = INDEX_BODY, ERR(403, "Forbidden: ")},
    {.name = "jwt_list_prw_delete_index_403", .profile = A, .cred = JWT(LIST_PRW),
     .fixture = DT_FX_TWO,
     STEPS({"PUT", "/collections/c/index?wait=true", INDEX_BODY}),
     REQ("DELETE", "/collections/c/index/tenant"), ERR(403, "Forbidden: ")},
    {.name = "jwt_list_r_index_403", .profile = A, .cred = JWT(LIST_R), .fixture = DT_FX_TWO,
     REQ("PUT", "/collections/c/index"), .body = INDEX_BODY, ERR(403, "Forbidden: ")},
    {.name = "jwt_list_create_collection_403", .profile = A, .cred = JWT(LIST_RW),
     REQ("PUT", "/collections/c"), .body = VEC4, ERR(403, "Forbidden: ")},
    {.name = "jwt_list_delete_collection_403", .profile = A, .cred = JWT(LIST_RW),
     .fixture = DT_FX_TWO, REQ("DELETE", "/collections/c"), ERR(403, "Forbidden: ")},
    {.name = "jwt_list_collections_filtered", .profile = A, .cred = JWT(LIST_R),
     .fixture = DT_FX_TWO, REQ("GET", "/collections"), OK("{'collections':[{'name':'c'}]}")},
    {.name = "jwt_list_collections_filtered_none", .profile = A,
     .cred = JWT("{'access':[{'collection':'zzz','access':'rw'}]}"), .fixture = DT_FX_TWO,
     REQ("GET", "/collections"), OK("{'collections':[]}")},
    {.name = "jwt_list_exact_name_match", .profile = A,
     .cred = JWT("{'access':[{'collection':'C','access':'r'}]}"), .fixture = DT_FX_TWO,
     REQ("GET", "/collections/c"), ERR(403, "Forbidden: Access to collection c is required")},
    {.name = "jwt_list_token_in_api_key_header", .profile = A,
     .cred = {.kind = DT_CRED_JWT_APIKEY, .value = LIST_R, .exp = true, .exp_delta = 600},
     .fixture = DT_FX_TWO, REQ("GET", "/collections/d"),
     ERR(403, "Forbidden: Access to collection d is required")},
};

const dt_group_t dt_group_auth = {"auth", cases, sizeof cases / sizeof cases[0]};
