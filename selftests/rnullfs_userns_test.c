// SPDX-License-Identifier: GPL-2.0
/*
 * Unprivileged rnullfs: run as root in the test guest, each test drops to
 * uid 1000 in a child. Needs the samples nullmask and nullchroot beside it
 * (make check adds them; a missing one fails the test) and $RNULLFS_KO
 * (default /opt/rnullfs.ko). Each test runs in a mount namespace of its own,
 * loads the module with userns_mount=1 and puts it back as the guest loaded
 * it in its teardown.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <linux/mount.h>

#include "probe.h"
#include "module.h"
#include "kselftest_harness.h"
#include "null_roots.h"

#define USER_UID 1000

/* Whether the booted kernel has fchroot(2): a bad fd gives EBADF there, ENOSYS before 7.3. */
static bool kernel_has_fchroot(void)
{
#ifdef SYS_fchroot
	return syscall(SYS_fchroot, -1, 0) == -1 && errno != ENOSYS;
#else
	return false;
#endif
}

#define NO_FCHROOT "no fchroot(2) in this kernel (it came in Linux 7.3)"

/* Runs argv as uid 1000; its stdout+stderr go to `out`. Returns the exit status. */
static int run_as_user(char *const argv[], char *out, size_t size)
{
	int pipefd[2], status;
	ssize_t n, used = 0;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		if (setgid(USER_UID) || setuid(USER_UID))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	while (used < (ssize_t)size - 1 && (n = read(pipefd[0], out + used, size - 1 - used)) > 0)
		used += n;
	out[used] = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * A test reloads the module up to three times (UNLOAD_WAIT_SECONDS each at
 * worst) and runs a sample that does a handful of syscalls.
 */
#define USERNS_TIMEOUT (5 * (int)UNLOAD_WAIT_SECONDS)

/* A directory with a file in it, and a file, both the user's; the samples' paths. */
FIXTURE(secrets) {
	char dir[64], file[64];
	char nullmask[512], nullchroot[512];
};

FIXTURE_SETUP(secrets)
{
	char path[128];
	int fd;

	ASSERT_EQ(0, private_mount_namespace()) TH_LOG("a private mount namespace: %m");
	ASSERT_EQ(0, test_file(self->nullmask, sizeof(self->nullmask), "nullmask"));
	ASSERT_EQ(0, test_file(self->nullchroot, sizeof(self->nullchroot), "nullchroot"));
	ASSERT_EQ(0, access(self->nullmask, X_OK)) TH_LOG("%s: %m (make check puts it beside the test)", self->nullmask);
	ASSERT_EQ(0, access(self->nullchroot, X_OK)) TH_LOG("%s: %m (make check puts it beside the test)", self->nullchroot);
	ASSERT_EQ(0, reload_module("userns_mount=1")) TH_LOG("loading %s: %m", module_path());
	strcpy(self->dir, "/tmp/secretdir.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(path, sizeof(path), "%s/key", self->dir);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	ASSERT_EQ(6, write(fd, "secret", 6));
	close(fd);
	strcpy(self->file, "/tmp/secretfile.XXXXXX");
	fd = mkstemp(self->file);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(6, write(fd, "secret", 6));
	close(fd);
	ASSERT_EQ(0, chown(self->dir, USER_UID, USER_UID));
	ASSERT_EQ(0, chown(path, USER_UID, USER_UID));
	ASSERT_EQ(0, chown(self->file, USER_UID, USER_UID));
}

FIXTURE_TEARDOWN(secrets)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/key", self->dir);
	unlink(path);
	rmdir(self->dir);
	unlink(self->file);
	EXPECT_EQ(0, restore_module()) TH_LOG("putting %s back: %m", module_path());
}

/*
 * What a masked command sees, checked by this program run again inside
 * nullmask as "inside DIR FILE": exit 0 if every check holds, else the
 * number of the first that failed.
 */
static int inside(const char *dir, const char *file)
{
	char path[128], names[1024], buf[64];
	struct stat st;
	int calls, fd;
	long last;

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return 1;
	probe_entries(fd, names, sizeof(names), &calls, &last);
	close(fd);
	if (strcmp(names, "./4@1 ../4@2"))
		return 2;			/* the directory is empty */
	snprintf(path, sizeof(path), "%s/key", dir);
	if (open(path, O_RDONLY) >= 0)
		return 3;			/* its file is gone */
	if (mkdir(path, 0700) == 0)
		return 4;			/* nothing can be put there */
	fd = open(file, O_RDWR);
	if (fd < 0)
		return 5;
	if (read(fd, buf, sizeof(buf)) != 0)
		return 6;			/* the file reads empty */
	if (write(fd, "leak", 4) != 4)
		return 7;			/* and swallows writes */
	close(fd);
	if (stat(dir, &st) || st.st_uid != USER_UID)
		return 8;			/* the mount belongs to the user */
	snprintf(path, sizeof(path), "%s/null", dir);
	if (mknod(path, S_IFCHR | 0666, makedev(1, 3)) == 0)
		return 13;			/* no device node */
	{
		char *argv[] = { (char *)file, NULL };

		execve(file, argv, NULL);
		if (errno != EACCES)
			return 14;		/* nothing to execute */
	}
	if (umount2(dir, MNT_DETACH) == 0 || umount2(file, MNT_DETACH) == 0)
		return 9;			/* the command cannot unmask */
	/* Nor in a namespace of its own, where it has every capability. */
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
		return 10;
	if (umount2(dir, MNT_DETACH) == 0 || errno != EINVAL)
		return 11;			/* MNT_LOCKED */
	if (umount2(file, MNT_DETACH) == 0 || errno != EINVAL)
		return 12;
	return 0;
}

TEST_F_TIMEOUT(secrets, nullmask_hides_a_directory_and_a_file, USERNS_TIMEOUT)
{
	char self_path[128], out[1024], buf[16];
	ssize_t n;
	int fd;

	n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	ASSERT_GT(n, 0);
	self_path[n] = 0;
	{
		char *argv[] = { self->nullmask, "--mask", self->dir, "--mask", self->file, "--",
				 self_path, "inside", self->dir, self->file, NULL };
		int status = run_as_user(argv, out, sizeof(out));

		EXPECT_EQ(0, status) TH_LOG("check %d failed inside nullmask; output: %s", status, out);
	}
	/* Outside, nothing changed. */
	fd = open(self->file, O_RDONLY);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(6, read(fd, buf, sizeof(buf)));
	close(fd);
	EXPECT_EQ(0, memcmp(buf, "secret", 6));
}

TEST_F_TIMEOUT(secrets, nullmask_says_what_is_wrong, USERNS_TIMEOUT)
{
	char out[1024];
	char *missing[] = { self->nullmask, "--mask", "/tmp/no-such-path", "--", "/bin/true", NULL };
	char *masked[] = { self->nullmask, "--mask", self->dir, "--", "/bin/true", NULL };
	char *no_mask[] = { self->nullmask, "--", "/bin/true", NULL };

	/* Bad usage: clap's exit status 2, as nullmask(1) says. */
	EXPECT_EQ(2, run_as_user(no_mask, out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(125, run_as_user(missing, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "--mask /tmp/no-such-path: No such file or directory")) TH_LOG("%s", out);
	ASSERT_EQ(0, reload_module(""));
	EXPECT_EQ(125, run_as_user(masked, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "userns_mount=1")) TH_LOG("%s", out);
	ASSERT_EQ(0, reload_module("userns_mount=1"));
	EXPECT_EQ(0, run_as_user(masked, out, sizeof(out))) TH_LOG("%s", out);
}

TEST_F_TIMEOUT(secrets, nullchroot_cannot_reach_the_old_root, USERNS_TIMEOUT)
{
	char out[2048];
	char *argv[] = { self->nullchroot, self->file, NULL };
	char *empty[] = { self->nullchroot, "/dev/null", NULL };
	int status = run_as_user(argv, out, sizeof(out));

	EXPECT_EQ(0, status) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "the file opened before still reads")) TH_LOG("%s", out);
	/* FILE must be a non-empty regular file, or there is nothing to read back: exit 2, as nullchroot(1) says. */
	EXPECT_EQ(2, run_as_user(empty, out, sizeof(out))) TH_LOG("%s", out);
}

/* On a kernel with fchroot(2), nullchroot enters the rnullfs mount with it, as uid 1000. */
TEST_F_TIMEOUT(secrets, nullchroot_enters_with_fchroot, USERNS_TIMEOUT)
{
	char out[2048];
	char *argv[] = { self->nullchroot, self->file, NULL };
	int status;

	if (!kernel_has_fchroot())
		SKIP(return, NO_FCHROOT ": nullchroot uses fchdir and chroot(\".\")");
	status = run_as_user(argv, out, sizeof(out));
	EXPECT_EQ(0, status) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "entered the rnullfs mount with")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " fchroot(2)\n")) TH_LOG("%s", out);
}

