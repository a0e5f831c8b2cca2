// SPDX-License-Identifier: GPL-2.0
/*
 * Races that make CPUs meet: run as root in the test guest (make check, and
 * make check DEBUG=1 where lockdep, KASAN and kmemleak watch). The stress
 * tests run their threads wherever the scheduler puts them, which on a
 * uniprocessor kernel means one after the other; here every racer is a
 * thread pinned (sched_setaffinity) to a CPU of its own where there are
 * enough (racer i on the i-th CPU the test may use, modulo their number),
 * all released together by one barrier, so that the same rnullfs paths run
 * on two CPUs at the same instant. A kernel with one online CPU cannot do
 * that: there every test is skipped, saying so.
 *
 * Each race runs on rnullfs and, as a control, on tmpfs (the fixture's two
 * variants): an errno that tmpfs gives too is the VFS's. What tmpfs cannot
 * do -- rnullfs's -o file, unloading rnullfs.ko -- is skipped there, with
 * the reason.
 *
 * Time: every racer runs for RACE_SECONDS (and at most RACE_MAX_STEPS
 * steps) after the barrier, and stops by itself. A test asserts
 * correctness -- every result as rnullfs (or tmpfs) must give it, nothing
 * left mounted, the module's reference count back where it was -- and that
 * the race took place: each racer did at least one step, on the CPU it was
 * pinned to, on at least two CPUs in all, and their windows of time
 * overlapped. Never a count that depends on the machine's speed; the
 * counts are printed, per racer: its CPU, its operation, how many.
 *
 * Isolation: every test runs in a mount namespace of its own and starts
 * from, and puts back, the module as the guest loaded it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/mount.h>
#include <linux/mount.h>
#include <linux/magic.h>

#include "probe.h"
#include "module.h"
#include "kselftest_harness.h"

/* How long each racer runs once the barrier lets it go: the bound of a race. */
#define RACE_SECONDS 3.0
/*
 * And at most this many steps: far more than any kernel does in that
 * time (a step is at least one syscall), so time is what ends a race; the
 * count only bounds a clock gone wrong.
 */
#define RACE_MAX_STEPS 50000000L
/* Racers per race at most: one per CPU up to this many. */
#define RACE_MAX_RACERS 8
/*
 * A racer that loses a race it may lose (an unmount of a mount another CPU
 * just detached) tries again, at most this many times in a row.
 */
#define LOST_RACE_RETRIES 10000

/*
 * The harness timeout of a race: its bound, plus `waits` waits of up to
 * UNLOAD_WAIT_SECONDS (the module's reloads in setup and teardown, the
 * wait for the last super block to go, and any unload of the test's own),
 * and as much again.
 */
#define RACE_TIMEOUT(waits) (2 * ((int)RACE_SECONDS + (waits) * (int)UNLOAD_WAIT_SECONDS))

static double seconds(void)
{
	return monotonic_seconds();
}

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "an unknown errno";
}

/* What the racers of one race share. */
struct race {
	const char *fstype;
	unsigned long magic;	/* its statfs f_type */
	int rnullfs;		/* 1 on rnullfs, 0 on tmpfs */
	char dir[96];		/* a directory every racer uses */
	dev_t dir_dev;		/* its st_dev while nothing is mounted on it */
	int fd;			/* an fd every racer uses, or -1 */
	double start;		/* when the racers were started: the log's time 0 */
	pthread_barrier_t start_line;
};

struct racer;
/*
 * One step of a racer: a handful of syscalls, each checked. 0, or -1 with
 * what went wrong written in the racer's `bad` (then the racer stops).
 */
typedef int (*race_step)(struct racer *r);

struct racer {
	struct race *race;
	race_step step;
	const char *op;		/* what its step does, for the log */
	int index, cpu;		/* its number, and the CPU it is pinned to */
	char own[96];		/* a directory of its own, where it needs one */
	int fd;			/* an fd of its own, or -1 */
	/* Written by the racer alone; read once it has been joined. */
	double first, last;	/* before its first step, after its last */
	int cpu_first, cpu_last;	/* sched_getcpu() then */
	long count, lost;	/* steps done; races lost that may be lost */
	int left;		/* mounts it left in a namespace of its own */
	char bad[192];		/* the first thing that went wrong, or "" */
};

static int __attribute__((format(printf, 2, 3))) wrong(struct racer *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->bad, sizeof(r->bad), fmt, ap);
	va_end(ap);
	return -1;
}

/* A syscall `what` failed: its errno's name goes with it. */
static int syscall_failed(struct racer *r, const char *what)
{
	return wrong(r, "%s: %s", what, errname(errno));
}

/*
 * A racer: pinned to its CPU, at the barrier with the others, then its
 * step over and over until its time is up.
 */
