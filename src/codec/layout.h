/* The declarative layout engine: reads formats/NAME.layout (positions 1-based
 * and inclusive, as in the bank manuals) and extracts typed fields from
 * fixed-width records.
 *
 * A layout file, line by line ('#' starts a comment, blank lines ignored):
 *
 *   layout     cnab240-febraban          name (first directive)
 *   inherits   cnab240-febraban          copy a parent, then override (optional,
 *                                        right after `layout`)
 *   manual     "FEBRABAN CNAB 240 v10.05" the document the positions come from
 *   family     cnab240                   which reader uses it
 *   length     240                       nominal record length
 *   bank       *                         bank codes it is chosen for (`*` = any);
 *                                        not inherited
 *   lote-count all | details             what a lote trailer counts (default all)
 *   paid-amount gross | net-of-tariff    what the detail's `valor_pago` holds
 *                                        (default gross; Itaú 400 writes the
 *                                        amount net of the tarifa there)
 *   record     NAME when 8-8 = "3" and 14-14 = "T"
 *   record     NAME                      (re)opens an inherited record
 *     field    NAME START END TYPE [blank-ok]
 *   occurrences reset                    drop the inherited occurrence table (a
 *                                        bank with its own codes); before any
 *                                        `occurrence` line of the file
 *   occurrence CODE KIND "Descrição"     KIND = event_kind_name() of bank_event.h
 *
 * TYPE: num (digits), alnum (any text, read trimmed), money (digits, two
 * implied decimals: 9(13)V99 -> centavos), date8 (DDMMAAAA), date6 (DDMMAA),
 * date8ymd (AAAAMMDD). blank-ok: an all-blank field is allowed (0, no date;
 * a warning for money). Zeros in a date field always mean "no date".
 *
 * When several records match a line, the one whose conditions cover the
 * most positions wins (ties: the first declared), so a generic
 * `record detail when 8-8 = "3"` can coexist with specific segments in any
 * order, including records added by a variant.
 *
 * Ownership: layouts returned by layout_parse/layout_load_file belong to
 * the caller (layout_free); built-in layouts belong to this module and live
 * until exit. Field and record pointers live as long as their layout. */
#ifndef CONCILIA_LAYOUT_H
#define CONCILIA_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include "codec/bank_event.h"
#include "core/date.h"
#include "core/diag.h"

/* One embedded layout file (generated from formats/ at build time). */
struct layout_source {
	const char *name; /* file name, e.g. "cnab240-febraban.layout" */
	const char *text;
};
extern const struct layout_source layout_builtin_sources[];

struct layout;

#define LAYOUT_NAME_MAX   47 /* longest layout, record or field name */
#define LAYOUT_MAX_LENGTH 1024

enum layout_type {
	LAYOUT_NUM,
	LAYOUT_ALNUM,
	LAYOUT_MONEY,
	LAYOUT_DATE8,    /* DDMMAAAA */
	LAYOUT_DATE6,    /* DDMMAA */
	LAYOUT_DATE8YMD, /* AAAAMMDD */
};

#define LAYOUT_BLANK_OK 0x1u

struct layout_field {
	char name[LAYOUT_NAME_MAX + 1];
	int start, end; /* 1-based, inclusive */
	enum layout_type type;
	unsigned flags; /* LAYOUT_BLANK_OK */
	int decl_line;  /* line of the declaration in its layout file */
};

struct layout_record; /* opaque: use the functions below */

struct layout_occurrence {
	char code[4];
	enum event_kind kind;
	char text[64]; /* UTF-8 */
};

/* Where a record being read came from, for diagnostics and warnings. */
struct layout_where {
	const char *file; /* the data file being read */
	long line;
	diag_sink warn; /* may be NULL */
	void *wctx;
};

/* ---- loading */

/* Parses layout text (UTF-8). filename is used in diagnostics
 * ("FILE:LINE:COL: message"). A parent named by `inherits` is looked up
 * among the built-in layouts. Returns a layout to free with layout_free, or
 * NULL with err set. */
struct layout *layout_parse(const char *filename, const char *text, size_t len, struct diag *err);

/* Parent lookup for layout_parse_with: return the layout called name, or
 * NULL when there is none. */
typedef const struct layout *(*layout_resolve_fn)(void *ctx, const char *name);
/* Like layout_parse, with parents looked up by resolve (NULL = built-ins). */
struct layout *layout_parse_with(const char *filename, const char *text, size_t len,
                                 layout_resolve_fn resolve, void *rctx, struct diag *err);

/* Reads and parses a layout file (`--layout FILE`). */
struct layout *layout_load_file(const char *path, struct diag *err);

void layout_free(struct layout *l);

/* The built-in layout called name (the `layout` line, not the file name).
 * Built-ins are parsed once, on first use (thread-safe). Returns NULL with
 * err set when there is no such layout or a built-in file is broken. */
