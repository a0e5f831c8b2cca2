#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The setuid case of unprivileged rnullfs: an unprivileged user who masks
# the configuration of real setuid-root programs -- /etc/pam.d with a
# directory mount, /etc/shadow with an -o file mount, by nullmask in a user
# namespace -- and runs them there gains nothing: the programs run without
# root's privilege (the kernel ignores a setuid to a uid the namespace does
# not map), fail, and change nothing outside the namespace.
#
# The programs are the host's own su, passwd and mount (setuid root), run
# in the host's root (vm-run --host-root) as the host's user nobody.
# A program that waits for a password is looked at while it waits: its
# effective uid, from /proc/PID/status, seen from the guest's init user
# namespace. The control, outside any user namespace: the same su and
# passwd wait with effective uid 0, so the setuid bit does work in this
# guest, and the test can tell.
#
# Output: kselftest TAP, ending with the harness's "# Totals:" line.
# shellcheck shell=dash

# A mount namespace of its own, so that whatever it mounts goes with it.
if [ -z "${RNULLFS_OWN_MOUNT_NS:-}" ]; then
	RNULLFS_OWN_MOUNT_NS=1 exec unshare -m --propagation private "$0" "$@"
fi

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/helpers.sh
. "$here/helpers.sh"
TESTS="control_su_and_passwd_run_setuid_root_here nullmask_as_nobody_empties_pam_d_and_shadow su_in_a_userns_with_pam_d_masked_gains_nothing passwd_in_a_userns_with_shadow_masked_gains_nothing passwd_in_a_userns_with_both_masked_gains_nothing mount_in_a_userns_with_both_masked_gains_nothing nothing_changed_outside_the_namespaces"

ktap_print_header
ktap_set_plan 7

# shellcheck disable=SC2086 # the list of names is words on purpose
skip_all() { ktap_skip_every "$1" $TESTS; }
[ -x /host/usr/sbin/chroot ] ||
	skip_all "the host's root is not mounted at /host: it needs vm-run --host-root and 9p built into the kernel (Debian's cloud kernels have none)"
for p in /host/usr/bin/su /host/usr/bin/passwd /host/usr/bin/mount; do
	[ -u "$p" ] || skip_all "the host's $p is not setuid root"
done
nobody=$(awk -F: '$1 == "nobody" && $3 == $4 { print $3 }' /host/etc/passwd)
[ -n "$nobody" ] || skip_all "the host has no user nobody (with a group of its uid)"
[ -x /host/usr/bin/setpriv ] || skip_all "the host has no setpriv (util-linux)"
[ -x "$here/nullmask" ] || skip_all "no nullmask beside the test (make check puts it there)"

# rnullfs with userns_mount=1 for the test, put back as the guest loaded it after.
reload_module userns_mount=1 || skip_all "rnullfs.ko could not be loaded with userns_mount=1"
cp "$here/nullmask" /host/tmp/rnullfs-nullmask && chmod 755 /host/tmp/rnullfs-nullmask

