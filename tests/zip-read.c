/* A zip member reader for the tests: walks the central directory (the
 * authoritative sizes, even when the writer used data descriptors) and
 * inflates with zlib. Enough for the files libxlsxwriter writes. */
#include "config.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "zip-read.h"

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static char *extract(const unsigned char *zip, size_t len, size_t local, uint32_t method, size_t csize,
		     size_t usize, size_t *out_len)
{
	if (local + 30 > len || le32(zip + local) != 0x04034b50)
		return NULL;
	size_t data = local + 30 + le16(zip + local + 26) + le16(zip + local + 28);
	if (data > len || csize > len - data)
		return NULL;
	char *out = malloc(usize + 1);
	if (!out)
		return NULL;
	if (method == 0 && csize == usize) {
		memcpy(out, zip + data, usize);
	} else if (method == 8) {
		z_stream z;
		memset(&z, 0, sizeof z);
		if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
			free(out);
			return NULL;
		}
		z.next_in = (Bytef *)(uintptr_t)(zip + data);
		z.avail_in = (uInt)csize;
		z.next_out = (Bytef *)out;
		z.avail_out = (uInt)usize;
		int rc = inflate(&z, Z_FINISH);
		inflateEnd(&z);
		if (rc != Z_STREAM_END || z.total_out != usize) {
			free(out);
			return NULL;
		}
	} else {
		free(out);
		return NULL;
	}
	out[usize] = '\0';
	if (out_len)
		*out_len = usize;
	return out;
}

char *zip_read_member(const unsigned char *zip, size_t len, const char *name, size_t *out_len)
{
	if (len < 22)
		return NULL;
	size_t eocd = len - 22;
	while (le32(zip + eocd) != 0x06054b50) {
		if (eocd == 0 || len - eocd > 22 + 65535)
			return NULL;
		eocd--;
	}
	size_t n = le16(zip + eocd + 10), p = le32(zip + eocd + 16);
	for (size_t i = 0; i < n; i++) {
		if (p + 46 > len || le32(zip + p) != 0x02014b50)
			return NULL;
		size_t name_len = le16(zip + p + 28), extra = le16(zip + p + 30), comment = le16(zip + p + 32);
		if (p + 46 + name_len > len)
			return NULL;
		if (name_len == strlen(name) && memcmp(zip + p + 46, name, name_len) == 0)
			return extract(zip, len, le32(zip + p + 42), le16(zip + p + 10), le32(zip + p + 20),
				       le32(zip + p + 24), out_len);
		p += 46 + name_len + extra + comment;
	}
	return NULL;
}
