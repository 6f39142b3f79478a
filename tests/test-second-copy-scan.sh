#!/bin/sh
# Proof that a second copy scans, through the real commands: init, account
# add, receivables import, boleto second-copy to PDF (and PNG), pdftoppm at
# 300 dpi, zbarimg. The barcode read must be the 44 digits `boleto encode`
# gives for the registered slip (face value, original due date), and the QR
# the Pix payload `pix qr` prints for the same payment date.
# Skips (77) without pdftoppm or zbarimg.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${CONCILIA:=$top_srcdir/concilia}"
for tool in pdftoppm zbarimg; do
	if ! command -v "$tool" > /dev/null 2>&1; then
		echo "SKIP: $tool not installed (poppler-utils, zbar-tools): the scan is not checked"
		exit 77
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/concilia-scan.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work" || exit 99
export CONCILIA_TODAY=2026-11-24 CONCILIA_NOW=2026-11-24T11:00:00Z CONCILIA_ACTOR=tester CONCILIA_DB="$work/t.db"
fail=0
c() { "$CONCILIA" -q "$@"; }
check() { # what, expected, actual
	if [ "$2" = "$3" ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1"
		echo "  expected: $2"
		echo "  found:    $3"
		fail=1
	fi
}
scan() { # PNG -> "I2/5:digits" and "QR-Code:payload" lines
	zbarimg -q -Si25.enable "$1" 2> /dev/null
}

c init || exit 99
c receivables import "$top_srcdir/tests/cases/gate/receivables.csv" || exit 99
c account add --label bradesco --bank 237 --agency 1234-5 --account 0012345-6 --wallet 09 \
	--name "Exemplo Comércio Ltda" --document 11.222.333/0001-81 --address "Av. Paulista, 1000" \
	--city "São Paulo" --uf SP --cep 01310-100 --pix-key contato@exemplo.com.br || exit 99

barcode=$(c boleto encode --bank 237 --agency 1234-5 --account 0012345-6 --wallet 09 \
	--nosso-numero 00000000200 --due 2026-11-10 --amount 200.00 --today 2026-11-24 | sed -n 's/^barcode: *//p')
check "boleto encode gives a barcode" 44 "${#barcode}"

for pay_on in 2026-11-24 2026-11-30; do
	payload=$(c pix qr G-OK --pay-on $pay_on --accept-stale "scan test")
	c boleto second-copy G-OK --pay-on $pay_on -o "copy-$pay_on.pdf" --accept-stale "scan test" || fail=1
	pdftoppm -r 300 -png -singlefile "copy-$pay_on.pdf" "page-$pay_on" || fail=1
	out=$(scan "page-$pay_on.png")
	check "PDF for $pay_on: barcode" "I2/5:$barcode" "$(echo "$out" | grep '^I2/5:')"
	check "PDF for $pay_on: QR" "QR-Code:$payload" "$(echo "$out" | grep '^QR-Code:')"
done
# the QR amount follows the payment date; the barcode does not
check "the two payloads differ" 1 "$( [ "$(c pix qr G-OK --pay-on 2026-11-24 --accept-stale x)" != \
	"$(c pix qr G-OK --pay-on 2026-11-30 --accept-stale x)" ] && echo 1 || echo 0)"

# PNG straight from the command (300 dpi default) and SVG
c boleto second-copy G-OK -o copy.png --accept-stale "scan test" || fail=1
out=$(scan copy.png)
check "PNG: barcode" "I2/5:$barcode" "$(echo "$out" | grep '^I2/5:')"
c boleto second-copy G-OK -o copy.svg --accept-stale "scan test" || fail=1
check "SVG written" 1 "$(grep -c '<svg' copy.svg)"

# pix qr PNG read back
payload=$(c pix qr G-OK --accept-stale x)
c pix qr G-OK -o qr.png --accept-stale x > /dev/null || fail=1
check "pix qr PNG" "QR-Code:$payload" "$(scan qr.png)"
c pix qr G-OK -o qr.svg --accept-stale x > /dev/null || fail=1
check "pix qr SVG written" 1 "$(grep -c '<svg' qr.svg)"

if [ $fail = 0 ]; then echo "scan: all passed"; fi
exit $fail
