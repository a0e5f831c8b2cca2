// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own nullfs, in its role: the root under rootfs, of every
 * kernel thread and of every empty mount namespace; and failfs's root,
 * which FD_FAILFS_ROOT names (Linux 7.3). These hold on every kernel since
 * 7.0 whichever implementation it has, the C ones (fs/nullfs.c,
 * fs/failfs.c) or the Rust ones (CONFIG_NULLFS_RUST, CONFIG_FAILFS_RUST).
 * Run as root; they need no module.
 *
 * What the probes of the "/" of an empty mount namespace and of failfs's
 * root find is printed, one "# probe: " line each, so that two kernels'
 * runs can be compared line for line (rnullfs's make check KERNEL=intree
 * compares the Rust kernel's with the C kernel's).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "probe.h"
#include "proc_file.h"
#include "kselftest_harness.h"
#include "null_roots.h"

/* What statfs() says of tmpfs and of ramfs (include/uapi/linux/magic.h). */
#define TMPFS_MAGIC 0x01021994
#define RAMFS_MAGIC 0x858458f6

/* A handful of syscalls each: a minute is far above what any needs. */
#define QUICK 60

/* The pid of kthreadd, the parent of every kernel thread. */
#define KTHREADD_PID 2

FIXTURE(builtin) {};

FIXTURE_SETUP(builtin)
{
	/* A mount namespace of the test's own, its mounts private. */
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
}

FIXTURE_TEARDOWN(builtin) {}

/* Whether /proc/PID/stat says PID is a kernel thread (PF_KTHREAD). */
static int is_kernel_thread(pid_t pid)
{
	unsigned long flags = 0;
	char path[64], buf[1024], *p;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_text(path, buf, sizeof(buf)))
		return -1;
	/* The 9th field is the flags; the name (field 2) ends at the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	for (field = 2; field < 9 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %lu", &flags) != 1)
		return -1;
	return !!(flags & 0x00200000); /* PF_KTHREAD */
}

/* Whether the running kernel is older than MAJOR.MINOR. */
static int kernel_older_than(int major, int minor)
{
	struct utsname u;
	int got_major, got_minor;

	if (uname(&u) || sscanf(u.release, "%d.%d", &got_major, &got_minor) != 2)
		return 0;
	return got_major < major || (got_major == major && got_minor < minor);
}

TEST_F_TIMEOUT(builtin, kernel_threads_are_rooted_in_nullfs, QUICK)
{
	struct stat st;
	struct statfs sfs;
	char names[PROBE_LINE_MAX];
	int fd, calls;
	long last;

	ASSERT_EQ(1, is_kernel_thread(KTHREADD_PID)) TH_LOG("pid %d is not kthreadd", KTHREADD_PID);
	/* Its root, as the kernel gave it: the private nullfs, knullfs. */
	fd = open("/proc/2/root/", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, fd) TH_LOG("open /proc/2/root: %s", strerror(errno));
	ASSERT_EQ(0, fstatfs(fd, &sfs));
	/* Before 7.3 (knullfs is 7.3's), kernel threads are rooted in rootfs. */
	if (sfs.f_type != NULL_FS_MAGIC && kernel_older_than(7, 3)) {
		close(fd);
		SKIP(return,
		     "this kernel (Linux < 7.3) roots kernel threads in rootfs (magic %#lx), not in knullfs",
		     (unsigned long)sfs.f_type);
	}
	EXPECT_EQ(NULL_FS_MAGIC, sfs.f_type);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(1, st.st_ino);
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	/* Empty: "." and ".." only (name/d_type@offset). */
	probe_entries(fd, names, sizeof(names), &calls, &last);
	EXPECT_STREQ("./4@1 ../4@2", names);
	close(fd);
}

