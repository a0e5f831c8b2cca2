// SPDX-License-Identifier: GPL-2.0

//! Open files as a filesystem's operations see them: [`OpenFile`], the
//! kernel crate's [`LocalFile`] typed by the filesystem's data.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h).
//!
//! An operation is given the open file borrowed for the call. It wraps a
//! [`LocalFile`]: the syscall that calls the operation may have skipped
//! `f_pos_lock` (`fdget_pos()` on a file no one else holds), which is sound
//! only on its own thread. What the layer adds is the type of the
//! filesystem's per-super-block data, so that the file's inode, and through
//! it the data, come out typed.
//!
//! It does not hand out the `LocalFile` itself (no `Deref`): from a
//! `&LocalFile` safe code can take an owned reference
//! (`ARef::from(&local_file)`), and one forgotten would pin the file, its
//! mount and the module until reboot. A filesystem that needs more of the
//! file gets it here, as a value. A read or
//! write is also given the kernel crate's [`Kiocb`](kernel::fs::Kiocb), for
//! its position.

use super::inode::Inode;
use core::marker::PhantomData;
use kernel::{bindings, fs::LocalFile};

/// An open file of a filesystem whose per-super-block data is a `D`.
///
/// # Invariants
///
/// While a `&OpenFile<D>` exists, the wrapped file satisfies the invariants
/// of [`LocalFile`], its inode is one the layer made on a super block with a
/// `D` in `s_fs_info`, and that super block is mounted.
#[repr(transparent)]
pub struct OpenFile<D> {
    file: LocalFile,
    _data: PhantomData<D>,
}

impl<D> OpenFile<D> {
    /// # Safety
    ///
    /// `file` satisfies the type invariants for `'a`.
    #[inline]
    pub(super) unsafe fn from_raw<'a>(file: *mut bindings::file) -> &'a Self {
        // SAFETY: `OpenFile` is a transparent wrapper of `LocalFile`, itself
        // one of `struct file` (the other field is zero-sized); the caller
        // guarantees the invariants.
        unsafe { &*file.cast::<Self>() }
    }

    /// The file's open flags (`O_*`, as `fcntl(F_GETFL)` reads them).
    #[inline]
    pub fn flags(&self) -> u32 {
        self.file.flags()
    }

    /// The inode the file is open on.
    #[inline]
    pub fn inode(&self) -> &Inode<D> {
        // SAFETY: `f_inode` is set when the file is opened and never
        // changes; an open file holds its dentry, so the inode, which is the
        // layer's on a mounted super block of `D` (type invariants).
        unsafe { Inode::from_raw((*self.file.as_ptr()).f_inode) }
    }
}

/// Where a seek counts from (`lseek()`'s `whence`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whence {
    /// `SEEK_SET`: from the start.
    Start,
    /// `SEEK_CUR`: from the current position.
    Current,
    /// `SEEK_END`: from the end.
    End,
    /// `SEEK_DATA`: the next data at or after the offset.
    Data,
    /// `SEEK_HOLE`: the next hole at or after the offset.
    Hole,
}

impl Whence {
    /// The `whence` of C, or `None` for a value that is none of them (the
    /// VFS refuses those before calling, but the layer does not rely on it).
    #[inline]
    pub(super) fn from_raw(whence: core::ffi::c_int) -> Option<Self> {
        match whence as u32 {
            bindings::SEEK_SET => Some(Self::Start),
            bindings::SEEK_CUR => Some(Self::Current),
            bindings::SEEK_END => Some(Self::End),
            bindings::SEEK_DATA => Some(Self::Data),
            bindings::SEEK_HOLE => Some(Self::Hole),
            _ => None,
        }
    }
}
