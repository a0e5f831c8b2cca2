// SPDX-License-Identifier: GPL-2.0

//! A filesystem type and its registration with the VFS.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h) (`struct file_system_type`).

use super::{context, Param, Reconfigure, Refusal};
use super::{NewSuperBlock, SuperBlock};
use core::marker::PhantomData;
use kernel::{bindings, error::to_result, prelude::*, types::Opaque};

/// What a filesystem implements: its name, its mount options and how a
/// mount becomes a super block.
///
/// Every mount gets a new anonymous super block (`get_tree_nodev`), freed
/// with `kill_anon_super`: nothing is shared between mounts.
pub(crate) trait FileSystem: 'static {
    /// The name given to `mount -t` and `fsopen()`.
    const NAME: &'static CStr;

    /// The mount options, parsed one parameter at a time into a value that
    /// starts as `Default::default()` for each mount or remount.
    type Options: Default;

    /// Takes one mount parameter (`-o key[=value]` or `fsconfig()`).
    ///
    /// Returning [`Refusal::unknown`] hands the parameter back to the VFS,
    /// which takes `source` itself and refuses anything else with
    /// "Unknown parameter".
    fn parse_param(options: &mut Self::Options, param: &Param<'_>) -> Result<(), Refusal>;

    /// Fills a new super block: its parameters and its root inode.
    fn fill_super(sb: &mut NewSuperBlock<'_>, options: &Self::Options) -> Result;

    /// Decides whether a remount (`mount -o remount`, or
    /// `fsconfig(FSCONFIG_CMD_RECONFIGURE)`) may change `sb`. The VFS applies
    /// the flags it asked for after this returns `Ok`.
    fn reconfigure(
        sb: &SuperBlock<'_>,
        request: &Reconfigure,
        options: &Self::Options,
    ) -> Result<(), Refusal>;
}

/// Flags of a filesystem type, chosen when it is registered.
#[derive(Clone, Copy, Default)]
pub(crate) struct FsFlags {
    /// `FS_DISALLOW_NOTIFY`: no inotify/fanotify marks on its objects.
    pub(crate) disallow_notify: bool,
    /// `FS_USERNS_MOUNT`: mountable by the owner of a user namespace.
    pub(crate) userns_mount: bool,
}

impl FsFlags {
    fn bits(self) -> c_int {
        let mut bits = 0;
        if self.disallow_notify {
            bits |= crate::compat::FS_DISALLOW_NOTIFY;
        }
        if self.userns_mount {
            bits |= bindings::FS_USERNS_MOUNT;
        }
        bits as c_int
    }
}

/// A filesystem type registered with the VFS.
///
/// # Invariants
///
/// `fs_type` holds a `struct file_system_type` that was registered with
/// `register_filesystem()` and is unregistered exactly once, in `drop`. It is
/// pinned: the VFS keeps a pointer to it in its list of filesystems.
#[pin_data(PinnedDrop)]
pub(crate) struct Registration<T: FileSystem> {
    #[pin]
    fs_type: Opaque<bindings::file_system_type>,
    _fs: PhantomData<T>,
}

// SAFETY: `unregister_filesystem` may be called from any thread.
unsafe impl<T: FileSystem> Send for Registration<T> {}
// SAFETY: A `Registration` offers no method through `&self`.
unsafe impl<T: FileSystem> Sync for Registration<T> {}

impl<T: FileSystem> Registration<T> {
    /// Registers filesystem `T`, owned by `module`: while any super block of
    /// it exists, the module holds a reference and cannot be unloaded.
    pub(crate) fn new(module: &'static ThisModule, flags: FsFlags) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            fs_type <- Opaque::try_ffi_init(move |slot: *mut bindings::file_system_type| {
                let mut fs_type: bindings::file_system_type = pin_init::zeroed();
                fs_type.name = T::NAME.as_char_ptr();
                fs_type.fs_flags = flags.bits();
                fs_type.owner = module.as_ptr();
                fs_type.init_fs_context = Some(context::init_fs_context::<T>);
                fs_type.kill_sb = Some(bindings::kill_anon_super);
                // SAFETY: `slot` is valid for writes; the initializer owns it.
                unsafe { slot.write(fs_type) };
                // INVARIANT: on `Ok`, `slot` is registered; `drop` unregisters
                // it before its pinned memory goes.
                // SAFETY: `slot` holds a complete `file_system_type` in pinned
                // memory that outlives the registration (see above).
                let result = unsafe { bindings::register_filesystem(slot) };
                to_result(result)
            }),
            _fs: PhantomData,
        })
    }
}

#[pinned_drop]
impl<T: FileSystem> PinnedDrop for Registration<T> {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: By the type invariants `fs_type` is registered, and this is
        // the one place that unregisters it. The module cannot be unloaded
        // (so this cannot run) while any super block of the type exists.
        unsafe { bindings::unregister_filesystem(self.fs_type.get()) };
    }
}
