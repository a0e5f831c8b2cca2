#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module as a Debian user gets it, in the test guest booted from
# Debian's own vmlinuz: installed by DKMS from the rnullfs-dkms package
# (scripts/dkms-check), loaded by Debian 13's own modprobe from the
# /lib/modules tree DKMS wrote, with the option of /etc/modprobe.d/rnullfs.conf
# turned on as its comment says. Those files, and kmod with its libraries,
# are beside this script in debian-root/ (a copy of the scratch root's
# files, not all of it: the guest has no room for the whole root), with the
# build id of the module DKMS installed in dkms-build-id.
# Run first, with no module loaded (vm-run --no-module); it leaves the
# module loaded by modprobe, for the suite that runs after it.
#
# Output: kselftest TAP, ending with the harness's "# Totals:" line.
# shellcheck shell=dash

here=$(cd "$(dirname "$0")" && pwd)
root=$here/debian-root
# shellcheck source=selftests/helpers.sh
. "$here/helpers.sh"
# Debian's modprobe, in the Debian root slice.
debian_modprobe() { chroot "$root" /usr/sbin/modprobe "$@"; }
loaded() { [ -d /sys/module/rnullfs ]; }
# The build id of the loaded module: the last 20 bytes of its ELF note.
loaded_build_id() {
	od -An -v -tx1 /sys/module/rnullfs/notes/.note.gnu.build-id 2>/dev/null |
		tr -d ' \n' | tail -c 40
}
# Whether the loaded module lets a user namespace's owner mount it: Rust
# module parameters are not in sysfs, so the option is seen by its effect.
# Root of a new user namespace is no one outside it: the mount needs
# FS_USERNS_MOUNT.
mkdir -p /tmp/userns-probe
userns_mount_on() {
	unshare -r -m mount -t rnullfs none /tmp/userns-probe 2>/dev/null
}

ktap_print_header
ktap_set_plan 5
for dir in proc sys dev; do
	mkdir -p "$root/$dir"
	mount --bind "/$dir" "$root/$dir"
done

why=""
loaded && why="rnullfs is loaded already (vm-run --no-module expected)"
[ -z "$why" ] && { out=$(debian_modprobe rnullfs 2>&1) || why="modprobe rnullfs: $out"; }
[ -z "$why" ] && ! loaded && why="modprobe succeeded but /sys/module/rnullfs is missing"
ktap_result modprobe_loads_the_module_dkms_installed "$why"

why=""
want=$(cat "$here/dkms-build-id")
got=$(loaded_build_id)
[ -n "$want" ] && [ "$got" = "$want" ] ||
	why="the loaded module's build id is '$got', the one DKMS installed has '$want'"
ktap_result modprobe_loaded_the_file_of_the_dkms_tree "$why"

# The option on, and, as the control, overridden on modprobe's command line.
why=""
userns_mount_on || why="a user namespace's root cannot mount rnullfs after modprobe: the option is not applied"
if [ -z "$why" ]; then
	debian_modprobe -r rnullfs >/dev/null 2>&1
	if ! out=$(debian_modprobe rnullfs userns_mount=0 2>&1); then
		why="modprobe rnullfs userns_mount=0: $out"
	elif userns_mount_on; then
		why="a user namespace's root mounts rnullfs with userns_mount=0 too: the probe tells nothing"
	fi
fi
ktap_result modprobe_applies_its_modprobe_d_option "$why"

why=""
loaded || debian_modprobe rnullfs >/dev/null 2>&1
out=$(debian_modprobe -r rnullfs 2>&1) || why="modprobe -r rnullfs: $out"
[ -z "$why" ] && loaded && why="rnullfs is still loaded after modprobe -r"
ktap_result modprobe_r_unloads_it "$why"

# A mount of the unregistered type: the kernel asks modprobe for
# fs-rnullfs (the module's alias); here modprobe is Debian's.
why=""
helper=/tmp/debian-modprobe
printf '#!/bin/sh\nexec chroot %s /usr/sbin/modprobe "$@"\n' "$root" >$helper
chmod +x $helper
old_helper=$(cat /proc/sys/kernel/modprobe)
echo $helper >/proc/sys/kernel/modprobe
mkdir -p /tmp/autoload
if ! mount -t rnullfs none /tmp/autoload 2>/tmp/autoload.err; then
	why="mount -t rnullfs with the module unloaded: $(cat /tmp/autoload.err)"
elif ! userns_mount_on; then
	why="the autoloaded module does not let a user namespace's root mount it (its modprobe.d option)"
fi
umount /tmp/autoload 2>/dev/null
echo "$old_helper" >/proc/sys/kernel/modprobe
ktap_result modprobe_autoloads_it_on_mount_by_its_fs_alias "$why"

for dir in dev sys proc; do umount "$root/$dir"; done
ktap_finished
