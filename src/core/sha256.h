/* SHA-256 (OpenSSL libcrypto): the identity of every imported file. */
#ifndef CONCILIA_SHA256_H
#define CONCILIA_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Writes 64 lowercase hex digits and a NUL into hex (>= 65 bytes).
 * Returns 0, or -1 if libcrypto fails. */
int sha256_hex(const void *data, size_t len, char *hex);

/* Incremental form, for input read in windows. sha256_end writes the hex
 * digest (when hex is not NULL) and frees the context; returns 0 or -1. */
struct sha256_ctx;
struct sha256_ctx *sha256_begin(void);
int sha256_update(struct sha256_ctx *c, const void *data, size_t len);
int sha256_end(struct sha256_ctx *c, char *hex);

#endif
