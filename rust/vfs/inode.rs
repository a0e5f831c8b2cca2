// SPDX-License-Identifier: GPL-2.0

//! Inodes: the [`Inode`] an operation is given, what a new one looks like
//! ([`InodeParams`]), and making one on a new super block.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h) (`struct inode`).

use super::super_block::{Ready, SuperBlock};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{bindings, prelude::*, types::Opaque};

/// An inode of a super block whose per-super-block data is a `D`, as an
/// operation is given it: borrowed for the call, never owned.
///
/// There is no way to take a reference of one's own (no `ARef<Inode>`):
/// an inode kept past its super block's unmount would be put after the
/// super block is gone.
///
/// # Invariants
///
/// While a `&Inode<D>` exists, the wrapped `struct inode` is valid and has
/// a reference held by the caller of the operation, and its super block
/// (`i_sb`) is mounted, with a `D` in `s_fs_info` (the layer only makes
/// inodes with a filesystem's operations on that filesystem's super
/// blocks, see [`SuperBlock::new_dir_inode`]).
#[repr(transparent)]
pub struct Inode<D> {
    inode: Opaque<bindings::inode>,
    _data: PhantomData<D>,
}

impl<D> Inode<D> {
    /// # Safety
    ///
    /// `inode` satisfies the type invariants for `'a`.
    pub(super) unsafe fn from_raw<'a>(inode: *mut bindings::inode) -> &'a Self {
        // SAFETY: `Inode` is a transparent wrapper of `struct inode` (its
        // other field is zero-sized); the caller guarantees the invariants.
        unsafe { &*inode.cast::<Self>() }
    }

    fn as_ptr(&self) -> *mut bindings::inode {
        self.inode.get()
    }

    /// The inode number, `st_ino`.
    pub fn ino(&self) -> u64 {
        // SAFETY: The inode is valid (type invariants) and `i_ino` is set
        // before the inode is first used and never changed.
        unsafe { (*self.as_ptr()).i_ino }
    }

    /// Whether the inode is a directory. An inode's file type never changes.
    pub fn is_dir(&self) -> bool {
        // SAFETY: The inode is valid (type invariants); the file-type bits
        // of `i_mode` are set before the inode is first used and never
        // change (a `chmod` changes only the permission bits).
        let mode = unsafe { (*self.as_ptr()).i_mode };
        u32::from(mode) & bindings::S_IFMT == bindings::S_IFDIR
    }

    /// The super block the inode belongs to, and through it the
    /// filesystem's data ([`SuperBlock::data`]).
    pub fn super_block(&self) -> &SuperBlock<D, Ready> {
        // SAFETY: `i_sb` never changes and, by the type invariants, is a
        // mounted super block of the filesystem, with its data, for as long
        // as the caller holds the inode (which `&self` borrows).
        unsafe { SuperBlock::from_raw((*self.as_ptr()).i_sb) }
    }
}

/// Who owns the inodes of a new super block: the user that is mounting it
/// (the filesystem uid and gid of the mount context's credentials).
///
/// The layer makes one from the context being mounted;
/// [`Mounter::kernel`] is the kernel's own.
#[derive(Clone, Copy)]
pub struct Mounter {
    uid: bindings::kuid_t,
    gid: bindings::kgid_t,
}

impl Mounter {
    /// The kernel itself: the root of the initial user namespace, which
    /// owns what the kernel makes for its own use. It is the owner a C
    /// filesystem's `new_inode()` leaves on an inode (uid and gid 0).
    pub const fn kernel() -> Self {
        Self {
            uid: bindings::kuid_t { val: 0 },
            gid: bindings::kgid_t { val: 0 },
        }
    }

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
pub struct InodeParams {
    /// The inode number, `st_ino`.
    pub ino: u64,
    /// The permission bits (`0o555`); only the low twelve bits
    /// (`0o7777`) are taken.
    pub permissions: u16,
    /// The link count, `st_nlink`.
    pub nlink: u32,
    /// The owner.
    pub owner: Mounter,
    /// `S_IMMUTABLE`: the VFS refuses every change to the inode with `EPERM`
    /// (and `access(W_OK)`), before asking the filesystem.
    pub immutable: bool,
    /// `S_NOATIME`: reading never updates the access time.
    pub no_atime: bool,
}

/// A new inode of the super block being filled, with the reference its
/// creation gave; dropping it puts that reference, which frees the inode.
/// Its lifetime is the super block's `fill_super`, so it cannot outlive it
/// or reach another one.
///
/// # Invariants
///
/// `inode` is a valid inode of the super block of `'sb`, on which the value
/// owns one reference.
pub struct NewInode<'sb> {
    inode: NonNull<bindings::inode>,
    _sb: PhantomData<&'sb ()>,
}

