// SPDX-License-Identifier: GPL-2.0
/*
 * rnullfs selftests: run as root in the test guest (make check), with
 * rnullfs.ko loaded and its file at $RNULLFS_KO (default /opt/rnullfs.ko).
 * Each test asserts something a user of rnullfs relies on.
 *
 * Isolation: every test runs in a mount namespace of its own (its mounts go
 * with it, however it ends), and every test that unloads or reloads the
 * module starts from, and puts back, the module as the guest loaded it.
 * Time: each test has an explicit harness timeout well above what it needs
 * on a slow debug kernel; none depends on the machine's speed.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/klog.h>
#include <sys/prctl.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <linux/mount.h>

#include "probe.h"
#include "module.h"
#include "kselftest_harness.h"
#include "filesystems/readdir_hold.h"


/* The message the last refusal left in an fsopen()/fspick() context's log. */
static void context_log(int fs_fd, char *buf, size_t size)
{
	ssize_t n;

	buf[0] = 0;
	while ((n = read(fs_fd, buf, size - 1)) > 0)
		buf[n] = 0; /* keep the last one */
}

/* Every entry name of a directory, joined with spaces. */
static void dir_names(int fd, char *out, size_t size)
{
	int calls;
	long last;

	lseek(fd, 0, SEEK_SET);
	probe_entries(fd, out, size, &calls, &last);
}

/*
 * The harness timeout of a test that does a bounded handful of syscalls: a
 * second on the debug kernel at half speed, so a minute is far above it.
 */
#define QUICK 60
/*
 * A test that unloads the module waits up to UNLOAD_WAIT_SECONDS, in its
 * setup, its body and its teardown: three times that, and room to spare.
 */
#define MODULE_TIMEOUT (4 * (int)UNLOAD_WAIT_SECONDS)

/* A mount namespace of the test's own. */
FIXTURE(isolated) {};

FIXTURE_SETUP(isolated)
{
	ASSERT_EQ(0, private_mount_namespace()) TH_LOG("a private mount namespace: %m");
}

FIXTURE_TEARDOWN(isolated) {}

/* The same, with rnullfs mounted on a new directory. */
FIXTURE(mounted) {
	char dir[64];
};

FIXTURE_SETUP(mounted)
{
	ASSERT_EQ(0, private_mount_namespace()) TH_LOG("a private mount namespace: %m");
	strcpy(self->dir, "/tmp/rnullfs.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, mount("none", self->dir, "rnullfs", 0, NULL))
		TH_LOG("mount -t rnullfs: %m");
}

FIXTURE_TEARDOWN(mounted)
{
	umount2(self->dir, MNT_DETACH);
	rmdir(self->dir);
}

/*
 * For the tests that unload or reload the module: they start from the
 * module as the guest loaded it (whatever an earlier test, even a killed
 * one, left) and put it back so in their teardown.
 */
FIXTURE(module_state) {};

FIXTURE_SETUP(module_state)
{
	ASSERT_EQ(0, private_mount_namespace()) TH_LOG("a private mount namespace: %m");
	ASSERT_EQ(0, restore_module()) TH_LOG("loading %s: %m", module_path());
}

FIXTURE_TEARDOWN(module_state)
{
	EXPECT_EQ(0, restore_module()) TH_LOG("putting %s back: %m", module_path());
}

TEST_F_TIMEOUT(isolated, registered_as_nodev_filesystem, QUICK)
{
	ASSERT_EQ(1, fs_registered());
}

TEST_F_TIMEOUT(mounted, statfs_says_nullfs_read_only, QUICK)
{
	struct statfs sfs;

	ASSERT_EQ(0, statfs(self->dir, &sfs));
	EXPECT_EQ(NULL_FS_MAGIC, sfs.f_type);
	EXPECT_EQ(4096, sfs.f_bsize);
	EXPECT_EQ(0, sfs.f_blocks);
	EXPECT_EQ(0, sfs.f_files);
	EXPECT_EQ(255, sfs.f_namelen);
	EXPECT_TRUE(sfs.f_flags & ST_RDONLY);
}

TEST_F_TIMEOUT(mounted, root_is_an_empty_0555_directory, QUICK)
{
	struct stat st;

	ASSERT_EQ(0, stat(self->dir, &st));
	EXPECT_EQ(S_IFDIR | 0555, st.st_mode);
	EXPECT_EQ(2, st.st_nlink);
	EXPECT_EQ(1, st.st_ino);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(0, st.st_gid);
	EXPECT_EQ(0, st.st_size);
	EXPECT_EQ(0, st.st_blocks);
}

TEST_F_TIMEOUT(mounted, readdir_gives_dot_and_dotdot_only, QUICK)
{
	char names[1024];
	int calls;
	long last;
	int fd = open(self->dir, O_RDONLY | O_DIRECTORY);

	ASSERT_GE(fd, 0);
	probe_entries(fd, names, sizeof(names), &calls, &last);
	EXPECT_STREQ("./4@1 ../4@2", names);
	EXPECT_EQ(0, last);
	/* The end stays the end, and offset 1 gives ".." again. */
	EXPECT_EQ(2, lseek(fd, 0, SEEK_END));
	EXPECT_EQ(-1, lseek(fd, 3, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(1, lseek(fd, 1, SEEK_SET));
	probe_entries(fd, names, sizeof(names), &calls, &last);
	EXPECT_STREQ("../4@2", names);
	close(fd);
}

TEST_F_TIMEOUT(mounted, nothing_can_be_created, QUICK)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/new", self->dir);
	EXPECT_EQ(-1, open(path, O_CREAT | O_WRONLY, 0644));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, mkdir(path, 0755));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, mknod(path, S_IFIFO | 0644, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, symlink("x", path));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, open(self->dir, O_TMPFILE | O_RDWR, 0600));
	/* And nothing appeared. */
	fd = open(self->dir, O_RDONLY | O_DIRECTORY);
	ASSERT_GE(fd, 0);
	dir_names(fd, path, sizeof(path));
	EXPECT_STREQ("./4@1 ../4@2", path);
	close(fd);
}

