// SPDX-License-Identifier: GPL-2.0
/*
 * rnullfs's error paths, reached by fault injection: for each operation, the
 * Nth fault point of this task is made to fail, for N = 1, 2, ... until the
 * operation no longer reaches an Nth one (the way syzkaller and
 * tools/testing/selftests/iommu/iommufd_fail_nth.c do it). Every step must
 * end in the operation's normal result or a clean error -- ENOMEM, or
 * EFAULT where a user buffer or string is copied -- and leave nothing
 * mounted; the module's reference count must be back to 0 afterwards and
 * it must unload. KASAN, kmemleak and the splat scan of the debug kernel
 * (make check DEBUG=1) judge what the kernel did meanwhile.
 *
 * The same sweep runs on tmpfs as a control: an errno that tmpfs shows for
 * the same operation is the VFS's, not rnullfs's, and is reported as such.
 * It needs CONFIG_FAULT_INJECTION, FAILSLAB, FAIL_PAGE_ALLOC,
 * FAULT_INJECTION_USERCOPY and FAULT_INJECTION_DEBUG_FS (the debug kernel
 * has them); elsewhere it is skipped, with that reason.
 *
 * Loading the module is swept too; the module loader's failed allocations
 * print reports with stack dumps (warn_alloc) that are expected there:
 * the sweep brackets them with markers for vm-run's splat scan, which
 * still catches anything else between them.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/mount.h>
#include "module.h"
#include "kselftest_harness.h"

/*
 * Each sweep (one operation on one filesystem) is bounded in time and in
 * fault points; one that stops at a bound says so.
 */
#define SWEEP_SECONDS 20.0
#define SWEEP_MAX_POINTS 3000
/* The harness timeout of a test of `sweeps` sweeps: twice their bounds, and the reloads. */
#define SWEEP_TIMEOUT(sweeps) (2 * (int)((sweeps) * SWEEP_SECONDS) + 4 * (int)UNLOAD_WAIT_SECONDS)

#define TARGET_DIR "/tmp/failnth-dir"
#define TARGET_FILE "/tmp/failnth-file"

