// SPDX-License-Identifier: GPL-2.0
//
// The policy every misuse case shares: scripts/misuse-check writes it, then
// the case, into the policy module of a scratch module (frame.rs is its
// crate root), built against the real VFS layer (rust/vfs/) and the kernel
// tree. Like rnullfs's policy, it is compiled under `forbid(unsafe_code)`.
// `good_filesystem!` is a correct filesystem, which a case changes in one
// place (its name, its options, or the directory its root is).

#![allow(dead_code, unused_imports)]

use crate::vfs::{
    Access, DirEmitter, DirSeek, Directory, FileSystem, FileSystemType, FsFlags, Fsync, Iattr, Inode,
    InodeParams, InodeSpec, Locks, Mounter, New, OpenFile, Param, ParamRefusal,
    ReadBuffer, Reconfigure, Refusal, Registration, RegularFile, SuperBlock, SuperParams, Whence,
    MAX_LFS_FILESIZE, PAGE_SHIFT,
};
use kernel::{fs::Kiocb, iov::IovIterSource, prelude::*, str::BStr};

pub(crate) struct Fs;

struct EmptyDir;

#[vtable]
impl Directory for EmptyDir {
    type Data = ();

    fn iterate(_: &OpenFile<()>, emitter: &mut DirEmitter<'_>) -> Result {
        emitter.emit_dots();
        Ok(())
    }
}

/// The inode parameters of an empty, immutable root directory.
fn root_dir_params(owner: Mounter) -> InodeParams {
    InodeParams {
        ino: 1,
        permissions: 0o555,
        nlink: 2,
        owner,
        immutable: true,
        no_atime: true,
    }
}

fn params() -> SuperParams {
    SuperParams {
        magic: 0x4d49_5355,
        blocksize_bits: PAGE_SHIFT,
        max_bytes: MAX_LFS_FILESIZE,
        time_granularity: 1,
        read_only: true,
        no_exec: true,
        no_dev: true,
    }
}

macro_rules! good_filesystem {
    (name: $name:expr, options: $options:ty) => {
        good_filesystem!(name: $name, options: $options, root: EmptyDir);
    };
    (name: $name:expr, options: $options:ty, root: $root:ty) => {
        #[vtable]
        impl FileSystem for Fs {
            const NAME: &'static CStr = $name;
            type Options = $options;
            type Data = ();

            fn parse_param(_: &mut $options, _: &Param<'_>) -> Result<(), ParamRefusal> {
                Err(ParamRefusal::Unknown)
            }

            fn init_data(_: &$options) -> Result<()> {
                Ok(())
            }

            fn super_params(_: &$options) -> SuperParams {
                params()
            }

            fn init_root(
                _: &SuperBlock<(), New>,
                mounter: Mounter,
                _: &$options,
            ) -> Result<InodeSpec<()>> {
                Ok(InodeSpec::directory::<$root>(root_dir_params(mounter)))
            }

            fn reconfigure(_: &SuperBlock<()>, _: &Reconfigure, _: &$options) -> Result<(), Refusal> {
                Ok(())
            }
        }
    };
}

// ---- the case ----
