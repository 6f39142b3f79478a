#!/bin/sh
# make check: replays the fuzz corpora through the standalone builds of the
# fuzz targets ($top_builddir/tests/fuzz/fuzz-NAME, built with the ordinary
# compiler and, under --enable-sanitizers, ASan+UBSan). Inputs per target:
# tests/fuzz/seeds-NAME/, plus formats/ for the layout target and the
# interop bank files (every folder of ../shared/interop/cnab) for the CNAB
# targets, ../shared/interop/pix/ofx for the OFX one, tests/data/camt and interop/pix/camt for
# the camt one, when they exist. A crash or sanitizer report fails.
# Exit: 0 pass, 1 fail, 77 skip (no target built, nothing to replay).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
interop="${CONCILIA_INTEROP:-$top_srcdir/../shared/interop}"

ran=0 failed=0
for bin in "$top_builddir"/tests/fuzz/fuzz-*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	case $bin in *.o | *.c | *.log | *.trs | *.sh) continue ;; esac
	name=${bin##*/fuzz-}
	set --
	seeds="$top_srcdir/tests/fuzz/seeds-$name"
	[ -d "$seeds" ] && set -- "$@" "$seeds"
	case $name in
	layout)
		set -- "$@" "$top_srcdir/formats"
		;;
	ofx)
		[ -d "$interop/pix/ofx" ] && set -- "$@" "$interop/pix/ofx"
		;;
	camt)
		set -- "$@" "$top_srcdir/tests/data/camt"
		[ -d "$interop/pix/camt" ] && set -- "$@" "$interop/pix/camt"
		;;
	cnab*)
		if [ -d "$interop/cnab" ]; then
			# the standalone driver reads one level per folder: name them all
			for d in $(find "$interop/cnab" -type d | sort); do
				set -- "$@" "$d"
			done
		fi
		;;
	esac
	if [ $# -eq 0 ]; then
		echo "SKIP: $name: no seeds"
		continue
	fi
	"$bin" "$@"
	rc=$?
	case $rc in
	0) ran=$((ran + 1)) ;;
	77) echo "SKIP: $name: no inputs" ;;
	*)
		echo "FAIL: $bin exited with $rc"
		failed=$((failed + 1))
		;;
	esac
done

[ "$failed" -eq 0 ] || exit 1
if [ "$ran" -eq 0 ]; then
	echo "SKIP: no fuzz target built or nothing to replay"
	exit 77
fi
exit 0