impl NewInode<'_> {
    /// The super block the inode belongs to, for comparison only.
    pub(super) fn super_block_ptr(&self) -> *mut bindings::super_block {
        // SAFETY: The inode is valid (type invariants); `i_sb` never changes.
        unsafe { (*self.inode.as_ptr()).i_sb }
    }

    /// Hands the reference over to the caller.
    pub(super) fn into_raw(self) -> *mut bindings::inode {
        let inode = self.inode.as_ptr();
        core::mem::forget(self);
        inode
    }
}

impl Drop for NewInode<'_> {
    fn drop(&mut self) {
        // SAFETY: The value owns a reference (type invariants), given back
        // here once.
        unsafe { bindings::iput(self.inode.as_ptr()) };
    }
}

/// The C operation tables of a new inode and its file type: what
/// [`SuperBlock::new_dir_inode`] and [`SuperBlock::new_file_inode`] pass.
pub(super) struct InodeKind {
    pub(super) file_type: u32,
    pub(super) inode_ops: &'static bindings::inode_operations,
    pub(super) file_ops: &'static bindings::file_operations,
}

impl<D, S> SuperBlock<D, S> {
    /// A new inode of this super block, of `kind`: on a `New` one while
    /// `fill_super` runs (its root), or on a [`Ready`] one (an inode made
    /// after the mount, such as the file stand-in of the built-in nullfs).
    pub(super) fn new_inode(&self, params: &InodeParams, kind: InodeKind) -> Result<NewInode<'_>> {
        // SAFETY: By the type invariants the super block is valid, its
        // parameters applied.
        let inode = unsafe { bindings::new_inode(self.as_ptr()) };
        let inode = NonNull::new(inode).ok_or(ENOMEM)?;
        // INVARIANT: `new_inode` gave one reference, which the value owns;
        // dropping it on an error below frees the inode.
        let new = NewInode {
            inode,
            _sb: PhantomData,
        };
        // The permission bits only: a file-type bit here would change the
        // inode's type under the operations chosen for it.
        let mode = kind.file_type | (u32::from(params.permissions) & 0o7777);
        // `new_inode` has put the inode on the super block's list of inodes
        // (`s_inodes`), but nothing else reads the fields written below. On
        // a `New` super block no walker of `s_inodes` looks inside it at
        // all: it is not `SB_BORN` and the mount holds its `s_umount` for
        // writing. On a `Ready` one the walkers (writeback, drop_caches,
        // fsnotify and Landlock at unmount, `evict_inodes`) read only an
        // inode's state, reference count and mapping, under its `i_lock`,
        // which `new_inode` initialised; none reads its number, mode,
        // owner, link count, operations or flags. No dentry refers to the
        // inode yet, so no lookup or open reaches it either.
        // SAFETY: The inode is valid and, as above, no one else uses it yet.
        unsafe {
            let raw = inode.as_ptr();
            (*raw).i_ino = params.ino;
            (*raw).i_mode = mode as bindings::umode_t;
            (*raw).i_uid = params.owner.uid;
            (*raw).i_gid = params.owner.gid;
            bindings::set_nlink(raw, params.nlink);
            (*raw).i_blkbits = (*self.as_ptr()).s_blocksize_bits;
            (*raw).i_op = kind.inode_ops;
            (*raw).__bindgen_anon_3.i_fop = kind.file_ops;
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
        Ok(new)
    }
}
