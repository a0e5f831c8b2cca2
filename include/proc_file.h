/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One line of a /proc or /sys file, written or read: what the selftests
 * check of the kernel's state (a process's flags, a knob) comes this way.
 */
#ifndef RNULLFS_PROC_FILE_H
#define RNULLFS_PROC_FILE_H

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Writes `text` to the file at `path` (a /proc or /sys knob): 0 or -1. */
static inline int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * Reads the first line of the file at `path` (a /proc or /sys file) into
 * `buf`, without its newline, NUL-terminated: 0 or -1.
 */
static inline int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

#endif
