/* Is a bank file all there? The drop folder asks before it takes a file:
 * an upload that is still running, or that died half-way, must not be
 * imported (and then refused) while the rest is on its way. Only the ends
 * of the file are looked at (the first record says the format, the last
 * says whether it is finished), so the check costs the same for a 200 MB
 * return as for a 2 KB one; statements, which are small, are scanned. */
#include "config.h"

#include <string.h>

#include "codec/bank_file.h"
#include "codec/record_reader.h"

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Offset of the first byte that is not a UTF-8 BOM or white space (len
 * when there is none, or when buf is only the start of a BOM). */
static size_t content_start(const unsigned char *buf, size_t len)
{
	if (len < 3 && memcmp(buf, "\xEF\xBB\xBF", len) == 0)
		return len;
	size_t i = record_bom_length(buf, len);
	while (i < len && is_space(buf[i]))
		i++;
	return i;
}

/* Length of buf without trailing white space and DOS end-of-file marks. */
static size_t content_end(const unsigned char *buf, size_t len)
{
	while (len && (is_space(buf[len - 1]) || buf[len - 1] == 0x1A))
		len--;
	return len;
}

/* CNAB: the last record that is not blank is the file trailer, and it is
 * whole. A writer that has finished a line has written its line break; a
 * file without a final line break is whole when its last record is as long
 * as its first (the header). */
static int cnab_complete(const unsigned char *buf, size_t len)
{
	const unsigned char *first;
	size_t first_len = record_first(buf, len, &first);
	if (first_len == 0)
		return 0;
	/* The last line that is not blank, walking back over blank ones;
	 * stepping over a line break means that line was ended. */
	size_t bom = record_bom_length(buf, len), end = len;
	int ended = 0;
	const unsigned char *rec;
	size_t rec_len;
	for (;;) {
		size_t s = end;
		while (s > bom && buf[s - 1] != '\n')
			s--;
		size_t e = end;
		while (e > s && (buf[e - 1] == '\r' || buf[e - 1] == 0x1A))
			e--;
		if (e > s && !record_line_is_blank(buf + s, e - s)) {
			rec = buf + s;
			rec_len = e - s;
			break;
		}
		if (s <= bom)
			return 0;
		ended = 1;
		end = s - 1;
	}
	if (rec == first)
		return 0; /* the header alone is not a file */
	/* Records over 320 characters are CNAB 400 (or Itaú's 444), as
	 * detection says. */
	size_t type_pos = first_len > 320 ? 1 : 8;
	if (rec_len < type_pos || rec[type_pos - 1] != '9')
		return 0;
	return ended || rec_len >= first_len;
}

/* Skips "<!--...-->", "<?...?>" and "<!DOCTYPE ...>" at *i; 1 when one was skipped. */
static int skip_misc(const unsigned char *buf, size_t len, size_t *i)
{
	size_t p = *i;
	if (p + 4 <= len && memcmp(buf + p, "<!--", 4) == 0) {
		for (p += 4; p + 3 <= len; p++)
			if (memcmp(buf + p, "-->", 3) == 0) {
				*i = p + 3;
				return 1;
			}
		*i = len;
		return 1;
	}
	if (p + 2 <= len && buf[p] == '<' && (buf[p + 1] == '?' || buf[p + 1] == '!')) {
		int bracket = 0;
		for (p += 2; p < len; p++) {
			if (buf[p] == '[')
				bracket++;
			else if (buf[p] == ']' && bracket)
				bracket--;
			else if (buf[p] == '>' && !bracket) {
				*i = p + 1;
				return 1;
			}
		}
		*i = len;
		return 1;
	}
	return 0;
}

static int is_name_end(unsigned char c)
{
	return is_space(c) || c == '/' || c == '>';
}

/* End of the content once trailing comments and processing instructions
 * (allowed after the root element) are taken off. */
