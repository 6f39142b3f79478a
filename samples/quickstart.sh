#!/bin/sh
# Quick start: install the Debian packages, build concilia, and run the
# daily job on the bundled samples: create a ledger, import the receivables
# and the bank return, reconcile, print the report.
set -eu
cd "$(dirname "$0")/.."
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
# shellcheck disable=SC2046
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(grep -v '^#' .ci/packages)
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure -q
make -j"$(nproc)"

db=samples-demo.db
rm -f "$db" "$db-wal" "$db-shm"
set -x
./concilia --db "$db" init
./concilia --db "$db" receivables import samples/receivables.csv
./concilia --db "$db" import samples/retorno-bradesco-240.ret
./concilia --db "$db" reconcile || true   # exit 1: the samples hold mismatches on purpose
./concilia --db "$db" report
