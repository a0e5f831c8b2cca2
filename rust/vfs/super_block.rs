// SPDX-License-Identifier: GPL-2.0

//! Super blocks: a new one being filled, and a mounted one.
//!
//! C header: [`include/linux/fs/super_types.h`](srctree/include/linux/fs/super_types.h).
//!
//! A [`SuperBlock`] carries its state in its type: [`New`] while
//! `fill_super` runs (inodes and the root can be made), [`Ready`] once it is
//! mounted. Its parameters are applied by the layer before the filesystem
//! sees it in either state, so no inode can be made before them. Each super
//! block owns one value of the filesystem's per-super-block data
//! (`s_fs_info`), from its creation until `kill_sb`: as a C filesystem
//! does, the layer puts the data in the context (`fc->s_fs_info`) before
//! asking for a super block, and `sget_fc()` moves it into the new one.

use super::bindings as vfs;
use super::error::TypeHead;
use core::{ffi::c_void, marker::PhantomData, ptr::NonNull};
use kernel::{
    bindings,
    prelude::*,
    types::{ForeignOwnable, Opaque},
};

/// The state of a super block between its creation and the end of
/// `fill_super`: inodes and the root can be made.
pub struct New;

/// The state of a mounted super block.
pub struct Ready;

/// `PAGE_SHIFT`: `log2` of the page size, the usual block size.
pub const PAGE_SHIFT: u8 = bindings::PAGE_SHIFT as u8;

/// `MAX_LFS_FILESIZE`: the largest file size the page cache can address.
pub const MAX_LFS_FILESIZE: i64 = vfs::MAX_LFS_FILESIZE;

/// The parameters of a new super block.
///
/// Plain data, chosen by `FileSystem::super_params` from the mount's
/// options, which the layer calls at each step that needs them: for the
/// flags before the super block exists, and for the rest once it does.
#[derive(Clone, Copy)]
pub struct SuperParams {
    /// `s_magic`, what `statfs()` reports as `f_type`.
    pub magic: u32,
    /// `log2(s_blocksize)`, what `statfs()` reports as `f_bsize`: from 9
    /// (512 bytes) to [`PAGE_SHIFT`].
    pub blocksize_bits: u8,
    /// `s_maxbytes`, the largest file size: up to [`MAX_LFS_FILESIZE`].
    pub max_bytes: i64,
    /// `s_time_gran`, in nanoseconds: from 1 to 1,000,000,000, dividing it.
    pub time_granularity: u32,
    /// `SB_RDONLY`: the super block refuses every write.
    pub read_only: bool,
    /// `SB_I_NOEXEC`: nothing on it can be executed, whatever the mount says.
    pub no_exec: bool,
    /// `SB_I_NODEV`: no device node on it can be opened.
    pub no_dev: bool,
}

impl SuperParams {
    /// The flags of the super block, for the context it is made from
    /// (`fc->sb_flags`, `fc->s_iflags`), which `sget_fc()` gives it before
    /// the VFS can see it.
    pub(super) fn context_flags(&self) -> (c_uint, c_uint) {
        let mut sb_flags = 0;
        if self.read_only {
            sb_flags |= vfs::SB_RDONLY;
        }
        let mut s_iflags = 0;
        if self.no_exec {
            s_iflags |= bindings::SB_I_NOEXEC;
        }
        if self.no_dev {
            s_iflags |= bindings::SB_I_NODEV;
        }
        (sb_flags, s_iflags)
    }

    /// Checks the bounds the VFS relies on: a block size it can handle, a
    /// file size the page cache can address, and a time granularity that
    /// `timestamp_truncate()` accepts without a warning.
    #[inline]
    pub(super) fn are_valid(&self) -> bool {
        const NSEC_PER_SEC: u32 = 1_000_000_000;
        let blocksize_ok = (9..=PAGE_SHIFT).contains(&self.blocksize_bits);
        let max_bytes_ok = (0..=MAX_LFS_FILESIZE).contains(&self.max_bytes);
        let granularity_ok = (1..=NSEC_PER_SEC).contains(&self.time_granularity)
            && NSEC_PER_SEC % self.time_granularity == 0;
        blocksize_ok && max_bytes_ok && granularity_ok
    }
}

