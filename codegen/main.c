/* main.c: the tenantq-gen command line.
 *
 *   tenantq-gen [--check] [--probe] [-o OUTDIR] SCHEMA...
 *   tenantq-gen --breaking-against OLD NEW [--format text|json]
 *
 * For each schema writes OUTDIR/<name>.tq.h, <name>.tq.c and <name>.tq.json (only the
 * files whose bytes change; with --probe also <name>.tq.probe.c, emit_probe.c), or with
 * --check writes nothing and names every file that
 * would change. Exit status: 0 ok, 1 schema errors or stale files, 2 usage or I/O
 * errors. Diagnostics go to stderr as "file:line:col: severity: message". It never
 * writes outside OUTDIR and never records an absolute path in its output. The second
 * form compares two versions of a schema (breaking.c) and writes nothing. */
#include "breaking.h"
#include "emit.h"
#include "files.h"
#include "schema.h"
#include "sha256.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_SCHEMA = 1, EXIT_USAGE = 2 };

typedef struct options {
    int check;
    int probe; /* --probe: also <name>.tq.probe.c */
    const char *breaking_against; /* OLD of --breaking-against, "-" for stdin */
    int json;
    const char *outdir;
    const char **schemas;
    size_t schema_count;
} options_t;

static void usage(FILE *to) {
    fputs("usage: tenantq-gen [--check] [--probe] [-o OUTDIR] SCHEMA...\n"
          "       tenantq-gen --breaking-against OLD NEW [--format text|json]\n"
          "\n"
          "Generates the typed, tenant-scoped C client of each .tqs schema:\n"
          "OUTDIR/<name>.tq.h, OUTDIR/<name>.tq.c and the manifest OUTDIR/<name>.tq.json.\n"
          "\n"
          "  -o, --output OUTDIR  where to write (default: the current directory)\n"
          "      --check          write nothing; exit 1 naming every file that would change\n"
          "      --probe          also write OUTDIR/<name>.tq.probe.c, the leak probe of the\n"
          "                       schema (link with <name>.tq.c and libtenantq-probe)\n"
          "      --breaking-against OLD\n"
          "                       compare schema OLD (\"-\": stdin) with NEW and classify\n"
          "                       every difference as safe, action or breaking; exit 1\n"
          "                       when any is breaking\n"
          "      --format FORMAT  text (default) or json, with --breaking-against\n"
          "  -h, --help           show this help\n"
          "      --version        show the version\n"
          "\n"
          "Exit status: 0 ok, 1 schema errors or stale files, 2 usage or I/O errors.\n",
          to);
}

