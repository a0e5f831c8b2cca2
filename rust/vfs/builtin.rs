// SPDX-License-Identifier: GPL-2.0

//! A filesystem built into the kernel in place of a C one.
//!
//! Built in (`CONFIG_NULLFS_RUST`, see `scripts/intree-patch`), rnullfs is
//! *the* nullfs: `fs/namespace.c` mounts it by the name of its C type,
//! `nullfs_fs_type`, before any initcall has run (`init_mount_tree()`, from
//! `vfs_caches_init()`), and asks it for the file stand-in of kernel
//! threads through `nullfs_new_file()`. Such a type is never registered:
//! it is a `static` with the C name and layout, complete at compile time,
//! with no owner module, and its super blocks are `SB_NOUSER`.
//!
//! What C reaches of it is checked against the C declarations in
//! `fs/mount.h` at build time: [`builtin_file_system_type!`] checks the
//! static's type, [`export_anon_dentry!`] the function's signature
//! (`#[export]`).

use super::context::init_internal_fs_context;
use super::error::{to_c_errno, Op};
use super::fs_type::kill_sb_of;
use super::inode::InodeSpec;
use super::super_block::{Ready, SuperBlock};
use super::{FileSystem, FsFlags};
use core::marker::PhantomData;
use kernel::{bindings, prelude::*, types::Opaque};

/// The type of filesystem `T` as the kernel's C code declares it: a
/// `struct file_system_type`, in static memory.
///
/// # Invariants
///
/// The value lives in a `static` (only [`builtin_file_system_type!`] makes
/// one). The layer never writes it: it is complete when the kernel is
/// linked, and only the VFS writes it afterwards (its list of super blocks,
/// under its own lock).
#[repr(transparent)]
pub struct BuiltinFileSystemType<T: FileSystem> {
    fs_type: Opaque<bindings::file_system_type>,
    _fs: PhantomData<T>,
}

// SAFETY: The VFS reads and writes the `file_system_type` under its own
// locks, from any thread; the layer never writes it (type invariants). `T`
// is only a marker.
unsafe impl<T: FileSystem> Sync for BuiltinFileSystemType<T> {}

impl<T: FileSystem> BuiltinFileSystemType<T> {
    /// The type of `T` with `flags`, for a `static` that C code names.
    ///
    /// # Safety
    ///
    /// The value is placed in a `static` (lockdep needs the keys it embeds
    /// in static memory). Use [`builtin_file_system_type!`].
    pub const unsafe fn new_static(flags: FsFlags) -> Self {
        Self {
            fs_type: Opaque::new(bindings::file_system_type {
                name: super::compat::const_char_ptr(T::NAME),
                fs_flags: flags.to_c(),
                init_fs_context: Some(init_internal_fs_context::<T>),
                kill_sb: Some(kill_sb_of::<T>()),
                // Built in: no module to hold while a super block lives.
                owner: core::ptr::null_mut(),
                ..pin_init::zeroed()
            }),
            _fs: PhantomData,
        }
    }
}

/// Defines the `static` that C code names as `extern struct
/// file_system_type NAME;`, as filesystem `FS` with `FLAGS`:
/// `builtin_file_system_type!(nullfs_fs_type: RNullFs, FLAGS);`.
///
/// The C declaration must be in `kernel::bindings` (the in-tree patch adds
/// `fs/mount.h` to them): the build fails unless it declares `NAME` as a
/// `struct file_system_type`, which the static's layout is.
macro_rules! builtin_file_system_type {
    ($name:ident: $fs:ty, $flags:expr) => {
        // The C declaration, through its bindings: of this name, and of the
        // type this static is a transparent wrapper of.
        const _: fn() -> *const ::kernel::bindings::file_system_type =
            || &raw const ::kernel::bindings::$name;

        // The C name is lower case, and `#[no_mangle]` gives the symbol
        // the Rust name. The `unsafe` is the layer's, as in
        // `file_system_type!`: so the macro is used in the crate root.
        /// The filesystem type, as C code declares it.
        #[allow(unsafe_code, non_upper_case_globals)]
        #[no_mangle]
        static $name: $crate::vfs::BuiltinFileSystemType<$fs> =
            // SAFETY: The value is placed in a `static`.
            unsafe { $crate::vfs::BuiltinFileSystemType::new_static($flags) };
    };
}
pub(crate) use builtin_file_system_type;

