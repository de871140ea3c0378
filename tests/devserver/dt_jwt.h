/* dt_jwt.h: mint JSON Web Tokens for the auth cases (HS256/HS384/HS512 or "none"). */
#ifndef DT_JWT_H
#define DT_JWT_H

#include <stdbool.h>
#include <stddef.h>

/* Writes header.payload.signature to out (cap bytes). `alg` is "HS256", "HS384",
 * "HS512" or "none" (empty signature); `claims` is a JSON object text; when with_exp
 * is true an "exp" claim of now + exp_delta seconds is added. Returns 0, or -1 when
 * out is too small or the claims are not a JSON object. */
int dt_jwt_mint(const char *alg, const char *secret, const char *claims, bool with_exp,
                long exp_delta, char *out, size_t cap);

#endif
