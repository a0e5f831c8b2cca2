/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the selftests need to handle rnullfs.ko itself and to stay isolated
 * from each other: its file in the guest ($RNULLFS_KO, default
 * /opt/rnullfs.ko), unloading and loading it with parameters and putting it
 * back as the guest loaded it, whether the filesystem type is registered, a
 * private mount namespace per test, and where the test's data files are.
 * Also the kernel's dentry count, which the tests and nullfs-compare read.
 */
#ifndef RNULLFS_MODULE_H
#define RNULLFS_MODULE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc_file.h"

static inline const char *module_path(void)
{
	const char *path = getenv("RNULLFS_KO");

	return path ? path : "/opt/rnullfs.ko";
}

/* delete_module without waiting: EWOULDBLOCK while anything holds it. */
static inline int unload_module(void)
{
	return syscall(SYS_delete_module, "rnullfs", O_NONBLOCK);
}

static inline int load_module_with(const char *params)
{
	int fd = open(module_path(), O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, params, 0);
	close(fd);
	return ret;
}

/* Seconds on the monotonic clock. */
static inline double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * How long an unload waits for the mounts of a test that just ended (or was
 * killed) to be torn down: their namespace goes with the test's last
 * process, and the super blocks follow in deferred work. Well under every
 * module test's harness timeout.
 */
#define UNLOAD_WAIT_SECONDS 20.0

/*
 * Unloads the module, waiting up to UNLOAD_WAIT_SECONDS for the deferred
 * teardown of the last mounts of a test that just ended (or was killed):
 * 0, or -1 if it is still busy then (or cannot be unloaded at all).
 */
static inline int unload_when_idle(void)
{
	double deadline = monotonic_seconds() + UNLOAD_WAIT_SECONDS;

	while (unload_module()) {
		if (errno != EWOULDBLOCK || monotonic_seconds() > deadline)
			return -1;
		usleep(10000);
	}
	return 0;
}

/* Unloads (as unload_when_idle) and loads again with `params`, e.g. "userns_mount=1". */
static inline int reload_module(const char *params)
{
	unload_when_idle();
	return load_module_with(params);
}

/*
 * The parameters the module was loaded with when the guest started, which
 * every test that reloads it puts back: $RNULLFS_MODPARAM, else the guest's
 * /opt/modparam (written by scripts/vm-run), else none.
 */
static inline const char *baseline_params(void)
{
	static char params[256];
	const char *env = getenv("RNULLFS_MODPARAM");
	FILE *f;

	if (env)
		return env;
	params[0] = 0;
	f = fopen("/opt/modparam", "r");
	if (f) {
		if (!fgets(params, sizeof(params), f))
			params[0] = 0;
		fclose(f);
	}
	params[strcspn(params, "\n")] = 0;
	return params;
}

/* Loaded again with the guest's parameters: the state every test starts from. */
static inline int restore_module(void)
{
	return reload_module(baseline_params());
}

/*
 * In a child of root: become uid and gid `id`, then root of a new user and
 * mount namespace that maps 0 to `id`, as an unprivileged user would with
 * unshare -Ur. 0, or -1 with errno.
 */
static inline int become_userns_root(unsigned int id)
{
	char map[32];

	if (setgid(id) || setuid(id))
		return -1;
	/* setuid() made the task non-dumpable: /proc/self would be root's. */
	if (prctl(PR_SET_DUMPABLE, 1) || unshare(CLONE_NEWUSER | CLONE_NEWNS))
		return -1;
	snprintf(map, sizeof(map), "0 %u 1", id);
	if (write_text("/proc/self/setgroups", "deny") || write_text("/proc/self/uid_map", map) ||
	    write_text("/proc/self/gid_map", map))
		return -1;
	return 0;
}

/*
 * A mount namespace of the calling test's own, whose mounts propagate
 * nowhere: whatever happens to the test, its mounts go with it.
 */
static inline int private_mount_namespace(void)
{
	if (unshare(CLONE_NEWNS))
		return -1;
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

/*
 * `name` in the directory of the running test program, where make check puts
 * the data files and samples the tests need ($RNULLFS_TEST_DIR overrides it).
 * Returns 0, or -1 if the directory cannot be told.
 */
static inline int test_file(char *buf, size_t size, const char *name)
{
	const char *dir = getenv("RNULLFS_TEST_DIR");
	char exe[512], *slash;
	ssize_t n;

	if (!dir) {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n <= 0)
			return -1;
		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (!slash)
			return -1;
		*slash = 0;
		dir = exe;
	}
	return snprintf(buf, size, "%s/%s", dir, name) < (int)size ? 0 : -1;
}

/*
 * How many lines of the file at `path` `matches(line, arg)` accepts (lines
 * of up to 1023 bytes), or -1 if the file cannot be read.
 */
static inline int count_matching_lines(const char *path,
				       int (*matches)(const char *line, const void *arg),
				       const void *arg)
{
	char line[1024];
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (matches(line, arg))
			n++;
	fclose(f);
	return n;
}

static inline int line_contains(const char *line, const void *text)
{
	return strstr(line, text) != NULL;
}

static inline int line_is(const char *line, const void *text)
{
	return strcmp(line, text) == 0;
}

/* How many rnullfs mounts this mount namespace has. */
static inline int rnullfs_mounts(void)
{
	return count_matching_lines("/proc/self/mounts", line_contains, " rnullfs ");
}

/* Whether filesystem type `name` is registered: 1 or 0, -1 on error. */
static inline int fs_type_registered(const char *name)
{
	char want[128];
	int n;

	snprintf(want, sizeof(want), "nodev\t%s\n", name);
	n = count_matching_lines("/proc/filesystems", line_is, want);
	return n < 0 ? -1 : n > 0;
}

/* 1 if /proc/filesystems lists "nodev rnullfs", 0 if not, -1 on error. */
static inline int fs_registered(void)
{
	return fs_type_registered("rnullfs");
}

/* The first field of /proc/sys/fs/dentry-state: dentries in the kernel. */
static inline long nr_dentry(void)
{
	long n = -1;
	FILE *f = fopen("/proc/sys/fs/dentry-state", "r");

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

#endif
