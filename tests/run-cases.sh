#!/bin/sh
# End-to-end command tests (style of jq/curl test data): each folder
# tests/cases/NAME/ holds `cmd` (one shell command per line, `concilia` being
# the binary under test), any input files, and `expected`: every command line,
# its merged stdout/stderr and its exit status. Commands run in a fresh
# directory holding a copy of the case folder and a link `samples` to
# samples/. REGEN=1 rewrites the expected files (review the diff!).
# Env: top_srcdir, top_builddir / CONCILIA (set by make check).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${CONCILIA:=$top_srcdir/concilia}"
cases_dir="$top_srcdir/tests/cases"
interop="${CONCILIA_INTEROP:-$top_srcdir/../shared/interop}"
work=$(mktemp -d "${TMPDIR:-/tmp}/concilia-cases.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$CONCILIA" > "$work/bin/concilia"
chmod +x "$work/bin/concilia"

pass=0 fail=0 skip=0
for dir in "$cases_dir"/*/; do
	name=$(basename "$dir")
	[ -f "$dir/cmd" ] || continue
	if grep -q 'INTEROP' "$dir/cmd" && [ ! -d "$interop" ]; then
		echo "SKIP: $name (needs $interop, not present)"
		skip=$((skip + 1))
		continue
	fi
	run="$work/$name"
	mkdir -p "$run"
	cp -R "$dir/." "$run/"
	ln -s "$top_srcdir/samples" "$run/samples"
	actual="$work/$name.actual"
	: > "$actual"
	while IFS= read -r line || [ -n "$line" ]; do
		case "$line" in '' | '#'*) continue ;; esac
		printf '$ %s\n' "$line" >> "$actual"
		(cd "$run" && PATH="$work/bin:$PATH" INTEROP="$interop" \
			CONCILIA_NOW=2026-11-24T11:00:00Z CONCILIA_TODAY=2026-11-24 CONCILIA_ACTOR=tester \
			CONCILIA_DB= LC_ALL=C.UTF-8 sh -c "$line" >> "$actual" 2>&1 < /dev/null)
		printf '[exit %d]\n' $? >> "$actual"
	done < "$dir/cmd"
	# Paths that depend on where the tree lives are not part of the result.
	sed -i -e "s|$interop|INTEROP|g" -e "s|$run|.|g" "$actual"
	if [ "${REGEN:-0}" = 1 ]; then
		cp "$actual" "$dir/expected"
		echo "REGEN: $name"
		continue
	fi
	if [ -f "$dir/expected" ] && diff -u "$dir/expected" "$actual" > "$work/$name.diff"; then
		echo "PASS: $name"
		pass=$((pass + 1))
	else
		echo "FAIL: $name"
		cat "$work/$name.diff" 2>/dev/null || echo "(no expected file)"
		fail=$((fail + 1))
	fi
done
echo "cases: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || exit 1
[ "$pass" -gt 0 ] || exit 77
exit 0
