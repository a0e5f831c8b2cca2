/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the selftests need to handle rnullfs.ko itself: its file in the guest
 * ($RNULLFS_KO, default /opt/rnullfs.ko), unloading and loading it with
 * parameters, and whether the filesystem type is registered. Also the
 * kernel's dentry count, which the tests and nullfs-compare read.
 */
#ifndef RNULLFS_MODULE_H
#define RNULLFS_MODULE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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

/*
 * Unload (waiting up to 2 s for the deferred teardown of the last mounts)
 * and load again with `params`, e.g. "userns_mount=1".
 */
static inline int reload_module(const char *params)
{
	for (int tries = 0; unload_module() && errno == EWOULDBLOCK && tries < 200; tries++)
		usleep(10000);
	return load_module_with(params);
}

/* 1 if /proc/filesystems lists "nodev rnullfs", 0 if not, -1 on error. */
static inline int fs_registered(void)
{
	char line[128];
	int found = 0;
	FILE *f = fopen("/proc/filesystems", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strcmp(line, "nodev\trnullfs\n") == 0)
			found = 1;
	fclose(f);
	return found;
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
