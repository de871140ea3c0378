/* fileio.c: the only place tenantq-admin writes files (the registry, the journal and
 * the erasure report), always through a temporary file and a rename, so that no crash
 * can leave a half-written registry behind. It must never write a file in place. */
#include "fileio.h"

#include "detail.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

tq_status_t adm_file_read(const char *path, size_t max_bytes, char **out, size_t *len,
                          tq_detail_t *detail)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return tq_fail(detail, TQ_ENOTFOUND, 0, "%s: no such file", path);
        return tq_fail(detail, TQ_EIO, 0, "%s: cannot open: %s", path, strerror(errno));
    }
    tq_status_t st = TQ_OK;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n > max_bytes) {
            st = tq_fail(detail, TQ_ELIMIT, 0, "%s: larger than %zu bytes", path, max_bytes);
            break;
        }
        if (got == 0)
            break;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (!buf)
        st = tq_fail(detail, TQ_ENOMEM, 0, "out of memory reading %s", path);
    else if (st == TQ_OK && ferror(f))
        st = tq_fail(detail, TQ_EIO, 0, "%s: read error", path);
    fclose(f);
    if (st != TQ_OK) {
        free(buf);
        return st;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return TQ_OK;
}

/* fsync of the directory holding `path`, so a rename or unlink survives a crash. */
static int sync_parent(const char *path)
{
    char copy[4096];
    if (strlen(path) >= sizeof copy)
        return -1;
    strcpy(copy, path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

tq_status_t adm_file_replace(const char *path, const char *data, size_t len,
                             tq_detail_t *detail)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return tq_fail(detail, TQ_EINVAL, 0, "%s: path too long", path);
    mode_t mode = 0644;
    struct stat sb;
    if (stat(path, &sb) == 0)
        mode = sb.st_mode & 07777;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return tq_fail(detail, TQ_EIO, 0, "%s: cannot create: %s", tmp, strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int err = done == len ? 0 : errno;
    if (!err && fchmod(fd, mode) != 0)
        err = errno;
    if (!err && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        unlink(tmp);
        return tq_fail(detail, TQ_EIO, 0, "%s: cannot write: %s", path, strerror(err));
    }
    if (sync_parent(path) != 0)
        return tq_fail(detail, TQ_EIO, 0, "%s: written, but its directory cannot be synced: %s",
                       path, strerror(errno));
    return TQ_OK;
}

tq_status_t adm_file_remove(const char *path, tq_detail_t *detail)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return tq_fail(detail, TQ_EIO, 0, "%s: cannot remove: %s", path, strerror(errno));
    if (sync_parent(path) != 0)
        return tq_fail(detail, TQ_EIO, 0, "%s: removed, but its directory cannot be synced",
                       path);
    return TQ_OK;
}

int adm_sha256(const void *data, size_t len, unsigned char out[32])
{
    unsigned int n = 32;
    return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 && n == 32 ? 0 : -1;
}

int adm_sha256_hex(const void *data, size_t len, char out[ADM_SHA256_HEX_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[32];
    out[0] = '\0';
    if (adm_sha256(data, len, md) != 0)
        return -1;
    for (size_t i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[ADM_SHA256_HEX_LEN] = '\0';
    return 0;
}
