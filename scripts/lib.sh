# shellcheck shell=bash
# Shared settings of the rnullfs scripts: versions, cache layout, messages.
# Sourced, never run.
# shellcheck disable=SC2034 # the settings are used by the scripts that source this

# The kernel the project is built and tested against, and where it comes from.
# The semantics in README.md were observed on exactly this version.
KERNEL_VERSION=7.3.4
KERNEL_SERIES=7.3
KERNEL_DEB_VERSION=7.3.4-1~bpo13+1
DEBIAN_SUITE=trixie-backports
DEBIAN_MIRROR=http://deb.debian.org/debian
DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# bindgen and libclang: Linux 7.3 wants bindgen >= 0.71.1 and libclang >= 17.
BINDGEN_VERSION=0.73.2
LIBCLANG_WHEEL_VERSION=18.1.1

RNULLFS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RNULLFS_CACHE=${RNULLFS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rnullfs}

# Bold (red for an error) on a terminal only: a log gets the plain text.
say() {
	if [ -t 2 ]; then printf '\033[1m[rnullfs]\033[0m %s\n' "$*" >&2; else printf '[rnullfs] %s\n' "$*" >&2; fi
}
die() {
	if [ -t 2 ]; then printf '\033[1;31m[rnullfs] error:\033[0m %s\n' "$*" >&2; else printf '[rnullfs] error: %s\n' "$*" >&2; fi
	exit 1
}

# Seconds since the epoch, for the "took N s" lines.
now() { date +%s; }

# The version of the host's rustc, e.g. 1.95.0: rust-src must match it.
rustc_version() { rustc --version | awk '{print $2}'; }

# The toolchain environment written by scripts/toolchain.
toolchain_env() { echo "$RNULLFS_CACHE/toolchain-$(rustc_version)/env.sh"; }

# A short hash of what decides a kernel build: the kernel version, the
# config fragments and, for the debug kernel, the build root's toolchain.
# A change to any gives a new build directory. (The in-tree kernel's
# sources change with this checkout: its one build directory is rebuilt
# incrementally, see scripts/kernel.)
kernel_key() {
	local flavour=$1
	{
		echo "$KERNEL_VERSION"
		cat "$RNULLFS_TOP/kconfig/base.config"
		# Several CPUs, for every kernel.
		cat "$RNULLFS_TOP/kconfig/smp.config"
		case $flavour in
		intree | intree-debug) cat "$RNULLFS_TOP/kconfig/intree.config" ;;
		intree-c) cat "$RNULLFS_TOP/kconfig/intree-c.config" ;;
		esac
		case $flavour in
		debug | intree-debug) cat "$RNULLFS_TOP/kconfig/debug.config" ;;
		kcsan) cat "$RNULLFS_TOP/kconfig/kcsan.config" ;;
		esac
		# The clang-built kernels: the build root's toolchain too.
		case $flavour in debug | intree-debug | kcsan)
			build_root_dir
			echo "LLVM=$BUILD_ROOT_LLVM"
			;;
		esac
	} | sha256sum | cut -c1-12
}

# Where the kernel of a flavour ("normal", "debug", "kcsan": the data-race
# detector's, "intree", "intree-debug": the in-tree kernel with the debug
# config, or "intree-c": the patched tree with the C nullfs chosen, a
# control) is built (O=).
kernel_build_dir() {
	local flavour=${1:-normal}
	echo "$RNULLFS_CACHE/kernel-$KERNEL_VERSION-$flavour-$(kernel_key "$flavour")"
}

kernel_source_dir() { echo "$RNULLFS_CACHE/linux-$KERNEL_VERSION"; }
# The source tree of the kernel build tree KDIR: its "source" link (an O=
# build), or KDIR itself.
kernel_source_of() { if [ -e "$1/source" ]; then readlink -f "$1/source"; else echo "$1"; fi; }
# Unpack the kernel source tarball TARBALL (.tar.xz) into DIR, whole or not
# at all (through DIR.tmp).
unpack_kernel_source() {
	local tarball=$1 dir=$2
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	tar -xJf "$tarball" -C "$dir.tmp" --strip-components=1 || die "unpacking $tarball failed"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
}

# Source the environment scripts/toolchain wrote (bindgen, libclang,
# rust-src). "use_toolchain_env optional": if it is provisioned (a kernel
# tree of the user's may bring its own tools); "use_toolchain_env
# required": an error if scripts/toolchain has not run.
use_toolchain_env() {
	local env_file
	env_file=$("$RNULLFS_TOP/scripts/toolchain" --print-env 2>/dev/null) || env_file=""
	if [ -n "$env_file" ] && [ -f "$env_file" ]; then
		# shellcheck source=/dev/null
		. "$env_file"
	elif [ "$1" = required ]; then
		die "the toolchain's environment (${env_file:-scripts/toolchain --print-env}) is missing: run scripts/toolchain"
	fi
	return 0
}

