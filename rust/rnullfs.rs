// SPDX-License-Identifier: GPL-2.0

//! rnullfs: Linux's nullfs (`fs/nullfs.c`), in Rust, mountable.
//!
//! An empty, immutable filesystem. Each mount is a new super block whose
//! root is an empty read-only directory (inode 1) or, with `-o file`, an
//! empty regular file (inode 2) that reads as end of file and swallows
//! writes. This file is the policy: what each operation does. The `unsafe`
//! plumbing that wires it into the VFS is in `vfs/`.

use kernel::{
    bindings, fs::LocalFile, iov::IovIterDest, iov::IovIterSource, prelude::*, str::BStr,
};

mod compat;
mod options;
mod vfs;

use options::{MountOptions, RootKind};
use vfs::{
    DirContext, Directory, FileSystem, FsFlags, Iattr, InodeParams, NewSuperBlock, Param,
    Reconfigure, Refusal, Registration, RegularFile, SuperBlock, SuperParams,
};

/// The module, with its one parameter typed as the kernel crate allows: a
/// `bool` (Linux 7.3), or a `u8` (7.2, where `module!` takes no `bool`).
/// `compat::userns_mount()` reads it.
macro_rules! rnullfs_module {
    ($param_type:ident, $default:tt) => {
        module! {
            type: RNullFsModule,
            name: "rnullfs",
            authors: ["rnullfs developers"],
            description: "nullfs, the empty immutable filesystem, in Rust and mountable",
            license: "GPL",
            params: {
                userns_mount: $param_type {
                    default: $default,
                    description: "Let the owner of a user namespace mount rnullfs (FS_USERNS_MOUNT)",
                },
            },
        }
    };
}
#[cfg(rnullfs_bool_params)]
rnullfs_module!(bool, false);
#[cfg(not(rnullfs_bool_params))]
rnullfs_module!(u8, 0);

struct RNullFs;

impl FileSystem for RNullFs {
    const NAME: &'static CStr = c"rnullfs";
    type Options = MountOptions;

    fn parse_param(options: &mut MountOptions, param: &Param<'_>) -> Result<(), Refusal> {
        options::parse_param(options, param)
    }

    fn fill_super(sb: &mut NewSuperBlock<'_>, options: &MountOptions) -> Result {
        // The root belongs to whoever mounted it: root for a mount from the
        // initial namespace, as in C; the mounting user for a user-namespace
        // mount, so that a masked file stays writable (writes vanish) for
        // them. Owning it grants nothing: its mode and owner cannot change.
        sb.set_params(&SuperParams {
            magic: bindings::NULL_FS_MAGIC,
            blocksize_bits: bindings::PAGE_SHIFT as u8,
            max_bytes: i64::MAX, // MAX_LFS_FILESIZE
            time_granularity: 1,
            // Nothing in an empty directory can change. A masked file takes
            // writes and drops them, as /dev/null does, so it stays writable.
            read_only: options.root == RootKind::Directory,
            no_exec: true,
            no_dev: true,
        });
        let root = match options.root {
            // nullfs is permanently empty, immutable, and reading it leaves
            // no trace either.
            RootKind::Directory => sb.new_dir_inode::<EmptyDir>(&InodeParams {
                ino: 1,
                permissions: 0o555,
                nlink: 2,
                immutable: true,
                no_atime: true,
            })?,
            RootKind::File => sb.new_file_inode::<NullFile>(&InodeParams {
                ino: 2,
                permissions: 0o666,
                nlink: 1,
                immutable: false,
                no_atime: true,
            })?,
        };
        sb.set_root(root)
    }

