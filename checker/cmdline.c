/* cmdline.c: turns compile_commands.json commands into libclang arguments.
 *
 * Splits "command" strings like a POSIX shell (quotes, backslashes; no expansion),
 * drops what libclang must not see (the compiler, the source, -c, -o and dependency
 * outputs, -Werror) and makes path options absolute against the entry's directory,
 * since libclang resolves them against the process's working directory. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void tqc_strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n && v; i++) {
        free(v[i]);
    }
    free(v);
}

static int push(char ***v, size_t *n, size_t *cap, char *word)
{
    if (!word || tqc_grow((void **)v, cap, *n + 1, sizeof **v) != 0) {
        free(word);
        return -1;
    }
    (*v)[(*n)++] = word;
    return 0;
}

int tqc_shell_split(const char *command, char ***words, size_t *count)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    size_t len = strlen(command);
    char *word = malloc(len + 1);
    if (!word) {
        return -1;
    }
    const char *p = command;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            p++;
        }
        if (!*p) {
            break;
        }
        size_t w = 0;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            if (*p == '\'') {
                for (p++; *p && *p != '\''; p++) {
                    word[w++] = *p;
                }
                if (*p) {
                    p++;
                }
            } else if (*p == '"') {
                for (p++; *p && *p != '"'; p++) {
                    if (*p == '\\' && p[1] && strchr("\"\\$`", p[1])) {
                        p++;
                    }
                    word[w++] = *p;
                }
                if (*p) {
                    p++;
                }
            } else if (*p == '\\' && p[1]) {
                word[w++] = p[1];
                p += 2;
            } else {
                word[w++] = *p++;
            }
        }
        word[w] = '\0';
        if (push(&v, &n, &cap, strdup(word)) != 0) {
            free(word);
            tqc_strv_free(v, n);
            return -1;
        }
    }
    free(word);
    *words = v;
    *count = n;
    return 0;
}

/* Options whose value is a path, written separately or joined. */
static const char *const path_options[] = {"-I", "-isystem", "-iquote", "-idirafter",
                                           "-include", "-imacros", "-isysroot", "-F",
                                           "--sysroot"};
/* Options dropped together with their separate value. */
static const char *const dropped_with_value[] = {"-o", "-MF", "-MT", "-MQ", "-MJ"};
/* Options dropped alone. */
static const char *const dropped[] = {"-c", "-MD", "-MMD", "-MP", "-M", "-MM", "-Werror",
                                      "-pedantic-errors", "-fsyntax-only", "-S", "-E"};

static int in_list(const char *arg, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(arg, list[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

int tqc_args_from_command(char *const *argv, size_t argc, const char *directory,
                          const char *source_abs, char ***out, size_t *out_count)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (in_list(arg, dropped_with_value, COUNT_OF(dropped_with_value))) {
            i++;
            continue;
        }
        if (in_list(arg, dropped, COUNT_OF(dropped)) || strncmp(arg, "-Werror=", 8) == 0 ||
            (strncmp(arg, "-o", 2) == 0 && arg[2])) {
            continue;
        }
        if (arg[0] != '-') {
            char *joined = tqc_path_join(directory, arg);
            char *abs = joined ? tqc_path_resolve(joined) : NULL;
            int is_source = abs && strcmp(abs, source_abs) == 0;
            free(joined);
            free(abs);
            if (is_source) {
                continue;
            }
            if (push(&v, &n, &cap, strdup(arg)) != 0) {
                goto fail;
            }
            continue;
        }
        size_t k;
        for (k = 0; k < COUNT_OF(path_options); k++) {
            size_t ol = strlen(path_options[k]);
            if (strncmp(arg, path_options[k], ol) == 0) {
                break;
            }
        }
        if (k == COUNT_OF(path_options)) {
            if (push(&v, &n, &cap, strdup(arg)) != 0) {
                goto fail;
            }
            continue;
        }
        const char *opt = path_options[k];
        size_t ol = strlen(opt);
        const char *value = NULL;
        if (arg[ol] == '\0' && i + 1 < argc) {
            value = argv[++i];
        } else if (arg[ol] == '=') {
            value = arg + ol + 1;
        } else if (arg[ol] != '\0') {
            value = arg + ol;
        }
        if (!value) {
            if (push(&v, &n, &cap, strdup(arg)) != 0) {
                goto fail;
            }
            continue;
        }
        char *abs = tqc_path_join(directory, value);
        if (push(&v, &n, &cap, strdup(opt)) != 0 || push(&v, &n, &cap, abs) != 0) {
            goto fail;
        }
    }
    *out = v;
    *out_count = n;
    return 0;
fail:
    tqc_strv_free(v, n);
    return -1;
}
