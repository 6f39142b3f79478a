/* SHA-256 through OpenSSL's EVP interface (the low-level SHA256() calls
 * are deprecated in OpenSSL 3). */
#include "config.h"

#include "core/sha256.h"

#include <openssl/evp.h>

int sha256_hex(const void *data, size_t len, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	hex[0] = '\0';
	/* An empty input may come as NULL (an empty file); EVP wants a
	 * pointer all the same. */
	if (data == NULL)
		data = "";
	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
		return -1;
	for (unsigned int i = 0; i < mdlen; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[SHA256_HEX_LEN] = '\0';
	return 0;
}

/* The context is OpenSSL's; the wrapper type keeps EVP out of the header. */
struct sha256_ctx *sha256_begin(void)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		c = NULL;
	}
	return (struct sha256_ctx *)c;
}

int sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
	return EVP_DigestUpdate((EVP_MD_CTX *)c, data, len) == 1 ? 0 : -1;
}

int sha256_end(struct sha256_ctx *c, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int rc = EVP_DigestFinal_ex((EVP_MD_CTX *)c, md, &mdlen) == 1 && mdlen == 32 ? 0 : -1;
	EVP_MD_CTX_free((EVP_MD_CTX *)c);
	if (rc == 0 && hex) {
		for (unsigned int i = 0; i < mdlen; i++) {
			hex[2 * i] = digits[md[i] >> 4];
			hex[2 * i + 1] = digits[md[i] & 15];
		}
		hex[SHA256_HEX_LEN] = '\0';
	}
	return rc;
}