# Kbuild's objects of the module in the checkout belong to one kernel tree:
# "use_module_objects_of KDIR MAKE_ARGS...": if the last build was against
# another tree, its objects are cleaned first.
use_module_objects_of() {
	local kdir=$1 stamp=$RNULLFS_TOP/.rnullfs-kdir
	shift
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" != "$kdir" ]; then
		make -s -C "$kdir" "$@" M="$RNULLFS_TOP" clean
	fi
	echo "$kdir" >"$stamp"
}

# A scratch module on the real VFS layer: "scratch_module DIR MODULE ROOT"
# writes in DIR the crate root ROOT (a file), links to the real rust/vfs/
# and its generated bindings, and the project's Kbuild (the same --cfg
# flags; the object, so the module, named MODULE: the kernel knows a module
# by the name of its .ko), ready for "make -C KDIR M=DIR".
scratch_module() {
	local dir=$1 module=$2 root=$3
	rm -rf "$dir"
	mkdir -p "$dir/rust" "$dir/build"
	ln -s "$RNULLFS_TOP/rust/vfs" "$dir/rust/vfs"
	ln -s "$RNULLFS_TOP/build/vfs" "$dir/build/vfs"
	cp "$root" "$dir/rust/rnullfs.rs"
	sed -e "s/^obj-m := rnullfs\.o\$/obj-m := $module.o/" -e "s/^rnullfs-y := /$module-y := /" \
		"$RNULLFS_TOP/Kbuild" >"$dir/Kbuild"
}

# A scratch module made of one misuse case of the VFS layer:
# "misuse_scratch CASE.rs DIR MODULE": the crate root
# selftests/misuse/frame.rs (its module named MODULE), and the policy
# common.rs followed by the case (see scratch_module).
misuse_scratch() {
	local case=$1 dir=$2 module=$3 root
	root=$(mktemp)
	sed "s/name: \"rnullfs\"/name: \"$module\"/" "$RNULLFS_TOP/selftests/misuse/frame.rs" >"$root"
	scratch_module "$dir" "$module" "$root"
	rm -f "$root"
	cat "$RNULLFS_TOP/selftests/misuse/common.rs" "$case" >"$dir/rust/policy.rs"
}

# The bytes of an ELF object's sections of one kind: "section_bytes OBJECT
# .text" sums .text and every .text.* section (the compare tools' sizes).
section_bytes() {
	local name size sum=0
	while read -r name size; do
		case $name in "$2" | "$2".*) sum=$((sum + 16#$size)) ;; esac
	done < <(readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] *//p' | awk '{ print $1, $5 }')
	echo "$sum"
}

# Install the Debian packages PKG... that are not installed yet (with sudo
# when not root). Prints nothing when all are there.
install_missing_packages() {
	local missing=() pkg sudo=()
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing: ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || die "not root and no sudo: install ${missing[*]} and run again"
		sudo=(sudo)
	fi
	"${sudo[@]}" apt-get update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
}
# The in-tree kernel's source: a copy of it with the series of scripts/series applied.
intree_source_dir() { echo "$RNULLFS_CACHE/linux-$KERNEL_VERSION-intree"; }

# KERNEL=NAME picks the kernel that make builds against and boots:
#   project               the project's own kernel above (the default)
#   intree                that kernel with rnullfs built in place of the C
#                         nullfs (scripts/series, scripts/kernel intree)
#   debian-7.3.4-cloud    Debian 13's stock kernels from trixie-backports,
#   debian-7.3.4          built with Debian's own toolchain in a trixie build
#   debian-7.2.12-cloud   root (scripts/debian-kernel), booted from Debian's vmlinuz
DEBIAN_KERNELS=(debian-7.3.4-cloud debian-7.3.4 debian-7.2.12-cloud)
# The Debian 13 build root (scripts/build-root): its suites and packages.
# Debian 13's toolchains run only in it: its libc is newer than the host's.
# The packages Debian's kernels are built with (their config records rustc
# 1.85.1, bindgen 0.71.1 and gcc-14), plus openssl (without it olddefconfig
# drops OPENSSL_SUPPORTS_ML_DSA) and zstd (to read the vermagic out of
# Debian's zstd-compressed vmlinuz); and clang, lld and llvm 19 for the
# debug kernel (KASAN with Rust needs a clang-built kernel; Linux 7.3 needs
# LLVM >= 17.0.1, Debian 12 has 16).
BUILD_ROOT_SUITES=(trixie trixie-updates trixie-security trixie-backports)
BUILD_ROOT_PACKAGES=(rustc rust-src bindgen gcc-14 gcc libc6-dev make flex bison
	bc libelf-dev libssl-dev openssl cpio kmod xz-utils zstd pahole python3 file
	binutils clang-19 lld-19 llvm-19)
# kbuild's LLVM= for the build root's clang-19, ld.lld-19, llvm-ar-19...
BUILD_ROOT_LLVM=-19
# The packaging root (scripts/build-root --packaging): a second trixie root,
# apart so that the build root (and the debug kernel keyed by it) does not
# change, with what dpkg-buildpackage and lintian need for make deb
# (debhelper, dh-dkms; cargo and rustc for nullmask). The DKMS test installs
# the built packages into a scratch copy of it, so apt must pull in
# everything else the module's build needs: the package's Depends are tested.
PACKAGING_ROOT_PACKAGES=(build-essential dpkg-dev debhelper dh-dkms fakeroot lintian
	cargo rustc)

# True inside the build root (scripts/build-root run sets it).
in_build_root() { [ -n "${RNULLFS_IN_BUILD_ROOT:-}" ]; }

# The kernel choice, from $KERNEL: "project", "intree" or one of DEBIAN_KERNELS.
kernel_choice() {
	local name=${KERNEL:-project}
	case $name in project | intree) echo "$name"; return ;; esac
	local k
	for k in "${DEBIAN_KERNELS[@]}"; do [ "$name" = "$k" ] && { echo "$k"; return; }; done
	die "KERNEL=$name: unknown kernel (project intree ${DEBIAN_KERNELS[*]})"
}