    fn reconfigure(
        sb: &SuperBlock<'_>,
        request: &Reconfigure,
        options: &MountOptions,
    ) -> Result<(), Refusal> {
        let kind = if sb.root_is_dir() {
            RootKind::Directory
        } else {
            RootKind::File
        };
        // A remount that leaves `file` out keeps the root as it is; one that
        // asks for `file` cannot turn a mounted directory into a file.
        if options.root == RootKind::File && kind == RootKind::Directory {
            return Err(Refusal::invalid(
                c"'file' cannot change a mounted directory",
            ));
        }
        if kind == RootKind::Directory && request.read_only == Some(false) {
            return Err(Refusal {
                error: EROFS,
                message: Some(c"an empty directory is read-only for good"),
            });
        }
        Ok(())
    }
}

/// The root directory: what libfs's `make_empty_dir_inode` gives, plus
/// `FOP_IMMUTABLE` and the refusal of file locks.
///
/// Each operation is `#[inline]` so that it compiles into the C-ABI
/// trampoline the VFS calls, as a C filesystem's op is the function itself:
/// without it `lseek()` took 335 guest instructions instead of C's 305.
struct EmptyDir;

#[vtable]
impl Directory for EmptyDir {
    /// Nothing changes, so readdir needs no lock: a reader stuck in a page
    /// fault blocks nobody.
    const IMMUTABLE: bool = true;

    #[inline]
    fn lookup(_name: &BStr) -> Result {
        // An error, not a negative dentry: nothing is cached, however many
        // names are looked up.
        Err(ENOENT)
    }

    #[inline]
    fn setattr(_attr: &Iattr) -> Result {
        Err(EPERM)
    }

    #[inline]
    fn listxattr() -> Result<usize> {
        Err(compat::eopnotsupp())
    }

    #[inline]
    fn llseek(file: &LocalFile, offset: i64, whence: i32) -> Result<i64> {
        // Two entries, "." and "..", at offsets 0 and 1.
        vfs::dir::llseek_size(file, offset, whence, 2, 2)
    }

    #[inline]
    fn iterate(file: &LocalFile, ctx: &mut DirContext) -> Result {
        ctx.emit_dots(file);
        Ok(())
    }

    #[inline]
    fn fsync(_file: &LocalFile) -> Result {
        Ok(())
    }

    // The one root inode is shared by every holder: no locks on it.
    #[inline]
    fn lock(_file: &LocalFile, _cmd: i32) -> Result {
        Err(compat::enolck())
    }

    #[inline]
    fn flock(_file: &LocalFile, _cmd: i32) -> Result {
        Err(compat::enolck())
    }
}

/// The root file of `-o file`: always at end of file, swallows writes.
struct NullFile;

#[vtable]
impl RegularFile for NullFile {
    #[inline]
    fn read_iter(_to: &mut IovIterDest<'_>) -> Result<usize> {
        Ok(0)
    }

    #[inline]
    fn write_iter(from: &mut IovIterSource<'_>) -> Result<usize> {
        let count = from.len();
        from.advance(count);
        Ok(count)
    }

    #[inline]
    fn splice_read(_len: usize) -> Result<usize> {
        Ok(0)
    }

    #[inline]
    fn setattr(attr: &Iattr) -> Result {
        // Mode and owner are refused; a size or a time "succeeds" and
        // changes nothing.
        if attr.changes_any(Iattr::MODE | Iattr::UID | Iattr::GID) {
            return Err(EPERM);
        }
        Ok(())
    }

    #[inline]
    fn fsync(_file: &LocalFile) -> Result {
        Ok(())
    }

    #[inline]
    fn lock(_file: &LocalFile, _cmd: i32) -> Result {
        Err(compat::enolck())
    }

    #[inline]
    fn flock(_file: &LocalFile, _cmd: i32) -> Result {
        Err(compat::enolck())
    }
}

#[pin_data]
struct RNullFsModule {
    #[pin]
    registration: Registration<RNullFs>,
}

impl kernel::InPlaceModule for RNullFsModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let flags = FsFlags {
            disallow_notify: true,
            userns_mount: compat::userns_mount(),
        };
        try_pin_init!(Self {
            registration <- Registration::new(module, flags),
        })
    }
}
