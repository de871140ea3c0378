/* options.c: the command line of tenantq-check. Usage errors are printed here and
 * become exit status 2 in main; nothing else is decided here. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fputs("usage: tenantq-check [-p BUILD_DIR] [--manifest FILE]... [--format FORMAT]\n"
          "                     [-o FILE] [--baseline FILE] [--write-baseline FILE] [-j N]\n"
          "                     [--root DIR] [--werror] [--require-all | --only-named]\n"
          "                     [FILE...]\n"
          "                     [-- COMPILER ARGS]\n"
          "\n"
          "Checks C sources for bypasses of the tenantq isolation layer (rules TQ000-TQ007,\n"
          "see docs/checker.md). Exit 0: no unsuppressed finding; 1: findings; 2: something\n"
          "requested could not be analysed or the arguments are wrong.\n"
          "\n"
          "  -p BUILD_DIR         read BUILD_DIR/compile_commands.json; check every entry, or\n"
          "                       only those of the named FILEs (a directory: all below it)\n"
          "  --manifest FILE      a tenantq-gen manifest vouching for generated files\n"
          "  --format FORMAT      text (default), json, sarif or gitlab (Code Quality)\n"
          "  -o FILE              write the report to FILE instead of stdout\n"
          "  --baseline FILE      accept the findings whose fingerprints FILE lists\n"
          "  --write-baseline F   write the fingerprints of the current findings to F and\n"
          "                       exit 0 (2 when something was not analysed)\n"
          "  -j N                 analyse N translation units in parallel (default: CPUs)\n"
          "  --root DIR           repository root for relative paths (default: git top level)\n"
          "  --werror             warnings (TQ007) fail the run too\n"
          "  --require-all        exit 2 when named paths leave database entries unchecked\n"
          "  --only-named         the named paths are the whole gate (one build target's\n"
          "                       sources): other database entries are not noted\n"
          "  -- ARGS              compiler arguments for the named files (with -p: appended)\n"
          "  -h, --help           show this help\n"
          "  --version            show the version\n",
          out);
}

static int push(const char ***v, size_t *n, const char *item)
{
    const char **grown = realloc(*v, (*n + 1) * sizeof **v);
    if (!grown) {
        return -1;
    }
    grown[(*n)++] = item;
    *v = grown;
    return 0;
}

/* The value of option `name` at argv[*i]: "--name=value" or the next word. */
static const char *value_of(int argc, char **argv, int *i, const char *name)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) == 0 && arg[n] == '=') {
        return arg + n + 1;
    }
    if (*i + 1 >= argc) {
        fprintf(stderr, "tenantq-check: error: %s needs a value\n", name);
        return NULL;
    }
    return argv[++*i];
}

static int is_option(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || (arg[n] == '=' && name[1] == '-'));
}

int tqc_options_parse(int argc, char **argv, tqc_options_t *opt)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    memset(opt, 0, sizeof *opt);
    opt->format = TQC_FORMAT_TEXT;
    opt->jobs = cpus > 0 ? (int)cpus : 1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        if (strcmp(arg, "--") == 0) {
            opt->have_dashdash = 1;
            for (i++; i < argc; i++) {
                if (push(&opt->extra_args, &opt->extra_count, argv[i]) != 0) {
                    goto oom;
                }
            }
            break;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage(stdout);
            return 1;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("tenantq-check %s\n", TQC_VERSION);
            return 1;
        }
        if (strcmp(arg, "--werror") == 0) {
            opt->werror = 1;
        } else if (strcmp(arg, "--require-all") == 0) {
            opt->require_all = 1;
        } else if (strcmp(arg, "--only-named") == 0) {
            opt->only_named = 1;
        } else if (strncmp(arg, "-p", 2) == 0 && arg[2] != '\0') {
            opt->build_dir = arg + 2;
        } else if (is_option(arg, "-p")) {
            if (!(opt->build_dir = value_of(argc, argv, &i, "-p"))) {
                return -1;
            }
        } else if (is_option(arg, "-o")) {
            if (!(opt->output = value_of(argc, argv, &i, "-o"))) {
                return -1;
            }
        } else if (is_option(arg, "-j") || (strncmp(arg, "-j", 2) == 0 && arg[2])) {
            value = arg[2] ? arg + 2 : value_of(argc, argv, &i, "-j");
            char *end = NULL;
            long n = value ? strtol(value, &end, 10) : 0;
            if (!value || *end || n < 1 || n > 256) {
                fprintf(stderr, "tenantq-check: error: -j needs a number from 1 to 256\n");
                return -1;
            }
            opt->jobs = (int)n;
        } else if (is_option(arg, "--manifest")) {
            if (!(value = value_of(argc, argv, &i, "--manifest")) ||
                push(&opt->manifests, &opt->manifest_count, value) != 0) {
                return -1;
            }
        } else if (is_option(arg, "--format")) {
            if (!(value = value_of(argc, argv, &i, "--format"))) {
                return -1;
            }
            if (strcmp(value, "text") == 0) {
                opt->format = TQC_FORMAT_TEXT;
            } else if (strcmp(value, "json") == 0) {
                opt->format = TQC_FORMAT_JSON;
            } else if (strcmp(value, "sarif") == 0) {
                opt->format = TQC_FORMAT_SARIF;
            } else if (strcmp(value, "gitlab") == 0) {
                opt->format = TQC_FORMAT_GITLAB;
            } else {
                fprintf(stderr, "tenantq-check: error: unknown format '%s' (text, json, sarif, gitlab)\n",
                        value);
                return -1;
            }
        } else if (is_option(arg, "--baseline")) {
            if (!(opt->baseline = value_of(argc, argv, &i, "--baseline"))) {
                return -1;
            }
        } else if (is_option(arg, "--write-baseline")) {
            if (!(opt->write_baseline = value_of(argc, argv, &i, "--write-baseline"))) {
                return -1;
            }
        } else if (is_option(arg, "--root")) {
            if (!(opt->root = value_of(argc, argv, &i, "--root"))) {
                return -1;
            }
        } else if (arg[0] == '-' && arg[1] != '\0') {
            fprintf(stderr, "tenantq-check: error: unknown option '%s'\n", arg);
            usage(stderr);
            return -1;
        } else if (push(&opt->files, &opt->file_count, arg) != 0) {
            goto oom;
        }
    }
    if (!opt->build_dir && !opt->file_count) {
        fprintf(stderr, "tenantq-check: error: nothing to check: give -p BUILD_DIR or files\n");
        usage(stderr);
        return -1;
    }
    if (opt->require_all && opt->only_named) {
        fprintf(stderr, "tenantq-check: error: --require-all and --only-named contradict each "
                        "other: one fails on unchecked entries, the other declares them out of "
                        "scope\n");
        return -1;
    }
    if (opt->only_named && (!opt->build_dir || !opt->file_count)) {
        fprintf(stderr, "tenantq-check: error: --only-named needs -p BUILD_DIR and the paths "
                        "that make up the gate\n");
        return -1;
    }
    return 0;
oom:
    fprintf(stderr, "tenantq-check: error: out of memory\n");
    return -1;
}
