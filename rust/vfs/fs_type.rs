// SPDX-License-Identifier: GPL-2.0

//! A filesystem type, `struct file_system_type`, and its registration with
//! the VFS.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h).
//!
//! A `struct file_system_type` embeds the lockdep class keys of its super
//! blocks' locks, and lockdep accepts only keys in static memory (anywhere
//! else it reports "key not in .data" and turns itself off). So a
//! [`FileSystemType`] can only be made by [`file_system_type!`], which puts
//! it in a `static`, and a [`Registration`] takes a `&'static` one.
//!
//! A module's filesystem is declared with [`module_fs!`], which makes the
//! static type and the module, and the module holds the registration: a
//! filesystem's own code never holds one. It could otherwise forget it
//! (`core::mem::forget` is safe), and `register_filesystem()` takes no
//! reference on the module: `rmmod` would then free the static while the
//! VFS's list of filesystems still points into it.
//!
//! The VFS reads a type's `fs_flags` and `owner` through `sb->s_type` for
//! as long as any super block of it lives, which can be after the type is
//! unregistered. So the layer writes them once in the life of the static,
//! before the first registration, and never again: a type is registered
//! at most once, and a second [`Registration::register`] of it, even after
//! the first was dropped, fails with `EBUSY`. (A module's registration lives
//! as long as the module, whose static goes with it, so this costs nothing.)

use super::compat::const_char_ptr;
use super::context::init_fs_context;
use super::error::TypeHead;
use super::super_block::{data_needs_freeing, drop_data};
use super::{FileSystem, FsFlags};
use core::{
    marker::PhantomData,
    sync::atomic::{AtomicBool, Ordering},
};
use kernel::{bindings, error::to_result, prelude::*};

/// The type of filesystem `T`, in static memory.
///
/// # Invariants
///
/// The value lives in a `static` (only [`file_system_type!`] makes one).
/// It starts with a `TypeHead` (`#[repr(C)]`), which is where every super
/// block of it points (`s_type`). The C type is written by the layer only once, by the one
/// [`Registration::register`] that set `claimed`, before it registers it;
/// `claimed` is never cleared. After that only the VFS writes it (its list
/// link and super block list, under its own locks).
#[repr(C)]
pub struct FileSystemType<T: FileSystem> {
    head: TypeHead,
    claimed: AtomicBool,
    _fs: PhantomData<T>,
}

// SAFETY: The VFS reads and writes the registered `file_system_type` under
// its own locks, from any thread; the layer writes it once, before the VFS
// can see it (type invariants). `T` is only a marker.
unsafe impl<T: FileSystem> Sync for FileSystemType<T> {}

impl<T: FileSystem> FileSystemType<T> {
    /// `register_filesystem()` hits a `BUG()` on a name with a `.` in it:
    /// checked when the type is made, at compile time.
    const NAME_HAS_NO_DOT: () = {
        let name = T::NAME.to_bytes();
        let mut i = 0;
        while i < name.len() {
            assert!(name[i] != b'.', "a filesystem's name cannot contain '.'");
            i += 1;
        }
    };

    /// The type of `T`, for a `static`.
    ///
    /// # Safety
    ///
    /// The value is placed in a `static` (lockdep needs its keys in static
    /// memory). Use [`file_system_type!`].
    pub const unsafe fn new_static() -> Self {
        #[allow(clippy::let_unit_value)]
        let () = Self::NAME_HAS_NO_DOT;
        Self {
            head: TypeHead::new(bindings::file_system_type {
                name: const_char_ptr(T::NAME),
                init_fs_context: Some(init_fs_context::<T>),
                kill_sb: Some(kill_sb_of::<T>()),
                ..pin_init::zeroed()
            }),
            claimed: AtomicBool::new(false),
            _fs: PhantomData,
        }
    }
}

/// Declares `static NAME: FileSystemType<T>`, the one way to make a
/// filesystem type: `file_system_type!(FILE_SYSTEM_TYPE: RNullFs);`.
/// [`module_fs!`] uses it.
macro_rules! file_system_type {
    ($name:ident: $fs:ty) => {
        // The `unsafe` is the layer's: `new_static` requires static memory,
        // which this `static` is. So the macro is used in the crate root,
        // beside `mod vfs`: in a module that forbids `unsafe_code`, as a
        // filesystem's policy does, this `allow` does not compile.
        #[allow(unsafe_code)]
        static $name: $crate::vfs::FileSystemType<$fs> =
            // SAFETY: The value is placed in a `static`.
            unsafe { $crate::vfs::FileSystemType::new_static() };
    };
}
pub(crate) use file_system_type;

