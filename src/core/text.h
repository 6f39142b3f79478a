/* Text helpers: bank files are Latin-1 (Windows-1252), our output UTF-8. */
#ifndef CONCILIA_TEXT_H
#define CONCILIA_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8. */
bool text_is_utf8(const unsigned char *s, size_t len);

/* Converts Windows-1252 bytes to UTF-8 into out (NUL-terminated, truncated
 * at a character boundary to fit n). Returns bytes written. */
size_t text_cp1252_to_utf8(const unsigned char *s, size_t len, char *out, size_t n);

/* Copies s with leading and trailing blanks (space, tab) removed, as UTF-8
 * (converting from cp1252 unless the bytes are valid UTF-8). Returns bytes
 * written. */
size_t text_trim_to_utf8(const unsigned char *s, size_t len, char *out, size_t n);

/* Pointer/length of s with blanks (spaces, tabs, CR, LF) trimmed. */
void text_trim(const char **s, size_t *len);

/* Case-insensitive ASCII comparison of s[0..len) with the NUL-terminated word. */
bool text_ieq(const char *s, size_t len, const char *word);

#endif
