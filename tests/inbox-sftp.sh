#!/bin/sh
# The drop folder with the real thing: OpenSSH's sshd on a loopback port
# (a throwaway host key and user key made here, internal-sftp only), return
# files uploaded with the sftp client into the folder `concilia watch
# --settle 2` watches:
#   - a file uploaded at full speed: imported once;
#   - a file uploaded slowly (bandwidth limit, small write buffer), which
#     the watch sees half-written and must leave alone until it is closed
#     and quiet: imported once, after the upload, never a partial copy;
#   - a file uploaded in two parts (put of its first half, reput of the
#     rest a few seconds later, during the slow upload): without its
#     trailer it waits, then imported once;
#   - a file whose upload stops half-way: rejected as truncated after
#     --incomplete-timeout, with its .error.txt;
#   - a file uploaded under a temporary name and renamed: taken once renamed;
#   - a second copy of the first file: filed in duplicates/.
# Then SIGTERM: the watch exits by itself with the status of what it did.
# Skips (exit 77, saying why) where sshd cannot run (not installed, no
# privilege separation folder and no right to make it, no free port).
# Env: top_srcdir, CONCILIA (make check sets both).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${CONCILIA:=$top_srcdir/concilia}"
sshd=/usr/sbin/sshd
skip() {
	echo "SKIP: $*"
	exit 77
}
[ -x "$sshd" ] || skip "no $sshd (Debian package openssh-server)"
command -v sftp > /dev/null || skip "no sftp client (openssh-client)"
command -v ssh-keygen > /dev/null || skip "no ssh-keygen (openssh-client)"
command -v sqlite3 > /dev/null || skip "sqlite3 (the shell) is needed to check the ledger"

work=$(mktemp -d "${TMPDIR:-/tmp}/concilia-sftp.XXXXXX") || exit 99
sshd_pid= watch_pid=
cleanup() {
	[ -n "$watch_pid" ] && kill "$watch_pid" 2> /dev/null
	[ -n "$sshd_pid" ] && kill "$sshd_pid" 2> /dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# ---- sshd on 127.0.0.1, keys and configuration of its own
# Run as root, sshd wants its privilege separation folder (the system's
# service unit makes it; a fresh machine may not have it yet).
if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then
	mkdir -p /run/sshd 2> /dev/null && chmod 0755 /run/sshd || skip "cannot create /run/sshd"
fi
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key" || skip "ssh-keygen failed"
ssh-keygen -q -t ed25519 -N '' -f "$work/user_key" || skip "ssh-keygen failed"
cp "$work/user_key.pub" "$work/authorized_keys"
inbox="$work/inbox"
mkdir -p "$inbox"
user=$(id -un)
cat > "$work/sshd_config" << EOF
ListenAddress 127.0.0.1
HostKey $work/host_key
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
AllowUsers $user
Subsystem sftp internal-sftp
ForceCommand internal-sftp
LogLevel ERROR
EOF
# sftp FLAGS... < BATCH
upload() {
	sftp -q -b - -i "$work/user_key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR -o BatchMode=yes -P "$port" "$@" "$user@127.0.0.1" > "$work/sftp.log" 2>&1
}
upload2() { # a second session, while the first is busy
	sftp -q -b - -i "$work/user_key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR -o BatchMode=yes -P "$port" "$@" "$user@127.0.0.1" > "$work/sftp2.log" 2>&1
}
ok=
for try in 1 2 3 4 5 6; do
	port=$((20000 + ($$ * 7 + try * 7919) % 40000))
	"$sshd" -D -e -f "$work/sshd_config" -p "$port" 2> "$work/sshd.log" &
	sshd_pid=$!
	# up when an sftp session works; gone when it could not bind
	for _ in $(seq 1 40); do
		kill -0 "$sshd_pid" 2> /dev/null || break
		if echo "ls" | upload; then
			ok=1
			break
		fi
		sleep 0.25
	done
	[ -n "$ok" ] && break
	kill "$sshd_pid" 2> /dev/null
	wait "$sshd_pid" 2> /dev/null
	sshd_pid=
	grep -q 'in use' "$work/sshd.log" || break
done
[ -n "$ok" ] || skip "sshd cannot serve sftp here: $(head -c 300 "$work/sshd.log") $(head -c 300 "$work/sftp.log")"
echo "sshd on 127.0.0.1:$port"

# ---- the files (generated from the sample: NSA and a tag in the nosso números)
gen240() { # NSA TAG
	awk -v nsa="$1" -v k="$2" '{
		if (NR == 1) $0 = substr($0, 1, 157) sprintf("%06d", nsa) substr($0, 164)
		else if (substr($0, 14, 1) == "T") $0 = substr($0, 1, 44) sprintf("%02d", k) substr($0, 47)
		print }' "$top_srcdir/samples/retorno-bradesco-240.ret"
}
src="$work/src"
mkdir -p "$src"
gen240 101 1 > "$src/fast.ret"
gen240 102 2 > "$src/slow.ret"
gen240 103 3 > "$src/twopart.ret"
gen240 104 4 > "$src/cut.ret"
gen240 105 5 > "$src/renamed.ret"
head -n 12 "$src/twopart.ret" > "$src/twopart.half"
head -n 12 "$src/cut.ret" > "$src/cut.half"
sha() { sha256sum "$1" | cut -c1-64; }
db="$work/c.db"
CONCILIA_DB="$db" "$CONCILIA" -q init > /dev/null || { echo "FAIL: init"; exit 1; }
imported() { # SHA: how many imports have these bytes
	sqlite3 "$db" "select count(*) from import where sha256 = '$1'" 2> /dev/null || echo "?"
}

