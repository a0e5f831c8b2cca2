// SPDX-License-Identifier: GPL-2.0
/*
 * null-roots: which "null root" for a sandbox. Run as root in the test
 * guest (compare/null-roots boots it). For each way a process can put its
 * root and working directory "in nothing", a child sets it up as a sandbox
 * would, then probes what a program there sees. Prints one line per probe,
 * tab-separated: ROOT, PROBE, RESULT. Exit 0 when every root could be set
 * up, 1 otherwise (the failing step is printed as its result).
 *
 * The roots:
 *   failfs    fchroot(FD_FAILFS_ROOT) and fchdir(FD_FAILFS_ROOT), as uid
 *             1000 with no capability, under no_new_privs (Linux 7.3)
 *   rnullfs   a detached rnullfs mount (fsmount), fchroot(2) into it and
 *             chdir("/"), as uid 1000 root of a user namespace of its own
 *             (rnullfs loaded with userns_mount=1)
 *   emptyns   unshare(UNSHARE_EMPTY_MNTNS): the kernel's nullfs, as root
 *   tmpfs     a detached read-only tmpfs with size=0, fchroot(2) and
 *             chdir("/"), as uid 1000 in a user namespace: what container
 *             runtimes do today
 *
 * Every child first opens what it keeps: this program (for the execve
 * probe) and /proc (for /proc/self/cwd), as a sandboxed daemon would.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include "null_roots.h"


#define USER_ID 1000

/* What a child keeps from before its root changed. */
struct kept {
	int self_exe, proc;
};

/* One result line, for root `root`. */
static void say(const char *root, const char *probe, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(const char *root, const char *probe, const char *fmt, ...)
{
	va_list ap;

	printf("%s\t%s\t", root, probe);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* The errno's symbolic name, as the table shows it. */
static const char *errno_name(int e)
{
	const char *name = strerrorname_np(e);

	return name ? name : "?";
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * Drops to uid and gid 1000, with no capability left, and dumpable again
 * (changing ids cleared it, which leaves /proc/self to root: the user
 * could not write its own uid_map).
 */
static int become_user(void)
{
	return setgroups(0, NULL) || setgid(USER_ID) || setuid(USER_ID) || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) ? -1 : 0;
}

/* As uid 1000: root of a new user namespace (1000 mapped to itself) with a mount namespace. */
static int user_namespace(void)
{
	char map[32];

	if (become_user() || unshare(CLONE_NEWUSER | CLONE_NEWNS))
		return -1;
	snprintf(map, sizeof(map), "%d %d 1", USER_ID, USER_ID);
	if (write_text("/proc/self/setgroups", "deny") || write_text("/proc/self/uid_map", map) ||
	    write_text("/proc/self/gid_map", map))
		return -1;
	return 0;
}

/* A detached mount of `type` (with `size=0` for tmpfs), read-only if asked. */
static int detached_mount(const char *type, int read_only)
{
	int fs = syscall(SYS_fsopen, type, FSOPEN_CLOEXEC), mnt;

	if (fs < 0)
		return -1;
	if (!strcmp(type, "tmpfs") && syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "0", 0))
		return -1;
	if (read_only && syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, "ro", NULL, 0))
		return -1;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return -1;
	mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, read_only ? MOUNT_ATTR_RDONLY : 0);
	close(fs);
	return mnt;
}

/* Root and cwd into the mount `mnt` by fchroot(2). */
static int root_into(int mnt)
{
	return syscall(SYS_fchroot, mnt, 0) || chdir("/") ? -1 : 0;
}

/* Sets up root `root`; 0, or -1 with errno and the step in *step. */
static int enter(const char *root, const char **step)
{
	int mnt;

	if (!strcmp(root, "failfs")) {
		*step = "uid 1000, no_new_privs";
		if (become_user() || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			return -1;
		*step = "fchroot(FD_FAILFS_ROOT)";
		if (syscall(SYS_fchroot, FD_FAILFS_ROOT, 0))
			return -1;
		*step = "fchdir(FD_FAILFS_ROOT)";
		return fchdir(FD_FAILFS_ROOT);
	}
	if (!strcmp(root, "emptyns")) {
		*step = "unshare(UNSHARE_EMPTY_MNTNS)";
		return unshare(UNSHARE_EMPTY_MNTNS);
	}
	*step = "user namespace as uid 1000";
	if (user_namespace())
		return -1;
	*step = !strcmp(root, "rnullfs") ? "fsmount(rnullfs)" : "fsmount(tmpfs size=0, ro)";
	mnt = detached_mount(root, !strcmp(root, "tmpfs"));
	if (mnt < 0)
		return -1;
	*step = "fchroot(2)";
	return root_into(mnt);
}

/* What the same setup gives an unprivileged user: whether it needs privilege. */
static void needs(const char *root)
{
	pid_t pid;
	int status;

	if (!strcmp(root, "emptyns")) {
		pid = fork();
		if (pid == 0) {
			if (become_user())
				_exit(100);
			_exit(unshare(UNSHARE_EMPTY_MNTNS) ? errno : 0);
		}
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 100)
			say(root, "needs", "CAP_SYS_ADMIN (as uid 1000: %s)", errno_name(WEXITSTATUS(status)));
		else
			say(root, "needs", "as uid 1000: %s", WIFEXITED(status) && !WEXITSTATUS(status) ? "allowed" : "?");
	} else if (!strcmp(root, "failfs")) {
		say(root, "needs", "no_new_privs; no privilege, no module (Linux 7.3)");
	} else if (!strcmp(root, "rnullfs")) {
		say(root, "needs", "a user namespace; rnullfs.ko with userns_mount=1");
	} else {
		say(root, "needs", "a user namespace; no module");
	}
}

