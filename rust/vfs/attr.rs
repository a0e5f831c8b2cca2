// SPDX-License-Identifier: GPL-2.0

//! Attribute changes (`setattr`) a filesystem is asked to make to an inode,
//! and the one `setattr` callback every kind of inode shares.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h) (`struct iattr`).

use super::error::{errno, Op};
use super::inode::Inode;
use kernel::{bindings, prelude::*, types::Opaque};

/// An attribute change asked of an inode (`chmod`, `chown`, `truncate`,
/// `utimes`...), `struct iattr`.
///
/// # Invariants
///
/// `attr` is a valid `struct iattr` for the lifetime of the reference.
#[repr(transparent)]
pub struct Iattr {
    attr: Opaque<bindings::iattr>,
}

impl Iattr {
    /// `ATTR_MODE`: the permission bits.
    pub const MODE: u32 = bindings::ATTR_MODE;
    /// `ATTR_UID`: the owner.
    pub const UID: u32 = bindings::ATTR_UID;
    /// `ATTR_GID`: the group.
    pub const GID: u32 = bindings::ATTR_GID;

    /// # Safety
    ///
    /// `attr` is a valid `struct iattr` for `'a`, and nothing writes to it
    /// during `'a`.
    #[inline]
    unsafe fn from_raw<'a>(attr: *mut bindings::iattr) -> &'a Self {
        // SAFETY: `Iattr` is a transparent wrapper of `struct iattr`, which
        // is valid and unchanging for `'a` by the function's requirements;
        // this is the invariant.
        unsafe { &*attr.cast::<Self>() }
    }

    /// Whether the change touches any of the attributes in `mask`
    /// (a union of [`Iattr::MODE`], [`Iattr::UID`], ...).
    #[inline]
    pub fn changes_any(&self, mask: u32) -> bool {
        // SAFETY: By the type invariants `attr` is valid and not written.
        let valid = unsafe { (*self.attr.get()).ia_valid };
        valid & mask != 0
    }
}

/// What a kind of inode (a [`Directory`] or a [`RegularFile`]) does on
/// `setattr`: implemented by the layer's table of each, so that one
/// callback serves both.
///
/// [`Directory`]: super::Directory
/// [`RegularFile`]: super::RegularFile
pub(super) trait SetattrOp {
    /// The per-super-block data of the filesystem.
    type Data;

    /// The filesystem's `setattr`.
    fn setattr(inode: &Inode<Self::Data>, attr: &Iattr) -> Result;
}

/// `inode_operations.setattr`, for the inodes whose operations are `H`'s.
///
/// # Safety
///
/// Called by the VFS (`notify_change`) with a positive dentry of an inode
/// whose operations are `H`'s, which it holds (and locks) for the call, and
/// an iattr valid and unchanging for the call.
pub(super) unsafe extern "C" fn setattr<H: SetattrOp>(
    _idmap: *mut bindings::mnt_idmap,
    dentry: *mut bindings::dentry,
    attr: *mut bindings::iattr,
) -> c_int {
    // SAFETY: The dentry is valid and positive for the call, its inode held
    // by the caller; an inode with `H`'s operations was made by the layer on
    // a super block of `H`'s filesystem, mounted while the VFS changes it.
    let inode = unsafe { Inode::from_raw((*dentry).d_inode) };
    // SAFETY: `attr` is valid and unchanging for the call.
    let attr = unsafe { Iattr::from_raw(attr) };
    let result = H::setattr(inode, attr);
    errno(Op::Setattr, inode.super_block().type_head(), result)
}
