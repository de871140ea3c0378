/* files.c: reading schemas, writing generated files atomically, and the relative schema
 * path recorded in them.
 *
 * Generated files are replaced by rename of a complete temporary file, never written in
 * place, and only when their bytes change, so builds that depend on them do not rerun
 * needlessly and a reader never sees half a file. No absolute path ever reaches the
 * output: gen_display_path falls back to the file name. */
/* realpath() is an XSI function. */
#define _XOPEN_SOURCE 700

#include "files.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int gen_read_file(const char *path, size_t limit, char **data, size_t *len) {
    FILE *file = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int result = -1, saved;

    if (file == NULL) return -1;
    for (;;) {
        size_t got;
        if (n + 1 >= cap) {
            size_t grown = cap == 0 ? 8192 : cap * 2;
            char *bigger;
            if (grown > limit + 2) grown = limit + 2;
            if (grown <= n + 1) break;
            bigger = realloc(buf, grown);
            if (bigger == NULL) {
                errno = ENOMEM;
                goto cleanup;
            }
            buf = bigger;
            cap = grown;
        }
        got = fread(buf + n, 1, cap - n - 1, file);
        n += got;
        if (got == 0 || n > limit) break;
    }
    if (ferror(file)) {
        errno = EIO;
        goto cleanup;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    buf = NULL;
    result = 0;

cleanup:
    saved = errno;
    free(buf);
    fclose(file);
    errno = saved;
    return result;
}

int gen_file_matches(const char *path, const char *data, size_t len) {
    char *existing = NULL;
    size_t existing_len = 0;
    int same;
    if (gen_read_file(path, len, &existing, &existing_len) != 0) return 0;
    same = existing_len == len && memcmp(existing, data, len) == 0;
    free(existing);
    return same;
}

static int write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int gen_write_if_changed(const char *path, const char *data, size_t len, int *written) {
    char tmp[PATH_MAX];
    const char *slash = strrchr(path, '/');
    int fd, saved;
    mode_t mask;

    *written = 0;
    if (gen_file_matches(path, data, len)) return 0;
    if (slash != NULL)
        snprintf(tmp, sizeof tmp, "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
    else
        snprintf(tmp, sizeof tmp, ".%s.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) return -1;
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || write_all(fd, data, len) != 0) goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) goto fail;
    *written = 1;
    return 0;

fail:
    saved = errno;
    if (fd >= 0) close(fd);
    unlink(tmp);
    errno = saved;
    return -1;
}

/* If `path` lies strictly inside directory `dir`, the part after "dir/". */
static const char *inside(const char *path, const char *dir) {
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/') return path + 1;
    if (strncmp(path, dir, n) == 0 && path[n] == '/') return path + n + 1;
    return NULL;
}

/* The closest directory above `path` holding ".git", written to `top`. */
static int find_git_top(const char *path, char *top, size_t size) {
    char dir[PATH_MAX], probe[PATH_MAX + 8];
    struct stat st;
    char *slash;
    snprintf(dir, sizeof dir, "%s", path);
    for (;;) {
        slash = strrchr(dir, '/');
        if (slash == NULL) return -1;
        if (slash == dir) {
            if (dir[1] == '\0') return -1;
            dir[1] = '\0';
        } else {
            *slash = '\0';
        }
        snprintf(probe, sizeof probe, "%s/.git", strcmp(dir, "/") == 0 ? "" : dir);
        if (stat(probe, &st) == 0) {
            snprintf(top, size, "%s", dir);
            return 0;
        }
        if (strcmp(dir, "/") == 0) return -1;
    }
}

int gen_display_path(const char *given, char *out, size_t size) {
    char resolved[PATH_MAX], cwd[PATH_MAX], top[PATH_MAX];
    const char *rel = NULL, *p;

    if (given[0] != '/') {
        rel = given;
        while (rel[0] == '.' && rel[1] == '/') {
            rel += 2;
            while (rel[0] == '/') rel++;
        }
    } else {
        if (realpath(given, resolved) == NULL) return -1;
        if (getcwd(cwd, sizeof cwd) != NULL) {
            char real_cwd[PATH_MAX];
            if (realpath(cwd, real_cwd) != NULL) rel = inside(resolved, real_cwd);
        }
        if (rel == NULL && find_git_top(resolved, top, sizeof top) == 0) rel = inside(resolved, top);
        if (rel == NULL) rel = strrchr(resolved, '/') + 1;
    }
    for (p = rel; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) return -1;
    if (*rel == '\0' || strlen(rel) >= size) return -1;
    snprintf(out, size, "%s", rel);
    return 0;
}
