// SPDX-License-Identifier: GPL-2.0
/*
 * nullfs-compare: rnullfs side by side with the in-tree C nullfs, in one boot.
 *
 * Semantics: the nullfs probe (include/probe.h) on the "/" of a child that
 * called unshare(UNSHARE_EMPTY_MNTNS) (the C nullfs) and on a fresh rnullfs
 * mount, as a table with a third column that marks each difference and gives
 * the reason of a deliberate one (from deliberate-differences.txt).
 *
 * Speed: hot operations timed on both, interleaved (C, Rust, C, Rust...) over
 * several rounds; ns per call of each and the Rust/C ratio. The estimate is
 * the median round, except under --clock icount, where guest time counts
 * executed instructions and whatever else runs in a round (a timer tick,
 * deferred work) can only add to it: there it is the fastest round.
 *
 * Mount cost: whole mount cycles of rnullfs, of the C nullfs's mountable
 * twin (nullfs_twin.ko, built by compare/build-twin from the booted tree's
 * fs/nullfs.c; skipped if it is not loaded) and of a read-only tmpfs.
 *
 * Memory (--memory): kernel memory per mount, rnullfs vs the twin and a
 * read-only tmpfs, and the dentries left by a million failed lookups.
 *
 * The kernel's own nullfs alone (--kernel-nullfs, for make compare
 * KERNEL=intree, which boots the C kernel and the in-tree one in turn): the
 * guest's TSC when the program starts (under -icount, the instructions
 * executed since power-on), then the same hot operations on the "/" of an
 * empty mount namespace, and fork + unshare(UNSHARE_EMPTY_MNTNS) (with
 * fork + exit alone as its floor), each as
 * one side's "@kernel" records; compare/intree pairs the two boots.
 * --boot-only prints the TSC record alone.
 *
 * Lines that start with "@" are tab-separated records for compare/report.
 *
 * Usage: nullfs-compare [--differences FILE] [--rounds N] [--iterations N]
 *                       [--no-semantics] [--no-speed] [--memory] [--clock NAME]
 *        nullfs-compare --kernel-nullfs [--boot-only] [--rounds N] [--iterations N] [--clock NAME]
 * Run as root with rnullfs.ko loaded (not needed for --kernel-nullfs).
 * Exits 1 on an undocumented difference.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <linux/mount.h>

#include "probe.h"
#include "module.h"
#include "null_roots.h"

static const char *differences_file = "deliberate-differences.txt";

/* The reason listed for probe `line`'s name, or NULL. */
static const char *deliberate_reason(const char *line)
{
	static char reason[512];

	return probe_deliberate_reason(differences_file, line, reason, sizeof(reason)) == 1 ? reason : NULL;
}

/* Runs `fn` in a child; exits the program if the child fails. */
static void in_child(void (*fn)(void *shared), void *shared)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		fn(shared);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "nullfs-compare: a child failed\n");
		exit(2);
	}
}

struct in_root_call {
	const char *chroot_dir;
	void (*fn)(void *shared);
	void *shared;
};

static void enter_root_and_call(void *arg)
{
	const struct in_root_call *call = arg;

	if (!call->chroot_dir && unshare(UNSHARE_EMPTY_MNTNS)) {
		perror("unshare(UNSHARE_EMPTY_MNTNS)");
		_exit(1);
	}
	if (call->chroot_dir && (chroot(call->chroot_dir) || chdir("/"))) {
		perror("chroot");
		_exit(1);
	}
	call->fn(call->shared);
}

/*
 * Runs `fn` in a child whose "/" is the filesystem under test: the C nullfs
 * after unshare(UNSHARE_EMPTY_MNTNS) when `chroot_dir` is NULL, else the
 * mount at `chroot_dir` (rnullfs, or tmpfs) after chroot(). Both sides then
 * reach their root by the same path walk, "/", so a timing compares the
 * filesystems, not paths.
 */
static void in_root(const char *chroot_dir, void (*fn)(void *shared), void *shared)
{
	struct in_root_call call = { chroot_dir, fn, shared };

	in_child(enter_root_and_call, &call);
}

static void *shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

