/* dt_case.c: runs the devserver case tables under cmocka.
 *
 * Every case gets a fresh tenantq-devserver (so no case depends on another), runs its
 * fixture requests, sends its one request and checks the answer against the table.
 * It must never decide an expectation from what the server answered: the tables are
 * written from NOTES.md and openapi.json. It never leaves a server running: teardown
 * stops the child even when the case failed, and fails the case when the server does
 * not exit with status 0 (a crash, or a leak report under AddressSanitizer). */
#include "dt_case.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dt_json_match.h"
#include "dt_jwt.h"

#define MAX_URL 4096
#define MAX_TOKEN 8192

static bool has_api_key(dt_profile_t p) {
    return p == DT_AUTH || p == DT_AUTH_NOJWT || p == DT_CLUSTER_AUTH;
}

void dt_profile_env(dt_profile_t p) {
    unsetenv("QDRANT__SERVICE__API_KEY");
    unsetenv("QDRANT__SERVICE__READ_ONLY_API_KEY");
    unsetenv("QDRANT__SERVICE__JWT_RBAC");
    if (has_api_key(p)) setenv("QDRANT__SERVICE__API_KEY", DT_ADMIN_KEY, 1);
    if (p == DT_AUTH || p == DT_CLUSTER_AUTH) {
        setenv("QDRANT__SERVICE__READ_ONLY_API_KEY", DT_RO_KEY, 1);
        setenv("QDRANT__SERVICE__JWT_RBAC", "true", 1);
    }
}

/* Builds the credential header line for `cred` under profile `p` into line (cap);
 * leaves it empty when no credential is to be sent. */
static void cred_header(dt_profile_t p, const dt_cred_t *cred, char *line, size_t cap) {
    line[0] = '\0';
    char token[MAX_TOKEN];
    switch (cred->kind) {
    case DT_CRED_DEFAULT:
        if (has_api_key(p)) snprintf(line, cap, "api-key: %s", DT_ADMIN_KEY);
        return;
    case DT_CRED_NONE:
        return;
    case DT_CRED_APIKEY:
        snprintf(line, cap, "api-key: %s", cred->value);
        return;
    case DT_CRED_BEARER:
        snprintf(line, cap, "Authorization: Bearer %s", cred->value);
        return;
    case DT_CRED_JWT_BEARER:
    case DT_CRED_JWT_APIKEY: {
        char *claims = dt_json_quotes(cred->value);
        assert_non_null(claims);
        int rc = dt_jwt_mint(cred->alg ? cred->alg : "HS256",
                             cred->secret ? cred->secret : DT_ADMIN_KEY, claims, cred->exp,
                             cred->exp_delta, token, sizeof token);
        free(claims);
        if (rc != 0) fail_msg("cannot mint a JWT from claims %s", cred->value);
        if (cred->kind == DT_CRED_JWT_BEARER)
            snprintf(line, cap, "Authorization: Bearer %s", token);
        else
            snprintf(line, cap, "api-key: %s", token);
        return;
    }
    }
}

/* Sends one request with credential `cred` and the extra raw header lines; fails the
 * test when no HTTP response arrives (a crash or a dropped connection). */
static void send_with(dt_ctx_t *ctx, const dt_cred_t *cred, const char *const *extra,
                      const char *method, const char *path, const char *body,
                      dt_response_t *out) {
    char url[MAX_URL];
    snprintf(url, sizeof url, "%s%s", ctx->srv.url, path);
    char cred_line[MAX_TOKEN + 64];
    cred_header(ctx->c->profile, cred, cred_line, sizeof cred_line);
    const char *headers[8];
    size_t h = 0;
    if (cred_line[0]) headers[h++] = cred_line;
    for (size_t i = 0; extra && i < 4 && extra[i]; i++) headers[h++] = extra[i];
    headers[h] = NULL;
    char *json = body ? dt_json_quotes(body) : NULL;
    if (body) assert_non_null(json);
    dt_http(method, url, headers, json, json ? strlen(json) : 0, out);
    free(json);
    if (out->status == 0)
        fail_msg("%s %s: no HTTP response (curl error %d)", method, path, out->curl_rc);
}

