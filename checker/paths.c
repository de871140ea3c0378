/* paths.c: path arithmetic and the path-based classifications of docs/checker.md
 * (raw header, runtime tree, tests path). Pure string work plus stat(); it never
 * reads file contents. */
#include "internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *tqc_path_join(const char *dir, const char *name)
{
    if (name[0] == '/' || !dir || !dir[0]) {
        return strdup(name);
    }
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') {
        dl--;
    }
    return tqc_format("%.*s/%s", (int)dl, dir, name);
}

/* Removes "." and ".." components and doubled slashes from an absolute path, in
 * place. */
static void normalise(char *path)
{
    char *out = path;
    const char *p = path;
    while (*p) {
        while (*p == '/') {
            p++;
        }
        if (!*p) {
            break;
        }
        const char *start = p;
        while (*p && *p != '/') {
            p++;
        }
        size_t len = (size_t)(p - start);
        if (len == 1 && start[0] == '.') {
            continue;
        }
        if (len == 2 && start[0] == '.' && start[1] == '.') {
            while (out > path && *--out != '/') {
            }
            continue;
        }
        *out++ = '/';
        memmove(out, start, len);
        out += len;
    }
    if (out == path) {
        *out++ = '/';
    }
    *out = '\0';
}

char *tqc_path_resolve(const char *path)
{
    char buf[PATH_MAX];
    if (realpath(path, buf)) {
        return strdup(buf);
    }
    char *joined;
    if (path[0] == '/') {
        joined = strdup(path);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) {
            return NULL;
        }
        joined = tqc_path_join(cwd, path);
    }
    if (joined) {
        normalise(joined);
    }
    return joined;
}

const char *tqc_path_relative(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (n > 1 && strncmp(path, root, n) == 0 && path[n] == '/') {
        return path + n + 1;
    }
    return path;
}

int tqc_path_is_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') {
        n--;
    }
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

int tqc_path_has_suffix(const char *path, const char *suffix)
{
    size_t pl = strlen(path);
    size_t sl = strlen(suffix);
    if (pl < sl || strcmp(path + pl - sl, suffix) != 0) {
        return 0;
    }
    return pl == sl || path[pl - sl - 1] == '/';
}

static int has_suffix(const char *s, size_t len, const char *suffix)
{
    size_t sl = strlen(suffix);
    return len >= sl && memcmp(s + len - sl, suffix, sl) == 0;
}

int tqc_path_is_test(const char *path)
{
    const char *p = path;
    for (;;) {
        const char *slash = strchr(p, '/');
        if (!slash) {
            break;
        }
        size_t len = (size_t)(slash - p);
        if ((len == 4 && memcmp(p, "test", 4) == 0) || (len == 5 && memcmp(p, "tests", 5) == 0)) {
            return 1;
        }
        p = slash + 1;
    }
    /* p is now the base name. */
    const char *dot = strrchr(p, '.');
    size_t stem = dot ? (size_t)(dot - p) : strlen(p);
    if (strncmp(p, "test_", 5) == 0) {
        return 1;
    }
    return has_suffix(p, stem, "_test") || has_suffix(p, stem, "_tests");
}

int tqc_path_in_runtime_tree(const char *path, int *internal, const char **rel)
{
    static const char marker[] = "/runtime/";
    *internal = 0;
    const char *at = path;
    while ((at = strstr(at, marker)) != NULL) {
        size_t prefix = (size_t)(at - path);
        char *probe = tqc_format("%.*s/runtime/include/tenantq/raw.h", (int)prefix, path);
        struct stat st;
        int found = probe && stat(probe, &st) == 0 && S_ISREG(st.st_mode);
        free(probe);
        if (found) {
            *internal = strncmp(at + sizeof marker - 1, "src/", 4) == 0;
            if (rel) {
                *rel = at + sizeof marker - 1;
            }
            return 1;
        }
        at += 1;
    }
    return 0;
}