/* Returns -1 to exit 0 (help, version), 0 to go on, or EXIT_USAGE. */
static int parse_args(int argc, char **argv, options_t *opt) {
    int i, only_files = 0;
    opt->check = 0;
    opt->probe = 0;
    opt->breaking_against = NULL;
    opt->json = 0;
    opt->outdir = ".";
    opt->schemas = calloc((size_t)argc, sizeof *opt->schemas);
    opt->schema_count = 0;
    if (opt->schemas == NULL) {
        fputs("tenantq-gen: out of memory\n", stderr);
        return EXIT_USAGE;
    }
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (only_files || arg[0] != '-' || arg[1] == '\0') {
            opt->schemas[opt->schema_count++] = arg;
        } else if (strcmp(arg, "--") == 0) {
            only_files = 1;
        } else if (strcmp(arg, "--check") == 0) {
            opt->check = 1;
        } else if (strcmp(arg, "--probe") == 0) {
            opt->probe = 1;
        } else if (strcmp(arg, "--breaking-against") == 0 || strcmp(arg, "--format") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "tenantq-gen: %s needs %s\n", arg,
                        arg[2] == 'b' ? "the old schema (a path or -)" : "text or json");
                return EXIT_USAGE;
            }
            if (arg[2] == 'b') {
                opt->breaking_against = argv[++i];
            } else if (strcmp(argv[++i], "json") == 0 || strcmp(argv[i], "text") == 0) {
                opt->json = strcmp(argv[i], "json") == 0;
            } else {
                fprintf(stderr, "tenantq-gen: --format must be text or json, not '%s'\n", argv[i]);
                return EXIT_USAGE;
            }
        } else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "tenantq-gen: %s needs a directory\n", arg);
                return EXIT_USAGE;
            }
            opt->outdir = argv[++i];
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage(stdout);
            return -1;
        } else if (strcmp(arg, "--version") == 0) {
            printf("tenantq-gen %s\n", TQ_GEN_VERSION);
            return -1;
        } else {
            fprintf(stderr, "tenantq-gen: unknown option '%s'\n", arg);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (opt->schema_count == 0) {
        fputs("tenantq-gen: no schema given\n", stderr);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (opt->breaking_against != NULL && opt->schema_count != 1) {
        fputs("tenantq-gen: --breaking-against compares one new schema with the old one\n", stderr);
        return EXIT_USAGE;
    }
    if (opt->breaking_against != NULL &&
        (opt->check || opt->probe || strcmp(opt->outdir, ".") != 0)) {
        fputs("tenantq-gen: --breaking-against writes nothing; it takes no --check, --probe or -o\n",
              stderr);
        return EXIT_USAGE;
    }
    if (opt->breaking_against == NULL && opt->json) {
        fputs("tenantq-gen: --format applies to --breaking-against only\n", stderr);
        return EXIT_USAGE;
    }
    return 0;
}

/* One output file: its name, its bytes and their digest. */
typedef struct output {
    char name[GEN_NAME_MAX];
    gen_buf_t text;
    char sha256[GEN_SHA256_HEX_LEN + 1];
} output_t;

/* Writes (or, with --check, compares) one output. Returns 0, EXIT_SCHEMA for a stale
 * file under --check, or EXIT_USAGE for an I/O error. */
static int deliver(const options_t *opt, const output_t *o, const char *schema_path) {
    char path[PATH_MAX];
    int written;
    if (snprintf(path, sizeof path, "%s/%s", opt->outdir, o->name) >= (int)sizeof path) {
        fprintf(stderr, "tenantq-gen: %s/%s: path too long\n", opt->outdir, o->name);
        return EXIT_USAGE;
    }
    if (opt->check) {
        if (gen_file_matches(path, o->text.data, o->text.len)) return 0;
        fprintf(stderr, "%s: error: differs from what tenantq-gen generates from %s "
                        "(stale, missing or edited by hand)\n", path, schema_path);
        return EXIT_SCHEMA;
    }
    if (gen_write_if_changed(path, o->text.data, o->text.len, &written) != 0) {
        fprintf(stderr, "tenantq-gen: %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    return 0;
}

static int worse(int a, int b) { return a > b ? a : b; }

/* Generates the three outputs of a loaded schema and delivers them. */
static int generate(const options_t *opt, const tq_schema_t *schema, const char *given,
                    const char *text, size_t len) {
    char display[PATH_MAX], schema_sha[GEN_SHA256_HEX_LEN + 1];
    output_t out[4]; /* .tq.c, .tq.h, .tq.json, .tq.probe.c (--probe) */
    size_t outputs = opt->probe ? 4 : 3;
    gen_input_t in;
    gen_file_t files[3];
    int result = 0;
    size_t i;

    memset(out, 0, sizeof out);
    if (gen_display_path(given, display, sizeof display) != 0) {
        fprintf(stderr, "tenantq-gen: %s: cannot make a relative path for the banner\n", given);
        return EXIT_USAGE;
    }
    if (gen_sha256_hex(text, len, schema_sha) != 0) {
        fprintf(stderr, "tenantq-gen: %s: SHA-256 failed\n", given);
        return EXIT_USAGE;
    }
    in.schema = schema;
    in.schema_path = display;
    in.schema_sha256 = schema_sha;
    snprintf(out[0].name, sizeof out[0].name, "%s.tq.c", schema->name);
    snprintf(out[1].name, sizeof out[1].name, "%s.tq.h", schema->name);
    snprintf(out[2].name, sizeof out[2].name, "%s.tq.json", schema->name);
    snprintf(out[3].name, sizeof out[3].name, "%s.tq.probe.c", schema->name);
    emit_source(&out[0].text, &in);
    emit_header(&out[1].text, &in);
    if (opt->probe) emit_probe(&out[3].text, &in);
    /* The manifest lists every generated C file (sorted: .tq.c, .tq.h, .tq.probe.c), so
     * tenantq-check vouches for the probe tables too. */
    for (i = 0; i < outputs - 1; i++) {
        output_t *o = &out[i < 2 ? i : 3];
        if (o->text.failed || gen_sha256_hex(o->text.data, o->text.len, o->sha256) != 0) {
            fputs("tenantq-gen: out of memory\n", stderr);
            result = EXIT_USAGE;
            goto cleanup;
        }
        files[i].path = o->name;
        files[i].sha256 = o->sha256;
    }
    emit_manifest(&out[2].text, &in, files, outputs - 1);
    if (out[2].text.failed) {
        fputs("tenantq-gen: out of memory\n", stderr);
        result = EXIT_USAGE;
        goto cleanup;
    }
    for (i = 0; i < outputs; i++) result = worse(result, deliver(opt, &out[i], display));

cleanup:
    for (i = 0; i < 4; i++) gen_buf_free(&out[i].text);
    return result;
}

/* The C names claimed by the schemas of this run, and which file claimed each. Two
 * schemas compiled into one program must not define the same name (schema "kb" with
 * collection "chunks_upsert" and schema "kb_chunks" with collection "upsert" would). */
typedef struct claimed {
    char **names;
    const char **paths;
    size_t count;
    size_t capacity;
} claimed_t;

/* Collects the names of one schema before they are checked against the table. */
typedef struct pending {
    claimed_t *into;
    const char *path;
    int nomem;
} pending_t;

static void claim(void *ctx, const char *name) {
    pending_t *p = ctx;
    claimed_t *c = p->into;
    if (p->nomem) return;
    if (c->count == c->capacity) {
        size_t grown = c->capacity == 0 ? 256 : c->capacity * 2;
        char **names = realloc(c->names, grown * sizeof *names);
        const char **paths;
        if (names == NULL) {
            p->nomem = 1;
            return;
        }
        c->names = names;
        paths = realloc(c->paths, grown * sizeof *paths);
        if (paths == NULL) {
            p->nomem = 1;
            return;
        }
        c->paths = paths;
        c->capacity = grown;
    }
    c->names[c->count] = strdup(name);
    if (c->names[c->count] == NULL) {
        p->nomem = 1;
        return;
    }
    c->paths[c->count++] = p->path;
}

static void claimed_truncate(claimed_t *c, size_t count) {
    while (c->count > count) free(c->names[--c->count]);
}

/* Adds the C names of `schema` to `c`. Returns 0, EXIT_SCHEMA when one is already
 * claimed by an earlier schema (reported, nothing added), or EXIT_USAGE. */
static int claim_names(claimed_t *c, const tq_schema_t *schema, const char *path) {
    pending_t p;
    size_t before = c->count, i, j;
    p.into = c;
    p.path = path;
    p.nomem = 0;
    if (tq_schema_each_c_name(schema, claim, &p) != 0 || p.nomem) {
        claimed_truncate(c, before);
        fputs("tenantq-gen: out of memory\n", stderr);
        return EXIT_USAGE;
    }
    for (i = before; i < c->count; i++)
        for (j = 0; j < before; j++)
            if (strcmp(c->names[i], c->names[j]) == 0) {
                fprintf(stderr, "%s:%u:%u: error: schema '%s' generates the C name '%s', as %s "
                                "does in this run\n", path, schema->pos.line, schema->pos.col,
                        schema->name, c->names[i], c->paths[j]);
                claimed_truncate(c, before);
                return EXIT_SCHEMA;
            }
    return 0;
}

/* Loads one schema file, prints its diagnostics and generates. */
static int process(const options_t *opt, const char *path, claimed_t *claimed) {
    char *text = NULL, *report = NULL;
    size_t len = 0;
    tq_schema_diags_t diags;
    tq_schema_t *schema = NULL;
    tq_schema_status_t status;
    int result = 0;

    memset(&diags, 0, sizeof diags);
    if (gen_read_file(path, TQ_SCHEMA_MAX_TEXT, &text, &len) != 0) {
        fprintf(stderr, "tenantq-gen: %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    status = tq_schema_load(text, len, NULL, &schema, &diags);
    if (status == TQ_SCHEMA_NOMEM ||
        tq_schema_diags_render(&diags, path, text, len, &report) != TQ_SCHEMA_OK) {
        fputs("tenantq-gen: out of memory\n", stderr);
        result = EXIT_USAGE;
        goto cleanup;
    }
    fputs(report, stderr);
    if (status != TQ_SCHEMA_OK) {
        result = EXIT_SCHEMA;
        goto cleanup;
    }
    result = claim_names(claimed, schema, path);
    if (result != 0) goto cleanup;
    result = generate(opt, schema, path, text, len);

cleanup:
    tq_schema_text_free(&diags, report);
    tq_schema_free(schema);
    tq_schema_diags_free(&diags);
    free(text);
    return result;
}

int main(int argc, char **argv) {
    options_t opt;
    claimed_t claimed;
    size_t i;
    int result;

    result = parse_args(argc, argv, &opt);
    if (result != 0) {
        free(opt.schemas);
        return result < 0 ? 0 : result;
    }
    if (opt.breaking_against != NULL) {
        result = gen_breaking_main(opt.breaking_against, opt.schemas[0], opt.json);
        free(opt.schemas);
        return result;
    }
    memset(&claimed, 0, sizeof claimed);
    for (i = 0; i < opt.schema_count; i++)
        result = worse(result, process(&opt, opt.schemas[i], &claimed));
    claimed_truncate(&claimed, 0);
    free(claimed.names);
    free(claimed.paths);
    free(opt.schemas);
    return result;
}
