// SPDX-License-Identifier: GPL-2.0

//! failfs (`fs/failfs.c`) in Rust: the filesystem whose every operation
//! fails.
//!
//! One instance, mounted by the kernel at boot and member of no mount
//! namespace. Its root is what the sentinel `FD_FAILFS_ROOT` names, which
//! `fchdir()` and `fchroot()` take (`fs/open.c`): a process whose root or
//! working directory is there can reach nothing through a path. Built into
//! the kernel only (`cfg(rnullfs_failfs)`), in place of `fs/failfs.c`; the
//! layer's `builtin_single_mount!` gives `fs/` the four functions
//! `fs/null_roots.h` declares for it.
//!
//! This is the policy: what each operation does. As for nullfs, the module
//! is compiled under `forbid(unsafe_code)`.

use crate::vfs::{
    eopnotsupp, Directory, FileSystem, FsFlags, Inode, InodeParams, InodeSpec, Mounter, New,
    SuperBlock, SuperParams, MAX_LFS_FILESIZE, PAGE_SHIFT,
};
use kernel::{bindings, prelude::*, str::BStr};

pub(crate) struct FailFs;

/// No flag: the type is never registered, only mounted by the kernel, as
/// `failfs_fs_type`'s `fs_flags` are 0.
pub(crate) const FLAGS: FsFlags = FsFlags {
    disallow_notify: false,
    userns_mount: false,
};

#[vtable]
impl FileSystem for FailFs {
    const NAME: &'static CStr = c"failfs";
    type Options = ();
    type Data = ();

    /// One super block, which every mount of the type shares
    /// (`get_tree_single`): the kernel mounts it once.
    const SINGLE_INSTANCE: bool = true;

    /// What `d_path()` says of it, even at its root: "failfs:/".
    const DENTRY_NAME: Option<&'static CStr> = Some(c"failfs:/");

    #[inline]
    fn init_data(_options: &()) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn super_params(_options: &()) -> SuperParams {
        SuperParams {
            magic: bindings::FAIL_FS_MAGIC,
            blocksize_bits: PAGE_SHIFT,
            max_bytes: MAX_LFS_FILESIZE,
            time_granularity: 1,
            read_only: false,
            no_exec: true,
            no_dev: true,
        }
    }

    #[inline]
    fn init_root(
        _sb: &SuperBlock<(), New>,
        _mounter: Mounter,
        _options: &(),
    ) -> Result<InodeSpec<()>> {
        // failfs supports no operations, and is immutable. A directory with
        // no permission bits at all, owned by the kernel.
        Ok(InodeSpec::directory::<FailDir>(InodeParams {
            ino: 1,
            permissions: 0,
            nlink: 2,
            owner: Mounter::kernel(),
            immutable: true,
            no_atime: false,
        }))
    }

    /// `statfs()` fails.
    #[inline]
    fn statfs(_sb: &SuperBlock<()>) -> Result {
        Err(eopnotsupp())
    }

    /// The root is only ever reached without a walk, by a jump: as "/"
    /// when it is the caller's root, or through `/proc/PID/{root,cwd}`.
    /// `permission` fails every walk of a component, but a jump lands on
    /// the root without one: refused here too, so the root cannot be
    /// pinned by an `O_PATH` open or encoded in a file handle.
    #[inline]
    fn revalidate_jump(_sb: &SuperBlock<()>) -> Result {
        Err(eopnotsupp())
    }
}

/// The root directory, the only inode.
struct FailDir;

#[vtable]
impl Directory for FailDir {
    type Data = ();

    /// Every access fails, and with it every path walk through the root:
    /// a constant answer, given in RCU-walk too, as C's is.
    const REFUSE_ALL_ACCESS: Option<Error> = Some(EOPNOTSUPP);

    /// Unreachable: `permission` already failed the walk.
    #[inline]
    fn lookup(_dir: &Inode<()>, _name: &BStr) -> Result {
        Err(eopnotsupp())
    }

    /// `stat()` fails.
    #[inline]
    fn getattr(_dir: &Inode<()>) -> Result {
        Err(eopnotsupp())
    }
}
