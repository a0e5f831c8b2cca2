// SPDX-License-Identifier: GPL-2.0

//! What a filesystem implements: [`FileSystem`].

use super::compat::FS_DISALLOW_NOTIFY;
use super::inode::{InodeSpec, Mounter};
use super::param::{Param, ParamRefusal, Reconfigure, Refusal};
use super::super_block::{New, Ready, SuperBlock, SuperParams};
use kernel::{bindings, error::VTABLE_DEFAULT_ERROR, prelude::*};

/// A filesystem: its name, its mount options, and how a mount becomes a
/// super block.
///
/// A `#[vtable]` trait: [`parse_param`] and [`reconfigure`] are optional,
/// and a filesystem that leaves one out leaves its slot of the C table
/// `NULL`, as a C filesystem does (then every parameter but `source` is
/// refused by the VFS, and a remount is the VFS's alone).
///
/// Every mount gets a new anonymous super block (`get_tree_nodev`), freed
/// with `kill_anon_super`: nothing is shared between mounts. The layer
/// drives each mount in an order the types enforce: options are parsed
/// ([`parse_param`]), the super block's data is made ([`init_data`]) and
/// its parameters chosen ([`super_params`]) and applied, and only then is
/// the root described ([`init_root`]); the layer makes it, and sets it as
/// the super block's root, in the same step.
///
/// # Examples
///
/// An empty, read-only filesystem with no options (a module registers it
/// with `module_fs!`, in the crate root beside `mod vfs`):
///
/// ```
/// # use crate::vfs::*;
/// # use kernel::prelude::*;
/// struct Empty;
/// struct EmptyDir;
///
/// #[vtable]
/// impl Directory for EmptyDir {
///     type Data = ();
///
///     fn iterate(_: &OpenFile<()>, emitter: &mut DirEmitter<'_>) -> Result {
///         emitter.emit_dots();
///         Ok(())
///     }
/// }
///
/// #[vtable]
/// impl FileSystem for Empty {
///     const NAME: &'static CStr = c"empty";
///     type Options = ();
///     type Data = ();
///
///     fn init_data((): &()) -> Result<()> {
///         Ok(())
///     }
///
///     fn super_params((): &()) -> SuperParams {
///         SuperParams { magic: 0x454d5054, blocksize_bits: PAGE_SHIFT,
///             max_bytes: MAX_LFS_FILESIZE, time_granularity: 1,
///             read_only: true, no_exec: true, no_dev: true }
///     }
///
///     fn init_root(_: &SuperBlock<(), New>, mounter: Mounter, (): &())
///         -> Result<InodeSpec<()>>
///     {
///         Ok(InodeSpec::directory::<EmptyDir>(InodeParams {
///             ino: 1, permissions: 0o555, nlink: 2, owner: mounter,
///             immutable: true, no_atime: true }))
///     }
/// }
/// ```
///
/// [`parse_param`]: FileSystem::parse_param
/// [`reconfigure`]: FileSystem::reconfigure
/// [`init_data`]: FileSystem::init_data
/// [`super_params`]: FileSystem::super_params
/// [`init_root`]: FileSystem::init_root
#[vtable]
pub trait FileSystem: 'static {
    /// The name given to `mount -t` and `fsopen()`. It may not contain a
    /// `.` (`register_filesystem()` would hit a `BUG()`): the layer refuses
    /// such a name at compile time.
    const NAME: &'static CStr;

    /// The mount options, parsed one parameter at a time into a value that
    /// starts as `Default::default()` for each mount or remount. `Send`: a
    /// context is made by `fsopen()` on one thread, configured by
    /// `fsconfig()` on any, and freed by the last `close()` on any.
    type Options: Default + Send;

    /// What the filesystem keeps for each super block ([`init_data`]),
    /// from before [`init_root`] until the super block is killed.
    /// `Send + Sync`: any thread may use or kill a super block.
    ///
    /// [`init_data`]: FileSystem::init_data
    /// [`init_root`]: FileSystem::init_root
    type Data: Send + Sync;

    /// Takes one mount parameter (`-o key[=value]` or `fsconfig()`).
    ///
    /// [`ParamRefusal::Unknown`] hands the parameter back to the VFS, which
    /// takes `source` itself and refuses anything else with "Unknown
    /// parameter".
    fn parse_param(_options: &mut Self::Options, _param: &Param<'_>) -> Result<(), ParamRefusal> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The data of a new super block, from the mount's options: made once
    /// per mount, before the super block, and dropped when it is killed
    /// (or at once, if no super block could be made).
    fn init_data(options: &Self::Options) -> Result<Self::Data>;

    /// The parameters of a new super block, from the mount's options. The
    /// layer calls it at each step that needs them (the flags go to the
    /// context before the super block exists, the rest to the super block
    /// once it does), so it should give the same answer each time: a plain
    /// function of the options. The layer checks the bounds of what it
    /// applies (`EINVAL` past them).
    fn super_params(options: &Self::Options) -> SuperParams;

    /// Says what the root inode of a new super block, whose parameters and
    /// data are applied, is: the layer makes it. `mounter` is who is
    /// mounting it, for the inodes' owner.
    fn init_root(
        sb: &SuperBlock<Self::Data, New>,
        mounter: Mounter,
        options: &Self::Options,
    ) -> Result<InodeSpec<Self::Data>>;

    /// One super block for every mount of the type (`get_tree_single`,
    /// and a `global` context), as a filesystem the kernel mounts once for
    /// its own use has: the first mount makes it, every later one shares
    /// it. Each mount's data ([`init_data`](FileSystem::init_data)) is then
    /// kept by the first only, and dropped by the others.
    const SINGLE_INSTANCE: bool = false;

    /// The name `d_path()` gives every dentry of the filesystem, even its
    /// root (`d_dname`), for a filesystem that no path of the caller's
    /// reaches: `/proc/PID/cwd` then reads as that name.
    const DENTRY_NAME: Option<&'static CStr> = None;

    /// Whether `statfs()` of a super block answers: on `Ok` as libfs's
    /// `simple_statfs()` does (its magic, block size and name length; no
    /// blocks, no files), which is also the answer of a filesystem that
    /// leaves this out. An error is returned as is.
    fn statfs(_sb: &SuperBlock<Self::Data, Ready>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Whether a path walk that ends on a dentry of `sb` without looking
    /// it up by name may be used (`d_weak_revalidate`): one that ends by a
    /// jump, such as "/", ".", "..", crossing onto a mount's root, or a
    /// `/proc/PID/cwd` link. An error refuses it, so the dentry cannot be
    /// pinned by an `O_PATH` open or encoded in a file handle that way.
    /// Refused always, it leaves a mount that no path reaches, not even
    /// `umount`'s: only a detached mount's fd, or the end of its mount
    /// namespace, lets it go (failfs is never mounted by a user).
    fn revalidate_jump(_sb: &SuperBlock<Self::Data, Ready>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Decides whether a remount (`mount -o remount`, or
    /// `fsconfig(FSCONFIG_CMD_RECONFIGURE)`) may change `sb`. The VFS applies
    /// the flags it asked for after this returns `Ok`.
    fn reconfigure(
        _sb: &SuperBlock<Self::Data, Ready>,
        _request: &Reconfigure,
        _options: &Self::Options,
    ) -> Result<(), Refusal> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// Flags of a filesystem type, chosen when it is registered.
#[derive(Clone, Copy, Default)]
pub struct FsFlags {
    /// `FS_DISALLOW_NOTIFY`: no inotify/fanotify marks on its objects.
    pub disallow_notify: bool,
    /// `FS_USERNS_MOUNT`: mountable by the owner of a user namespace.
    pub userns_mount: bool,
}

impl FsFlags {
    /// The `fs_flags` of a `struct file_system_type`.
    pub(super) const fn to_c(self) -> c_int {
        let mut fs_flags = 0;
        if self.disallow_notify {
            fs_flags |= FS_DISALLOW_NOTIFY;
        }
        if self.userns_mount {
            fs_flags |= bindings::FS_USERNS_MOUNT;
        }
        fs_flags as c_int
    }
}
