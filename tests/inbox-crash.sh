#!/bin/sh
# The drop-folder hook survives SIGKILL at any instant: a batch of return
# files (valid CNAB 240 and 400, damaged, truncated, duplicates, a sequence
# conflict) is dropped into a folder a few files at a time while
# `concilia inbox` is started and killed with SIGKILL after a random delay,
# again and again; then it runs to the end. Afterwards:
#   - the drop folder is empty;
#   - every original is in exactly one of processed/, rejected/,
#     duplicates/, under its own name, in the folder its kind calls for,
#     and no byte was lost (SHA-256 of every original before = after);
#   - every distinct valid file was imported exactly once, and the ledger
#     holds the same imports, events and outcome counts as one
#     uninterrupted run over the same files;
#   - every file has one intake row, marked filed; every notice was handed
#     to the attention command (at least once);
#   - no temporary copy is left behind.
# Last, `watch` gets SIGTERM in the middle of an import: it finishes that
# file (imported, filed) and exits by itself.
# Phase 1 files into the drop folder itself; phase 2 into an archive on
# another file system, where moves are copy + fsync + rename +
# remove (skipped, saying so, when there is no second file system). CONCILIA_TEST_DELAY_MS (README "Drop folder") widens the windows
# inside the import transaction and between a commit and its move, so that
# the kills land there often.
# Env: top_srcdir, CONCILIA (make check sets both); CRASH_SEED to replay
# one sequence of delays; CRASH_ITERATIONS (default 30: the kills wanted per
# phase; fewer than a third of them fails the test).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${CONCILIA:=$top_srcdir/concilia}"
command -v sqlite3 > /dev/null || { echo "SKIP: sqlite3 (the shell) is needed to check the ledger"; exit 77; }
# The work goes to memory (/dev/shm) when there is one: the hook fsyncs
# every step, which on a disk would make this test slow, and a kill does
# not need the disk to lose nothing. The second phase then files onto the
# disk ($TMPDIR), the other file system.
work= other=
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	work=$(mktemp -d /dev/shm/concilia-crash.XXXXXX) || work=
fi
[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/concilia-crash.XXXXXX") || exit 99
cleanup() {
	rm -rf "$work"
	[ -n "$other" ] && rm -rf "$other"
}
trap cleanup EXIT INT TERM

seed=${CRASH_SEED:-$(( $(date +%s) % 100000 + $$ ))}
seed0=$seed
echo "seed $seed (CRASH_SEED=$seed replays it)"
rand() { # rand N: 0..N-1, from a linear congruential generator
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	r=$(( seed / 65536 % $1 ))
}
iterations=${CRASH_ITERATIONS:-30}
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# ---- the batch, generated from the samples (nothing copied from elsewhere)
batch="$work/batch"
mkdir -p "$batch"
sample="$top_srcdir/samples/retorno-bradesco-240.ret"
seed400="$top_srcdir/tests/fuzz/seeds-cnab400/itau-lf.ret"
damaged="$top_srcdir/tests/cases/import-damaged/nondigit.ret"
# CNAB 240: NSA (header 158-163) and a tag in every nosso número (T 45-46).
gen240() { # NSA TAG [COMPANY]
	awk -v nsa="$1" -v k="$2" -v co="${3:-}" '{
		if (NR == 1) {
			$0 = substr($0, 1, 157) sprintf("%06d", nsa) substr($0, 164)
			if (co != "") $0 = substr($0, 1, 72) sprintf("%-30s", co) substr($0, 103)
		} else if (substr($0, 14, 1) == "T") $0 = substr($0, 1, 44) sprintf("%02d", k) substr($0, 47)
		print }' "$sample"
}
# CNAB 400: the nosso número of its detail (63-70).
gen400() { # TAG
	awk -v k="$1" '{ if (substr($0, 1, 1) == "1") $0 = substr($0, 1, 62) sprintf("%08d", k) substr($0, 71); print }' "$seed400"
}
for i in $(seq 1 16); do gen240 $((100 + i)) "$i" > "$batch/r240-$i.ret"; done
for i in $(seq 1 10); do gen400 $((500 + i)) > "$batch/r400-$i.ret"; done
# damaged (a letter in an amount), each with its own NSA so the bytes differ
for i in $(seq 1 5); do
	awk -v nsa=$((200 + i)) '{ if (NR == 1) $0 = substr($0, 1, 157) sprintf("%06d", nsa) substr($0, 164); print }' \
		"$damaged" > "$batch/bad-$i.ret"
