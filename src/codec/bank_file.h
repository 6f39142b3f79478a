/* Which reader and layout a bank file needs, decided from its content
 * (record length, bank code), or forced with a layout file (--layout). */
#ifndef CONCILIA_BANK_FILE_H
#define CONCILIA_BANK_FILE_H

#include <stddef.h>
#include "codec/cnab240.h"
#include "codec/layout.h"
#include "core/diag.h"

/* A statement format (camt, API Pix JSON, OFX): recognized by content,
 * read by its own parser, with the same contract as cnab240_parse (the
 * file information goes to struct cnab_file_info: bank, agreement = the
 * account, generated = the statement's date, layout_name = the exact
 * version read, titles = entries). */
struct statement_reader {
	const char *family; /* "camt", "pix-api", "ofx": recorded as the import's format */
	/* Cheap check of the first bytes: 1 when the file is this format (the
	 * parser then owns every diagnostic), 0 when not. */
	int (*sniff)(const unsigned char *buf, size_t len);
	int (*parse)(const char *filename, const unsigned char *buf, size_t len, struct cnab_file_info *info,
		     cnab_event_fn on_event, void *ctx, diag_sink warn, void *wctx, struct diag *err);
	/* Whether buf holds the whole document (1) or looks cut short (0:
	 * still arriving, or truncated): the drop folder waits for the rest.
	 * Must be cheap and must not fail; a malformed but whole document is
	 * complete (the parser then says what is wrong). NULL: the generic
	 * check by first byte (bank_file_xml_complete, bank_file_json_complete,
	 * OFX 1 SGML: "</OFX>" present). */
	int (*complete)(const unsigned char *buf, size_t len);
};

struct bank_file_format {
	const char *family;          /* "cnab240", "cnab400", or the statement reader's */
	const struct layout *layout; /* built-in, or *owned; NULL for statements */
	const struct statement_reader *statement; /* NULL for CNAB */
	int bank;                    /* from the header, -1 when unreadable */
};

/* Detects the format. layout_path (may be NULL) forces a layout: the name
 * of a built-in one ("cnab400-unicred"), or a layout file loaded at run
 * time, returned in *owned (free with layout_free; NULL when a built-in is
 * used). Returns 0, or -1 with err. */
int bank_file_detect(const char *filename, const unsigned char *buf, size_t len, const char *layout_path,
		     struct bank_file_format *fmt, struct layout **owned, struct diag *err);

/* Runs the reader of fmt's family (same contract as cnab240_parse). */
int bank_file_parse(const struct bank_file_format *fmt, const char *filename, const unsigned char *buf,
		    size_t len, struct cnab_file_info *info, cnab_event_fn on_event, void *ctx, diag_sink warn,
		    void *wctx, struct diag *err);

/* ---- completeness (bank_file_complete.c): is this file all there?
 * The drop folder takes a file only when these say 1. Each returns 1 when
 * buf looks whole, 0 when it looks cut short. */

/* Any supported format: CNAB 240 (the last non-blank record is a file
 * trailer, record type '9' at position 8), CNAB 400 (type '9' at position
 * 1), a statement (its reader's `complete`, else the generic check by first
 * byte). The trailer record must itself be whole: ended by a line break or
 * as long as the header. Empty files are not complete (an upload creates
 * the file before its first byte); files of no known kind are (the import
 * says what they are). */
int bank_file_complete(const unsigned char *buf, size_t len);

/* XML: the root element closes (only white space, comments and processing
 * instructions after it), or the root is an empty-element tag. */
int bank_file_xml_complete(const unsigned char *buf, size_t len);

/* JSON: the top-level object or array closes (brackets balanced outside
 * strings). What follows it is the reader's business. */
int bank_file_json_complete(const unsigned char *buf, size_t len);

#endif
