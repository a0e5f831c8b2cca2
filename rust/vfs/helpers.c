// SPDX-License-Identifier: GPL-2.0
/*
 * Static inline functions of the kernel headers cannot be called from Rust;
 * these one-line wrappers make them callable. Nothing else belongs here.
 */
#include <linux/fs.h>

bool rnullfs_dir_emit_dots(struct file *file, struct dir_context *ctx);

bool rnullfs_dir_emit_dots(struct file *file, struct dir_context *ctx)
{
	return dir_emit_dots(file, ctx);
}
