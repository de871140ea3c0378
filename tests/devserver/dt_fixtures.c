/* dt_fixtures.c: the shared fixture request lists (see dt_fixtures.h for the data).
 * Fixtures only ever send well-formed requests that NOTES.md says answer 200; they
 * must never depend on anything a case checks. */
#include "dt_fixtures.h"

#define CREATE_C4 {"PUT", "/collections/c", "{'vectors':{'size':4,'distance':'Dot'}}"}

const dt_step_t DT_FX_EMPTY[] = {CREATE_C4, {0}};

#define UPSERT_BASIC \
    {"PUT", "/collections/c/points?wait=true", \
    "{'points':[" \
    "{'id':10,'vector':[0,0,0,1],'payload':{'tenant':'b','n':5.0}}," \
    "{'id':'936DA01F9ABD4D9D80C702AF85C822A8','vector':[1,1,0,0],'payload':{'tenant':'a'}}," \
    "{'id':2,'vector':[0,1,0,0],'payload':{'tenant':'a','n':2,'tags':['y']}}," \
    "{'id':'" DT_UUID_1 "','vector':[0,1,1,0],'payload':{'tenant':'c','other':true}}," \
    "{'id':3,'vector':[0,0,1,0],'payload':{'tenant':'b','n':3,'tags':[],'nul':null," \
    "'items':[{'k':'v'},{'k':'w'}]}}," \
    "{'id':1,'vector':[1,0,0,0],'payload':{'tenant':'a','n':1,'tags':['x','y'],'f':1.5," \
    "'meta':{'lang':'en'}}}" \
    "]}"}

#define INDEX(field, schema) {"PUT", "/collections/c/index?wait=true", \
    "{'field_name':'" field "','field_schema':" schema "}"}
#define INDEXES \
    INDEX("tenant", "{'type':'keyword','is_tenant':true}"), INDEX("tags", "'keyword'"), \
    INDEX("n", "'integer'"), INDEX("f", "'float'"), INDEX("other", "'bool'"), \
    INDEX("meta.lang", "'keyword'")

const dt_step_t DT_FX_BASIC[] = {CREATE_C4, UPSERT_BASIC, {0}};
const dt_step_t DT_FX_BASIC_INDEXED[] = {CREATE_C4, UPSERT_BASIC, INDEXES, {0}};
const dt_step_t DT_FX_BASIC_INDEXED_FIRST[] = {CREATE_C4, INDEXES, UPSERT_BASIC, {0}};

const dt_step_t DT_FX_TWO[] = {
    CREATE_C4,
    {"PUT", "/collections/d", "{'vectors':{'size':4,'distance':'Dot'}}"},
    {"PUT", "/collections/c/points?wait=true",
     "{'points':[{'id':1,'vector':[1,0,0,0],'payload':{'tenant':'a'}}]}"},
    {0}};

const dt_step_t DT_FX_SHARDED[] = {
    {"PUT", "/collections/s",
     "{'vectors':{'size':2,'distance':'Dot'},'sharding_method':'custom'}"},
    {"PUT", "/collections/s/shards", "{'shard_key':'default'}"},
    {0}};

const dt_step_t DT_FX_TWELVE[] = {
    {"PUT", "/collections/c", "{'vectors':{'size':1,'distance':'Dot'}}"},
    {"PUT", "/collections/c/points?wait=true",
     "{'batch':{'ids':[12,11,10,9,8,7,6,5,4,3,2,1],"
     "'vectors':[[1],[1],[1],[1],[1],[1],[1],[1],[1],[1],[1],[1]]}}"},
    {0}};
