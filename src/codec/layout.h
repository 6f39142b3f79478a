/* The declarative layout engine: reads formats/*.layout (positions 1-based
 * and inclusive, as in the bank manuals). The full API is defined by the
 * layout engine's author; other modules use only what cnab240.h needs. */
#ifndef CONCILIA_LAYOUT_H
#define CONCILIA_LAYOUT_H

#include <stddef.h>

/* One embedded layout file (generated from formats/ at build time). */
struct layout_source {
	const char *name; /* file name, e.g. "cnab240-febraban.layout" */
	const char *text;
};
extern const struct layout_source layout_builtin_sources[];

struct layout;

#endif
