// SPDX-License-Identifier: GPL-2.0

//! rnullfs: Linux's nullfs (`fs/nullfs.c`), in Rust, mountable.
//!
//! An empty, immutable filesystem. Each mount is a new super block whose
//! root is an empty read-only directory (inode 1) or, with `-o file`, an
//! empty regular file (inode 2) that reads as end of file and swallows
//! writes. This file is the policy: what each operation does. The `unsafe`
//! plumbing that wires it into the VFS is in `vfs/`, the one module allowed
//! to use `unsafe`; this module is compiled under `forbid(unsafe_code)`
//! (see the crate root), so it can do only what the layer's safe API
//! allows.
//!
//! Built into the kernel in place of `fs/nullfs.c` (`cfg(rnullfs_intree)`,
//! see `scripts/series`), the same policy is *the* nullfs, and
//! differs only where that role demands: the C name, a super block that is
//! not read-only, no module, and `new_file` for the kernel's file
//! stand-in. [`BUILT_IN`] says which.

use crate::options::{MountOptions, RootKind};
use crate::vfs::{
    DirEmitter, DirSeek, Directory, FileSystem, FsFlags, Fsync, Iattr, Inode, InodeParams,
    InodeSpec, Locks, Mounter, New, OpenFile, ReadBuffer, RegularFile, SpliceRead, SuperBlock,
    SuperParams, MAX_LFS_FILESIZE, PAGE_SHIFT,
};
// What only the module's options and remounts need.
#[cfg(not(rnullfs_intree))]
use crate::{
    options,
    vfs::{Param, ParamRefusal, Reconfigure, Refusal},
};
use kernel::{bindings, fs::Kiocb, iov::IovIterSource, prelude::*};

/// Whether this is the nullfs built into the kernel, rather than the
/// mountable module.
pub(crate) const BUILT_IN: bool = cfg!(rnullfs_intree);

/// The flags of the filesystem type: no inotify or fanotify marks, as in C.
/// The module adds `FS_USERNS_MOUNT` when loaded with `userns_mount=1`.
pub(crate) const FLAGS: FsFlags = FsFlags {
    disallow_notify: true,
    userns_mount: false,
};

pub(crate) struct RNullFs;

#[vtable]
impl FileSystem for RNullFs {
    /// Built in, it is the nullfs, by the C name the kernel's own tests
    /// compare with; the module beside it is rnullfs.
    const NAME: &'static CStr = if BUILT_IN { c"nullfs" } else { c"rnullfs" };
    type Options = MountOptions;
    /// Nothing per super block: a remount reads the root's kind off the root.
    type Data = ();

    // Built in, the kernel mounts nullfs with no parameter and never
    // remounts it (`SB_NOUSER`): the module alone takes options.
    #[cfg(not(rnullfs_intree))]
    fn parse_param(options: &mut MountOptions, param: &Param<'_>) -> Result<(), ParamRefusal> {
        options::parse_param(options, param)
    }

    #[inline]
    fn init_data(_options: &MountOptions) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn super_params(options: &MountOptions) -> SuperParams {
        SuperParams {
            // What `statfs()` says of nullfs: "NULL".
            magic: bindings::NULL_FS_MAGIC,
            blocksize_bits: PAGE_SHIFT,
            max_bytes: MAX_LFS_FILESIZE,
            time_granularity: 1,
            // Nothing in an empty directory can change. A masked file takes
            // writes and drops them, as /dev/null does, so it stays writable.
            // Built in, as in C, the super block is not read-only: the
            // kernel's file stand-in on it takes writes (its root directory
            // is immutable either way).
            read_only: options.root == RootKind::Directory && !BUILT_IN,
            no_exec: true,
            no_dev: true,
        }
    }

    #[inline]
    fn init_root(
        _sb: &SuperBlock<(), New>,
        mounter: Mounter,
        options: &MountOptions,
    ) -> Result<InodeSpec<()>> {
        // The root belongs to whoever mounted it: root for a mount from the
        // initial namespace, as in C; the mounting user for a user-namespace
        // mount, so that a masked file stays writable (writes vanish) for
        // them. Owning it grants nothing: its mode and owner cannot change.
        Ok(match options.root {
            // nullfs is permanently empty, immutable, and reading it leaves
            // no trace either.
            RootKind::Directory => InodeSpec::directory::<EmptyDir>(InodeParams {
                ino: 1,
                permissions: 0o555,
                nlink: 2,
                owner: mounter,
                immutable: true,
                no_atime: true,
            }),
            RootKind::File => InodeSpec::regular_file::<NullFile>(null_file_params(mounter)),
        })
    }