TEST_F_TIMEOUT(mounted, locks_are_refused, QUICK)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	int fd = open(self->dir, O_RDONLY | O_DIRECTORY);

	ASSERT_GE(fd, 0);
	EXPECT_EQ(-1, flock(fd, LOCK_SH | LOCK_NB));
	EXPECT_EQ(ENOLCK, errno);
	EXPECT_EQ(-1, fcntl(fd, F_SETLK, &fl));
	EXPECT_EQ(ENOLCK, errno);
	EXPECT_EQ(-1, fcntl(fd, F_OFD_SETLK, &fl));
	EXPECT_EQ(ENOLCK, errno);
	close(fd);
}

/*
 * Whether the booted kernel's C nullfs (the "/" of an empty mount
 * namespace) takes an inotify mark: 1 or 0, or -1 if it cannot be asked.
 * Linux 7.2 has no FS_DISALLOW_NOTIFY, so there neither its C nullfs nor
 * rnullfs refuse marks; from 7.3 both do.
 */
static int c_nullfs_takes_inotify_marks(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int in;

		if (unshare(UNSHARE_EMPTY_MNTNS))
			_exit(2);
		in = inotify_init1(IN_CLOEXEC);
		if (in < 0)
			_exit(2);
		_exit(inotify_add_watch(in, "/", IN_ALL_EVENTS) >= 0 ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) == 0 ? 1 : WEXITSTATUS(status) == 1 ? 0 : -1;
}

TEST_F_TIMEOUT(mounted, inotify_is_refused, QUICK)
{
	int c_takes = c_nullfs_takes_inotify_marks();
	int in;

	ASSERT_NE(-1, c_takes) TH_LOG("cannot ask the C nullfs (unshare(UNSHARE_EMPTY_MNTNS))");
	if (c_takes)
		SKIP(return, "this kernel has no FS_DISALLOW_NOTIFY (Linux < 7.3): its C nullfs takes inotify marks, so rnullfs does too (the probe compares them)");
	in = inotify_init1(IN_CLOEXEC);
	ASSERT_GE(in, 0);
	EXPECT_EQ(-1, inotify_add_watch(in, self->dir, IN_ALL_EVENTS));
	EXPECT_EQ(EINVAL, errno);
	close(in);
}

TEST_F_TIMEOUT(mounted, failed_lookups_cache_no_dentries, QUICK)
{
	char path[128];
	struct stat st;
	long before, after;

	before = nr_dentry();
	ASSERT_GT(before, 0);
	for (int i = 0; i < 20000; i++) {
		snprintf(path, sizeof(path), "%s/missing-%d", self->dir, i);
		ASSERT_EQ(-1, stat(path, &st));
	}
	after = nr_dentry();
	/* 20000 negative dentries would show; allow for unrelated noise. */
	EXPECT_LT(after - before, 500) TH_LOG("nr_dentry %ld -> %ld", before, after);
}