void dt_send(dt_ctx_t *ctx, const char *method, const char *path, const char *body,
             dt_response_t *out) {
    static const dt_cred_t dflt = {0};
    send_with(ctx, &dflt, NULL, method, path, body, out);
}

static bool is_json_type(const dt_response_t *r) {
    return strncmp(r->content_type, "application/json", 16) == 0;
}

void dt_check_response(const dt_response_t *r, long status, dt_check_t kind,
                       const char *expect, const char *what) {
    char why[1024] = "";
    if (status == 0) status = 200;
    if (r->status != status)
        fail_msg("%s: HTTP %ld, expected %ld; body: %.600s", what, r->status, status, r->body);
    if (kind == DT_STATUS || kind == DT_CUSTOM) return;
    if (kind == DT_TEXT) {
        if (strcmp(r->body, expect) != 0)
            fail_msg("%s: body '%.300s', expected exactly '%s'", what, r->body, expect);
        return;
    }
    cJSON *root = cJSON_ParseWithLength(r->body, r->len);
    if (kind == DT_PLAINTEXT) {
        bool json_obj = cJSON_IsObject(root);
        cJSON_Delete(root);
        if (r->len == 0 || json_obj)
            fail_msg("%s: expected a non-empty plain-text body, got '%.300s'", what, r->body);
        return;
    }
    if (!root) fail_msg("%s: body is not JSON: '%.300s'", what, r->body);
    if (!is_json_type(r)) {
        cJSON_Delete(root);
        fail_msg("%s: Content-Type '%s', expected application/json", what, r->content_type);
    }
    char *pattern = NULL;
    bool ok = true;
    if (kind == DT_JSON) {
        pattern = dt_json_quotes(expect);
    } else if (kind == DT_OK) {
        size_t n = strlen(expect) + 64;
        pattern = malloc(n);
        if (pattern) {
            char *res = dt_json_quotes(expect);
            snprintf(pattern, n, "{\"status\":\"ok\",\"time\":\"@number\",\"result\":%s}",
                     res ? res : "null");
            free(res);
        }
    } else {
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "status");
        const cJSON *err = cJSON_GetObjectItemCaseSensitive(st, "error");
        const cJSON *time = cJSON_GetObjectItemCaseSensitive(root, "time");
        const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
        if (!cJSON_IsString(err)) {
            snprintf(why, sizeof why, "no status.error string");
            ok = false;
        } else if (!cJSON_IsNumber(time)) {
            snprintf(why, sizeof why, "no numeric time");
            ok = false;
        } else if (result && !cJSON_IsNull(result)) {
            snprintf(why, sizeof why, "result must be absent or null");
            ok = false;
        } else if (strncmp(expect, "@contains:", 10) == 0) {
            if (!strstr(err->valuestring, expect + 10)) {
                snprintf(why, sizeof why, "error does not contain '%s'", expect + 10);
                ok = false;
            }
        } else if (strncmp(err->valuestring, expect, strlen(expect)) != 0) {
            snprintf(why, sizeof why, "error does not start with '%s'", expect);
            ok = false;
        }
    }
    if (pattern) {
        cJSON *pat = cJSON_Parse(pattern);
        if (!pat) {
            free(pattern);
            cJSON_Delete(root);
            fail_msg("%s: the table's pattern is not JSON: %s", what, expect);
        }
        ok = dt_json_match(pat, root, why, sizeof why);
        cJSON_Delete(pat);
        free(pattern);
    }
    cJSON_Delete(root);
    if (!ok) fail_msg("%s: %s; body: %.600s", what, why, r->body);
}

cJSON *dt_ok(dt_ctx_t *ctx, const char *method, const char *path, const char *body,
             const cJSON **result) {
    dt_response_t *r = &ctx->scratch;
    char what[512];
    snprintf(what, sizeof what, "%s %s", method, path);
    dt_response_free(r);
    dt_send(ctx, method, path, body, r);
    dt_check_response(r, 200, DT_OK, "'@any'", what);
    cJSON *root = cJSON_ParseWithLength(r->body, r->len);
    assert_non_null(root);
    *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    return root;
}