/// A super block whose per-super-block data is a `D`, in state `S`
/// ([`New`] or [`Ready`]).
///
/// # Invariants
///
/// While a `&SuperBlock<D, S>` exists, it is a valid super block whose
/// parameters were applied by `SuperBlock::apply` and whose `s_fs_info`
/// holds a `KBox<D>`'s pointer (a dangling one for a `D` that needs no
/// memory, see `data_needs_freeing`) that stays valid until `kill_sb`,
/// which cannot run while the reference lives. Its `s_type` is a
/// filesystem type the layer made, which starts with a `TypeHead`. In state [`New`] it is the super
/// block `fill_super` is filling, which nothing else uses until it returns;
/// it is not yet `SB_BORN` and the mount holds its `s_umount` for writing,
/// so no walker of the VFS's lists of super blocks or of its inodes looks
/// inside it. In state [`Ready`] it has a root.
#[repr(transparent)]
pub struct SuperBlock<D, S = Ready> {
    sb: Opaque<bindings::super_block>,
    _data_and_state: PhantomData<(D, S)>,
}

impl<D, S> SuperBlock<D, S> {
    /// # Safety
    ///
    /// `sb` satisfies the type invariants for state `S` for `'a`.
    #[inline]
    pub(super) unsafe fn from_raw<'a>(sb: *mut bindings::super_block) -> &'a Self {
        // SAFETY: `SuperBlock` is a transparent wrapper of `struct
        // super_block`; the caller guarantees the invariants for `'a`.
        unsafe { &*sb.cast::<Self>() }
    }

    /// The `struct super_block`.
    #[inline]
    pub(super) fn as_ptr(&self) -> *mut bindings::super_block {
        self.sb.get()
    }

    /// The filesystem type of the super block, for the layer's warnings.
    #[inline(always)]
    pub(super) fn type_head(&self) -> &TypeHead {
        // SAFETY: The super block is valid and its `s_type`, which never
        // changes, is a type the layer made, in static memory (type
        // invariants).
        unsafe { TypeHead::from_raw((*self.as_ptr()).s_type) }
    }

    /// The largest position of a file on it, `s_maxbytes`.
    #[inline(always)]
    pub(super) fn max_bytes(&self) -> i64 {
        // SAFETY: The super block is valid (type invariants); `s_maxbytes`
        // is set by `SuperBlock::apply`, before any file can be opened on
        // it, and never changed.
        unsafe { (*self.as_ptr()).s_maxbytes }
    }

    /// The filesystem's data for this super block.
    #[inline]
    pub fn data(&self) -> &D {
        // By the type invariants `s_fs_info` is what `data_into_raw` gave: a
        // `KBox<D>` made foreign; it is only taken back in `kill_sb`, after
        // every reference to the super block is gone, and nothing borrows
        // it mutably.
        // SAFETY: As above, the pointer is valid for reads of a `D` for `'_`.
        unsafe { <KBox<D> as ForeignOwnable>::borrow((*self.as_ptr()).s_fs_info) }
    }
}

/// Whether the data `D` of a super block needs freeing when it is killed:
/// not when it is zero-sized with no drop glue (`()`), whose `KBox` owns no
/// memory. Such a filesystem's `kill_sb` is then `kill_anon_super` itself,
/// as a C filesystem's is.
pub(super) const fn data_needs_freeing<D>() -> bool {
    core::mem::size_of::<D>() != 0 || core::mem::needs_drop::<D>()
}

