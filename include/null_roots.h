/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The null roots of Linux 7.3 that the C library may not know yet:
 * FD_FAILFS_ROOT (<linux/fcntl.h>), the sentinel that names failfs's root,
 * and fchroot(2), which puts a process's root on it or on a mount's fd.
 */
#ifndef RNULLFS_NULL_ROOTS_H
#define RNULLFS_NULL_ROOTS_H

#include <sys/syscall.h>

#ifndef FD_FAILFS_ROOT
#define FD_FAILFS_ROOT -10004
#endif
#if !defined(SYS_fchroot) && defined(__x86_64__)
#define SYS_fchroot 472
#endif

#endif
