/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nullfs probe: one line per VFS operation tried on an empty directory,
 * "name: result", where result is "ok", an errno name, or what was read.
 * The same probe runs on the C nullfs (the "/" of a process after
 * unshare(UNSHARE_EMPTY_MNTNS)) and on an rnullfs mount, so the two can be
 * compared line by line (the selftests and compare/nullfs-compare).
 *
 * Everything is done by path under `base` (after the unshare no other path
 * exists), nothing is created, and nothing needs more than the directory.
 */
#ifndef RNULLFS_PROBE_H
#define RNULLFS_PROBE_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/fs.h>

#define PROBE_LINE_MAX 256
#define PROBE_LINES_MAX 128

struct probe_result {
	int count;
	char line[PROBE_LINES_MAX][PROBE_LINE_MAX];
};

static inline void probe_add(struct probe_result *r, const char *name, const char *fmt, ...)
{
	char value[PROBE_LINE_MAX - 64];
	va_list ap;

	if (r->count >= PROBE_LINES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	snprintf(r->line[r->count++], PROBE_LINE_MAX, "%s: %s", name, value);
}

/* "ok" for a zero or positive return, the errno's name otherwise. */
static inline void probe_ret(struct probe_result *r, const char *name, long ret)
{
	if (ret >= 0)
		probe_add(r, name, "ok");
	else
		probe_add(r, name, "%s", strerrorname_np(errno));
}

static inline void probe_path(char *out, size_t size, const char *base, const char *rest)
{
	if (strcmp(base, "/") == 0)
		snprintf(out, size, "/%s", rest);
	else
		snprintf(out, size, "%s/%s", base, rest);
}

/* Every entry of an open directory from its current position on. */
static inline void probe_entries(int fd, char *out, size_t size, int *calls, long *last)
{
	char buf[4096];
	bool full = false;
	long n;

	out[0] = 0;
	*calls = 0;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		(*calls)++;
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			size_t used = strlen(out);
			int room = (int)(size - used);

			/* Once `out` is full, the entries are still read, not listed. */
			if (!full && snprintf(out + used, room, "%s%s/%d@%lld", used ? " " : "",
					      d->d_name, d->d_type, (long long)d->d_off) >= room)
				full = true;
			off += d->d_reclen;
		}
	}
	*last = n < 0 ? -errno : n;
}

static inline void probe_lseek(struct probe_result *r, const char *name, int fd, off_t off,
			       int whence)
{
	off_t ret = lseek(fd, off, whence);

	if (ret < 0)
		probe_add(r, name, "-1 %s", strerrorname_np(errno));
	else
		probe_add(r, name, "%lld", (long long)ret);
}