impl<D> SuperBlock<D, New> {
    /// Applies `params` and the filesystem's operation tables to the super
    /// block `fill_super` was given: the step that makes it a
    /// `SuperBlock<D, New>`. Its flags are already set: they came in
    /// through the context ([`SuperParams::context_flags`]), and so did its
    /// data ([`data_into_raw`]). `d_op` becomes the default of every dentry
    /// made on it from now on, its root's first (`set_default_d_op`).
    ///
    /// # Safety
    ///
    /// `sb` is the new super block `get_tree_nodev` or `get_tree_single`
    /// passed to `fill_super` (not `SB_BORN`, its `s_umount` held for
    /// writing by the mount), not yet used by anyone else, whose
    /// `s_fs_info` is the pointer [`data_into_raw`] gave for a `D`;
    /// `params` are valid ([`SuperParams::are_valid`]); `ops` and `d_op`
    /// are the tables of a filesystem whose data is a `D`; and `'a` ends
    /// before `fill_super` returns.
    #[inline]
    pub(super) unsafe fn apply<'a>(
        sb: *mut bindings::super_block,
        params: &SuperParams,
        ops: &'static bindings::super_operations,
        d_op: Option<&'static bindings::dentry_operations>,
    ) -> &'a Self {
        // SAFETY: `sb` is valid and ours alone (the function's
        // requirements).
        unsafe {
            (*sb).s_magic = params.magic as c_ulong;
            (*sb).s_blocksize_bits = params.blocksize_bits;
            (*sb).s_blocksize = 1 << params.blocksize_bits;
            (*sb).s_maxbytes = params.max_bytes;
            (*sb).s_time_gran = params.time_granularity;
            (*sb).s_op = ops;
            if let Some(d_op) = d_op {
                bindings::set_default_d_op(sb, d_op);
            }
        }
        // SAFETY: The parameters are applied and `s_fs_info` holds the
        // data, so the invariants of state `New` hold for `'a` (the
        // function's requirements).
        unsafe { Self::from_raw(sb) }
    }
}

/// The per-super-block data `data`, as the pointer `s_fs_info` holds: a
/// `KBox<D>` made foreign (the kernel crate's [`ForeignOwnable`]). `None`
/// if there is no memory for it.
#[inline]
pub(super) fn data_into_raw<D>(data: D) -> Option<*mut c_void> {
    // A `const` condition, so that for data that needs no memory the box's
    // constructor is not even compiled.
    if const { data_needs_freeing::<D>() } {
        Some(KBox::new(data, GFP_KERNEL).ok()?.into_foreign())
    } else {
        // A zero-sized `D` without drop glue (`()`) owns nothing: a `KBox`
        // of it allocates nothing, and made foreign it is the dangling
        // pointer of `D`, given here without the box. Its `kill_sb` is
        // `kill_anon_super`, which never looks.
        Some(NonNull::<D>::dangling().as_ptr().cast())
    }
}

/// Drops the per-super-block data `data` points at.
///
/// # Safety
///
/// `data` is a pointer [`data_into_raw`] gave for a `D`, which nothing uses
/// any more, and which is taken back this once.
#[inline]
pub(super) unsafe fn drop_data_raw<D>(data: *mut c_void) {
    if const { data_needs_freeing::<D>() } {
        // SAFETY: For such a `D` the pointer came from `into_foreign` of a
        // `KBox<D>`, and is taken back this once (the function's
        // requirements).
        drop(unsafe { <KBox<D> as ForeignOwnable>::from_foreign(data) });
    }
}

/// Takes back the per-super-block data of `sb` and drops it.
///
/// # Safety
///
/// `sb` is a super block of a filesystem whose data is a `D`, being killed:
/// no reference to it as a [`SuperBlock`] exists any more, and its
/// `s_fs_info` is `NULL` or the pointer [`data_into_raw`] gave.
pub(super) unsafe fn drop_data<D>(sb: *mut bindings::super_block) {
    // SAFETY: `sb` is valid (the function's requirements).
    let data = unsafe { (*sb).s_fs_info };
    // SAFETY: As above; nothing reads it after this.
    unsafe { (*sb).s_fs_info = core::ptr::null_mut() };
    if !data.is_null() {
        // SAFETY: A non-NULL `s_fs_info` came from `data_into_raw` in
        // `get_tree`, and this, at kill time, is the one place that takes
        // it back.
        unsafe { drop_data_raw::<D>(data) };
    }
}
