/* QR images for `pix qr`: the same vector drawing as the boleto's QR
 * (qr_draw) on a surface of its own, and a text rendering. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cairo-svg.h>
#include <cairo.h>
#include <qrencode.h>

#include "render/qr_draw.h"
#include "render/qr_image.h"

#define QUIET 4

enum qr_image_format qr_image_format_of(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	if (n < 5 || path[n - 4] != '.')
		return 0;
	if (strcasecmp(path + n - 3, "png") == 0)
		return QR_IMAGE_PNG;
	if (strcasecmp(path + n - 3, "svg") == 0)
		return QR_IMAGE_SVG;
	return 0;
}

static QRcode *encode(const char *payload, struct diag *d)
{
	QRcode *q;
	if (!payload || !payload[0]) {
		diag_set(d, DIAG_ERROR, NULL, 0, 0, "pix_payload", "empty payload");
		return NULL;
	}
	errno = 0;
	q = QRcode_encodeString8bit(payload, 0, QR_ECLEVEL_M);
	if (!q)
		diag_set(d, DIAG_ERROR, NULL, 0, 0, "pix_payload", "%zu bytes do not fit a QR code%s",
		         strlen(payload), errno == ENOMEM ? " (out of memory)" : "");
	return q;
}

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int length)
{
	return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int qr_image_file(const char *payload, const char *path, int module_px, struct diag *d)
{
	enum qr_image_format fmt = qr_image_format_of(path);
	cairo_surface_t *s;
	cairo_t *cr;
	QRcode *q;
	FILE *fp;
	int rc = 0;

	diag_clear(d);
	if (fmt == 0)
		return diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "the name must end in .png or .svg");
	if (module_px <= 0)
		module_px = 8;
	if (module_px > 64)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "module",
		                "%d pixels per module is too many (1..64)", module_px);
	q = encode(payload, d);
	if (!q)
		return -1;
	int modules = q->width + 2 * QUIET;
	QRcode_free(q);

	fp = fopen(path, "wb");
	if (!fp)
		return diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
	double size;
	if (fmt == QR_IMAGE_PNG) {
		size = (double)modules * module_px;
		s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, modules * module_px, modules * module_px);
	} else {
		size = modules * 72.0 / 25.4; /* 1 mm modules */
		s = cairo_svg_surface_create_for_stream(write_cb, fp, size, size);
	}
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	if (qr_draw(cr, 0, 0, size, QUIET, payload, QR_DRAW_M, d) < 0)
		rc = -1;
	cairo_destroy(cr);
	if (rc == 0 && fmt == QR_IMAGE_PNG &&
	    cairo_surface_write_to_png_stream(s, write_cb, fp) != CAIRO_STATUS_SUCCESS)
		rc = diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "PNG write failed");
	cairo_surface_finish(s);
	if (rc == 0 && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "write failed: %s",
		              cairo_status_to_string(cairo_surface_status(s)));
	cairo_surface_destroy(s);
	if (fclose(fp) != 0 && rc == 0)
		rc = diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "write failed: %s", strerror(errno));
	if (rc != 0)
		remove(path);
	return rc;
}

int qr_image_text(const char *payload, FILE *fp, struct diag *d)
{
	static const char *const cell[4] = {
	    "\xe2\x96\x88", /* both light: full block */
	    "\xe2\x96\x80", /* upper light, lower dark: upper half */
	    "\xe2\x96\x84", /* upper dark, lower light: lower half */
	    " ",            /* both dark */
	};
	const int quiet = 2;
	QRcode *q;

	diag_clear(d);
	q = encode(payload, d);
	if (!q)
		return -1;
	int w = q->width;
	for (int y = -quiet; y < w + quiet; y += 2) {
		for (int x = -quiet; x < w + quiet; x++) {
			int up = 0, down = 0; /* 1 = dark */
			if (x >= 0 && x < w && y >= 0 && y < w)
				up = q->data[(size_t)y * (size_t)w + (size_t)x] & 1;
			if (x >= 0 && x < w && y + 1 >= 0 && y + 1 < w)
				down = q->data[(size_t)(y + 1) * (size_t)w + (size_t)x] & 1;
			fputs(cell[up * 2 + down], fp);
		}
		fputc('\n', fp);
	}
	QRcode_free(q);
	return ferror(fp) ? diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "write failed") : 0;
}
