/* groups.h: turning a /points/query/groups answer into a points answer. */
#ifndef TQ_GROUPS_H
#define TQ_GROUPS_H

#include <tenantq/tenantq.h>

#include <stddef.h>

/* Reads {"result":{"groups":[{"id","hits":[ScoredPoint]}]}} (`len` bytes, JSON nesting
 * at most `max_depth`) and writes to *out the text {"result":{"points":[hits]}} with the
 * hits in group order, for tq_result_parse and its leak guard. Each group must hold at
 * most one hit (group_size 1) whose payload `group_field` equals the group's id;
 * otherwise TQ_EPROTO (`collection` names the routed collection in the message).
 * TQ_ELIMIT for too deep JSON, TQ_ENOMEM. *out is freed with cJSON_free. */
tq_status_t tq_groups_flatten(const char *body, size_t len, int max_depth,
                              const char *group_field, const char *collection, char **out,
                              tq_detail_t *detail);

#endif
