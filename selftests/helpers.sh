# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# What the shell tests share: their TAP, on the kernel's own
# kselftest/ktap_helpers.sh (which make check puts beside this file in the
# guest), and reloading rnullfs.ko. Sourced, never run.

# shellcheck source=/dev/null # the kernel's, found beside this file
. "$(dirname "$0")/ktap_helpers.sh"

# ktap_result NAME WHY: a pass when WHY is empty, else a failure that says why.
ktap_result() {
	if [ -z "$2" ]; then
		ktap_test_pass "$1"
	else
		ktap_print_msg "$1: $2"
		ktap_test_fail "$1"
	fi
}

# ktap_skip_every REASON NAME...: every test skipped, with the reason;
# then the totals, and kselftest's exit code for it (4).
ktap_skip_every() {
	reason=$1
	shift
	for name in "$@"; do
		ktap_print_msg "SKIP $name: $reason"
		ktap_test_skip "$name"
	done
	ktap_print_totals
	exit "$KSFT_SKIP"
}

# reload_module PARAMS: rnullfs.ko (/opt/rnullfs.ko, as vm-run puts it)
# loaded again with PARAMS, once the last mounts' deferred teardown lets it
# unload (bounded: 20 s).
reload_module() {
	tries=0
	while [ -d /sys/module/rnullfs ] && ! rmmod rnullfs 2>/dev/null && [ $tries -lt 100 ]; do
		sleep 0.2
		tries=$((tries + 1))
	done
	# shellcheck disable=SC2086 # module parameters are words on purpose
	insmod /opt/rnullfs.ko $1
}
