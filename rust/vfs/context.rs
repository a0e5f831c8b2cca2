// SPDX-License-Identifier: GPL-2.0

//! The mount API: a `struct fs_context` from `fsopen()` (or `mount(2)`,
//! which builds one too) to a super block.
//!
//! C header: [`include/linux/fs_context.h`](srctree/include/linux/fs_context.h),
//! documentation: `Documentation/filesystems/mount_api.rst`.
//!
//! Each context carries one `KBox<T::Options>` in `fc->fs_private`, from
//! `init_fs_context` to `free`: `parse_param` fills it, `get_tree` and
//! `reconfigure` read it.

use super::bindings as vfs;
use super::{super_block, FileSystem, SuperBlock};
use core::marker::PhantomData;
use kernel::{bindings, error::from_result, prelude::*, str::BStr};

/// The value of one mount parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ParamValue<'a> {
    /// No value: `-o key`, `fsconfig(FSCONFIG_SET_FLAG)`.
    Flag,
    /// A string: `-o key=value`, `fsconfig(FSCONFIG_SET_STRING)`.
    String(&'a BStr),
    /// A binary blob, a path or a file descriptor (`fsconfig()` only).
    Other,
}

/// One mount parameter, as the VFS hands it to `parse_param`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Param<'a> {
    /// The parameter's name.
    pub(crate) key: &'a BStr,
    /// Its value.
    pub(crate) value: ParamValue<'a>,
}

/// Why a mount parameter or a remount was refused: an errno and the message
/// that goes to the context's log (`dmesg` for `mount(2)`, `read()` on the
/// `fsopen()` fd for the new API).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// The errno the syscall returns.
    pub(crate) error: Error,
    /// What to log, without the filesystem's name (the log adds it).
    pub(crate) message: Option<&'static CStr>,
}

impl Refusal {
    /// An invalid value: `EINVAL` with a message.
    pub(crate) const fn invalid(message: &'static CStr) -> Self {
        Self {
            error: EINVAL,
            message: Some(message),
        }
    }

    /// A parameter the filesystem does not know: back to the VFS.
    pub(crate) const fn unknown() -> Self {
        Self {
            error: ENOPARAM,
            message: None,
        }
    }
}

/// What a remount asks to change.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reconfigure {
    /// `Some(false)` when it asks for read-write, `Some(true)` for
    /// read-only, `None` when it leaves that alone.
    pub(crate) read_only: Option<bool>,
}

/// The operations of every context of filesystem `T`.
struct ContextVTable<T>(PhantomData<T>);

impl<T: FileSystem> ContextVTable<T> {
    const OPS: vfs::fs_context_operations = vfs::fs_context_operations {
        free: Some(free::<T>),
        dup: None,
        parse_param: Some(parse_param::<T>),
        parse_monolithic: None,
        get_tree: Some(get_tree::<T>),
        reconfigure: Some(reconfigure::<T>),
    };
}

/// The context's options.
///
/// # Safety
///
/// `fc` is a valid context of filesystem `T` whose `fs_private` was set by
/// [`init_fs_context`] and not yet freed, and no other reference to the
/// options is live for `'a`.
unsafe fn options<'a, T: FileSystem>(fc: *mut vfs::fs_context) -> &'a mut T::Options {
    // SAFETY: By the function's requirements `fs_private` is the pointer
    // `KBox::into_raw` gave in `init_fs_context`, valid and not aliased.
    unsafe { &mut *(*fc).fs_private.cast::<T::Options>() }
}

/// Writes `message` as an error to the context's log, prefixed with the
/// filesystem's name by `logfc`.
///
/// # Safety
///
/// `fc` is a valid context.
unsafe fn log_error(fc: *mut vfs::fs_context, message: &CStr) {
    // SAFETY: `fc` is valid, so is its log; "%s" takes one C string,
    // which `message` is.
    unsafe {
        vfs::logfc(
            (*fc).log.log,
            (*fc).log.prefix,
            b'e' as c_char,
            c"%s".as_char_ptr(),
            message.as_char_ptr(),
        )
    };
}

/// Turns a refusal into the errno the VFS expects, logging its message.
///
/// # Safety
///
/// `fc` is a valid context.
unsafe fn refuse(fc: *mut vfs::fs_context, refusal: Refusal) -> c_int {
    if let Some(message) = refusal.message {
        // SAFETY: `fc` is valid by the function's requirements.
        unsafe { log_error(fc, message) };
    }
    refusal.error.to_errno()
}

