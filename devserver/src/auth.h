/* auth.h: API keys, JWT RBAC and the per-operation access checks Qdrant applies. */
#ifndef DS_AUTH_H
#define DS_AUTH_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "server.h"

typedef enum {
    DS_CRED_NONE,
    DS_CRED_API_KEY,
    DS_CRED_ALT_API_KEY,
    DS_CRED_READ_ONLY,
    DS_CRED_JWT,
    DS_CRED_INVALID
} ds_cred_t;

typedef enum { DS_COL_R = 1, DS_COL_RW, DS_COL_PRW } ds_col_mode_t;

typedef enum {
    DS_NEED_READ,       /* read points / collection info */
    DS_NEED_WRITE,      /* write points */
    DS_NEED_COL_MANAGE, /* payload indexes: write + collection extras (rw, not prw) */
    DS_NEED_COL_ADMIN,  /* update collection, shard keys, cluster: write + manage */
    DS_NEED_GLOBAL      /* create/delete collections */
} ds_need_t;

typedef struct ds_access_entry {
    char *collection;
    ds_col_mode_t mode;
} ds_access_entry_t;

typedef struct ds_access {
    int global; /* 1: global mode below; 0: collection list */
    int manage; /* global manage (else global read) */
    ds_access_entry_t *list;
    size_t n;
    ds_cred_t cred;
    char *jwt_access;    /* the access claim as JSON text, or NULL */
    char *jwt_sub;       /* the sub claim, or NULL */
    cJSON *value_exists; /* the value_exists claim, or NULL */
} ds_access_t;

/* Authenticates the request. Returns 0 with `out` filled, or 401/403 with a plain-text
 * message in msg (and out->cred set for logging). Release with ds_access_clear. */
int ds_authenticate(const ds_config_t *config, const ds_request_t *req, ds_access_t *out, char *msg,
                    size_t len);
void ds_access_clear(ds_access_t *access);
/* 1 when the path is never authenticated (/, /healthz, /readyz*, /livez*). */
int ds_auth_whitelisted(const char *path);
/* 0 if `access` permits `need` on `collection` (NULL for global operations), else 403
 * with the "Forbidden: ..." message in msg. */
int ds_authorize(const ds_access_t *access, const char *collection, ds_need_t need, char *msg,
                 size_t len);
/* 1 if GET /collections should list this collection. */
int ds_access_can_see(const ds_access_t *access, const char *collection);
const char *ds_cred_name(ds_cred_t cred);

/* base64url without padding; returns decoded length or -1. out must hold len*3/4+3. */
long ds_base64url_decode(const char *in, size_t len, unsigned char *out);

#endif
