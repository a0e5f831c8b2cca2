// SPDX-License-Identifier: GPL-2.0

//! The one way an error goes back to C: [`to_c_errno`].
//!
//! C header: [`include/linux/errno.h`](srctree/include/linux/errno.h).
//!
//! Every [`Error`] is an errno from 1 to `MAX_ERRNO` (4095), but only those
//! up to 511 are meant for userspace. From 512 on are the kernel's own
//! codes (`ERESTARTSYS`, `ENOPARAM`, `EPROBE_DEFER`, `EIOCBQUEUED`...),
//! each with a meaning to the code that receives it: a read that returns
//! `EIOCBQUEUED` says "I will complete this asynchronously", and
//! `new_sync_read()` answers with `BUG_ON()`; a mount that returns
//! `ERESTARTSYS` with no signal pending hands userspace an errno it has no
//! name for. A filesystem's operation cannot mean any of that (it has no
//! way to queue a request or to restart a syscall), so the layer never
//! passes such a code on: it becomes [`EIO`], and the kernel log says once
//! per operation which one returned it.

use core::sync::atomic::{AtomicBool, Ordering};
use kernel::{bindings, prelude::*};

/// The largest errno userspace has a name for. Above it are the kernel's
/// internal ones.
const MAX_USER_ERRNO: c_int = 511;

/// An operation of the layer that hands an error back to C: what the
/// warning about a kernel-internal errno names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Op {
    /// `FileSystem::init_data` (`get_tree`).
    InitData,
    /// `FileSystem::init_root` and the making of the root (`fill_super`).
    FillSuper,
    /// `FileSystem::parse_param`.
    ParseParam,
    /// `FileSystem::reconfigure`.
    Reconfigure,
    /// `Directory::lookup`.
    Lookup,
    /// `Directory::iterate`.
    Iterate,
    /// `Directory::permission`.
    Permission,
    /// `Directory::getattr`.
    Getattr,
    /// `FileSystem::statfs`.
    Statfs,
    /// `FileSystem::revalidate_jump` (`d_weak_revalidate`).
    RevalidateJump,
    /// `setattr` of a directory or a regular file.
    Setattr,
    /// `fsync` of a directory or a regular file.
    Fsync,
    /// `llseek` of a directory or a regular file.
    Llseek,
    /// `RegularFile::read_iter`.
    ReadIter,
    /// `RegularFile::write_iter`.
    WriteIter,
    /// The making of a built-in filesystem's anonymous dentry.
    #[cfg_attr(not(rnullfs_intree), allow(dead_code))]
    AnonDentry,
}

/// How many [`Op`]s there are.
const OPS: usize = Op::AnonDentry as usize + 1;

impl Op {
    /// The operation's name, for the log. `#[inline(always)]`: called with
    /// a constant `op`, in [`to_c_errno`], it is that constant string.
    #[inline(always)]
    fn name(self) -> &'static CStr {
        match self {
            Op::InitData => c"init_data",
            Op::FillSuper => c"init_root",
            Op::ParseParam => c"parse_param",
            Op::Reconfigure => c"reconfigure",
            Op::Lookup => c"lookup",
            Op::Iterate => c"iterate",
            Op::Permission => c"permission",
            Op::Getattr => c"getattr",
            Op::Statfs => c"statfs",
            Op::RevalidateJump => c"revalidate_jump",
            Op::Setattr => c"setattr",
            Op::Fsync => c"fsync",
            Op::Llseek => c"llseek",
            Op::ReadIter => c"read_iter",
            Op::WriteIter => c"write_iter",
            Op::AnonDentry => c"the anonymous dentry",
        }
    }
}

/// Whether the warning of each [`Op`] was printed: once per operation for
/// the life of the module (or of the kernel, built in).
static WARNED: [AtomicBool; OPS] = [const { AtomicBool::new(false) }; OPS];

/// The negative errno C gets for `error`, which `op` returned: the errno
/// itself, or `-EIO` for a kernel-internal one (see the module
/// documentation).
///
/// Inlined into each callback, where `op` is a constant: a compare and a
/// branch there, and the warning out of line, given the operation's name
/// and flag, which the compiler resolves at the call.
#[inline(always)]
pub(super) fn to_c_errno(op: Op, error: Error) -> c_int {
    let errno = error.to_errno();
    if errno >= -MAX_USER_ERRNO {
        errno
    } else {
        internal_errno(op.name(), &WARNED[op as usize], errno)
    }
}

/// [`to_c_errno`] of a kernel-internal `errno` that the operation `name`
/// returned: says so once, the first time `warned` is set.
///
/// Straight through `_printk` with a C format, as C's `pr_warn_once` does,
/// rather than `pr_warn!` and Rust's formatting machinery: this is the
/// layer's one message, and it should cost a few bytes, not a few hundred.
#[cold]
#[inline(never)]
fn internal_errno(name: &CStr, warned: &AtomicBool, errno: c_int) -> c_int {
    if !warned.swap(true, Ordering::Relaxed) {
        // SAFETY: The format is a C string whose conversions take a C
        // string (the module's name, `__LOG_PREFIX` ends with a NUL), a C
        // string (the operation's name) and an `int`, as passed.
        unsafe {
            bindings::_printk(
                c"\x014%s: %s returned the kernel-internal errno %d; failed with EIO\n"
                    .as_char_ptr(),
                crate::__LOG_PREFIX.as_ptr(),
                name.as_char_ptr(),
                errno,
            )
        };
    }
    -(bindings::EIO as c_int)
}

/// The `int` a callback returns for `result` of `op`: 0 or a negative
/// errno, never a kernel-internal one.
#[inline(always)]
pub(super) fn errno(op: Op, result: Result) -> c_int {
    match result {
        Ok(()) => 0,
        Err(error) => to_c_errno(op, error),
    }
}
