/* test_common.h: helpers shared by the runtime unit tests: a failing allocator for
 * both libtenantq and cJSON, and a registry/client/context made without a server. */
#ifndef TQ_TEST_COMMON_H
#define TQ_TEST_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <tenantq/raw.h>

#include "ctx.h"

/* Allocations number from 1 after tq_test_alloc_reset(fail_from); allocation number
 * `fail_from` and all later ones fail (0: none fail). */
void tq_test_alloc_install(void);
void tq_test_alloc_reset(long fail_from);
long tq_test_alloc_count(void);    /* allocations attempted since the reset */
long tq_test_alloc_live(void);     /* allocated and not yet freed */
int tq_test_alloc_failed(void);    /* 1 when at least one allocation was refused */

/* A client over a registry with tenants "acme" and "globex" (no override), "sh"
 * (shared) and "dd" (dedicated on endpoint "eu"); nothing connects. */
typedef struct tq_test_env {
    tq_registry_t *registry;
    tq_client_t *client;
    tenant_ctx_t *acme;
    tenant_ctx_t *globex;
} tq_test_env_t;

int tq_test_env_open(tq_test_env_t *env, int tenant_jwt);

/* Marks every endpoint of `client` as proven to enforce JWT RBAC, for unit tests that
 * mint tokens without a server (the proof itself is tested live). */
void tq_test_assume_rbac(tq_client_t *client);

/* tq_ctx_auth for the tenant behind `ctx` (TQ_EINVAL when ctx does not resolve). */
tq_status_t tq_test_auth(const tenant_ctx_t *ctx, const tq_raw_route_t *route, size_t endpoint,
                         int admin, tq_access_t access, tq_auth_t *out, tq_detail_t *detail);
void tq_test_env_close(tq_test_env_t *env);

/* The decoded claims of a JWT (malloc'd JSON text), or NULL when `token` is not
 * three base64url parts. The signature is not checked. */
char *tq_test_jwt_claims(const char *token);

/* A two-dimensional collection "kb.docs" with scope field "team" and one index. */
extern const tq_raw_collection_t tq_test_docs;
/* A four-dimensional collection "kb.notes" without scope fields. */
extern const tq_raw_collection_t tq_test_notes;

#endif
