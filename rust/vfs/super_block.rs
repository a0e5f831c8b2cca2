// SPDX-License-Identifier: GPL-2.0

//! Super blocks: filling a new one, and looking at a mounted one.
//!
//! C header: [`include/linux/fs/super_types.h`](srctree/include/linux/fs/super_types.h).

use super::bindings as vfs;
use super::{context, dir, file, Directory, FileSystem, InodeParams, RegularFile};
use core::{marker::PhantomData, mem::ManuallyDrop};
use kernel::{bindings, error::from_result, prelude::*};

/// The parameters of a new super block.
pub(crate) struct SuperParams {
    /// `s_magic`, what `statfs()` reports as `f_type`.
    pub(crate) magic: u32,
    /// `log2(s_blocksize)`, what `statfs()` reports as `f_bsize`.
    pub(crate) blocksize_bits: u8,
    /// `s_maxbytes`, the largest file size.
    pub(crate) max_bytes: i64,
    /// `s_time_gran`, in nanoseconds.
    pub(crate) time_granularity: u32,
    /// `SB_RDONLY`: the super block refuses every write.
    pub(crate) read_only: bool,
    /// `SB_I_NOEXEC`: nothing on it can be executed, whatever the mount says.
    pub(crate) no_exec: bool,
    /// `SB_I_NODEV`: no device node on it can be opened.
    pub(crate) no_dev: bool,
}

/// The super block operations: only `statfs`, answered by `simple_statfs`
/// (magic, block size, name length; no blocks, no files).
const SUPER_OPS: bindings::super_operations = bindings::super_operations {
    statfs: Some(bindings::simple_statfs),
    ..pin_init::zeroed()
};

/// A new inode of a super block being filled: one reference, dropped with
/// `iput` unless it is given to [`NewSuperBlock::set_root`].
///
/// # Invariants
///
/// `inode` is a valid inode on which this value owns a reference.
pub(crate) struct NewInode {
    inode: *mut bindings::inode,
}

impl Drop for NewInode {
    fn drop(&mut self) {
        // SAFETY: By the type invariants this value owns a reference.
        unsafe { bindings::iput(self.inode) };
    }
}

/// A super block between its creation and its first mount.
///
/// # Invariants
///
/// `sb` is a valid super block that `get_tree_nodev` has just created and
/// locked, passed to `fill_super`; nothing else uses it until `fill_super`
/// returns. `fc` is the valid context it is being created from.
pub(crate) struct NewSuperBlock<'a> {
    sb: *mut bindings::super_block,
    fc: *mut vfs::fs_context,
    _filling: PhantomData<&'a mut bindings::super_block>,
}

