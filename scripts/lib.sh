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

say() { printf '\033[1m[rnullfs]\033[0m %s\n' "$*" >&2; }
die() {
	printf '\033[1;31m[rnullfs] error:\033[0m %s\n' "$*" >&2
	exit 1
}

# Seconds since the epoch, for the "took N s" lines.
now() { date +%s; }

# The version of the host's rustc, e.g. 1.95.0: rust-src must match it.
rustc_version() { rustc --version | awk '{print $2}'; }

# The toolchain environment written by scripts/toolchain.
toolchain_env() { echo "$RNULLFS_CACHE/toolchain-$(rustc_version)/env.sh"; }

# A short hash of the files that decide a kernel build: the config fragment
# and the kernel version. A change to either gives a new build directory.
kernel_key() {
	local flavour=$1
	{
		echo "$KERNEL_VERSION"
		cat "$RNULLFS_TOP/kconfig/base.config"
		[ "$flavour" = debug ] && cat "$RNULLFS_TOP/kconfig/debug.config"
	} | sha256sum | cut -c1-12
}

# Where the kernel of a flavour ("normal" or "debug") is built (O=).
kernel_build_dir() {
	local flavour=${1:-normal}
	echo "$RNULLFS_CACHE/kernel-$KERNEL_VERSION-$flavour-$(kernel_key "$flavour")"
}

kernel_source_dir() { echo "$RNULLFS_CACHE/linux-$KERNEL_VERSION"; }
