/* Nosso número normalization: one canonical spelling per reference, so
 * that "000123-4", "1234" and "00000000000000001234" compare equal. Bank
 * specific forms (Sicoob parcela, BB convênio prefix) are the bank
 * layout's business, not this function's. */
#include "config.h"

#include "codec/nosso_numero.h"

int nosso_numero_normalize(const char *s, size_t len, char *out)
{
	size_t n = 0;
	int started = 0; /* leading zeros are dropped until the first other character */
	int saw_zero = 0;

	if (s == NULL || out == NULL) {
		if (out)
			out[0] = '\0';
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
			continue;
		if (!started && c == '0') {
			saw_zero = 1;
			continue;
		}
		started = 1;
		if (n == NOSSO_NUMERO_MAX) {
			out[0] = '\0';
			return -1;
		}
		out[n++] = (char)c;
	}
	if (n == 0 && saw_zero)
		out[n++] = '0';
	out[n] = '\0';
	return n ? (int)n : -1;
}