static void *racer_main(void *arg)
{
	struct racer *r = arg;
	double deadline;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(r->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		snprintf(r->bad, sizeof(r->bad), "sched_setaffinity(CPU %d): %s", r->cpu, errname(errno));
	/* Even a racer that could not be pinned: the others wait for it here. */
	pthread_barrier_wait(&r->race->start_line);
	if (r->bad[0])
		return NULL;
	r->cpu_first = sched_getcpu();
	r->first = seconds();
	deadline = r->first + RACE_SECONDS;
	while (r->count < RACE_MAX_STEPS) {
		if (r->step(r))
			break;
		r->count++;
		r->last = seconds();
		if (r->last >= deadline)
			break;
	}
	r->cpu_last = sched_getcpu();
	return NULL;
}

/* The barrier for `n` racers; `shared` when one of them is another process. */
static int init_start_line(struct race *race, int n, int shared)
{
	pthread_barrierattr_t attr;
	int ret;

	pthread_barrierattr_init(&attr);
	pthread_barrierattr_setpshared(&attr, shared ? PTHREAD_PROCESS_SHARED : PTHREAD_PROCESS_PRIVATE);
	ret = pthread_barrier_init(&race->start_line, &attr, n);
	pthread_barrierattr_destroy(&attr);
	race->start = seconds();
	return ret;
}

/* Threads for racers[from..n): 0, or -1 if one could not be created. */
static int start_threads(pthread_t *ids, struct racer *racers, int from, int n)
{
	for (int i = from; i < n; i++) {
		if (pthread_create(&ids[i], NULL, racer_main, &racers[i]))
			return -1;
	}
	return 0;
}

static void join_threads(pthread_t *ids, int from, int n)
{
	for (int i = from; i < n; i++)
		pthread_join(ids[i], NULL);
}

/* Every racer a thread of the test: runs the race to its end. */
static void run_race(struct __test_metadata *_metadata, struct race *race, struct racer *racers, int n)
{
	pthread_t ids[RACE_MAX_RACERS];

	ASSERT_EQ(0, init_start_line(race, n, 0));
	/* A thread that is not created leaves the others at the barrier: the ASSERT ends them. */
	ASSERT_EQ(0, start_threads(ids, racers, 0, n)) TH_LOG("pthread_create: %m");
	join_threads(ids, 0, n);
	pthread_barrier_destroy(&race->start_line);
}

/*
 * The log of a race, and what every race must show: each racer did at
 * least one step and nothing went wrong, it ran on the CPU it was pinned
 * to, the racers ran on at least two CPUs, and all of them were running at
 * one moment (the latest first step began before the earliest last step
 * ended).
 */
static void check_racers(struct __test_metadata *_metadata, const struct race *race,
			 const struct racer *r, int n)
{
	double latest_first = 0, earliest_last = 0;
	int ran = 0;
	cpu_set_t seen;

	CPU_ZERO(&seen);
	for (int i = 0; i < n; i++) {
		TH_LOG("CPU %d: %s, %ld times (%ld races lost), %.3f s to %.3f s", r[i].cpu_first, r[i].op,
		       r[i].count, r[i].lost, r[i].first - race->start, r[i].last - race->start);
		EXPECT_EQ(0, r[i].bad[0]) TH_LOG("racer %d (%s, CPU %d): %s", i, r[i].op, r[i].cpu, r[i].bad);
		EXPECT_GE(r[i].count, 1) TH_LOG("racer %d (%s) did nothing", i, r[i].op);
		if (r[i].count < 1)
			continue;
		EXPECT_EQ(r[i].cpu, r[i].cpu_first) TH_LOG("racer %d, pinned to CPU %d, began on CPU %d", i, r[i].cpu, r[i].cpu_first);
		EXPECT_EQ(r[i].cpu, r[i].cpu_last) TH_LOG("racer %d, pinned to CPU %d, ended on CPU %d", i, r[i].cpu, r[i].cpu_last);
		if (r[i].cpu_first >= 0 && r[i].cpu_first < CPU_SETSIZE)
			CPU_SET(r[i].cpu_first, &seen);
		if (!ran || r[i].first > latest_first)
			latest_first = r[i].first;
		if (!ran || r[i].last < earliest_last)
			earliest_last = r[i].last;
		ran++;
	}
	EXPECT_GE(CPU_COUNT(&seen), 2) TH_LOG("the racers ran on %d CPU(s)", CPU_COUNT(&seen));
	EXPECT_LT(latest_first, earliest_last)
		TH_LOG("the racers never ran at once: the last began at %.3f s, the first ended at %.3f s",
		       latest_first - race->start, earliest_last - race->start);
}

/* How many mounts of `fstype` this mount namespace has, from its mountinfo. */
static int mounts_of(const char *fstype)
{
	char want[64];

	snprintf(want, sizeof(want), " - %s ", fstype);
	return count_matching_lines("/proc/self/mountinfo", line_contains, want);
}

/* The module's reference count, from /sys/module/rnullfs/refcnt, or -1. */
static int module_refcount(void)
{
	char buf[32];

	if (read_text("/sys/module/rnullfs/refcnt", buf, sizeof(buf)))
		return -1;
	return atoi(buf);
}

/*
 * The module's reference count once it is back to `before`, or what it is
 * after UNLOAD_WAIT_SECONDS: the last super blocks of detached mounts and
 * of ended namespaces go in deferred work.
 */
static int settled_refcount(int before)
{
	double deadline = seconds() + UNLOAD_WAIT_SECONDS;
	int count;

	while ((count = module_refcount()) > before && seconds() < deadline)
		usleep(10000);
	return count;
}

/*
 * Every test: a private mount namespace, the module as the guest loaded
 * it, and a scratch directory: `dir` for what the racers share, `file` for
 * the file variant, racer-N for racer N's own.
 */
FIXTURE(smp) {
	int cpus[RACE_MAX_RACERS];	/* the CPUs this test may use, in order */
	int ncpus;
	int mounts_before;		/* mounts of the variant's type at the start */
	int refcount_before;		/* rnullfs.ko's reference count at the start */
	char top[64], dir[96], file[96];
};

FIXTURE_VARIANT(smp) {
	const char *fstype;
};

FIXTURE_VARIANT_ADD(smp, rnullfs) {
	.fstype = "rnullfs",
};

/* The control: the same races on tmpfs. */
FIXTURE_VARIANT_ADD(smp, tmpfs) {
	.fstype = "tmpfs",
};

static int is_rnullfs(const FIXTURE_VARIANT(smp) *variant)
{
	return !strcmp(variant->fstype, "rnullfs");
}

FIXTURE_SETUP(smp)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t allowed;

	/* Before anything is changed: a skipped setup has no teardown. */
	if (online < 2)
		SKIP(return, "needs 2 CPUs: this kernel has %ld online", online);
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(allowed), &allowed));
	self->ncpus = 0;
	for (int cpu = 0; cpu < CPU_SETSIZE && self->ncpus < RACE_MAX_RACERS; cpu++) {
		if (CPU_ISSET(cpu, &allowed))
			self->cpus[self->ncpus++] = cpu;
	}
	if (self->ncpus < 2)
		SKIP(return, "needs 2 CPUs: this test may run on %d of the %ld online", self->ncpus, online);

	ASSERT_EQ(0, private_mount_namespace()) TH_LOG("a private mount namespace: %m");
	ASSERT_EQ(0, restore_module()) TH_LOG("loading %s: %m", module_path());
	strcpy(self->top, "/tmp/rnullfs-smp.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->top));
	/* Searchable: the user-namespace racer (uid 1000) reaches its directory through it. */
	ASSERT_EQ(0, chmod(self->top, 0755));
	snprintf(self->dir, sizeof(self->dir), "%s/shared", self->top);
	ASSERT_EQ(0, mkdir(self->dir, 0755));
	snprintf(self->file, sizeof(self->file), "%s/file", self->top);
	self->mounts_before = mounts_of(variant->fstype);
	ASSERT_LE(0, self->mounts_before);
	self->refcount_before = 0;
	if (is_rnullfs(variant)) {
		self->refcount_before = module_refcount();
		ASSERT_LE(0, self->refcount_before) TH_LOG("/sys/module/rnullfs/refcnt: %m");
	}
	TH_LOG("%s, racers on %d CPUs (%ld online), %.1f s a race", variant->fstype, self->ncpus, online,
	       RACE_SECONDS);
}

