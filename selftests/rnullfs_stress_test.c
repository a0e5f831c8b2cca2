// SPDX-License-Identifier: GPL-2.0
/*
 * rnullfs under stress, races and bad input: run as root in the test guest
 * (make check, and make check DEBUG=1 where lockdep, kmemleak and KFENCE
 * watch). Every loop is bounded in time (and in count) and stops by itself;
 * its counts and rates are printed. A test asserts correctness -- no failed
 * mount, nothing left mounted, the module unloads afterwards -- never a
 * count that depends on the machine's speed: the minimum counts below are
 * far under what any working kernel reaches in the time given. A splat in
 * the kernel log fails the run (vm-run).
 *
 * Isolation: every test runs in a mount namespace of its own and starts
 * from, and puts back, the module as the guest loaded it.
 * Random numbers: each thread has its own xorshift state, seeded from one
 * seed that the run prints; RNULLFS_SEED=N repeats a run's sequences.
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

static double seconds(void)
{
	return monotonic_seconds();
}

/* A thread's own xorshift generator: no state is shared between threads. */
struct rng {
	unsigned long long state;
};

static unsigned long long rng(struct rng *r)
{
	r->state ^= r->state << 13;
	r->state ^= r->state >> 7;
	r->state ^= r->state << 17;
	return r->state;
}

/* The run's seed: $RNULLFS_SEED, else the time; set once, before the tests fork. */
static unsigned long long seed;

static void __attribute__((constructor)) choose_seed(void)
{
	const char *env = getenv("RNULLFS_SEED");

	seed = env ? strtoull(env, NULL, 0) : (unsigned long long)time(NULL);
}

static unsigned long long run_seed(void)
{
	return seed;
}

/* The generator of stream `n` (a thread or a test) of this run. */
static struct rng rng_for(unsigned int n)
{
	struct rng r = { run_seed() * 0x9E3779B97F4A7C15ULL + (n + 1) * 0xBF58476D1CE4E5B9ULL };

	if (!r.state)
		r.state = 1;
	for (int i = 0; i < 8; i++)
		rng(&r);
	return r;
}

/*
 * The harness timeout of a stress test: its time bound, the module's
 * reloads in setup and teardown, and as much again.
 */
#define STRESS_TIMEOUT(bound) (2 * ((int)(bound) + 3 * (int)UNLOAD_WAIT_SECONDS))

/*
 * Every test here: a private mount namespace, and the module as the guest
 * loaded it, before and after.
 */
FIXTURE(stress) {};

FIXTURE_SETUP(stress)
{
	ASSERT_EQ(0, private_mount_namespace()) TH_LOG("a private mount namespace: %m");
	ASSERT_EQ(0, restore_module()) TH_LOG("loading %s: %m", module_path());
	TH_LOG("seed %llu (RNULLFS_SEED=%llu repeats the random sequences)", run_seed(), run_seed());
}

FIXTURE_TEARDOWN(stress)
{
	EXPECT_EQ(0, restore_module()) TH_LOG("putting %s back: %m", module_path());
}

/* ---- mount churn ---- */

/* Each churn runs this long: the bound of the test. */
#define CHURN_SECONDS 10.0
/* Mount cycles any working kernel does in that time, even a debug one at half speed. */
#define CHURN_MIN_MOUNTS 20

struct churn {
	char dirs[2][64];
	int stop;
	long mounts, failed_mounts, busy_umounts, failed_umounts;
	long lookups, readdirs, statfs_calls, opens;
};

/* What each churn thread is handed: the shared counters and its own generator. */
struct churn_thread {
	struct churn *churn;
	struct rng rng;
};

