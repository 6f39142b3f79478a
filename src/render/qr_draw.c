/* QR drawing with libqrencode: encode once, draw the dark runs of each row
 * as rectangles (one per run, not per module, to keep PDFs small). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <cairo.h>
#include <qrencode.h>

#include "render/qr_draw.h"

static QRcode *encode(const char *payload, enum qr_draw_level level)
{
	static const QRecLevel lv[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};

	if (payload == NULL || payload[0] == '\0')
		return NULL;
	/* 8-bit mode for the whole string: a BR Code mixes cases, and the
	 * version a payload gets must not depend on its letters' case. */
	return QRcode_encodeString8bit(payload, 0, lv[level]);
}

/* The symbol as an A1 mask painted with the current source, module
 * (0, 0) at x, y, m user units per module. */
static int draw_mask(cairo_t *cr, const QRcode *q, double x, double y, double m)
{
	int w = q->width;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_A1, w, w);
	cairo_pattern_t *pat;
	unsigned char *data;
	int stride;

	if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(img);
		return -1;
	}
	cairo_surface_flush(img);
	data = cairo_image_surface_get_data(img);
	stride = cairo_image_surface_get_stride(img);
	memset(data, 0, (size_t)stride * (size_t)w);
	for (int r = 0; r < w; r++)
		for (int c = 0; c < w; c++)
			if (q->data[(size_t)r * (size_t)w + (size_t)c] & 1) {
				uint32_t *word =
				    (uint32_t *)(void *)(data + (size_t)r * (size_t)stride) + c / 32;
				/* A1 pixels are bits of native-endian 32-bit words */
#if defined(WORDS_BIGENDIAN)
				*word |= UINT32_C(1) << (31 - c % 32);
#else
				*word |= UINT32_C(1) << (c % 32);
#endif
			}
	cairo_surface_mark_dirty(img);
	cairo_translate(cr, x, y);
	cairo_scale(cr, m, m);
	pat = cairo_pattern_create_for_surface(img);
	cairo_pattern_set_filter(pat, CAIRO_FILTER_NEAREST);
	cairo_mask(cr, pat);
	cairo_pattern_destroy(pat);
	cairo_surface_destroy(img);
	return 0;
}

double qr_draw(cairo_t *cr, double x, double y, double size, int quiet, const char *payload,
               enum qr_draw_level level, struct diag *d)
{
	QRcode *q;
	double m;
	int w;

	if (payload == NULL || payload[0] == '\0')
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "pix_payload", "empty payload");
	errno = 0;
	q = encode(payload, level);
	if (q == NULL)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "pix_payload", "%zu bytes do not fit a QR code%s",
		                strlen(payload), errno == ENOMEM ? " (out of memory)" : "");
	w = q->width;
	m = size / (w + 2 * quiet);
	x += quiet * m;
	y += quiet * m;
	size -= 2 * quiet * m;

	cairo_save(cr);
	if (cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE) {
		/* whole-pixel modules: uneven ones are what makes raster QRs
		 * hard to scan */
		double dx = m, dy = 0, ox, oy;
		cairo_user_to_device_distance(cr, &dx, &dy);
		dx = dx < 0 ? -dx : dx;
		double px = (double)(long)dx; /* rounded down: the symbol stays inside its square */
		if (px >= 1) {
			m *= px / dx;
			ox = x + (size - m * w) / 2; /* centred: rounding left a margin */
			oy = y + (size - m * w) / 2;
			cairo_user_to_device(cr, &ox, &oy);
			ox = (double)(long)(ox + 0.5);
			oy = (double)(long)(oy + 0.5);
			cairo_device_to_user(cr, &ox, &oy);
			x = ox;
			y = oy;
			cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
		}
	}
	if (cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_PDF) {
		/* In a PDF the symbol is a 1-bit image mask, one module a pixel,
		 * scaled without interpolation: a few hundred bytes instead of
		 * kilobytes of path, and a fifth of the drawing time (bench/). The
		 * modules stay exact squares at any zoom, as vectors would. */
		int rc = draw_mask(cr, q, x, y, m);
		cairo_restore(cr);
		QRcode_free(q);
		return rc == 0 ? m : diag_set(d, DIAG_ERROR, NULL, 0, 0, "pix_payload", "out of memory");
	}
	/* Each run of dark modules in a row is one stroke of width 1 module
	 * with butt caps: exactly the run's rectangle. Drawn in module units
	 * (row centres on whole numbers), so that a PDF carries "3 12 m 7 12 l"
	 * rather than 8 long decimals and a close per run: a third of the
	 * bytes to format and compress, and a dense QR is most of a page. */
	cairo_translate(cr, x, y + m / 2);
	cairo_scale(cr, m, m);
	cairo_set_line_width(cr, 1.0);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	for (int r = 0; r < w; r++) {
		const unsigned char *row = q->data + (size_t)r * (size_t)w;
		double dash[178];
		int nd = 0, first = -1, last = 0;
		for (int c = 0; c < w;) {
			int dark = row[c] & 1, start = c;
			while (c < w && (row[c] & 1) == dark)
				c++;
			if (dark) {
				if (first < 0)
					first = start;
				last = c;
			}
			if (first >= 0)
				dash[nd++] = c - start;
		}
		if (first < 0)
			continue;
		/* dashes from the first dark module; a trailing light run is
		 * past the line's end anyway */
		cairo_set_dash(cr, dash, nd, 0);
		cairo_move_to(cr, first, r);
		cairo_line_to(cr, last, r);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
	QRcode_free(q);
	return m;
}
