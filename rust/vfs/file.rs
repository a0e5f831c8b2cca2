// SPDX-License-Identifier: GPL-2.0

//! Regular files: the `#[vtable]` trait a regular file implements, and the
//! const `inode_operations` and `file_operations` tables built from it.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h).
//!
//! `llseek` is always `generic_file_llseek`. Splicing into the file goes
//! through its `write_iter` (`iter_file_splice_write`): the C nullfs uses
//! `splice_from_pipe`, which modules cannot call.
//!
//! A read or a write returns how many bytes it moved, and the VFS trusts
//! that count: `iter_file_splice_write` releases that many bytes of pipe
//! buffers. So the filesystem never says it; the layer measures how far the
//! iterator moved during the call, and returns that.

use super::attr::Iattr;
use super::file_ops::{count, errno, fsync_op, lock_op, Fsync, Locks};
use core::marker::PhantomData;
use kernel::{
    bindings,
    error::VTABLE_DEFAULT_ERROR,
    iov::{IovIterDest, IovIterSource},
    prelude::*,
};

/// The operations of a regular file. Each method is one VFS callback.
#[vtable]
pub(crate) trait RegularFile {
    /// What `fsync()` does.
    const FSYNC: Fsync = Fsync::Unsupported;

    /// What file locks do.
    const LOCKS: Locks = Locks::Local;

    /// Reads into `to` (`read()`, `readv()`...), advancing it by the bytes
    /// read: not at all at the end of the file.
    fn read_iter(_to: &mut IovIterDest<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes from `from`, advancing it by the bytes written.
    fn write_iter(_from: &mut IovIterSource<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Splices into a pipe at the file's end: `Ok(())` splices nothing (the
    /// end of the file), an error is returned as is. (The layer has no pipe
    /// writer yet, so nothing else can be said.)
    fn splice_read() -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes attributes of the file (`chmod`, `chown`, `truncate`...).
    fn setattr(_attr: &Iattr) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The C tables of regular file `T`.
struct FileVTable<T>(PhantomData<T>);

impl<T: RegularFile> FileVTable<T> {
    const INODE_OPS: bindings::inode_operations = bindings::inode_operations {
        setattr: if T::HAS_SETATTR {
            Some(setattr::<T>)
        } else {
            None
        },
        ..pin_init::zeroed()
    };

    const FILE_OPS: bindings::file_operations = bindings::file_operations {
        llseek: Some(bindings::generic_file_llseek),
        read_iter: if T::HAS_READ_ITER {
            Some(read_iter::<T>)
        } else {
            None
        },
        write_iter: if T::HAS_WRITE_ITER {
            Some(write_iter::<T>)
        } else {
            None
        },
        splice_read: if T::HAS_SPLICE_READ {
            Some(splice_read::<T>)
        } else {
            None
        },
        splice_write: if T::HAS_WRITE_ITER {
            Some(bindings::iter_file_splice_write)
        } else {
            None
        },
        fsync: fsync_op(T::FSYNC),
        lock: lock_op(T::LOCKS),
        flock: lock_op(T::LOCKS),
        ..pin_init::zeroed()
    };
}

pub(super) const fn inode_ops<T: RegularFile>() -> &'static bindings::inode_operations {
    &FileVTable::<T>::INODE_OPS
}

pub(super) const fn file_ops<T: RegularFile>() -> &'static bindings::file_operations {
    &FileVTable::<T>::FILE_OPS
}

/// # Safety
///
/// Called by the VFS with a valid kiocb of an open file of `T` and an
/// `ITER_DEST` iov_iter that only this call uses, for its length, and that
/// is safe to write to with the C iov_iter functions.
unsafe extern "C" fn read_iter<T: RegularFile>(
    _iocb: *mut bindings::kiocb,
    to: *mut bindings::iov_iter,
) -> isize {
    // SAFETY: As `IovIterDest::from_raw` requires (the function's
    // requirements); the reference does not outlive the call.
    let to = unsafe { IovIterDest::from_raw(to) };
    let before = to.len();
    let result = T::read_iter(to);
    // `revert` is unsafe, so safe code only moves the iterator forward.
    count(result, before.saturating_sub(to.len()))
}

/// # Safety
///
/// Called by the VFS (or `iter_file_splice_write`) with a valid kiocb of an
/// open file of `T` and an `ITER_SOURCE` iov_iter that only this call uses,
/// for its length, and that is safe to read with the C iov_iter functions.
unsafe extern "C" fn write_iter<T: RegularFile>(
    _iocb: *mut bindings::kiocb,
    from: *mut bindings::iov_iter,
) -> isize {
    // SAFETY: As `IovIterSource::from_raw` requires (the function's
    // requirements); the reference does not outlive the call.
    let from = unsafe { IovIterSource::from_raw(from) };
    let before = from.len();
    let result = T::write_iter(from);
    count(result, before.saturating_sub(from.len()))
}

/// # Safety
///
/// Called by the VFS with an open file of `T`. It puts nothing in the pipe
/// and says so: 0 bytes, or an error.
unsafe extern "C" fn splice_read<T: RegularFile>(
    _file: *mut bindings::file,
    _position: *mut bindings::loff_t,
    _pipe: *mut bindings::pipe_inode_info,
    _len: usize,
    _flags: c_uint,
) -> isize {
    errno(T::splice_read()) as isize
}

/// # Safety
///
/// Called by the VFS with a dentry of a file of `T` and an iattr valid and
/// unchanging for the call.
unsafe extern "C" fn setattr<T: RegularFile>(
    _idmap: *mut bindings::mnt_idmap,
    _dentry: *mut bindings::dentry,
    attr: *mut bindings::iattr,
) -> c_int {
    // SAFETY: `attr` is valid and unchanging for the call.
    errno(T::setattr(unsafe { Iattr::from_raw(attr) }))
}