/// Declares the module of filesystem `FS`: its static
/// [`FileSystemType`], and a module (`kernel::prelude::module!`) that
/// registers it with `FLAGS` when it is loaded and unregisters it when it
/// is unloaded. The module holds the [`Registration`]; nothing else can.
///
/// rnullfs's, whose filesystem is `RNullFs` in the module `nullfs` (not a
/// doctest of the kernel crate, whose doctests are KUnit tests in the
/// kernel and cannot declare a module; rnullfs's `scripts/doc` builds it,
/// as a module of its own):
///
/// ```ignore
/// # mod nullfs {
/// #     use crate::vfs::*;
/// #     use kernel::prelude::*;
/// #     pub(crate) struct RNullFs;
/// #     pub(crate) const FLAGS: FsFlags = FsFlags { disallow_notify: true, userns_mount: false };
/// #     struct EmptyDir;
/// #     #[vtable]
/// #     impl Directory for EmptyDir {
/// #         type Data = ();
/// #     }
/// #     #[vtable]
/// #     impl FileSystem for RNullFs {
/// #         const NAME: &'static CStr = c"rnullfs";
/// #         type Options = ();
/// #         type Data = ();
/// #         fn init_data((): &()) -> Result<()> { Ok(()) }
/// #         fn super_params((): &()) -> SuperParams {
/// #             SuperParams { magic: 1, blocksize_bits: PAGE_SHIFT, max_bytes: 0,
/// #                 time_granularity: 1, read_only: true, no_exec: true, no_dev: true }
/// #         }
/// #         fn init_root(_: &SuperBlock<(), New>, owner: Mounter, (): &())
/// #             -> Result<InodeSpec<()>>
/// #         {
/// #             Ok(InodeSpec::directory::<EmptyDir>(InodeParams { ino: 1, permissions: 0o555,
/// #                 nlink: 2, owner, immutable: true, no_atime: true }))
/// #         }
/// #     }
/// # }
/// crate::vfs::module_fs! {
///     fs: nullfs::RNullFs,
///     flags: nullfs::FLAGS,
///     module: {
///         name: "rnullfs",
///         authors: ["rnullfs developers"],
///         description: "nullfs in Rust",
///         license: "GPL",
///     }
///     // Optional: a module parameter that sets `FS_USERNS_MOUNT`.
///     userns_mount_param: userns_mount = false, "Let the owner of a user namespace mount it"
/// }
/// ```
///
/// Used in the crate root, beside `mod vfs`, for the `unsafe` it expands
/// to (see [`file_system_type!`]).
macro_rules! module_fs {
    (
        fs: $fs:ty,
        flags: $flags:expr,
        module: { $($module:tt)* }
        userns_mount_param: $flag:ident = $default:tt, $description:literal
    ) => {
        $crate::vfs::module_fs!(@module $fs, $crate::vfs::FsFlags {
            userns_mount: $crate::vfs::flag_value!($flag),
            ..$flags
        });
        $crate::vfs::module_with_flag! {
            { type: FsModule, $($module)* }
            $flag: $default, $description
        }
    };
    (fs: $fs:ty, flags: $flags:expr, module: { $($module:tt)* }) => {
        $crate::vfs::module_fs!(@module $fs, $flags);
        ::kernel::prelude::module! { type: FsModule, $($module)* }
    };
    (@module $fs:ty, $flags:expr) => {
        $crate::vfs::file_system_type!(FILE_SYSTEM_TYPE: $fs);

        /// The module: while it is loaded, the filesystem is registered.
        struct FsModule {
            _registration: $crate::vfs::Registration<$fs>,
        }

        impl ::kernel::Module for FsModule {
            fn init(module: &'static ::kernel::ThisModule) -> ::kernel::error::Result<Self> {
                let flags: $crate::vfs::FsFlags = $flags;
                #[allow(unsafe_code)]
                // SAFETY: The registration is kept in the module's value,
                // which `module!` drops when the module is unloaded, before
                // its memory (the static type among it) is freed.
                let registration = unsafe {
                    $crate::vfs::Registration::register(&FILE_SYSTEM_TYPE, module, flags)
                };
                Ok(Self {
                    _registration: registration?,
                })
            }
        }
    };
}
pub(crate) use module_fs;