/* Whatever is left mounted at `path` goes, bounded (a failed test may leave a stack). */
static void detach_all(const char *path)
{
	for (int i = 0; i < 4 * RACE_MAX_RACERS && umount2(path, MNT_DETACH) == 0; i++)
		;
}

FIXTURE_TEARDOWN(smp)
{
	char path[128];

	detach_all(self->dir);
	rmdir(self->dir);
	detach_all(self->file);
	unlink(self->file);
	for (int i = 0; i < RACE_MAX_RACERS; i++) {
		snprintf(path, sizeof(path), "%s/racer-%d", self->top, i);
		detach_all(path);
		rmdir(path);
	}
	rmdir(self->top);
	EXPECT_EQ(0, restore_module()) TH_LOG("putting %s back: %m", module_path());
}

/* A role in a race: what a racer does. */
struct role {
	const char *op;
	race_step step;
};

/* Racers for a race of `nroles` roles: one per CPU the test may use, and at least one per role. */
static int racers_for(const FIXTURE_DATA(smp) *self, int nroles)
{
	int n = self->ncpus > nroles ? self->ncpus : nroles;

	return n > RACE_MAX_RACERS ? RACE_MAX_RACERS : n;
}

/*
 * The race of a test and its `n` racers: racer i has role i % nroles and
 * runs on CPU i % ncpus (of the CPUs the test may use). Returns n.
 */
static int deal(FIXTURE_DATA(smp) *self, const FIXTURE_VARIANT(smp) *variant, struct race *race,
		struct racer *racers, int n, const struct role *roles, int nroles)
{
	struct stat st;

	*race = (struct race){
		.fstype = variant->fstype,
		.magic = is_rnullfs(variant) ? NULL_FS_MAGIC : TMPFS_MAGIC,
		.rnullfs = is_rnullfs(variant),
		.fd = -1,
	};
	strcpy(race->dir, self->dir);
	/* Every test deals before it mounts anything on the shared directory. */
	race->dir_dev = stat(self->dir, &st) ? 0 : st.st_dev;
	for (int i = 0; i < n; i++) {
		racers[i] = (struct racer){
			.race = race,
			.step = roles[i % nroles].step,
			.op = roles[i % nroles].op,
			.index = i,
			.cpu = self->cpus[i % self->ncpus],
			.fd = -1,
			.cpu_first = -1,
			.cpu_last = -1,
		};
		snprintf(racers[i].own, sizeof(racers[i].own), "%s/racer-%d", self->top, i);
	}
	return n;
}