static inline void probe_run(const char *base, struct probe_result *r)
{
	char path[512], entries[1024], longname[201];
	struct statfs sfs;
	struct stat st, st2;
	struct statx stx;
	int fd, calls;
	long last;

	r->count = 0;
	if (statfs(base, &sfs) == 0)
		probe_add(r, "statfs",
			  "type=0x%lx bsize=%ld blocks=%ld bfree=%ld files=%ld ffree=%ld namelen=%ld flags=0x%lx",
			  (long)sfs.f_type, (long)sfs.f_bsize, (long)sfs.f_blocks,
			  (long)sfs.f_bfree, (long)sfs.f_files, (long)sfs.f_ffree,
			  (long)sfs.f_namelen, (long)sfs.f_flags);
	else
		probe_ret(r, "statfs", -1);
	if (stat(base, &st) == 0)
		probe_add(r, "stat",
			  "mode=%o nlink=%ld uid=%d gid=%d size=%lld blocks=%lld blksize=%ld ino=%llu rdev=%lu",
			  st.st_mode, (long)st.st_nlink, st.st_uid, st.st_gid,
			  (long long)st.st_size, (long long)st.st_blocks, (long)st.st_blksize,
			  (unsigned long long)st.st_ino, (unsigned long)st.st_rdev);
	else
		probe_ret(r, "stat", -1);
	if (statx(AT_FDCWD, base, 0, STATX_ALL | STATX_BTIME, &stx) == 0)
		probe_add(r, "statx", "attributes=%llx immutable=%d mask_btime=%d",
			  (unsigned long long)stx.stx_attributes,
			  !!(stx.stx_attributes & STATX_ATTR_IMMUTABLE),
			  !!(stx.stx_mask & STATX_BTIME));
	else
		probe_ret(r, "statx", -1);

	fd = open(base, O_RDONLY | O_DIRECTORY);
	probe_ret(r, "open_dir_rdonly", fd);
	if (fd < 0)
		return;
	probe_entries(fd, entries, sizeof(entries), &calls, &last);
	probe_add(r, "getdents", "%s  calls=%d last=%ld", entries, calls, last);
	probe_lseek(r, "lseek_cur_after_readdir", fd, 0, SEEK_CUR);
	probe_lseek(r, "lseek_end", fd, 0, SEEK_END);
	probe_lseek(r, "lseek_set_3", fd, 3, SEEK_SET);
	probe_lseek(r, "lseek_set_1", fd, 1, SEEK_SET);
	probe_entries(fd, entries, sizeof(entries), &calls, &last);
	/* Names only: the position is what is probed here. */
	*strchrnul(entries, '/') = 0;
	probe_add(r, "getdents_from_1", "%s", entries);
	probe_ret(r, "read_dir", read(fd, path, sizeof(path)));
	probe_ret(r, "flock_sh", flock(fd, LOCK_SH | LOCK_NB));
	{
		struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };

		probe_ret(r, "fcntl_setlk_rd", fcntl(fd, F_SETLK, &fl));
		fl.l_pid = 0;
		probe_ret(r, "fcntl_ofd_setlk_rd", fcntl(fd, F_OFD_SETLK, &fl));
	}
	probe_ret(r, "fsync_dir", fsync(fd));
	probe_ret(r, "fdatasync_dir", fdatasync(fd));
	probe_ret(r, "syncfs", syncfs(fd));
	{
		int flags;

		probe_ret(r, "ioctl_getflags", ioctl(fd, FS_IOC_GETFLAGS, &flags));
	}
	probe_ret(r, "fchmod_dir", fchmod(fd, 0555));
	probe_ret(r, "fchown_dir_same", fchown(fd, st.st_uid, st.st_gid));
	{
		void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);

		probe_ret(r, "mmap_dir", p == MAP_FAILED ? -1 : 0);
		if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	{
		int dot = openat(fd, ".", O_RDONLY);

		probe_ret(r, "openat_dot", dot);
		if (dot >= 0)
			close(dot);
	}
	probe_ret(r, "openat_x", openat(fd, "x", O_RDONLY));
	probe_ret(r, "mkdirat_x", mkdirat(fd, "x", 0755));
	{
		int cwd = open(".", O_PATH);

		probe_ret(r, "fchdir", fchdir(fd));
		if (cwd >= 0) {
			if (fchdir(cwd))
				perror("fchdir back");
			close(cwd);
		}
	}
	close(fd);

	probe_path(path, sizeof(path), base, "missing");
	probe_ret(r, "stat_missing", stat(path, &st2));
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	probe_path(path, sizeof(path), base, longname);
	probe_ret(r, "stat_missing_long", stat(path, &st2));
	probe_path(path, sizeof(path), base, ".");
	probe_ret(r, "stat_dot", stat(path, &st2));
	probe_path(path, sizeof(path), base, "missing/");
	probe_ret(r, "stat_missing_slash", stat(path, &st2));
	probe_path(path, sizeof(path), base, "missing/nested");
	probe_ret(r, "stat_missing_nested", stat(path, &st2));

	probe_path(path, sizeof(path), base, "new");
	probe_ret(r, "open_creat", open(path, O_CREAT | O_WRONLY, 0644));
	probe_ret(r, "open_creat_excl", open(path, O_CREAT | O_EXCL | O_WRONLY, 0644));
	probe_ret(r, "open_tmpfile", open(base, O_TMPFILE | O_RDWR, 0600));
	probe_ret(r, "open_dir_wronly", open(base, O_WRONLY));
	probe_ret(r, "open_dir_rdwr", open(base, O_RDWR));
	probe_ret(r, "open_dir_trunc", open(base, O_RDONLY | O_TRUNC));
	fd = open(base, O_PATH);
	probe_ret(r, "open_dir_path", fd);
	if (fd >= 0)
		close(fd);

	probe_ret(r, "mkdir", mkdir(path, 0755));
	probe_ret(r, "mknod_fifo", mknod(path, S_IFIFO | 0644, 0));
	probe_ret(r, "mknod_chr", mknod(path, S_IFCHR | 0644, makedev(1, 3)));
	probe_ret(r, "symlink", symlink("target", path));
	probe_ret(r, "link", link(base, path));
	{
		char missing[512];

		probe_path(missing, sizeof(missing), base, "missing");
		probe_ret(r, "rename_missing", rename(missing, path));
		probe_ret(r, "unlink_missing", unlink(missing));
		probe_ret(r, "rmdir_missing", rmdir(missing));
	}
	probe_ret(r, "rmdir_root", rmdir(base));
	probe_ret(r, "chmod_root", chmod(base, 0555));
	probe_ret(r, "chown_root", chown(base, st.st_uid, st.st_gid));
	probe_ret(r, "utimensat_now", utimensat(AT_FDCWD, base, NULL, 0));
	{
		struct timespec ts[2] = { { .tv_sec = 1 }, { .tv_sec = 1 } };

		probe_ret(r, "utimensat_explicit", utimensat(AT_FDCWD, base, ts, 0));
	}
	probe_ret(r, "truncate_root", truncate(base, 0));
	probe_ret(r, "setxattr_user", setxattr(base, "user.x", "1", 1, 0));
	probe_ret(r, "setxattr_trusted", setxattr(base, "trusted.x", "1", 1, 0));
	probe_ret(r, "setxattr_security", setxattr(base, "security.x", "1", 1, 0));
	{
		char value[64];

		probe_ret(r, "getxattr_user", getxattr(base, "user.x", value, sizeof(value)));
		probe_ret(r, "listxattr", listxattr(base, value, sizeof(value)));
	}
	probe_ret(r, "removexattr_user", removexattr(base, "user.x"));
	probe_ret(r, "access_r", access(base, R_OK));
	probe_ret(r, "access_w", access(base, W_OK));
	probe_ret(r, "access_x", access(base, X_OK));
	probe_path(path, sizeof(path), base, "missing");
	probe_ret(r, "access_missing", access(path, F_OK));
	{
		char target[64];

		probe_ret(r, "readlink_root", readlink(base, target, sizeof(target)));
	}
	{
		int in = inotify_init1(IN_CLOEXEC);

		probe_ret(r, "inotify_add_watch", inotify_add_watch(in, base, IN_ALL_EVENTS));
		close(in);
	}
	{
		struct {
			struct file_handle fh;
			unsigned char bytes[128];
		} handle = { .fh.handle_bytes = 128 };
		int mount_id;

		probe_ret(r, "name_to_handle_at",
			  name_to_handle_at(AT_FDCWD, base, &handle.fh, &mount_id, 0));
	}
	{
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			char *const argv[] = { (char *)base, NULL };

			execve(base, argv, NULL);
			_exit(errno);
		}
		waitpid(pid, &status, 0);
		probe_add(r, "execve_dir", "%s",
			  WEXITSTATUS(status) ? strerrorname_np(WEXITSTATUS(status)) : "ok");
	}
	{
		struct stat before, after;

		stat(base, &before);
		fd = open(base, O_RDONLY | O_DIRECTORY);
		probe_entries(fd, entries, sizeof(entries), &calls, &last);
		close(fd);
		stat(base, &after);
		probe_add(r, "atime_unchanged_by_readdir", "%d",
			  before.st_atim.tv_sec == after.st_atim.tv_sec &&
			  before.st_atim.tv_nsec == after.st_atim.tv_nsec);
		probe_add(r, "mtime_eq_ctime", "%d",
			  after.st_mtim.tv_sec == after.st_ctim.tv_sec &&
			  after.st_mtim.tv_nsec == after.st_ctim.tv_nsec);
	}
}

