#!/bin/sh
# Real fuzzing with libFuzzer (CI runs it briefly; longer runs by hand).
# Builds every tests/fuzz/fuzz-NAME.c (or only the NAMEs given) with
#   clang -fsanitize=fuzzer,address,undefined
# straight from the sources (src/core/*.c, src/codec/*.c and a freshly
# generated formats_builtin.c, archived so that each target links only what
# it uses), then runs each for ${FUZZ_SECONDS:-20}
# seconds on a corpus seeded from tests/fuzz/seeds-NAME/, samples/, formats/
# (layout target) and the interop bank files when present.
# Exit 0 when no target crashed; 1 otherwise (reproducers: $FUZZ_WORK/NAME/).
# Env: FUZZ_SECONDS, FUZZ_WORK (default: a new temp dir), CLANG, FUZZ_MAX_LEN,
#      CONCILIA_INTEROP.
# Usage: tests/fuzz/run.sh [NAME...]      e.g. FUZZ_SECONDS=60 tests/fuzz/run.sh cnab240
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-20}
cc=${CLANG:-clang}
max_len=${FUZZ_MAX_LEN:-16384}
interop=${CONCILIA_INTEROP:-$top/../shared/interop}
work=${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/concilia-fuzz.XXXXXX")}
mkdir -p "$work/gen/codec"
echo "fuzz work dir: $work"

sh "$top/build-aux/embed-formats.sh" "$top"/formats/*.layout >"$work/gen/codec/formats_builtin.c"
# What configure's config.h provides to the sources (AC_USE_SYSTEM_EXTENSIONS).
cat >"$work/gen/config.h" <<'CONFIG'
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#define PACKAGE "concilia"
#define PACKAGE_VERSION "fuzz"
CONFIG
crypto_libs="$(pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto) $(pkg-config --libs jansson 2>/dev/null || echo -ljansson)"
# the OFX 2 and camt readers use libxml2
xml_cflags=$(pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
xml_libs=$(pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)
cflags="-std=c11 -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined -I$top/src -I$work/gen $xml_cflags $(pkg-config --cflags jansson 2>/dev/null)"
# The library sources (minus a formats_builtin.c left by an in-tree build)
# go into an archive, so that each target links only what it uses.
echo "== building the instrumented libraries"
rm -f "$work/libfuzzdeps.a"
mkdir -p "$work/obj"
for f in "$top"/src/core/*.c "$top"/src/codec/*.c "$work/gen/codec/formats_builtin.c"; do
	case $f in "$top"/src/codec/formats_builtin.c) continue ;; esac
	obj="$work/obj/$(basename "$(dirname "$f")")-$(basename "$f" .c).o"
	# shellcheck disable=SC2086 # cflags is a word list on purpose
	"$cc" $cflags -fsanitize=fuzzer-no-link,address,undefined -c "$f" -o "$obj"
done
ar rcs "$work/libfuzzdeps.a" "$work"/obj/*.o

if [ $# -gt 0 ]; then
	names="$*"
else
	names=$(for f in "$top"/tests/fuzz/fuzz-*.c; do basename "$f" .c | sed 's/^fuzz-//'; done)
fi

status=0
for name in $names; do
	src="$top/tests/fuzz/fuzz-$name.c"
	[ -f "$src" ] || { echo "no such target: $src" >&2; status=1; continue; }
	out="$work/$name"
	mkdir -p "$out/corpus"
	echo "== building fuzz-$name"
	# shellcheck disable=SC2086 # cflags, crypto_libs and xml_libs are word lists on purpose
	"$cc" $cflags -fsanitize=fuzzer,address,undefined -DSHARED_INTEROP_DIR="\"$interop\"" \
		-o "$out/fuzz-$name" "$src" "$work/libfuzzdeps.a" $crypto_libs $xml_libs

	set --
	[ -d "$top/tests/fuzz/seeds-$name" ] && set -- "$@" "$top/tests/fuzz/seeds-$name"
	[ -d "$top/samples" ] && set -- "$@" "$top/samples"
	case $name in
	layout) set -- "$@" "$top/formats" ;;
	cnab*) [ -d "$interop/cnab" ] && set -- "$@" "$interop/cnab" ;;
	ofx) [ -d "$interop/pix/ofx" ] && set -- "$@" "$interop/pix/ofx" ;;
	camt) [ -d "$interop/pix/camt" ] && set -- "$@" "$interop/pix/camt" "$top/tests/data/camt" ;;
	esac
	echo "== fuzzing fuzz-$name for ${seconds}s (seeds: $*)"
	# The first corpus folder is the writable one; seed folders are only read.
	if ! "$out/fuzz-$name" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
		-artifact_prefix="$out/" -print_final_stats=1 "$out/corpus" "$@"; then
		echo "FAIL: fuzz-$name crashed; reproducer(s):" $(ls "$out"/crash-* "$out"/leak-* \
			"$out"/timeout-* "$out"/oom-* 2>/dev/null)
		status=1
	fi
done
exit $status
