/* Format detection for bank return files. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "codec/bank_file.h"
#include "codec/cnab400.h"

/* Length of the first record (after a UTF-8 BOM, without CR/LF). */
static size_t first_record_length(const unsigned char *p, size_t n, const unsigned char **start)
{
	size_t i = 0;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	*start = p + i;
	size_t s = i;
	while (i < n && p[i] != '\n' && p[i] != '\r')
		i++;
	return i - s;
}

static int digits3(const unsigned char *p, size_t avail)
{
	if (avail < 3)
		return 0;
	int v = 0;
	for (int i = 0; i < 3; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

int bank_file_detect(const char *filename, const unsigned char *buf, size_t len, const char *layout_path,
		     struct bank_file_format *fmt, struct layout **owned, struct diag *err)
{
	const unsigned char *rec;
	size_t reclen = first_record_length(buf, len, &rec);
	memset(fmt, 0, sizeof *fmt);
	*owned = NULL;

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
		fmt->bank = digits3(rec, reclen);
	else if (strcmp(fmt->family, "cnab400") == 0)
		fmt->bank = reclen >= 79 ? digits3(rec + 76, 3) : 0;

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
	if (strcmp(fmt->family, "cnab400") == 0)
		return cnab400_parse(fmt->layout, filename, buf, len, info, on_event, ctx, warn, wctx, err);
	return cnab240_parse(fmt->layout, filename, buf, len, info, on_event, ctx, warn, wctx, err);
}
