# SPDX-License-Identifier: GPL-2.0
#
# rnullfs: an out-of-tree Rust kernel module. Kbuild reads ./Kbuild; this
# file holds the project's targets, which delegate to scripts/.
#
#   make [KDIR=/path/to/linux/build] [LLVM=1] [CLIPPY=1]
#                     build rnullfs.ko (without KDIR: against the project's
#                     own Linux 7.3.4, provisioned and built on first use)
#   make check        build, boot QEMU, run the selftests: "N passed, N failed"
#   make check DEBUG=1   the same on the debug kernel (KASAN, lockdep,
#                     kmemleak, KFENCE; built with clang in a Debian 13
#                     build root, so as root)
#   make check KCSAN=1   the same on the data-race detector's kernel (KCSAN,
#                     SMP, clang-built in the build root); its KCSAN reports
#                     listed, those on an rnullfs path failing the run
#   make check KERNEL=debian-7.3.4-cloud   the same on a Debian 13 stock
#                     kernel (also debian-7.3.4, debian-7.2.12-cloud; the
#                     default is KERNEL=project); KERNEL= works for every target
#   make check KERNEL=intree   the project's kernel with rnullfs built in
#                     place of fs/nullfs.c (the series applied), with the
#                     kernel's own empty_mntns and failfs suites against the C kernel
#                     (DEBUG=1: both with the debug config, clang-built)
#   make compare      rnullfs side by side with the in-tree C nullfs
#                     (KERNEL=intree: the in-tree kernel against the C one)
#   make null-roots   which null root for a sandbox: failfs, rnullfs, the
#                     empty mount namespace and a tmpfs, probed in the
#                     guest; the table into docs/results/ and the README
#   make scratch-race plant a race bug (selftests/scratch/) in a copy of the
#                     layer and show the race test catch it on the SMP
#                     debug kernel; the record in docs/results/
#   make series       write build/series/: the in-tree build as a patch
#                     series for Linux 7.3.4, with a cover letter (git am)
#   make series-check each patch on its own: git am on a pristine tree, the
#                     kernel built, rustfmtcheck, clippy, rustdoc; then the
#                     kernel crate's doctests as KUnit tests in the guest
#   make install      rnullfs.ko into /lib/modules/RELEASE/updates (the running
#                     kernel's; KDIR= or KERNEL= for another), depmod, and
#                     /etc/modprobe.d, /etc/modules-load.d (DESTDIR= to stage)
#   make uninstall    remove exactly what make install installed
#   make deb          build/deb/: rnullfs-dkms and rnullfs-tools, built in a
#                     Debian 13 root and checked by lintian (as root)
#   make vm           a shell in the test guest, rnullfs.ko loaded
#   make selftests    build the selftest programs only
#   make samples      build nullmask and nullchroot
#   make lint         rustfmt --check, clippy, shellcheck
#   make doc          the crate's rustdoc (the VFS layer's API and internals)
#                     into build/doc/rnullfs/index.html, and its examples
#                     built as modules; fails on a warning
#   make soak         test-boot every kernel the project boots, 10 times each
#                     (the Debian cloud kernel 30) with both host cores busy;
#                     prints boots and crashes per kernel (scripts/boot-soak;
#                     KERNEL=NAME: that kernel only; SOAK_ARGS: its options)
#   make clean        remove build products (the cache stays)

export KDIR DEBUG KCSAN LLVM CLIPPY KERNEL DESTDIR

.PHONY: all modules check compare null-roots scratch-race vm selftests samples lint doc soak series series-check install uninstall deb clean

all: modules

modules:
	@scripts/build >/dev/null

check:
	@scripts/check

compare:
	@compare/run

null-roots:
	@compare/null-roots

scratch-race:
	@scripts/scratch-race

vm: modules
	@scripts/vm-run $(if $(filter-out 0,$(DEBUG)),--debug) --interactive

selftests:
	@scripts/build-selftests "$$(scripts/build)"

samples:
	@scripts/build-samples "$$(scripts/build)"

lint:
	@scripts/lint

doc:
	@scripts/doc

series:
	@scripts/series

series-check:
	@scripts/series-check

install:
	@scripts/install

uninstall:
	@scripts/install --uninstall

deb:
	@scripts/deb

soak:
	@scripts/boot-soak $(SOAK_ARGS) $(KERNEL)

clean:
	@if [ -f .rnullfs-kdir ]; then $(MAKE) -s -C "$$(cat .rnullfs-kdir)" M="$(CURDIR)" clean; fi
	rm -rf build .rnullfs-kdir
