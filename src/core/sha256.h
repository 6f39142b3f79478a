/* SHA-256 (OpenSSL libcrypto): the identity of every imported file. */
#ifndef CONCILIA_SHA256_H
#define CONCILIA_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Writes 64 lowercase hex digits and a NUL into hex (>= 65 bytes).
 * Returns 0, or -1 if libcrypto fails. */
int sha256_hex(const void *data, size_t len, char *hex);

#endif
