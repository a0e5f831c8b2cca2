#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A syscall fuzzer no one here wrote: Debian's trinity, the host's own (run
# with 'chroot /host'), aimed at rnullfs through its victim-path option: a
# directory holding an rnullfs directory mount and an rnullfs -o file mount.
# Bounded in syscalls (-N) and in time (timeout), VFS syscalls only (-g vfs),
# once as root (its children drop to nobody, -X) and once as uid 1000 as
# root of its own user namespace (rnullfs loaded with userns_mount=1). Any
# kernel splat fails the run (vm-run scans the log); this script fails if
# trinity did not run or did not end by itself, and prints its counts.
#
# Output: kselftest TAP, ending with the harness's "# Totals:" line.
# shellcheck shell=dash

# A mount namespace of its own, so that whatever it mounts goes with it.
if [ -z "${RNULLFS_OWN_MOUNT_NS:-}" ]; then
	RNULLFS_OWN_MOUNT_NS=1 exec unshare -m --propagation private "$0" "$@"
fi

SYSCALLS=${TRINITY_SYSCALLS:-10000}
# Far above what -N takes on a debug kernel at half speed: on the SMP,
# preemptible debug kernel, with both host cores busy with a kernel build,
# the user-namespace run made 10096 syscalls in 300 s.
BOUND=${TRINITY_SECONDS:-600}
# shellcheck source=selftests/helpers.sh
. "$(cd "$(dirname "$0")" && pwd)/helpers.sh"

ktap_print_header
ktap_set_plan 2
if ! [ -x /host/usr/sbin/trinity ] && ! [ -x /host/usr/bin/trinity ]; then
	reason="no trinity at /host: the host's root needs vm-run --host-root and 9p built into the kernel (CONFIG_9P_FS=y: Debian's cloud kernels have no 9p, its other kernels have it as a module), trinity needs scripts/toolchain --clients"
	ktap_skip_every "$reason" trinity_as_root trinity_in_a_user_namespace
fi

# Writes /tmp/NAME.sh: a script that mounts the victims of run NAME and
# starts trinity on them, with the extra trinity options given. Without
# socket fds (nothing of rnullfs's) and without memfd fds: trinity's main
# process makes those and holds them, its children grow them by random
# writes and fallocates, and in a 512 MB guest the shmem they filled
# (459 MB once, in CI) outlived the children the OOM killer took, and the
# kernel's page allocation failures were splats of the run. Each run has
# its own directory in the host root's /tmp (a tmpfs of the guest's): the
# victims, and trinity's working directory, where it creates its test files.
# When trinity cannot open one of those it retries for ever, and files left
# in a shared directory by an earlier run (the root run chmods and chowns
# them) hung the next run in its start-up, before its first syscall.
fuzz_script() {
	name=$1
	shift
	dir=/host/tmp/$name
	mkdir "$dir" "$dir/victims" "$dir/victims/empty" "$dir/cwd" && : >"$dir/victims/masked" &&
		chmod 0777 "$dir" "$dir/victims" "$dir/victims/empty" "$dir/cwd" &&
		chmod 0666 "$dir/victims/masked" || return 1
	# The host's shell, in the host's root, finds the host's trinity.
	cat >"/tmp/$name.sh" <<SCRIPT
mount -t rnullfs none $dir/victims/empty || exit 3
mount -t rnullfs -o file none $dir/victims/masked || exit 3
exec chroot /host /bin/sh -c "cd /tmp/$name/cwd && exec trinity --dangerous $* -q -g vfs --disable-fds=sockets,memfd -V /tmp/$name/victims -N $SYSCALLS -C 2 -l off"
SCRIPT
}

# Runs "$@" (what starts trinity) and judges its end: it must end by itself,
# and say how many syscalls it made.
judge() {
	name=$1
	shift
	# A session of its own: when trinity ends it may kill its whole
	# process group, which must not take this script with it.
	timeout "$BOUND" setsid "$@" >/tmp/trinity.log 2>&1
	status=$?
	summary=$(grep -E 'Ran [0-9]+ syscalls' /tmp/trinity.log | tail -n 1)
	if [ $status -eq 143 ] || [ $status -eq 137 ]; then
		ktap_result "$name" "still running after $BOUND s; last lines: $(tail -n 5 /tmp/trinity.log | tr '\n' ' ')"
	elif [ -z "$summary" ]; then
		ktap_result "$name" "trinity ran no syscalls (status $status): $(tail -n 10 /tmp/trinity.log | tr '\n' ' ')"
	else
		ktap_print_msg "$name: $summary"
		ktap_result "$name" ""
	fi
}

# Each run mounts its victims in a mount namespace of its own, which goes
# with it: whatever trinity did to them (moved, renamed, covered), nothing
# is left mounted to keep the module busy. As root, its children drop to
# nobody (-X).
if fuzz_script trinity-root -X; then
	judge trinity_as_root unshare -m --propagation private /bin/sh /tmp/trinity-root.sh
else
	ktap_result trinity_as_root "could not make the victims in /host/tmp/trinity-root"
fi

# Unprivileged: uid 1000, root of its own user and mount namespace, mounts
# the victims itself. No user namespace can be made inside a chroot
# (EPERM): uid 1000 makes it from the guest's root, mounts the victims
# there, and only then enters the host's root.
if ! reload_module userns_mount=1; then
	ktap_result trinity_in_a_user_namespace "reloading rnullfs with userns_mount=1 failed"
elif ! fuzz_script trinity-userns; then
	ktap_result trinity_in_a_user_namespace "could not make the victims in /host/tmp/trinity-userns"
else
	judge trinity_in_a_user_namespace su user -s /bin/sh -c "exec unshare -U -r -m /bin/sh /tmp/trinity-userns.sh"
fi
# The module as the guest loaded it.
reload_module "$(cat /opt/modparam 2>/dev/null)"
ktap_finished
