/* Parse + validate throughput of the CNAB 240 reader alone (no database):
 * reads the file into memory once, then parses it REPEAT times and prints
 * MB/s and records/s. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "codec/cnab240.h"
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
		fprintf(stderr, "usage: parse-cnab FILE [REPEAT]\n");
		return 2;
	}
	int repeat = argc > 2 ? atoi(argv[2]) : 5;
	struct file_bytes fb;
	struct diag d;
	if (file_bytes_read(argv[1], &fb, &d) != 0) {
		diag_print(stderr, &d);
		return 2;
	}
	double best = 1e9;
	struct cnab_file_info info;
	for (int i = 0; i < repeat; i++) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (cnab240_parse(NULL, argv[1], fb.data, fb.len, &info, on_event, NULL, NULL, NULL, &d) != 0) {
			diag_print(stderr, &d);
			return 2;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		if (s < best)
			best = s;
	}
	printf("%s: %zu bytes, %ld records, %ld titles; best of %d: %.3f s = %.0f MB/s, %.2f M records/s\n",
	       argv[1], fb.len, info.records, info.titles, repeat, best, (double)fb.len / best / 1e6,
	       (double)info.records / best / 1e6);
	file_bytes_release(&fb);
	return 0;
}
