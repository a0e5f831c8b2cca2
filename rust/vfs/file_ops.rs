// SPDX-License-Identifier: GPL-2.0

//! What the `file_operations` of directories and regular files share: the
//! choices a filesystem makes as data (locks, fsync), answered by one C
//! function each with no Rust code in between; the `fsync` and `llseek`
//! callbacks of a filesystem that writes them as code; and the count a
//! read or write callback returns.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h).

use super::error::{errno, to_c_errno, Op, TypeHead};
use super::open_file::{OpenFile, Whence};
use kernel::{bindings, prelude::*};

/// What `fcntl(F_SETLK...)` and `flock()` do on the open files of an inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locks {
    /// The VFS's own local locks (`lock` and `flock` left `NULL`).
    Local,
    /// Every lock is refused with `ENOLCK`: for an object that every holder
    /// shares, where one holder's lock would stop all the others.
    Refused,
}

/// What `fsync()` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fsync {
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
pub(super) type LockEntry =
    Option<unsafe extern "C" fn(*mut bindings::file, c_int, *mut bindings::file_lock) -> c_int>;

/// The table entry `lock` and `flock` take for `locks`.
pub(super) const fn lock_op(locks: Locks) -> LockEntry {
    match locks {
        Locks::Local => None,
        Locks::Refused => Some(refuse_lock),
    }
}

/// The `fsync` entry.
pub(super) type FsyncEntry = Option<
    unsafe extern "C" fn(*mut bindings::file, bindings::loff_t, bindings::loff_t, c_int) -> c_int,
>;

/// The table entry `fsync` takes for `fsync`, or, where the filesystem
/// writes its own (`custom`), the layer's callback for it.
pub(super) const fn fsync_op<H: FsyncOp>(fsync: Fsync, custom: bool) -> FsyncEntry {
    assert!(
        !custom || matches!(fsync, Fsync::Unsupported),
        "an fsync method and a const FSYNC: choose one"
    );
    if custom {
        return Some(fsync_callback::<H>);
    }
    match fsync {
        Fsync::Unsupported => None,
        Fsync::NothingToWrite => Some(bindings::noop_fsync),
    }
}

/// A filesystem's own `fsync`, implemented by the layer's table of each
/// kind of inode.
pub(super) trait FsyncOp {
    /// The per-super-block data of the filesystem.
    type Data;

    /// Writes back `start..=end` of `file` (only its data if `datasync`).
    fn fsync(file: &OpenFile<Self::Data>, start: i64, end: i64, datasync: bool) -> Result;
}

/// `file_operations.fsync` for a filesystem that writes its own.
///
/// # Safety
///
/// Called by the VFS (`vfs_fsync_range`) with a file open on an inode whose
/// operations are `H`'s, which it holds for the call.
unsafe extern "C" fn fsync_callback<H: FsyncOp>(
    file: *mut bindings::file,
    start: bindings::loff_t,
    end: bindings::loff_t,
    datasync: c_int,
) -> c_int {
    // SAFETY: The file is open and held for the call; an inode with `H`'s
    // operations was made by the layer on a super block of `H`'s
    // filesystem, which an open file keeps mounted.
    let file = unsafe { OpenFile::from_raw(file) };
    let result = H::fsync(file, start, end, datasync != 0);
    errno(Op::Fsync, file.inode().super_block().type_head(), result)
}

/// A filesystem's own `llseek`, implemented by the layer's table of each
/// kind of inode.
pub(super) trait LlseekOp {
    /// The per-super-block data of the filesystem.
    type Data;

    /// The new position of `file`, now at `current`, for `offset` from
    /// `whence`.
    fn llseek(
        file: &OpenFile<Self::Data>,
        current: i64,
        offset: i64,
        whence: Whence,
    ) -> Result<i64>;
}