const struct layout *layout_builtin(const char *name, struct diag *err);

/* The built-in layout of family (e.g. "cnab240") listing this bank code,
 * else the family's `bank *` layout. NULL with err set when none. */
const struct layout *layout_builtin_for_bank(const char *family, int bank, struct diag *err);

/* Number of built-in layouts and the i-th one (NULL when broken). */
size_t layout_builtin_count(void);
const struct layout *layout_builtin_at(size_t i, struct diag *err);

/* ---- metadata */
const char *layout_name(const struct layout *l);
const char *layout_manual(const struct layout *l); /* "" when absent */
const char *layout_family(const struct layout *l);
const char *layout_parent(const struct layout *l); /* "" when it inherits nothing */
int layout_length(const struct layout *l);
/* The bank code when the layout lists exactly one (and not `*`), else 0. */
int layout_single_bank(const struct layout *l);
/* 1 when the layout lists this bank (or `*` when any_ok). */
int layout_has_bank(const struct layout *l, int bank, int any_ok);
/* 1 when lote trailers count detail records only (`lote-count details`). */
int layout_lote_counts_details(const struct layout *l);
/* 1 when `valor_pago` is net of the tarifa (`paid-amount net-of-tariff`):
 * the gross amount paid is then valor_pago + valor_tarifa. */
int layout_paid_is_net_of_tariff(const struct layout *l);

/* ---- records and fields (resolve once, then use the pointers per record) */
size_t layout_record_count(const struct layout *l);
const struct layout_record *layout_record_at(const struct layout *l, size_t i);
const struct layout_record *layout_record_by_name(const struct layout *l, const char *name);
const char *layout_record_name(const struct layout_record *r);
size_t layout_field_count(const struct layout_record *r);
const struct layout_field *layout_field_at(const struct layout_record *r, size_t i);
const struct layout_field *layout_field_by_name(const struct layout_record *r, const char *name);

/* A record or field a reader resolves once per file by name, stored as a
 * pointer at byte offset off of the reader's own struct (offsetof). */
struct layout_binding {
	const char *record;
	const char *field; /* NULL: the record itself */
	size_t off;
	int optional; /* a missing field is stored as NULL (records never are) */
};
/* Resolves the n bindings into base. Returns 0, or -1 with err for a
 * missing record or required field ("layout 'X': record 'Y' has no field
 * 'Z'"). */
int layout_bind(const struct layout *l, const struct layout_binding *bindings, size_t n, void *base,
                struct diag *err);

/* The record description matching rec (layout_length(l) bytes), or NULL. */
const struct layout_record *layout_match(const struct layout *l, const unsigned char *rec);

/* ---- field extraction. rec holds layout_length() bytes (pad short lines
 * with spaces first). Errors are "FILE:LINE:COL: field 'NAME': ..." with COL
 * the field's first position; warnings go to where->warn. */

/* The field's bytes, untrimmed (len = end - start + 1). */
const unsigned char *layout_field_bytes(const struct layout_field *f, const unsigned char *rec, size_t *len);
/* 1 when every byte of the field is a blank. */
int layout_field_is_blank(const struct layout_field *f, const unsigned char *rec);

/* num (or money as an integer): digits only. Blank: 0 when blank-ok, else
 * the error "expected digits, found blanks". Returns 0 or -1. */
int layout_read_num(const struct layout_field *f, const unsigned char *rec, const struct layout_where *w,
                    int64_t *out, struct diag *err);
/* money: 9(n)V99 -> centavos. Blank: 0 with a warning when blank-ok. */
int layout_read_money(const struct layout_field *f, const unsigned char *rec, const struct layout_where *w,
                      int64_t *cents, struct diag *err);
/* date8/date6/date8ymd. Zeros (and blanks when blank-ok) -> CDATE_NONE.
 * pivot is the reference date for 2-digit years (date6 only). */
int layout_read_date(const struct layout_field *f, const unsigned char *rec, const struct layout_where *w,
                     cdate pivot, cdate *out, struct diag *err);
/* Any type: the field trimmed of blanks, bytes as they are (codes, ids). */
size_t layout_read_raw(const struct layout_field *f, const unsigned char *rec, char *out, size_t n);
/* Any type: the field trimmed, converted from Latin-1/cp1252 to UTF-8. */
size_t layout_read_text(const struct layout_field *f, const unsigned char *rec, char *out, size_t n);

/* ---- occurrence (movement) codes */
/* The entry for code, or NULL when the table does not list it. */
const struct layout_occurrence *layout_occurrence(const struct layout *l, const char *code, size_t len);
size_t layout_occurrence_count(const struct layout *l);
const struct layout_occurrence *layout_occurrence_at(const struct layout *l, size_t i);

#endif
