/* Parse throughput of the camt reader alone (no database): reads the file
 * into memory once, parses it REPEAT times and prints MB/s and entries/s
 * of the best run, and the most heap the parse held (sampled every 1000
 * events), to show that memory does not grow with the file. */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "codec/camt.h"
#include "core/fileio.h"

static long events;
static size_t base_heap, peak_heap;

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	(void)ctx, (void)d, (void)ev;
	if (++events % 1000 == 0) {
		size_t h = heap_in_use();
		if (h > peak_heap)
			peak_heap = h;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: parse-camt FILE [REPEAT]\n");
		return 2;
	}
	int repeat = argc > 2 ? atoi(argv[2]) : 3;
	struct file_bytes fb;
	struct diag d;
	if (file_bytes_read(argv[1], &fb, &d) != 0) {
		diag_print(stderr, &d);
		return 2;
	}
	double best = 1e9;
	struct cnab_file_info info;
	struct camt_stats st;
	base_heap = peak_heap = heap_in_use();
	for (int i = 0; i < repeat; i++) {
		struct timespec a, b;
		events = 0;
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (camt_parse_with(NULL, argv[1], fb.data, fb.len, &info, &st, on_event, NULL, NULL, NULL,
		                    &d) != 0) {
			diag_print(stderr, &d);
			return 2;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		if (s < best)
			best = s;
	}
	printf("%s: %zu bytes, %ld entries, %ld events (%ld credits, %ld reversals, %ld debits skipped); "
	       "best of %d: "
	       "%.3f s = %.0f MB/s, %.0f entries/s; heap held while parsing: %zu KB\n",
	       argv[1], fb.len, info.records, events, st.credits, st.reversals, st.debits, repeat, best,
	       (double)fb.len / best / 1e6, (double)info.records / best, (peak_heap - base_heap) / 1024);
	file_bytes_release(&fb);
	return 0;
}