static bool same_time(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/*
 * A masked file's times never move: not on reads (S_NOATIME; the directory
 * root cannot tell, its read-only super block already keeps atime still),
 * not on writes, not on an explicit touch. The `-o file` super block is
 * writable, so here rnullfs alone decides: sendfile() reads through the
 * VFS's splice_direct_to_actor(), which updates atime unless the inode says
 * S_NOATIME.
 */
TEST_F_TIMEOUT(isolated, masked_file_times_never_move, QUICK)
{
	char path[] = "/tmp/rnullfs-times.XXXXXX", buf[64];
	struct stat before, after;
	off_t offset = 0;
	int fd, sink;

	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, mount("none", path, "rnullfs", 0, "file"));
	ASSERT_EQ(0, stat(path, &before));
	/* Past the inode's creation time, so that any update would show. */
	usleep(20000);
	fd = open(path, O_RDWR);
	ASSERT_GE(fd, 0);
	sink = open("/dev/null", O_WRONLY);
	ASSERT_GE(sink, 0);
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, sendfile(sink, fd, &offset, sizeof(buf)));
	EXPECT_EQ(5, write(fd, "hello", 5));
	EXPECT_EQ(0, futimens(fd, NULL)) TH_LOG("touch: %m");
	close(sink);
	close(fd);
	ASSERT_EQ(0, stat(path, &after));
	EXPECT_TRUE(same_time(before.st_atim, after.st_atim))
		TH_LOG("atime moved: %ld.%09ld -> %ld.%09ld", before.st_atim.tv_sec,
		       before.st_atim.tv_nsec, after.st_atim.tv_sec, after.st_atim.tv_nsec);
	EXPECT_TRUE(same_time(before.st_mtim, after.st_mtim)) TH_LOG("mtime moved");
	EXPECT_TRUE(same_time(before.st_ctim, after.st_ctim)) TH_LOG("ctime moved");
	EXPECT_EQ(0, umount(path));
	unlink(path);
}

