/* Reader of the Banco Central "API Pix" JSON (OpenAPI 2.x, checked against
 * 2.9.0): Pix credits received, and their devoluções, as bank events.
 * Three documents are recognized by content:
 *   - a GET /pix response page  {"parametros": {...}, "pix": [Pix, ...]}
 *   - a webhook body            {"pix": [Pix, ...]}
 *   - one Pix (GET /pix/{e2eid}) {"endToEndId": ..., "valor": ..., ...}
 * Pure: bytes in, events out, no clock, no database. Rules and quirks:
 * reference/pix.md §8, interop/pix/SOURCES.md §2.
 *
 * Events (the contract of cnab240_parse, cnab_event_fn per event):
 *   - each Pix is one EVENT_CREDIT with identity "pix|<endToEndId>" (strong:
 *     the same Pix in a webhook body and in a later GET /pix page is one
 *     fact). paid_cents = net_cents = valor (the API reports no tariff);
 *     face_cents = componentesValor.original, or what the sum rule
 *     (valor = original + saque + troco + multa + juros - abatimento -
 *     desconto) leaves for it; charges_cents = multa + juros;
 *     discount_cents = desconto; rebate_cents = abatimento; saque and troco
 *     are checked but map to no field. occurrence_date = credit_date = the
 *     civil date of horario in America/Sao_Paulo (UTC-3: Brazil has had no
 *     daylight saving time since 2019, and Pix started in November 2020).
 *     txid, infoPagador (free_text), chave (agreement), and the PSP
 *     extension pagador {cpf|cnpj, nome} when present.
 *   - each devolução with status DEVOLVIDO is one EVENT_REVERSAL with
 *     identity "pixdev|<endToEndId>|<rtrId>": end_to_end_id and txid of the
 *     Pix it returns, refund_id = rtrId, statement_ref = the devolução's
 *     id (chosen by the receiver), paid_cents = net_cents = its valor
 *     (positive: the kind says the money goes out), dates from
 *     horario.liquidacao, occurrence_text = natureza, free_text =
 *     descricao. EM_PROCESSAMENTO and NAO_REALIZADO devoluções move no
 *     money: they are not events, each is reported as a warning (the PSP
 *     notifies again when the devolução is settled).
 *   - line / line_end: the lines where the object starts and ends.
 *
 * File information: bank 0, agreement = the chave when every Pix names the
 * same one, generated = the date of parametros.fim (a page) or of the
 * latest event, records = titles = Pix entries, layout_name one of
 * PIX_API_LAYOUT_*. Diagnostics name the field by its path, with 0-based
 * indexes as in jq: "f.json:12:20: error: field 'pix[3].valor': ...". */
#ifndef CONCILIA_PIX_API_H
#define CONCILIA_PIX_API_H

#include <stddef.h>
#include <stdint.h>

#include "codec/bank_file.h"
#include "codec/cnab240.h"
#include "core/diag.h"

#define PIX_API_LAYOUT_LIST    "API Pix 2.x pix list"
#define PIX_API_LAYOUT_WEBHOOK "API Pix 2.x webhook"
#define PIX_API_LAYOUT_OBJECT  "API Pix 2.x pix object"

/* Largest valor the spec can write: \d{1,10}\.\d{2}. */
#define PIX_API_MAX_CENTS INT64_C(999999999999)

/* The statement reader for bank_file.c (family "pix-api"). */
extern const struct statement_reader pix_api_reader;

/* 1 when buf is a JSON object whose top-level members (within its first
 * 64 KiB) include "endToEndId", or "pix" without "calendario" (a cob/cobv
 * charge also lists its Pix under "pix"). */
int pix_api_sniff(const unsigned char *buf, size_t len);

int pix_api_parse(const char *filename, const unsigned char *buf, size_t len, struct cnab_file_info *info,
                  cnab_event_fn on_event, void *ctx, diag_sink warn, void *wctx, struct diag *err);

/* ---- the field rules, for tests ---- */

/* "123.45" (\d{1,10}\.\d{2}, nothing else) into centavos, digit by digit.
 * Returns 0, or -1. */
int pix_api_amount(const char *s, size_t len, int64_t *cents);

/* An RFC 3339 date-time with its offset ("2026-11-20T14:03:07.512-03:00",
 * "...Z"; 'T'/'t', 'Z'/'z'; any number of fraction digits, kept to the
 * millisecond; second 60 read as 59). Sets *ms to milliseconds since the
 * epoch (UTC). Returns 0, or -1 with *why (static text). */
int pix_api_instant(const char *s, size_t len, int64_t *ms, const char **why);

/* The civil date in America/Sao_Paulo (UTC-3) of an instant. */
cdate pix_api_local_date(int64_t ms);

/* endToEndId: 32 letters or digits, 'E', the payer PSP's ISPB (8 letters
 * or digits since 2.9.0), yyyyMMddHHmm, 11 more. Returns 0 when all of it
 * holds; 1 when only the date part is not a real yyyyMMddHHmm (still a
 * usable identity: the caller warns); -1 when it is not an endToEndId.
 * *why (static text) says what is wrong. */
int pix_api_check_e2e(const char *s, size_t len, const char **why);

#endif
