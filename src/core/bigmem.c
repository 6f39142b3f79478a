/* Large arrays are anonymous mappings advised to use transparent huge
 * pages: a few hundred megabytes then cost a few hundred page faults
 * instead of a hundred thousand, and on a virtual machine each fault is
 * expensive (a quarter of the receivable load time was faults). Small
 * arrays, and systems without mmap, use calloc. */
#include "config.h"
#include <stdint.h>
#include <stdlib.h>

#include "core/bigmem.h"

/* Under AddressSanitizer every array stays on the heap, where its bounds
 * are checked. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIGMEM_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define BIGMEM_ASAN 1
#endif
#if defined(__linux__) && !defined(BIGMEM_ASAN)
#include <sys/mman.h>
#define BIGMEM_MMAP 1
#endif

/* Below this, calloc is as good (and glibc maps it on its own anyway). */
enum { BIGMEM_MIN = 4 << 20 };

void *bigmem_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	size_t bytes = n * size;
#ifdef BIGMEM_MMAP
	if (bytes >= BIGMEM_MIN) {
		void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
#ifdef MADV_HUGEPAGE
		(void)madvise(p, bytes, MADV_HUGEPAGE); /* advice: refused is fine */
#endif
		return p; /* anonymous mappings are zeroed */
	}
#else
	(void)bytes; /* sanitizer builds: calloc only */
#endif
	return calloc(n ? n : 1, size ? size : 1);
}

void bigmem_free(void *p, size_t n, size_t size)
{
	if (!p)
		return;
#ifdef BIGMEM_MMAP
	if (n * size >= BIGMEM_MIN) {
		munmap(p, n * size);
		return;
	}
#else
	(void)n;
	(void)size;
#endif
	free(p);
}
