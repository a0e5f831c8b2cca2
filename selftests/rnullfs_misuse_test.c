// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime misuse cases of the VFS layer: filesystems written in safe
 * Rust against rust/vfs/ that misuse it in ways its types cannot refuse
 * (selftests/misuse/runtime_*.rs, built as misuse_NAME.ko by
 * scripts/build-misuse-modules). Each is loaded, mounted and driven here,
 * and the kernel must stay whole: a kernel-internal errno that an
 * operation's C caller may not be given reaches userspace as EIO, with a
 * warning naming the filesystem and the operation, and one it may be given
 * (a restart, with a signal pending) does what it does in C; a position
 * left outside the file is refused; a check that sleeps never runs in
 * RCU-walk; nothing hangs; and unmount and unload work afterwards, with no
 * busy inode. A splat anywhere fails the whole run (make check's scan).
 *
 * The modules are built for the project's kernels only (make check, make
 * check DEBUG=1): elsewhere each test is skipped, saying so.
 *
 * Isolation: every test runs in a mount namespace of its own, and unloads
 * the module it loaded in its teardown.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/klog.h>
#include <sys/time.h>
#include <sys/wait.h>
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
#define CONTRACTS_FS "misuse_contracts"

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
	EXPECT_EIO_PROMPTLY(mount("none", self->dir, ERRNOS_FS, 0, "data"), start);
	EXPECT_EIO_PROMPTLY(mount("none", self->dir, ERRNOS_FS, 0, "refuse"), start);
	ASSERT_EQ(0, mount("none", self->dir, ERRNOS_FS, 0, NULL));
	EXPECT_EIO_PROMPTLY(mount(NULL, self->dir, NULL, MS_REMOUNT, NULL), start);
	EXPECT_TRUE(logged_since_mark(_metadata->name, "init_root returned the kernel-internal errno -512"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "init_data returned the kernel-internal errno -512"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "parse_param returned the kernel-internal errno -517"));
	EXPECT_TRUE(logged_since_mark(_metadata->name, "reconfigure returned the kernel-internal errno -516"));
	EXPECT_EQ(0, umount(self->dir));
}

/* ENOPARAM is the one kernel-internal errno parse_param's caller takes:
 * "not mine". It passes on, and the VFS refuses the parameter as unknown
 * (EINVAL), with no warning of an internal errno. */
