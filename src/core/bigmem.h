/* Large zeroed arrays that live for one command (the matcher's in-memory
 * receivables and their indexes: hundreds of megabytes for a million
 * receivables). */
#ifndef CONCILIA_BIGMEM_H
#define CONCILIA_BIGMEM_H

#include <stddef.h>

/* n elements of size bytes, zeroed; NULL when out of memory or when
 * n * size overflows. Free with bigmem_free(p, n, size), same n and size. */
void *bigmem_calloc(size_t n, size_t size);
void bigmem_free(void *p, size_t n, size_t size);

#endif