/*
 * What the child of fchroot_into_rnullfs_needs_a_user_namespace does, as
 * uid 1000 with no capability, with `mnt` a detached rnullfs mount root
 * made: 0 if each step went as the kernel says, else the step that did not.
 */
static int fchroot_as_user(int mnt)
{
	struct stat st;

	if (setgid(USER_UID) || setuid(USER_UID))
		return 1;
	/* Without CAP_SYS_CHROOT in its user namespace: refused. */
	if (syscall(SYS_fchroot, mnt, 0) != -1 || errno != EPERM)
		return 2;
	/* no_new_privs opens failfs's sentinel only, not a real directory. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_fchroot, mnt, 0) != -1 || errno != EPERM)
		return 3;
	/* Flags are reserved. */
	if (syscall(SYS_fchroot, mnt, 1) != -1 || errno != EINVAL)
		return 4;
	/* In a user namespace of its own, it has CAP_SYS_CHROOT there: allowed. */
	if (unshare(CLONE_NEWUSER) || syscall(SYS_fchroot, mnt, 0) || chdir("/"))
		return 5;
	/* "/" is now the rnullfs root, and nothing is under it. */
	if (stat("/", &st) || st.st_ino != 1 || (st.st_mode & 07777) != 0555)
		return 6;
	if (stat("/tmp", &st) != -1 || errno != ENOENT)
		return 7;
	return 0;
}

