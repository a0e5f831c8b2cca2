// SPDX-License-Identifier: GPL-2.0

//! Regular files: the `#[vtable]` trait a regular file implements, and the
//! const `inode_operations` and `file_operations` tables built from it.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h).
//!
//! `llseek` is always `generic_file_llseek`. Splicing into the file goes
//! through its `write_iter` (`iter_file_splice_write`): the C nullfs uses
//! `splice_from_pipe`, which modules cannot call.

use super::dir::errno;
use super::Iattr;
use core::marker::PhantomData;
use kernel::{
    bindings,
    error::VTABLE_DEFAULT_ERROR,
    fs::LocalFile,
    iov::{IovIterDest, IovIterSource},
    prelude::*,
};

/// The operations of a regular file. Each method is one VFS callback.
#[vtable]
pub(crate) trait RegularFile {
    /// Reads into `to` (`read()`, `readv()`...): the bytes read, 0 at the end.
    fn read_iter(_to: &mut IovIterDest<'_>) -> Result<usize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes from `from`: the bytes written.
    fn write_iter(_from: &mut IovIterSource<'_>) -> Result<usize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Splices up to `len` bytes into a pipe: the bytes spliced.
    fn splice_read(_len: usize) -> Result<usize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes attributes of the file (`chmod`, `chown`, `truncate`...).
    fn setattr(_attr: &Iattr) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes the file back to storage (`fsync()`).
    fn fsync(_file: &LocalFile) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// POSIX and OFD record locks (`fcntl(F_SETLK...)`).
    fn lock(_file: &LocalFile, _cmd: i32) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// BSD locks (`flock()`).
    fn flock(_file: &LocalFile, _cmd: i32) -> Result {
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
        fsync: if T::HAS_FSYNC { Some(fsync::<T>) } else { None },
        lock: if T::HAS_LOCK { Some(lock::<T>) } else { None },
        flock: if T::HAS_FLOCK { Some(flock::<T>) } else { None },
        ..pin_init::zeroed()
    };
}

pub(super) const fn inode_ops<T: RegularFile>() -> &'static bindings::inode_operations {
    &FileVTable::<T>::INODE_OPS
}

pub(super) const fn file_ops<T: RegularFile>() -> &'static bindings::file_operations {
    &FileVTable::<T>::FILE_OPS
}

/// A byte count or an errno, for callbacks that return `ssize_t`.
fn count(result: Result<usize>) -> isize {
    match result {
        Ok(count) => count as isize,
        Err(error) => error.to_errno() as isize,
    }
}

/// # Safety
///
/// Called by the VFS with a valid kiocb of an open file of `T` and an
/// iov_iter to write to.
unsafe extern "C" fn read_iter<T: RegularFile>(
    _iocb: *mut bindings::kiocb,
    to: *mut bindings::iov_iter,
) -> isize {
    // SAFETY: `to` is a valid destination iterator for the call.
    count(T::read_iter(unsafe { IovIterDest::from_raw(to) }))
}

/// # Safety
///
/// Called by the VFS with a valid kiocb of an open file of `T` and an
/// iov_iter to read from.
unsafe extern "C" fn write_iter<T: RegularFile>(
    _iocb: *mut bindings::kiocb,
    from: *mut bindings::iov_iter,
) -> isize {
    // SAFETY: `from` is a valid source iterator for the call.
    count(T::write_iter(unsafe { IovIterSource::from_raw(from) }))
}

/// # Safety
///
/// Called by the VFS with an open file of `T`.
unsafe extern "C" fn splice_read<T: RegularFile>(
    _file: *mut bindings::file,
    _position: *mut bindings::loff_t,
    _pipe: *mut bindings::pipe_inode_info,
    len: usize,
    _flags: c_uint,
) -> isize {
    count(T::splice_read(len))
}

/// # Safety
///
/// Called by the VFS with a dentry of a file of `T` and a valid iattr.
unsafe extern "C" fn setattr<T: RegularFile>(
    _idmap: *mut bindings::mnt_idmap,
    _dentry: *mut bindings::dentry,
    attr: *mut bindings::iattr,
) -> c_int {
    // SAFETY: `attr` is valid for the call.
    errno(T::setattr(unsafe { Iattr::from_raw(attr) }))
}

/// # Safety
///
/// Called by the VFS with an open file of `T`.
unsafe extern "C" fn fsync<T: RegularFile>(
    file: *mut bindings::file,
    _start: bindings::loff_t,
    _end: bindings::loff_t,
    _datasync: c_int,
) -> c_int {
    // SAFETY: `file` is open for the call.
    errno(T::fsync(unsafe { LocalFile::from_raw_file(file) }))
}

/// # Safety
///
/// Called by the VFS with an open file of `T`.
unsafe extern "C" fn lock<T: RegularFile>(
    file: *mut bindings::file,
    cmd: c_int,
    _lock: *mut bindings::file_lock,
) -> c_int {
    // SAFETY: `file` is open for the call.
    errno(T::lock(unsafe { LocalFile::from_raw_file(file) }, cmd))
}

/// # Safety
///
/// Called by the VFS with an open file of `T`.
unsafe extern "C" fn flock<T: RegularFile>(
    file: *mut bindings::file,
    cmd: c_int,
    _lock: *mut bindings::file_lock,
) -> c_int {
    // SAFETY: `file` is open for the call.
    errno(T::flock(unsafe { LocalFile::from_raw_file(file) }, cmd))
}
