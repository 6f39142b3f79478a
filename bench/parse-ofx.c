/* Parse throughput of the OFX reader alone (no database): reads the file
 * into memory once, parses it REPEAT times, prints MB/s and transactions/s
 * (every event built: memo read, identity hashed). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "codec/ofx.h"
#include "core/fileio.h"

static long events;

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	(void)ctx, (void)d;
	events += ev->paid_cents > 0;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: parse-ofx FILE [REPEAT]\n");
		return 2;
	}
	int repeat = argc > 2 ? atoi(argv[2]) : 5;
	struct file_bytes fb;
	struct diag d;
	if (file_bytes_read(argv[1], &fb, &d) != 0) {
		diag_print(stderr, &d);
		return 2;
	}
	double best = 1e9, best_cpu = 1e9;
	struct cnab_file_info info;
	for (int i = 0; i < repeat; i++) {
		struct timespec a, b;
		events = 0;
		clock_t c0 = clock();
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (ofx_parse(argv[1], fb.data, fb.len, &info, on_event, NULL, NULL, NULL, &d) != 0) {
			diag_print(stderr, &d);
			return 2;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
		if (cpu < best_cpu)
			best_cpu = cpu;
		double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		if (s < best)
			best = s;
	}
	/* CPU time too: on a loaded machine the wall clock measures the others */
	printf("%s: %s, %zu bytes, %ld transactions, %ld events; best of %d: %.3f s wall = %.0f MB/s, %.0f k "
	       "transactions/s; %.3f s CPU = %.0f MB/s, %.0f k transactions/s\n",
	       argv[1], info.layout_name, fb.len, info.titles, events, repeat, best,
	       (double)fb.len / best / 1e6, (double)info.titles / best / 1e3, best_cpu,
	       (double)fb.len / best_cpu / 1e6, (double)info.titles / best_cpu / 1e3);
	file_bytes_release(&fb);
	return 0;
}
