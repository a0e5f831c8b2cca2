// SPDX-License-Identifier: GPL-2.0
//
// The crate root of every misuse case, as rust/rnullfs.rs is rnullfs's:
// scripts/misuse-check builds a scratch module from this file, the real VFS
// layer (rust/vfs/) and rust/policy.rs, which is common.rs followed by the
// case. The policy module forbids `unsafe` exactly as rnullfs's own policy
// does, so a case that gets `unsafe` in there would get it into rnullfs too.

//! A misuse case of the VFS layer.

#![deny(unsafe_code)]
// The module-parameter helpers of rust/vfs/compat.rs, which a case needs not.
#![allow(unused_macros, unused_imports)]

#[allow(unsafe_code)]
pub mod vfs;

#[forbid(unsafe_code)]
mod policy;

vfs::module_fs! {
    fs: policy::Fs,
    flags: vfs::FsFlags {
        disallow_notify: false,
        userns_mount: false,
    },
    module: {
        name: "rnullfs",
        authors: ["rnullfs developers"],
        description: "a misuse of the VFS layer",
        license: "GPL",
    }
}