TEST_F_TIMEOUT(builtin, boot_mounted_rootfs_on_nullfs, QUICK)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *log;
	int n;

	ASSERT_LT(0, size);
	log = calloc(1, size + 1);
	ASSERT_NE(NULL, log);
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, size);
	ASSERT_LT(0, n);
	log[n] = 0;
	/* A system up for long has logged over its boot: nothing to look at. */
	if (!strstr(log, "Linux version ")) {
		free(log);
		SKIP(return, "the kernel log no longer holds the boot's messages");
	}
	EXPECT_NE(NULL, strstr(log, "VFS: Finished mounting rootfs on nullfs"));
	free(log);
}

/* Whether this process's "/" is the initramfs, rootfs, as /proc says. */
static bool root_is_rootfs(void)
{
	char line[512], mount_point[256], fs_type[64];
	bool found = false;
	const char *tail;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return false;
	/* "ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS... - TYPE SOURCE ..." */
	while (!found && fgets(line, sizeof(line), f)) {
		tail = strstr(line, " - ");
		found = tail && sscanf(line, "%*s %*s %*s %*s %255s", mount_point) == 1 &&
			sscanf(tail, " - %63s", fs_type) == 1 &&
			!strcmp(mount_point, "/") && !strcmp(fs_type, "rootfs");
	}
	fclose(f);
	return found;
}

/*
 * What nullfs under rootfs made possible: pivot_root() away from the
 * initramfs (rootfs) onto a new root, then unmount rootfs. Before 7.0
 * rootfs was the namespace's root mount, which pivot_root() refuses to
 * move (EINVAL); now it sits on nullfs, which takes the new root in its
 * place. The guest's PID 1 runs in rootfs, so this runs in the test's own
 * mount namespace, as an init would at the end of its initramfs.
 */
TEST_F_TIMEOUT(builtin, pivot_root_leaves_rootfs, QUICK)
{
	pid_t pid;
	int status;

	if (!root_is_rootfs())
		SKIP(return,
		     "this system's root is not the initramfs (rootfs): nothing to pivot away from");

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct statfs sfs;
		char line[512];
		FILE *f;

		/* Where we start: the initramfs. */
		if (statfs("/", &sfs) || (sfs.f_type != RAMFS_MAGIC && sfs.f_type != TMPFS_MAGIC))
			_exit(10);
		if (mkdir("/newroot", 0755) && errno != EEXIST)
			_exit(11);
		if (mount("newroot", "/newroot", "tmpfs", 0, NULL))
			_exit(12);
		if (mkdir("/newroot/oldroot", 0755) || mkdir("/newroot/proc", 0755))
			_exit(13);
		if (chdir("/newroot"))
			_exit(14);
		if (syscall(SYS_pivot_root, ".", "oldroot"))
			_exit(15);
		if (chroot(".") || chdir("/"))
			_exit(16);
		if (umount2("/oldroot", MNT_DETACH))
			_exit(17);
		/* Now the root is the new tmpfs, and rootfs is gone from view. */
		if (statfs("/", &sfs) || sfs.f_type != TMPFS_MAGIC)
			_exit(18);
		if (mount("proc", "/proc", "proc", 0, NULL))
			_exit(19);
		f = fopen("/proc/self/mountinfo", "r");
		if (!f)
			_exit(20);
		while (fgets(line, sizeof(line), f))
			if (strstr(line, " - rootfs ") || strstr(line, " /oldroot "))
				_exit(21);
		fclose(f);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	/*
	 * 15: pivot_root refused; 17: rootfs could not be unmounted; 21:
	 * rootfs still mounted: the step that failed, by its exit code.
	 */
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F_TIMEOUT(builtin, empty_mntns_root_is_nullfs, QUICK)
{
	struct probe_result *r = calloc(1, sizeof(*r));

	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, probe_empty_mntns_root(r)) TH_LOG("unshare(UNSHARE_EMPTY_MNTNS) failed");
	ASSERT_LT(1, r->count);
	for (int i = 0; i < r->count; i++)
		printf("# probe: %s\n", r->line[i]);
	/* nullfs's root: its magic, inode 1, an empty directory. */
	EXPECT_EQ(0, strncmp(r->line[0], "statfs: type=0x4e554c4c ", 24)) TH_LOG("%s", r->line[0]);
	EXPECT_NE(NULL, strstr(r->line[1], " ino=1 ")) TH_LOG("%s", r->line[1]);
	free(r);
}