void dt_expect_ok(dt_ctx_t *ctx, const char *method, const char *path, const char *body,
                  const char *pattern) {
    char what[512];
    snprintf(what, sizeof what, "%s %s", method, path);
    dt_response_free(&ctx->scratch);
    dt_send(ctx, method, path, body, &ctx->scratch);
    dt_check_response(&ctx->scratch, 200, DT_OK, pattern, what);
}

void dt_ctx_release(dt_ctx_t *ctx) { dt_response_free(&ctx->scratch); }

/* Sends each fixture step with the default credential; any status but 200 fails the
 * case before its own request runs, naming the step. */
static void run_steps(dt_ctx_t *ctx, const dt_step_t *steps, const char *kind) {
    for (size_t i = 0; steps && steps[i].method; i++) {
        dt_response_t *r = &ctx->scratch;
        dt_response_free(r);
        dt_send(ctx, steps[i].method, steps[i].path, steps[i].body, r);
        if (r->status != 200)
            fail_msg("%s step %zu (%s %s): HTTP %ld: %.600s", kind, i + 1, steps[i].method,
                     steps[i].path, r->status, r->body);
    }
}

static int case_setup(void **state) {
    const dt_case_t *c = *state;
    dt_ctx_t *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return -1;
    ctx->c = c;
    dt_profile_env(c->profile);
    static const char *const cluster_args[] = {"--cluster-mode", NULL};
    int rc = tq_test_server_start(&ctx->srv, c->profile == DT_CLUSTER || c->profile == DT_CLUSTER_AUTH ? cluster_args : NULL);
    dt_profile_env(DT_PLAIN);
    if (rc != 0) {
        free(ctx);
        return -1;
    }
    *state = ctx;
    return 0;
}

static int case_teardown(void **state) {
    dt_ctx_t *ctx = *state;
    int rc = tq_test_server_stop(&ctx->srv);
    if (rc != 0)
        fprintf(stderr, "%s: devserver exited with status %d after SIGTERM (expected 0)\n",
                ctx->c->name, rc);
    dt_ctx_release(ctx);
    free(ctx);
    return rc == 0 ? 0 : -1;
}

/* Runs one case: fixtures, then either its custom function or its single request
 * checked against the table (status, body check, optional predicate). */
static void case_run(void **state) {
    dt_ctx_t *ctx = *state;
    const dt_case_t *c = ctx->c;
    run_steps(ctx, c->fixture, "fixture");
    run_steps(ctx, c->steps, "setup");
    if (c->check == DT_CUSTOM) {
        c->custom(ctx);
        return;
    }
    dt_response_t *r = &ctx->scratch;
    dt_response_free(r);
    send_with(ctx, &c->cred, c->headers, c->method, c->path, c->body, r);
    char what[512];
    snprintf(what, sizeof what, "%s %s", c->method, c->path);
    dt_check_response(r, c->status, c->check, c->expect, what);
    if (c->pred) {
        char why[1024] = "";
        bool ok = c->pred(r, why, sizeof why);
        if (!ok) fail_msg("%s: %s; body: %.600s", what, why, r->body);
    }
}

int dt_run_group(const dt_group_t *group) {
    struct CMUnitTest *tests = calloc(group->count, sizeof *tests);
    char **names = calloc(group->count, sizeof *names);
    int failed = -1;
    if (!tests || !names) goto done;
    for (size_t i = 0; i < group->count; i++) {
        size_t n = strlen(group->name) + strlen(group->cases[i].name) + 2;
        names[i] = malloc(n);
        if (!names[i]) goto done;
        snprintf(names[i], n, "%s.%s", group->name, group->cases[i].name);
        tests[i].name = names[i];
        tests[i].test_func = case_run;
        tests[i].setup_func = case_setup;
        tests[i].teardown_func = case_teardown;
        tests[i].initial_state = (void *)&group->cases[i];
    }
    failed = _cmocka_run_group_tests(group->name, tests, group->count, NULL, NULL);
done:
    for (size_t i = 0; names && i < group->count; i++) free(names[i]);
    free(names);
    free(tests);
    return failed;
}
