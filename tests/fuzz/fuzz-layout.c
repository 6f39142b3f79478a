/* libFuzzer target for the layout engine: any text must give a layout or
 * one FILE:LINE:COL diagnostic. A layout that parses is then exercised
 * against a record made from the same bytes (matching and every field
 * reader), and handed to the CNAB 240 reader, which must refuse or read
 * with it without going out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/cnab240.h"
#include "codec/layout.h"
#include "core/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore_warning(void *ctx, const struct diag *d)
{
	(void)ctx;
	if (d->severity != DIAG_WARNING)
		abort();
}

static void exercise(const struct layout *l, const uint8_t *data, size_t size)
{
	unsigned char rec[LAYOUT_MAX_LENGTH];
	int len = layout_length(l);
	struct layout_where w = {"fuzz.ret", 1, ignore_warning, NULL};
	struct diag err;
	char out[256];

	if (len < 1 || len > LAYOUT_MAX_LENGTH)
		abort();
	for (int i = 0; i < len; i++)
		rec[i] = size ? data[(size_t)i % size] : ' ';
	(void)layout_match(l, rec);
	for (size_t r = 0; r < layout_record_count(l); r++) {
		const struct layout_record *rd = layout_record_at(l, r);
		if (layout_record_by_name(l, layout_record_name(rd)) == NULL)
			abort();
		for (size_t f = 0; f < layout_field_count(rd); f++) {
			const struct layout_field *fd = layout_field_at(rd, f);
			int64_t v;
			cdate d;
			size_t n;
			if (fd->start < 1 || fd->end > len || fd->end < fd->start)
				abort();
			layout_read_num(fd, rec, &w, &v, &err);
			layout_read_money(fd, rec, &w, &v, &err);
			if (fd->type == LAYOUT_DATE8 || fd->type == LAYOUT_DATE6 ||
			    fd->type == LAYOUT_DATE8YMD)
				layout_read_date(fd, rec, &w, date_from_ymd(2026, 1, 1), &d, &err);
			layout_read_raw(fd, rec, out, sizeof out);
			layout_read_text(fd, rec, out, sizeof out);
			layout_field_bytes(fd, rec, &n);
			layout_field_is_blank(fd, rec);
		}
	}
	for (size_t i = 0; i < layout_occurrence_count(l); i++) {
		const struct layout_occurrence *o = layout_occurrence_at(l, i);
		if (layout_occurrence(l, o->code, strlen(o->code)) == NULL)
			abort();
	}
	/* The CNAB 240 reader with an arbitrary layout. */
	struct cnab_file_info info;
	cnab240_parse(l, "fuzz.ret", data, size, &info, NULL, NULL, ignore_warning, NULL, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag err;
	struct layout *l = layout_parse("fuzz.layout", (const char *)data, size, &err);
	if (l == NULL) {
		if (err.msg[0] == '\0' || strcmp(err.file, "fuzz.layout") != 0 || err.line < 0)
			abort();
		return 0;
	}
	exercise(l, data, size);
	layout_free(l);
	return 0;
}
