/* kb.h: what the kb commands share: the opened registry and client, the embedder, the
 * bot profiles, and one function per command.
 *
 * Commands return a process exit status (KB_EXIT_*) and print their own results on
 * app->out and their errors on app->err. */
#ifndef KB_KB_H
#define KB_KB_H

#include <stdio.h>

#include "embed.h"
#include "kb.tq.h"

enum { KB_EXIT_OK = 0, KB_EXIT_FAIL = 1, KB_EXIT_USAGE = 2 };

/* Bot profiles are product configuration, not user input: a bot name on the command
 * line must be one of these, so `kb status` and `kb offboard` know every scope a tenant
 * can have data in. */
#define KB_MAX_BOTS 8
#define KB_BOT_NAME_MAX 32
#define KB_DEFAULT_BOTS "support,sales"
#define KB_DEFAULT_REGISTRY "registry.json"

typedef struct kb_app {
    const char *registry_path;
    tq_registry_t *registry;
    tq_client_t *client;
    kb_embedder_t embedder;
    char bots[KB_MAX_BOTS][KB_BOT_NAME_MAX + 1];
    size_t bot_count;
    FILE *out;
    FILE *err;
} kb_app_t;

/* Parses a comma-separated bot list into app->bots. Returns 0, or -1 after printing
 * why the list is unusable (empty, too many, a name outside [a-z0-9_-]). */
int kb_app_set_bots(kb_app_t *app, const char *list);

/* Loads the registry and opens the client (the default endpoint comes from
 * TENANTQ_QDRANT_URL and TENANTQ_QDRANT_API_KEY). Returns 0, or -1 after printing the
 * reason; kb_app_close is safe either way. */
int kb_app_open(kb_app_t *app);
void kb_app_close(kb_app_t *app);

/* Makes the context for `tenant`; -1 after printing the reason. */
int kb_app_ctx(kb_app_t *app, const char *tenant, tenant_ctx_t **out);

/* For commands whose only argument is TENANT: checks that argv is exactly
 * {command, TENANT} (else prints "usage: kb COMMAND TENANT") and makes the context.
 * Returns KB_EXIT_OK with *out set, or the exit status to return. */
int kb_app_tenant_arg(kb_app_t *app, int argc, char **argv, tenant_ctx_t **out);

/* Returns 0 when `bot` is a configured profile, else -1 after printing the list. */
int kb_app_check_bot(kb_app_t *app, const char *bot);

/* Prints "kb: error: WHAT: STATUS_NAME: message (HTTP n)" for a failed call. */
void kb_app_fail(kb_app_t *app, const char *what, tq_status_t status, const tq_detail_t *detail);

/* The placement a tenant's data lives in: the registry's override, else the schema's. */
const char *kb_app_placement(const tenant_ctx_t *ctx);

/* Monotonic clock in microseconds, for the latencies commands report. */
double kb_now_us(void);

int kb_cmd_onboard(kb_app_t *app, int argc, char **argv);
int kb_cmd_ingest(kb_app_t *app, int argc, char **argv);
int kb_cmd_ask(kb_app_t *app, int argc, char **argv);
int kb_cmd_sources(kb_app_t *app, int argc, char **argv);
int kb_cmd_offboard(kb_app_t *app, int argc, char **argv);
int kb_cmd_status(kb_app_t *app, int argc, char **argv);

#endif
