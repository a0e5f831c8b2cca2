// SPDX-License-Identifier: GPL-2.0

//! Inodes: a reference-counted [`Inode`], what a new one looks like
//! ([`InodeParams`]), and making one on a new super block.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h) (`struct inode`).

use super::super_block::{New, SuperBlock};
use super::{dir, file, Directory, RegularFile};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{
    bindings,
    prelude::*,
    sync::aref::{ARef, AlwaysRefCounted},
    types::Opaque,
};

/// An inode, `struct inode`: always reference counted.
///
/// # Invariants
///
/// The wrapped `struct inode` is valid, and its reference count (`i_count`)
/// is above zero, while a `&Inode` exists.
#[repr(transparent)]
pub(crate) struct Inode(Opaque<bindings::inode>);

// SAFETY: An inode is reference counted with `ihold()` and `iput()`, which
// keep it alive until the last reference goes; every `Inode` is one the VFS
// counts (there is no other way to have one).
unsafe impl AlwaysRefCounted for Inode {
    fn inc_ref(&self) {
        // SAFETY: By the type invariants the inode is valid and already has
        // a reference, as `ihold()` requires.
        unsafe { bindings::ihold(self.0.get()) };
    }

    unsafe fn dec_ref(inode: NonNull<Self>) {
        // SAFETY: The caller owns a reference, which it hands over here.
        unsafe { bindings::iput(inode.as_ptr().cast()) };
    }
}

/// Who owns the inodes of a new super block: the user that is mounting it
/// (the filesystem uid and gid of the mount context's credentials).
///
/// Only the layer makes one, from the context being mounted.
#[derive(Clone, Copy)]
pub(crate) struct Mounter {
    uid: bindings::kuid_t,
    gid: bindings::kgid_t,
}

impl Mounter {
    /// # Safety
    ///
    /// `cred` is a valid `struct cred`.
    pub(super) unsafe fn from_cred(cred: *const bindings::cred) -> Self {
        // SAFETY: `cred` is valid (the function's requirements); a cred's
        // ids never change once it is shared.
        unsafe {
            Self {
                uid: (*cred).fsuid,
                gid: (*cred).fsgid,
            }
        }
    }
}

/// The attributes of a new inode. Its size and block count are zero, its
/// three times the moment it is made; the file type comes from the kind of
/// inode made.
pub(crate) struct InodeParams {
    /// The inode number, `st_ino`.
    pub(crate) ino: u64,
    /// The permission bits (`0o555`); only the low twelve bits
    /// (`0o7777`) are taken.
    pub(crate) permissions: u16,
    /// The link count, `st_nlink`.
    pub(crate) nlink: u32,
    /// The owner.
    pub(crate) owner: Mounter,
    /// `S_IMMUTABLE`: the VFS refuses every change to the inode with `EPERM`
    /// (and `access(W_OK)`), before asking the filesystem.
    pub(crate) immutable: bool,
    /// `S_NOATIME`: reading never updates the access time.
    pub(crate) no_atime: bool,
}

/// A new inode of the super block being filled, with the reference its
/// creation gave; dropping it drops the inode. Its lifetime is the super
/// block's `fill_super`, so it cannot outlive it or reach another one.
pub(crate) struct NewInode<'sb> {
    pub(super) inode: ARef<Inode>,
    _sb: PhantomData<&'sb ()>,
}

impl<D> SuperBlock<D, New> {
    /// A new directory inode whose operations are `T`'s.
    pub(crate) fn new_dir_inode<T: Directory>(&self, params: &InodeParams) -> Result<NewInode<'_>> {
        self.new_inode(
            params,
            bindings::S_IFDIR,
            dir::inode_ops::<T>(),
            dir::file_ops::<T>(),
        )
    }

    /// A new regular-file inode whose operations are `T`'s.
    pub(crate) fn new_file_inode<T: RegularFile>(
        &self,
        params: &InodeParams,
    ) -> Result<NewInode<'_>> {
        self.new_inode(
            params,
            bindings::S_IFREG,
            file::inode_ops::<T>(),
            file::file_ops::<T>(),
        )
    }

    fn new_inode(
        &self,
        params: &InodeParams,
        file_type: u32,
        inode_ops: &'static bindings::inode_operations,
        file_ops: &'static bindings::file_operations,
    ) -> Result<NewInode<'_>> {
        // SAFETY: By the type invariants the super block is valid, its
        // parameters applied.
        let inode = unsafe { bindings::new_inode(self.as_ptr()) };
        let inode = NonNull::new(inode).ok_or(ENOMEM)?;
        // The permission bits only: a file-type bit here would change the
        // inode's type under the operations chosen for it.
        let mode = file_type | (u32::from(params.permissions) & 0o7777);
        // SAFETY: `new_inode` returned a valid inode with one reference,
        // which nobody else can see yet.
        unsafe {
            let raw = inode.as_ptr();
            (*raw).i_ino = params.ino;
            (*raw).i_mode = mode as bindings::umode_t;
            (*raw).i_uid = params.owner.uid;
            (*raw).i_gid = params.owner.gid;
            bindings::set_nlink(raw, params.nlink);
            (*raw).i_blkbits = (*self.as_ptr()).s_blocksize_bits;
            (*raw).i_op = inode_ops;
            (*raw).__bindgen_anon_3.i_fop = file_ops;
            // No extended attributes: the VFS answers EOPNOTSUPP itself.
            (*raw).i_opflags &= !(bindings::IOP_XATTR as u16);
            bindings::simple_inode_init_ts(raw);
            if params.immutable {
                (*raw).i_flags |= bindings::S_IMMUTABLE;
            }
            if params.no_atime {
                (*raw).i_flags |= bindings::S_NOATIME;
            }
        }
        Ok(NewInode {
            // SAFETY: The reference `new_inode` gave is ours to own, and
            // `Inode` is a transparent wrapper of `struct inode`.
            inode: unsafe { ARef::from_raw(inode.cast()) },
            _sb: PhantomData,
        })
    }
}
