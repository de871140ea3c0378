/* main.c: the `kb` command line: global options, --help, and dispatch to a command.
 *
 * It owns the process: it opens the registry and client once, runs one command and
 * turns its result into the exit status (0 success, 1 failure, 2 usage). It must never
 * talk to the server itself; commands do that through the generated client. */
#include "kb.h"

#include <stdlib.h>
#include <string.h>

typedef int (*kb_command_fn)(kb_app_t *app, int argc, char **argv);

typedef struct kb_command {
    const char *name;
    const char *args;
    const char *summary;
    kb_command_fn run;
} kb_command_t;

static const kb_command_t COMMANDS[] = {
    {"onboard", "TENANT", "create the tenant's storage (idempotent)", kb_cmd_onboard},
    {"ingest", "TENANT BOT FILE...", "chunk, embed and store markdown or text files",
     kb_cmd_ingest},
    {"ask", "TENANT BOT QUESTION [--limit N] [--source S] [--mode dense|text|hybrid]",
     "show the chunks that best answer QUESTION", kb_cmd_ask},
    {"sources", "TENANT BOT", "list the bot's documents with chunk counts", kb_cmd_sources},
    {"offboard", "TENANT", "erase all of the tenant's data, then verify nothing remains",
     kb_cmd_offboard},
    {"status", "", "server latency and, per tenant and bot, sources and chunks",
     kb_cmd_status},
};
#define COMMAND_COUNT (sizeof COMMANDS / sizeof COMMANDS[0])

static void usage(FILE *out) {
    fprintf(out,
            "usage: kb [--registry FILE] [--bots LIST] COMMAND ARGS...\n"
            "\n"
            "A multi-tenant knowledge assistant: every tenant is a customer company from\n"
            "the registry, every bot a profile inside it whose documents no other bot sees.\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        fprintf(out, "  kb %s%s%s\n      %s\n", COMMANDS[i].name, COMMANDS[i].args[0] ? " " : "",
                COMMANDS[i].args, COMMANDS[i].summary);
    }
    fprintf(out,
            "\n"
            "options:\n"
            "  --registry FILE  tenant registry (default $KB_REGISTRY, else ./%s)\n"
            "  --bots LIST      comma-separated bot profiles (default $KB_BOTS, else %s)\n"
            "  -h, --help       show this help\n"
            "  --version        show the kb and libtenantq versions\n"
            "\n"
            "environment:\n"
            "  TENANTQ_QDRANT_URL      server of the default endpoint (default "
            "http://127.0.0.1:6333)\n"
            "  TENANTQ_QDRANT_API_KEY  its API key, if it needs one\n",
            KB_DEFAULT_REGISTRY, KB_DEFAULT_BOTS);
}

static const kb_command_t *find_command(const char *name) {
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(COMMANDS[i].name, name) == 0) return &COMMANDS[i];
    return NULL;
}

int main(int argc, char **argv) {
    kb_app_t app;
    memset(&app, 0, sizeof app);
    app.out = stdout;
    app.err = stderr;
    app.registry_path = getenv("KB_REGISTRY");
    if (!app.registry_path || !*app.registry_path) app.registry_path = KB_DEFAULT_REGISTRY;
    const char *bots = getenv("KB_BOTS");
    if (!bots || !*bots) bots = KB_DEFAULT_BOTS;

    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return KB_EXIT_OK;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("kb (tenantq example) with libtenantq %s\n", TQ_VERSION_STRING);
            return KB_EXIT_OK;
        }
        if (strcmp(argv[i], "--registry") == 0 && i + 1 < argc) {
            app.registry_path = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--bots") == 0 && i + 1 < argc) {
            bots = argv[++i];
            continue;
        }
        int known = strcmp(argv[i], "--registry") == 0 || strcmp(argv[i], "--bots") == 0;
        fprintf(stderr, known ? "kb: error: option '%s' needs a value\n"
                              : "kb: error: unknown option '%s'\n", argv[i]);
        usage(stderr);
        return KB_EXIT_USAGE;
    }
    if (i == argc) {
        usage(stderr);
        return KB_EXIT_USAGE;
    }
    const kb_command_t *command = find_command(argv[i]);
    if (!command) {
        fprintf(stderr, "kb: error: unknown command '%s' (try kb --help)\n", argv[i]);
        return KB_EXIT_USAGE;
    }
    if (kb_app_set_bots(&app, bots) != 0) return KB_EXIT_USAGE;
    kb_embedder_hashed(&app.embedder, KB_CHUNKS_DIM);
    if (kb_app_open(&app) != 0) {
        kb_app_close(&app);
        return KB_EXIT_FAIL;
    }
    int rc = command->run(&app, argc - i, argv + i);
    kb_app_close(&app);
    return rc;
}
