#!/bin/sh
# concilia's BR Code encoder and decoder beside the npm libraries pix-utils
# (2.8.x) and @brazilian-utils/brazilian-utils (2.x), on the same codes in
# the same run (issue 6). The libraries are installed with npm into a
# temporary folder, removed afterwards: nothing is committed or kept.
# Skipped, saying so, when node or npm is missing or the install fails.
# Run from the build directory (make bench/pix-payloads first), or with
# BENCH_NPM=1 from bench/run.sh. BENCH_PIX_CODES codes (default 100000).
set -u
bin=${1:-$(pwd)}
here=$(cd "$(dirname "$0")" && pwd)
codes=${BENCH_PIX_CODES:-100000}
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
	echo "pix-compare: skipped (node or npm not found)"
	exit 0
fi
work=$(mktemp -d /tmp/concilia-pix-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
if ! (cd "$work" && npm init -y > /dev/null 2>&1 &&
	npm install --no-audit --no-fund --no-save --loglevel=error \
		pix-utils@2.8 @brazilian-utils/brazilian-utils@2 > npm.log 2>&1); then
	echo "pix-compare: skipped (npm install failed:)"
	tail -5 "$work/npm.log"
	exit 0
fi
"$bin/bench/pix-payloads" -n "$codes" "$work/codes.tsv" > "$work/concilia.out" || exit 1
enc=$(awk '$2 == "encode" {print $3}' "$work/concilia.out")
dec=$(awk '$2 == "decode" {print $3}' "$work/concilia.out")
node "$here/pix-compare.mjs" "$work/codes.tsv" "$work" "$enc" "$dec" 3
