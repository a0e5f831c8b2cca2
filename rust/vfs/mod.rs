// SPDX-License-Identifier: GPL-2.0

//! A small layer for implementing a filesystem in Rust, shaped as a
//! `rust/kernel/fs/` would be.
//!
//! Mainline Rust-for-Linux can *use* files but has no abstractions for
//! *implementing* a filesystem. This layer is what rnullfs needs: enough
//! for an empty filesystem, or one whose root is a file, and not yet for
//! one with content (a lookup cannot return an inode, and there is no
//! inode cache). Every `unsafe` of the module lives here. Built into the
//! kernel by the patch series
//! (`scripts/series`), it is the kernel crate's `kernel::fs`, whose
//! documentation is the part of this one between the two markers below.
//!
// kernel::fs's documentation (scripts/kernel-fs-layer): from here...
//! # The contracts
//!
//! A filesystem on the layer is a policy of safe Rust: the layer fills
//! each C callback, calls the policy, and checks what the policy hands
//! back against what that callback's C caller requires. One row per
//! callback: where it runs, what the policy returns and what C requires of
//! it, how the layer holds it to that (a type, a check with the errno it
//! then returns, a compile-time assertion), and the test that shows it.
//! The tests are in the project's `selftests/`: the compile-fail cases in
//! `misuse/` (`misuse-check`), the runtime ones in `misuse/runtime_*.rs`,
//! driven by `rnullfs_misuse_test.c` (`misuse.NAME`), and the rest by name.
//!
//! - `fs_context_operations.parse_param` → `FileSystem::parse_param`
//!   - context: process context, may sleep; the context's `uapi_mutex`
//!   - hands back, and C requires: `Ok`, "not mine" (`ENOPARAM`, which the VFS takes as unknown),
//!     or a refusal and its message
//!   - enforced by: `ParamRefusal`; the errno rule
//!   - test: `isolated.unknown_options_are_refused_with_a_message`,
//!     `misuse.mount_failures_fail_with_eio`, `misuse.parse_param_may_say_not_mine`
//! - `fs_context_operations.get_tree` → `init_data`, `super_params`
//!   - context: may sleep; `uapi_mutex`
//!   - hands back, and C requires: data `Send + Sync`; flags the context takes before the super
//!     block exists
//!   - enforced by: [`MAX_ON_STACK`] at compile time; the errno rule
//!   - test: `options_too_large`, `data_too_large`, `misuse.mount_failures_fail_with_eio`
//! - `fill_super` (from `get_tree_nodev`/`_single`) → `init_root`
//!   - context: may sleep; the new super block's `s_umount`
//!   - hands back, and C requires: an [`InodeSpec`]: C requires a root inode on this super block,
//!     with consistent mode and operations
//!   - enforced by: parameters checked (`SuperParams::are_valid`, `EINVAL`); the type state
//!     [`New`]; the layer makes the inode and the root
//!   - test: `root_forged`, `inode_escapes_call`, `misuse.mount_failures_fail_with_eio`
//! - `fs_context_operations.reconfigure` → `reconfigure`
//!   - context: may sleep; `s_umount` for writing
//!   - hands back, and C requires: `Ok` or a refusal; the VFS applies the flags
//!   - enforced by: [`Refusal`]; the errno rule
//!   - test: `isolated.remount_rw_is_refused_with_a_message`
//! - `super_operations.statfs` → `statfs`
//!   - context: may sleep; the dentry held
//!   - hands back, and C requires: yes or an errno; the layer fills the buffer (`simple_statfs`)
//!   - enforced by: the errno rule
//!   - test: `mounted.statfs_says_nullfs_read_only`, `misuse.checks_fail_with_eio`
//! - `dentry_operations.d_weak_revalidate` → `revalidate_jump`
//!   - context: ref-walk (`complete_walk` leaves RCU-walk first), may sleep
//!   - hands back, and C requires: 1 or an errno
//!   - enforced by: `Ok` is 1; the errno rule
//!   - test: `misuse.checks_fail_with_eio`
//! - `dentry_operations.d_dname` → `DENTRY_NAME`
//!   - context: any
//!   - hands back, and C requires: a constant name
//!   - enforced by: data, no policy code
//!   - test: `builtin.failfs_root_fails_every_operation`
//! - `inode_operations.lookup` → `Directory::lookup`
//!   - context: may sleep; the directory's `i_rwsem`
//!   - hands back, and C requires: C takes `NULL` (negative, not cached), a dentry, or
//!     `ERR_PTR(errno)`
//!   - enforced by: `Ok` is `NULL`; the errno rule
//!   - test: `mounted.failed_lookups_cache_no_dentries`, `misuse.directory_ops_fail_with_eio`
//! - `inode_operations.permission` → `REFUSE_ALL_ACCESS`
//!   - context: any, RCU-walk too
//!   - hands back, and C requires: a constant errno
//!   - enforced by: data, no policy code; the errno rule
//!   - test: `builtin.failfs_root_fails_every_operation`,
//!     `misuse.constant_refusal_follows_the_errno_rule`
//! - `inode_operations.permission` → `Directory::permission`
//!   - context: ref-walk only, may sleep; the path held
//!   - hands back, and C requires: yes (then `generic_permission`) or an errno
//!   - enforced by: in RCU-walk (`MAY_NOT_BLOCK`) the layer answers `ECHILD` and the VFS calls
//!     again in ref-walk; the errno rule
//!   - test: `misuse.permission_never_runs_in_rcu_walk`, `misuse.checks_fail_with_eio`
//! - `inode_operations.getattr` → `getattr`
//!   - context: may sleep; the path held
//!   - hands back, and C requires: yes (then `generic_fillattr`) or an errno
//!   - enforced by: the errno rule
//!   - test: `misuse.checks_fail_with_eio`
//! - `inode_operations.setattr` → `setattr`
//!   - context: may sleep; `i_rwsem` for writing
//!   - hands back, and C requires: yes or an errno; the VFS has checked the caller's rights
//!   - enforced by: [`Iattr`] read-only; the errno rule
//!   - test: `mounted.masked_file_times_never_move`, `misuse.directory_ops_fail_with_eio`
//! - `inode_operations.listxattr`, `file_operations.lock`, `.flock`, `.splice_read`
//!   - context: any
//!   - hands back, and C requires: constant answers
//!   - enforced by: data ([`Xattrs`], [`Locks`], [`SpliceRead`]), no policy code
//!   - test: `mounted.locks_are_refused`, `listxattr_length`
//! - `file_operations.iterate_shared` → `iterate`
//!   - context: may sleep; `f_pos_lock`, and `i_rwsem` shared unless `FOP_IMMUTABLE`
//!   - hands back, and C requires: entries at positions; C copies `ctx->pos` to `f_pos`
//!   - enforced by: only [`DirEmitter`] moves the position (`dir_emit_dots`'s steps); the errno
//!     rule
//!   - test: `mounted.readdir_gives_dot_and_dotdot_only`, `smp.getdents_and_lseek_on_one_shared_fd`
//! - `file_operations.llseek` → `DirSeek` or `llseek`
//!   - context: may sleep; `f_pos_lock` where the file is shared
//!   - hands back, and C requires: a position, which C requires in `0..=s_maxbytes`
//!   - enforced by: `vfs_setpos` (`EINVAL` outside); the errno rule
//!   - test: `smp.getdents_and_lseek_on_one_shared_fd`, `misuse.directory_ops_fail_with_eio`,
//!     `misuse.position_outside_the_file_is_refused`
//! - `file_operations.fsync` → `Fsync` or `fsync`
//!   - context: may sleep
//!   - hands back, and C requires: yes or an errno
//!   - enforced by: the errno rule
//!   - test: `misuse.directory_ops_fail_with_eio`
//! - `file_operations.read_iter` → `RegularFile::read_iter`
//!   - context: may sleep; a synchronous or an async kiocb (aio, io_uring)
//!   - hands back, and C requires: a count, which C trusts as bytes written into the buffer; a
//!     position (`ki_pos`) in `0..=s_maxbytes`; an errno, never `EIOCBQUEUED` (nothing would
//!     complete it)
//!   - enforced by: the count is measured, and [`ReadBuffer`] moves only by copying; a position
//!     outside is put back and the call fails with `EIO`; the errno rule
//!   - test: `read_without_writing`, `misuse.position_outside_the_file_is_refused`,
//!     `misuse.interrupted_read_restarts_or_fails_with_eintr`, `misuse.file_ops_fail_with_eio`
//! - `file_operations.write_iter` → `write_iter` (and `splice_write`, through
//!   `iter_file_splice_write`)
//!   - context: may sleep; as `read_iter`
//!   - hands back, and C requires: as `read_iter`: the count is the bytes taken from the iterator
//!   - enforced by: the count is measured; the position and errno checks of `read_iter`
//!   - test: `lying_write_iter`, `misuse.position_outside_the_file_is_refused`,
//!     `misuse.file_ops_fail_with_eio`
//! - `file_system_type.kill_sb`, `fs_context_operations.free`
//!   - context: may sleep; `s_umount` / the last user of the context
//!   - hands back, and C requires: nothing: the layer drops the data and options (their `Drop` runs
//!     there)
//!   - enforced by: the layer owns them from `init_data` / the first parameter
//!   - test: `misuse.forgetting_leaves_nothing_busy`
//!
//! **The errno rule** (`error.rs`): an errno up to 511 goes back as it is.
//! One of the kernel's own codes from 512 on is passed on only where the
//! C caller gives it a meaning a policy can intend: `ERESTARTSYS`,
//! `ERESTARTNOINTR` and `ERESTARTNOHAND` from an operation run in a system
//! call while a signal is pending for the caller (then the syscall is
//! restarted or fails with `EINTR`, as in C), and `ENOPARAM` from
//! `parse_param`. Every other one becomes `EIO`, and the log says so once
//! per operation of each filesystem, naming the filesystem.
//!
//! **What holds**, for any policy in safe Rust over this API, whatever it
//! returns, forgets, leaks or drops of the values it can get:
//!
//! - No policy code runs where it must not sleep: every method above may sleep, and the one
//!   callback C calls in RCU-walk (`permission`) calls policy code only in ref-walk. So every
//!   object a method is given is held for the call ([`Inode`], [`SuperBlock`], [`OpenFile`]), and
//!   its super block is mounted: an operation that races a `umount` cannot reach a super block that
//!   is shut down.
//! - It never owns a reference: objects are borrowed for one call, an [`OpenFile`] does not hand
//!   out the kernel crate's file (from which an owned `ARef` could be taken), a new inode is
//!   described ([`InodeSpec`]) and the layer makes it, and the module's registration is held by
//!   [`module_fs!`]. Nothing it loses leaves a busy inode at unmount or a pinned module.
//! - What the layer holds of it on the kernel stack is bounded at compile time ([`MAX_ON_STACK`]).
//! - Every value handed back is checked against its C caller as in the table: no `BUG()`,
//!   `BUG_ON()` or `CHECK_DATA_CORRUPTION()` of the VFS is reachable through them, and no reader is
//!   given bytes nobody wrote.
//!
//! **What does not**, because it is the rest of the kernel crate's, not
//! the layer's, to hold:
//!
//! - A panic (an explicit `panic!`, an index out of bounds, an overflow with
//!   `CONFIG_RUST_OVERFLOW_CHECKS`) goes to the kernel crate's panic handler: a `BUG()`.
//! - A local of a policy method larger than the stack (`let a = [0u8; 65536];`): the kernel's Rust
//!   code has no stack probes, and the layer bounds only what it holds itself.
//! - Work a module queues with the kernel crate (a workqueue item, a timer) that outlives `rmmod`,
//!   and code that sleeps in a `Drop` where the kernel crate drops it in atomic context: the kernel
//!   crate's own contracts.
//! - Leaks (a `KBox` forgotten: kmemleak reports it, nothing is corrupted), a loop that never ends,
//!   a sleep that never ends (the hung-task detector reports it).
//!
//! # The modules
//!
//! Each operation is given the objects its C callback is given, as
//! references that cannot outlive the call: the [`Inode`] it acts on (and
//! through it the [`SuperBlock`] and the filesystem's per-super-block
//! data), the [`OpenFile`], or the open file and the kernel crate's
//! [`kernel::fs::Kiocb`] of a read or write.
//!
//! One module per kernel object, each depending only on those listed
//! before it, in its code and in its documentation's links:
//!
//! - [`compat`]: what differs between the kernels it is built for.
//! - [`param`]: mount parameters and refusals (plain data).
//! - `error`: the errno rule, and each filesystem type's warnings.
//! - [`super_block`]: [`SuperBlock`] in its [`New`] and [`Ready`] states.
//! - [`inode`]: [`Inode`], and [`InodeSpec`], what a new one is.
//! - [`dentry`]: the dentries the layer makes from an [`InodeSpec`]: a super block's root, and the
//!   built-in nullfs's anonymous file.
//! - [`attr`]: attribute changes, `struct iattr`, and `setattr`.
//! - [`open_file`]: the open file an operation is given, [`OpenFile`].
//! - [`file_ops`]: what every `file_operations` table shares.
//! - [`dir`] and [`regular_file`]: `#[vtable]` traits for directory and regular-file operations,
//!   turned into const C operation tables.
//! - [`filesystem`]: the [`FileSystem`] trait.
//! - [`context`]: the mount API (`struct fs_context`).
//! - [`fs_type`]: the static [`FileSystemType`], its [`Registration`], and [`module_fs!`], the
//!   module that holds it.
//! - `builtin` (where the layer is built into the kernel): a filesystem that takes the place of one
//!   in C, under the type the kernel's C code names and with the functions it calls.
// ...to here.
//!
//! `builtin` is `cfg(rnullfs_intree)`.
//!
//! C items that `kernel::bindings` lacks come from [`bindings`], generated by
//! `scripts/vfs-bindgen` for the kernel tree the module is built against;
//! built into the kernel, the tree's own bindings have them.

