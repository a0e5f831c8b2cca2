/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What rnullfs's VFS layer needs from C that the kernel crate's bindings
 * lack: scripts/vfs-bindgen runs bindgen over this header with the kernel's
 * own C flags. Items already in kernel::bindings are not generated again
 * (--no-recursive-allowlist); the generated file imports them.
 */
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/fs/super_types.h>

/*
 * Macros bindgen cannot expand (BIT(), __force casts) reach Rust as constants
 * initialised from them; the RUST_CONST_HELPER_ prefix is dropped afterwards,
 * as the kernel's own bindings do.
 */
const unsigned int RUST_CONST_HELPER_SB_RDONLY = SB_RDONLY;
const unsigned int RUST_CONST_HELPER_FOP_IMMUTABLE = FOP_IMMUTABLE;
const long long RUST_CONST_HELPER_MAX_LFS_FILESIZE = MAX_LFS_FILESIZE;
