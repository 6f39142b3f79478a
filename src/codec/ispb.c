/* ISPB to COMPE code, for the institutions whose statements concilia is
 * most likely to read (BCB, "Participantes do STR"). */
#include "config.h"

#include <string.h>

#include "codec/ispb.h"

static const struct {
	char ispb[9];
	int compe;
} known[] = {
    {"00000000", 1},   /* Banco do Brasil */
    {"00000208", 70},  /* BRB */
    {"00360305", 104}, /* Caixa Econômica Federal */
    {"00416968", 77},  /* Banco Inter */
    {"01181521", 748}, /* Sicredi */
    {"02038232", 756}, /* Sicoob (Bancoob) */
    {"07237373", 4},   /* Banco do Nordeste */
    {"18236120", 260}, /* Nu Pagamentos */
    {"30306294", 208}, /* BTG Pactual */
    {"60701190", 341}, /* Itaú Unibanco */
    {"60746948", 237}, /* Bradesco */
    {"90400888", 33},  /* Santander */
    {"92702067", 41},  /* Banrisul */
};

int ispb_bank_code(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (len == 3)
		return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	if (len != 8)
		return 0;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (memcmp(known[i].ispb, s, 8) == 0)
			return known[i].compe;
	return 0;
}
