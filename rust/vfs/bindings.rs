// SPDX-License-Identifier: GPL-2.0

//! C items the VFS layer needs that `kernel::bindings` does not have.
//!
//! `build/vfs/bindings_generated.rs` is written by `scripts/vfs-bindgen`
//! (run by `scripts/build` before kbuild) from `vfs_bindings.h`, with the C
//! flags of the kernel tree the module is built against. Items the kernel
//! crate already has are imported from it, not generated again (bindgen's
//! `__BindgenBitfieldUnit` included): `fs_context` and `fs_parameter` are
//! generated here because the kernel crate only has them as opaque types.
//! Like the kernel's own bindings, the generated code is a build product, and
//! its bitfield accessors carry bindgen's `unsafe` blocks, not ours.

#![allow(
    clippy::all,
    clippy::undocumented_unsafe_blocks,
    clippy::ptr_as_ptr,
    clippy::cast_lossless,
    clippy::ref_as_ptr,
    clippy::as_underscore,
    dead_code,
    non_camel_case_types,
    non_upper_case_globals,
    non_snake_case,
    unreachable_pub,
    unsafe_op_in_unsafe_fn,
    improper_ctypes
)]

#[cfg(not(rnullfs_intree))]
include!("../../build/vfs/bindings_generated.rs");

// Built into the kernel, the tree's own bindings have all of it: the
// patch series adds `linux/fs_context.h`, `fs/null_roots.h` and the constants
// to `rust/bindings/bindings_helper.h` (see `scripts/series`).
#[cfg(rnullfs_intree)]
pub(crate) use kernel::bindings::*;
