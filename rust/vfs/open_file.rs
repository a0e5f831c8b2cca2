// SPDX-License-Identifier: GPL-2.0

//! Open files as a filesystem's operations see them: [`OpenFile`] (`struct
//! file`) and [`Kiocb`] (`struct kiocb`, one read or write of it).
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h).
//!
//! Both are borrowed for the length of one operation and cannot outlive
//! it: there is no way to keep an open file past the call that was given
//! it. (`kernel::fs::File` is the kernel crate's open file for drivers; this
//! one is typed by the filesystem's data, so its inode leads to it.)

use super::inode::Inode;
use core::marker::PhantomData;
use kernel::{bindings, types::Opaque};

/// An open file of a filesystem whose per-super-block data is a `D`.
///
/// # Invariants
///
/// While a `&OpenFile<D>` exists, the wrapped `struct file` is open (the
/// caller of the operation holds it), its inode is one the layer made on a
/// super block with a `D` in `s_fs_info`, and that super block is mounted.
#[repr(transparent)]
pub struct OpenFile<D> {
    file: Opaque<bindings::file>,
    _data: PhantomData<D>,
}

impl<D> OpenFile<D> {
    /// # Safety
    ///
    /// `file` satisfies the type invariants for `'a`.
    pub(super) unsafe fn from_raw<'a>(file: *mut bindings::file) -> &'a Self {
        // SAFETY: `OpenFile` is a transparent wrapper of `struct file` (its
        // other field is zero-sized); the caller guarantees the invariants.
        unsafe { &*file.cast::<Self>() }
    }

    pub(super) fn as_ptr(&self) -> *mut bindings::file {
        self.file.get()
    }

    /// The inode the file is open on.
    pub fn inode(&self) -> &Inode<D> {
        // SAFETY: `f_inode` is set when the file is opened and never
        // changes; an open file holds its dentry, so the inode, which is the
        // layer's on a mounted super block of `D` (type invariants).
        unsafe { Inode::from_raw((*self.as_ptr()).f_inode) }
    }
}

/// One read or write of an open file (`struct kiocb`): the file and the
/// position the transfer starts at, which the operation moves on.
///
/// # Invariants
///
/// `kiocb` is valid and used by this call alone for `'a`, and its file
/// satisfies the invariants of [`OpenFile<D>`] for `'a`.
pub struct Kiocb<'a, D> {
    kiocb: *mut bindings::kiocb,
    _call: PhantomData<(&'a mut bindings::kiocb, D)>,
}

impl<'a, D> Kiocb<'a, D> {
    /// # Safety
    ///
    /// `kiocb` satisfies the type invariants for `'a`.
    pub(super) unsafe fn from_raw(kiocb: *mut bindings::kiocb) -> Self {
        // INVARIANT: The caller guarantees them.
        Self {
            kiocb,
            _call: PhantomData,
        }
    }

    /// The file being read or written, for the length of the call (so it
    /// can be used while the position is moved on).
    pub fn file(&self) -> &'a OpenFile<D> {
        // SAFETY: `ki_filp` is the open file of the transfer, held for the
        // call, `'a` (type invariants).
        unsafe { OpenFile::from_raw((*self.kiocb).ki_filp) }
    }

    /// The position in the file the transfer starts at, `ki_pos`.
    pub fn position(&self) -> i64 {
        // SAFETY: The kiocb is valid and this call's alone (type invariants).
        unsafe { (*self.kiocb).ki_pos }
    }

    /// The position, to move it on by what was transferred: the VFS takes
    /// it as the file's new position afterwards.
    pub fn position_mut(&mut self) -> &mut i64 {
        // SAFETY: The kiocb is valid and this call's alone (type
        // invariants); the reference borrows `self` mutably.
        unsafe { &mut (*self.kiocb).ki_pos }
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
