/* Shared by the OFX reader's parts: the two syntaxes (SGML for OFX 1.x,
 * XML for 2.x) become one stream of elements, which the statement builder
 * (ofx.c) turns into bank events. Not used outside src/codec/ofx*.c. */
#ifndef CONCILIA_OFX_INTERNAL_H
#define CONCILIA_OFX_INTERNAL_H

#include <stddef.h>
#include "codec/cnab240.h"
#include "core/diag.h"

/* Nesting deeper than this is refused (real files have 7 levels). */
#define OFX_MAX_DEPTH 32

enum ofx_elem_kind {
	OFX_OPEN,  /* an aggregate starts: <STMTTRN> */
	OFX_LEAF,  /* an element with a value: <TRNAMT>-12.34 */
	OFX_CLOSE, /* an aggregate ends: </STMTTRN> */
};

struct ofx_elem {
	enum ofx_elem_kind kind;
	const char *name;
	size_t name_len;
	/* LEAF: the value with blanks trimmed. SGML: raw bytes in the file's
	 * charset, entities not yet decoded; XML: UTF-8, decoded. */
	const char *value;
	size_t value_len;
	long line;  /* of the tag */
	long vline; /* of the value's first character */
	int vcol;   /* its column (bytes, 1-based); 0 = unknown */
};

struct ofx_builder; /* ofx.c */

/* Hands one element to the statement builder. Returns 0, or -1 with the
 * builder's error set. */
int ofx_builder_elem(struct ofx_builder *b, const struct ofx_elem *e);
/* The builder's error and warning channels, for the syntax readers. */
struct diag *ofx_builder_err(struct ofx_builder *b);
void ofx_builder_warn(struct ofx_builder *b, long line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *ofx_builder_file(const struct ofx_builder *b);
/* The OFX version from the header (102, 211 ...): names the layout read. */
void ofx_builder_set_version(struct ofx_builder *b, int version, long line);

/* OFX 1.x body: SGML from p (the first '<' after the header, on line
 * `line`) to end. Returns 0 or -1. */
int ofx_sgml_read(const unsigned char *p, const unsigned char *end, long line, int col,
                  struct ofx_builder *b);

/* OFX 2.x: the whole file as XML, read by libxml2 without network, DTD or
 * entity expansion. Returns 0 or -1. */
int ofx_xml_read(const unsigned char *buf, size_t len, struct ofx_builder *b);

/* Case-insensitive: does name[0..len) spell word? */
int ofx_name_is(const char *name, size_t len, const char *word);

#endif
