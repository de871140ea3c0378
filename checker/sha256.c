/* sha256.c: SHA-256 in lowercase hex through OpenSSL's EVP interface, for manifest
 * verification and fingerprints. It never caches or truncates a digest. */
#include "internal.h"

#include <openssl/evp.h>

int tqc_sha256_hex(const void *data, size_t len, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    if (EVP_Digest(data, len, digest, &digest_len, EVP_sha256(), NULL) != 1 ||
        digest_len != 32) {
        return -1;
    }
    for (unsigned int i = 0; i < digest_len; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
    return 0;
}
