// SPDX-License-Identifier: GPL-2.0

//! rnullfs.ko: Linux's nullfs (`fs/nullfs.c`), in Rust, as a module that
//! can be mounted.
//!
//! The crate root only puts the parts together:
//!
//! - [`nullfs`], the filesystem: what each operation does;
//! - [`options`], its mount options;
//! - [`vfs`], the layer that wires a filesystem into the VFS, and the one
//!   module where `unsafe` is allowed.
//!
//! `nullfs` and `options` are compiled under `forbid(unsafe_code)`: no
//! `unsafe` block, `unsafe impl`, `#[no_mangle]` or `extern` item can
//! appear in them, and no `#[allow(unsafe_code)]` inside them can switch
//! that back on (the compiler rejects the `allow` itself). What they do is
//! therefore only what the layer's safe API lets them do.
//!
//! The same crate builds into the kernel in place of `fs/nullfs.c`
//! (`cfg(rnullfs_intree)`, set by `Kbuild` in the kernel tree): then it
//! defines the nullfs that `fs/namespace.c` mounts instead of a module.

#![deny(unsafe_code)]

#[allow(unsafe_code)]
pub mod vfs;

// Built in, the crate holds whichever of the Rust nullfs and the Rust
// failfs the kernel chose (`rnullfs_nullfs`, `rnullfs_failfs`); the module
// is the mountable nullfs alone.
#[cfg(rnullfs_failfs)]
#[forbid(unsafe_code)]
mod failfs;
#[cfg(any(not(rnullfs_intree), rnullfs_nullfs))]
#[forbid(unsafe_code)]
mod nullfs;
// Built in, nullfs takes no option: the parser is then only the KUnit
// tests' (and the default options the mount uses).
#[cfg(any(not(rnullfs_intree), rnullfs_nullfs))]
#[forbid(unsafe_code)]
#[cfg_attr(rnullfs_intree, allow(dead_code))]
mod options;

// The module: the filesystem type, in static memory as lockdep needs, and
// its registration, held by the module for as long as it is loaded. The
// macro's `unsafe` is the layer's, which is why it stands here and not in
// the forbidding `nullfs`.
#[cfg(not(rnullfs_intree))]
vfs::module_fs! {
    fs: nullfs::RNullFs,
    flags: nullfs::FLAGS,
    module: {
        name: "rnullfs",
        authors: ["rnullfs developers"],
        description: "nullfs, the empty immutable filesystem, in Rust and mountable",
        license: "GPL",
        // What a mount of an unregistered type asks modprobe for (the C
        // filesystems' MODULE_ALIAS_FS).
        alias: ["fs-rnullfs"],
    }
    userns_mount_param: userns_mount = false,
    "Let the owner of a user namespace mount rnullfs (FS_USERNS_MOUNT)"
}

// Built into the kernel in place of `fs/nullfs.c`: no module, and the two
// symbols `fs/null_roots.h` declares, which `fs/namespace.c` uses before any
// initcall has run. Both are checked against those declarations.
#[cfg(rnullfs_intree)]
vfs::builtin_local_module!(c"nullfs");
#[cfg(rnullfs_nullfs)]
vfs::builtin_file_system_type!(nullfs_fs_type: nullfs::RNullFs, nullfs::FLAGS);
#[cfg(rnullfs_nullfs)]
vfs::export_anon_dentry!(nullfs_new_file: nullfs::RNullFs, nullfs::new_file);

// Built into the kernel in place of `fs/failfs.c`: its one mount, made by
// `mnt_init()`, and the functions `fs/null_roots.h` declares for it, which
// `fs/open.c` and `fs/d_path.c` call.
#[cfg(rnullfs_failfs)]
vfs::builtin_single_mount! {
    fs: failfs::FailFs,
    flags: failfs::FLAGS,
    init: failfs_init,
    get_root: failfs_get_root,
    is_mount: failfs_mnt,
    chdir: failfs_current_chdir,
}