done
# duplicates: the same bytes as r240-1..4 under other names
for i in 1 2 3 4; do cp "$batch/r240-$i.ret" "$batch/dup-$i.ret"; done
# a sequence conflict: NSA of r240-16, other bytes (the company name)
gen240 116 16 "OUTRA EMPRESA LTDA" > "$batch/x-conflict.ret"
# truncated: no lote or file trailer (rejected at once: --incomplete-timeout 0)
gen240 300 30 | head -n 10 > "$batch/trunc-1.ret"
nfiles=$(ls "$batch" | wc -l)
(cd "$batch" && sha256sum -- * | sort) > "$work/originals.sha"

# ---- the reference: one uninterrupted run over the whole batch
ref="$work/ref"
mkdir -p "$ref/in"
cp "$batch"/* "$ref/in/"
CONCILIA_DB="$ref/c.db" "$CONCILIA" -q init > /dev/null || { echo "FAIL: init"; exit 1; }
CONCILIA_DB="$ref/c.db" "$CONCILIA" -q inbox --settle 0 --incomplete-timeout 0 "$ref/in" > /dev/null 2>&1
ledger_summary() { # DB: what must not depend on kills
	sqlite3 "$1" "select 'imports', status, count(*) from import group by status;
		select 'events', count(*), sum(paid_cents) from event;
		select 'outcomes', category, count(*) from outcome group by category order by category;
		select 'intake', status, count(*), count(filed_at) from intake group by status;"
}
ledger_summary "$ref/c.db" > "$work/ref.summary"

# ---- one phase: drop, start, kill, repeat; finish; check
phase() { # NAME ARCHIVE (empty: inside the drop folder)
	name=$1 archive=$2
	dir="$work/$name"
	inbox="$dir/in"
	db="$dir/c.db"
	mkdir -p "$inbox"
	arch=${archive:-$inbox}
	set -- # the archive option, if any
	[ -n "$archive" ] && set -- --archive "$archive"
	CONCILIA_DB="$db" "$CONCILIA" -q init > /dev/null
	# the order files arrive in: a shuffle of the batch
	for f in $(ls "$batch"); do rand 100000; echo "$r $f"; done | sort -n | cut -d' ' -f2 > "$dir/order"
	exec 3< "$dir/order"
	kills=0 it=0 scale=100 more=1
	# Runs go on while files are still arriving or waiting, and until
	# enough runs were really killed in the middle of their work (within a
	# cap). The kill instant is drawn from the time the files should take,
	# scaled down each time a run finished before its kill (a fast machine)
	# and back up each time the kill landed, so that kills land on any
	# machine.
	while [ "$it" -lt $((iterations * 6)) ]; do
		# a careful client: upload under a temporary name, rename when done
		rand 2
		k=$r
		while [ "$more" = 1 ] && [ "$k" -ge 0 ]; do
			if read -r f <&3; then
				cp "$batch/$f" "$inbox/$f.part" && mv "$inbox/$f.part" "$inbox/$f"
			else
				more=0
			fi
			k=$((k - 1))
		done
		n=0
		for f in "$inbox"/*; do [ -f "$f" ] && n=$((n + 1)); done
		if [ "$n" -eq 0 ]; then
			[ "$more" = 1 ] && continue
			break # nothing left to interrupt
		fi
		[ "$more" = 0 ] && [ "$kills" -ge "$iterations" ] && break
		it=$((it + 1))
		rand 4
		delay=$(((r + 1) * (r + 1) * 8)) # 8, 32, 72 or 128 ms at each interesting point
		CONCILIA_DB="$db" CONCILIA_TEST_DELAY_MS=$delay "$CONCILIA" -q inbox --settle 0 --incomplete-timeout 0 \
			--on-attention 'echo "$CONCILIA_STATUS $CONCILIA_FILE" >> "$CONCILIA_INBOX/../hooks.log"' "$@" \
			"$inbox" > /dev/null 2>> "$dir/stderr.log" &
		pid=$!
		# Its start-up is over once it holds the ledger lock (the lock file
		# then holds its pid); the kill comes at a random instant of the
		# time its files should take.
		for _ in $(seq 1 400); do
			holder=
			{ read -r holder < "$db.lock"; } 2> /dev/null
			[ "$holder" = "$pid" ] && break
			kill -0 "$pid" 2> /dev/null || break
			sleep 0.01
		done
		rand $(((n * (3 * delay + 40) + 30) * scale / 100 + 1))
		sleep "$((r / 1000)).$(printf '%03d' $((r % 1000)))"
		kill -9 "$pid" 2> /dev/null
		wait "$pid" 2> /dev/null
		if [ $? -eq 137 ]; then # killed by SIGKILL, not finished first
			kills=$((kills + 1))
			scale=$((scale * 5 / 4 > 100 ? 100 : scale * 5 / 4))
		else
			scale=$((scale / 2 < 5 ? 5 : scale / 2))
		fi
	done
	# the rest of the batch, then runs to the end (the last must find nothing to do)
	while read -r f <&3; do cp "$batch/$f" "$inbox/$f"; done
	exec 3<&-
	CONCILIA_DB="$db" "$CONCILIA" -q inbox --settle 0 --incomplete-timeout 0 \
		--on-attention 'echo "$CONCILIA_STATUS $CONCILIA_FILE" >> "$CONCILIA_INBOX/../hooks.log"' "$@" \
		"$inbox" > /dev/null 2>> "$dir/stderr.log"
	CONCILIA_DB="$db" "$CONCILIA" inbox --settle 0 "$@" "$inbox" > "$dir/last.out" 2>&1
	rc=$?
	echo "$name: $it runs, $kills killed by SIGKILL"
	# not a correctness check: a run of this test that killed (almost)
	# nothing tested nothing
	[ "$kills" -ge $((iterations / 3)) ] || fail "$name: only $kills runs were killed; the delays do not fit this machine"
	[ "$rc" -eq 0 ] || fail "$name: a run after the end exited $rc: $(cat "$dir/last.out")"
	[ -s "$dir/last.out" ] && fail "$name: a run after the end still had something to do: $(cat "$dir/last.out")"

	# nothing left in the drop folder
	left=$(find "$inbox" -maxdepth 1 -type f | wc -l)
	[ "$left" -eq 0 ] || fail "$name: $left file(s) left in the drop folder: $(ls "$inbox")"
	# every original exactly once, under its own name, no byte lost
	find "$arch/processed" "$arch/rejected" "$arch/duplicates" -type f ! -name '*.error.txt' \
		-exec sha256sum {} + 2> /dev/null | sed 's|  .*/|  |' | sort > "$dir/filed.sha"
	cmp -s "$work/originals.sha" "$dir/filed.sha" ||
		fail "$name: filed files differ from the originals: $(diff "$work/originals.sha" "$dir/filed.sha")"
	partial=$(find "$arch" "$inbox" -name '.concilia-partial.*' | wc -l)
	[ "$partial" -eq 0 ] || fail "$name: temporary copies left: $(find "$arch" "$inbox" -name '.concilia-partial.*')"
	# each kind in its folder: "KIND NAME" for every filed original
	find "$arch/processed" "$arch/rejected" "$arch/duplicates" -type f ! -name '*.error.txt' |
		sed "s|^$arch/||; s|/[^/]*/| |" | sort > "$dir/filed.kinds"
	find "$arch/rejected" -name '*.error.txt' | sed 's|.*/||; s|\.error\.txt$||' | sort > "$dir/error.txt.list"
	awk -v name="$name" '
		FILENAME ~ /error.txt.list$/ { err[$1] = 1; next }
		{ kind[$2] = $1 }
		function want(f, k) { if (kind[f] != k) { printf "%s: %s is in %s/, not %s/\n", name, f, kind[f], k; bad = 1 } }
		function pair(a, b, k1, k2) {
			if (!((kind[a] == k1 && kind[b] == k2) || (kind[a] == k2 && kind[b] == k1))) {
				printf "%s: %s in %s/ and %s in %s/: want one in %s/, one in %s/\n", name, a, kind[a], b, kind[b], k1, k2
				bad = 1
			}
		}
		END {
			for (f in kind) {
				if (f ~ /^(bad|trunc)-/) { want(f, "rejected"); if (!(f in err)) { printf "%s: %s has no .error.txt\n", name, f; bad = 1 } }
				else if (f ~ /^r400-/ || (f ~ /^r240-/ && f !~ /^r240-([1-4]|16)\.ret$/)) want(f, "processed")
			}
			for (i = 1; i <= 4; i++) pair("r240-" i ".ret", "dup-" i ".ret", "processed", "duplicates")
			pair("r240-16.ret", "x-conflict.ret", "processed", "rejected")
			exit bad
		}' "$dir/error.txt.list" "$dir/filed.kinds" > "$dir/kinds.out" || fail "$(cat "$dir/kinds.out")"

	# the ledger: as if nothing had been killed
	ledger_summary "$db" > "$dir/summary"
	diff "$work/ref.summary" "$dir/summary" > "$dir/summary.diff" ||
		fail "$name: the ledger differs from an uninterrupted run: $(cat "$dir/summary.diff")"
	n=$(sqlite3 "$db" "select count(*) from (select sha256 from import group by sha256 having count(*) > 1)")
	[ "$n" -eq 0 ] || fail "$name: $n file(s) imported twice"
	n=$(sqlite3 "$db" "select count(distinct name) || ' ' || count(*) || ' ' || count(filed_at) from intake")
	[ "$n" = "$nfiles $nfiles $nfiles" ] || fail "$name: intake rows (names, rows, filed): $n, want $nfiles of each"
	n=$(sqlite3 "$db" "select count(*) from intake_notice where notified_at is null")
	[ "$n" -eq 0 ] || fail "$name: $n notice(s) never handed to the attention command"
	# at least once for each rejected or held file
	for f in $(sqlite3 "$db" "select destination from intake where status in ('rejected', 'held')"); do
		grep -q " $f\$" "$dir/hooks.log" 2> /dev/null || fail "$name: no attention command for $f"
	done
	if grep -qi 'sanitizer\|runtime error' "$dir/stderr.log"; then
		fail "$name: sanitizer report: $(grep -i -A5 'sanitizer\|runtime error' "$dir/stderr.log" | head -20)"
	fi
}

