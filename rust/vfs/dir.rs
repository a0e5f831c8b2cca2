// SPDX-License-Identifier: GPL-2.0

//! Directories: the `#[vtable]` trait a directory implements, and the const
//! `inode_operations` and `file_operations` tables built from it.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h).
//!
//! An operation the trait does not implement is left `NULL` in the table, so
//! the VFS does what it does for any filesystem without it. `read` is always
//! `generic_read_dir` (`EISDIR`), as for every directory in Linux.

use super::bindings as vfs;
use super::Iattr;
use core::marker::PhantomData;
use kernel::{
    bindings, error::VTABLE_DEFAULT_ERROR, fs::LocalFile, prelude::*, str::BStr, types::Opaque,
};

/// The operations of a directory. Each method is one VFS callback.
#[vtable]
pub(crate) trait Directory {
    /// `FOP_IMMUTABLE`: the directory never changes, so `getdents()` takes
    /// no lock on it.
    const IMMUTABLE: bool = false;

    /// Looks up `name`. `Ok(())` means "no such entry" without an error (the
    /// VFS may then go on, e.g. to create it); an error is returned as is.
    fn lookup(_name: &BStr) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes attributes of the directory (`chmod`, `chown`, `utimes`).
    fn setattr(_attr: &Iattr) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Lists extended attribute names: the length written.
    fn listxattr() -> Result<usize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Moves the read position of an open directory: the new position.
    fn llseek(_file: &LocalFile, _offset: i64, _whence: i32) -> Result<i64> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Emits directory entries from `ctx`'s position on (`getdents()`).
    fn iterate(_file: &LocalFile, _ctx: &mut DirContext) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes the directory back to storage (`fsync()`).
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

/// Where `getdents()` is in a directory, and where entries go
/// (`struct dir_context`).
///
/// # Invariants
///
/// `ctx` is a valid `struct dir_context` of the `iterate_shared` call in
/// progress.
#[repr(transparent)]
pub(crate) struct DirContext {
    ctx: Opaque<bindings::dir_context>,
}

impl DirContext {
    /// Emits `.` and `..` if the position is before them, moving the
    /// position past each. `false` if the caller's buffer is full.
    pub(crate) fn emit_dots(&mut self, file: &LocalFile) -> bool {
        // SAFETY: `file` is the open directory being read and `ctx` its
        // valid context (type invariants). `dir_emit_dots` is a static
        // inline, reached through a one-line C wrapper.
        unsafe { vfs::rnullfs_dir_emit_dots(raw_file(file), self.ctx.get()) }
    }
}

/// The `struct file` behind `file`.
///
/// The same as `file.as_ptr()`, without its call: `LocalFile::as_ptr` goes
/// through `Opaque::get`, which is not inlined across crates, and on a hot
/// path like `lseek()` that call was a tenth of the cost (see README).
#[inline(always)]
fn raw_file(file: &LocalFile) -> *mut bindings::file {
    // `LocalFile` is a `#[repr(transparent)]` wrapper of
    // `Opaque<bindings::file>`, itself a transparent wrapper of the C struct.
    core::ptr::from_ref(file).cast_mut().cast()
}

/// Moves the position of a directory with `size` entries (`SEEK_SET`,
/// `SEEK_CUR`; `SEEK_END` goes to `eof`), refusing positions past `size`.
pub(crate) fn llseek_size(
    file: &LocalFile,
    offset: i64,
    whence: i32,
    size: i64,
    eof: i64,
) -> Result<i64> {
    // SAFETY: `file` is a valid open file; the VFS holds `f_pos_lock` as
    // `generic_file_llseek_size` requires.
    let position =
        unsafe { bindings::generic_file_llseek_size(raw_file(file), offset, whence, size, eof) };
    if position < 0 {
        Err(Error::from_errno(position as c_int))
    } else {
        Ok(position)
    }
}

/// The C tables of directory `T`.
struct DirVTable<T>(PhantomData<T>);

impl<T: Directory> DirVTable<T> {
    const INODE_OPS: bindings::inode_operations = bindings::inode_operations {
        lookup: if T::HAS_LOOKUP {
            Some(lookup::<T>)
        } else {
            None
        },
        setattr: if T::HAS_SETATTR {
            Some(setattr::<T>)
        } else {
            None
        },
        listxattr: if T::HAS_LISTXATTR {
            Some(listxattr::<T>)
        } else {
            None
        },
        ..pin_init::zeroed()
    };

