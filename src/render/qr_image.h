/* A Pix QR on its own (concilia pix qr): a PNG or SVG file with the
 * standard 4-module quiet zone, or the symbol drawn in a terminal with
 * half-block characters. Error correction M, 8-bit mode on the exact
 * bytes (reference/pix.md §5). */
#ifndef CONCILIA_QR_IMAGE_H
#define CONCILIA_QR_IMAGE_H

#include <stdio.h>

#include "core/diag.h"

enum qr_image_format { QR_IMAGE_PNG = 1, QR_IMAGE_SVG = 2 };

/* ".png" or ".svg" (any case) at the end of path, or 0. */
enum qr_image_format qr_image_format_of(const char *path);

/* Writes the QR of payload to path (format by extension): PNG with
 * module_px pixels per module (0 = 8), SVG with 1 mm modules. The file is
 * written whole or not at all (removed on failure). Returns 0, or -1 with
 * d. */
int qr_image_file(const char *payload, const char *path, int module_px, struct diag *d);

/* Draws the QR with U+2580/U+2584/U+2588 half blocks, two module rows per
 * text line, 2-module quiet zone, for a terminal with light text on a
 * dark background (what qrencode -t UTF8 draws): a light module is ink.
 * Returns 0, or -1 with d. */
int qr_image_text(const char *payload, FILE *fp, struct diag *d);

#endif
