// SPDX-License-Identifier: GPL-2.0

//! Dentries: the root of a new super block, the root of a mounted one, and
//! anonymous dentries made on a mounted one. The layer makes each from an
//! [`InodeSpec`] and hands it to C in the same call: none is ever a
//! filesystem's to keep, forget or drop.
//!
//! C header: [`include/linux/dcache.h`](srctree/include/linux/dcache.h).

use super::inode::{Inode, InodeSpec};
use super::super_block::{New, Ready, SuperBlock};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{bindings, prelude::*};

impl<D> SuperBlock<D, New> {
    /// Makes the inode `spec` describes, and the root dentry of this super
    /// block on it, which it sets as `s_root` at once, so a super block
    /// never goes to the VFS without a root, nor gets two, and no
    /// reference to it is ever a filesystem's to keep or forget: 0, or
    /// `-ENOMEM`.
    #[inline]
    pub(super) fn set_root(&self, spec: &InodeSpec<D>) -> c_int {
        let Some(inode) = self.new_inode(spec) else {
            return -(bindings::ENOMEM as c_int);
        };
        // SAFETY: `inode` is a valid inode of this super block whose
        // reference we hand to `d_make_root`, which keeps it in the new
        // dentry or drops it on failure.
        let root = unsafe { bindings::d_make_root(inode.into_raw()) };
        if root.is_null() {
            return -(bindings::ENOMEM as c_int);
        }
        // SAFETY: The super block is ours while `fill_super` runs (type
        // invariants), and has no root yet: `fill_super` calls this once.
        // `s_root` takes the new dentry's one reference.
        unsafe { (*self.as_ptr()).s_root = root };
        0
    }
}

impl<D> SuperBlock<D, Ready> {
    /// The inode of the super block's root.
    pub fn root_inode(&self) -> &Inode<D> {
        // The root inode was made by the layer on this super block, whose
        // data is a `D`, and its dentry `s_root` is set once, by the layer.
        // SAFETY: By the type invariants the super block is mounted, so it
        // has its root dentry, which holds its inode.
        unsafe { Inode::from_raw((*(*self.as_ptr()).s_root).d_inode) }
    }
}

/// A dentry of its own for an inode of a mounted super block: not hashed
/// under any directory, so no lookup finds it. It is what a kernel-internal
/// mount of a single file is rooted on (the built-in nullfs's file stand-in).
///
/// # Invariants
///
/// `dentry` is an anonymous dentry (`d_alloc_anon`) of the super block the
/// value's lifetime belongs to, instantiated with an inode of that super
/// block, on which the value owns one reference.
pub(super) struct AnonDentry<'sb> {
    dentry: NonNull<bindings::dentry>,
    _sb: PhantomData<&'sb ()>,
}

impl Drop for AnonDentry<'_> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: By the type invariants the value owns the reference.
        unsafe { bindings::dput(self.dentry.as_ptr()) };
    }
}

impl AnonDentry<'_> {
    /// Hands the reference over to the caller.
    #[cfg_attr(not(rnullfs_intree), allow(dead_code))]
    #[inline]
    pub(super) fn into_raw(self) -> *mut bindings::dentry {
        let dentry = self.dentry.as_ptr();
        core::mem::forget(self);
        dentry
    }
}

impl<D> SuperBlock<D, Ready> {
    /// Makes the inode `spec` describes, and an anonymous dentry for it.
    #[cfg_attr(not(rnullfs_intree), allow(dead_code))]
    /// `None` if there is no memory for them.
    #[inline]
    pub(super) fn make_anon_dentry(&self, spec: &InodeSpec<D>) -> Option<AnonDentry<'_>> {
        // Dropping it on an error below puts its reference, which frees it.
        let inode = self.new_inode(spec)?;
        // SAFETY: The super block is mounted (type invariants).
        let dentry = NonNull::new(unsafe { bindings::d_alloc_anon(self.as_ptr()) })?;
        // SAFETY: `dentry` is a new negative dentry of this super block and
        // `inode` an inode of it on which we own a reference, which
        // `d_instantiate` moves into the dentry.
        unsafe { bindings::d_instantiate(dentry.as_ptr(), inode.into_raw()) };
        // INVARIANT: An anonymous dentry of this super block, instantiated
        // with an inode of it, whose one reference is ours.
        Some(AnonDentry {
            dentry,
            _sb: PhantomData,
        })
    }
}
