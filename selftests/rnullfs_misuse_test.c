// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime misuse cases of the VFS layer: filesystems written in safe
 * Rust against rust/vfs/ that misuse it in ways its types cannot refuse
 * (selftests/misuse/runtime_*.rs, built as misuse_NAME.ko by
 * scripts/build-misuse-modules). Each is loaded, mounted and driven here,
 * and the kernel must stay whole: every kernel-internal errno an operation
 * returns reaches userspace as EIO, with a warning naming the operation;
 * nothing hangs; and unmount and unload work afterwards, with no busy
 * inode. A splat anywhere fails the whole run (make check's scan).
 *
 * The modules are built for the project's kernels only (make check, make
 * check DEBUG=1): elsewhere each test is skipped, saying so.
 *
 * Isolation: every test runs in a mount namespace of its own, and unloads
 * the module it loaded in its teardown.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <linux/mount.h>
#include <linux/aio_abi.h>

#include "module.h"
#include "kselftest_harness.h"

/* How long an operation may take before it counts as hung: far above the
 * microseconds each takes, on any machine. */
#define PROMPT_SECONDS 10.0

/* The mark a test writes to the kernel log before it starts, so that it
 * reads only what its own operations logged. */
#define LOG_MARK "rnullfs_misuse_test: start of "

/* Loads misuse_NAME.ko from the test's directory: 0, -1 with errno, or 1 if
 * it was not built for this kernel. */
static int load_misuse_module(const char *name)
{
	char file[64], path[512];
	int fd, ret;

	snprintf(file, sizeof(file), "misuse_%s.ko", name);
	if (test_file(path, sizeof(path), file))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret;
}

/* Unloads misuse_NAME, waiting for the mounts of the test to go. */
static int unload_misuse_module(const char *name)
{
	double deadline = monotonic_seconds() + UNLOAD_WAIT_SECONDS;
	char module[64];

	snprintf(module, sizeof(module), "misuse_%s", name);
	while (syscall(SYS_delete_module, module, O_NONBLOCK)) {
		if (errno == ENOENT)
			return 0;
		if (errno != EWOULDBLOCK || monotonic_seconds() > deadline)
			return -1;
		usleep(10000);
	}
	return 0;
}

/* Whether the kernel log, after this test's mark, has a line holding
 * `text`. */
static int logged_since_mark(const char *test, const char *text)
{
	static char log[1 << 20];
	char mark[128];
	const char *start;
	int n;

	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	if (n < 0)
		return 0;
	log[n] = 0;
	snprintf(mark, sizeof(mark), LOG_MARK "%s\n", test);
	start = log;
	for (const char *p = strstr(log, mark); p; p = strstr(p + 1, mark))
		start = p;
	return strstr(start, text) != NULL;
}

/* Whether `errno` of the call just made is EIO, and the call returned
 * within PROMPT_SECONDS of `since`. */
