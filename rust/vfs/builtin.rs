// SPDX-License-Identifier: GPL-2.0

//! A filesystem built into the kernel in place of a C one.
//!
//! Built in (`CONFIG_NULLFS_RUST`, see `scripts/series`), rnullfs is
//! *the* nullfs: `fs/namespace.c` mounts it by the name of its C type,
//! `nullfs_fs_type`, before any initcall has run (`init_mount_tree()`, from
//! `vfs_caches_init()`), and asks it for the file stand-in of kernel
//! threads through `nullfs_new_file()`. Such a type is never registered:
//! it is a `static` with the C name and layout, complete at compile time,
//! with no owner module, and its super blocks are `SB_NOUSER`.
//!
//! What C reaches of it is checked at build time against the C
//! declarations in `fs/null_roots.h` (which the patch series makes of
//! what `fs/mount.h` and `fs/internal.h` declared of nullfs and failfs):
//! [`builtin_file_system_type!`] checks the static's type,
//! [`export_anon_dentry!`] the function's signature (`#[export]`).

use super::context::init_internal_fs_context;
use super::error::{to_c_errno, Op, TypeHead};
use super::fs_type::kill_sb_of;
use super::inode::InodeSpec;
use super::super_block::{Ready, SuperBlock};
use super::{FileSystem, FsFlags};
use core::{
    marker::PhantomData,
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::{bindings, prelude::*};

/// The type of filesystem `T` as the kernel's C code declares it: a
/// `struct file_system_type`, in static memory, followed by the layer's
/// flags of the warnings it printed (C reads only the first part).
///
/// # Invariants
///
/// The value lives in a `static` (only [`builtin_file_system_type!`] makes
/// one), and starts with a `TypeHead` (`#[repr(C)]`). The layer never
/// writes the C type: it is complete when the kernel is
/// linked, and only the VFS writes it afterwards (its list of super blocks,
/// under its own lock).
#[repr(C)]
pub struct BuiltinFileSystemType<T: FileSystem> {
    head: TypeHead,
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
            head: TypeHead::new(bindings::file_system_type {
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
/// The C declaration must be in `kernel::bindings` (the patch series adds
/// `fs/null_roots.h` to them): the build fails unless it declares `NAME` as a
/// `struct file_system_type`, which the static's layout starts with.
macro_rules! builtin_file_system_type {
    ($name:ident: $fs:ty, $flags:expr) => {
        // The C declaration, through its bindings: of this name, and of the
        // type this static starts with.
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
        Err(error) => to_c_errno(Op::AnonDentry, sb.type_head(), error),
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

impl<T: FileSystem> BuiltinFileSystemType<T> {
    /// The `struct file_system_type`.
    #[inline]
    fn as_ptr(&self) -> *mut bindings::file_system_type {
        self.head.fs_type.get()
    }
}

/// The kernel's own mount of a built-in filesystem that has one instance
/// ([`FileSystem::SINGLE_INSTANCE`]), made once at boot (`kern_mount`) and
/// kept for the kernel's life, member of no mount namespace: what C code
/// asks for its root, or whether a mount is it. failfs is one.
///
/// # Invariants
///
/// `mnt` is `NULL` until [`KernelMount::mount`] stores the mount
/// `kern_mount()` gave, once, at boot; that mount's reference is never put,
/// so from then on it and its root are valid for good.
pub struct KernelMount {
    mnt: AtomicPtr<bindings::vfsmount>,
}

impl KernelMount {
    /// No mount yet, for a `static`.
    // No `Default`: a kernel mount is one `static` per filesystem, made by
    // `builtin_single_mount!` with this `const fn`, and never anything else.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self {
            mnt: AtomicPtr::new(core::ptr::null_mut()),
        }
    }

    /// Mounts `fs_type`, for good. A kernel that cannot make it cannot
    /// keep its promises to `fs/` (the C filesystem `panic()`s too).
    ///
    /// # Safety
    ///
    /// Called once, at boot, before anything calls the other methods: by
    /// the function C calls from `mnt_init()` ([`builtin_single_mount!`]).
    pub unsafe fn mount<T: FileSystem>(&self, fs_type: &'static BuiltinFileSystemType<T>) {
        // SAFETY: `fs_type` is a complete type in static memory, never
        // registered nor written by the layer (its type invariants).
        let mnt = unsafe { bindings::kern_mount(fs_type.as_ptr()) };
        // `IS_ERR()`: an errno as an address in the last page.
        if (mnt as usize) >= (-(bindings::MAX_ERRNO as isize)) as usize {
            panic!(
                "VFS: Failed to create the kernel's {} mount",
                T::NAME.to_str().unwrap_or("?")
            );
        }
        // INVARIANT: Stored once; the mount's reference is never put.
        self.mnt.store(mnt, Ordering::Release);
    }

    /// The mount, valid for good once made.
    #[inline]
    fn mounted(&self) -> *mut bindings::vfsmount {
        let mnt = self.mnt.load(Ordering::Acquire);
        // Nothing in `fs/` asks before `mnt_init()` has made it.
        assert!(
            !mnt.is_null(),
            "the kernel's mount was asked for before it was made"
        );
        mnt
    }

    /// Sets `path` to the mount's root, with a reference on both, which
    /// the caller puts (`path_put`).
    ///
    /// # Safety
    ///
    /// `path` is valid for writes of a `struct path`.
    #[inline]
    pub unsafe fn get_root(&self, path: *mut bindings::path) {
        let mnt = self.mounted();
        // SAFETY: The mount is valid for good (type invariants), and so is
        // its root; `path` is writable (the function's requirements), and
        // `path_get` takes a reference on both for the caller.
        unsafe {
            (*path).mnt = mnt;
            (*path).dentry = (*mnt).mnt_root;
            bindings::path_get(path);
        }
    }

    /// Whether `mnt` is a mount of this filesystem's one super block.
    ///
    /// # Safety
    ///
    /// `mnt` is a valid mount, for the call.
    #[inline]
    pub unsafe fn is_mount(&self, mnt: *const bindings::vfsmount) -> bool {
        let ours = self.mounted();
        // SAFETY: Both mounts are valid (type invariants, the function's
        // requirements), and a mount's super block never changes.
        unsafe { (*mnt).mnt_sb == (*ours).mnt_sb }
    }

    /// Makes the mount's root the calling task's working directory: 0.
    #[inline]
    pub fn chdir_current(&self) -> c_int {
        let mut root = core::mem::MaybeUninit::<bindings::path>::uninit();
        // SAFETY: `root` is writable; it gets a reference on the root.
        unsafe { self.get_root(root.as_mut_ptr()) };
        // SAFETY: `get_root` initialised it.
        let root = unsafe { root.assume_init() };
        // `current->fs` is read by a C helper: bindgen's `task_struct` layout
        // is not GCC's on a GCC-built kernel (see `scripts/series`).
        //
        // SAFETY: `current_fs()` is our `fs_struct`, which only we replace (`unshare`,
        // `exit`); `set_fs_pwd` takes its own reference on `root` under its lock, and
        // ours is put after.
        unsafe {
            bindings::set_fs_pwd(bindings::current_fs(), &root);
            bindings::path_put(&root);
        }
        0
    }
}

/// Defines the kernel's one mount of the single-instance built-in
/// filesystem `FS`, and the four functions `fs/null_roots.h` declares for it,
/// by the names given (failfs's: `failfs_init`, `failfs_get_root`,
/// `failfs_mnt`, `failfs_current_chdir`):
///
/// ```text
/// void __init INIT(void);                       mounts it, from mnt_init()
/// void GET_ROOT(struct path *path);             its root, referenced
/// bool IS_MOUNT(const struct vfsmount *mnt);    whether mnt is a mount of it
/// int CHDIR(void);                              cwd := its root; 0
/// ```
///
/// `#[export]` checks each signature against its C declaration, which the
/// patch series moves to `fs/null_roots.h` for the bindings to include
/// (`fs/internal.h`, where they were, is the VFS's private header). The
/// functions are `unsafe` as every function bindgen declares is, which
/// `#[export]` needs for the types to match. The filesystem type itself is
/// the macro's own `static`, which no C code names.
macro_rules! builtin_single_mount {
    (
        fs: $fs:ty,
        flags: $flags:expr,
        init: $init:ident,
        get_root: $get_root:ident,
        is_mount: $is_mount:ident,
        chdir: $chdir:ident $(,)?
    ) => {
        // The `unsafe` is the layer's, as in `builtin_file_system_type!`:
        // so the macro is used in the crate root.
        #[allow(unsafe_code)]
        static BUILTIN_SINGLE_TYPE: $crate::vfs::BuiltinFileSystemType<$fs> =
            // SAFETY: The value is placed in a `static`.
            unsafe { $crate::vfs::BuiltinFileSystemType::new_static($flags) };

        static BUILTIN_SINGLE_MOUNT: $crate::vfs::builtin::KernelMount =
            $crate::vfs::builtin::KernelMount::new();

        /// Mounts the filesystem, once, at boot.
        ///
        /// # Safety
        ///
        /// Called once, by `mnt_init()`, before anything asks for the
        /// mount.
        // `#[export]` adds `#[no_mangle]`, which is `unsafe_code`.
        #[allow(unsafe_code)]
        #[::kernel::prelude::export]
        pub unsafe extern "C" fn $init() {
            // SAFETY: Called once, before anything asks for the mount, as
            // this function's caller guarantees.
            unsafe { BUILTIN_SINGLE_MOUNT.mount(&BUILTIN_SINGLE_TYPE) }
        }

        /// The root of the kernel's mount, referenced.
        ///
        /// # Safety
        ///
        /// `path` is valid for writes of a `struct path`.
        #[allow(unsafe_code)]
        #[::kernel::prelude::export]
        pub unsafe extern "C" fn $get_root(path: *mut ::kernel::bindings::path) {
            // SAFETY: As this function's caller guarantees.
            unsafe { BUILTIN_SINGLE_MOUNT.get_root(path) }
        }

        /// Whether `mnt` is a mount of the filesystem.
        ///
        /// # Safety
        ///
        /// `mnt` is a valid mount, for the call.
        #[allow(unsafe_code)]
        #[::kernel::prelude::export]
        pub unsafe extern "C" fn $is_mount(mnt: *const ::kernel::bindings::vfsmount) -> bool {
            // SAFETY: As this function's caller guarantees.
            unsafe { BUILTIN_SINGLE_MOUNT.is_mount(mnt) }
        }

        /// Makes the filesystem's root the working directory: 0.
        ///
        /// # Safety
        ///
        /// None beyond C's: called by a task, for itself.
        #[allow(unsafe_code)]
        #[::kernel::prelude::export]
        pub unsafe extern "C" fn $chdir() -> ::kernel::ffi::c_int {
            BUILTIN_SINGLE_MOUNT.chdir_current()
        }
    };
}
pub(crate) use builtin_single_mount;