/// Implements the callback traits every kind of inode shares
/// ([`SetattrOp`](super::attr::SetattrOp), [`FsyncOp`], [`LlseekOp`]) for
/// `$table<T>`, the C tables of a `T: $kind`, by calling `T`'s methods of
/// the same names.
macro_rules! shared_ops_of {
    ($table:ident, $kind:ident) => {
        impl<T: $kind> $crate::vfs::attr::SetattrOp for $table<T> {
            type Data = T::Data;

            #[inline(always)]
            fn setattr(inode: &Inode<T::Data>, attr: &Iattr) -> Result {
                T::setattr(inode, attr)
            }
        }

        impl<T: $kind> $crate::vfs::file_ops::FsyncOp for $table<T> {
            type Data = T::Data;

            #[inline(always)]
            fn fsync(file: &OpenFile<T::Data>, start: i64, end: i64, datasync: bool) -> Result {
                T::fsync(file, start, end, datasync)
            }
        }

        impl<T: $kind> $crate::vfs::file_ops::LlseekOp for $table<T> {
            type Data = T::Data;

            #[inline(always)]
            fn llseek(
                file: &OpenFile<T::Data>,
                current: i64,
                offset: i64,
                whence: Whence,
            ) -> Result<i64> {
                T::llseek(file, current, offset, whence)
            }
        }
    };
}
pub(super) use shared_ops_of;

/// `file_operations.llseek` for a filesystem that writes its own: it asks
/// for the new position, and the layer sets it with `vfs_setpos`, which
/// refuses a negative one or one past the super block's `s_maxbytes`.
///
/// # Safety
///
/// Called by the VFS (`vfs_llseek`) with a file open on an inode whose
/// operations are `H`'s, which it holds for the call. Regular files and
/// directories are `FMODE_ATOMIC_POS`: whenever another task could use the
/// same file, the caller holds its `f_pos_lock`, so nothing else reads or
/// writes the position during the call.
pub(super) unsafe extern "C" fn llseek_callback<H: LlseekOp>(
    file: *mut bindings::file,
    offset: bindings::loff_t,
    whence: c_int,
) -> bindings::loff_t {
    let Some(whence) = Whence::from_raw(whence) else {
        return EINVAL.to_errno().into();
    };
    // SAFETY: The file is open and held for the call, on an inode the layer
    // made on a mounted super block of `H`'s filesystem (as above); its
    // position is ours for the call (the function's requirements).
    let (open, current, max_bytes) = unsafe {
        (
            OpenFile::from_raw(file),
            (*file).f_pos,
            (*(*(*file).f_inode).i_sb).s_maxbytes,
        )
    };
    match H::llseek(open, current, offset, whence) {
        // SAFETY: The file is open, its position ours for the call.
        Ok(position) => unsafe { bindings::vfs_setpos(file, position, max_bytes) },
        Err(error) => to_c_errno(Op::Llseek, open.inode().super_block().type_head(), error).into(),
    }
}

/// The `ssize_t` a read or write callback of `op` returns: `moved`, the
/// bytes the iterator moved by (which the layer measured, never the
/// filesystem), or a negative errno, never a kernel-internal one (a read
/// that returned `EIOCBQUEUED` would hit a `BUG_ON()` in `new_sync_read()`).
///
/// An iterator never moves by more than `isize::MAX` bytes (the VFS caps
/// every transfer at `MAX_RW_COUNT`); were it to, the call fails with
/// `EOVERFLOW` instead of returning a count that reads as an errno.
#[inline(always)]
pub(super) fn count(op: Op, fs_type: &TypeHead, result: Result, moved: usize) -> isize {
    match result {
        // The constant itself: `unwrap_or(EOVERFLOW.to_errno())` would call
        // the kernel crate's out-of-line `to_errno` on every read and write.
        Ok(()) => isize::try_from(moved).unwrap_or(-(bindings::EOVERFLOW as isize)),
        Err(error) => to_c_errno(op, fs_type, error) as isize,
    }
}