/* Each racer's own directory, made before the race. */
static int make_own_dirs(struct racer *racers, int n)
{
	for (int i = 0; i < n; i++) {
		if (mkdir(racers[i].own, 0755))
			return -1;
	}
	return 0;
}

/*
 * What every test ends with: nothing of its filesystem type left mounted in
 * its namespace, and (rnullfs) the module's reference count back.
 */
static void check_nothing_left(struct __test_metadata *_metadata, FIXTURE_DATA(smp) *self,
			       const FIXTURE_VARIANT(smp) *variant)
{
	EXPECT_EQ(self->mounts_before, mounts_of(variant->fstype))
		TH_LOG("%s mounts left in the test's mount namespace", variant->fstype);
	if (is_rnullfs(variant))
		EXPECT_EQ(self->refcount_before, settled_refcount(self->refcount_before))
			TH_LOG("rnullfs.ko still referenced %.0f s after the race", UNLOAD_WAIT_SECONDS);
}

/* ---- the steps ---- */

/* fsopen, fsconfig(FSCONFIG_CMD_CREATE), fsmount: a detached mount, checked, closed. */
static int step_fsmount(struct racer *r)
{
	int fs = syscall(SYS_fsopen, r->race->fstype, FSOPEN_CLOEXEC), mnt, ret = 0;
	struct statfs sfs;

	if (fs < 0)
		return syscall_failed(r, "fsopen");
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) {
		ret = syscall_failed(r, "fsconfig(FSCONFIG_CMD_CREATE)");
	} else if ((mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0)) < 0) {
		ret = syscall_failed(r, "fsmount");
	} else {
		if (fstatfs(mnt, &sfs))
			ret = syscall_failed(r, "fstatfs of the new mount");
		else if ((unsigned long)sfs.f_type != r->race->magic)
			ret = wrong(r, "the new mount's f_type is %#lx, %#lx expected",
				    (unsigned long)sfs.f_type, r->race->magic);
		close(mnt);
	}
	close(fs);
	return ret;
}

/*
 * Detaches the topmost mount at the shared directory. Another CPU may have
 * detached the mount this one's path walk reached (EINVAL), or hold it
 * (EBUSY): a lost race, tried again. Or a lazy unmount on another CPU took
 * this racer's mount along with its own (a detached mount takes what is
 * mounted on it with it): then nothing is mounted there any more, and
 * this racer's mount is gone already.
 */
static int detach_shared(struct racer *r)
{
	struct stat st;

	for (int tries = 0; tries < LOST_RACE_RETRIES; tries++) {
		if (umount2(r->race->dir, MNT_DETACH) == 0)
			return 0;
		if (errno != EINVAL && errno != EBUSY)
			return syscall_failed(r, "umount2(MNT_DETACH)");
		r->lost++;
		if (stat(r->race->dir, &st))
			return syscall_failed(r, "stat of the shared directory");
		if (st.st_dev == r->race->dir_dev)
			return 0;
		sched_yield();
	}
	return wrong(r, "umount2(MNT_DETACH) lost %d races in a row", LOST_RACE_RETRIES);
}

/*
 * mount(2) on the directory every racer mounts on, then a lazy unmount of
 * whatever is topmost there. A mount whose path walk reached a mount
 * another CPU has detached since is a lost race: Linux 7.3's
 * do_lock_mount() (fs/namespace.c) refuses it with ENOENT ("not to be
 * mounted on": the path's mount is no longer mounted), older kernels with
 * EINVAL; EBUSY likewise. tmpfs, the control, loses it the same way. Each
 * racer unmounts once per mount of its own, or sees that nothing is
 * mounted there any more, so when all are done nothing is left.
 */
static int step_mount_shared_dir(struct racer *r)
{
	if (mount("none", r->race->dir, r->race->fstype, 0, NULL)) {
		if (errno != ENOENT && errno != EINVAL && errno != EBUSY)
			return syscall_failed(r, "mount");
		r->lost++;
		return 0;
	}
	return detach_shared(r);
}

/* mount(2) and a lazy unmount on the racer's own directory: both must work. */
static int step_mount_own_dir(struct racer *r)
{
	if (mount("none", r->own, r->race->fstype, 0, NULL))
		return syscall_failed(r, "mount");
	if (umount2(r->own, MNT_DETACH))
		return syscall_failed(r, "umount2(MNT_DETACH)");
	return 0;
}

/* The names of the entries in a getdents64 buffer, added to `out`, joined with spaces. */
static void add_names(const char *buf, long n, char *out, size_t size)
{
	for (long off = 0; off < n;) {
		const struct dirent64 *d = (const struct dirent64 *)(buf + off);
		size_t used = strlen(out);

		if (d->d_reclen == 0)
			break;
		snprintf(out + used, size - used, "%s%s", used ? " " : "", d->d_name);
		off += d->d_reclen;
	}
}

