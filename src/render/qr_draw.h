/* A QR code (libqrencode, 8-bit mode, a chosen error correction level)
 * drawn on a cairo context: the Pix QR of a boleto híbrido
 * (reference/boleto.md §7) and of `pix qr`. Vector runs on SVG, whole-pixel
 * modules on images, and on PDF a 1-bit image mask scaled without
 * interpolation (exact squares at any zoom, a fraction of the bytes and
 * time of a path). */
#ifndef CONCILIA_QR_DRAW_H
#define CONCILIA_QR_DRAW_H

#include <stddef.h>

#include "core/diag.h"

enum qr_draw_level { QR_DRAW_L = 0, QR_DRAW_M = 1, QR_DRAW_Q = 2, QR_DRAW_H = 3 };

struct _cairo;

/* Draws the symbol centred in the size x size square whose top-left
 * corner is x, y (user units), leaving a white quiet zone of quiet
 * modules on every side inside that square (4 is the QR standard's; the
 * caller keeps the square free of ink). Only dark modules are drawn. On an
 * image surface the module is rounded down to whole pixels. Returns the
 * module size in user units (> 0), or -1 with d (field "pix_payload") when
 * the payload is empty or too long for a QR. */
double qr_draw(struct _cairo *cr, double x, double y, double size, int quiet, const char *payload,
               enum qr_draw_level level, struct diag *d);

#endif
