#!/bin/sh
# OFX part of the benchmark (called by bench/run.sh, or alone from the build
# directory: `sh ../bench/ofx.sh`): generates one statement of
# BENCH_OFX_TRANSACTIONS (default 100000) transactions as OFX 1.02 SGML and
# as OFX 2.1.1 XML (bench/gen-ofx), measures the reader alone
# (bench/parse-ofx, best of 3) and the full import into a fresh ledger.
set -eu
n=${BENCH_OFX_TRANSACTIONS:-100000}
bin=${1:-$(pwd)}
work=${2:-$(mktemp -d /tmp/concilia-bench-ofx.XXXXXX)}
"$bin/bench/gen-ofx" -n "$n" > "$work/stmt-sgml.ofx"
"$bin/bench/gen-ofx" -n "$n" -x > "$work/stmt-xml.ofx"
for f in "$work/stmt-sgml.ofx" "$work/stmt-xml.ofx"; do
	"$bin/bench/parse-ofx" "$f" 3
	db="$work/ofx.db"
	rm -f "$db" "$db"-* && rm -rf "$db.files"
	"$bin/concilia" --db "$db" -q init
	/usr/bin/time -f "import $(basename "$f"): %e s wall (%U s user, %S s sys), %M KB peak RSS" "$bin/concilia" --db "$db" -q import "$f"
done
[ -n "${2:-}" ] || rm -rf "$work"
