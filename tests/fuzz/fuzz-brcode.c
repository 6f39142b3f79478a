/* libFuzzer target for the Pix BR Code codec. Any bytes must get a
 * verdict that agrees with itself: valid exactly when no error is listed,
 * every listed problem with a message, every object inside the input, and
 * a valid static code re-encoded from its own fields decodes to the same
 * key, amount and txid. Inputs starting with '#' drive the encoder
 * instead ("#KEY\nNAME\nCITY\nAMOUNT-CENTS\nTXID\nDESCRIPTION\nURL"; a
 * line starting with '!' is absent), whose every code must decode cleanly
 * with the fields asked for. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/brcode.h"
#include "core/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct brcode_info info, again;

static int same(struct brcode_text a, struct brcode_text b)
{
	return (!a.s && !b.s) || (a.s && b.s && a.len == b.len && memcmp(a.s, b.s, a.len) == 0);
}

static void check_verdict(const char *s, size_t size, int rc, const struct brcode_info *in)
{
	if ((rc == 0) != (in->nerrors == 0) || in->nproblems > BRCODE_MAX_PROBLEMS ||
	    in->nproblems > in->nerrors + in->nwarnings || in->nobjects > BRCODE_MAX_OBJECTS)
		abort();
	for (int i = 0; i < in->nproblems; i++)
		if (in->problems[i].msg[0] == '\0' || in->problems[i].column < 0)
			abort();
	for (int i = 0; i < in->nobjects; i++) {
		const struct brcode_object *o = &in->objects[i];
		if (o->id > 99 || o->value.s < s || o->value.s + o->value.len > s + size ||
		    o->value.len < o->nchars || i + o->nchildren >= in->nobjects + 1)
			abort();
	}
	if (rc != 0)
		return;
	if (in->kind == BRCODE_UNKNOWN || !in->crc_checked || !in->name.s || !in->city.s || !in->txid.s ||
	    in->nchars > BRCODE_MAX_LEN || in->objects[0].id != 0)
		abort();
	/* 13 digits without a point: the largest amount 54 can hold */
	if (in->amount.s && (in->amount_cents <= 0 || in->amount_cents > INT64_C(999999999999900)))
		abort();
}

/* A valid static code with plain fields, written again by our encoder,
 * must keep its key, amount and txid. */
static void reencode(const struct brcode_info *in)
{
	char key[BRCODE_KEY_MAX + 1], name[BRCODE_NAME_MAX * 4 + 1], city[BRCODE_CITY_MAX * 4 + 1],
	    txid[BRCODE_TXID_MAX * 4 + 1];
	if (in->kind != BRCODE_STATIC || in->key_type == BRCODE_KEY_UNKNOWN || in->nwarnings ||
	    in->description.s || in->postal_code.s || in->key.len >= sizeof key)
		return;
	memcpy(key, in->key.s, in->key.len);
	key[in->key.len] = '\0';
	memcpy(name, in->name.s, in->name.len);
	name[in->name.len] = '\0';
	memcpy(city, in->city.s, in->city.len);
	city[in->city.len] = '\0';
	memcpy(txid, in->txid.s, in->txid.len);
	txid[in->txid.len] = '\0';
	struct brcode_request rq = {.key = key,
	                            .name = name,
	                            .city = city,
	                            .txid = txid,
	                            .amount_cents = in->amount.s ? in->amount_cents : 0,
	                            .initiation = in->initiation};
	struct brcode_payload p;
	struct diag d;
	if (brcode_encode(&rq, &p, NULL, NULL, &d) != 0)
		return; /* e.g. a name of blanks only: nothing to compare */
	if (brcode_decode(p.text, p.len, &again) != 0 || again.kind != BRCODE_STATIC ||
	    !same(again.txid, in->txid) || again.amount_cents != in->amount_cents ||
	    again.key_type != in->key_type)
		abort();
	/* DICT forms are kept as they are, except e-mail and EVP case */
	if (in->key_type != BRCODE_KEY_EMAIL && in->key_type != BRCODE_KEY_EVP && !same(again.key, in->key))
		abort();
}

static void fuzz_encode(const uint8_t *data, size_t size)
{
	char buf[1024];
	char *field[8] = {0};
	int nf = 0;
	if (size >= sizeof buf)
		return;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	field[nf++] = buf;
	for (char *p = buf; *p && nf < 8; p++)
		if (*p == '\n') {
			*p = '\0';
			field[nf++] = p + 1;
		}
	for (int i = 0; i < nf; i++)
		if (field[i][0] == '!')
			field[i] = NULL;
	struct brcode_request rq = {0};
	rq.key = field[0];
	rq.name = field[1];
	rq.city = field[2];
	rq.amount_cents = field[3] ? strtoll(field[3], NULL, 10) : 0;
	rq.txid = field[4];
	rq.description = field[5];
	rq.url = field[6];
	rq.initiation = (int)(size % 3) == 0 ? 0 : (int)(size % 3) + 10;
	struct brcode_payload p;
	struct diag d;
	diag_clear(&d);
	if (brcode_encode(&rq, &p, NULL, NULL, &d) != 0) {
		if (d.msg[0] == '\0' || p.len != 0)
			abort();
		return;
	}
	if (p.len != strlen(p.text) || p.len > BRCODE_MAX_LEN)
		abort();
	int rc = brcode_decode(p.text, p.len, &info);
	check_verdict(p.text, p.len, rc, &info);
	if (rc != 0 || info.nwarnings != 0 || info.name.len > BRCODE_NAME_MAX ||
	    info.city.len > BRCODE_CITY_MAX)
		abort();
	if (info.kind != (rq.url ? BRCODE_DYNAMIC : BRCODE_STATIC) ||
	    info.amount_cents != (rq.url ? 0 : rq.amount_cents))
		abort();
	for (size_t i = 0; i < p.len; i++)
		if ((unsigned char)p.text[i] < 0x20 || (unsigned char)p.text[i] > 0x7E)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == '#') {
		fuzz_encode(data, size);
		return 0;
	}
	const char *s = (const char *)data;
	int rc = brcode_decode(s, size, &info);
	check_verdict(s, size, rc, &info);
	if (rc == 0)
		reencode(&info);
	return 0;
}