/*
 * From the start, every entry of the directory open at `fd`, which must be
 * "." and ".." and nothing else: both roots, rnullfs's and a new tmpfs's,
 * are empty. At most 4 getdents64 calls: two entries fit in one, the
 * second says the end.
 */
static int list_exactly_dots(struct racer *r, int fd)
{
	char buf[1024] __attribute__((aligned(8))), names[256] = "";
	long n;
	int calls;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return syscall_failed(r, "lseek(SEEK_SET 0) of an fd of its own");
	for (calls = 0; calls < 4; calls++) {
		n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (n < 0)
			return syscall_failed(r, "getdents64 on an fd of its own");
		if (n == 0)
			break;
		add_names(buf, n, names, sizeof(names));
	}
	if (calls == 4)
		return wrong(r, "getdents64 gave no end after 4 calls: %s", names);
	if (strcmp(names, ". .."))
		return wrong(r, "the root listed \"%s\", \". ..\" expected", names);
	return 0;
}

/*
 * lseek(SEEK_SET 0) and one getdents64 on the fd every racer shares: the
 * others move its position too, so the call starts at 0, at 1 or at the
 * end, and must give what is left of ". ..": ". ..", "..", or nothing.
 * Then the whole listing on an fd of the racer's own, on the same mount.
 */
static int step_getdents_shared(struct racer *r)
{
	char buf[1024] __attribute__((aligned(8))), names[256] = "";
	off_t pos = lseek(r->race->fd, 0, SEEK_SET);
	long n;

	if (pos != 0)
		return pos < 0 ? syscall_failed(r, "lseek(SEEK_SET 0)") :
				 wrong(r, "lseek(SEEK_SET 0) gave %lld", (long long)pos);
	n = syscall(SYS_getdents64, r->race->fd, buf, sizeof(buf));
	if (n < 0)
		return syscall_failed(r, "getdents64 on the shared fd");
	add_names(buf, n, names, sizeof(names));
	if (strcmp(names, ". ..") && strcmp(names, "..") && strcmp(names, ""))
		return wrong(r, "getdents64 on the shared fd gave \"%s\": not what is left of \". ..\"", names);
	return list_exactly_dots(r, r->fd);
}

/* A missing name: stat must say ENOENT. The racers share the names, so lookups of one name meet. */
static int step_lookup_missing(struct racer *r)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "%s/missing-%ld", r->race->dir, r->count % 16);
	if (stat(path, &st) == 0)
		return wrong(r, "stat(%s) found something", path);
	if (errno != ENOENT)
		return syscall_failed(r, "stat of a missing name");
	return 0;
}

/*
 * rnullfs: mkdir of a name the lookups look up, refused with ENOENT, as
 * rnullfs_test's nothing_can_be_created has it (the lookup says the name
 * cannot exist before the read-only mount is asked). tmpfs can create, so
 * there a directory of the racer's own is made and removed.
 */
static int step_mkdir(struct racer *r)
{
	char path[128];

	if (r->race->rnullfs) {
		snprintf(path, sizeof(path), "%s/missing-%ld", r->race->dir, r->count % 16);
		if (mkdir(path, 0755) == 0)
			return wrong(r, "mkdir(%s) succeeded on rnullfs", path);
		if (errno != ENOENT)
			return syscall_failed(r, "mkdir (ENOENT expected)");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/dir-%d", r->race->dir, r->index);
	if (mkdir(path, 0755))
		return syscall_failed(r, "mkdir");
	if (rmdir(path))
		return syscall_failed(r, "rmdir");
	return 0;
}

/* Lengths that vary from step to step, 1 to 4096 bytes. */
static size_t step_length(const struct racer *r)
{
	return 1 + (size_t)(r->count * 613) % 4096;
}

/* The file variant: a read on the shared fd and a pread on its own give 0 bytes. */
static int step_file_read(struct racer *r)
{
	char buf[4096];
	size_t len = step_length(r);
	ssize_t n = read(r->race->fd, buf, len);

	if (n != 0)
		return n < 0 ? syscall_failed(r, "read") : wrong(r, "read gave %zd bytes, 0 expected", n);
	n = pread(r->fd, buf, len, (off_t)(r->count % 256) * 4096);
	if (n != 0)
		return n < 0 ? syscall_failed(r, "pread") : wrong(r, "pread gave %zd bytes, 0 expected", n);
	return 0;
}

/* The file variant: a write on the shared fd and a pwrite on its own take every byte. */
static int step_file_write(struct racer *r)
{
	static const char payload[4096];
	size_t len = step_length(r);
	ssize_t n = write(r->race->fd, payload, len);

	if (n != (ssize_t)len)
		return n < 0 ? syscall_failed(r, "write") : wrong(r, "write took %zd of %zu bytes", n, len);
	n = pwrite(r->fd, payload, len, (off_t)(r->count % 256) * 4096);
	if (n != (ssize_t)len)
		return n < 0 ? syscall_failed(r, "pwrite") : wrong(r, "pwrite took %zd of %zu bytes", n, len);
	return 0;
}

/*
 * Remount read-only, which both take, then read-write: rnullfs refuses it
 * with EROFS (an empty directory is read-only for good), tmpfs takes it.
 */
static int step_remount(struct racer *r)
{
	const char *dir = r->race->dir;

	if (mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL))
		return syscall_failed(r, "mount(MS_REMOUNT | MS_RDONLY)");
	if (!r->race->rnullfs) {
		if (mount(NULL, dir, NULL, MS_REMOUNT, NULL))
			return syscall_failed(r, "mount(MS_REMOUNT)");
		return 0;
	}
	if (mount(NULL, dir, NULL, MS_REMOUNT, NULL) == 0)
		return wrong(r, "remount,rw succeeded on rnullfs");
	if (errno != EROFS)
		return syscall_failed(r, "mount(MS_REMOUNT) (EROFS expected)");
	return 0;
}