/*
 * fchroot(2) into an rnullfs mount: root makes the mount, a child of uid
 * 1000 tries to put its root there. Refused without a user namespace,
 * allowed in one of its own, as fs/open.c says.
 */
TEST_F_TIMEOUT(secrets, fchroot_into_rnullfs_needs_a_user_namespace, USERNS_TIMEOUT)
{
	int fs, mnt, status;
	pid_t pid;

	if (!kernel_has_fchroot())
		SKIP(return, NO_FCHROOT);
	fs = syscall(SYS_fsopen, "rnullfs", FSOPEN_CLOEXEC);
	ASSERT_GE(fs, 0) TH_LOG("fsopen: %m");
	ASSERT_EQ(0, syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) TH_LOG("fsconfig: %m");
	mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	ASSERT_GE(mnt, 0) TH_LOG("fsmount: %m");
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(fchroot_as_user(mnt));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("step %d of fchroot_as_user went otherwise", WEXITSTATUS(status));
	close(mnt);
	close(fs);
}

/*
 * Mount exhaustion: fs.mount-max bounds the mounts of one mount namespace.
 * An unprivileged user who mounts rnullfs until it is reached gets ENOSPC,
 * with exactly the limit mounted; the namespace goes with its last process, and then
 * every mount is gone and the module unloads.
 */
#define MOUNT_MAX 64

FIXTURE(mount_max) {
	char saved[32];
};

FIXTURE_SETUP(mount_max)
{
	FILE *f = fopen("/proc/sys/fs/mount-max", "r");

	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(self->saved, sizeof(self->saved), f));
	fclose(f);
	self->saved[strcspn(self->saved, "\n")] = 0;
	ASSERT_EQ(0, private_mount_namespace()) TH_LOG("a private mount namespace: %m");
	ASSERT_EQ(0, reload_module("userns_mount=1")) TH_LOG("loading %s: %m", module_path());
}

FIXTURE_TEARDOWN(mount_max)
{
	EXPECT_EQ(0, write_text("/proc/sys/fs/mount-max", self->saved));
	EXPECT_EQ(0, restore_module()) TH_LOG("putting %s back: %m", module_path());
}

/* What the child saw: mounts made, the errno of the first refused one, and the namespace's mounts then. */
struct exhaustion {
	int made, error, in_namespace;
};

static int any_line(const char *line, const void *arg)
{
	(void)line;
	(void)arg;
	return 1;
}

TEST_F_TIMEOUT(mount_max, exhausting_fs_mount_max_is_a_clean_enospc, USERNS_TIMEOUT)
{
	struct exhaustion *e = mmap(NULL, sizeof(*e), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char limit[16];
	int status;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, e);
	snprintf(limit, sizeof(limit), "%d", MOUNT_MAX);
	ASSERT_EQ(0, write_text("/proc/sys/fs/mount-max", limit));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char dir[] = "/tmp/rnullfs-exhaust.XXXXXX";

		if (!mkdtemp(dir) || chown(dir, USER_UID, USER_UID) || become_userns_root(USER_UID))
			_exit(2);
		/* Stacked on one directory, far more than the limit allows. */
		for (int i = 0; i < 4 * MOUNT_MAX; i++) {
			if (mount("none", dir, "rnullfs", 0, NULL)) {
				e->error = errno;
				break;
			}
			e->made++;
		}
		e->in_namespace = count_matching_lines("/proc/self/mountinfo", any_line, NULL);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("the user could not make a user namespace");
	TH_LOG("uid %d mounted rnullfs %d times, then: %s; %d mounts in its namespace (fs.mount-max %d)",
	       USER_UID, e->made, strerror(e->error), e->in_namespace, MOUNT_MAX);
	EXPECT_LT(0, e->made);
	EXPECT_EQ(ENOSPC, e->error);
	/*
	 * The namespace holds exactly the limit: every mount mountinfo lists,
	 * and its root, the nullfs under rootfs, which is above the process's
	 * root and so not listed.
	 */
	EXPECT_EQ(MOUNT_MAX - 1, e->in_namespace);
	/* The namespace is gone with the child: nothing holds the module. */
	EXPECT_EQ(0, unload_when_idle()) TH_LOG("rnullfs still busy %.0f s after the namespace went", UNLOAD_WAIT_SECONDS);
	munmap(e, sizeof(*e));
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "inside"))
		return inside(argv[2], argv[3]);
	return test_harness_run(argc, argv);
}