static size_t xml_content_end(const unsigned char *buf, size_t len)
{
	size_t end = content_end(buf, len);
	for (;;) {
		if (end >= 3 && memcmp(buf + end - 3, "-->", 3) == 0) {
			size_t p = end - 3;
			while (p >= 4 && memcmp(buf + p - 4, "<!--", 4) != 0)
				p--;
			if (p < 4)
				return end;
			end = content_end(buf, p - 4);
		} else if (end >= 2 && buf[end - 2] == '?' && buf[end - 1] == '>') {
			size_t p = end - 2;
			while (p >= 2 && !(buf[p - 2] == '<' && buf[p - 1] == '?'))
				p--;
			if (p < 2)
				return end;
			end = content_end(buf, p - 2);
		} else {
			return end;
		}
	}
}

int bank_file_xml_complete(const unsigned char *buf, size_t len)
{
	size_t i = content_start(buf, len);
	for (;;) {
		if (i >= len)
			return 0;
		if (!skip_misc(buf, len, &i))
			break;
		while (i < len && is_space(buf[i]))
			i++;
	}
	if (buf[i] != '<')
		return 1; /* not XML after all: the reader decides */
	size_t name = ++i;
	while (i < len && !is_name_end(buf[i]))
		i++;
	size_t name_len = i - name;
	if (i >= len || name_len == 0)
		return 0;
	size_t end = xml_content_end(buf, len);
	/* An empty root element: "<Document ... />" and nothing else. */
	const unsigned char *gt = memchr(buf + i, '>', len - i);
	if (gt && gt > buf + i && gt[-1] == '/' && (size_t)(gt - buf) + 1 == end)
		return 1;
	if (end == 0 || buf[end - 1] != '>')
		return 0;
	size_t p = end - 1;
	while (p > 0 && is_space(buf[p - 1]))
		p--;
	if (p < name_len + 2)
		return 0;
	size_t open = p - name_len - 2;
	if (open <= name || buf[open] != '<' || buf[open + 1] != '/')
		return 0;
	return memcmp(buf + open + 2, buf + name, name_len) == 0;
}

int bank_file_json_complete(const unsigned char *buf, size_t len)
{
	size_t i = content_start(buf, len);
	if (i >= len)
		return 0;
	if (buf[i] != '{' && buf[i] != '[')
		return 1; /* a scalar or not JSON: the reader decides */
	long depth = 0;
	int in_string = 0;
	for (; i < len; i++) {
		unsigned char c = buf[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
			continue;
		}
		if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth == 0)
				return 1;
			if (depth < 0)
				return 1; /* malformed: the reader says so */
		}
	}
	return 0;
}

/* "</OFX>" anywhere, in any case: an OFX 1 (SGML) file is closed. */
static int ofx_sgml_complete(const unsigned char *buf, size_t len)
{
	static const char tag[] = "</ofx>";
	for (size_t i = 0; i + 6 <= len; i++) {
		size_t k = 0;
		while (k < 6 && (buf[i + k] | 0x20) == (unsigned char)tag[k])
			k++;
		if (k == 6)
			return 1;
	}
	return 0;
}

/* By the first byte: what a statement reader that has no check of its own,
 * or a file no reader recognizes yet, is judged by. */
static int generic_complete(const unsigned char *buf, size_t len)
{
	size_t i = content_start(buf, len);
	if (i >= len)
		return 0;
	if (buf[i] == '<')
		return bank_file_xml_complete(buf, len);
	if (buf[i] == '{' || buf[i] == '[')
		return bank_file_json_complete(buf, len);
	if (len - i >= 9 && memcmp(buf + i, "OFXHEADER", 9) == 0)
		return ofx_sgml_complete(buf, len);
	if (len - i < 9 && memcmp(buf + i, "OFXHEADER", len - i) == 0)
		return 0; /* the start of an OFX 1 header */
	return 1;
}

int bank_file_complete(const unsigned char *buf, size_t len)
{
	if (len == 0)
		return 0;
	struct bank_file_format fmt;
	struct layout *own = NULL;
	struct diag err;
	if (bank_file_detect(NULL, buf, len, NULL, &fmt, &own, &err) == 0) {
		layout_free(own);
		if (fmt.statement)
			return fmt.statement->complete ? fmt.statement->complete(buf, len)
			                               : generic_complete(buf, len);
	}
	size_t i = content_start(buf, len);
	if (i < len && buf[i] >= '0' && buf[i] <= '9')
		return cnab_complete(buf, len);
	return generic_complete(buf, len);
}