/// What says which inode an anonymous dentry on a mounted super block of
/// `T` is for: the layer makes both.
pub type AnonDentryMaker<T> =
    fn(&SuperBlock<<T as FileSystem>::Data, Ready>) -> Result<InodeSpec<<T as FileSystem>::Data>>;

/// Makes the inode `make` describes on `sb`, and an anonymous dentry for
/// it, for C: the dentry, with its reference, or an `ERR_PTR`.
///
/// # Safety
///
/// `sb` is a mounted super block of the built-in type of `T` (whose data is
/// a `T::Data`), held by the caller for the call.
pub unsafe fn anon_dentry_for_c<T: FileSystem>(
    sb: *mut bindings::super_block,
    make: AnonDentryMaker<T>,
) -> *mut bindings::dentry {
    // SAFETY: As the caller guarantees: mounted, with its root and data,
    // for the call.
    let sb = unsafe { SuperBlock::<T::Data, Ready>::from_raw(sb) };
    let errno = match make(sb) {
        Ok(spec) => match sb.make_anon_dentry(&spec) {
            Some(dentry) => return dentry.into_raw(),
            None => -(bindings::ENOMEM as c_int),
        },
        Err(error) => to_c_errno(Op::AnonDentry, error),
    };
    // `ERR_PTR(errno)`: the errno, negative, as an address C's `IS_ERR()`
    // recognises.
    core::ptr::without_provenance_mut(errno as isize as usize)
}

/// Defines `NAME`, a function C code declares as `struct dentry
/// *NAME(struct super_block *sb);`, which makes an anonymous dentry on a
/// mounted super block of filesystem `FS`, for the inode `MAKE`, a safe
/// function ([`AnonDentryMaker`]), describes: `export_anon_dentry!(
/// nullfs_new_file: RNullFs, nullfs::new_file);`. `#[export]` checks the signature against the C
/// declaration in `kernel::bindings`.
macro_rules! export_anon_dentry {
    ($name:ident: $fs:ty, $make:path) => {
        /// Called by C code, as its declaration says.
        ///
        /// # Safety
        ///
        /// `sb` is a mounted super block of the built-in type of the
        /// filesystem, held by the caller for the call.
        // `#[export]` adds `#[no_mangle]`, which is `unsafe_code`.
        #[allow(unsafe_code)]
        #[::kernel::prelude::export]
        pub unsafe extern "C" fn $name(
            sb: *mut ::kernel::bindings::super_block,
        ) -> *mut ::kernel::bindings::dentry {
            // SAFETY: As this function's caller guarantees.
            unsafe { $crate::vfs::builtin::anon_dentry_for_c::<$fs>(sb, $make) }
        }
    };
}
pub(crate) use export_anon_dentry;

/// Declares `crate::LocalModule`, the owner that `#[vtable]` impls name
/// (their `OwnerModule`), for a crate built into the kernel: there is no
/// module, and its `THIS_MODULE` is `NULL`, as built-in C code's is.
/// `module!` declares it for a module.
macro_rules! builtin_local_module {
    ($name:literal) => {
        /// The owner of this built-in code: no module.
        struct LocalModule;

        /// What `pr_warn!` and friends put before each message, as
        /// `module!` declares it for a module.
        const __LOG_PREFIX: &[u8] = $name.to_bytes_with_nul();

        impl ::kernel::ModuleMetadata for LocalModule {
            const NAME: &'static ::kernel::str::CStr = $name;
            // The `unsafe` is the layer's, as in `builtin_file_system_type!`.
            #[allow(unsafe_code)]
            const THIS_MODULE: ::kernel::ThisModule =
                // SAFETY: A `NULL` module is what built-in code has; the VFS
                // and `try_module_get()`/`module_put()` take it.
                unsafe { ::kernel::ThisModule::from_ptr(::core::ptr::null_mut()) };
        }
    };
}
pub(crate) use builtin_local_module;
