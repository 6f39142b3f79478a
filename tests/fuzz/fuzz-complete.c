/* libFuzzer target for the drop folder's completeness checks: any bytes,
 * and any prefix of them, get a verdict of 0 or 1 without reading outside
 * the buffer; a verdict depends on the bytes alone. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "codec/bank_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *data, size_t size)
{
	int all = bank_file_complete(data, size);
	int xml = bank_file_xml_complete(data, size);
	int json = bank_file_json_complete(data, size);
	if ((all != 0 && all != 1) || (xml != 0 && xml != 1) || (json != 0 && json != 1) ||
	    all != bank_file_complete(data, size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size);
	/* The prefixes an upload shows on its way: halfway and all but one byte. */
	if (size > 1) {
		check(data, size / 2);
		check(data, size - 1);
	}
	return 0;
}