static int compare_semantics(const char *mnt)
{
	struct probe_result *c = shared_alloc(sizeof(*c)), rust;
	int equal = 0, deliberate = 0, undocumented = 0;

	if (probe_empty_mntns_root(c)) {
		fprintf(stderr, "nullfs-compare: the probe of the C nullfs failed (unshare(UNSHARE_EMPTY_MNTNS))\n");
		exit(2);
	}
	probe_run(mnt, &rust);
	printf("## Semantics: the nullfs probe, C nullfs vs rnullfs\n\n");
	printf("%-66s | %-66s | %s\n", "C nullfs (unshare(UNSHARE_EMPTY_MNTNS) /)", "rnullfs (mount -t rnullfs)", "difference");
	for (int i = 0; i < c->count && i < rust.count; i++) {
		const char *mark = "";

		if (strcmp(c->line[i], rust.line[i]) == 0) {
			equal++;
		} else if ((mark = deliberate_reason(c->line[i]))) {
			deliberate++;
		} else {
			mark = "UNDOCUMENTED";
			undocumented++;
		}
		printf("%-66s | %-66s | %s\n", c->line[i], rust.line[i], mark);
		printf("@probe\t%s\t%s\t%s\t%s\n", c->line[i], rust.line[i],
		       !*mark ? "equal" : strcmp(mark, "UNDOCUMENTED") ? "deliberate" : "undocumented", mark);
	}
	printf("\n%d probes: %d equal, %d deliberate differences, %d undocumented\n\n",
	       c->count, equal, deliberate, undocumented);
	return undocumented || c->count != rust.count;
}

/* ---- speed ---- */

static int rounds = 7;
/* Which clock the timings are in, for the records ("tcg", "icount", "kvm"). */
static const char *clock_label = "tcg";
static long iterations = 20000;

struct op {
	const char *name;
	void (*run)(const char *dir, long n);
};

static void op_stat(const char *dir, long n)
{
	struct stat st;

	for (long i = 0; i < n; i++)
		stat(dir, &st);
}

static void op_statfs(const char *dir, long n)
{
	struct statfs sfs;

	for (long i = 0; i < n; i++)
		statfs(dir, &sfs);
}

static void op_open_close(const char *dir, long n)
{
	for (long i = 0; i < n; i++)
		close(open(dir, O_RDONLY | O_DIRECTORY));
}

static void op_getdents(const char *dir, long n)
{
	char buf[1024];
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	for (long i = 0; i < n; i++) {
		lseek(fd, 0, SEEK_SET);
		while (syscall(SYS_getdents64, fd, buf, sizeof(buf)) > 0)
			;
	}
	close(fd);
}

/* The two halves of a rewind-and-read: the directory's llseek... */
static void op_lseek(const char *dir, long n)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	for (long i = 0; i < n; i++)
		lseek(fd, 0, SEEK_SET);
	close(fd);
}

/* ...and an iterate that has nothing left to emit. */
static void op_getdents_at_end(const char *dir, long n)
{
	char buf[1024];
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	lseek(fd, 0, SEEK_END);
	for (long i = 0; i < n; i++)
		syscall(SYS_getdents64, fd, buf, sizeof(buf));
	close(fd);
}

static void op_lookup_missing(const char *dir, long n)
{
	char path[256];
	struct stat st;

	probe_path(path, sizeof(path), dir, "missing");
	for (long i = 0; i < n; i++)
		stat(path, &st);
}

static void op_mkdir_refused(const char *dir, long n)
{
	char path[256];

	probe_path(path, sizeof(path), dir, "new");
	for (long i = 0; i < n; i++)
		mkdir(path, 0755);
}

static void op_flock_refused(const char *dir, long n)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	for (long i = 0; i < n; i++)
		flock(fd, LOCK_SH | LOCK_NB);
	close(fd);
}

static void op_getppid(const char *dir, long n)
{
	(void)dir;
	for (long i = 0; i < n; i++)
		getppid();
}