/// `file_system_type.init_fs_context`: a mount attempt or a remount starts.
///
/// # Safety
///
/// Called by the VFS with a valid, new context of filesystem `T`.
pub(super) unsafe extern "C" fn init_fs_context<T: FileSystem>(
    fc: *mut bindings::fs_context,
) -> c_int {
    // The kernel crate only has an opaque `fs_context`; ours is complete.
    let fc = fc.cast::<vfs::fs_context>();
    from_result(|| {
        let options = KBox::new(T::Options::default(), GFP_KERNEL)?;
        // SAFETY: `fc` is valid and not yet shared. The options are freed
        // in `free`, which the VFS calls once for every context.
        unsafe {
            (*fc).fs_private = KBox::into_raw(options).cast();
            (*fc).ops = &ContextVTable::<T>::OPS;
        }
        Ok(0)
    })
}

/// `fs_context_operations.free`: the context is being destroyed.
///
/// # Safety
///
/// Called by the VFS, once, with a context set up by [`init_fs_context`].
unsafe extern "C" fn free<T: FileSystem>(fc: *mut vfs::fs_context) {
    // SAFETY: The context is valid; nothing else uses it any more.
    let options = unsafe { (*fc).fs_private };
    if !options.is_null() {
        // SAFETY: `options` came from `KBox::into_raw` in `init_fs_context`
        // and this is the one place that takes it back.
        drop(unsafe { KBox::from_raw(options.cast::<T::Options>()) });
    }
}

/// `fs_context_operations.parse_param`: one mount parameter.
///
/// # Safety
///
/// Called by the VFS, under the context's lock, with a valid context set up
/// by [`init_fs_context`] and a valid parameter.
unsafe extern "C" fn parse_param<T: FileSystem>(
    fc: *mut vfs::fs_context,
    param: *mut vfs::fs_parameter,
) -> c_int {
    // SAFETY: `param` is valid for the call; `key` is a C string.
    let key = unsafe { CStr::from_char_ptr((*param).key) };
    // SAFETY: As above; `type_` says which member of the union is set, and a
    // string parameter's `string` is a C string of `size` bytes.
    let value = unsafe {
        match (*param).type_() {
            vfs::fs_value_type_fs_value_is_flag => ParamValue::Flag,
            vfs::fs_value_type_fs_value_is_string => ParamValue::String(BStr::from_bytes(
                core::slice::from_raw_parts((*param).__bindgen_anon_1.string.cast(), (*param).size),
            )),
            _ => ParamValue::Other,
        }
    };
    let param = Param {
        key: key.as_ref(),
        value,
    };
    // SAFETY: The context is valid and set up by `init_fs_context`; the VFS
    // serialises calls on it.
    let options = unsafe { options::<T>(fc) };
    match T::parse_param(options, &param) {
        Ok(()) => 0,
        // SAFETY: `fc` is valid.
        Err(refusal) => unsafe { refuse(fc, refusal) },
    }
}

/// `fs_context_operations.get_tree`: make the super block of a new mount.
///
/// # Safety
///
/// Called by the VFS with a valid context set up by [`init_fs_context`].
unsafe extern "C" fn get_tree<T: FileSystem>(fc: *mut vfs::fs_context) -> c_int {
    // SAFETY: `fc` is valid; `get_tree_nodev` makes a new anonymous super
    // block and calls `fill_super` with it and `fc`.
    unsafe { vfs::get_tree_nodev(fc, Some(super_block::fill_super::<T>)) }
}

/// `fs_context_operations.reconfigure`: a remount of an existing super block.
///
/// # Safety
///
/// Called by the VFS with a valid context set up by [`init_fs_context`],
/// for reconfiguration: `fc->root` is the root of the mounted super block.
unsafe extern "C" fn reconfigure<T: FileSystem>(fc: *mut vfs::fs_context) -> c_int {
    // SAFETY: `fc` is valid.
    let (flags, mask) = unsafe { ((*fc).sb_flags, (*fc).sb_flags_mask) };
    let request = Reconfigure {
        read_only: (mask & vfs::SB_RDONLY != 0).then_some(flags & vfs::SB_RDONLY != 0),
    };
    // SAFETY: For a reconfiguration `fc->root` is a valid dentry of the
    // super block, which is alive and locked (`s_umount`) for the call.
    let sb = unsafe { SuperBlock::from_raw((*(*fc).root).d_sb) };
    // SAFETY: The context is valid and set up by `init_fs_context`.
    let options = unsafe { options::<T>(fc) };
    match T::reconfigure(&sb, &request, options) {
        Ok(()) => 0,
        // SAFETY: `fc` is valid.
        Err(refusal) => unsafe { refuse(fc, refusal) },
    }
}

/// The options of the context a super block is being filled from.
///
/// # Safety
///
/// `fc` is a valid context of filesystem `T` set up by [`init_fs_context`].
pub(super) unsafe fn options_of<'a, T: FileSystem>(fc: *mut vfs::fs_context) -> &'a T::Options {
    // SAFETY: As required by `options`; the reference is shared.
    unsafe { options::<T>(fc) }
}
