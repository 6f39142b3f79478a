/* Names of the normalized event kinds. They appear in layout files, JSON
 * reports and the ledger, so they are part of the public interface: never
 * rename one, only add. */
#include "config.h"

#include <string.h>

#include "codec/bank_event.h"

static const char *const kind_names[EVENT_KIND_COUNT] = {
    [EVENT_OTHER] = "other",
    [EVENT_ENTRY_CONFIRMED] = "entry_confirmed",
    [EVENT_ENTRY_REJECTED] = "entry_rejected",
    [EVENT_LIQUIDATION] = "liquidation",
    [EVENT_LIQUIDATION_AFTER_WRITEOFF] = "liquidation_after_writeoff",
    [EVENT_WRITEOFF] = "writeoff",
    [EVENT_PROTEST] = "protest",
    [EVENT_INSTRUCTION_ACK] = "instruction_ack",
    [EVENT_INSTRUCTION_REJECTED] = "instruction_rejected",
    [EVENT_TARIFF] = "tariff",
    [EVENT_UNKNOWN] = "unknown",
    [EVENT_CREDIT] = "credit",
    [EVENT_REVERSAL] = "reversal",
};

const char *event_kind_name(enum event_kind k)
{
	if ((int)k < 0 || k >= EVENT_KIND_COUNT)
		return "unknown";
	return kind_names[k];
}

enum event_kind event_kind_from_name(const char *name)
{
	if (name == NULL)
		return EVENT_KIND_COUNT;
	for (int k = 0; k < EVENT_KIND_COUNT; k++)
		if (strcmp(kind_names[k], name) == 0)
			return (enum event_kind)k;
	return EVENT_KIND_COUNT;
}

int event_kind_is_payment(enum event_kind k)
{
	return k == EVENT_LIQUIDATION || k == EVENT_LIQUIDATION_AFTER_WRITEOFF || k == EVENT_CREDIT;
}