static const struct op ops[] = {
	{ "getppid (floor)", op_getppid },
	{ "stat", op_stat },
	{ "statfs", op_statfs },
	{ "open+close", op_open_close },
	{ "getdents64 to end", op_getdents },
	{ "lseek SEEK_SET", op_lseek },
	{ "getdents64 at end", op_getdents_at_end },
	{ "lookup missing", op_lookup_missing },
	{ "mkdir refused", op_mkdir_refused },
	{ "flock refused", op_flock_refused },
};
#define NR_OPS (sizeof(ops) / sizeof(ops[0]))
#define MAX_ROUNDS 64

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double time_op(const struct op *op, const char *dir)
{
	double start = now_ns();

	op->run(dir, iterations);
	return (now_ns() - start) / iterations;
}

/* One round of every op, in a child whose "/" is the filesystem under test. */
struct round {
	double ns[NR_OPS];
};

static void run_round(void *shared)
{
	struct round *r = shared;

	for (size_t i = 0; i < NR_OPS; i++)
		r->ns[i] = time_op(&ops[i], "/");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Whether the clock counts instructions (QEMU -icount): noise only adds. */
static int counting_instructions(void)
{
	return !strcmp(clock_label, "icount");
}

/* The estimate of rounds already sorted: see the top of the file. */
static double estimate(const double *sorted)
{
	return counting_instructions() ? sorted[0] : sorted[rounds / 2];
}

static const char *estimate_name(void)
{
	return counting_instructions() ? "fastest" : "median";
}

/*
 * The guest's early clocksource (tsc-early) hands over to the calibrated TSC
 * about 1.5 s after boot; timings taken before that came out in 4 ms steps
 * here. Wait for the hand-over (at most 5 s) and say which clock was used.
 */
static void settle_clocksource(char *name, size_t size)
{
	const char *path = "/sys/devices/system/clocksource/clocksource0/current_clocksource";

	for (int tries = 0; tries < 50; tries++) {
		FILE *f = fopen(path, "r");

		snprintf(name, size, "unknown");
		if (f) {
			if (fgets(name, size, f))
				name[strcspn(name, "\n")] = 0;
			fclose(f);
		}
		if (strcmp(name, "tsc-early") && !strstr(name, "jiffies"))
			return;
		usleep(100000);
	}
}

/* One round of every op in `root` (as in_root()), into column `round` of `ns`. */
static void time_round_in(const char *root, struct round *shared, double ns[NR_OPS][MAX_ROUNDS], int round)
{
	in_root(root, run_round, shared);
	for (size_t i = 0; i < NR_OPS; i++)
		ns[i][round] = shared->ns[i];
}

static void compare_speed(const char *mnt)
{
	char clocksource[64];
	static double c_ns[NR_OPS][MAX_ROUNDS], rust_ns[NR_OPS][MAX_ROUNDS];
	struct round *shared = shared_alloc(sizeof(*shared));

	settle_clocksource(clocksource, sizeof(clocksource));

	/* Interleaved: C, Rust, C, Rust... so drift hits both alike. */
	for (int round = 0; round < rounds; round++) {
		time_round_in(NULL, shared, c_ns, round);
		time_round_in(mnt, shared, rust_ns, round);
	}
	printf("## Speed: ns per call, %s of %d interleaved rounds of %ld calls (guest clocksource %s)\n\n",
	       estimate_name(), rounds, iterations, clocksource);
	printf("%-20s %10s %10s %10s %10s %8s\n", "op", "C", "C spread", "Rust",
	       "Rust spread", "Rust/C");
	for (size_t i = 0; i < NR_OPS; i++) {
		double c_med, r_med;

		qsort(c_ns[i], rounds, sizeof(double), cmp_double);
		qsort(rust_ns[i], rounds, sizeof(double), cmp_double);
		c_med = estimate(c_ns[i]);
		r_med = estimate(rust_ns[i]);
		printf("%-20s %10.0f %9.1f%% %11.0f %10.1f%% %8.3f\n", ops[i].name, c_med,
		       100 * (c_ns[i][rounds - 1] - c_ns[i][0]) / c_med, r_med,
		       100 * (rust_ns[i][rounds - 1] - rust_ns[i][0]) / r_med, r_med / c_med);
		printf("@speed\t%s\t%s\t%.1f\t%.2f\t%.1f\t%.2f\n", clock_label, ops[i].name, c_med,
		       100 * (c_ns[i][rounds - 1] - c_ns[i][0]) / c_med, r_med,
		       100 * (rust_ns[i][rounds - 1] - rust_ns[i][0]) / r_med);
	}
	printf("\nRust/C < 1 means rnullfs is faster. Spread = (max - min) / estimate.\n");
}

/* ---- mount cost ---- */

/* A cycle that fails would time nothing: stop with the reason. */
static void must(long ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "nullfs-compare: %s: %s\n", what, strerror(errno));
		exit(2);
	}
}

