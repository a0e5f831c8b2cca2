// SPDX-License-Identifier: GPL-2.0
/*
 * rnullfs under stress, races and bad input: run as root in the test guest
 * (make check, and make check DEBUG=1 where lockdep, kmemleak and KFENCE
 * watch). Every loop is bounded in count and time and stops by itself; the
 * counts are printed. A splat in the kernel log fails the run (vm-run).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/mount.h>
#include <linux/mount.h>

#include "probe.h"
#include "module.h"
#include "kselftest_harness.h"

#define NULL_FS_MAGIC 0x4E554C4C

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A small xorshift generator: the runs repeat for a given seed. */
static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;

static unsigned long long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* ---- mount churn ---- */

#define CHURN_MOUNTS 10000
#define CHURN_SECONDS 60.0

struct churn {
	char dirs[2][64];
	int stop;
	long mounts, failed_mounts, lookups, readdirs, statfs_calls, opens;
};

/* Classic mount(2) and umount, lazily half the time. */
static void *churn_classic(void *arg)
{
	struct churn *c = arg;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		if (mount("none", c->dirs[0], "rnullfs", 0, NULL)) {
			__atomic_add_fetch(&c->failed_mounts, 1, __ATOMIC_RELAXED);
			continue;
		}
		umount2(c->dirs[0], (rng() & 1) ? MNT_DETACH : 0);
		__atomic_add_fetch(&c->mounts, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* The new API: fsopen, fsmount, move_mount, then a lazy unmount with an fd still open. */
static void *churn_fsmount(void *arg)
{
	struct churn *c = arg;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		int fs = syscall(SYS_fsopen, "rnullfs", FSOPEN_CLOEXEC), mnt = -1, held;

		if (fs < 0 || syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) ||
		    (mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0)) < 0 ||
		    syscall(SYS_move_mount, mnt, "", AT_FDCWD, c->dirs[1], MOVE_MOUNT_F_EMPTY_PATH)) {
			__atomic_add_fetch(&c->failed_mounts, 1, __ATOMIC_RELAXED);
		} else {
			held = open(c->dirs[1], O_RDONLY | O_DIRECTORY);
			umount2(c->dirs[1], MNT_DETACH);
			if (held >= 0) {
				char buf[256];

				syscall(SYS_getdents64, held, buf, sizeof(buf));
				close(held);
			}
			__atomic_add_fetch(&c->mounts, 1, __ATOMIC_RELAXED);
		}
		if (mnt >= 0)
			close(mnt);
		if (fs >= 0)
			close(fs);
	}
	return NULL;
}

/* Users of whatever is mounted at the two directories right now. */
static void *churn_user(void *arg)
{
	struct churn *c = arg;
	char path[128], buf[512];
	struct statfs sfs;
	struct stat st;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		const char *dir = c->dirs[rng() & 1];
		int fd;

		snprintf(path, sizeof(path), "%s/missing-%llu", dir, rng() % 1000);
		stat(path, &st);
		__atomic_add_fetch(&c->lookups, 1, __ATOMIC_RELAXED);
		statfs(dir, &sfs);
		__atomic_add_fetch(&c->statfs_calls, 1, __ATOMIC_RELAXED);
		fd = open(dir, O_RDONLY | O_DIRECTORY);
		if (fd >= 0) {
			__atomic_add_fetch(&c->opens, 1, __ATOMIC_RELAXED);
			while (syscall(SYS_getdents64, fd, buf, sizeof(buf)) > 0)
				;
			__atomic_add_fetch(&c->readdirs, 1, __ATOMIC_RELAXED);
			close(fd);
		}
	}
	return NULL;
}

/* Mount churn with two users until `target` cycles or CHURN_SECONDS; the summary goes to `log`. */
static void run_churn(struct churn *c, long target, char *log, size_t size)
{
	pthread_t threads[4];
	double start;

	pthread_create(&threads[0], NULL, churn_classic, c);
	pthread_create(&threads[1], NULL, churn_fsmount, c);
	pthread_create(&threads[2], NULL, churn_user, c);
	pthread_create(&threads[3], NULL, churn_user, c);
	start = seconds();
	while (__atomic_load_n(&c->mounts, __ATOMIC_RELAXED) < target &&
	       seconds() - start < CHURN_SECONDS)
		usleep(50000);
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	snprintf(log, size, "%.1f s: %ld mount cycles (%ld failed), %ld lookups, %ld opens, %ld readdirs, %ld statfs",
		 seconds() - start, c->mounts, c->failed_mounts, c->lookups, c->opens, c->readdirs,
		 c->statfs_calls);
	for (int i = 0; i < 2; i++)
		while (!umount2(c->dirs[i], MNT_DETACH))
			;
}

static int make_churn_dirs(struct churn *c)
{
	for (int i = 0; i < 2; i++) {
		snprintf(c->dirs[i], sizeof(c->dirs[i]), "/tmp/rnullfs-churn%d.XXXXXX", i);
		if (!mkdtemp(c->dirs[i]))
			return -1;
	}
	return 0;
}