#define EXPECT_EIO_PROMPTLY(call, since)                                   \
	do {                                                               \
		errno = 0;                                                 \
		EXPECT_EQ(-1, (long)(call));                               \
		EXPECT_EQ(EIO, errno)                                      \
			TH_LOG("%s: %s", #call, strerror(errno));          \
		EXPECT_GT(PROMPT_SECONDS, monotonic_seconds() - (since)); \
	} while (0)

FIXTURE(misuse)
{
	char dir[64];
	/* The case whose module the test loaded, unloaded in teardown. */
	const char *loaded;
};

FIXTURE_SETUP(misuse)
{
	char mark[128];

	self->loaded = NULL;
	ASSERT_EQ(0, private_mount_namespace());
	strcpy(self->dir, "/tmp/rnullfs-misuse-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(mark, sizeof(mark), LOG_MARK "%s\n", _metadata->name);
	ASSERT_EQ(0, write_text("/dev/kmsg", mark));
}

FIXTURE_TEARDOWN(misuse)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/file", self->dir);
	umount2(path, MNT_DETACH);
	umount2(self->dir, MNT_DETACH);
	unlink(path);
	rmdir(self->dir);
	if (self->loaded)
		EXPECT_EQ(0, unload_misuse_module(self->loaded));
}

/* Loads the module of case NAME for the test, or skips the test where it
 * was not built. */
#define LOAD_CASE(name)                                                              \
	do {                                                                         \
		int loaded = load_misuse_module(name);                               \
		if (loaded == 1)                                                     \
			SKIP(return, "misuse_%s.ko is built for the project's kernels " \
				     "only (make check, make check DEBUG=1)", name);      \
		ASSERT_EQ(0, loaded) TH_LOG("loading misuse_%s.ko: %s", name,         \
					     strerror(errno));                       \
		self->loaded = name;                                                 \
	} while (0)

#define ERRNOS_FS "misuse_errnos"
#define FORGETS_FS "misuse_forgets"

/* Every operation of a directory that returns a kernel-internal errno
 * fails with EIO at once, and the log names each operation. */
TEST_F_TIMEOUT(misuse, directory_ops_fail_with_eio, 120)
{
	struct linux_dirent64 {
		unsigned long long d_ino;
		long long d_off;
		unsigned short d_reclen;
		unsigned char d_type;
		char d_name[];
	};
	char path[128], buf[4096];
	struct stat st;
	double start;
	int fd;

	LOAD_CASE("internal_errnos");
	ASSERT_EQ(0, mount("none", self->dir, ERRNOS_FS, 0, NULL));
	snprintf(path, sizeof(path), "%s/missing", self->dir);

	start = monotonic_seconds();
	EXPECT_EIO_PROMPTLY(stat(path, &st), start);
	EXPECT_EIO_PROMPTLY(chmod(self->dir, 0700), start);
	fd = open(self->dir, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, fd);
	EXPECT_EIO_PROMPTLY(syscall(SYS_getdents64, fd, buf, sizeof(buf)), start);
	EXPECT_EIO_PROMPTLY(lseek(fd, 1, SEEK_SET), start);
	EXPECT_EIO_PROMPTLY(fsync(fd), start);
	close(fd);

	EXPECT_TRUE(logged_since_mark(_metadata->name, "lookup returned the kernel-internal errno -512"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "setattr returned the kernel-internal errno -517"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "iterate returned the kernel-internal errno -519"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "llseek returned the kernel-internal errno -513"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "fsync returned the kernel-internal errno -518"));
	EXPECT_EQ(0, umount(self->dir));
}

/* The checks a filesystem may add to the VFS's own, returning a
 * kernel-internal errno, fail with EIO at once: an access check, stat,
 * statfs, and the check of a walk that ends on the root by a jump (crossing
 * onto the mount is one). */
TEST_F_TIMEOUT(misuse, checks_fail_with_eio, 120)
{
	struct statfs sfs;
	struct stat st;
	double start;
	int fs, mnt;

	LOAD_CASE("internal_errnos");
	ASSERT_EQ(0, mount("none", self->dir, ERRNOS_FS, 0, NULL));
	start = monotonic_seconds();
	EXPECT_EIO_PROMPTLY(access(self->dir, W_OK), start);
	EXPECT_EQ(0, access(self->dir, R_OK | X_OK));
	EXPECT_EIO_PROMPTLY(stat(self->dir, &st), start);
	EXPECT_EIO_PROMPTLY(statfs(self->dir, &sfs), start);
	EXPECT_EQ(0, umount(self->dir));

	/* Refused jumps: no walk reaches the root, not even umount's, so the
	 * mount is a detached one, reached from its fd by ".". */
	fs = syscall(SYS_fsopen, ERRNOS_FS, FSOPEN_CLOEXEC);
	ASSERT_LE(0, fs);
	ASSERT_EQ(0, syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, "jump", NULL, 0));
	ASSERT_EQ(0, syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
	mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	ASSERT_LE(0, mnt);
	EXPECT_EIO_PROMPTLY(openat(mnt, ".", O_PATH), start);
	close(mnt);
	close(fs);

	EXPECT_TRUE(logged_since_mark(_metadata->name, "permission returned the kernel-internal errno -514"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "getattr returned the kernel-internal errno -515"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "statfs returned the kernel-internal errno -524"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "revalidate_jump returned the kernel-internal errno -527"));
}

/* A read or write that says "queued" (EIOCBQUEUED) fails with EIO: under
 * read(2) it would hit BUG_ON() in new_sync_read(), under io_submit() the
 * request would never complete. */
TEST_F_TIMEOUT(misuse, file_ops_fail_with_eio, 120)
{
	char path[128], buf[16] = "0123456789abcdef";
	aio_context_t ctx = 0;
	int fd;
	double start;

	LOAD_CASE("internal_errnos");
	snprintf(path, sizeof(path), "%s/file", self->dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, mount("none", path, ERRNOS_FS, 0, "file"));

	fd = open(path, O_RDWR);
	ASSERT_LE(0, fd);
	start = monotonic_seconds();
	EXPECT_EIO_PROMPTLY(read(fd, buf, sizeof(buf)), start);
	EXPECT_EIO_PROMPTLY(pread(fd, buf, sizeof(buf), 4), start);
	EXPECT_EIO_PROMPTLY(write(fd, buf, sizeof(buf)), start);
	EXPECT_EIO_PROMPTLY(fsync(fd), start);
	EXPECT_TRUE(logged_since_mark(_metadata->name, "read_iter returned the kernel-internal errno -529"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "write_iter returned the kernel-internal errno -529"));

	if (syscall(SYS_io_setup, 1, &ctx) && errno == ENOSYS) {
		ksft_print_msg("io_submit not tried: this kernel has no CONFIG_AIO (the debug kernel has)\n");
	} else {
		struct iocb cb = {
			.aio_lio_opcode = IOCB_CMD_PREAD,
			.aio_fildes = fd,
			.aio_buf = (unsigned long)buf,
			.aio_nbytes = sizeof(buf),
		};
		struct iocb *cbs[1] = { &cb };
		struct io_event event;
		struct timespec timeout = { .tv_sec = (time_t)PROMPT_SECONDS };
		long submitted, got;

		ASSERT_NE(0, ctx) TH_LOG("io_setup: %s", strerror(errno));
		/* The error comes back either from io_submit itself or as the
		 * completed event's result; either way, at once. */
		submitted = syscall(SYS_io_submit, ctx, 1, cbs);
		if (submitted == 1) {
			got = syscall(SYS_io_getevents, ctx, 1, 1, &event, &timeout);
			EXPECT_EQ(1, got) TH_LOG("the read never completed");
			if (got == 1)
				EXPECT_EQ(-EIO, (long long)event.res);
		} else {
			EXPECT_EQ(-1, submitted);
			EXPECT_EQ(EIO, errno);
		}
		EXPECT_EQ(0, syscall(SYS_io_destroy, ctx));
	}
	close(fd);
	EXPECT_EQ(0, umount(path));
}

/* A mount whose init_root, parameter or remount fails with an internal
 * errno fails with EIO, at once (ERESTARTSYS with no signal pending would
 * reach userspace as "Unknown error 512"). */
TEST_F_TIMEOUT(misuse, mount_failures_fail_with_eio, 120)
{
	double start;

	LOAD_CASE("internal_errnos");
	start = monotonic_seconds();
	EXPECT_EIO_PROMPTLY(mount("none", self->dir, ERRNOS_FS, 0, "fail"), start);
	EXPECT_EIO_PROMPTLY(mount("none", self->dir, ERRNOS_FS, 0, "refuse"), start);
	ASSERT_EQ(0, mount("none", self->dir, ERRNOS_FS, 0, NULL));
	EXPECT_EIO_PROMPTLY(mount(NULL, self->dir, NULL, MS_REMOUNT, NULL), start);
	EXPECT_TRUE(logged_since_mark(_metadata->name, "init_root returned the kernel-internal errno -512"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "parse_param returned the kernel-internal errno -517"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "reconfigure returned the kernel-internal errno -516"));
	EXPECT_EQ(0, umount(self->dir));
}

/* Whatever the filesystem forgets, the mount goes cleanly and the module
 * unloads: it never had a reference to forget. */
TEST_F_TIMEOUT(misuse, forgetting_leaves_nothing_busy, 120)
{
	char path[128], buf[4096];
	struct stat st;
	int fd, i;

	LOAD_CASE("forgets_everything");
	ASSERT_EQ(0, mount("none", self->dir, FORGETS_FS, 0, NULL));
	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "%s/name-%d", self->dir, i);
		EXPECT_EQ(-1, stat(path, &st));
		EXPECT_EQ(ENOENT, errno);
	}
	fd = open(self->dir, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, fd);
	EXPECT_LT(0, syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	close(fd);
	EXPECT_EQ(0, mount(NULL, self->dir, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	ASSERT_EQ(0, umount(self->dir));
	ASSERT_EQ(0, unload_misuse_module(self->loaded));
	self->loaded = NULL;
	EXPECT_FALSE(fs_type_registered(FORGETS_FS));
	EXPECT_FALSE(logged_since_mark(_metadata->name, "Busy inodes"));
}

TEST_HARNESS_MAIN