static char mount_dir[] = "/tmp/rnullfs-mountcost.XXXXXX";

/* fsopen + fsconfig(CREATE) + fsmount: a detached mount of `fstype` (tmpfs: ro, size=0), its fd. */
static int detached_mount(const char *fstype, int tmpfs)
{
	int fs = syscall(SYS_fsopen, fstype, FSOPEN_CLOEXEC), mnt;

	must(fs, "fsopen");
	if (tmpfs) {
		must(syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "0", 0), "fsconfig size");
		must(syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, "ro", NULL, 0), "fsconfig ro");
	}
	must(syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0), "fsconfig create");
	mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	must(mnt, "fsmount");
	close(fs);
	return mnt;
}

/* A detached mount, made and dropped. */
static void fsmount_cycle(const char *fstype, int tmpfs, long n)
{
	for (long i = 0; i < n; i++)
		close(detached_mount(fstype, tmpfs));
}

/* The C nullfs's mountable twin (compare/twin/). */
#define TWIN "nullfs_twin"

static void op_fsmount_rnullfs(const char *dir, long n) { (void)dir; fsmount_cycle("rnullfs", 0, n); }
static void op_fsmount_twin(const char *dir, long n) { (void)dir; fsmount_cycle(TWIN, 0, n); }
static void op_fsmount_tmpfs(const char *dir, long n) { (void)dir; fsmount_cycle("tmpfs", 1, n); }

static void mount_cycle(const char *fstype, long n)
{
	for (long i = 0; i < n; i++) {
		must(mount("none", mount_dir, fstype, 0, NULL), "mount");
		must(umount2(mount_dir, 0), "umount");
	}
}

static void op_mount_rnullfs(const char *dir, long n) { (void)dir; mount_cycle("rnullfs", n); }
static void op_mount_twin(const char *dir, long n) { (void)dir; mount_cycle(TWIN, n); }


static void op_mount_tmpfs(const char *dir, long n)
{
	(void)dir;
	for (long i = 0; i < n; i++) {
		must(mount("none", mount_dir, "tmpfs", MS_RDONLY, "size=0"), "mount tmpfs");
		must(umount2(mount_dir, 0), "umount tmpfs");
	}
}

static void fork_cycle(int empty_mntns, long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		int status;

		must(pid, "fork");
		if (pid == 0)
			_exit(empty_mntns && unshare(UNSHARE_EMPTY_MNTNS));
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "nullfs-compare: unshare(UNSHARE_EMPTY_MNTNS) failed\n");
			exit(2);
		}
	}
}

static void op_fork(const char *dir, long n) { (void)dir; fork_cycle(0, n); }
static void op_fork_unshare(const char *dir, long n) { (void)dir; fork_cycle(1, n); }

/* The cycles that need the twin start with "fsmount C" or "mount+umount C". */
static const struct op mount_ops[] = {
	{ "fsmount rnullfs", op_fsmount_rnullfs },
	{ "fsmount C nullfs twin", op_fsmount_twin },
	{ "fsmount tmpfs ro,size=0", op_fsmount_tmpfs },
	{ "mount+umount rnullfs", op_mount_rnullfs },
	{ "mount+umount C nullfs twin", op_mount_twin },
	{ "mount+umount tmpfs ro", op_mount_tmpfs },
	{ "fork+exit (floor)", op_fork },
	{ "fork+unshare(EMPTY_MNTNS)", op_fork_unshare },
};
#define NR_MOUNT_OPS (sizeof(mount_ops) / sizeof(mount_ops[0]))

static int needs_twin(const struct op *op)
{
	return strstr(op->name, " C nullfs twin") != NULL;
}

