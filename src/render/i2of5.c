/* Interleaved 2 of 5 geometry and drawing (reference/boleto.md §7). */
#include "config.h"

#include <cairo.h>

#include "render/i2of5.h"

/* Digit patterns, n = narrow, w = wide, one bit per element, most
 * significant first: 0 nnwwn, 1 wnnnw, 2 nwnnw, 3 wwnnn, 4 nnwnw,
 * 5 wnwnn, 6 nwwnn, 7 nnnww, 8 wnnwn, 9 nwnwn. */
static const unsigned char pattern[10] = {
    0x06, 0x11, 0x09, 0x18, 0x05, 0x14, 0x0c, 0x03, 0x12, 0x0a,
};

static int is_wide(int digit, int i)
{
	return (pattern[digit] >> (4 - i)) & 1;
}

size_t i2of5_modules(size_t n)
{
	/* each digit: 2 wide + 3 narrow; start 4 narrow; stop wide + 2 narrow */
	return 4 + n * (2 * I2OF5_WIDE_RATIO + 3) + I2OF5_WIDE_RATIO + 2;
}

size_t i2of5_elements(const char *digits, size_t n, unsigned char *w, size_t cap)
{
	size_t k = 0;

	if (n == 0 || n % 2 != 0 || cap < I2OF5_ELEMENTS(n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (digits[i] < '0' || digits[i] > '9')
			return 0;
	for (int i = 0; i < 4; i++) /* start: bar, space, bar, space, all narrow */
		w[k++] = 1;
	for (size_t i = 0; i < n; i += 2) {
		int a = digits[i] - '0', b = digits[i + 1] - '0';
		for (int j = 0; j < 5; j++) {
			w[k++] = is_wide(a, j) ? I2OF5_WIDE_RATIO : 1;
			w[k++] = is_wide(b, j) ? I2OF5_WIDE_RATIO : 1;
		}
	}
	w[k++] = I2OF5_WIDE_RATIO; /* stop: wide bar, narrow space, narrow bar */
	w[k++] = 1;
	w[k++] = 1;
	return k;
}

/* Nearest whole number of a non-negative device coordinate (no libm for
 * one rounding). */
static double whole(double v)
{
	return (double)(long)(v + 0.5);
}

double i2of5_draw(cairo_t *cr, double x, double y, double narrow, double h, const char *digits, size_t n)
{
	unsigned char w[I2OF5_ELEMENTS(64)];
	size_t ne;
	double pos;

	if (n > 64 || (ne = i2of5_elements(digits, n, w, sizeof w)) == 0)
		return -1;

	cairo_save(cr);
	if (cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE) {
		/* A raster module of 2.6 px would come out as bars of 2 and 3 px
		 * and blur the 1:3 ratio: round the module to whole pixels and
		 * put the origin on a pixel corner. */
		double dx = narrow, dy = 0, ox = x, oy = y;
		cairo_user_to_device_distance(cr, &dx, &dy);
		dx = dx < 0 ? -dx : dx;
		double px = whole(dx) < 1 ? 1 : whole(dx);
		narrow *= px / dx;
		cairo_user_to_device(cr, &ox, &oy);
		ox = whole(ox);
		oy = whole(oy);
		cairo_device_to_user(cr, &ox, &oy);
		x = ox;
		y = oy;
		cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	}
	pos = x;
	for (size_t i = 0; i < ne; i++) {
		double len = w[i] * narrow;
		if (i % 2 == 0)
			cairo_rectangle(cr, pos, y, len, h);
		pos += len;
	}
	cairo_fill(cr);
	cairo_restore(cr);
	return pos - x;
}
