// SPDX-License-Identifier: GPL-2.0

//! What the `file_operations` of directories and regular files share: the
//! choices a filesystem makes as data (locks, fsync), answered by one C
//! function each with no Rust code in between, and the conversion of a
//! Rust result into the `int` a callback returns.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h).

use kernel::{bindings, prelude::*};

/// What `fcntl(F_SETLK...)` and `flock()` do on the open files of an inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Locks {
    /// The VFS's own local locks (`lock` and `flock` left `NULL`).
    Local,
    /// Every lock is refused with `ENOLCK`: for an object that every holder
    /// shares, where one holder's lock would stop all the others.
    Refused,
}

/// What `fsync()` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fsync {
    /// `EINVAL`: the object cannot be synced (`fsync` left `NULL`).
    Unsupported,
    /// Success at once: there is nothing to write back (libfs's
    /// `noop_fsync`, named directly in the table).
    NothingToWrite,
}

/// `file_operations.lock` and `.flock` for [`Locks::Refused`]: one function
/// for both and for every kind of file, as `nullfs_nolock` is in C.
///
/// # Safety
///
/// None beyond the C signature: it reads none of its arguments.
unsafe extern "C" fn refuse_lock(
    _file: *mut bindings::file,
    _cmd: c_int,
    _lock: *mut bindings::file_lock,
) -> c_int {
    // The constant itself, not `ENOLCK.to_errno()`: the kernel crate's
    // `to_errno` is not `#[inline]`, and its out-of-line call cost three
    // instructions per `flock()` that C's `nullfs_nolock` does not pay.
    -(bindings::ENOLCK as c_int)
}

/// The `lock` and `flock` entries for `locks`.
pub(super) type LockOp =
    Option<unsafe extern "C" fn(*mut bindings::file, c_int, *mut bindings::file_lock) -> c_int>;

/// The table entry `lock` and `flock` take for `locks`.
pub(super) const fn lock_op(locks: Locks) -> LockOp {
    match locks {
        Locks::Local => None,
        Locks::Refused => Some(refuse_lock),
    }
}

/// The `fsync` entry.
pub(super) type FsyncOp = Option<
    unsafe extern "C" fn(*mut bindings::file, bindings::loff_t, bindings::loff_t, c_int) -> c_int,
>;

/// The table entry `fsync` takes for `fsync`.
pub(super) const fn fsync_op(fsync: Fsync) -> FsyncOp {
    match fsync {
        Fsync::Unsupported => None,
        Fsync::NothingToWrite => Some(bindings::noop_fsync),
    }
}

/// The `int` a callback returns for `result`: 0 or a negative errno.
#[inline(always)]
pub(super) fn errno(result: Result) -> c_int {
    match result {
        Ok(()) => 0,
        Err(error) => error.to_errno(),
    }
}

/// The `ssize_t` a read or write callback returns: `moved`, the bytes the
/// iterator moved by (which the layer measured, never the filesystem), or a
/// negative errno.
///
/// An iterator never moves by more than `isize::MAX` bytes (the VFS caps
/// every transfer at `MAX_RW_COUNT`); were it to, the call fails with
/// `EOVERFLOW` instead of returning a count that reads as an errno.
#[inline(always)]
pub(super) fn count(result: Result, moved: usize) -> isize {
    match result {
        Ok(()) => isize::try_from(moved).unwrap_or(EOVERFLOW.to_errno() as isize),
        Err(error) => error.to_errno() as isize,
    }
}