/* "# probe: failfs WHAT: RESULT", RESULT "ok" or the errno's name of a call that returned -1. */
static void failfs_probe(const char *what, long ret)
{
	const char *name = ret == -1 ? strerrorname_np(errno) : NULL;

	printf("# probe: failfs %s: %s\n", what, ret == -1 ? (name ? name : "?") : "ok");
	fflush(stdout);
}

/* The same for a link read: its text, or the errno's name. */
static void failfs_probe_link(const char *what, int dirfd, const char *path)
{
	char target[256];
	ssize_t n = readlinkat(dirfd, path, target, sizeof(target) - 1);

	if (n < 0) {
		failfs_probe(what, -1);
		return;
	}
	target[n] = 0;
	printf("# probe: failfs %s: \"%s\"\n", what, target);
	fflush(stdout);
}

/*
 * What failfs's probe checks, in a child that puts its working directory,
 * then its root, on failfs's root: 0 if every result is the one
 * Documentation and fs/failfs.c give, else the number of the first that
 * is not. Each result is printed as a probe line too.
 */
static int probe_failfs(void)
{
	struct {
		struct file_handle handle;
		unsigned char bytes[128];
	} fh = { .handle.handle_bytes = 128 };
	char cwd[256];
	struct stat st;
	struct statfs sfs;
	int proc, mnt_id, ret;

	proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0)
		return 1;
	ret = fchdir(FD_FAILFS_ROOT);
	failfs_probe("fchdir(FD_FAILFS_ROOT)", ret);
	if (ret)
		return 2;
	if (getcwd(cwd, sizeof(cwd)))
		printf("# probe: failfs getcwd: \"%s\"\n", cwd);
	else
		failfs_probe("getcwd", -1);
	ret = openat(AT_FDCWD, "x", O_RDONLY);
	failfs_probe("openat(AT_FDCWD, \"x\")", ret);
	if (ret != -1 || errno != EOPNOTSUPP)
		return 3;
	ret = stat(".", &st);
	failfs_probe("stat(\".\")", ret);
	if (ret != -1 || errno != EOPNOTSUPP)
		return 4;
	ret = statfs(".", &sfs);
	failfs_probe("statfs(\".\")", ret);
	if (ret != -1 || errno != EOPNOTSUPP)
		return 5;
	ret = openat(proc, "self/cwd", O_PATH);
	failfs_probe("open(/proc/self/cwd, O_PATH)", ret);
	if (ret != -1 || errno != EOPNOTSUPP)
		return 6;
	failfs_probe_link("readlink(/proc/self/cwd)", proc, "self/cwd");
	ret = name_to_handle_at(AT_FDCWD, ".", &fh.handle, &mnt_id, 0);
	failfs_probe("name_to_handle_at(\".\")", ret);
	if (ret != -1)
		return 7;
	ret = chdir("/");
	failfs_probe("chdir(\"/\") back", ret);
	if (ret)
		return 8;
#ifdef SYS_fchroot
	ret = syscall(SYS_fchroot, FD_FAILFS_ROOT, 0);
	failfs_probe("fchroot(FD_FAILFS_ROOT) as root", ret);
	if (ret)
		return 9;
	ret = stat("/", &st);
	failfs_probe("stat(\"/\") after fchroot", ret);
	if (ret != -1 || errno != EOPNOTSUPP)
		return 10;
	failfs_probe_link("readlink(/proc/self/root)", proc, "self/root");
#endif
	return 0;
}

TEST_F_TIMEOUT(builtin, failfs_root_fails_every_operation, QUICK)
{
	pid_t pid;
	int status;

	if (fchdir(FD_FAILFS_ROOT) == -1 && errno == EBADF)
		SKIP(return, "no failfs in this kernel (FD_FAILFS_ROOT came with Linux 7.3)");
	ASSERT_EQ(0, chdir("/"));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(probe_failfs());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("failfs probe step %d went otherwise (its lines above)",
		       WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
