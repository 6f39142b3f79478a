#!/bin/sh
# Import benchmark (issue 3): generates CNAB 240 returns, measures the
# physical floor (cat), parse+validate without the database, and the full
# import of every file into a fresh SQLite ledger, then reconciles.
# Then the API Pix reader (issue 6): one generated GET /pix page, parsed
# without the database, then imported into a fresh ledger.
# Run from the build directory: `make bench` (BENCH_TITLES, default 1000000,
# split into files of at most 450000 titles; BENCH_PIX, default 100000 Pix;
# 0 skips a part).
# Then the same for a camt.053 statement (issue 6): parse alone, and
# `concilia import` into a fresh ledger.
# BENCH_CAMT_ENTRIES (default 100000, 0 skips the camt part).
set -eu
titles=${BENCH_TITLES:-1000000}
pix=${BENCH_PIX:-100000}
# Codecs, second copies and Pix QR PNGs (issues 5 and 6): best of 3, files
# written to a scratch folder. BENCH_PDFS sets how many PDFs and PNGs per
# run (0 skips this part).
codec_render() {
	scratch=$(mktemp -d /tmp/concilia-bench-pdf.XXXXXX)
	"$bin/bench/codec-render" 3 "${BENCH_PDFS:-1000}" "$scratch"
	rm -rf "$scratch"
}
bin=$(pwd)
per_file=450000
work=${BENCH_DIR:-$(mktemp -d /tmp/concilia-bench.XXXXXX)}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ)"
if [ "$titles" -gt 0 ]; then
files=
n=0 first=1 nsa=1
while [ "$n" -lt "$titles" ]; do
	chunk=$((titles - n)); [ "$chunk" -gt "$per_file" ] && chunk=$per_file
	"$bin/bench/gen-cnab240" -n "$chunk" -f "$first" -s "$nsa" -r "$work/recv-$nsa.csv" > "$work/ret-$nsa.ret"
	files="$files $work/ret-$nsa.ret"
	n=$((n + chunk)); first=$((first + chunk)); nsa=$((nsa + 1))
done
bytes=$(cat $files | wc -c)
echo "generated $titles titles in $((nsa - 1)) files, $((bytes / 1000000)) MB"
t0=$(date +%s.%N); cat $files > /dev/null; t1=$(date +%s.%N)
echo "cat (physical floor, cached): $(echo "$bytes / ($t1 - $t0) / 1000000" | bc) MB/s"
for f in $files; do "$bin/bench/parse-cnab" "$f" 3; done
db="$work/bench.db"
rm -f "$db"*
"$bin/concilia" --db "$db" -q init
"$bin/concilia" --db "$db" -q receivables import "$work"/recv-*.csv
/usr/bin/time -f "import: %e s wall, %M KB peak RSS" "$bin/concilia" --db "$db" -q import $files
/usr/bin/time -f "reconcile: %e s wall, %M KB peak RSS" "$bin/concilia" --db "$db" reconcile || true
fi
if [ "$pix" -gt 0 ]; then
	page="$work/pix-page.json"
	"$bin/bench/gen-pix-api" -n "$pix" > "$page"
	echo "generated a GET /pix page of $pix Pix, $(($(wc -c < "$page") / 1000000)) MB, one line"
	"$bin/bench/parse-pix-api" "$page" 3
	db="$work/bench-pix.db"
	rm -f "$db"*
	"$bin/concilia" --db "$db" -q init
	# the page's EM_PROCESSAMENTO devoluções are warnings: counted, not shown
	/usr/bin/time -f "pix import: %e s wall, %M KB peak RSS" "$bin/concilia" --db "$db" import "$page" \
		> "$work/pix-import.out" 2>&1 || true
	grep -v ': warning: ' "$work/pix-import.out" || true
	echo "($(grep -c ': warning: ' "$work/pix-import.out" || true) warnings)"
fi
sh "$(dirname "$0")/ofx.sh" "$bin" "$work"

if [ "${BENCH_CAMT_ENTRIES:-100000}" -gt 0 ]; then
# camt.053: a day of a busy BRL account (bench/gen-camt: Pix credits,
# batches, TEDs, devoluções, debits).
entries=${BENCH_CAMT_ENTRIES:-100000}
"$bin/bench/gen-camt" -n "$entries" > "$work/camt053.xml"
bytes=$(wc -c < "$work/camt053.xml")
echo "generated a camt.053 of $entries entries, $((bytes / 1000000)) MB, $(wc -l < "$work/camt053.xml") lines"
"$bin/bench/parse-camt" "$work/camt053.xml" 3
db="$work/bench-camt.db"
rm -f "$db"*
"$bin/concilia" --db "$db" -q init
t0=$(date +%s.%N)
/usr/bin/time -f "camt import: %e s wall (%U s user, %S s sys), %M KB peak RSS" "$bin/concilia" --db "$db" -q import "$work/camt053.xml"
t1=$(date +%s.%N)
echo "camt import: $(echo "$entries / ($t1 - $t0)" | bc) entries/s, $(echo "$bytes / ($t1 - $t0) / 1000000" | bc) MB/s"
fi
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
[ "${BENCH_PDFS:-1000}" -gt 0 ] && codec_render
# Optional (BENCH_NPM=1): the same BR Codes through the npm libraries
# pix-utils and brazilian-utils, installed into a temporary folder.
if [ "${BENCH_NPM:-0}" = 1 ]; then sh "$(dirname "$0")/pix-compare.sh" "$bin"; fi