/*
 * What a remount must never disturb: the root is there and a directory,
 * its statfs is the filesystem's (rnullfs: read-only throughout), a
 * missing name is missing.
 */
static int step_lookups_under_remount(struct racer *r)
{
	struct statfs sfs;
	struct stat st;

	if (stat(r->race->dir, &st))
		return syscall_failed(r, "stat of the root");
	if (!S_ISDIR(st.st_mode))
		return wrong(r, "the root's mode is %#o", st.st_mode);
	if (statfs(r->race->dir, &sfs))
		return syscall_failed(r, "statfs");
	if ((unsigned long)sfs.f_type != r->race->magic)
		return wrong(r, "statfs f_type %#lx, %#lx expected", (unsigned long)sfs.f_type, r->race->magic);
	if (r->race->rnullfs && !(sfs.f_flags & ST_RDONLY))
		return wrong(r, "statfs of rnullfs without ST_RDONLY (flags %#lx)", (unsigned long)sfs.f_flags);
	return step_lookup_missing(r);
}

/* delete_module("rnullfs", O_NONBLOCK) while a mount holds it: refused, every time. */
static int step_rmmod_refused(struct racer *r)
{
	if (unload_module() == 0)
		return wrong(r, "delete_module(\"rnullfs\", O_NONBLOCK) succeeded while rnullfs was mounted");
	if (errno != EWOULDBLOCK && errno != EBUSY)
		return syscall_failed(r, "delete_module(\"rnullfs\", O_NONBLOCK) (EWOULDBLOCK expected)");
	return 0;
}

/* Lookups and a whole listing on a mount that stays: the root racers of the user-namespace race. */
static int step_lookup_and_list(struct racer *r)
{
	if (step_lookup_missing(r))
		return -1;
	return list_exactly_dots(r, r->fd);
}

/* As root of a user namespace: mount(2) and fsmount in turn. */
static int step_userns_mounts(struct racer *r)
{
	return r->count % 2 ? step_fsmount(r) : step_mount_own_dir(r);
}

/* ---- the races ---- */

/*
 * A race of one role that needs nothing set up before it: every racer does
 * it, and afterwards each racer is checked, and that nothing is left.
 */
static void race_one_role(struct __test_metadata *_metadata, FIXTURE_DATA(smp) *self,
			  const FIXTURE_VARIANT(smp) *variant, const struct role *role)
{
	struct racer racers[RACE_MAX_RACERS];
	struct race race;
	int n = deal(self, variant, &race, racers, racers_for(self, 1), role, 1);

	run_race(_metadata, &race, racers, n);
	check_racers(_metadata, &race, racers, n);
	check_nothing_left(_metadata, self, variant);
}

TEST_F_TIMEOUT(smp, fsmount_on_every_cpu_at_once, RACE_TIMEOUT(3))
{
	static const struct role fsmount = { "fsopen+fsconfig(CMD_CREATE)+fsmount+close", step_fsmount };

	race_one_role(_metadata, self, variant, &fsmount);
}

/* Each racer unmounts once per mount of its own: nothing may be left. */
TEST_F_TIMEOUT(smp, mount_and_detach_one_directory_on_every_cpu, RACE_TIMEOUT(3))
{
	static const struct role mount_detach = {
		"mount+umount2(MNT_DETACH), all on one directory", step_mount_shared_dir
	};

	race_one_role(_metadata, self, variant, &mount_detach);
}

TEST_F_TIMEOUT(smp, getdents_and_lseek_on_one_shared_fd, RACE_TIMEOUT(3))
{
	static const struct role roles[] = {
		{ "lseek+getdents64 on the shared fd, and a listing on its own", step_getdents_shared },
	};
	struct racer racers[RACE_MAX_RACERS];
	struct race race;
	int n = deal(self, variant, &race, racers, racers_for(self, 1), roles, 1);

	ASSERT_EQ(0, mount("none", self->dir, variant->fstype, 0, NULL)) TH_LOG("mount: %m");
	race.fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, race.fd);
	for (int i = 0; i < n; i++) {
		racers[i].fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ASSERT_LE(0, racers[i].fd);
	}
	run_race(_metadata, &race, racers, n);
	check_racers(_metadata, &race, racers, n);
	for (int i = 0; i < n; i++)
		close(racers[i].fd);
	close(race.fd);
	EXPECT_EQ(0, umount(self->dir)) TH_LOG("umount: %m");
	check_nothing_left(_metadata, self, variant);
}

