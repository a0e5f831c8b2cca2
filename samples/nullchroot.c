// SPDX-License-Identifier: GPL-2.0
/*
 * nullchroot: a process that sandboxes itself into nothing.
 *
 * The wish from the nullfs discussion: a daemon that, once it has opened
 * what it needs, drops into an empty filesystem so that no path leads
 * anywhere. Unprivileged, with rnullfs loaded with userns_mount=1:
 *
 *   1. open what will be needed (here: FILE, given on the command line);
 *   2. enter a new user namespace and a new mount namespace it owns;
 *   3. make a detached rnullfs mount (fsopen, fsmount) and put the root
 *      in it: with fchroot(2) where the kernel has it (Linux 7.3), else
 *      fchdir() into it and chroot("."). "/" is now an empty read-only
 *      directory;
 *   4. close every other fd: no path and no descriptor leads back.
 *
 * Then it shows that it cannot get out, and that what it opened still
 * works. Prints how it entered, one line per check, and exits 0 when every
 * check holds, 1 when one does not, 2 when it could not set up.
 *
 * Usage: nullchroot FILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/mount.h>

/*
 * fchroot(2), new in Linux 7.3: chroot() to the directory an fd refers to,
 * with CAP_SYS_CHROOT in the caller's user namespace (which a process has
 * in the user namespace it made). The C library may not know it yet.
 */
#if !defined(SYS_fchroot) && defined(__x86_64__)
#define SYS_fchroot 472
#endif

static int failures;

static void check(const char *what, int ok, const char *detail)
{
	printf("%-44s %s%s%s\n", what, ok ? "ok" : "FAILED", detail ? ": " : "", detail ? detail : "");
	failures += !ok;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		fprintf(stderr, "nullchroot: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	close(fd);
}

/*
 * Puts the root in the directory `dir` refers to: with fchroot(2) where the
 * kernel has it, else (ENOSYS: before Linux 7.3) with fchdir() and
 * chroot("."), which leave the working directory there too. Returns the way
 * it was done, or NULL with errno set.
 */
static const char *root_into(int dir)
{
#ifdef SYS_fchroot
	if (syscall(SYS_fchroot, dir, 0) == 0)
		return "fchroot(2)";
	if (errno != ENOSYS)
		return NULL;
#endif
	if (fchdir(dir) || chroot("."))
		return NULL;
	return "fchdir(2) and chroot(\".\")";
}

/* Steps 2 and 3: a user and mount namespace, and "/" an empty rnullfs. */
static void enter_nothing(void)
{
	const char *way;
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();
	int fs, mnt;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS)) {
		perror("nullchroot: unshare(CLONE_NEWUSER | CLONE_NEWNS)");
		exit(2);
	}
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "%u %u 1", uid, uid);
	write_file("/proc/self/uid_map", map);
	snprintf(map, sizeof(map), "%u %u 1", gid, gid);
	write_file("/proc/self/gid_map", map);

	fs = syscall(SYS_fsopen, "rnullfs", FSOPEN_CLOEXEC);
	if (fs < 0) {
		fprintf(stderr, "nullchroot: fsopen(rnullfs): %s%s\n", strerror(errno),
			errno == ENODEV ? " (insmod rnullfs.ko userns_mount=1)" : "");
		exit(2);
	}
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) {
		fprintf(stderr, "nullchroot: creating the mount: %s%s\n", strerror(errno),
			errno == EPERM ? " (load rnullfs with userns_mount=1)" : "");
		exit(2);
	}
	mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0) {
		perror("nullchroot: fsmount");
		exit(2);
	}
	way = root_into(mnt);
	if (!way || chdir("/")) {
		perror("nullchroot: entering the rnullfs mount");
		exit(2);
	}
	printf("%-44s %s\n", "entered the rnullfs mount with", way);
	close(mnt);
	close(fs);
}

int main(int argc, char **argv)
{
	char buf[256], detail[300];
	struct stat st;
	ssize_t n;
	int held, fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	/* Step 1: what the sandboxed work needs, opened beforehand. */
	held = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (held < 0 || fstat(held, &st)) {
		fprintf(stderr, "nullchroot: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		fprintf(stderr, "nullchroot: %s: not a non-empty regular file (its read is a check)\n", argv[1]);
		return 2;
	}
	enter_nothing();
	/* Step 4: nothing else open but stdio and the held file. */
	for (fd = 3; fd < 1024; fd++)
		if (fd != held)
			close(fd);

	check("/ is an rnullfs root (inode 1, 0555)",
	      stat("/", &st) == 0 && st.st_ino == 1 && (st.st_mode & 07777) == 0555, NULL);
	fd = open("/etc/passwd", O_RDONLY);
	snprintf(detail, sizeof(detail), "%s", fd < 0 ? strerror(errno) : "opened!");
	check("open(\"/etc/passwd\") fails", fd < 0, detail);
	fd = open("../../../../etc/passwd", O_RDONLY);
	snprintf(detail, sizeof(detail), "%s", fd < 0 ? strerror(errno) : "opened!");
	check("open(\"../../../../etc/passwd\") fails", fd < 0, detail);
	check("stat(\"/..\") is / itself", stat("/..", &st) == 0 && st.st_ino == 1, NULL);
	snprintf(detail, sizeof(detail), "%s", mkdir("/x", 0700) ? strerror(errno) : "created!");
	check("mkdir(\"/x\") fails", strcmp(detail, "created!") != 0, detail);
	fd = open("/new", O_CREAT | O_WRONLY, 0600);
	snprintf(detail, sizeof(detail), "%s", fd < 0 ? strerror(errno) : "created!");
	check("open(\"/new\", O_CREAT) fails", fd < 0, detail);
	check("chroot(\"..\") leads nowhere new",
	      chroot("..") != 0 || (stat("/", &st) == 0 && st.st_ino == 1), NULL);
	/* FILE is not empty (checked before): a read of 0 bytes would be a failure. */
	n = pread(held, buf, sizeof(buf) - 1, 0);
	snprintf(detail, sizeof(detail), "%zd bytes", n);
	check("the file opened before still reads", n > 0, detail);
	printf("%s\n", failures ? "nullchroot: the sandbox leaks" : "nullchroot: sealed in nothing");
	return failures ? 1 : 0;
}