TEST_F_TIMEOUT(misuse, parse_param_may_say_not_mine, 120)
{
	double start;

	LOAD_CASE("internal_errnos");
	start = monotonic_seconds();
	errno = 0;
	EXPECT_EQ(-1, mount("none", self->dir, ERRNOS_FS, 0, "notmine"));
	EXPECT_EQ(EINVAL, errno) TH_LOG("%s", strerror(errno));
	EXPECT_GT(PROMPT_SECONDS, monotonic_seconds() - start);
	EXPECT_FALSE(logged_since_mark(_metadata->name, "parse_param returned the kernel-internal"));
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

/* A directory's permission method sleeps, then reads its super block's
 * root. Against 19144cf it ran in RCU-walk, where nothing holds the mount
 * and sleeping is a bug ("scheduling while atomic"; with a umount
 * meanwhile, a NULL dereference). Now the layer answers ECHILD there and
 * the VFS calls it again in ref-walk: walks through the directory, while
 * the mount is detached and made again under them, all end with ENOENT,
 * promptly, and the log has no splat. */
TEST_F_TIMEOUT(misuse, permission_never_runs_in_rcu_walk, 120)
{
	const double walk_seconds = 2.0;
	char path[128];
	double start;
	pid_t walker;
	int status, mounts = 0;

	LOAD_CASE("contracts");
	ASSERT_EQ(0, mount("none", self->dir, CONTRACTS_FS, 0, NULL));
	snprintf(path, sizeof(path), "%s/missing", self->dir);
	walker = fork();
	ASSERT_LE(0, walker);
	if (walker == 0) {
		double end = monotonic_seconds() + walk_seconds;
		struct stat st;

		while (monotonic_seconds() < end) {
			double before = monotonic_seconds();

			if (stat(path, &st) == 0 || errno != ENOENT)
				_exit(1);
			if (monotonic_seconds() - before > PROMPT_SECONDS)
				_exit(2);
		}
		_exit(0);
	}
	start = monotonic_seconds();
	while (monotonic_seconds() - start < walk_seconds) {
		EXPECT_EQ(0, umount2(self->dir, MNT_DETACH));
		ASSERT_EQ(0, mount("none", self->dir, CONTRACTS_FS, 0, NULL));
		mounts++;
		usleep(2000);
	}
	ASSERT_EQ(walker, waitpid(walker, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("a walk %s", WEXITSTATUS(status) == 1 ? "did not end in ENOENT" : "hung");
	ksft_print_msg("%d mounts detached under the walks\n", mounts);
	EXPECT_FALSE(logged_since_mark(_metadata->name, "BUG:"));
	EXPECT_FALSE(logged_since_mark(_metadata->name, "WARNING:"));
	EXPECT_EQ(0, umount(self->dir));
}

/* A directory that refuses every access as data, with a kernel-internal
 * errno: the layer's constant answer, given in RCU-walk too, still follows
 * the errno rule (EIO, and the log names the filesystem and the operation
 * once). */
TEST_F_TIMEOUT(misuse, constant_refusal_follows_the_errno_rule, 120)
{
	char path[128];
	struct stat st;
	double start;

	LOAD_CASE("contracts");
	ASSERT_EQ(0, mount("none", self->dir, CONTRACTS_FS, 0, "refuse"));
	snprintf(path, sizeof(path), "%s/missing", self->dir);
	start = monotonic_seconds();
	EXPECT_EIO_PROMPTLY(stat(path, &st), start);
	EXPECT_EIO_PROMPTLY(access(self->dir, R_OK), start);
	EXPECT_TRUE(logged_since_mark(_metadata->name,
				      "misuse_contracts: permission returned the kernel-internal errno -517"));
	EXPECT_EQ(0, umount(self->dir));
}

/* Mounts the contracts case's file, with `option`, over DIR/file, and
 * opens it read-write: the fd. */
static int contract_file(const char *dir, const char *option)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	if (mount("none", path, CONTRACTS_FS, 0, option))
		return -1;
	return open(path, O_RDWR);
}

/* A read or write that leaves the file position outside 0..s_maxbytes
 * fails with EIO, and the position stays where it was. Against 19144cf
 * lseek(fd, 0, SEEK_CUR) returned -512 as an errno ("negative"), and a
 * position past s_maxbytes made the next I/O fail with EINVAL ("beyond").
 * The log says so once per operation of the filesystem: for the first. */
TEST_F_TIMEOUT(misuse, position_outside_the_file_is_refused, 120)
{
	static const char *const options[] = { "negative", "beyond" };
	char buf[16] = "0123456789abcdef", path[128];
	double start;

	LOAD_CASE("contracts");
	snprintf(path, sizeof(path), "%s/file", self->dir);
	for (int i = 0; i < 2; i++) {
		int fd = contract_file(self->dir, options[i]);

		ASSERT_LE(0, fd) TH_LOG("%s: %s", options[i], strerror(errno));
		ASSERT_EQ(5, lseek(fd, 5, SEEK_SET));
		start = monotonic_seconds();
		EXPECT_EIO_PROMPTLY(read(fd, buf, sizeof(buf)), start);
		EXPECT_EQ(5, lseek(fd, 0, SEEK_CUR)) TH_LOG("%s: the read moved it", options[i]);
		EXPECT_EIO_PROMPTLY(write(fd, buf, sizeof(buf)), start);
		EXPECT_EQ(5, lseek(fd, 0, SEEK_CUR)) TH_LOG("%s: the write moved it", options[i]);
		/* An llseek that answers the position: refused by vfs_setpos. */
		errno = 0;
		EXPECT_EQ(-1, lseek(fd, 0, SEEK_END));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(5, lseek(fd, 0, SEEK_CUR)) TH_LOG("%s: the llseek moved it", options[i]);
		close(fd);
		EXPECT_EQ(0, umount(path));
	}
	EXPECT_TRUE(logged_since_mark(_metadata->name,
				      "misuse_contracts: read_iter left the file position at -512;"));
	EXPECT_TRUE(logged_since_mark(_metadata->name,
				      "misuse_contracts: write_iter left the file position at -512;"));
	EXPECT_FALSE(logged_since_mark(_metadata->name, "position at 9223372036854775807"))
		TH_LOG("warned twice for one operation");
}

static volatile sig_atomic_t alarms;

static void count_alarm(int sig)
{
	alarms++;
}

/* Sets SIGALRM's handler, with or without SA_RESTART, and the timer to
 * fire once, 100 ms from now. */
static int alarm_soon(int flags)
{
	struct sigaction action = { .sa_handler = count_alarm, .sa_flags = flags };
	struct itimerval timer = { .it_value = { .tv_usec = 100000 } };

	alarms = 0;
	if (sigaction(SIGALRM, &action, NULL))
		return -1;
	return setitimer(ITIMER_REAL, &timer, NULL);
}

/* A read that waits and is interrupted by a signal (its odd calls wait 2 s,
 * then say ERESTARTSYS) gives what C gives: EINTR when the handler has no
 * SA_RESTART, a restarted read with it (the next call, which finds the end
 * of the file). Against 19144cf both were EIO. */
TEST_F_TIMEOUT(misuse, interrupted_read_restarts_or_fails_with_eintr, 120)
{
	char buf[16];
	double start;
	int fd;

	LOAD_CASE("contracts");
	fd = contract_file(self->dir, "restart");
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(errno));

	ASSERT_EQ(0, alarm_soon(0));
	start = monotonic_seconds();
	errno = 0;
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EINTR, errno) TH_LOG("without SA_RESTART: %s", strerror(errno));
	EXPECT_EQ(1, alarms);
	EXPECT_GT(PROMPT_SECONDS, monotonic_seconds() - start);

	/* The even call: the end of the file at once. */
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));

	ASSERT_EQ(0, alarm_soon(SA_RESTART));
	start = monotonic_seconds();
	EXPECT_EQ(0, read(fd, buf, sizeof(buf))) TH_LOG("with SA_RESTART: %s", strerror(errno));
	EXPECT_EQ(1, alarms);
	EXPECT_GT(PROMPT_SECONDS, monotonic_seconds() - start);
	EXPECT_FALSE(logged_since_mark(_metadata->name, "kernel-internal errno"));
	close(fd);
	signal(SIGALRM, SIG_DFL);
}

TEST_HARNESS_MAIN