TEST(mount_churn_with_concurrent_users)
{
	struct churn c = { 0 };
	char log[256];

	ASSERT_EQ(0, make_churn_dirs(&c));
	run_churn(&c, CHURN_MOUNTS, log, sizeof(log));
	TH_LOG("%s", log);
	EXPECT_GE(c.mounts, CHURN_MOUNTS);
	EXPECT_EQ(0, c.failed_mounts);
	for (int i = 0; i < 2; i++)
		EXPECT_EQ(0, rmdir(c.dirs[i]));
}

#define USERNS_CHURN_MOUNTS 5000

/* The same churn by uid 1000, as root of a user namespace of its own. */
TEST(unprivileged_mount_churn)
{
	struct churn *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *log = mmap(NULL, 256, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, c);
	ASSERT_NE(MAP_FAILED, log);
	ASSERT_EQ(0, reload_module("userns_mount=1"));
	pid = fork();
	if (pid == 0) {
		int fd;

		if (setgid(1000) || setuid(1000) || prctl(PR_SET_DUMPABLE, 1) ||
		    unshare(CLONE_NEWUSER | CLONE_NEWNS))
			_exit(2);
		fd = open("/proc/self/uid_map", O_WRONLY);
		if (fd < 0 || write(fd, "0 1000 1", 8) != 8)
			_exit(2);
		close(fd);
		if (make_churn_dirs(c))
			_exit(2);
		run_churn(c, USERNS_CHURN_MOUNTS, log, 256);
		for (int i = 0; i < 2; i++)
			rmdir(c->dirs[i]);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ASSERT_EQ(0, reload_module(""));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		SKIP(return, "cannot create a user namespace as uid 1000");
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	TH_LOG("as uid 1000 in a user namespace: %s", log);
	EXPECT_GE(c->mounts, USERNS_CHURN_MOUNTS);
	EXPECT_EQ(0, c->failed_mounts);
}

/* ---- module unload racing with mounts ---- */

#define RELOADS 100

struct race {
	char dir[64];
	int stop;
	long mounts, refused;
};

static void *race_mounter(void *arg)
{
	struct race *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		if (mount("none", r->dir, "rnullfs", 0, NULL) == 0) {
			umount2(r->dir, MNT_DETACH);
			r->mounts++;
		} else {
			r->refused++; /* ENODEV while unloaded */
		}
	}
	return NULL;
}

