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

/* Plain ASCII for fields that allow nothing else (BR Code name and city):
 * letters lose their diacritics ("São" -> "Sao", also when written as a
 * letter plus a combining mark), special letters are spelled out ("ß" ->
 * "ss", "Æ" -> "AE", "ª" -> "a"), typographic quotes and dashes
 * become ' " -, every run of blanks (spaces, tabs, line breaks, no-break
 * spaces) becomes one space and blanks at both ends go. Whatever has no
 * ASCII form (symbols, emoji, control characters) is left out and counted
 * in *dropped (may be NULL). Input is UTF-8; when it is not valid UTF-8 it
 * is read as Windows-1252. Writes at most n - 1 bytes and a NUL to out
 * (n > 0); returns the length of the whole result, like snprintf, so a
 * return >= n means out holds only its start. */
size_t text_to_ascii(const char *s, size_t len, char *out, size_t n, size_t *dropped);

/* Appends s to the NUL-terminated text of length len in dst (capacity n >
 * len), truncated to fit; returns the new length. For hot paths where
 * snprintf's format parsing costs more than the copy. */
size_t text_append(char *dst, size_t n, size_t len, const char *s);

#endif