/* Whole-cycle cost of getting an empty filesystem, interleaved over rounds. */
static void compare_mount_cost(void)
{
	static double ns[NR_MOUNT_OPS][MAX_ROUNDS];
	int twin = (fs_type_registered(TWIN) == 1);
	long saved = iterations;

	if (!mkdtemp(mount_dir)) {
		perror("mkdtemp");
		return;
	}
	iterations = saved / 10 > 0 ? saved / 10 : 1;
	for (int round = 0; round < rounds; round++)
		for (size_t i = 0; i < NR_MOUNT_OPS; i++)
			if (twin || !needs_twin(&mount_ops[i])) {
				/*
				 * Let the previous cycles' deferred frees (RCU)
				 * finish first, so that no cycle pays for another
				 * filesystem's teardown.
				 */
				usleep(200000);
				ns[i][round] = time_op(&mount_ops[i], NULL);
			}
	printf("\n## Mount cost: ns per cycle, %s of %d interleaved rounds of %ld cycles\n\n",
	       estimate_name(), rounds, iterations);
	printf("%-28s %12s %10s\n", "cycle", "ns", "spread");
	for (size_t i = 0; i < NR_MOUNT_OPS; i++) {
		double est;

		if (!twin && needs_twin(&mount_ops[i]))
			continue;
		qsort(ns[i], rounds, sizeof(double), cmp_double);
		est = estimate(ns[i]);
		printf("%-28s %12.0f %9.1f%%\n", mount_ops[i].name, est,
		       100 * (ns[i][rounds - 1] - ns[i][0]) / est);
		printf("@mount\t%s\t%s\t%.0f\t%.2f\n", clock_label, mount_ops[i].name, est,
		       100 * (ns[i][rounds - 1] - ns[i][0]) / est);
	}
	if (twin) {
		/* rnullfs's rows are 0 and 3, the twin's 1 and 4. */
		printf("\nRust/C, against the C nullfs's twin: fsmount %.3f, mount+umount %.3f\n",
		       estimate(ns[0]) / estimate(ns[1]), estimate(ns[3]) / estimate(ns[4]));
	} else {
		printf("\nThe C nullfs's twin (nullfs_twin.ko) is not loaded: no Rust/C mount ratio.\n");
	}
	printf("The C nullfs itself is not mountable: fork+unshare(EMPTY_MNTNS) minus the fork floor is its cost in that use.\n");
	iterations = saved;
	rmdir(mount_dir);
}

/* ---- memory ---- */

static long meminfo_kb(const char *field)
{
	char line[128];
	long kb = -1;
	size_t len = strlen(field);
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':')
			kb = atol(line + len + 1);
	if (f)
		fclose(f);
	return kb;
}

#define MEMORY_MOUNTS 1000
#define MEMORY_ROUNDS 5

/* Slab and per-CPU memory: where super blocks, inodes, dentries and mounts live. */
static long kernel_objects_kb(void)
{
	return meminfo_kb("Slab") + meminfo_kb("Percpu");
}

/*
 * Waits (3 s at most) until the kernel memory figure has not moved for
 * 300 ms: the inodes and dentries of the mounts a round just closed are
 * freed after an RCU grace period, and would otherwise be freed in the
 * middle of the next round's measurement.
 */
static void settle_kernel_memory(void)
{
	long last = kernel_objects_kb();
	int still = 0;

	for (int tries = 0; tries < 30 && still < 3; tries++) {
		long now;

		usleep(100000);
		now = kernel_objects_kb();
		still = now == last ? still + 1 : 0;
		last = now;
	}
}

/* Kernel memory of MEMORY_MOUNTS detached mounts held open (fsmount fds). */
static double bytes_per_mount_once(const char *fstype, int tmpfs)
{
	static int fds[MEMORY_MOUNTS];
	long before, after;

	settle_kernel_memory();
	before = kernel_objects_kb();
	for (int i = 0; i < MEMORY_MOUNTS; i++)
		fds[i] = detached_mount(fstype, tmpfs);
	after = kernel_objects_kb();
	for (int i = 0; i < MEMORY_MOUNTS; i++)
		close(fds[i]);
	return (after - before) * 1024.0 / MEMORY_MOUNTS;
}