static void probe(const char *root, const struct kept *kept)
{
	char buf[256], link[256];
	struct stat st;
	struct statfs sfs;
	DIR *dir;
	pid_t pid;
	int fd, status, n;
	ssize_t len;

	if (stat("/", &st))
		say(root, "stat(\"/\")", "%s", errno_name(errno));
	else
		say(root, "stat(\"/\")", "ino %lu, mode %04o", (unsigned long)st.st_ino, st.st_mode & 07777);
	if (statfs("/", &sfs))
		say(root, "statfs(\"/\")", "%s", errno_name(errno));
	else
		say(root, "statfs(\"/\")", "f_type 0x%lx", (unsigned long)sfs.f_type);
	if (getcwd(buf, sizeof(buf)))
		say(root, "getcwd", "\"%s\"", buf);
	else
		say(root, "getcwd", "%s", errno_name(errno));
	dir = opendir("/");
	if (!dir) {
		say(root, "opendir(\"/\")", "%s", errno_name(errno));
	} else {
		n = 0;
		while (readdir(dir))
			n++;
		say(root, "opendir(\"/\")", "%d entries", n);
		closedir(dir);
	}
	fd = open("/etc/passwd", O_RDONLY);
	say(root, "open(\"/etc/passwd\")", "%s", fd < 0 ? errno_name(errno) : "opened");
	fd = open("missing", O_RDONLY);
	say(root, "open(\"missing\") (cwd)", "%s", fd < 0 ? errno_name(errno) : "opened");
	say(root, "mkdir(\"/x\")", "%s", mkdir("/x", 0700) ? errno_name(errno) : "created");
	say(root, "mount tmpfs on \"/\"", "%s", mount("none", "/", "tmpfs", 0, "size=4k") ? errno_name(errno) : "mounted");
	/* execve of a program opened before: this one, told to exit 0. */
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "null-roots", "--exit", NULL };

		syscall(SYS_execveat, kept->self_exe, "", argv, NULL, AT_EMPTY_PATH);
		_exit(100 + (errno & 0x3f));
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		say(root, "execve of an inherited fd", "runs");
	else if (WIFEXITED(status) && WEXITSTATUS(status) >= 100)
		say(root, "execve of an inherited fd", "%s", errno_name(WEXITSTATUS(status) - 100));
	else
		say(root, "execve of an inherited fd", "status 0x%x", status);
	len = readlinkat(kept->proc, "self/cwd", link, sizeof(link) - 1);
	if (len < 0)
		say(root, "readlink(/proc/self/cwd)", "%s", errno_name(errno));
	else
		say(root, "readlink(/proc/self/cwd)", "\"%.*s\"", (int)len, link);
	fd = openat(kept->proc, "self/cwd", O_PATH);
	say(root, "open(/proc/self/cwd, O_PATH)", "%s", fd < 0 ? errno_name(errno) : "opened");
}

static int run_root(const char *root)
{
	struct kept kept;
	const char *step = "";
	pid_t pid;
	int status;

	needs(root);
	pid = fork();
	if (pid == 0) {
		kept.self_exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		kept.proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (kept.self_exe < 0 || kept.proc < 0) {
			say(root, "setup", "opening /proc: %s", errno_name(errno));
			_exit(1);
		}
		if (enter(root, &step)) {
			say(root, "setup", "%s: %s", step, errno_name(errno));
			_exit(1);
		}
		probe(root, &kept);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const char *const roots[] = { "failfs", "rnullfs", "emptyns", "tmpfs" };
	int failed = 0;

	if (argc == 2 && !strcmp(argv[1], "--exit"))
		return 0;
	if (argc != 1) {
		fprintf(stderr, "usage: %s (as root, in the guest)\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		failed |= run_root(roots[i]);
	return failed;
}