TEST_F_TIMEOUT(mounted, remount_rw_is_refused_with_a_message, QUICK)
{
	char log[256];
	struct statfs sfs;
	int fs_fd;

	EXPECT_EQ(-1, mount(NULL, self->dir, NULL, MS_REMOUNT, NULL));
	EXPECT_EQ(EROFS, errno);
	/* The new API: the refusal is explained in the context's log. */
	fs_fd = syscall(SYS_fspick, AT_FDCWD, self->dir, FSPICK_CLOEXEC);
	ASSERT_GE(fs_fd, 0);
	ASSERT_EQ(0, syscall(SYS_fsconfig, fs_fd, FSCONFIG_SET_FLAG, "rw", NULL, 0));
	EXPECT_EQ(-1, syscall(SYS_fsconfig, fs_fd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
	EXPECT_EQ(EROFS, errno);
	context_log(fs_fd, log, sizeof(log));
	EXPECT_STREQ("e rnullfs: an empty directory is read-only for good\n", log);
	close(fs_fd);
	ASSERT_EQ(0, statfs(self->dir, &sfs));
	EXPECT_TRUE(sfs.f_flags & ST_RDONLY);
	/* Remounting read-only is fine; asking for a file root is not. */
	EXPECT_EQ(0, mount(NULL, self->dir, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	EXPECT_EQ(-1, mount(NULL, self->dir, NULL, MS_REMOUNT | MS_RDONLY, "file"));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F_TIMEOUT(isolated, unknown_options_are_refused_with_a_message, QUICK)
{
	char dir[] = "/tmp/rnullfs.XXXXXX", log[256];
	struct stat st;
	int fs_fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	EXPECT_EQ(-1, mount("none", dir, "rnullfs", 0, "size=1"));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mount("none", dir, "rnullfs", 0, "file=yes"));
	EXPECT_EQ(EINVAL, errno);
	/* Nothing was mounted: the directory is still the tmpfs one. */
	ASSERT_EQ(0, stat(dir, &st));
	EXPECT_NE(1, st.st_ino);

	fs_fd = syscall(SYS_fsopen, "rnullfs", FSOPEN_CLOEXEC);
	ASSERT_GE(fs_fd, 0);
	EXPECT_EQ(-1, syscall(SYS_fsconfig, fs_fd, FSCONFIG_SET_STRING, "size", "1", 0));
	EXPECT_EQ(EINVAL, errno);
	context_log(fs_fd, log, sizeof(log));
	EXPECT_STREQ("e rnullfs: Unknown parameter 'size'\n", log);
	EXPECT_EQ(-1, syscall(SYS_fsconfig, fs_fd, FSCONFIG_SET_STRING, "file", "1", 0));
	EXPECT_EQ(EINVAL, errno);
	context_log(fs_fd, log, sizeof(log));
	EXPECT_STREQ("e rnullfs: 'file' takes no value\n", log);
	/* The source is accepted, as for any filesystem. */
	EXPECT_EQ(0, syscall(SYS_fsconfig, fs_fd, FSCONFIG_SET_STRING, "source", "none", 0));
	close(fs_fd);
	rmdir(dir);
}

TEST_F_TIMEOUT(isolated, mount_api_fsopen_fsmount_move_mount, QUICK)
{
	char dir[] = "/tmp/rnullfs.XXXXXX";
	struct stat st;
	int fs_fd, mnt_fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	fs_fd = syscall(SYS_fsopen, "rnullfs", FSOPEN_CLOEXEC);
	ASSERT_GE(fs_fd, 0);
	ASSERT_EQ(0, syscall(SYS_fsconfig, fs_fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
	mnt_fd = syscall(SYS_fsmount, fs_fd, FSMOUNT_CLOEXEC, 0);
	ASSERT_GE(mnt_fd, 0);
	ASSERT_EQ(0, fstatat(mnt_fd, "", &st, AT_EMPTY_PATH));
	EXPECT_EQ(1, st.st_ino);
	ASSERT_EQ(0, syscall(SYS_move_mount, mnt_fd, "", AT_FDCWD, dir, MOVE_MOUNT_F_EMPTY_PATH));
	ASSERT_EQ(0, stat(dir, &st));
	EXPECT_EQ(S_IFDIR | 0555, st.st_mode);
	close(mnt_fd);
	close(fs_fd);
	EXPECT_EQ(0, umount(dir));
	rmdir(dir);
}

TEST_F_TIMEOUT(isolated, file_variant_masks_a_file, QUICK)
{
	char path[] = "/tmp/rnullfs-file.XXXXXX", buf[64];
	int pipefd[2];
	struct stat st;
	int fd;

	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(6, write(fd, "secret", 6));
	close(fd);
	ASSERT_EQ(0, mount("none", path, "rnullfs", 0, "file")) TH_LOG("mount -o file: %m");

	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(S_IFREG | 0666, st.st_mode);
	EXPECT_EQ(2, st.st_ino);
	EXPECT_EQ(0, st.st_size);
	fd = open(path, O_RDWR);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(5, write(fd, "hello", 5));
	EXPECT_EQ(0, pread(fd, buf, sizeof(buf), 0));
	/* Splice: nothing comes out, everything goes in and vanishes. */
	ASSERT_EQ(0, pipe(pipefd));
	EXPECT_EQ(0, splice(fd, NULL, pipefd[1], NULL, 4096, 0));
	EXPECT_EQ(4, write(pipefd[1], "data", 4));
	EXPECT_EQ(4, splice(pipefd[0], NULL, fd, NULL, 4096, 0));
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	/* Mode and owner are refused; size and times "succeed" and change nothing. */
	EXPECT_EQ(-1, fchmod(fd, 0600));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, fchown(fd, 1000, 1000));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(0, ftruncate(fd, 100));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	EXPECT_EQ(-1, flock(fd, LOCK_EX | LOCK_NB));
	EXPECT_EQ(ENOLCK, errno);
	close(fd);
	close(pipefd[0]);
	close(pipefd[1]);

	/* A masked file may be remounted read-only, and back. */
	ASSERT_EQ(0, mount(NULL, path, NULL, MS_REMOUNT | MS_RDONLY, NULL)) TH_LOG("remount ro: %m");
	EXPECT_EQ(-1, open(path, O_WRONLY));
	EXPECT_EQ(EROFS, errno);
	ASSERT_EQ(0, mount(NULL, path, NULL, MS_REMOUNT, NULL)) TH_LOG("remount rw: %m");
	fd = open(path, O_WRONLY);
	EXPECT_GE(fd, 0);
	close(fd);

	/* Unmasked, the file is as it was. */
	ASSERT_EQ(0, umount(path));
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(6, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "secret", 6));
	close(fd);
	unlink(path);
}

TEST_F_TIMEOUT(isolated, file_variant_does_not_go_on_a_directory, QUICK)
{
	char dir[] = "/tmp/rnullfs.XXXXXX";

	ASSERT_NE(NULL, mkdtemp(dir));
	EXPECT_EQ(-1, mount("none", dir, "rnullfs", 0, "file"));
	EXPECT_EQ(ENOTDIR, errno);
	rmdir(dir);
}

TEST_F_TIMEOUT(isolated, readdir_blocks_nobody, QUICK)
{
	struct readdir_hold hold;
	char dir[] = "/tmp/rnullfs.XXXXXX";
	bool stalled = true;
	int dfd;

	if (readdir_hold_init(&hold))
		SKIP(return, "userfaultfd is not available");
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, mount("none", dir, "rnullfs", 0, NULL));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(dfd, 0);
	ASSERT_EQ(0, readdir_hold_check(&hold, dfd, &stalled));
	/* FOP_IMMUTABLE: the lookup came back while the readdir was stuck. */
	EXPECT_FALSE(stalled);
	close(dfd);
	readdir_hold_destroy(&hold);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}

TEST_F_TIMEOUT(module_state, rmmod_is_refused_while_mounted_even_lazily, MODULE_TIMEOUT)
{
	char dir[] = "/tmp/rnullfs.XXXXXX";
	int fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, mount("none", dir, "rnullfs", 0, NULL));
	EXPECT_EQ(-1, unload_module());
	EXPECT_EQ(EWOULDBLOCK, errno);
	/* Detached from the tree, but an open fd keeps the super block. */
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, umount2(dir, MNT_DETACH));
	EXPECT_EQ(-1, unload_module());
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_EQ(1, fs_registered());
	close(fd);
	/*
	 * The last reference is gone: now it unloads (once the detached mount's
	 * deferred teardown has run), and loads again.
	 */
	unload_when_idle();
	ASSERT_EQ(0, fs_registered())
		TH_LOG("still loaded %.0f s after the last reference went", UNLOAD_WAIT_SECONDS);
	EXPECT_EQ(-1, mount("none", dir, "rnullfs", 0, NULL));
	EXPECT_EQ(ENODEV, errno);
	ASSERT_EQ(0, load_module_with("")) TH_LOG("finit_module %s: %m", module_path());
	EXPECT_EQ(1, fs_registered());
	EXPECT_EQ(0, mount("none", dir, "rnullfs", 0, NULL));
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}

/*
 * In a child: become uid 1000, enter a new user and mount namespace (where
 * that uid is root), and try to mount rnullfs. Returns the child's errno of
 * the mount (0 on success), or -1 if the namespace could not be made.
 * On success the child checks what the root's owner looks like inside.
 */
static int mount_in_userns(uid_t *root_owner)
{
	uid_t *owner = mmap(NULL, sizeof(*owner), PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	if (owner == MAP_FAILED)
		return -1;
	*owner = (uid_t)-1;
	pid = fork();
	if (pid == 0) {
		char dir[] = "/tmp/rnullfs-userns.XXXXXX";
		struct stat st;

		if (!mkdtemp(dir) || chown(dir, 1000, 1000))
			_exit(255);
		if (become_userns_root(1000))
			_exit(255);
		if (mount("none", dir, "rnullfs", 0, NULL))
			_exit(errno);
		if (stat(dir, &st) == 0)
			*owner = st.st_uid;
		umount(dir);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	*root_owner = *owner;
	munmap(owner, sizeof(*owner));
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 255)
		return -1;
	return WEXITSTATUS(status);
}

TEST_F_TIMEOUT(module_state, userns_mount_needs_the_module_parameter, MODULE_TIMEOUT)
{
	uid_t owner;
	int err;

	/* Without userns_mount, like any filesystem without FS_USERNS_MOUNT. */
	ASSERT_EQ(0, reload_module(""));
	err = mount_in_userns(&owner);
	if (err < 0)
		SKIP(return, "cannot create a user namespace as uid 1000");
	EXPECT_EQ(EPERM, err);

	/* With it, the owner of a user namespace may mount rnullfs. */
	ASSERT_EQ(0, reload_module("userns_mount=1")) TH_LOG("finit_module: %m");
	err = mount_in_userns(&owner);
	EXPECT_EQ(0, err) TH_LOG("mount in a user namespace: %s", strerror(err));
	/*
	 * The root belongs to the root of the mounting namespace (new_inode()
	 * writes uid 0 in the super block's user namespace), as a tmpfs root
	 * would: uid 0 inside, the namespace's owner (uid 1000) outside. Being
	 * owner grants nothing here: the root is 0555, immutable, read-only.
	 */
	EXPECT_EQ(0, owner);
	/* The teardown puts the module back as the guest loaded it. */
}

/*
 * Whether the kernel under test has `option` (e.g. "CONFIG_KUNIT") built in,
 * from the copy of its .config that make check puts beside the tests:
 * 1 or 0, or -1 if that copy is missing.
 */
static int kernel_has(const char *option)
{
	char path[512], want[128];
	int n;

	if (test_file(path, sizeof(path), "kernel.config"))
		return -1;
	snprintf(want, sizeof(want), "%s=y\n", option);
	n = count_matching_lines(path, line_is, want);
	return n < 0 ? -1 : n > 0;
}

TEST_F_TIMEOUT(isolated, kunit_option_parser_tests_passed, QUICK)
{
	static char log[1 << 20];
	int kunit = kernel_has("CONFIG_KUNIT");
	int n = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *summary;

	ASSERT_NE(-1, kunit) TH_LOG("kernel.config is missing beside the test (make check adds it)");
	if (!kunit)
		SKIP(return, "the kernel is built without CONFIG_KUNIT: the parser's KUnit tests are not in the module");
	ASSERT_GT(n, 0);
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	ASSERT_GT(n, 0);
	log[n] = 0;
	/* KUnit runs the module's suite at load and prints its KTAP summary. */
	summary = strstr(log, "# rnullfs_options: pass:");
	ASSERT_NE(NULL, summary) TH_LOG("no KUnit summary for rnullfs_options in the kernel log");
	*strchrnul(summary, '\n') = 0;
	TH_LOG("%s", summary);
	/* Every case the suite has passed, however many it has. */
	{
		int pass, fail, skip, total;

		ASSERT_EQ(4, sscanf(summary, "# rnullfs_options: pass:%d fail:%d skip:%d total:%d",
				    &pass, &fail, &skip, &total)) TH_LOG("unexpected summary: %s", summary);
		EXPECT_LT(0, total);
		EXPECT_EQ(total, pass);
		EXPECT_EQ(0, fail);
	}
}

/* Whether probe `line`'s name is in the list beside the test: 1, 0, or -1 (no list). */
static int deliberate(const char *line)
{
	char path[512], reason[256];

	if (test_file(path, sizeof(path), "deliberate-differences.txt"))
		return -1;
	return probe_deliberate_reason(path, line, reason, sizeof(reason));
}

TEST_F_TIMEOUT(isolated, probe_matches_c_nullfs_but_for_listed_differences, QUICK)
{
	static struct probe_result c, rust;
	char dir[] = "/tmp/rnullfs.XXXXXX";
	int differences = 0, undocumented = 0;

	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, mount("none", dir, "rnullfs", 0, NULL));
	probe_run(dir, &rust);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	ASSERT_EQ(0, probe_empty_mntns_root(&c)) TH_LOG("unshare(UNSHARE_EMPTY_MNTNS) failed");
	ASSERT_EQ(c.count, rust.count);
	/* The list of deliberate differences must be there to be read. */
	ASSERT_NE(-1, deliberate("")) TH_LOG("deliberate-differences.txt is missing beside the test");
	for (int i = 0; i < c.count; i++) {
		if (!strcmp(c.line[i], rust.line[i]))
			continue;
		differences++;
		if (deliberate(c.line[i]) != 1) {
			undocumented++;
			TH_LOG("undocumented: C \"%s\" vs rnullfs \"%s\"", c.line[i], rust.line[i]);
		} else {
			TH_LOG("deliberate: C \"%s\" vs rnullfs \"%s\"", c.line[i], rust.line[i]);
		}
	}
	TH_LOG("%d probe lines, %d equal, %d deliberate differences", c.count,
	       c.count - differences, differences - undocumented);
	EXPECT_EQ(0, undocumented);
	/* The list stays true: each listed name must still differ. */
	for (int i = 0; i < c.count; i++) {
		if (deliberate(c.line[i]) == 1)
			EXPECT_STRNE(c.line[i], rust.line[i]);
	}
}

TEST_HARNESS_MAIN
