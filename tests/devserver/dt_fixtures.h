/* dt_fixtures.h: fixture request lists shared by several case tables. */
#ifndef DT_FIXTURES_H
#define DT_FIXTURES_H

#include "dt_case.h"

/* Canonical id text of the two UUID points of DT_FX_BASIC. */
#define DT_UUID_A "936da01f-9abd-4d9d-80c7-02af85c822a8"
#define DT_UUID_1 "00000000-0000-0000-0000-000000000001"

/* Collection `c` (4 dims, Dot) with six points, inserted out of order:
 *   1        [1,0,0,0] {tenant:a, n:1, tags:[x,y], f:1.5, meta:{lang:en}}
 *   2        [0,1,0,0] {tenant:a, n:2, tags:[y]}
 *   3        [0,0,1,0] {tenant:b, n:3, tags:[], nul:null, items:[{k:v},{k:w}]}
 *   10       [0,0,0,1] {tenant:b, n:5.0}
 *   UUID_A   [1,1,0,0] {tenant:a}          (sent as 936DA01F9ABD4D9D80C702AF85C822A8)
 *   UUID_1   [0,1,1,0] {tenant:c, other:true} */
extern const dt_step_t DT_FX_BASIC[];

/* DT_FX_BASIC plus payload indexes on tenant (keyword, is_tenant), tags (keyword),
 * n (integer), f (float), other (bool) and meta.lang (keyword): created after the
 * upsert, or before it (_FIRST). */
extern const dt_step_t DT_FX_BASIC_INDEXED[];
extern const dt_step_t DT_FX_BASIC_INDEXED_FIRST[];

/* Collection `c` (4 dims, Dot), empty. */
extern const dt_step_t DT_FX_EMPTY[];

/* Collections `c` and `d` (4 dims, Dot); `c` holds point 1 {tenant:a}. */
extern const dt_step_t DT_FX_TWO[];

/* Collection `c` (1 dim, Dot) with points 1..12, all [1], inserted in reverse. */
extern const dt_step_t DT_FX_TWELVE[];

/* Collection `s` (2 dims, Dot, custom sharding) with shard key `default`. */
extern const dt_step_t DT_FX_SHARDED[];

#endif