/* The median over MEMORY_ROUNDS rounds, rnullfs, the twin and tmpfs interleaved. */
static void bytes_per_mount(double *rnullfs, double *twin, double *tmpfs)
{
	double r[MEMORY_ROUNDS], c[MEMORY_ROUNDS], t[MEMORY_ROUNDS];
	int have_twin = (fs_type_registered(TWIN) == 1);
	struct rlimit fds = { MEMORY_MOUNTS + 64, MEMORY_MOUNTS + 64 };

	if (setrlimit(RLIMIT_NOFILE, &fds))
		perror("setrlimit(RLIMIT_NOFILE)");
	for (int i = 0; i < MEMORY_ROUNDS; i++) {
		r[i] = bytes_per_mount_once("rnullfs", 0);
		c[i] = have_twin ? bytes_per_mount_once(TWIN, 0) : -1;
		t[i] = bytes_per_mount_once("tmpfs", 1);
	}
	qsort(r, MEMORY_ROUNDS, sizeof(double), cmp_double);
	qsort(c, MEMORY_ROUNDS, sizeof(double), cmp_double);
	qsort(t, MEMORY_ROUNDS, sizeof(double), cmp_double);
	*rnullfs = r[MEMORY_ROUNDS / 2];
	*twin = c[MEMORY_ROUNDS / 2];
	*tmpfs = t[MEMORY_ROUNDS / 2];
}

#define FAILED_LOOKUPS 1000000L

static void lookup_missing_names(void *shared)
{
	char path[64];
	struct stat st;

	(void)shared;
	for (long i = 0; i < FAILED_LOOKUPS; i++) {
		snprintf(path, sizeof(path), "/missing-%ld", i);
		stat(path, &st);
	}
}

/* Dentries left behind by FAILED_LOOKUPS lookups of distinct missing names under "/". */
static long dentry_growth(const char *root)
{
	long before = nr_dentry();

	if (root && !strcmp(root, "tmpfs")) {
		char dir[] = "/tmp/rnullfs-tmpfs.XXXXXX";

		if (!mkdtemp(dir) || mount("none", dir, "tmpfs", MS_RDONLY, "size=0")) {
			perror("tmpfs for the dentry count");
			return -1;
		}
		in_root(dir, lookup_missing_names, NULL);
		umount2(dir, MNT_DETACH);
		rmdir(dir);
	} else {
		in_root(root, lookup_missing_names, NULL);
	}
	return nr_dentry() - before;
}

static void compare_memory(const char *mnt)
{
	double rnullfs_bytes, twin_bytes, tmpfs_bytes;
	long c_growth = dentry_growth(NULL);
	long rust_growth = dentry_growth(mnt);
	long tmpfs_growth = dentry_growth("tmpfs");

	bytes_per_mount(&rnullfs_bytes, &twin_bytes, &tmpfs_bytes);
	printf("\n## Memory\n\n");
	printf("kernel memory per mount (Slab + Percpu delta over %d held fsmount fds, median of %d):\n",
	       MEMORY_MOUNTS, MEMORY_ROUNDS);
	printf("  rnullfs             %8.0f bytes\n", rnullfs_bytes);
	if (twin_bytes >= 0)
		printf("  C nullfs twin       %8.0f bytes\n", twin_bytes);
	printf("  tmpfs ro,size=0     %8.0f bytes\n", tmpfs_bytes);
	printf("dentries left after %ld failed lookups of distinct names:\n", FAILED_LOOKUPS);
	printf("  C nullfs %ld, rnullfs %ld, tmpfs ro %ld\n", c_growth, rust_growth, tmpfs_growth);
	printf("@memory\tbytes per mount\trnullfs\t%.0f\n", rnullfs_bytes);
	if (twin_bytes >= 0)
		printf("@memory\tbytes per mount\tC nullfs twin\t%.0f\n", twin_bytes);
	printf("@memory\tbytes per mount\ttmpfs ro,size=0\t%.0f\n", tmpfs_bytes);
	printf("@memory\tdentries after 1M failed lookups\tC nullfs\t%ld\n", c_growth);
	printf("@memory\tdentries after 1M failed lookups\trnullfs\t%ld\n", rust_growth);
	printf("@memory\tdentries after 1M failed lookups\ttmpfs ro\t%ld\n", tmpfs_growth);
}

