/* main.c: the tenantq-admin command line.
 *
 *   tenantq-admin --schema FILE.tqs... --registry REGISTRY.json COMMAND [args]
 *
 * Parses the global options, opens the schemas, registry and client, and hands the
 * rest to one command. Exit codes: 0 done, 1 failed (with a message saying what and
 * where), 2 usage. It must never start a command on a schema or registry that did not
 * load. */
#include "commands.h"

#include <stdlib.h>
#include <string.h>

typedef struct command {
    const char *name;
    const char *args;
    const char *help;
    int (*run)(adm_env_t *env, int argc, char **argv);
} command_t;

static const command_t commands[] = {
    {"onboard", "TENANT...", "create the tenants' collections and payload indexes",
     adm_cmd_onboard},
    {"migrate",
     "TENANT --to PLACEMENT [--endpoint NAME] [--batch N] [--grace-ms MS] | TENANT [--abort]",
     "copy, verify, switch the registry, delete the source (resumable)", adm_cmd_migrate},
    {"reindex", "[TENANT...]",
     "create payload indexes the schema declares but a collection lacks", adm_cmd_reindex},
    {"rewrite", "TENANT...", "apply the schema's declared field renames to stored points",
     adm_cmd_rewrite},
    {"offboard", "TENANT --report FILE.json [--unregistered]",
     "erase the tenant's data everywhere it can be and write an erasure report",
     adm_cmd_offboard},
    {"audit", "[--format text|json]",
     "classify every collection on every endpoint; exit 0 only if all is managed",
     adm_cmd_audit},
};

/* The command named `name`, or NULL. */
static const command_t *find_command(const char *name)
{
    for (size_t c = 0; c < sizeof commands / sizeof *commands; c++) {
        if (strcmp(name, commands[c].name) == 0)
            return &commands[c];
    }
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: tenantq-admin --schema FILE.tqs... --registry REGISTRY.json COMMAND "
               "[args]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %s %s\n      %s\n", commands[i].name, commands[i].args, commands[i].help);
    fprintf(f, "\noptions:\n"
               "  --schema FILE.tqs...   the application's schemas (one or more)\n"
               "  --registry FILE.json   the tenant registry (a journal is kept beside it)\n"
               "  --help, --version\n"
               "\nexit status: 0 done, 1 failed, 2 usage\n"
               "environment: TENANTQ_QDRANT_URL (default endpoint), endpoint API keys as the\n"
               "registry names them\n");
}

int main(int argc, char **argv)
{
    const char **schemas = calloc((size_t)argc, sizeof *schemas);
    size_t schema_count = 0;
    const char *registry = NULL;
    int i = 1;
    if (!schemas) {
        fprintf(stderr, "tenantq-admin: error: out of memory\n");
        return ADM_EXIT_FAIL;
    }
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            free(schemas);
            return ADM_EXIT_OK;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("tenantq-admin %s\n", TQ_VERSION_STRING);
            free(schemas);
            return ADM_EXIT_OK;
        }
        if (strcmp(argv[i], "--schema") == 0) {
            /* Files up to the next option or command name (a schema file named like a
             * command is given as ./NAME). */
            while (i + 1 < argc && argv[i + 1][0] != '-' && !find_command(argv[i + 1]))
                schemas[schema_count++] = argv[++i];
        } else if (strcmp(argv[i], "--registry") == 0 && i + 1 < argc) {
            registry = argv[++i];
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "tenantq-admin: error: unknown option \"%s\"\n", argv[i]);
            usage(stderr);
            free(schemas);
            return ADM_EXIT_USAGE;
        } else {
            break;
        }
    }
    const command_t *cmd = i < argc ? find_command(argv[i]) : NULL;
    if (!cmd || schema_count == 0 || !registry) {
        if (i < argc && !cmd)
            fprintf(stderr, "tenantq-admin: error: unknown command \"%s\"\n", argv[i]);
        else
            fprintf(stderr, "tenantq-admin: error: %s\n",
                    !schema_count ? "--schema FILE.tqs is required"
                    : !registry   ? "--registry FILE.json is required"
                                  : "a command is required");
        usage(stderr);
        free(schemas);
        return ADM_EXIT_USAGE;
    }
    adm_env_t env;
    memset(&env, 0, sizeof env);
    env.out = stdout;
    env.err = stderr;
    int rc = adm_env_open(&env, schemas, schema_count, registry);
    if (rc == ADM_EXIT_OK)
        rc = cmd->run(&env, argc - i - 1, argv + i + 1);
    adm_env_close(&env);
    free(schemas);
    return rc;
}
