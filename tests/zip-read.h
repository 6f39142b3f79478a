/* Tests only: one member of a zip archive (an XLSX file), by name. */
#ifndef CONCILIA_TEST_ZIP_READ_H
#define CONCILIA_TEST_ZIP_READ_H

#include <stddef.h>

/* Returns the member's bytes, NUL-terminated (free them), or NULL when the
 * archive is damaged or has no such member. Stored and deflated members. */
char *zip_read_member(const unsigned char *zip, size_t len, const char *name, size_t *out_len);

#endif