/* Classic mount(2) and umount, lazily half the time. */
static void *churn_classic(void *arg)
{
	struct churn_thread *t = arg;
	struct churn *c = t->churn;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		if (mount("none", c->dirs[0], "rnullfs", 0, NULL)) {
			__atomic_add_fetch(&c->failed_mounts, 1, __ATOMIC_RELAXED);
			continue;
		}
		/*
		 * A plain unmount is refused (EBUSY) while a user has the
		 * directory open; then it is detached lazily, as umount -l would.
		 */
		if ((rng(&t->rng) & 1) && umount2(c->dirs[0], 0) == 0) {
			__atomic_add_fetch(&c->mounts, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (errno == EBUSY)
			__atomic_add_fetch(&c->busy_umounts, 1, __ATOMIC_RELAXED);
		if (umount2(c->dirs[0], MNT_DETACH))
			__atomic_add_fetch(&c->failed_umounts, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&c->mounts, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* The new API: fsopen, fsmount, move_mount, then a lazy unmount with an fd still open. */
static void *churn_fsmount(void *arg)
{
	struct churn *c = ((struct churn_thread *)arg)->churn;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		int fs = syscall(SYS_fsopen, "rnullfs", FSOPEN_CLOEXEC), mnt = -1, held;

		if (fs < 0 || syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) ||
		    (mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0)) < 0 ||
		    syscall(SYS_move_mount, mnt, "", AT_FDCWD, c->dirs[1], MOVE_MOUNT_F_EMPTY_PATH)) {
			__atomic_add_fetch(&c->failed_mounts, 1, __ATOMIC_RELAXED);
		} else {
			held = open(c->dirs[1], O_RDONLY | O_DIRECTORY);
			if (umount2(c->dirs[1], MNT_DETACH))
				__atomic_add_fetch(&c->failed_umounts, 1, __ATOMIC_RELAXED);
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
	struct churn_thread *t = arg;
	struct churn *c = t->churn;
	char path[128], buf[512];
	struct statfs sfs;
	struct stat st;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		const char *dir = c->dirs[rng(&t->rng) & 1];
		int fd;

		snprintf(path, sizeof(path), "%s/missing-%llu", dir, rng(&t->rng) % 1000);
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

/*
 * Mount churn with two users for `duration` seconds; the summary goes to
 * `log`. Returns how many rnullfs mounts were left in the namespace once
 * every thread had stopped (0 unless an unmount went wrong).
 */
static int run_churn(struct churn *c, double duration, char *log, size_t size)
{
	void *(*const roles[4])(void *) = { churn_classic, churn_fsmount, churn_user, churn_user };
	struct churn_thread threads[4];
	pthread_t ids[4];
	double start, elapsed;
	int left;

	start = seconds();
	for (int i = 0; i < 4; i++) {
		threads[i] = (struct churn_thread){ .churn = c, .rng = rng_for(i) };
		pthread_create(&ids[i], NULL, roles[i], &threads[i]);
	}
	while (seconds() - start < duration)
		usleep(50000);
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 4; i++)
		pthread_join(ids[i], NULL);
	elapsed = seconds() - start;
	left = rnullfs_mounts();
	snprintf(log, size,
		 "%.1f s: %ld mount cycles (%.0f/s, %ld failed; %ld plain unmounts busy, then detached), "
		 "%ld lookups, %ld opens, %ld readdirs, %ld statfs (%.0f ops/s)",
		 elapsed, c->mounts, c->mounts / elapsed, c->failed_mounts, c->busy_umounts,
		 c->lookups, c->opens,
		 c->readdirs, c->statfs_calls,
		 (c->lookups + c->opens + c->readdirs + c->statfs_calls) / elapsed);
	for (int i = 0; i < 2; i++)
		while (!umount2(c->dirs[i], MNT_DETACH))
			;
	return left;
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

TEST_F_TIMEOUT(stress, mount_churn_with_concurrent_users, STRESS_TIMEOUT(CHURN_SECONDS))
{
	struct churn c = { 0 };
	char log[256];

	ASSERT_EQ(0, make_churn_dirs(&c));
	EXPECT_EQ(0, run_churn(&c, CHURN_SECONDS, log, sizeof(log))) TH_LOG("mounts left behind");
	TH_LOG("%s", log);
	EXPECT_GE(c.mounts, CHURN_MIN_MOUNTS);
	EXPECT_EQ(0, c.failed_mounts);
	EXPECT_EQ(0, c.failed_umounts);
	for (int i = 0; i < 2; i++)
		EXPECT_EQ(0, rmdir(c.dirs[i]));
	/* Nothing holds the module once the churn is over. */
	EXPECT_EQ(0, unload_when_idle()) TH_LOG("rnullfs still busy %.0f s after the churn", UNLOAD_WAIT_SECONDS);
}

/* The same churn by uid 1000, as root of a user namespace of its own. */
TEST_F_TIMEOUT(stress, unprivileged_mount_churn, STRESS_TIMEOUT(CHURN_SECONDS))
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
		if (become_userns_root(1000))
			_exit(2);
		if (make_churn_dirs(c))
			_exit(2);
		if (run_churn(c, CHURN_SECONDS, log, 256))
			_exit(3);
		for (int i = 0; i < 2; i++)
			rmdir(c->dirs[i]);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		SKIP(return, "cannot create a user namespace as uid 1000");
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("the unprivileged churn died (status %#x)", status);
	EXPECT_NE(3, WEXITSTATUS(status)) TH_LOG("mounts left behind in the user's namespace");
	EXPECT_EQ(0, WEXITSTATUS(status));
	TH_LOG("as uid 1000 in a user namespace: %s", log);
	EXPECT_GE(c->mounts, CHURN_MIN_MOUNTS);
	EXPECT_EQ(0, c->failed_mounts);
	EXPECT_EQ(0, c->failed_umounts);
	EXPECT_EQ(0, unload_when_idle()) TH_LOG("rnullfs still busy %.0f s after the churn", UNLOAD_WAIT_SECONDS);
}

/* ---- module unload racing with mounts ---- */

/* At most this many unload+load rounds, for at most this long. */
#define RELOADS 100
#define RELOAD_SECONDS 20.0
/* Rounds any working kernel completes in that time. */
#define RELOAD_MIN_ROUNDS 3

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

TEST_F_TIMEOUT(stress, rmmod_races_mounts_and_reloads,
	       STRESS_TIMEOUT(RELOAD_SECONDS + UNLOAD_WAIT_SECONDS))
{
	struct race r = { 0 };
	long rounds = 0, unloaded = 0, busy = 0, loaded = 0;
	double start = seconds(), elapsed;
	pthread_t mounter;

	snprintf(r.dir, sizeof(r.dir), "/tmp/rnullfs-race.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(r.dir));
	ASSERT_EQ(0, pthread_create(&mounter, NULL, race_mounter, &r));
	while (rounds < RELOADS && seconds() - start < RELOAD_SECONDS) {
		double deadline = seconds() + UNLOAD_WAIT_SECONDS;

		rounds++;
		/* Keep trying while a mount holds the module. */
		while (seconds() < deadline) {
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
	elapsed = seconds() - start;
	TH_LOG("%.1f s, %ld rounds (%.1f/s): %ld unloads, %ld loads, %ld rmmod attempts refused as busy, "
	       "%ld mounts, %ld mounts refused while unloaded",
	       elapsed, rounds, rounds / elapsed, unloaded, loaded, busy, r.mounts, r.refused);
	EXPECT_GE(rounds, RELOAD_MIN_ROUNDS);
	EXPECT_EQ(rounds, unloaded);
	EXPECT_EQ(rounds, loaded);
	/* It is loaded and works at the end. */
	EXPECT_EQ(0, mount("none", r.dir, "rnullfs", 0, NULL));
	umount2(r.dir, MNT_DETACH);
	rmdir(r.dir);
}

/* ---- bad input ---- */

/* At most this many inputs, for at most this long. */
#define FUZZ_INPUTS 20000
#define FUZZ_SECONDS 15.0
#define FUZZ_MIN_INPUTS 100

static const char *fuzz_keys[] = {
	"file", "source", "ro", "rw", "size", "mode", "uid", "gid", "nr_inodes",
	"FILE", "file=1", "", "x", "noexec", "sync", "dirsync", "lazytime", "silent",
};

static void fuzz_value(struct rng *r, char *buf, size_t size)
{
	size_t len = size > 1 ? rng(r) % (size - 1) : 0;

	for (size_t i = 0; i < len; i++)
		buf[i] = 1 + rng(r) % 255;
	buf[len] = 0;
}

#define FUZZ_KEY(r) fuzz_keys[rng(r) % (sizeof(fuzz_keys) / sizeof(fuzz_keys[0]))]

TEST_F_TIMEOUT(stress, fsconfig_and_mount_option_fuzz, STRESS_TIMEOUT(FUZZ_SECONDS))
{
	long inputs = 0, accepted = 0, refused = 0, created = 0;
	char value[64], data[128], dir[] = "/tmp/rnullfs-fuzz.XXXXXX";
	int dfd = open("/", O_PATH);
	struct rng r = rng_for(100);
	double start = seconds(), elapsed;

	ASSERT_NE(NULL, mkdtemp(dir));
	while (inputs < FUZZ_INPUTS && seconds() - start < FUZZ_SECONDS) {
		int fs = syscall(SYS_fsopen, "rnullfs", FSOPEN_CLOEXEC);

		ASSERT_GE(fs, 0);
		for (int n = 0; n < 4; n++) {
			const char *key = FUZZ_KEY(&r);
			unsigned int cmd = rng(&r) % 7;
			long ret;

			fuzz_value(&r, value, 1 + rng(&r) % sizeof(value));
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
		snprintf(data, sizeof(data), "%s,%s=%.20s", FUZZ_KEY(&r), FUZZ_KEY(&r), value);
		if (mount("none", dir, "rnullfs", 0, data) == 0)
			umount2(dir, MNT_DETACH);
		inputs++;
	}
	elapsed = seconds() - start;
	TH_LOG("%.1f s, %ld inputs (%.0f/s): %ld fsconfig accepted, %ld refused, %ld mounts created",
	       elapsed, inputs, inputs / elapsed, accepted, refused, created);
	EXPECT_GE(inputs, FUZZ_MIN_INPUTS);
	EXPECT_GT(created, 0);
	EXPECT_EQ(0, rnullfs_mounts()) TH_LOG("mounts left behind");
	close(dfd);
	rmdir(dir);
}

/* At most this many operations, for at most this long. */
#define FILE_OPS 20000
#define FILE_OPS_SECONDS 10.0
#define FILE_OPS_MIN 100

TEST_F_TIMEOUT(stress, file_variant_random_operations, STRESS_TIMEOUT(FILE_OPS_SECONDS))
{
	char path[] = "/tmp/rnullfs-fileops.XXXXXX", buf[4096];
	long counts[7] = { 0 }, done = 0;
	int fd, pipefd[2];
	struct rng r = rng_for(200);
	double start = seconds(), elapsed;
	struct stat st;

	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, mount("none", path, "rnullfs", 0, "file"));
	fd = open(path, O_RDWR);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, pipe2(pipefd, O_NONBLOCK));
	for (; done < FILE_OPS && seconds() - start < FILE_OPS_SECONDS; done++) {
		size_t len = rng(&r) % sizeof(buf);
		off_t off = rng(&r) % (1 << 20);
		int op = rng(&r) % 7;

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
	elapsed = seconds() - start;
	TH_LOG("%.1f s, %ld operations (%.0f/s): %ld read, %ld write, %ld pread, %ld pwrite, "
	       "%ld splice in/out, %ld lseek, %ld ftruncate", elapsed, done, done / elapsed,
	       counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6]);
	EXPECT_GE(done, FILE_OPS_MIN);
	close(fd);
	close(pipefd[0]);
	close(pipefd[1]);
	EXPECT_EQ(0, umount(path));
	unlink(path);
}

TEST_HARNESS_MAIN