# As nobody, in the host's root: NAME COMMAND [ARGS...], stdin from a fifo
# that is held open, so that a password prompt waits; NAME is the program
# to look at (COMMAND itself, or what it execs). Sets $euid to that
# program's effective uid while it waits ("" if it never waited), $status
# to its exit status ("" if it was killed while waiting) and $output.
# The host's root is made the root of a new mount namespace by pivot_root
# (out of the initramfs: what 7.0's nullfs under rootfs allows), not by
# chroot: a chrooted process may not create a user namespace. Then the
# host's setpriv becomes nobody, with no groups and no capabilities.
# shellcheck disable=SC2016 # expanded by the inner shell
run_as_nobody() {
	watched=$1
	shift
	fifo=/tmp/setuid-stdin
	rm -f $fifo
	mkfifo $fifo
	mkdir -p /host/tmp/.old-root
	unshare -m sh -c 'mount --make-rprivate / && cd /host && pivot_root . tmp/.old-root &&
		exec /usr/bin/setpriv --reuid="$0" --regid="$0" --clear-groups "$@"' \
		"$nobody" "$@" <$fifo >/tmp/setuid-out 2>&1 &
	pid=$!
	exec 7>$fifo
	euid="" status="" tries=0
	# Bounded: 30 s for the program to start and reach its prompt, or end
	# (a debug kernel under TCG reads PAM's modules over 9p slowly); one
	# that has done neither by then is killed, and that is a failure.
	while [ $tries -lt 300 ]; do
		comm=$(cat "/proc/$pid/comm" 2>/dev/null) || break
		state=$(awk '/^State:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		# Waiting for its password: asleep, having prompted.
		[ "$comm" = "$watched" ] && [ "$state" = S ] && [ -s /tmp/setuid-out ] && break
		sleep 0.1
		tries=$((tries + 1))
	done
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$watched" ] &&
		euid=$(awk '/^Uid:/ { print $3 }' "/proc/$pid/status" 2>/dev/null)
	if [ -n "$euid" ]; then
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
	elif kill -0 $pid 2>/dev/null; then
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		status=timeout
	else
		wait $pid
		status=$?
	fi
	exec 7>&-
	output=$(tr '\n' ' ' </tmp/setuid-out)
}
# The masks, by nullmask (in the host's /tmp, a tmpfs of the guest's).
masked() {
	masks=$1
	shift
	# shellcheck disable=SC2086 # the masks are words on purpose
	set -- "$(basename "$1")" /tmp/rnullfs-nullmask $masks -- "$@"
	run_as_nobody "$@"
}

mounts_before=$(cat /proc/self/mountinfo)
shadow_before=$(cksum </host/etc/shadow 2>/dev/null)

# Control: outside a user namespace, the setuid bit works.
why=""
run_as_nobody su /usr/bin/su root
[ "$euid" = 0 ] || why="su: effective uid '$euid' while it waited (exit status '$status': $output)"
run_as_nobody passwd /usr/bin/passwd
[ "$euid" = 0 ] || why="${why:+$why; }passwd: effective uid '$euid' while it waited (exit status '$status': $output)"
ktap_result control_su_and_passwd_run_setuid_root_here "$why"

# gains_nothing NAME: the program either waited without root's effective
# uid, or ended in failure without having become root.
gains_nothing() {
	why=""
	if [ "$status" = timeout ]; then
		why="it neither waited at a prompt nor ended within 30 s: $output"
	elif [ "$status" = 125 ]; then
		why="nullmask failed, the program did not run: $output"
	elif [ -n "$euid" ]; then
		[ "$euid" != 0 ] || why="it waited with effective uid 0"
	elif [ "$status" = 0 ]; then
		why="it succeeded: $output"
	fi
	case $output in *uid=0*) why="${why:+$why; }it printed uid=0: $output" ;; esac
	[ -n "$why" ] || ktap_print_msg "$1: euid while waiting '${euid:-did not wait}', exit status '${status:-killed}': $output"
	ktap_result "$1" "$why"
}

# The masks are in place for the program, as nobody.
# shellcheck disable=SC2016 # expanded by the host's shell
masked "--mask /etc/pam.d --mask /etc/shadow" /bin/sh -c 'echo "$(ls -A /etc/pam.d | wc -l) $(wc -c </etc/shadow)"'
why=""
[ "$status" = 0 ] && [ "$output" = "0 0 " ] || why="exit status '$status': $output"
ktap_result nullmask_as_nobody_empties_pam_d_and_shadow "$why"

masked "--mask /etc/pam.d" /usr/bin/su -c "id" root
gains_nothing su_in_a_userns_with_pam_d_masked_gains_nothing
masked "--mask /etc/shadow" /usr/bin/passwd
gains_nothing passwd_in_a_userns_with_shadow_masked_gains_nothing
# A waiting program here must be one that got no privilege at all: the
# strongest case is that it waited, and with its own uid.
masked "--mask /etc/pam.d --mask /etc/shadow" /usr/bin/passwd -d root
gains_nothing passwd_in_a_userns_with_both_masked_gains_nothing
masked "--mask /etc/pam.d --mask /etc/shadow" /usr/bin/mount -t tmpfs none /tmp
gains_nothing mount_in_a_userns_with_both_masked_gains_nothing

# Nothing outside the namespaces changed: the guest's mounts, the host's shadow.
why=""
[ "$(cat /proc/self/mountinfo)" = "$mounts_before" ] || why="the guest's mounts changed"
[ "$(cksum </host/etc/shadow 2>/dev/null)" = "$shadow_before" ] || why="${why:+$why; }the host's /etc/shadow changed"
ktap_result nothing_changed_outside_the_namespaces "$why"

rm -f /host/tmp/rnullfs-nullmask /tmp/setuid-stdin /tmp/setuid-out
reload_module "$(cat /opt/modparam 2>/dev/null)"
ktap_finished
