// SPDX-License-Identifier: GPL-2.0

//! Inodes: what a new one looks like, and the attribute changes
//! (`setattr`) a filesystem is asked to make to one.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h) (`struct inode`, `struct iattr`).

use kernel::{bindings, types::Opaque};

/// The attributes of a new inode. Its owner is whoever made the mount (the
/// filesystem uid and gid of `fc->cred`), its size and block count are zero,
/// its three times the moment it is made.
pub(crate) struct InodeParams {
    /// The inode number, `st_ino`.
    pub(crate) ino: u64,
    /// The permission bits (`0o555`); the file type comes from the kind of
    /// inode made.
    pub(crate) permissions: u16,
    /// The link count, `st_nlink`.
    pub(crate) nlink: u32,
    /// `S_IMMUTABLE`: the VFS refuses every change to the inode with `EPERM`
    /// (and `access(W_OK)`), before asking the filesystem.
    pub(crate) immutable: bool,
    /// `S_NOATIME`: reading never updates the access time.
    pub(crate) no_atime: bool,
}

/// An attribute change asked of an inode (`chmod`, `chown`, `truncate`,
/// `utimes`...), `struct iattr`.
///
/// # Invariants
///
/// `attr` is a valid `struct iattr` for the lifetime of the reference.
#[repr(transparent)]
pub(crate) struct Iattr {
    attr: Opaque<bindings::iattr>,
}

impl Iattr {
    /// `ATTR_MODE`: the permission bits.
    pub(crate) const MODE: u32 = bindings::ATTR_MODE;
    /// `ATTR_UID`: the owner.
    pub(crate) const UID: u32 = bindings::ATTR_UID;
    /// `ATTR_GID`: the group.
    pub(crate) const GID: u32 = bindings::ATTR_GID;

    /// # Safety
    ///
    /// `attr` is a valid `struct iattr` for `'a`.
    pub(super) unsafe fn from_raw<'a>(attr: *mut bindings::iattr) -> &'a Self {
        // SAFETY: `Iattr` is a transparent wrapper of `struct iattr`, which
        // is valid for `'a` by the function's requirements.
        unsafe { &*attr.cast::<Self>() }
    }

    /// Whether the change touches any of the attributes in `mask`
    /// (a union of [`Iattr::MODE`], [`Iattr::UID`], ...).
    pub(crate) fn changes_any(&self, mask: u32) -> bool {
        // SAFETY: By the type invariants `attr` is valid.
        let valid = unsafe { (*self.attr.get()).ia_valid };
        valid & mask != 0
    }
}
