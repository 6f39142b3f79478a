/* Token extraction for rule R2. Only ASCII letters and digits make a
 * token: accented words are prose, not ids. */
#include "config.h"
#include <string.h>

#include "reconcile/text_refs.h"

static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_joiner(unsigned char c)
{
	return c == '-' || c == '_' || c == '/' || c == '.';
}

size_t text_refs_extract(const char *text, char out[][TEXT_REF_MAX], size_t max)
{
	size_t count = 0;
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	while (*p && count < max) {
		while (*p && !is_alnum(*p))
			p++;
		const unsigned char *start = p;
		while (*p && (is_alnum(*p) || is_joiner(*p)))
			p++;
		const unsigned char *end = p;
		while (end > start && is_joiner(end[-1]))
			end--;
		size_t len = (size_t)(end - start);
		int digits = 0;
		for (const unsigned char *q = start; q < end; q++)
			digits += *q >= '0' && *q <= '9';
		if (len < 2 || len >= TEXT_REF_MAX || !digits)
			continue;
		int seen = 0;
		for (size_t i = 0; i < count && !seen; i++)
			seen = strlen(out[i]) == len && memcmp(out[i], start, len) == 0;
		if (seen)
			continue;
		memcpy(out[count], start, len);
		out[count][len] = '\0';
		count++;
	}
	return count;
}