    #[cfg(not(rnullfs_intree))]
    fn reconfigure(
        sb: &SuperBlock<()>,
        request: &Reconfigure,
        options: &MountOptions,
    ) -> Result<(), Refusal> {
        let mounted = if sb.root_inode().is_dir() {
            RootKind::Directory
        } else {
            RootKind::File
        };
        // A remount that leaves `file` out keeps the root as it is; one that
        // asks for `file` cannot turn a mounted directory into a file.
        if options.root == RootKind::File && mounted == RootKind::Directory {
            return Err(Refusal::invalid(
                c"'file' cannot change a mounted directory",
            ));
        }
        if mounted == RootKind::Directory && request.read_only == Some(false) {
            return Err(Refusal {
                error: EROFS,
                message: Some(c"an empty directory is read-only for good"),
            });
        }
        Ok(())
    }
}

/// The root directory: what libfs's `make_empty_dir_inode` gives, plus
/// `FOP_IMMUTABLE`, seeking among its two entries, and the refusal of file
/// locks.
///
/// Each operation is `#[inline]` so that it compiles into the C-ABI
/// callback the VFS calls, as a C filesystem's op is the function itself:
/// without it, `objdump` shows `iterate`, `write_iter` and the file's
/// `setattr` as functions of their own, called from the callback.
struct EmptyDir;

#[vtable]
impl Directory for EmptyDir {
    type Data = ();

    /// Nothing changes, so readdir needs no lock: a reader stuck in a page
    /// fault blocks nobody.
    const IMMUTABLE: bool = true;
    /// Two entries, "." and "..", at offsets 0 and 1.
    const SEEK: DirSeek = DirSeek::Entries(2);
    const FSYNC: Fsync = Fsync::NothingToWrite;
    /// The one root inode is shared by every holder: no locks on it.
    const LOCKS: Locks = Locks::Refused;
    /// nullfs is permanently empty: libfs's empty-directory inode
    /// operations (a lookup finds nothing and caches nothing, attributes
    /// cannot change, no extended attributes), as C's
    /// `make_empty_dir_inode()` gives.
    const EMPTY: bool = true;

    #[inline]
    fn iterate(_dir: &OpenFile<()>, emitter: &mut DirEmitter<'_>) -> Result {
        emitter.emit_dots();
        Ok(())
    }
}

/// The root file of `-o file`, and the built-in nullfs's file stand-in:
/// always at end of file, swallows writes.
struct NullFile;

#[vtable]
impl RegularFile for NullFile {
    type Data = ();

    const FSYNC: Fsync = Fsync::NothingToWrite;
    /// Every holder shares the one file: no locks on it.
    const LOCKS: Locks = Locks::Refused;
    /// Nothing spliced: the end of the file.
    const SPLICE_READ: SpliceRead = SpliceRead::EndOfFile;

    #[inline]
    fn read_iter(
        _file: &OpenFile<()>,
        _kiocb: &mut Kiocb<'_, ()>,
        _to: &mut ReadBuffer<'_, '_>,
    ) -> Result {
        // Nothing read: the end of the file.
        Ok(())
    }

    #[inline]
    fn write_iter(
        _file: &OpenFile<()>,
        _kiocb: &mut Kiocb<'_, ()>,
        from: &mut IovIterSource<'_>,
    ) -> Result {
        // All of it taken, and dropped.
        from.advance(from.len());
        Ok(())
    }

    #[inline]
    fn setattr(_file: &Inode<()>, attr: &Iattr) -> Result {
        // Mode and owner are refused; a size or a time "succeeds" and
        // changes nothing.
        if attr.changes_any(Iattr::MODE | Iattr::UID | Iattr::GID) {
            return Err(EPERM);
        }
        Ok(())
    }
}

/// The null file's attributes, as C's `nullfs_new_file()` gives them: inode
/// 2 (the directory is 1), `rw-rw-rw-`, no access times.
fn null_file_params(owner: Mounter) -> InodeParams {
    InodeParams {
        ino: 2,
        permissions: 0o666,
        nlink: 1,
        owner,
        immutable: false,
        no_atime: true,
    }
}

/// `nullfs_new_file()`: the regular file kernel threads find in place of a
/// file whose mount went away (`knullfs_file`), made on the kernel's own
/// nullfs super block once it is mounted. The layer puts it in an
/// anonymous dentry, never hashed under the root, so no lookup finds it;
/// and the kernel owns it, as in C.
#[cfg(rnullfs_intree)]
pub(crate) fn new_file(_sb: &SuperBlock<()>) -> Result<InodeSpec<()>> {
    Ok(InodeSpec::regular_file::<NullFile>(null_file_params(
        Mounter::kernel(),
    )))
}
