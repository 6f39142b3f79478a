/* Positions of values in JSON text (see json_pos.h). Every loop is bounded
 * by len and makes progress on any byte, so that text jansson would refuse
 * (the sniffer runs before jansson) cannot make these read out of bounds
 * or spin. */
#include "config.h"

#include "codec/json_pos.h"

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t json_pos_skip_ws(const unsigned char *b, size_t len, size_t off)
{
	while (off < len && is_ws(b[off]))
		off++;
	return off;
}

/* b[off] is '"': the offset just past the closing quote, or len. */
static size_t skip_string(const unsigned char *b, size_t len, size_t off)
{
	size_t i = off + 1;
	while (i < len) {
		if (b[i] == '\\')
			i += 2;
		else if (b[i] == '"')
			return i + 1;
		else
			i++;
	}
	return len;
}

size_t json_pos_skip_value(const unsigned char *b, size_t len, size_t off)
{
	off = json_pos_skip_ws(b, len, off);
	if (off >= len)
		return len;
	unsigned char c = b[off];
	if (c == '"')
		return skip_string(b, len, off);
	if (c == '{' || c == '[') {
		/* Brackets are counted, not matched: jansson has already
		 * checked that they pair up. */
		long depth = 0;
		size_t i = off;
		while (i < len) {
			c = b[i];
			if (c == '"') {
				i = skip_string(b, len, i);
				continue;
			}
			if (c == '{' || c == '[') {
				depth++;
			} else if (c == '}' || c == ']') {
				if (--depth == 0)
					return i + 1;
			}
			i++;
		}
		return len;
	}
	size_t i = off;
	while (i < len && !is_ws(b[i]) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ':')
		i++;
	return i > off ? i : off + 1; /* a stray delimiter still moves us on */
}

int json_pos_object_begin(struct json_pos_object *it, const unsigned char *b, size_t len, size_t off)
{
	it->b = b;
	it->len = len;
	it->done = 1;
	it->next = len;
	if (off == JSON_POS_NONE)
		return -1;
	off = json_pos_skip_ws(b, len, off);
	if (off >= len || b[off] != '{')
		return -1;
	it->next = off + 1;
	it->done = 0;
	return 0;
}

size_t json_pos_object_next(struct json_pos_object *it, size_t *key, size_t *key_len)
{
	const unsigned char *b = it->b;
	size_t len = it->len;
	if (it->done)
		return JSON_POS_NONE;
	size_t i = json_pos_skip_ws(b, len, it->next);
	if (i < len && b[i] == ',')
		i = json_pos_skip_ws(b, len, i + 1);
	if (i >= len || b[i] != '"') {
		it->done = 1;
		return JSON_POS_NONE;
	}
	size_t kend = skip_string(b, len, i);
	*key = i + 1;
	*key_len = kend > i + 1 ? kend - i - 2 : 0;
	i = json_pos_skip_ws(b, len, kend);
	if (i >= len || b[i] != ':') {
		it->done = 1;
		return JSON_POS_NONE;
	}
	size_t v = json_pos_skip_ws(b, len, i + 1);
	if (v >= len) {
		it->done = 1;
		return JSON_POS_NONE;
	}
	it->next = json_pos_skip_value(b, len, v);
	return v;
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int json_pos_key_is(const unsigned char *b, size_t key, size_t key_len, const char *name)
{
	size_t i = key, end = key + key_len;
	const unsigned char *n = (const unsigned char *)name;
	while (i < end) {
		unsigned c = b[i++];
		if (c == '\\') {
			if (i >= end)
				return 0;
			unsigned e = b[i++];
			switch (e) {
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'u':
				if (end - i < 4)
					return 0;
				c = 0;
				for (int k = 0; k < 4; k++) {
					int h = hex_value(b[i++]);
					if (h < 0)
						return 0;
					c = c * 16 + (unsigned)h;
				}
				if (c >= 0x80) /* our names are ASCII */
					return 0;
				break;
			default:
				c = e;
				break;
			}
		}
		if (*n == '\0' || *n != c)
			return 0;
		n++;
	}
	return *n == '\0';
}

size_t json_pos_member(const unsigned char *b, size_t len, size_t off, const char *name)
{
	struct json_pos_object it;
	size_t key, key_len, v;
	if (json_pos_object_begin(&it, b, len, off) != 0)
		return JSON_POS_NONE;
	while ((v = json_pos_object_next(&it, &key, &key_len)) != JSON_POS_NONE)
		if (json_pos_key_is(b, key, key_len, name))
			return v;
	return JSON_POS_NONE;
}

int json_pos_array_begin(struct json_pos_array *it, const unsigned char *b, size_t len, size_t off)
{
	it->b = b;
	it->len = len;
	it->done = 1;
	it->next = len;
	if (off == JSON_POS_NONE)
		return -1;
	off = json_pos_skip_ws(b, len, off);
	if (off >= len || b[off] != '[')
		return -1;
	it->next = off + 1;
	it->done = 0;
	return 0;
}

size_t json_pos_array_next(struct json_pos_array *it)
{
	const unsigned char *b = it->b;
	size_t len = it->len;
	if (it->done)
		return JSON_POS_NONE;
	size_t i = json_pos_skip_ws(b, len, it->next);
	if (i < len && b[i] == ',')
		i = json_pos_skip_ws(b, len, i + 1);
	if (i >= len || b[i] == ']') {
		it->done = 1;
		return JSON_POS_NONE;
	}
	it->next = json_pos_skip_value(b, len, i);
	return i;
}

void json_pos_cursor_init(struct json_pos_cursor *c, const unsigned char *b, size_t len)
{
	c->b = b;
	c->len = len;
	c->off = 0;
	c->line = 1;
	c->col = 1;
}

static int starts_char(unsigned char c)
{
	return (c & 0xC0) != 0x80;
}

void json_pos_locate(struct json_pos_cursor *c, size_t off, long *line, int *col)
{
	const unsigned char *b = c->b;
	if (off > c->len)
		off = c->len;
	if (off >= c->off) {
		for (size_t i = c->off; i < off; i++) {
			if (b[i] == '\n') {
				c->line++;
				c->col = 1;
			} else if (starts_char(b[i])) {
				c->col++;
			}
		}
	} else {
		int crossed = 0;
		for (size_t i = c->off; i > off; i--) {
			if (b[i - 1] == '\n') {
				c->line--;
				crossed = 1;
			} else if (starts_char(b[i - 1])) {
				c->col--;
			}
		}
		if (crossed) {
			size_t j = off;
			while (j > 0 && b[j - 1] != '\n')
				j--;
			c->col = 1;
			for (; j < off; j++)
				if (starts_char(b[j]))
					c->col++;
		}
	}
	c->off = off;
	*line = c->line;
	*col = c->col > 1000000000L ? 1000000000 : (int)c->col;
}