/* ---- the kernel's own nullfs alone (--kernel-nullfs) ---- */

/*
 * fork + exit + wait, with unshare(UNSHARE_EMPTY_MNTNS) in the child
 * (an empty namespace made and dropped) or without (the floor: what the
 * same cycle costs without the nullfs).
 */
static double time_forks(long n, int empty_mntns)
{
	double start = now_ns();

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(empty_mntns && unshare(UNSHARE_EMPTY_MNTNS) ? 1 : 0);
		must(pid, "fork");
		must(waitpid(pid, NULL, 0), "waitpid");
	}
	return (now_ns() - start) / n;
}

/* "@kernel CLOCK OP ESTIMATE SPREAD" of rounds `ns`, sorted here. */
static void kernel_record(const char *op, double *ns)
{
	double est;

	qsort(ns, rounds, sizeof(double), cmp_double);
	est = estimate(ns);
	printf("%-34s %10.0f %9.1f%%\n", op, est, 100 * (ns[rounds - 1] - ns[0]) / est);
	printf("@kernel\t%s\t%s\t%.1f\t%.2f\n", clock_label, op, est, 100 * (ns[rounds - 1] - ns[0]) / est);
}

/*
 * failfs, the kernel's other null root (Linux 7.3): the sentinel
 * FD_FAILFS_ROOT names its root, which fchdir() and, for a process with
 * no_new_privs, fchroot(2) take. The ops run in a child whose cwd is there;
 * fchroot is last, since it leaves the child's root there too.
 */

static void failfs_fchdir(long n)
{
	for (long i = 0; i < n; i++)
		fchdir(FD_FAILFS_ROOT);
}

/* A walk from the cwd, refused by the root's ->permission. */
static void failfs_lookup_refused(long n)
{
	struct stat st;

	for (long i = 0; i < n; i++)
		fstatat(AT_FDCWD, "missing", &st, 0);
}

/* A stat of the cwd itself, no walk: refused by the root's ->getattr. */
static void failfs_stat_refused(long n)
{
	struct stat st;

	for (long i = 0; i < n; i++)
		fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH);
}

static void failfs_fchroot(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_fchroot, FD_FAILFS_ROOT, 0);
}

static const struct failfs_op {
	const char *name;
	void (*run)(long n);
} failfs_ops[] = {
	{ "failfs: fchdir(FD_FAILFS_ROOT)", failfs_fchdir },
	{ "failfs: lookup refused", failfs_lookup_refused },
	{ "failfs: stat refused", failfs_stat_refused },
	{ "failfs: fchroot(FD_FAILFS_ROOT)", failfs_fchroot },
};
#define NR_FAILFS_OPS (sizeof(failfs_ops) / sizeof(failfs_ops[0]))

/* Exits the child unless `ret` is -1 with errno `want` (0: `ret` is 0). */
static void failfs_expect(long ret, int want, const char *what)
{
	if (want ? ret == -1 && errno == want : ret == 0)
		return;
	fprintf(stderr, "nullfs-compare: failfs: %s gave %ld (%s), not %s\n", what, ret,
		ret ? strerror(errno) : "no error", want ? strerror(want) : "0");
	_exit(1);
}

/* One round of the failfs ops, timed in the child; checked first. */
static void failfs_round(void *shared)
{
	double *ns = shared;
	struct stat st;

	failfs_expect(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0, "prctl(PR_SET_NO_NEW_PRIVS)");
	failfs_expect(fchdir(FD_FAILFS_ROOT), 0, "fchdir(FD_FAILFS_ROOT)");
	failfs_expect(fstatat(AT_FDCWD, "missing", &st, 0), EOPNOTSUPP, "stat(\"missing\")");
	failfs_expect(fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH), EOPNOTSUPP, "fstatat(AT_EMPTY_PATH)");
	for (size_t i = 0; i < NR_FAILFS_OPS; i++) {
		double start = now_ns();

		failfs_ops[i].run(iterations);
		ns[i] = (now_ns() - start) / iterations;
	}
	failfs_expect(syscall(SYS_fchroot, FD_FAILFS_ROOT, 0), 0, "fchroot(FD_FAILFS_ROOT)");
}

