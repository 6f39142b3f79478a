/* Payer document comparison: a masked document can only agree or
 * disagree on the digits it shows, so it never counts as a full match. */
#include "config.h"
#include <string.h>

#include "reconcile/payer.h"

enum payer_match payer_compare(const char *payer, bool partial, const char *debtor)
{
	if (!payer || !payer[0] || !debtor || !debtor[0])
		return PAYER_UNKNOWN;
	size_t n = strlen(payer);
	if (n != strlen(debtor))
		return PAYER_DIFFERENT;
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (payer[i] == '*')
			continue;
		if (payer[i] != debtor[i])
			return PAYER_DIFFERENT;
		shown++;
	}
	if (!partial && shown == n)
		return PAYER_SAME;
	/* A mask that shows nothing says nothing. */
	return shown ? PAYER_PARTIAL : PAYER_UNKNOWN;
}