TEST(rmmod_races_mounts_and_reloads)
{
	struct race r = { 0 };
	long unloaded = 0, busy = 0, loaded = 0;
	pthread_t mounter;

	snprintf(r.dir, sizeof(r.dir), "/tmp/rnullfs-race.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(r.dir));
	ASSERT_EQ(0, pthread_create(&mounter, NULL, race_mounter, &r));
	for (int i = 0; i < RELOADS; i++) {
		/* Keep trying while a mount holds the module; give up after 2 s. */
		for (int tries = 0; tries < 2000; tries++) {
			if (unload_module() == 0) {
				unloaded++;
				break;
			}
			ASSERT_EQ(EWOULDBLOCK, errno) TH_LOG("delete_module: %m");
			busy++;
			usleep(1000);
		}
		if (load_module_with("") == 0)
			loaded++;
		else
			ASSERT_EQ(EEXIST, errno) TH_LOG("finit_module: %m");
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELAXED);
	pthread_join(mounter, NULL);
	TH_LOG("%d rounds: %ld unloads, %ld loads, %ld rmmod attempts refused as busy, "
	       "%ld mounts, %ld mounts refused while unloaded",
	       RELOADS, unloaded, loaded, busy, r.mounts, r.refused);
	EXPECT_EQ(RELOADS, unloaded);
	EXPECT_EQ(RELOADS, loaded);
	/* It is loaded and works at the end. */
	EXPECT_EQ(0, mount("none", r.dir, "rnullfs", 0, NULL));
	umount2(r.dir, MNT_DETACH);
	rmdir(r.dir);
}

/* ---- bad input ---- */

#define FUZZ_INPUTS 20000

static const char *fuzz_keys[] = {
	"file", "source", "ro", "rw", "size", "mode", "uid", "gid", "nr_inodes",
	"FILE", "file=1", "", "x", "noexec", "sync", "dirsync", "lazytime", "silent",
};

static void fuzz_value(char *buf, size_t size)
{
	size_t len = size > 1 ? rng() % (size - 1) : 0;

	for (size_t i = 0; i < len; i++)
		buf[i] = 1 + rng() % 255;
	buf[len] = 0;
}

TEST(fsconfig_and_mount_option_fuzz)
{
	long inputs = 0, accepted = 0, refused = 0, created = 0;
	char value[64], data[128], dir[] = "/tmp/rnullfs-fuzz.XXXXXX";
	int dfd = open("/", O_PATH);

	ASSERT_NE(NULL, mkdtemp(dir));
	for (int round = 0; inputs < FUZZ_INPUTS; round++) {
		int fs = syscall(SYS_fsopen, "rnullfs", FSOPEN_CLOEXEC);

		ASSERT_GE(fs, 0);
		for (int n = 0; n < 4; n++) {
			const char *key = fuzz_keys[rng() % (sizeof(fuzz_keys) / sizeof(fuzz_keys[0]))];
			unsigned int cmd = rng() % 7;
			long ret;

			fuzz_value(value, 1 + rng() % sizeof(value));
			switch (cmd) {
			case FSCONFIG_SET_FLAG:
				ret = syscall(SYS_fsconfig, fs, cmd, key, NULL, 0);
				break;
			case FSCONFIG_SET_STRING:
				ret = syscall(SYS_fsconfig, fs, cmd, key, value, 0);
				break;
			case FSCONFIG_SET_BINARY:
				ret = syscall(SYS_fsconfig, fs, cmd, key, value, 1 + strlen(value));
				break;
			case FSCONFIG_SET_PATH:
				ret = syscall(SYS_fsconfig, fs, cmd, key, "/tmp", AT_FDCWD);
				break;
			case FSCONFIG_SET_PATH_EMPTY:
				ret = syscall(SYS_fsconfig, fs, cmd, key, "", dfd);
				break;
			case FSCONFIG_SET_FD:
				ret = syscall(SYS_fsconfig, fs, cmd, key, NULL, dfd);
				break;
			default:
				ret = syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, key, value, 0);
				break;
			}
			inputs++;
			if (ret == 0) {
				accepted++;
			} else {
				refused++;
				/* A clear error, not a crash or a hang. */
				ASSERT_TRUE(errno == EINVAL || errno == EOPNOTSUPP ||
					    errno == EBUSY)
					TH_LOG("fsconfig key '%s' cmd %u: %m", key, cmd);
				break; /* a refused parameter fails the context */
			}
		}
		if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0) {
			int mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
			struct statfs sfs;

			if (mnt >= 0) {
				ASSERT_EQ(0, fstatfs(mnt, &sfs));
				EXPECT_EQ(NULL_FS_MAGIC, sfs.f_type);
				close(mnt);
				created++;
			}
		}
		close(fs);

		/* And the same through mount(2)'s option string. */
		snprintf(data, sizeof(data), "%s,%s=%.20s",
			 fuzz_keys[rng() % (sizeof(fuzz_keys) / sizeof(fuzz_keys[0]))],
			 fuzz_keys[rng() % (sizeof(fuzz_keys) / sizeof(fuzz_keys[0]))], value);
		if (mount("none", dir, "rnullfs", 0, data) == 0)
			umount2(dir, MNT_DETACH);
		inputs++;
	}
	TH_LOG("%ld inputs: %ld fsconfig accepted, %ld refused, %ld mounts created",
	       inputs, accepted, refused, created);
	EXPECT_GT(created, 0);
	close(dfd);
	rmdir(dir);
}

#define FILE_OPS 20000

TEST(file_variant_random_operations)
{
	char path[] = "/tmp/rnullfs-fileops.XXXXXX", buf[4096];
	long counts[7] = { 0 };
	int fd, pipefd[2];
	struct stat st;

	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, mount("none", path, "rnullfs", 0, "file"));
	fd = open(path, O_RDWR);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, pipe2(pipefd, O_NONBLOCK));
	for (int i = 0; i < FILE_OPS; i++) {
		size_t len = rng() % sizeof(buf);
		off_t off = rng() % (1 << 20);
		int op = rng() % 7;

		counts[op]++;
		switch (op) {
		case 0:
			ASSERT_EQ(0, read(fd, buf, len));
			break;
		case 1:
			ASSERT_EQ((ssize_t)len, write(fd, buf, len));
			break;
		case 2:
			ASSERT_EQ(0, pread(fd, buf, len, off));
			break;
		case 3:
			ASSERT_EQ((ssize_t)len, pwrite(fd, buf, len, off));
			break;
		case 4: {
			ssize_t in = write(pipefd[1], buf, len % 4096 + 1);

			ASSERT_GT(in, 0);
			ASSERT_EQ(in, splice(pipefd[0], NULL, fd, NULL, in, 0));
			ASSERT_EQ(0, splice(fd, NULL, pipefd[1], NULL, len + 1, SPLICE_F_NONBLOCK));
			break;
		}
		case 5:
			ASSERT_EQ(off, lseek(fd, off, SEEK_SET));
			break;
		case 6:
			ASSERT_EQ(0, ftruncate(fd, off));
			break;
		}
	}
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	TH_LOG("%d operations: %ld read, %ld write, %ld pread, %ld pwrite, %ld splice in/out, "
	       "%ld lseek, %ld ftruncate", FILE_OPS, counts[0], counts[1], counts[2], counts[3],
	       counts[4], counts[5], counts[6]);
	close(fd);
	close(pipefd[0]);
	close(pipefd[1]);
	EXPECT_EQ(0, umount(path));
	unlink(path);
}

TEST_HARNESS_MAIN
