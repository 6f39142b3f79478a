#!/bin/sh
# Import benchmark (issue 3): generates CNAB 240 returns, measures the
# physical floor (cat), parse+validate without the database, and the full
# import of every file into a fresh SQLite ledger, then reconciles.
# Run from the build directory: `make bench` (BENCH_TITLES, default 1000000,
# split into files of at most 450000 titles).
set -eu
titles=${BENCH_TITLES:-1000000}
bin=$(pwd)
# Codecs and second copies (issues 5 and 6): best of 3, PDFs written to a
# scratch folder. BENCH_PDFS sets how many per run.
codec_render() {
	scratch=$(mktemp -d /tmp/concilia-bench-pdf.XXXXXX)
	"$bin/bench/codec-render" 3 "${BENCH_PDFS:-1000}" "$scratch"
	rm -rf "$scratch"
}
if [ "$titles" = 0 ]; then
	echo "machine: $(nproc) cores, $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ)"
	codec_render
	exit 0
fi
per_file=450000
work=${BENCH_DIR:-$(mktemp -d /tmp/concilia-bench.XXXXXX)}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ)"
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
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
codec_render