pub mod attr;
pub(crate) mod bindings;
#[cfg(rnullfs_intree)]
pub mod builtin;
pub mod compat;
pub mod context;
pub mod dentry;
pub mod dir;
mod error;
pub mod file_ops;
pub mod filesystem;
pub mod fs_type;
pub mod inode;
pub mod open_file;
pub mod param;
pub mod regular_file;
pub mod super_block;

pub use attr::Iattr;
#[cfg(rnullfs_intree)]
pub(crate) use builtin::{
    builtin_file_system_type, builtin_local_module, builtin_single_mount, export_anon_dentry,
};
#[cfg(rnullfs_intree)]
pub use builtin::{AnonDentryMaker, BuiltinFileSystemType};
pub use compat::eopnotsupp;
pub(crate) use compat::{flag_value, module_with_flag};
pub use context::MAX_ON_STACK;
pub use dir::{Access, DirEmitter, DirSeek, Directory, Xattrs};
pub use file_ops::{Fsync, Locks};
pub use filesystem::{FileSystem, FsFlags};
pub(crate) use fs_type::{file_system_type, module_fs};
pub use fs_type::{FileSystemType, Registration};
pub use inode::{Inode, InodeParams, InodeSpec, Mounter};
pub use open_file::{OpenFile, Whence};
pub use param::{Param, ParamRefusal, ParamValue, Reconfigure, Refusal};
pub use regular_file::{ReadBuffer, RegularFile, SpliceRead};
pub use super_block::{New, Ready, SuperBlock, SuperParams, MAX_LFS_FILESIZE, PAGE_SHIFT};
