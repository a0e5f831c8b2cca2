// SPDX-License-Identifier: GPL-2.0

//! Inodes: the [`Inode`] an operation is given, and what a new one looks
//! like ([`InodeSpec`], [`InodeParams`]), which the layer makes.
//!
//! A filesystem never holds an inode reference of its own: it describes
//! the inode it wants, and the layer makes it and hands its reference to
//! the dentry that keeps it (the root, or the built-in nullfs's anonymous
//! dentry) in the same call. A reference a filesystem could hold it could
//! also forget (`core::mem::forget` is safe), and one inode forgotten is a
//! busy inode at unmount: `generic_shutdown_super()` reports it through
//! `CHECK_DATA_CORRUPTION`, a `BUG()` on kernels built with
//! `CONFIG_BUG_ON_DATA_CORRUPTION`.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h) (`struct inode`).

use super::super_block::{Ready, SuperBlock};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{bindings, task::Kuid, types::Opaque};

/// An inode of a super block whose per-super-block data is a `D`, as an
/// operation is given it: borrowed for the call, never owned.
///
/// There is no way to take a reference of one's own (no `ARef<Inode>`):
/// an inode kept past its super block's unmount would be put after the
/// super block is gone.
///
/// # Invariants
///
/// While a `&Inode<D>` exists, the wrapped `struct inode` is valid: the
/// caller of the operation holds a reference on it, and the path or file
/// it came by holds the mount. (An access check during an RCU path walk
/// holds neither, so the layer never hands the filesystem an inode there:
/// see the `permission` callback.) Its super block
/// (`i_sb`) is mounted, with a `D` in `s_fs_info` (the layer only makes
/// inodes with a filesystem's operations on that filesystem's super
/// blocks, see [`InodeSpec`]).
#[repr(transparent)]
pub struct Inode<D> {
    inode: Opaque<bindings::inode>,
    _data: PhantomData<D>,
}

impl<D> Inode<D> {
    /// # Safety
    ///
    /// `inode` satisfies the type invariants for `'a`.
    #[inline]
    pub(super) unsafe fn from_raw<'a>(inode: *mut bindings::inode) -> &'a Self {
        // SAFETY: `Inode` is a transparent wrapper of `struct inode` (its
        // other field is zero-sized); the caller guarantees the invariants.
        unsafe { &*inode.cast::<Self>() }
    }

    #[inline]
    fn as_ptr(&self) -> *mut bindings::inode {
        self.inode.get()
    }

    /// The inode number, `st_ino`.
    #[inline]
    pub fn ino(&self) -> u64 {
        // SAFETY: The inode is valid (type invariants) and `i_ino` is set
        // before the inode is first used and never changed.
        unsafe { (*self.as_ptr()).i_ino }
    }

    /// Whether the inode is a directory. An inode's file type never changes.
    #[inline]
    pub fn is_dir(&self) -> bool {
        // A `chmod` on another CPU may write the permission bits while this
        // reads, so the read is a marked one; the file-type bits it looks at
        // are set before the inode is first used and never change.
        // SAFETY: The inode is valid (type invariants), so is the address of
        // its `i_mode`.
        let mode = unsafe { core::ptr::read_volatile(&raw const (*self.as_ptr()).i_mode) };
        u32::from(mode) & bindings::S_IFMT == bindings::S_IFDIR
    }

    /// The super block the inode belongs to, and through it the
    /// filesystem's data ([`SuperBlock::data`]).
    #[inline]
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
    uid: Kuid,
    /// The kernel crate has no `Kgid` yet.
    gid: bindings::kgid_t,
}

impl Mounter {
    /// The kernel itself: the root of the initial user namespace, which
    /// owns what the kernel makes for its own use. It is the owner a C
    /// filesystem's `new_inode()` leaves on an inode (uid and gid 0).
    #[inline]
    pub fn kernel() -> Self {
        Self {
            uid: Kuid::from_raw(bindings::kuid_t { val: 0 }),
            gid: bindings::kgid_t { val: 0 },
        }
    }

    /// The user: the filesystem uid of the mount's credentials.
    #[inline]
    pub fn uid(&self) -> Kuid {
        self.uid
    }

    /// # Safety
    ///
    /// `cred` is a valid `struct cred`.
    #[inline]
    pub(super) unsafe fn from_cred(cred: *const bindings::cred) -> Self {
        // SAFETY: `cred` is valid (the function's requirements); a cred's
        // ids never change once it is shared.
        unsafe {
            Self {
                uid: Kuid::from_raw((*cred).fsuid),
                gid: (*cred).fsgid,
            }
        }
    }
}

/// The attributes of a new inode. Its size and block count are zero, its
/// three times the moment it is made; the file type comes from the kind of
/// inode made.
#[derive(Clone, Copy)]
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

/// What a new inode is: its attributes and its kind, a directory
/// (`InodeSpec::directory`) or a regular file (`InodeSpec::regular_file`)
/// of a filesystem whose per-super-block data is a `D`. Plain data: the
/// layer makes the inode from it, so there is nothing to forget or leak.
pub struct InodeSpec<D> {
    pub(super) params: InodeParams,
    pub(super) kind: InodeKind,
    _data: PhantomData<fn() -> D>,
}

impl<D> InodeSpec<D> {
    /// An inode with `params` of `kind`.
    #[inline(always)]
    pub(super) const fn new(params: InodeParams, kind: InodeKind) -> Self {
        Self {
            params,
            kind,
            _data: PhantomData,
        }
    }
}