phase same-fs ""
case $work in
/dev/shm/*) other=$(mktemp -d "${TMPDIR:-/tmp}/concilia-crash.XXXXXX") ;;
*) [ -d /dev/shm ] && [ -w /dev/shm ] && other=$(mktemp -d /dev/shm/concilia-crash.XXXXXX) ;;
esac
if [ -n "$other" ] && [ "$(stat -c %d "$other")" != "$(stat -c %d "$work")" ]; then
	phase other-fs "$other"
else
	echo "SKIP (part): no second file system (/dev/shm and \$TMPDIR are one); moves across file systems not exercised"
fi
# ---- SIGTERM: `watch` finishes the file in hand, then exits by itself
t="$work/term"
mkdir -p "$t/in"
CONCILIA_DB="$t/c.db" "$CONCILIA" -q init > /dev/null
CONCILIA_DB="$t/c.db" CONCILIA_TEST_DELAY_MS=1500 "$CONCILIA" watch --settle 0 "$t/in" > "$t/out" 2>&1 &
pid=$!
sleep 0.5
cp "$batch/r400-1.ret" "$t/in/.r400-1.ret" && mv "$t/in/.r400-1.ret" "$t/in/r400-1.ret"
# inside the file's import now (the test delay holds it there for 1.5 s)
sleep 0.7
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 1 ] || fail "SIGTERM: watch exited with $rc, want 1 (its payment matches no receivable): $(cat "$t/out")"
[ -n "$(find "$t/in/processed" -name r400-1.ret 2> /dev/null)" ] ||
	fail "SIGTERM: the file in hand was not finished: $(cat "$t/out")"
[ "$(sqlite3 "$t/c.db" "select count(*) from import")" = 1 ] || fail "SIGTERM: the file in hand was not imported"
grep -q 'stopped by a signal' "$t/out" || fail "SIGTERM: watch did not say it stopped: $(cat "$t/out")"
echo "SIGTERM during an import: the file was finished and filed, watch exited with $rc"

if [ "$failures" -ne 0 ]; then
	echo "inbox-crash: $failures check(s) failed (CRASH_SEED=$seed0)"
	exit 1
fi
echo "inbox-crash: every check passed"
exit 0