#ifndef UNSHARE_EMPTY_MNTNS
#define UNSHARE_EMPTY_MNTNS 0x00100000
#endif
/* What statfs() says of nullfs (include/uapi/linux/magic.h). */
#ifndef NULL_FS_MAGIC
#define NULL_FS_MAGIC 0x4E554C4C
#endif

/*
 * The probe on the "/" of an empty mount namespace, in a child: the
 * kernel's own nullfs (C, or the built-in Rust one). 0, or -1 if the
 * child could not unshare or died.
 */
static inline int probe_empty_mntns_root(struct probe_result *r)
{
	struct probe_result *shared;
	int status;
	pid_t pid;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (shared == MAP_FAILED)
		return -1;
	pid = fork();
	if (pid == 0) {
		if (unshare(UNSHARE_EMPTY_MNTNS))
			_exit(1);
		probe_run("/", shared);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	memcpy(r, shared, sizeof(*r));
	munmap(shared, sizeof(*shared));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The name of a probe line: what comes before ": ". */
static inline int probe_name_len(const char *line)
{
	const char *colon = strstr(line, ": ");

	return colon ? (int)(colon - line) : (int)strlen(line);
}

/*
 * The list of deliberate differences (selftests/deliberate-differences*.txt):
 * lines "NAME: reason", "#" comments. Whether probe `line`'s name is listed
 * in `file`: 1, with its reason copied into `reason`; 0 if not; -1 if the
 * file cannot be read. Shared by the selftests and compare/nullfs-compare.
 */
static inline int probe_deliberate_reason(const char *file, const char *line, char *reason,
					  size_t size)
{
	char entry[512];
	int len = probe_name_len(line), found = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (!found && fgets(entry, sizeof(entry), f)) {
		if (entry[0] == '#' || probe_name_len(entry) != len || strncmp(entry, line, len))
			continue;
		entry[strcspn(entry, "\n")] = 0;
		snprintf(reason, size, "%s", entry + len + 2);
		found = 1;
	}
	fclose(f);
	return found;
}

#endif
