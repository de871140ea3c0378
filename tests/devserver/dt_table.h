/* dt_table.h: shorthands used by the case tables, and the tables' names. */
#ifndef DT_TABLE_H
#define DT_TABLE_H

#include "dt_case.h"
#include "dt_fixtures.h"

#define REQ(m, p) .method = (m), .path = (p)
#define OK(pattern) .check = DT_OK, .expect = (pattern)
#define ERR(code, prefix) .status = (code), .check = DT_ERR, .expect = (prefix)
#define TEXT(code, text) .status = (code), .check = DT_TEXT, .expect = (text)
#define PLAIN(code) .status = (code), .check = DT_PLAINTEXT
#define STATUS(code) .status = (code), .check = DT_STATUS
#define CUSTOM(fn) .check = DT_CUSTOM, .custom = (fn)
#define STEPS(...) .steps = (const dt_step_t[]){__VA_ARGS__, {0}}

/* The error of a missing collection NAME (NOTES.md section 1). */
#define MISSING(name) ERR(404, "Not found: Collection `" name "` doesn't exist!")

/* Checks the envelope's time is exactly 0 (parse and validation errors). */
bool dt_pred_time_zero(const dt_response_t *r, char *why, size_t n);

/* Runs the filter table with every DT_FX_BASIC fixture replaced by `fixture`. */
int dt_run_filter_variant(const char *name, const dt_step_t *fixture);

extern const dt_group_t dt_group_core;
extern const dt_group_t dt_group_points;
extern const dt_group_t dt_group_filter;
extern const dt_group_t dt_group_query;
extern const dt_group_t dt_group_auth;
extern const dt_group_t dt_group_shards;
extern const dt_group_t dt_group_hybrid;

#endif
