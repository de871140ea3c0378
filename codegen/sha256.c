/* sha256.c: the digests recorded in banners and manifests (OpenSSL EVP).
 * Never prints; a failure is reported to the caller. */
#include "sha256.h"

#include <openssl/evp.h>
#include <stdio.h>

int gen_sha256_hex(const void *data, size_t len, char hex[GEN_SHA256_HEX_LEN + 1]) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0, i;
    if (EVP_Digest(data, len, digest, &digest_len, EVP_sha256(), NULL) != 1 || digest_len != 32)
        return -1;
    for (i = 0; i < digest_len; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    hex[GEN_SHA256_HEX_LEN] = '\0';
    return 0;
}
