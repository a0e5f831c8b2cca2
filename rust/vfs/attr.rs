// SPDX-License-Identifier: GPL-2.0

//! Attribute changes (`setattr`) a filesystem is asked to make to an inode.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h) (`struct iattr`).

use kernel::{bindings, types::Opaque};

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
    /// `attr` is a valid `struct iattr` for `'a`, and nothing writes to it
    /// during `'a`.
    pub(super) unsafe fn from_raw<'a>(attr: *mut bindings::iattr) -> &'a Self {
        // SAFETY: `Iattr` is a transparent wrapper of `struct iattr`, which
        // is valid and unchanging for `'a` by the function's requirements;
        // this is the invariant.
        unsafe { &*attr.cast::<Self>() }
    }

    /// Whether the change touches any of the attributes in `mask`
    /// (a union of [`Iattr::MODE`], [`Iattr::UID`], ...).
    pub(crate) fn changes_any(&self, mask: u32) -> bool {
        // SAFETY: By the type invariants `attr` is valid and not written.
        let valid = unsafe { (*self.attr.get()).ia_valid };
        valid & mask != 0
    }
}