/* The debugfs knobs the sweep sets, and what they were, to put back. */
static const char *const knobs[][2] = {
	/* Without these, every GFP_KERNEL allocation is skipped. */
	{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
	{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
	/*
	 * Order 0 too; user pages stay out of reach (ignore-gfp-highmem,
	 * left Y), so the test's own page faults are never failed.
	 */
	{ "/sys/kernel/debug/fail_page_alloc/min-order", "0" },
	/* No stack dump per injected fault: the splat scan would see it. */
	{ "/sys/kernel/debug/failslab/verbose", "0" },
	{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
	{ "/sys/kernel/debug/fail_usercopy/verbose", "0" },
};
#define NR_KNOBS (sizeof(knobs) / sizeof(knobs[0]))

/* This thread's fail-nth: arm with N, read back whether it fired. */
struct fail_nth {
	int fd;
};

static int fail_nth_open(struct fail_nth *f)
{
	f->fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	return f->fd < 0 ? -1 : 0;
}

static int fail_nth_arm(struct fail_nth *f, int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	return pwrite(f->fd, buf, len, 0) == len ? 0 : -1;
}

/*
 * After the operation: 1 if the armed fault fired in it, 0 if the operation
 * never reached the Nth fault point (then it is disarmed). A read that
 * fails with EFAULT means the fault fired in the read itself: not reached.
 */
static int fail_nth_fired(struct fail_nth *f)
{
	char buf[16] = "";
	ssize_t n = pread(f->fd, buf, sizeof(buf) - 1, 0);
	int fired = n > 0 && buf[0] == '0';

	/* Disarm, whether or not it fired (writing 0 when it did is harmless). */
	while (fail_nth_arm(f, 0) && errno == EFAULT)
		;
	return fired;
}

/* What an operation is run on, and the per-step state it needs. */
struct target {
	const char *fstype;
	int pipe[2];
	int file;	/* the file of the file operations, opened unarmed */
};

/* What one step of a sweep ends in: 0, or a negative errno. */
typedef int (*operation_fn)(struct target *t);

struct operation {
	const char *name;
	/* Unarmed, before each step: mounts, pipes. 0 or -1. */
	int (*prepare)(struct target *t);
	/* Armed: the operation under test. */
	operation_fn run;
	/* Whether the operation copies a user buffer or string (EFAULT is clean). */
	int copies_user_memory;
	/* The operation's result without a fault: 0, or e.g. -EINVAL. */
	int normal_result;
};

static int result_of(int ret)
{
	return ret < 0 ? -errno : 0;
}

/* Unmounts everything at the targets, lazily: nothing must be left. */
static void unmount_targets(void)
{
	while (umount2(TARGET_DIR, MNT_DETACH) == 0)
		;
	while (umount2(TARGET_FILE, MNT_DETACH) == 0)
		;
}

static int mounts_of(const char *fstype)
{
	char want[64];

	snprintf(want, sizeof(want), " %s ", fstype);
	return count_matching_lines("/proc/self/mounts", line_contains, want);
}

/* -o file for rnullfs; for tmpfs, a mode: each one's accepted option. */
static int set_accepted_option(int fs, const char *fstype)
{
	if (!strcmp(fstype, "rnullfs"))
		return syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, "file", NULL, 0);
	return syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "mode", "0700", 0);
}

/* fsopen, options, create, fsmount, move_mount onto `where`. */
static int new_mount_api(struct target *t, int with_option, const char *where)
{
	int fs, mnt, ret = 0;

	fs = syscall(SYS_fsopen, t->fstype, FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	if (with_option && set_accepted_option(fs, t->fstype))
		ret = -errno;
	if (!ret && syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		ret = -errno;
	if (!ret) {
		mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
		if (mnt < 0) {
			ret = -errno;
		} else {
			if (syscall(SYS_move_mount, mnt, "", AT_FDCWD, where,
				    MOVE_MOUNT_F_EMPTY_PATH))
				ret = -errno;
			close(mnt);
		}
	}
	close(fs);
	return ret;
}

static int op_fsmount(struct target *t)
{
	return new_mount_api(t, 0, TARGET_DIR);
}

/* rnullfs's -o file goes on a file; tmpfs's option on the directory. */
static const char *option_target(struct target *t)
{
	return strcmp(t->fstype, "rnullfs") ? TARGET_DIR : TARGET_FILE;
}

static int op_fsmount_with_option(struct target *t)
{
	return new_mount_api(t, 1, option_target(t));
}

static int op_refused_option(struct target *t)
{
	int fs = syscall(SYS_fsopen, t->fstype, FSOPEN_CLOEXEC);
	int ret;

	if (fs < 0)
		return -errno;
	ret = result_of(syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, "no-such-option", NULL, 0));
	close(fs);
	return ret;
}

static int op_mount(struct target *t)
{
	return result_of(mount("none", TARGET_DIR, t->fstype, 0, NULL));
}

static int prepare_mounted_dir(struct target *t)
{
	return mount("none", TARGET_DIR, t->fstype, 0, NULL);
}

static int op_remount(struct target *t)
{
	return result_of(mount(NULL, TARGET_DIR, NULL, MS_REMOUNT | MS_RDONLY, NULL));
}

static int op_readdir(struct target *t)
{
	char buf[4096];
	int fd = open(TARGET_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = result_of(syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	close(fd);
	return ret;
}

/*
 * The file the file operations use, opened before the fault is armed (so a
 * step is the one I/O call and nothing else): rnullfs's -o file root, or a
 * file on a tmpfs mount. Also a pipe with data in it, for splice.
 */
static int prepare_file(struct target *t)
{
	char file_path[128], data[512];
	int fd;

	if (!strcmp(t->fstype, "rnullfs")) {
		if (mount("none", TARGET_FILE, "rnullfs", 0, "file"))
			return -1;
		snprintf(file_path, sizeof(file_path), "%s", TARGET_FILE);
	} else {
		if (mount("none", TARGET_DIR, "tmpfs", 0, NULL))
			return -1;
		snprintf(file_path, sizeof(file_path), "%s/f", TARGET_DIR);
		fd = open(file_path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		close(fd);
	}
	t->file = open(file_path, O_RDWR | O_CLOEXEC);
	if (t->file < 0 || pipe2(t->pipe, O_CLOEXEC))
		return -1;
	memset(data, 'x', sizeof(data));
	return write(t->pipe[1], data, sizeof(data)) == sizeof(data) ? 0 : -1;
}

/* Many iovecs: more than fit on the stack, so the kernel allocates. */
#define WRITEV_IOVECS 64

static int op_writev(struct target *t)
{
	static char chunk[16];
	struct iovec iov[WRITEV_IOVECS];

	for (int i = 0; i < WRITEV_IOVECS; i++)
		iov[i] = (struct iovec){ chunk, sizeof(chunk) };
	return result_of(writev(t->file, iov, WRITEV_IOVECS));
}

static int op_read(struct target *t)
{
	char buf[4096];

	return result_of(pread(t->file, buf, sizeof(buf), 0));
}

static int op_splice(struct target *t)
{
	return result_of(splice(t->pipe[0], NULL, t->file, NULL, 512, 0));
}

static int op_sendfile(struct target *t)
{
	off_t start = 0;

	return result_of(sendfile(t->pipe[1], t->file, &start, 4096));
}

static const struct operation operations[] = {
	{ "fsopen+fsconfig+fsmount+move_mount", NULL, op_fsmount, 1, 0 },
	{ "mount(2)", NULL, op_mount, 1, 0 },
	{ "fsmount with the accepted option", NULL, op_fsmount_with_option, 1, 0 },
	{ "fsconfig of a refused option", NULL, op_refused_option, 1, -EINVAL },
	{ "remount read-only", prepare_mounted_dir, op_remount, 1, 0 },
	/* open copies the path from userspace. */
	{ "open+getdents64+close of the root", prepare_mounted_dir, op_readdir, 1, 0 },
	/* writev copies its iovecs from userspace. */
	{ "writev of 64 iovecs to the file", prepare_file, op_writev, 1, 0 },
	{ "read of the file", prepare_file, op_read, 0, 0 },
	{ "splice from a pipe into the file", prepare_file, op_splice, 0, 0 },
	/* sendfile copies its offset from userspace. */
	{ "sendfile from the file to a pipe", prepare_file, op_sendfile, 1, 0 },
};
#define NR_OPERATIONS (sizeof(operations) / sizeof(operations[0]))

/* What a sweep of one operation on one filesystem found. */
struct sweep {
	int points;		/* fault points reached (faults that fired) */
	int succeeded;		/* steps that ended in the normal result anyway */
	int enomem;
	int efault;
	int other;		/* steps with any other result */
	int other_errno;	/* the last such result */
	int left_mounted;	/* steps after which something stayed mounted */
	int unprepared;		/* steps whose unarmed preparation failed */
	int bounded;		/* 1 if it stopped at a bound, not at the end */
};

static void close_files(struct target *t)
{
	if (t->pipe[0] >= 0)
		close(t->pipe[0]);
	if (t->pipe[1] >= 0)
		close(t->pipe[1]);
	if (t->file >= 0)
		close(t->file);
	t->pipe[0] = t->pipe[1] = t->file = -1;
}

static void sweep_operation(const struct operation *op, const char *fstype,
			    struct fail_nth *f, struct sweep *s)
{
	double deadline = monotonic_seconds() + SWEEP_SECONDS;
	struct target t = { .fstype = fstype, .pipe = { -1, -1 }, .file = -1 };

	memset(s, 0, sizeof(*s));
	for (int n = 1;; n++) {
		int ret, fired;

		if (n > SWEEP_MAX_POINTS || monotonic_seconds() > deadline) {
			s->bounded = 1;
			break;
		}
		if (op->prepare && op->prepare(&t)) {
			s->unprepared++;
			close_files(&t);
			unmount_targets();
			break;
		}
		fail_nth_arm(f, n);
		ret = op->run(&t);
		fired = fail_nth_fired(f);
		close_files(&t);
		unmount_targets();
		if (mounts_of(fstype) > 0 || mounts_of("rnullfs") > 0)
			s->left_mounted++;
		if (!fired)
			break;
		s->points++;
		if (ret == op->normal_result)
			s->succeeded++;
		else if (ret == -ENOMEM)
			s->enomem++;
		else if (ret == -EFAULT && op->copies_user_memory)
			s->efault++;
		else {
			s->other++;
			s->other_errno = -ret;
		}
	}
}

static void print_sweep(struct __test_metadata *_metadata, const char *fstype,
			const struct operation *op, const struct sweep *s)
{
	TH_LOG("%-7s %-36s %4d fault points: %d ENOMEM, %d EFAULT, %d normal result, %d other%s%s%s",
	       fstype, op->name, s->points, s->enomem, s->efault, s->succeeded, s->other,
	       s->other ? " (last: " : "", s->other ? strerror(s->other_errno) : "",
	       s->other ? ")" : "");
	if (s->bounded)
		TH_LOG("%-7s %-36s stopped at its bound (%d points or %.0f s)", fstype, op->name,
		       SWEEP_MAX_POINTS, SWEEP_SECONDS);
}

FIXTURE(failnth) {
	char saved[NR_KNOBS][32];
	int have_fault_injection;
	struct fail_nth fail_nth;
};

FIXTURE_SETUP(failnth)
{
	self->have_fault_injection = 0;
	ASSERT_EQ(0, private_mount_namespace()) TH_LOG("a private mount namespace: %m");
	ASSERT_EQ(0, restore_module()) TH_LOG("loading %s: %m", module_path());
	if (access("/proc/thread-self/fail-nth", F_OK))
		SKIP(return, "no fault injection in this kernel (no /proc/thread-self/fail-nth; the debug kernel has it: make check DEBUG=1)");
	if (access("/sys/kernel/debug/failslab", F_OK))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	for (size_t i = 0; i < NR_KNOBS; i++) {
		ASSERT_EQ(0, read_text(knobs[i][0], self->saved[i], sizeof(self->saved[i])))
			TH_LOG("reading %s: %m (FAILSLAB, FAIL_PAGE_ALLOC, FAULT_INJECTION_USERCOPY and FAULT_INJECTION_DEBUG_FS are needed)",
			       knobs[i][0]);
	}
	self->have_fault_injection = 1;
	for (size_t i = 0; i < NR_KNOBS; i++) {
		ASSERT_EQ(0, write_text(knobs[i][0], knobs[i][1])) TH_LOG("setting %s: %m", knobs[i][0]);
	}
	ASSERT_EQ(0, fail_nth_open(&self->fail_nth)) TH_LOG("opening fail-nth: %m");
	mkdir(TARGET_DIR, 0755);
	close(open(TARGET_FILE, O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
	/* The test's own memory stays put: no page fault of it can be failed. */
	mlockall(MCL_CURRENT | MCL_FUTURE);
}

FIXTURE_TEARDOWN(failnth)
{
	if (self->have_fault_injection) {
		for (size_t i = 0; i < NR_KNOBS; i++) {
			EXPECT_EQ(0, write_text(knobs[i][0], self->saved[i]))
				TH_LOG("putting %s back: %m", knobs[i][0]);
		}
		close(self->fail_nth.fd);
	}
	unmount_targets();
	EXPECT_EQ(0, restore_module()) TH_LOG("putting %s back: %m", module_path());
}

/* The module's reference count, from /sys/module/rnullfs/refcnt, or -1. */
static int module_refcount(void)
{
	char buf[32];

	if (read_text("/sys/module/rnullfs/refcnt", buf, sizeof(buf)))
		return -1;
	return atoi(buf);
}

/* Waits (bounded) for the deferred teardown of the last super blocks. */
static int wait_for_refcount_zero(void)
{
	double deadline = monotonic_seconds() + UNLOAD_WAIT_SECONDS;
	int count;

	while ((count = module_refcount()) > 0 && monotonic_seconds() < deadline)
		usleep(10000);
	return count;
}

TEST_F_TIMEOUT(failnth, every_fault_on_mount_and_file_paths_is_clean, SWEEP_TIMEOUT(2 * NR_OPERATIONS))
{
	struct sweep rust[NR_OPERATIONS], control[NR_OPERATIONS];
	int total = 0;

	for (size_t i = 0; i < NR_OPERATIONS; i++) {
		sweep_operation(&operations[i], "tmpfs", &self->fail_nth, &control[i]);
		print_sweep(_metadata, "tmpfs", &operations[i], &control[i]);
		sweep_operation(&operations[i], "rnullfs", &self->fail_nth, &rust[i]);
		print_sweep(_metadata, "rnullfs", &operations[i], &rust[i]);
		total += rust[i].points;
	}
	for (size_t i = 0; i < NR_OPERATIONS; i++) {
		const struct sweep *s = &rust[i];

		EXPECT_EQ(0, s->unprepared) TH_LOG("%s: an unarmed preparation failed", operations[i].name);
		EXPECT_EQ(0, s->left_mounted) TH_LOG("%s: something stayed mounted", operations[i].name);
		if (s->other && control[i].other && s->other_errno == control[i].other_errno) {
			TH_LOG("%s: %s on rnullfs as on tmpfs: the VFS's, not rnullfs's",
			       operations[i].name, strerror(s->other_errno));
			continue;
		}
		EXPECT_EQ(0, s->other) TH_LOG("%s: a step ended in %s, neither its normal result nor a clean error",
					      operations[i].name, strerror(s->other_errno));
	}
	/* A sweep that reached nothing would prove nothing. */
	EXPECT_LT(0, rust[0].points) TH_LOG("no fault point reached while mounting: is fail-nth working?");
	TH_LOG("rnullfs: %d fault points reached in all", total);
	EXPECT_EQ(0, mounts_of("rnullfs"));
	EXPECT_EQ(0, wait_for_refcount_zero()) TH_LOG("the module is still referenced");
}

/*
 * The user-namespace mount, as uid 1000 with userns_mount=1: the fault is
 * armed in the child that enters the namespace (fork resets fail-nth).
 */
struct child_result {
	int prepared;
	int fired;
	int result;
};

static void userns_child(const char *fstype, int n, int report)
{
	struct child_result r = { 0, 0, 0 };
	struct fail_nth f;

	if (become_userns_root(1000))
		goto out;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) || fail_nth_open(&f))
		goto out;
	r.prepared = 1;
	fail_nth_arm(&f, n);
	r.result = result_of(mount("none", TARGET_DIR, fstype, 0, NULL));
	r.fired = fail_nth_fired(&f);
	umount2(TARGET_DIR, MNT_DETACH);
out:
	if (write(report, &r, sizeof(r)) != sizeof(r))
		_exit(2);
	_exit(0);
}

static void sweep_userns(const char *fstype, struct sweep *s)
{
	double deadline = monotonic_seconds() + SWEEP_SECONDS;

	memset(s, 0, sizeof(*s));
	for (int n = 1;; n++) {
		struct child_result r = { 0 };
		int report[2], status;
		pid_t pid;

		if (n > SWEEP_MAX_POINTS || monotonic_seconds() > deadline) {
			s->bounded = 1;
			break;
		}
		if (pipe2(report, O_CLOEXEC))
			break;
		pid = fork();
		if (pid == 0)
			userns_child(fstype, n, report[1]);
		close(report[1]);
		if (read(report[0], &r, sizeof(r)) != sizeof(r))
			r.prepared = 0;
		close(report[0]);
		waitpid(pid, &status, 0);
		if (!r.prepared) {
			s->unprepared++;
			break;
		}
		if (!r.fired)
			break;
		s->points++;
		if (r.result == 0)
			s->succeeded++;
		else if (r.result == -ENOMEM)
			s->enomem++;
		else if (r.result == -EFAULT)
			s->efault++;
		else {
			s->other++;
			s->other_errno = -r.result;
		}
	}
}

TEST_F_TIMEOUT(failnth, every_fault_on_a_user_namespace_mount_is_clean, SWEEP_TIMEOUT(2))
{
	static const struct operation userns_mount = { "mount(2) as uid 1000 in a userns", NULL, NULL, 1, 0 };
	struct sweep rust, control;

	ASSERT_EQ(0, chmod(TARGET_DIR, 0777));
	ASSERT_EQ(0, reload_module("userns_mount=1")) TH_LOG("loading with userns_mount=1: %m");
	sweep_userns("tmpfs", &control);
	print_sweep(_metadata, "tmpfs", &userns_mount, &control);
	sweep_userns("rnullfs", &rust);
	print_sweep(_metadata, "rnullfs", &userns_mount, &rust);
	EXPECT_EQ(0, rust.unprepared) TH_LOG("the child could not enter a user namespace as uid 1000");
	EXPECT_LT(0, rust.points) TH_LOG("no fault point reached: is fail-nth working?");
	if (rust.other && !(control.other && control.other_errno == rust.other_errno)) {
		EXPECT_EQ(0, rust.other) TH_LOG("a step ended in %s", strerror(rust.other_errno));
	}
	EXPECT_EQ(0, mounts_of("rnullfs"));
	EXPECT_EQ(0, wait_for_refcount_zero()) TH_LOG("the module is still referenced");
}

/* What vm-run's splat scan takes as the bounds of expected allocation-failure reports. */
#define EXPECTED_REPORTS_BEGIN "rnullfs-failnth: expected allocation failure reports begin"
#define EXPECTED_REPORTS_END "rnullfs-failnth: expected allocation failure reports end"

/*
 * Loading the module, for N = 1, 2, ...: finit_module must load it or fail
 * with ENOMEM (EFAULT where its parameter string is copied), and a failed
 * load must leave neither the module nor its filesystem type behind.
 * tmpfs, built in, has no load to compare with.
 */
TEST_F_TIMEOUT(failnth, every_fault_on_loading_the_module_is_clean, SWEEP_TIMEOUT(1))
{
	static const struct operation load = { "finit_module(rnullfs.ko)", NULL, NULL, 1, 0 };
	double deadline = monotonic_seconds() + SWEEP_SECONDS;
	struct sweep s = { 0 };
	int fd, n, ret, err;

	fd = open(module_path(), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("opening %s: %m", module_path());
	ASSERT_EQ(0, unload_when_idle()) TH_LOG("unloading rnullfs: %m");
	ASSERT_EQ(0, write_text("/dev/kmsg", EXPECTED_REPORTS_BEGIN));
	for (n = 1;; n++) {
		if (n > SWEEP_MAX_POINTS || monotonic_seconds() > deadline) {
			s.bounded = 1;
			break;
		}
		ASSERT_EQ(0, fail_nth_arm(&self->fail_nth, n));
		ret = syscall(SYS_finit_module, fd, "", 0);
		err = errno;
		if (!fail_nth_fired(&self->fail_nth)) {
			/* The load no longer reaches an Nth fault point: done. */
			EXPECT_EQ(0, ret) TH_LOG("an unfaulted load failed: %s", strerror(err));
			break;
		}
		s.points++;
		if (ret == 0) {
			s.succeeded++;
		} else if (err == ENOMEM) {
			s.enomem++;
		} else if (err == EFAULT) {
			s.efault++;
		} else {
			s.other++;
			s.other_errno = err;
		}
		/* A failed load leaving the module or its type: counted as "left mounted". */
		if (ret && (!access("/sys/module/rnullfs", F_OK) || fs_registered()))
			s.left_mounted++;
		if (!ret)
			ASSERT_EQ(0, unload_when_idle()) TH_LOG("unloading after step %d: %m", n);
	}
	EXPECT_EQ(0, write_text("/dev/kmsg", EXPECTED_REPORTS_END));
	close(fd);
	print_sweep(_metadata, "rnullfs", &load, &s);
	EXPECT_LT(0, s.points) TH_LOG("no fault point reached while loading: is fail-nth working?");
	EXPECT_EQ(0, s.left_mounted) TH_LOG("a failed load left the module or its filesystem type behind");
	EXPECT_EQ(0, s.other) TH_LOG("a load ended in %s, neither success nor a clean error",
				     strerror(s.other_errno));
	/* A sweep that stopped at its bound may end with the module unloaded. */
	if (!access("/sys/module/rnullfs", F_OK))
		EXPECT_EQ(0, unload_when_idle()) TH_LOG("the module cannot be unloaded after the sweep");
}

TEST_HARNESS_MAIN