CONCILIA_DB="$db" "$CONCILIA" -v watch --settle 2 --incomplete-timeout 8 "$inbox" > "$work/watch.log" 2>&1 &
watch_pid=$!
sleep 0.5
kill -0 "$watch_pid" 2> /dev/null || { cat "$work/watch.log"; echo "FAIL: watch did not start"; exit 1; }

# full speed, a temporary name renamed, the first halves of two files
upload << EOF || fail "upload: $(cat "$work/sftp.log")"
put $src/fast.ret $inbox/fast.ret
put $src/renamed.ret $inbox/renamed.ret.filepart
rename $inbox/renamed.ret.filepart $inbox/renamed.ret
put $src/twopart.half $inbox/twopart.ret
put $src/cut.half $inbox/cut.ret
EOF

# slowly: 1 KiB writes at 8 kbit/s, while this shell looks at the folder
full=$(wc -c < "$src/slow.ret")
echo "put $src/slow.ret $inbox/slow.ret" | upload -B 1024 -l 8 &
sftp_pid=$!
half_seen=0 early=0 reput=
t0=$(date +%s)
# meanwhile, twopart.ret waits without its trailer; 3 s on, the rest of it
rest_of_twopart() {
	reput=1
	[ -f "$inbox/twopart.ret" ] || fail "twopart.ret (no trailer yet) was taken before its rest arrived"
	grep -q 'twopart.ret: waiting: no trailer' "$work/watch.log" ||
		fail "watch never said twopart.ret had no trailer yet"
	echo "reput $src/twopart.ret $inbox/twopart.ret" | upload2 || fail "reput: $(cat "$work/sftp2.log")"
}
while kill -0 "$sftp_pid" 2> /dev/null; do
	[ -z "$reput" ] && [ $(($(date +%s) - t0)) -ge 3 ] && rest_of_twopart
	size=$(stat -c %s "$inbox/slow.ret" 2> /dev/null || echo 0)
	if [ "$size" -gt 0 ] && [ "$size" -lt "$full" ]; then
		half_seen=$((half_seen + 1))
		n=$(imported "$(sha "$inbox/slow.ret" 2> /dev/null)")
		[ "$n" = 0 ] || early=$((early + 1))
		sqlite3 "$db" "select filename from import" 2> /dev/null | grep -q 'slow\.ret' && early=$((early + 1))
	fi
	sleep 0.3
done
wait "$sftp_pid" || fail "slow upload: $(cat "$work/sftp.log")"
[ "$half_seen" -gt 0 ] || fail "the slow upload was never seen half-written (bandwidth limit too high?)"
[ "$early" -eq 0 ] || fail "slow.ret was imported while still being written"
echo "slow.ret seen half-written $half_seen times, never taken early"

[ -n "$reput" ] || rest_of_twopart
# and a second copy of the first file
echo "put $src/fast.ret $inbox/fast-again.ret" | upload || fail "upload: $(cat "$work/sftp.log")"

# wait for the folder to empty (cut.ret goes after --incomplete-timeout)
for _ in $(seq 1 100); do
	[ -z "$(find "$inbox" -maxdepth 1 -type f)" ] && break
	sleep 0.25
done
sleep 0.5
kill -TERM "$watch_pid"
wait "$watch_pid"
rc=$?
watch_pid=
echo "watch exited with status $rc after SIGTERM"
[ "$rc" -eq 1 ] || fail "watch exit status $rc, want 1 (a file was rejected; the payments match no receivable)"
grep -q 'stopped by a signal' "$work/watch.log" || fail "watch did not say it stopped on the signal"

# ---- what came of each file
left=$(find "$inbox" -maxdepth 1 -type f)
[ -z "$left" ] || fail "left in the drop folder: $left"
for f in fast slow twopart renamed; do
	n=$(imported "$(sha "$src/$f.ret")")
	[ "$n" = 1 ] || fail "$f.ret imported $n times"
	[ -n "$(find "$inbox/processed" -name "$f.ret")" ] || fail "$f.ret is not in processed/"
done
n=$(sqlite3 "$db" "select count(*) from import")
[ "$n" = 4 ] || fail "$n imports, want 4 (a partial file imported?)"
[ "$(imported "$(sha "$src/twopart.half")")" = 0 ] || fail "the first half of twopart.ret was imported"
[ -n "$(find "$inbox/duplicates" -name fast-again.ret)" ] || fail "fast-again.ret is not in duplicates/"
cut=$(find "$inbox/rejected" -name cut.ret)
if [ -z "$cut" ]; then
	fail "cut.ret is not in rejected/"
else
	grep -q 'taken as truncated' "$cut.error.txt" || fail "cut.ret.error.txt does not say truncated: $(cat "$cut.error.txt")"
	cmp -s "$cut" "$src/cut.half" || fail "rejected/cut.ret is not the bytes uploaded"
fi
grep -q 'slow.ret: waiting' "$work/watch.log" || fail "watch never said slow.ret was still arriving"
grep -q 'sanitizer\|runtime error' "$work/watch.log" && fail "sanitizer report: $(grep -A5 'sanitizer\|runtime error' "$work/watch.log")"
ls "$inbox/reports"/*.json > /dev/null 2>&1 || fail "no run report written"
if [ "$failures" -ne 0 ]; then
	echo "--- watch output"
	cat "$work/watch.log"
	echo "inbox-sftp: $failures check(s) failed"
	exit 1
fi
echo "inbox-sftp: every check passed"
exit 0
