#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Real programs against rnullfs, in the test guest: the host's own
# util-linux mount, findmnt and umount, and an unmodified packaged daemon
# (HAProxy) configured to chroot into an rnullfs mount, which must start,
# chroot and answer a request over the guest's loopback. The programs are
# the host's, run with 'chroot /host' (vm-run --host-root shares the host's
# root read-only); haproxy's binary, unpacked in the cache, is put beside
# this script by make check and copied into the guest's /host/tmp: the
# cache itself may be where the guest cannot see it (under /tmp, which the
# guest covers with its own tmpfs).
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
# A command of the host's, in the guest: found on the host's PATH by the
# host's own shell (busybox's chroot would run its own applet of that name,
# a busybox mount instead of util-linux's).
# shellcheck disable=SC2016 # expanded by the host's shell
host() { chroot /host /bin/sh -c 'exec "$0" "$@"' "$@"; }

ktap_print_header
ktap_set_plan 3

if ! [ -x /host/usr/bin/findmnt ]; then
	reason="the host's root is not mounted at /host: it needs vm-run --host-root and 9p built into the kernel (CONFIG_9P_FS=y: Debian's cloud kernels have no 9p, its other kernels have it as a module, which the busybox guest does not load)"
	ktap_skip_every "$reason" util_linux_mount_findmnt_umount util_linux_mount_o_file \
		haproxy_chroots_into_rnullfs_and_answers
fi

# 1. mount -t rnullfs, findmnt shows it and its options, umount removes it.
test_mount() {
	dir=$(host mktemp -d /tmp/rnullfs-client.XXXXXX) || return 1
	host mount -t rnullfs none "$dir" || { echo "mount -t rnullfs failed"; return 1; }
	shown=$(host findmnt -n -o FSTYPE,OPTIONS --mountpoint "$dir")
	case $shown in
	rnullfs*ro,*) ;;
	*) echo "findmnt shows '$shown'"; return 1 ;;
	esac
	entries=$(host ls -A "$dir")
	[ -z "$entries" ] || { echo "ls -A shows '$entries'"; return 1; }
	host umount "$dir" || { echo "umount failed"; return 1; }
	[ -z "$(host findmnt -n --mountpoint "$dir")" ] || { echo "still mounted after umount"; return 1; }
	host rmdir "$dir" 2>/dev/null || rmdir "/host$dir"
}

# 2. mount -t rnullfs -o file masks a file; findmnt shows it; umount unmasks.
test_mount_file() {
	file=$(mktemp /host/tmp/rnullfs-client-file.XXXXXX) || return 1
	echo secret >"$file"
	inside=${file#/host}
	host mount -t rnullfs -o file none "$inside" || { echo "mount -o file failed"; return 1; }
	shown=$(host findmnt -n -o FSTYPE,OPTIONS --mountpoint "$inside")
	case $shown in
	rnullfs*rw,*) ;;
	*) echo "findmnt shows '$shown'"; return 1 ;;
	esac
	[ -z "$(host cat "$inside")" ] || { echo "the masked file is not empty"; return 1; }
	host umount "$inside" || { echo "umount failed"; return 1; }
	[ "$(cat "$file")" = secret ] || { echo "the file did not come back"; return 1; }
	rm -f "$file"
}

# 3. HAProxy, unmodified, chroots into an rnullfs mount and serves from it.
test_haproxy() {
	[ -x "$here/haproxy" ] || { echo "no haproxy beside the test (make check puts the host's there)"; return 1; }
	cp "$here/haproxy" /host/tmp/rnullfs-haproxy-bin || return 1
	HAPROXY=/tmp/rnullfs-haproxy-bin
	root=$(host mktemp -d /tmp/rnullfs-haproxy.XXXXXX) || return 1
	host mount -t rnullfs none "$root" || { echo "mount -t rnullfs failed"; return 1; }
	cat >/host/tmp/rnullfs-haproxy.cfg <<CFG
global
    chroot $root
    nbthread 1
defaults
    mode http
    timeout connect 5s
    timeout client 5s
    timeout server 5s
frontend empty
    bind 127.0.0.1:18080
    http-request return status 200 content-type text/plain string "served-from-an-empty-root"
CFG
	# Not through host(): a function in the background is a subshell, and
	# $! must be haproxy itself (chroot and the shell exec into it).
	# shellcheck disable=SC2016 # expanded by the host's shell
	chroot /host /bin/sh -c 'exec "$0" "$@"' "$HAPROXY" -db -f /tmp/rnullfs-haproxy.cfg \
		>/tmp/haproxy.log 2>&1 &
	pid=$!
	answer=""
	tries=0
	while [ $tries -lt 100 ] && [ -z "$answer" ]; do
		# The host's curl (busybox's static wget crashes on this kernel).
		answer=$(host curl -s --max-time 2 http://127.0.0.1:18080/ 2>/dev/null)
		[ -n "$answer" ] || sleep 0.2
		tries=$((tries + 1))
	done
	chrooted=$(readlink "/proc/$pid/root")
	# Gone for sure: a live haproxy would keep its mount, and the module, busy.
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	host umount "$root"
	host rmdir "$root" 2>/dev/null
	[ "$answer" = served-from-an-empty-root ] ||
		{ echo "no answer from haproxy: '$answer'; its log: $(cat /tmp/haproxy.log)"; return 1; }
	[ "$chrooted" = "/host$root" ] || { echo "haproxy's root is '$chrooted', not /host$root"; return 1; }
	echo "haproxy (pid $pid) chrooted into /host$root, an rnullfs mount, and answered '$answer'"
}

for t in util_linux_mount_findmnt_umount:test_mount util_linux_mount_o_file:test_mount_file \
	haproxy_chroots_into_rnullfs_and_answers:test_haproxy; do
	name=${t%%:*}
	echo "#  RUN           $name ..."
	if why=$(${t#*:} 2>&1); then
		[ -n "$why" ] && echo "$why" | sed 's/^/# /'
		ktap_test_pass "$name"
	else
		ktap_result "$name" "$(echo "$why" | tr '\n' ' ')"
	fi
done
ktap_finished
