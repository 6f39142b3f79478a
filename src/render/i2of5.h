/* Interleaved 2 of 5, the only symbology of the boleto barcode
 * (reference/boleto.md §7): digits in pairs, the first of a pair in the
 * bars, the second in the spaces; narrow = 1 module, wide = 3. The
 * geometry is computed here once (pure) and drawn as filled rectangles. */
#ifndef CONCILIA_I2OF5_H
#define CONCILIA_I2OF5_H

#include <stddef.h>

/* FEBRABAN sizes: 44 digits + start + stop = 405 modules of 0.254 mm
 * (10 mil) = 102.87 mm, 13 mm high, quiet zone >= 5 mm. */
#define I2OF5_NARROW_MM  0.254
#define I2OF5_WIDE_RATIO 3
#define I2OF5_HEIGHT_MM  13.0
#define I2OF5_QUIET_MM   5.0

/* Elements of n digits: start (4) + 5 per digit + stop (3). */
#define I2OF5_ELEMENTS(n) (4 + 5 * (n) + 3)

/* Widths in modules (1 or I2OF5_WIDE_RATIO) of every element, bar first,
 * bars and spaces alternating, into w (I2OF5_ELEMENTS(n) bytes). n must
 * be even and > 0, digits '0'..'9'. Returns the number of elements, or 0
 * when the input is not that (never pads an odd count: a padded code
 * would not be the barcode asked for). */
size_t i2of5_elements(const char *digits, size_t n, unsigned char *w, size_t cap);

/* Total length in modules of n digits (405 for 44). */
size_t i2of5_modules(size_t n);

struct _cairo;

/* Draws the symbol with its top-left corner (first bar) at x, y in the
 * context's user units, narrow bar = narrow units, height h. On an image
 * surface the module is rounded to whole pixels and the origin snapped to
 * the pixel grid, and anti-aliasing is off, so that every bar keeps the
 * 1:3 ratio a scanner needs. Returns the drawn width in user units, or a
 * negative number when the digits are not drawable (see i2of5_elements). */
double i2of5_draw(struct _cairo *cr, double x, double y, double narrow, double h, const char *digits,
                  size_t n);

#endif