/// A new inode made by the layer, with the reference its creation gave,
/// until the layer hands that reference to a dentry; dropping it puts the
/// reference, which frees the inode. Never given to a filesystem.
///
/// # Invariants
///
/// `inode` is a valid inode of the super block of `'sb`, on which the value
/// owns one reference.
pub(super) struct NewInode<'sb> {
    inode: NonNull<bindings::inode>,
    _sb: PhantomData<&'sb ()>,
}

impl NewInode<'_> {
    /// Hands the reference over to the caller.
    #[inline]
    pub(super) fn into_raw(self) -> *mut bindings::inode {
        let inode = self.inode.as_ptr();
        core::mem::forget(self);
        inode
    }
}

impl Drop for NewInode<'_> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: The value owns a reference (type invariants), given back
        // here once.
        unsafe { bindings::iput(self.inode.as_ptr()) };
    }
}

/// The C operation tables of a new inode and its file type: what
/// `InodeSpec::directory` and `InodeSpec::regular_file` choose.
#[derive(Clone, Copy)]
pub(super) struct InodeKind {
    pub(super) file_type: u32,
    pub(super) inode_ops: InodeOps,
    pub(super) file_ops: &'static bindings::file_operations,
}

/// The inode operations of a new inode.
#[derive(Clone, Copy)]
pub(super) enum InodeOps {
    /// A table of the layer's.
    Table(&'static bindings::inode_operations),
    /// libfs's inode operations of an empty directory, which only
    /// `make_empty_dir_inode()` sets (the table is libfs's own, and the
    /// function is not exported to modules): what a `Directory::EMPTY`
    /// directory gets where the layer is built into the kernel, as C's
    /// nullfs's root does, whether the filesystem is built in or a module
    /// over the kernel crate's layer (see `make_libfs_empty_dir`).
    #[cfg(rnullfs_intree)]
    LibfsEmptyDir,
}

impl<D, S> SuperBlock<D, S> {
    /// A new inode of this super block, as `spec` says: on a `New` one while
    /// `fill_super` runs (its root), or on a [`Ready`] one (an inode made
    /// after the mount, such as the file stand-in of the built-in nullfs).
    /// `None` if there is no memory for it.
    #[inline]
    pub(super) fn new_inode(&self, spec: &InodeSpec<D>) -> Option<NewInode<'_>> {
        // SAFETY: By the type invariants the super block is valid, its
        // parameters applied, for as long as `self` is borrowed.
        unsafe { new_inode_on(self.as_ptr(), &spec.params, spec.kind) }
    }
}

/// The body of [`SuperBlock::new_inode`], which depends on neither the
/// filesystem nor the state. `#[inline]`: what a filesystem asks for is
/// usually known at compile time (`init_root`'s constants), and written
/// into the inode in place it costs less than a call that takes it.
///
/// # Safety
///
/// `sb` is a valid super block whose parameters the layer applied, for
/// `'sb`; in the states and with the users [`SuperBlock`]'s invariants
/// describe.
#[inline]
unsafe fn new_inode_on<'sb>(
    sb: *mut bindings::super_block,
    params: &InodeParams,
    kind: InodeKind,
) -> Option<NewInode<'sb>> {
    // SAFETY: `sb` is valid (the function's requirements).
    let inode = NonNull::new(unsafe { bindings::new_inode(sb) })?;
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
        // `new_inode()` starts an inode with one link, the super block's
        // block size, and without `IOP_XATTR` (set only for a super block
        // with `s_xattr` handlers, which the layer never gives one, so the
        // VFS answers every extended-attribute call with `EOPNOTSUPP`).
        let nlink = match kind.inode_ops {
            InodeOps::Table(inode_ops) => {
                (*raw).i_op = inode_ops;
                1
            }
            // First, since it also sets the mode, owner, link count (2)
            // and file operations, which the lines below set as the
            // filesystem asked (C's nullfs, too, sets its own `i_fop`
            // after it).
            #[cfg(rnullfs_intree)]
            InodeOps::LibfsEmptyDir => {
                make_libfs_empty_dir(raw);
                2
            }
        };
        (*raw).i_ino = params.ino;
        (*raw).i_mode = mode as bindings::umode_t;
        (*raw).i_uid = params.owner.uid.into_raw();
        (*raw).i_gid = params.owner.gid;
        if params.nlink != nlink {
            bindings::set_nlink(raw, params.nlink);
        }
        (*raw).__bindgen_anon_3.i_fop = kind.file_ops;
        bindings::simple_inode_init_ts(raw);
        if params.immutable {
            (*raw).i_flags |= bindings::S_IMMUTABLE;
        }
        if params.no_atime {
            (*raw).i_flags |= bindings::S_NOATIME;
        }
    }
    Some(new)
}

/// Makes `inode` libfs's empty directory (`make_empty_dir_inode()`).
///
/// Never inlined: the C function is not exported to modules, so only code
/// built into the kernel may call it. Built in, the layer is the kernel
/// crate's, whose functions a module can call: a module's filesystem,
/// whose copy of the inlined [`new_inode_on`] is its own code, reaches the
/// C function through this one, which stays in the kernel crate.
///
/// # Safety
///
/// `inode` is a new inode that no one else uses yet.
#[cfg(rnullfs_intree)]
#[inline(never)]
unsafe fn make_libfs_empty_dir(inode: *mut bindings::inode) {
    // SAFETY: `inode` is a new inode no one else uses (the function's
    // requirements), which is all `make_empty_dir_inode()` needs.
    unsafe { bindings::make_empty_dir_inode(inode) };
}
