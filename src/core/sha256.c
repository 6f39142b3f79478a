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
