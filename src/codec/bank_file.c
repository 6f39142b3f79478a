/* Format detection for bank return files. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "codec/bank_file.h"
#include "codec/camt.h"
#include "codec/cnab400.h"
#include "codec/pix_api.h"
#include "codec/ofx.h"
#include "codec/record_reader.h"

/* Statement readers, tried in order before CNAB. Each format is claimed
 * by its first bytes; CNAB files start with digits, so no reader can take
 * one by mistake. */
static const struct statement_reader *const statement_readers[] = {
	&pix_api_reader,
	&ofx_statement_reader,
	&camt_reader,
	NULL,
};

/* The first byte that is not a BOM or white space. */
static unsigned char first_content_byte(const unsigned char *buf, size_t len)
{
	size_t i = 0;
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	return i < len ? buf[i] : 0;
}

int bank_file_detect(const char *filename, const unsigned char *buf, size_t len, const char *layout_path,
		     struct bank_file_format *fmt, struct layout **owned, struct diag *err)
{
	const unsigned char *rec;
	size_t reclen = record_first(buf, len, &rec);
	memset(fmt, 0, sizeof *fmt);
	*owned = NULL;

	if (!layout_path) {
		for (size_t i = 0; statement_readers[i]; i++) {
			if (statement_readers[i]->sniff(buf, len)) {
				fmt->statement = statement_readers[i];
				fmt->family = statement_readers[i]->family;
				fmt->bank = -1;
				return 0;
			}
		}
		unsigned char c = first_content_byte(buf, len);
		if (c == '<' || c == '{' || c == '[')
			return diag_set(err, DIAG_ERROR, filename, 1, 1, NULL,
					"%s document that is not a statement concilia reads (camt.053/054, API Pix "
					"JSON, OFX)",
					c == '<' ? "an XML or SGML" : "a JSON");
	}

	struct stat sb;
	if (layout_path && strchr(layout_path, '/') == NULL && stat(layout_path, &sb) != 0) {
		/* A built-in layout by name: "cnab400-unicred" for the Unicred
		 * files that carry another bank's code in their header. */
		fmt->layout = layout_builtin(layout_path, err);
		if (!fmt->layout)
			return -1;
		fmt->family = layout_family(fmt->layout);
	} else if (layout_path) {
		*owned = layout_load_file(layout_path, err);
		if (!*owned)
			return -1;
		fmt->layout = *owned;
		fmt->family = layout_family(*owned);
	} else if (reclen > 320) {
		fmt->family = "cnab400";
	} else {
		/* 240, a damaged 240, or something else: the CNAB 240 reader
		 * gives the precise diagnostic (UTF-16, empty file ...). Records
		 * over 320 characters are CNAB 400 (or Itaú's 444). */
		fmt->family = "cnab240";
	}
	if (strcmp(fmt->family, "cnab240") == 0)
		fmt->bank = record_bank_code(rec, reclen, 1);
	else if (strcmp(fmt->family, "cnab400") == 0)
		fmt->bank = record_bank_code(rec, reclen, 77);

	if (strcmp(fmt->family, "cnab240") != 0 && strcmp(fmt->family, "cnab400") != 0) {
		layout_free(*owned);
		*owned = NULL;
		return diag_set(err, DIAG_ERROR, filename, 1, 1, NULL,
				"layout family '%s' is not one concilia reads (cnab240, cnab400)", fmt->family);
	}
	if (!fmt->layout) {
		fmt->layout = layout_builtin_for_bank(fmt->family, fmt->bank, err);
		if (!fmt->layout)
			return -1;
	}
	return 0;
}

int bank_file_parse(const struct bank_file_format *fmt, const char *filename, const unsigned char *buf,
		    size_t len, struct cnab_file_info *info, cnab_event_fn on_event, void *ctx, diag_sink warn,
		    void *wctx, struct diag *err)
{
	if (fmt->statement)
		return fmt->statement->parse(filename, buf, len, info, on_event, ctx, warn, wctx, err);
	if (strcmp(fmt->family, "cnab400") == 0)
		return cnab400_parse(fmt->layout, filename, buf, len, info, on_event, ctx, warn, wctx, err);
	return cnab240_parse(fmt->layout, filename, buf, len, info, on_event, ctx, warn, wctx, err);
}
