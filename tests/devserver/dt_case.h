/* dt_case.h: the case table format of the devserver tests and the runner helpers.
 *
 * A case names a server profile, fixture requests that must all answer 200, one
 * request, and what the answer must be. JSON in bodies and patterns is written with
 * single quotes (turned into double quotes before use); error prefixes and plain
 * texts are used as written. */
#ifndef DT_CASE_H
#define DT_CASE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "devserver_proc.h"
#include "dt_http.h"

#define DT_ADMIN_KEY "tq-admin-key-0123456789"
#define DT_RO_KEY "tq-read-only-key-9876"

/* How the server is started: environment and flags. */
typedef enum dt_profile {
    DT_PLAIN = 0,  /* no auth */
    DT_AUTH,       /* api key + read-only key + JWT RBAC */
    DT_AUTH_NOJWT, /* api key only */
    DT_CLUSTER,    /* --cluster-mode, no auth */
    DT_CLUSTER_AUTH, /* --cluster-mode with the DT_AUTH keys */
} dt_profile_t;

typedef enum dt_cred_kind {
    DT_CRED_DEFAULT = 0, /* the admin api key when the profile has auth, else none */
    DT_CRED_NONE,
    DT_CRED_APIKEY,     /* api-key: value */
    DT_CRED_BEARER,     /* Authorization: Bearer value */
    DT_CRED_JWT_BEARER, /* a JWT minted from value (claims) as Bearer */
    DT_CRED_JWT_APIKEY, /* a JWT minted from value (claims) in api-key */
} dt_cred_kind_t;

typedef struct dt_cred {
    dt_cred_kind_t kind;
    const char *value;  /* the key, or the JWT claims (single-quoted JSON) */
    bool exp;           /* add exp = now + exp_delta */
    long exp_delta;
    const char *alg;    /* NULL: HS256 */
    const char *secret; /* NULL: the admin key */
} dt_cred_t;

typedef struct dt_step {
    const char *method;
    const char *path;
    const char *body; /* single-quoted JSON or NULL */
} dt_step_t;

typedef enum dt_check {
    DT_OK = 0, /* 200 envelope {result, status:"ok", time}; expect = pattern for result */
    DT_ERR,    /* error envelope; expect = prefix of status.error ("@contains:" allowed) */
    DT_JSON,   /* whole body matches pattern expect */
    DT_TEXT,   /* body is exactly expect */
    DT_PLAINTEXT, /* body is non-empty and not JSON (plain-text auth errors) */
    DT_STATUS, /* status only */
    DT_CUSTOM, /* custom() does the requests and the checks */
} dt_check_t;

typedef struct dt_ctx dt_ctx_t;
typedef struct dt_case dt_case_t;

struct dt_case {
    const char *name;
    dt_profile_t profile;
    const dt_step_t *fixture; /* terminated by a step with method NULL; may be NULL */
    const dt_step_t *steps;   /* extra fixture steps after `fixture` */
    const char *method;
    const char *path;
    const char *body;
    dt_cred_t cred;
    const char *headers[4]; /* extra raw header lines */
    long status;            /* 0 means 200 */
    dt_check_t check;
    const char *expect;
    /* optional extra check on the response; returns false and fills why on failure */
    bool (*pred)(const dt_response_t *r, char *why, size_t n);
    void (*custom)(dt_ctx_t *ctx);
    const void *data; /* for custom() */
};

struct dt_ctx {
    tq_test_server_t srv;
    const dt_case_t *c;
    dt_response_t scratch; /* the last response a helper checked; freed on teardown */
};

typedef struct dt_group {
    const char *name;
    const dt_case_t *cases;
    size_t count;
} dt_group_t;

/* Sets the QDRANT__SERVICE__* variables a child started now sees for profile `p`
 * (DT_PLAIN clears them). */
void dt_profile_env(dt_profile_t p);

/* Sends a request to the case's server with the default credential; body is
 * single-quoted JSON or NULL. Fails the test when no response arrives. */
void dt_send(dt_ctx_t *ctx, const char *method, const char *path, const char *body,
             dt_response_t *out);

/* dt_send, then asserts a 200 envelope and returns the parsed body (caller
 * cJSON_Delete's it); *result points inside it. */
cJSON *dt_ok(dt_ctx_t *ctx, const char *method, const char *path, const char *body,
             const cJSON **result);

/* dt_send, then asserts a 200 envelope whose result matches the single-quoted pattern. */
void dt_expect_ok(dt_ctx_t *ctx, const char *method, const char *path, const char *body,
                  const char *pattern);

/* Asserts the response passes check `kind` with `expect` and HTTP status `status`. */
void dt_check_response(const dt_response_t *r, long status, dt_check_t kind,
                       const char *expect, const char *what);

/* Frees what the context still holds (the scratch response). */
void dt_ctx_release(dt_ctx_t *ctx);

/* Runs every case of `group` as one cmocka group; returns the number of failures. */
int dt_run_group(const dt_group_t *group);

#endif