TEST_F_TIMEOUT(smp, missing_lookups_and_refused_mkdirs, RACE_TIMEOUT(3))
{
	const struct role roles[] = {
		{ "stat of a missing name (ENOENT)", step_lookup_missing },
		{ is_rnullfs(variant) ? "mkdir of a missing name (ENOENT)" : "mkdir+rmdir", step_mkdir },
	};
	struct racer racers[RACE_MAX_RACERS];
	struct race race;
	int n = deal(self, variant, &race, racers, racers_for(self, 2), roles, 2);
	struct racer lister = { .race = &race };
	int fd;

	ASSERT_EQ(0, mount("none", self->dir, variant->fstype, 0, NULL)) TH_LOG("mount: %m");
	run_race(_metadata, &race, racers, n);
	check_racers(_metadata, &race, racers, n);
	/* And nothing appeared. */
	fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, list_exactly_dots(&lister, fd)) TH_LOG("%s", lister.bad);
	close(fd);
	EXPECT_EQ(0, umount(self->dir)) TH_LOG("umount: %m");
	check_nothing_left(_metadata, self, variant);
}

TEST_F_TIMEOUT(smp, file_variant_reads_and_writes, RACE_TIMEOUT(3))
{
	static const struct role roles[] = {
		{ "read (0 bytes) on the shared fd, pread on its own", step_file_read },
		{ "write (every byte) on the shared fd, pwrite on its own", step_file_write },
	};
	struct racer racers[RACE_MAX_RACERS];
	struct race race;
	char buf[64];
	struct stat st;
	int n, fd;

	if (!is_rnullfs(variant))
		SKIP(return, "tmpfs has no file variant: -o file is rnullfs's own");
	n = deal(self, variant, &race, racers, racers_for(self, 2), roles, 2);
	/* The masked file has data of its own, which no write may reach. */
	fd = open(self->file, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(6, write(fd, "secret", 6));
	close(fd);
	ASSERT_EQ(0, mount("none", self->file, "rnullfs", 0, "file")) TH_LOG("mount -o file: %m");
	race.fd = open(self->file, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, race.fd);
	for (int i = 0; i < n; i++) {
		racers[i].fd = open(self->file, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, racers[i].fd);
	}
	run_race(_metadata, &race, racers, n);
	check_racers(_metadata, &race, racers, n);
	/* Everything written vanished. */
	ASSERT_EQ(0, fstat(race.fd, &st));
	EXPECT_EQ(0, st.st_size);
	EXPECT_EQ(0, pread(race.fd, buf, sizeof(buf), 0));
	for (int i = 0; i < n; i++)
		close(racers[i].fd);
	close(race.fd);
	EXPECT_EQ(0, umount(self->file)) TH_LOG("umount: %m");
	/* Unmasked, the file is as it was. */
	fd = open(self->file, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(6, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "secret", 6));
	close(fd);
	check_nothing_left(_metadata, self, variant);
}

TEST_F_TIMEOUT(smp, remounts_race_lookups, RACE_TIMEOUT(3))
{
	const struct role roles[] = {
		{ is_rnullfs(variant) ? "remount,ro (ok) then remount,rw (EROFS)" : "remount,ro then remount,rw",
		  step_remount },
		{ "stat+statfs of the root, stat of a missing name", step_lookups_under_remount },
	};
	struct racer racers[RACE_MAX_RACERS];
	struct race race;
	int n = deal(self, variant, &race, racers, racers_for(self, 2), roles, 2);

	ASSERT_EQ(0, mount("none", self->dir, variant->fstype, 0, NULL)) TH_LOG("mount: %m");
	run_race(_metadata, &race, racers, n);
	check_racers(_metadata, &race, racers, n);
	EXPECT_EQ(0, umount(self->dir)) TH_LOG("umount: %m");
	check_nothing_left(_metadata, self, variant);
}

/*
 * delete_module on one CPU (one in three, where there are more) while the
 * others mount and unmount, and a mount that stays holds the module
 * throughout: every delete_module is refused. Once all is unmounted the
 * module unloads, loads again, and mounts.
 */
TEST_F_TIMEOUT(smp, rmmod_fails_while_other_cpus_mount, RACE_TIMEOUT(4))
{
	static const struct role roles[] = {
		{ "delete_module(\"rnullfs\", O_NONBLOCK) (EWOULDBLOCK)", step_rmmod_refused },
		{ "mount+umount2(MNT_DETACH) on a directory of its own", step_mount_own_dir },
		{ "fsopen+fsconfig(CMD_CREATE)+fsmount+close", step_fsmount },
	};
	struct racer racers[RACE_MAX_RACERS];
	struct race race;
	int n;

	if (!is_rnullfs(variant))
		SKIP(return, "delete_module(\"rnullfs\") races rnullfs's own mounts: tmpfs is built in");
	n = deal(self, variant, &race, racers, racers_for(self, 3), roles, 3);
	ASSERT_EQ(0, make_own_dirs(racers, n));
	ASSERT_EQ(0, mount("none", self->dir, "rnullfs", 0, NULL)) TH_LOG("mount: %m");
	run_race(_metadata, &race, racers, n);
	check_racers(_metadata, &race, racers, n);
	EXPECT_EQ(0, umount(self->dir)) TH_LOG("umount: %m");
	check_nothing_left(_metadata, self, variant);
	/* Nothing holds it now: it unloads, loads again, and works. */
	EXPECT_EQ(0, unload_when_idle()) TH_LOG("rnullfs still busy %.0f s after the race", UNLOAD_WAIT_SECONDS);
	EXPECT_EQ(0, fs_registered());
	ASSERT_EQ(0, load_module_with(baseline_params())) TH_LOG("finit_module %s: %m", module_path());
	EXPECT_EQ(1, fs_registered());
	EXPECT_EQ(0, mount("none", self->dir, "rnullfs", 0, NULL)) TH_LOG("mount after the reload: %m");
	EXPECT_EQ(0, umount(self->dir));
}

/* What the user-namespace racer reports before the race: 0, or the errno that stopped it. */
struct userns_ready {
	int err;
};

/*
 * A user-namespace mount racing the others: a process that is uid 1000,
 * root of a user namespace of its own (rnullfs: loaded with
 * userns_mount=1), mounts and unmounts, and fsmounts, on one CPU, while
 * root mounts and unmounts, looks up and lists on the others, and
 * (rnullfs) tries to unload the module. At the end that namespace is gone,
 * and nothing of either is left.
 */
TEST_F_TIMEOUT(smp, userns_mount_races_root_mounts_and_lookups, RACE_TIMEOUT(4))
{
	static const struct role roles[] = {
		{ "as uid 1000, root of a user namespace: mount+umount2(MNT_DETACH), fsmount", step_userns_mounts },
		{ "as root: mount+umount2(MNT_DETACH) on a directory of its own", step_mount_own_dir },
		{ "as root: stat of a missing name, a listing of the root", step_lookup_and_list },
		{ "as root: delete_module(\"rnullfs\", O_NONBLOCK) (EWOULDBLOCK)", step_rmmod_refused },
	};
	struct shared {
		struct race race;
		struct racer racers[RACE_MAX_RACERS];
	} *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	/* tmpfs has no module to unload: three racers; rnullfs four. */
	int nroles = is_rnullfs(variant) ? 4 : 3, n, pipefd[2], status;
	struct userns_ready ready = { EIO };
	pthread_t ids[RACE_MAX_RACERS];
	pid_t child;

	ASSERT_NE(MAP_FAILED, sh);
	if (is_rnullfs(variant))
		ASSERT_EQ(0, reload_module("userns_mount=1")) TH_LOG("finit_module %s userns_mount=1: %m", module_path());
	/* One racer per role: the user-namespace process is one racer, the others are threads. */
	n = deal(self, variant, &sh->race, sh->racers, nroles, roles, nroles);
	ASSERT_EQ(0, make_own_dirs(sh->racers, n));
	ASSERT_EQ(0, chown(sh->racers[0].own, 1000, 1000));
	ASSERT_EQ(0, mount("none", self->dir, variant->fstype, 0, NULL)) TH_LOG("mount: %m");
	sh->racers[2].fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, sh->racers[2].fd);
	ASSERT_EQ(0, init_start_line(&sh->race, n, 1));
	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		struct racer *r = &sh->racers[0];
		int before;

		close(pipefd[0]);
		ready.err = 0;
		if (become_userns_root(1000))
			ready.err = errno;
		before = mounts_of(variant->fstype);
		if (!ready.err && before < 0)
			ready.err = errno;
		if (write(pipefd[1], &ready, sizeof(ready)) != sizeof(ready) || ready.err)
			_exit(2);
		racer_main(r);
		/* Its namespace's mounts, before the namespace goes with this process. */
		r->left = mounts_of(variant->fstype) - before;
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &ready, sizeof(ready)) != sizeof(ready))
		ready.err = EIO;
	close(pipefd[0]);
	if (ready.err) {
		waitpid(child, &status, 0);
		umount(self->dir);
		SKIP(return, "cannot enter a user namespace as uid 1000: %s", errname(ready.err));
	}
	if (start_threads(ids, sh->racers, 1, n)) {
		/* The racers already at the barrier wait for ever: the child goes, the ASSERT ends the threads. */
		kill(child, SIGKILL);
		ASSERT_TRUE(0) TH_LOG("pthread_create: %m");
	}
	join_threads(ids, 1, n);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	pthread_barrier_destroy(&sh->race.start_line);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the user-namespace racer ended with status %#x", status);
	check_racers(_metadata, &sh->race, sh->racers, n);
	EXPECT_EQ(0, sh->racers[0].left) TH_LOG("mounts left in the user namespace");
	close(sh->racers[2].fd);
	EXPECT_EQ(0, umount(self->dir)) TH_LOG("umount: %m");
	check_nothing_left(_metadata, self, variant);
	munmap(sh, sizeof(*sh));
}

TEST_HARNESS_MAIN