# Sets DEB_VERSION (7.3.4), DEB_SERIES (7.3), DEB_ABI (7.3.4+deb13),
# DEB_FLAVOUR (cloud-amd64), DEB_RELEASE (uname -r: 7.3.4+deb13-cloud-amd64)
# and DEB_PACKAGE_VERSION (7.3.4-1~bpo13+1) for a DEBIAN_KERNELS name.
debian_kernel_info() {
	local name=$1 rest
	rest=${name#debian-}
	DEB_VERSION=${rest%%-*}
	DEB_FLAVOUR=amd64
	[ "$rest" != "$DEB_VERSION" ] && DEB_FLAVOUR=${rest#*-}-amd64
	DEB_SERIES=${DEB_VERSION%.*}
	DEB_ABI=$DEB_VERSION+deb13
	DEB_RELEASE=$DEB_ABI-$DEB_FLAVOUR
	DEB_PACKAGE_VERSION=$DEB_VERSION-1~bpo13+1
}

# The build root (keyed by its suites and packages) and the unpacked
# packages of a Debian kernel (keyed by its release and package version).
build_root_dir() {
	echo "$RNULLFS_CACHE/debian-root-trixie-$(echo "${BUILD_ROOT_SUITES[*]} ${BUILD_ROOT_PACKAGES[*]}" | sha256sum | cut -c1-12)"
}
packaging_root_dir() {
	echo "$RNULLFS_CACHE/debian-packaging-root-trixie-$(echo "${BUILD_ROOT_SUITES[*]} ${PACKAGING_ROOT_PACKAGES[*]}" | sha256sum | cut -c1-12)"
}
# apt's downloaded packages, kept across the scratch roots of the DKMS test.
apt_archives_dir() { echo "$RNULLFS_CACHE/apt-archives-trixie"; }
debian_debs_dir() { echo "$RNULLFS_CACHE/debian-$DEB_RELEASE-$DEB_PACKAGE_VERSION"; }
debian_vmlinuz() { echo "$(debian_debs_dir)/usr/lib/modules/$DEB_RELEASE/vmlinuz"; }

# The list of deliberate differences for the kernel of build tree $1:
# selftests/deliberate-differences-SERIES.txt where a series needs its own,
# else selftests/deliberate-differences.txt.
deliberate_differences_file() {
	local release series
	release=$(cat "$1/include/config/kernel.release" 2>/dev/null || true)
	series=$(echo "$release" | cut -d. -f1-2)
	if [ -n "$series" ] && [ -f "$RNULLFS_TOP/selftests/deliberate-differences-$series.txt" ]; then
		echo "$RNULLFS_TOP/selftests/deliberate-differences-$series.txt"
	else
		echo "$RNULLFS_TOP/selftests/deliberate-differences.txt"
	fi
}

# The lines of a guest's console (file $1) that are kernel splats -- a
# WARNING, BUG, Oops, lockdep, kmemleak, KFENCE or Rust panic report, or a
# stack dump -- one per line; with --context, with the lines around each.
# grep -a: a console with one NUL or stray byte in it (a Debian kernel's
# has some) is "binary" to grep, which then prints no line at all.
# Not splats:
#   - the banner a mount with the deprecated 'mand' flag prints once
#     (pr_warn, no WARN()); the fuzzer sets that flag;
#   - between the markers of the fault-injection sweep of module loading
#     (selftests/rnullfs_failnth_test.c), the kernel's report of each
#     allocation the sweep made fail (warn_alloc: "vmalloc error:" or "page
#     allocation failure:", then a stack dump): only that report's "Call
#     Trace:" is dropped; any other splat there, and its own trace, stays;
#   - anywhere, the trace of the OOM killer's report ("invoked oom-killer:"):
#     the fuzzer (trinity) may fill the guest's memory, and the kernel
#     killing it is the kernel working, not a bug. Any other splat stays.
SPLAT_PATTERN='WARNING:|BUG:|Oops|Kernel panic|possible circular locking|possible recursive locking|unreferenced object|KFENCE:|rust_panic|panicked at|general protection fault|Call Trace:'
splat_lines() {
	local context=(-a)
	[ "${2:-}" = --context ] && context=(-a -B5 -A30)
	LC_ALL=C awk -v splat="$SPLAT_PATTERN" '
		/rnullfs-failnth: expected allocation failure reports begin/ { window = 1; next }
		/rnullfs-failnth: expected allocation failure reports end/ { window = 0; next }
		window && /(vmalloc error:|page allocation failure:)/ { last = "alloc"; next }
		/ invoked oom-killer: / { last = "alloc"; next }
		/Call Trace:/ && last == "alloc" { last = ""; next }
		$0 ~ splat { last = "other" }
		{ print }' "$1" |
		grep -a -v -F 'WARNING: The mand mount option has been deprecated' |
		grep -E "${context[@]}" "$SPLAT_PATTERN" || true
}

# The KCSAN reports in a guest's console (file $1), one line each: "rnullfs"
# or "other" (whether a frame of the report, or the module named in it, is
# rnullfs's; not the task's name), then a tab and the report's title ("BUG: KCSAN: data-race in A / B").
# A report is the block between two lines of "=" that begins "BUG: KCSAN:".
kcsan_reports() {
	LC_ALL=C awk '
		/====================/ {
			if (inside) print (rnullfs ? "rnullfs" : "other") "\t" title
			inside = 0
			next
		}
		/BUG: KCSAN:/ { inside = 1; rnullfs = 0; title = $0; sub(/^.*BUG: KCSAN: /, "", title); next }
		# Not the "Comm:" line: the name of the task (an rnullfs test)
		# says nothing of the code.
		inside && /rnullfs/ && !/Comm:/ { rnullfs = 1 }
	' "$1"
}

# The console (file $1) without the KCSAN reports of other kernel code
# than rnullfs (see kcsan_reports), for the splat scan.
without_kcsan_reports_of_others() {
	LC_ALL=C awk '
		function flush() { if (n && rnullfs) for (i = 1; i <= n; i++) print held[i]; n = 0 }
		/====================/ {
			if (inside) { held[++n] = $0; flush(); inside = 0; next }
			# A line of "=" may open a report: hold it until the next line says.
			if (n) { for (i = 1; i <= n; i++) print held[i]; n = 0 }
			held[++n] = $0
			next
		}
		n && !inside {
			if ($0 ~ /BUG: KCSAN:/) { inside = 1; rnullfs = 0; held[++n] = $0; next }
			for (i = 1; i <= n; i++) print held[i]
			n = 0
		}
		inside { held[++n] = $0; if ($0 ~ /rnullfs/ && $0 !~ /Comm:/) rnullfs = 1; next }
		{ print }
		END { if (inside) rnullfs = 1; flush() }
	' "$1"
}

# One kernel build at a time on this machine (the compilers of two would
# share its 2 cores and its memory): held on fd 9 until unlock_kernel_builds
# or the script's end. A second caller says so ($1: what it waits for) and
# waits.
# shellcheck disable=SC2120 # the message is optional
lock_kernel_builds() {
	mkdir -p "$RNULLFS_CACHE"
	exec 9>"$RNULLFS_CACHE/kernel-build.lock"
	if ! flock -n 9; then
		say "${1:-another kernel build is running: waiting for it}"
		flock 9
	fi
}
unlock_kernel_builds() { exec 9>&-; }

# The commit a record measures, "-dirty" if the tree has changes. Read it
# before the record is rewritten: a redirection that empties a tracked
# record makes the tree dirty by itself.
measured_commit() {
	git -C "$RNULLFS_TOP" describe --always --dirty 2>/dev/null || echo "an unknown commit"
}