impl NewSuperBlock<'_> {
    /// Sets the parameters of the super block. Call it before creating
    /// inodes: they take their block size from it.
    pub(crate) fn set_params(&mut self, params: &SuperParams) {
        let sb = self.sb;
        // SAFETY: By the type invariants `sb` is valid and ours alone.
        unsafe {
            (*sb).s_magic = params.magic as c_ulong;
            (*sb).s_blocksize_bits = params.blocksize_bits;
            (*sb).s_blocksize = 1 << params.blocksize_bits;
            (*sb).s_maxbytes = params.max_bytes;
            (*sb).s_time_gran = params.time_granularity;
            (*sb).s_op = &SUPER_OPS;
            if params.read_only {
                (*sb).s_flags |= vfs::SB_RDONLY as c_ulong;
            }
            if params.no_exec {
                (*sb).s_iflags |= bindings::SB_I_NOEXEC as c_ulong;
            }
            if params.no_dev {
                (*sb).s_iflags |= bindings::SB_I_NODEV as c_ulong;
            }
        }
    }

    /// A new directory inode whose operations are `D`'s.
    pub(crate) fn new_dir_inode<D: Directory>(&mut self, params: &InodeParams) -> Result<NewInode> {
        self.new_inode(
            params,
            bindings::S_IFDIR,
            dir::inode_ops::<D>(),
            dir::file_ops::<D>(),
        )
    }

    /// A new regular-file inode whose operations are `F`'s.
    pub(crate) fn new_file_inode<F: RegularFile>(
        &mut self,
        params: &InodeParams,
    ) -> Result<NewInode> {
        self.new_inode(
            params,
            bindings::S_IFREG,
            file::inode_ops::<F>(),
            file::file_ops::<F>(),
        )
    }

    fn new_inode(
        &mut self,
        params: &InodeParams,
        file_type: u32,
        inode_ops: &'static bindings::inode_operations,
        file_ops: &'static bindings::file_operations,
    ) -> Result<NewInode> {
        // SAFETY: `sb` is valid by the type invariants.
        let inode = unsafe { bindings::new_inode(self.sb) };
        if inode.is_null() {
            return Err(ENOMEM);
        }
        // INVARIANT: `new_inode` returned an inode with one reference: ours.
        let new = NewInode { inode };
        // SAFETY: The inode is new and not yet visible to anyone else.
        unsafe {
            (*inode).i_ino = params.ino;
            (*inode).i_mode = (file_type | u32::from(params.permissions)) as bindings::umode_t;
            // The mounter owns it. `fc` is valid (type invariants) and its cred holds the mounter's
            // credentials for the whole life of the context.
            let cred = (*self.fc).cred;
            (*inode).i_uid = (*cred).fsuid;
            (*inode).i_gid = (*cred).fsgid;
            bindings::set_nlink(inode, params.nlink);
            (*inode).i_blkbits = (*self.sb).s_blocksize_bits;
            (*inode).i_op = inode_ops;
            (*inode).__bindgen_anon_3.i_fop = file_ops;
            // No extended attributes: the VFS answers EOPNOTSUPP itself.
            (*inode).i_opflags &= !(bindings::IOP_XATTR as u16);
            bindings::simple_inode_init_ts(inode);
            if params.immutable {
                (*inode).i_flags |= bindings::S_IMMUTABLE;
            }
            if params.no_atime {
                (*inode).i_flags |= bindings::S_NOATIME;
            }
        }
        Ok(new)
    }

    /// Makes `inode` the root of the super block.
    pub(crate) fn set_root(&mut self, inode: NewInode) -> Result {
        // `d_make_root` takes over the inode's reference, even when it fails.
        let inode = ManuallyDrop::new(inode);
        // SAFETY: `inode.inode` is a valid inode whose reference we own and
        // hand over; `sb` is valid by the type invariants.
        unsafe {
            let root = bindings::d_make_root(inode.inode);
            if root.is_null() {
                return Err(ENOMEM);
            }
            (*self.sb).s_root = root;
        }
        Ok(())
    }
}

/// `fill_super` for `get_tree_nodev`: a new super block for a context of `T`.
///
/// # Safety
///
/// Called by `get_tree_nodev` with the new super block and a valid context
/// set up by `init_fs_context::<T>`.
pub(super) unsafe extern "C" fn fill_super<T: FileSystem>(
    sb: *mut bindings::super_block,
    fc: *mut vfs::fs_context,
) -> c_int {
    // INVARIANT: `sb` is new, locked, and ours for this call; `fc` is valid.
    let mut new = NewSuperBlock {
        sb,
        fc,
        _filling: PhantomData,
    };
    // SAFETY: `fc` is a valid context of `T`.
    let options = unsafe { context::options_of::<T>(fc) };
    // On failure the VFS tears the super block down (`kill_sb`), root and all.
    from_result(|| T::fill_super(&mut new, options).map(|()| 0))
}

/// A mounted super block, seen while the VFS holds it.
///
/// # Invariants
///
/// `sb` is a valid super block with a root, alive for `'a`.
pub(crate) struct SuperBlock<'a> {
    sb: *mut bindings::super_block,
    _alive: PhantomData<&'a bindings::super_block>,
}

impl SuperBlock<'_> {
    /// # Safety
    ///
    /// `sb` is a valid super block with a root, alive while the result is.
    pub(super) unsafe fn from_raw(sb: *mut bindings::super_block) -> Self {
        // INVARIANT: By the function's requirements.
        Self {
            sb,
            _alive: PhantomData,
        }
    }

    /// Whether the root of the super block is a directory.
    pub(crate) fn root_is_dir(&self) -> bool {
        // SAFETY: By the type invariants `sb` and its root dentry are valid,
        // and a root dentry always has an inode, whose mode never changes.
        let mode = unsafe { (*(*(*self.sb).s_root).d_inode).i_mode };
        u32::from(mode) & bindings::S_IFMT == bindings::S_IFDIR
    }
}