/// `file_system_type.kill_sb` of `T`: `kill_anon_super` itself where the
/// super block's data owns nothing, as a C filesystem's is; else
/// [`kill_sb`], which frees the data too.
pub(super) const fn kill_sb_of<T: FileSystem>() -> unsafe extern "C" fn(*mut bindings::super_block)
{
    if data_needs_freeing::<T::Data>() {
        kill_sb::<T>
    } else {
        bindings::kill_anon_super
    }
}

/// `file_system_type.kill_sb`: frees an anonymous super block of `T`, then
/// the filesystem's data for it.
///
/// # Safety
///
/// Called by the VFS, once, with a super block of `T` that is being killed:
/// nothing uses it any more.
unsafe extern "C" fn kill_sb<T: FileSystem>(sb: *mut bindings::super_block) {
    // SAFETY: `sb` is an anonymous super block of `T` being killed.
    unsafe { bindings::kill_anon_super(sb) };
    // SAFETY: The super block is dead but not yet freed (the VFS frees it
    // after `kill_sb` returns); its `s_fs_info` is `NULL` or `T::Data`'s,
    // set by `SuperBlock::apply`.
    unsafe { drop_data::<T::Data>(sb) };
}

/// Filesystem `T` registered with the VFS; dropping it unregisters it.
///
/// # Invariants
///
/// `fs_type` is registered with `register_filesystem()` by this value, and
/// unregistered exactly once, in `drop`.
pub struct Registration<T: FileSystem> {
    fs_type: &'static FileSystemType<T>,
}

impl<T: FileSystem> Registration<T> {
    /// Registers `fs_type`, owned by `module`: while any super block of it
    /// exists, the module holds a reference and cannot be unloaded. `EBUSY`
    /// if the type was registered before (see the module documentation).
    /// [`module_fs!`] is the way to call it.
    ///
    /// # Safety
    ///
    /// The value is dropped before `module`'s memory is freed (the static
    /// `fs_type` is in it): never forgotten or leaked, and kept in the
    /// module's own value, which the module's exit drops.
    pub unsafe fn register(
        fs_type: &'static FileSystemType<T>,
        module: &'static ThisModule,
        flags: FsFlags,
    ) -> Result<Self> {
        if fs_type
            .claimed
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return Err(EBUSY);
        }
        let raw = fs_type.head.fs_type.get();
        // `claimed` was clear, so the type was never registered and no super
        // block of it ever existed. Setting `claimed` made this the only
        // write the layer will ever make (type invariants), and
        // `register_filesystem` below publishes it to the VFS under its lock.
        // SAFETY: As above, nothing else reads or writes the type yet.
        unsafe {
            (*raw).fs_flags = flags.to_c();
            (*raw).owner = module.as_ptr();
        }
        // A type that failed to register stays claimed, so its fields are
        // never written again either.
        // `raw` is a complete `file_system_type` in static memory, with a
        // name without '.', that outlives the registration: the registration
        // is dropped, so unregisters it, before the module's memory goes
        // (the function's requirements).
        // SAFETY: As above.
        let status = unsafe { bindings::register_filesystem(raw) };
        to_result(status)?;
        // INVARIANT: Registered; `drop` unregisters it.
        Ok(Self { fs_type })
    }
}

impl<T: FileSystem> Drop for Registration<T> {
    fn drop(&mut self) {
        // Super blocks of the type may outlive this (a registration dropped
        // before the module's exit): they keep pointing at the type, which is
        // static and never written by the layer again (the claim stays), so
        // it stays valid; no new mount can find it once it is out.
        // SAFETY: The type is registered (type invariants), and this is the
        // one place that unregisters it.
        unsafe { bindings::unregister_filesystem(self.fs_type.head.fs_type.get()) };
    }
}