static void kernel_nullfs(unsigned long long tsc_at_start, int boot_only)
{
	static double ns[NR_OPS][MAX_ROUNDS], fork_ns[MAX_ROUNDS], mntns_ns[MAX_ROUNDS];
	static double failfs_ns[NR_FAILFS_OPS][MAX_ROUNDS];
	struct round *shared = shared_alloc(sizeof(*shared));
	double *failfs_shared = shared_alloc(sizeof(double) * NR_FAILFS_OPS);
	/* A fork is some hundred times a syscall: fewer of them. */
	long forks = iterations / 100 > 0 ? iterations / 100 : 1;
	char clocksource[64];

	printf("guest TSC at the first command: %llu\n", tsc_at_start);
	printf("@boot\t%s\t%llu\n", clock_label, tsc_at_start);
	if (boot_only)
		return;
	settle_clocksource(clocksource, sizeof(clocksource));
	for (int round = 0; round < rounds; round++) {
		time_round_in(NULL, shared, ns, round);
		fork_ns[round] = time_forks(forks, 0);
		mntns_ns[round] = time_forks(forks, 1);
		in_child(failfs_round, failfs_shared);
		for (size_t i = 0; i < NR_FAILFS_OPS; i++)
			failfs_ns[i][round] = failfs_shared[i];
	}
	printf("## The kernel's nullfs: ns per call, %s of %d rounds of %ld calls (guest clocksource %s)\n\n",
	       estimate_name(), rounds, iterations, clocksource);
	printf("%-34s %10s %10s\n", "op", "ns", "spread");
	for (size_t i = 0; i < NR_OPS; i++)
		kernel_record(ops[i].name, ns[i]);
	kernel_record("fork+exit (floor)", fork_ns);
	kernel_record("fork+unshare(EMPTY_MNTNS)", mntns_ns);
	for (size_t i = 0; i < NR_FAILFS_OPS; i++)
		kernel_record(failfs_ops[i].name, failfs_ns[i]);
}

int main(int argc, char **argv)
{
	/* First, before anything else runs: see kernel_nullfs(). */
	unsigned long long tsc_at_start = __builtin_ia32_rdtsc();
	char mnt[] = "/tmp/rnullfs-compare.XXXXXX";
	int semantics = 1, speed = 1, memory = 0, status = 0, own = 0, boot_only = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--differences") && i + 1 < argc)
			differences_file = argv[++i];
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
			iterations = atol(argv[++i]);
		else if (!strcmp(argv[i], "--no-speed"))
			speed = 0;
		else if (!strcmp(argv[i], "--no-semantics"))
			semantics = 0;
		else if (!strcmp(argv[i], "--memory"))
			memory = 1;
		else if (!strcmp(argv[i], "--clock") && i + 1 < argc)
			clock_label = argv[++i];
		else if (!strcmp(argv[i], "--kernel-nullfs"))
			own = 1;
		else if (!strcmp(argv[i], "--boot-only"))
			boot_only = 1;
		else {
			fprintf(stderr, "usage: %s [--differences FILE] [--rounds N] [--iterations N] [--no-semantics] [--no-speed] [--memory] [--clock NAME]\n"
				"       %s --kernel-nullfs [--boot-only] [--rounds N] [--iterations N] [--clock NAME]\n", argv[0], argv[0]);
			return 2;
		}
	}
	if (rounds < 1 || rounds > MAX_ROUNDS || iterations < 1) {
		fprintf(stderr, "nullfs-compare: --rounds must be 1..%d, --iterations >= 1\n", MAX_ROUNDS);
		return 2;
	}
	if (own) {
		kernel_nullfs(tsc_at_start, boot_only);
		return 0;
	}
	if (!mkdtemp(mnt) || mount("none", mnt, "rnullfs", 0, NULL)) {
		perror("nullfs-compare: mount -t rnullfs (is rnullfs.ko loaded?)");
		return 2;
	}
	if (semantics)
		status = compare_semantics(mnt);
	if (speed) {
		compare_speed(mnt);
		compare_mount_cost();
	}
	if (memory)
		compare_memory(mnt);
	umount2(mnt, MNT_DETACH);
	rmdir(mnt);
	return status;
}
