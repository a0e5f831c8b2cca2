// SPDX-License-Identifier: GPL-2.0

//! Dentries: the root of a new super block, and the root of a mounted one.
//!
//! C header: [`include/linux/dcache.h`](srctree/include/linux/dcache.h).

use super::inode::{Inode, NewInode};
use super::super_block::{New, Ready, SuperBlock};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{bindings, prelude::*};

/// The root dentry of the super block being filled: what `init_root` must
/// return, and the only way to give a super block its root. The layer sets
/// it as `s_root` once `init_root` has returned it, so a super block never
/// goes to the VFS without a root, nor gets two.
///
/// # Invariants
///
/// `dentry` is a root dentry (`d_make_root`) of the super block the value's
/// lifetime belongs to, on which the value owns the one reference.
pub struct Root<'sb> {
    dentry: NonNull<bindings::dentry>,
    _sb: PhantomData<&'sb ()>,
}

impl Drop for Root<'_> {
    fn drop(&mut self) {
        // A root made but not returned: give its reference back, which
        // frees the dentry and its inode.
        // SAFETY: By the type invariants the value owns the reference.
        unsafe { bindings::dput(self.dentry.as_ptr()) };
    }
}

impl Root<'_> {
    /// Hands the reference over to the caller, who makes it `s_root`.
    pub(super) fn into_raw(self) -> *mut bindings::dentry {
        let dentry = self.dentry.as_ptr();
        core::mem::forget(self);
        dentry
    }
}

impl<D> SuperBlock<D, New> {
    /// Makes `inode` the root dentry of this super block. `EINVAL` if the
    /// inode is another super block's.
    pub fn make_root<'sb>(&'sb self, inode: NewInode<'sb>) -> Result<Root<'sb>> {
        let raw = inode.into_raw();
        // SAFETY: `raw` is a valid inode on which we own a reference.
        if unsafe { (*raw).i_sb } != self.as_ptr() {
            // SAFETY: We own the reference and drop it.
            unsafe { bindings::iput(raw) };
            return Err(EINVAL);
        }
        // SAFETY: `raw` is a valid inode of this super block whose
        // reference we hand to `d_make_root`, which keeps it in the new
        // dentry or drops it on failure.
        let dentry = unsafe { bindings::d_make_root(raw) };
        // INVARIANT: `d_make_root` returned a root dentry of this super
        // block with one reference, ours.
        Ok(Root {
            dentry: NonNull::new(dentry).ok_or(ENOMEM)?,
            _sb: PhantomData,
        })
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
