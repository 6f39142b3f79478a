/* Where values are in JSON text. jansson builds a tree but keeps no
 * positions, and diagnostics must say "FILE:LINE:COL" of the field that is
 * wrong. These helpers walk the text itself: they find the offset of an
 * object member or array element and turn offsets into line and column.
 * They do not validate (run them on text jansson accepted), but they never
 * read outside [0, len) whatever the bytes are. No allocation. */
#ifndef CONCILIA_JSON_POS_H
#define CONCILIA_JSON_POS_H

#include <stddef.h>

#define JSON_POS_NONE ((size_t)-1)

/* The first offset >= off that is not JSON white space (len when none). */
size_t json_pos_skip_ws(const unsigned char *b, size_t len, size_t off);

/* The offset just past the value that starts at off (white space before it
 * is skipped): past the closing quote or bracket, or the end of a number
 * or literal. len when the value runs to the end of the text. */
size_t json_pos_skip_value(const unsigned char *b, size_t len, size_t off);

/* Walks the members of the object that starts at off. */
struct json_pos_object {
	const unsigned char *b;
	size_t len, next;
	int done;
};

/* 0 when the value at off is an object (then call _next), -1 when not. */
int json_pos_object_begin(struct json_pos_object *it, const unsigned char *b, size_t len, size_t off);

/* The next member: *key points at the first byte inside the key's quotes
 * (raw, escapes not decoded), *key_len bytes long; returns the offset of
 * its value, or JSON_POS_NONE after the last member. */
size_t json_pos_object_next(struct json_pos_object *it, size_t *key, size_t *key_len);

/* 1 when the raw key text b[key, key+key_len) decodes to name (simple and
 * \uXXXX escapes of ASCII characters are understood). */
int json_pos_key_is(const unsigned char *b, size_t key, size_t key_len, const char *name);

/* The offset of the value of member name in the object at off, or
 * JSON_POS_NONE (no such member, or not an object). */
size_t json_pos_member(const unsigned char *b, size_t len, size_t off, const char *name);

/* Walks the elements of the array that starts at off. */
struct json_pos_array {
	const unsigned char *b;
	size_t len;
	size_t next; /* just past the element _next returned last */
	int done;
};

/* 0 when the value at off is an array (then call _next), -1 when not. */
int json_pos_array_begin(struct json_pos_array *it, const unsigned char *b, size_t len, size_t off);

/* The offset of the next element, or JSON_POS_NONE after the last one. */
size_t json_pos_array_next(struct json_pos_array *it);

/* Line and column of offsets. Columns count characters (UTF-8 sequences),
 * as jansson's error positions do, from 1. The cursor remembers the last
 * position asked for, so that offsets asked in (mostly) increasing order
 * cost only the bytes between them, even when the whole document is one
 * line (API responses usually are). */
struct json_pos_cursor {
	const unsigned char *b;
	size_t len, off;
	long line;
	long col;
};

void json_pos_cursor_init(struct json_pos_cursor *c, const unsigned char *b, size_t len);
void json_pos_locate(struct json_pos_cursor *c, size_t off, long *line, int *col);

#endif