    const FILE_OPS: bindings::file_operations = bindings::file_operations {
        llseek: if T::HAS_LLSEEK {
            Some(llseek::<T>)
        } else {
            None
        },
        read: Some(bindings::generic_read_dir),
        iterate_shared: if T::HAS_ITERATE {
            Some(iterate::<T>)
        } else {
            None
        },
        fsync: if T::HAS_FSYNC { Some(fsync::<T>) } else { None },
        lock: if T::HAS_LOCK { Some(lock::<T>) } else { None },
        flock: if T::HAS_FLOCK { Some(flock::<T>) } else { None },
        fop_flags: if T::IMMUTABLE { vfs::FOP_IMMUTABLE } else { 0 },
        ..pin_init::zeroed()
    };
}

pub(super) const fn inode_ops<T: Directory>() -> &'static bindings::inode_operations {
    &DirVTable::<T>::INODE_OPS
}

pub(super) const fn file_ops<T: Directory>() -> &'static bindings::file_operations {
    &DirVTable::<T>::FILE_OPS
}

/// An errno for a callback that returns `int`.
pub(super) fn errno(result: Result) -> c_int {
    match result {
        Ok(()) => 0,
        Err(error) => error.to_errno(),
    }
}

/// # Safety
///
/// Called by the VFS with a directory inode of `T`, and a dentry under it.
unsafe extern "C" fn lookup<T: Directory>(
    _dir: *mut bindings::inode,
    dentry: *mut bindings::dentry,
    _flags: c_uint,
) -> *mut bindings::dentry {
    // SAFETY: `dentry` is valid; its name does not change during lookup and
    // `d_name.name` points at `d_name.len` bytes.
    let name = unsafe {
        let qstr = &(*dentry).__bindgen_anon_1.d_name;
        BStr::from_bytes(core::slice::from_raw_parts(
            qstr.name,
            qstr.__bindgen_anon_1.__bindgen_anon_1.len as usize,
        ))
    };
    match T::lookup(name) {
        // Negative and not added to the dcache: nothing is remembered.
        Ok(()) => core::ptr::null_mut(),
        Err(error) => error.to_ptr(),
    }
}

/// # Safety
///
/// Called by the VFS with a dentry of a directory of `T` and a valid iattr.
unsafe extern "C" fn setattr<T: Directory>(
    _idmap: *mut bindings::mnt_idmap,
    _dentry: *mut bindings::dentry,
    attr: *mut bindings::iattr,
) -> c_int {
    // SAFETY: `attr` is valid for the call.
    errno(T::setattr(unsafe { Iattr::from_raw(attr) }))
}

/// # Safety
///
/// Called by the VFS with a dentry of a directory of `T`.
unsafe extern "C" fn listxattr<T: Directory>(
    _dentry: *mut bindings::dentry,
    _list: *mut c_char,
    _size: usize,
) -> isize {
    match T::listxattr() {
        Ok(length) => length as isize,
        Err(error) => error.to_errno() as isize,
    }
}

/// # Safety
///
/// Called by the VFS with an open directory of `T`.
unsafe extern "C" fn llseek<T: Directory>(
    file: *mut bindings::file,
    offset: bindings::loff_t,
    whence: c_int,
) -> bindings::loff_t {
    // SAFETY: `file` is open, and stays so for the call.
    let file = unsafe { LocalFile::from_raw_file(file) };
    match T::llseek(file, offset, whence) {
        Ok(position) => position,
        Err(error) => error.to_errno().into(),
    }
}

/// # Safety
///
/// Called by the VFS (`iterate_dir`) with an open directory of `T` and its
/// valid `dir_context`.
unsafe extern "C" fn iterate<T: Directory>(
    file: *mut bindings::file,
    ctx: *mut bindings::dir_context,
) -> c_int {
    // SAFETY: `file` is open for the call.
    let file = unsafe { LocalFile::from_raw_file(file) };
    // SAFETY: `ctx` is valid and ours for the call; `DirContext` is a
    // transparent wrapper of it.
    let ctx = unsafe { &mut *ctx.cast::<DirContext>() };
    errno(T::iterate(file, ctx))
}

/// # Safety
///
/// Called by the VFS with an open directory of `T`.
unsafe extern "C" fn fsync<T: Directory>(
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
/// Called by the VFS with an open directory of `T`.
unsafe extern "C" fn lock<T: Directory>(
    file: *mut bindings::file,
    cmd: c_int,
    _lock: *mut bindings::file_lock,
) -> c_int {
    // SAFETY: `file` is open for the call.
    errno(T::lock(unsafe { LocalFile::from_raw_file(file) }, cmd))
}

/// # Safety
///
/// Called by the VFS with an open directory of `T`.
unsafe extern "C" fn flock<T: Directory>(
    file: *mut bindings::file,
    cmd: c_int,
    _lock: *mut bindings::file_lock,
) -> c_int {
    // SAFETY: `file` is open for the call.
    errno(T::flock(unsafe { LocalFile::from_raw_file(file) }, cmd))
}
