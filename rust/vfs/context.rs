// SPDX-License-Identifier: GPL-2.0

//! The mount API: a `struct fs_context` from `fsopen()` (or `mount(2)`,
//! which builds one too) to a super block, and remounts.
//!
//! C header: [`include/linux/fs_context.h`](srctree/include/linux/fs_context.h),
//! documentation: `Documentation/filesystems/mount_api.rst`.
//!
//! A context's options live in a `KBox<T::Options>` in `fc->fs_private`,
//! made by `parse_param` when it first accepts a parameter and freed by
//! `free`; `get_tree` (through `fill_super`) and `reconfigure` read it. A
//! context whose parameters were all someone else's (a `mount(2)` without
//! options passes only `source`) never allocates one: until then
//! `fs_private` is `NULL`, which stands for `T::Options::default()`, so a
//! plain mount costs what a C filesystem without options costs.

use super::bindings as vfs;
use super::compat::const_char_ptr;
use super::error::{to_c_errno, Op, TypeHead};
use super::inode::Mounter;
use super::param::{Param, ParamRefusal, ParamValue, Reconfigure, Refusal};
use super::super_block::{data_into_raw, drop_data_raw, New, Ready, SuperBlock};
use super::FileSystem;
use core::marker::PhantomData;
use kernel::{bindings, prelude::*, str::BStr};

/// The operations of every context of filesystem `T`.
struct ContextVTable<T>(PhantomData<T>);

impl<T: FileSystem> ContextVTable<T> {
    /// A filesystem without `parse_param` never has options of its own to
    /// free (`fs_private` stays `NULL`), so it has no `free` either; one
    /// without `reconfigure` leaves a remount to the VFS alone, as a C
    /// filesystem does that leaves the slot empty.
    const OPS: vfs::fs_context_operations = vfs::fs_context_operations {
        free: if T::HAS_PARSE_PARAM {
            Some(free::<T>)
        } else {
            None
        },
        dup: None,
        parse_param: if T::HAS_PARSE_PARAM {
            Some(parse_param::<T>)
        } else {
            None
        },
        parse_monolithic: None,
        get_tree: Some(get_tree::<T>),
        reconfigure: if T::HAS_RECONFIGURE {
            Some(reconfigure::<T>)
        } else {
            None
        },
    };

    /// The context of a type built into the kernel and mounted only by it
    /// (`kern_mount`): it is given no parameter and, `SB_NOUSER`, is never
    /// reconfigured, so `get_tree` is all it needs, as C's nullfs has.
    #[cfg(rnullfs_intree)]
    const INTERNAL_OPS: vfs::fs_context_operations = vfs::fs_context_operations {
        free: None,
        dup: None,
        parse_param: None,
        parse_monolithic: None,
        get_tree: Some(get_tree::<T>),
        reconfigure: None,
    };
}

/// The most bytes a value of a filesystem's [`Options`] or [`Data`] may
/// take. The layer holds both by value on the kernel stack, which is 16 KiB
/// on x86-64 and has no guard the Rust target probes (the kernel's Rust
/// code is built without stack probes): a value that does not fit would
/// be written below the stack, over whatever is there. A few copies of
/// one, as the compiler may make, stay within the 2 KiB `FRAME_WARN`
/// allows a function's frame. A filesystem with more to keep puts it in a
/// `KBox` inside its options or data.
///
/// [`Options`]: FileSystem::Options
/// [`Data`]: FileSystem::Data
pub const MAX_ON_STACK: usize = 512;

/// Holds at compile time for every filesystem whose mounts the layer
/// drives (see [`MAX_ON_STACK`]).
struct StackBound<T>(PhantomData<T>);

impl<T: FileSystem> StackBound<T> {
    const HOLDS: () = {
        assert!(
            core::mem::size_of::<T::Options>() <= MAX_ON_STACK,
            "FileSystem::Options is held on the kernel stack: at most MAX_ON_STACK bytes (box the rest)"
        );
        assert!(
            core::mem::size_of::<T::Data>() <= MAX_ON_STACK,
            "FileSystem::Data is held on the kernel stack: at most MAX_ON_STACK bytes (box the rest)"
        );
    };
}

/// The super block and dentry operations of filesystem `T`, which
/// `fill_super` gives each new super block.
struct SuperVTable<T>(PhantomData<T>);

impl<T: FileSystem> SuperVTable<T> {
    /// Only `statfs`: libfs's `simple_statfs` (magic, block size, name
    /// length; no blocks, no files), after the filesystem's own say where
    /// it has one.
    const OPS: bindings::super_operations = bindings::super_operations {
        statfs: if T::HAS_STATFS {
            Some(statfs::<T>)
        } else {
            Some(bindings::simple_statfs)
        },
        ..pin_init::zeroed()
    };

    /// The default dentry operations, for a filesystem that names its
    /// dentries or refuses jumps.
    const DENTRY_TABLE: bindings::dentry_operations = bindings::dentry_operations {
        d_dname: if T::DENTRY_NAME.is_some() {
            Some(d_dname::<T>)
        } else {
            None
        },
        d_weak_revalidate: if T::HAS_REVALIDATE_JUMP {
            Some(weak_revalidate::<T>)
        } else {
            None
        },
        ..pin_init::zeroed()
    };

    /// [`Self::DENTRY_TABLE`] where it has an operation; `None` leaves the
    /// VFS's defaults.
    const DENTRY_OPS: Option<&'static bindings::dentry_operations> =
        if T::DENTRY_NAME.is_some() || T::HAS_REVALIDATE_JUMP {
            Some(&Self::DENTRY_TABLE)
        } else {
            None
        };
}

/// `super_operations.statfs`: the filesystem's say, then `simple_statfs`.
///
/// # Safety
///
/// Called by the VFS (`statfs_by_dentry`) with a dentry of a mounted super
/// block of `T`, held for the call, and the buffer to fill.
unsafe extern "C" fn statfs<T: FileSystem>(
    dentry: *mut bindings::dentry,
    buf: *mut bindings::kstatfs,
) -> c_int {
    // SAFETY: The dentry is held for the call, so its super block is
    // valid; it is mounted, has its root and its data, a `T::Data` (the
    // layer set this table only on super blocks of `T`).
    let sb = unsafe { SuperBlock::<T::Data, Ready>::from_raw((*dentry).d_sb) };
    match T::statfs(sb) {
        // SAFETY: The arguments the VFS gave, for the call.
        Ok(()) => unsafe { bindings::simple_statfs(dentry, buf) },
        Err(error) => to_c_errno(Op::Statfs, sb.type_head(), error),
    }
}

/// `dentry_operations.d_dname`: the filesystem's name for every dentry.
///
/// # Safety
///
/// Called by `d_path()` with a dentry of a super block of `T` and the end
/// of a buffer of `buflen` bytes, as `dynamic_dname()` takes them.
unsafe extern "C" fn d_dname<T: FileSystem>(
    _dentry: *mut bindings::dentry,
    buffer: *mut c_char,
    buflen: c_int,
) -> *mut c_char {
    // Only in the table when there is a name.
    let name = T::DENTRY_NAME.unwrap_or(c"");
    // `"%s"` with a C string: `dynamic_dname` copies it into the buffer,
    // or gives `ERR_PTR(-ENAMETOOLONG)` where it does not fit.
    // SAFETY: `buffer` and `buflen` as the caller gave them; the format
    // takes one C string, which `name` is, for the call.
    unsafe { bindings::dynamic_dname(buffer, buflen, const_char_ptr(c"%s"), const_char_ptr(name)) }
}

/// `dentry_operations.d_weak_revalidate`: 1 (usable) or the filesystem's
/// error.
///
/// # Safety
///
/// Called by the VFS at the end of a path walk that jumped to a dentry of a
/// mounted super block of `T`, held for the call.
unsafe extern "C" fn weak_revalidate<T: FileSystem>(
    dentry: *mut bindings::dentry,
    _flags: c_uint,
) -> c_int {
    // SAFETY: As for `statfs`: the dentry is held, its super block mounted,
    // with a `T::Data`.
    let sb = unsafe { SuperBlock::<T::Data, Ready>::from_raw((*dentry).d_sb) };
    match T::revalidate_jump(sb) {
        Ok(()) => 1,
        Err(error) => to_c_errno(Op::RevalidateJump, sb.type_head(), error),
    }
}

/// The context's options, if a parameter was accepted; `None` stands for
/// `T::Options::default()`.
///
/// # Safety
///
/// `fc` is a valid context of filesystem `T` set up by [`init_fs_context`]
/// and not yet freed, and no other reference to the options is live for
/// `'a`.
#[inline]
unsafe fn stored_options<'a, T: FileSystem>(
    fc: *mut vfs::fs_context,
) -> Option<&'a mut T::Options> {
    // SAFETY: By the function's requirements `fs_private` is `NULL` or the
    // pointer `KBox::into_raw` gave in `parse_param`, valid and not aliased.
    unsafe { (*fc).fs_private.cast::<T::Options>().as_mut() }
}

/// Calls `f` with the context's options: the stored ones, or the default
/// ones for a context that accepted no parameter.
///
/// # Safety
///
/// As for [`stored_options`], for the length of the call.
#[inline]
unsafe fn with_options<T: FileSystem, R>(
    fc: *mut vfs::fs_context,
    f: impl FnOnce(&T::Options) -> R,
) -> R {
    let default;
    // A filesystem without `parse_param` never stores options: for it the
    // compiler sees the default options themselves, and what `f` makes of
    // them.
    let stored = if T::HAS_PARSE_PARAM {
        // SAFETY: As the caller guarantees.
        unsafe { stored_options::<T>(fc) }
    } else {
        None
    };
    let options = match stored {
        Some(options) => &*options,
        None => {
            default = T::Options::default();
            &default
        }
    };
    f(options)
}

/// Turns a refusal of `op` into the errno the VFS expects, logging its
/// message (prefixed with the filesystem's name by `logfc`). A
/// kernel-internal errno becomes `EIO` ([`to_c_errno`]). `#[inline]`: a
/// filesystem built into the kernel never refuses a parameter or a
/// remount, so there it is never compiled.
///
/// # Safety
///
/// `fc` is a valid context.
#[inline]
unsafe fn refuse(fc: *mut vfs::fs_context, op: Op, refusal: Refusal) -> c_int {
    if let Some(message) = refusal.message {
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
    // SAFETY: `fc` is valid, and its `fs_type` a type the layer made (this
    // is one of its context's operations), in static memory.
    let fs_type = unsafe { TypeHead::from_raw((*fc).fs_type) };
    to_c_errno(op, fs_type, refusal.error)
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
    // SAFETY: `fc` is valid and not yet shared. Its `fs_private` starts
    // `NULL`: the default options, until a parameter is accepted.
    unsafe { (*fc).ops = &ContextVTable::<T>::OPS };
    0
}

/// `file_system_type.init_fs_context` of a type built into the kernel and
/// mounted only by it (`kern_mount`): as [`init_fs_context`], and the super
/// block is `SB_NOUSER`, which makes the VFS refuse to reconfigure it
/// (`fs_context_for_reconfigure()`) or bind it from userspace.
///
/// # Safety
///
/// As for [`init_fs_context`].
#[cfg(rnullfs_intree)]
pub(super) unsafe extern "C" fn init_internal_fs_context<T: FileSystem>(
    fc: *mut bindings::fs_context,
) -> c_int {
    let fc = fc.cast::<vfs::fs_context>();
    // SAFETY: `fc` is valid and not yet shared (the function's
    // requirements). Its `fs_private` stays `NULL`: the default options.
    unsafe {
        (*fc).ops = &ContextVTable::<T>::INTERNAL_OPS;
        (*fc).sb_flags |= vfs::SB_NOUSER;
        // One super block, found in the initial user namespace whoever
        // mounts it (`sget_fc()` reads `global`).
        if T::SINGLE_INSTANCE {
            (*fc).set_global(true);
        }
    }
    0
}

/// `fs_context_operations.free`: the context's options are freed.
///
/// The VFS calls it when the context is destroyed, and also, keeping the
/// context, after `fsmount()` and after `fsconfig(FSCONFIG_CMD_RECONFIGURE)`
/// (`vfs_clean_context`); so `free` leaves `fs_private` `NULL` itself,
/// which stands for the default options, rather than rely on the VFS
/// clearing it afterwards.
///
/// # Safety
///
/// Called by the VFS with a context set up by [`init_fs_context`], under
/// the context's lock or when nothing else uses it any more.
unsafe extern "C" fn free<T: FileSystem>(fc: *mut vfs::fs_context) {
    // SAFETY: The context is valid and no other user of its options runs
    // (the function's requirements). `fs_private` is cleared before the
    // options are dropped, so the context never holds a freed pointer.
    let options = unsafe {
        let options = (*fc).fs_private;
        (*fc).fs_private = core::ptr::null_mut();
        options
    };
    if !options.is_null() {
        // `T::Options` is `Send`, so dropping it on this thread is fine.
        // SAFETY: A non-`NULL` `fs_private` came from `KBox::into_raw` in
        // `parse_param` and was just cleared: this is the one place it is taken back.
        drop(unsafe { KBox::from_raw(options.cast::<T::Options>()) });
    }
}

/// `fs_context_operations.parse_param`: one mount parameter.
///
/// # Safety
///
/// Called by the VFS, under the context's lock (`uapi_mutex`), with a valid
/// context set up by [`init_fs_context`] and a parameter valid for the call.
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
    // SAFETY: The context is valid and set up by `init_fs_context`; the
    // context's lock keeps every other user of the options away.
    let result = match unsafe { stored_options::<T>(fc) } {
        Some(options) => T::parse_param(options, &param),
        None => {
            // The first parameter this filesystem may take: parse it into
            // fresh options, and keep them only if it did.
            let mut options = T::Options::default();
            let result = T::parse_param(&mut options, &param);
            if result.is_ok() {
                match KBox::new(options, GFP_KERNEL) {
                    // SAFETY: `fc` is valid, its `fs_private` `NULL`; `free`
                    // takes the box back.
                    Ok(options) => unsafe { (*fc).fs_private = KBox::into_raw(options).cast() },
                    Err(_) => return ENOMEM.to_errno(),
                }
            }
            result
        }
    };
    match result {
        Ok(()) => 0,
        Err(ParamRefusal::Unknown) => ENOPARAM.to_errno(),
        // SAFETY: `fc` is valid.
        Err(ParamRefusal::Refused(refusal)) => unsafe { refuse(fc, Op::ParseParam, refusal) },
    }
}

/// `fs_context_operations.get_tree`: make the super block of a new mount.
///
/// What the super block starts with goes in through the context, as a C
/// filesystem's does: its flags (`fc->sb_flags`, `fc->s_iflags`) and its
/// data (`fc->s_fs_info`), which `sget_fc()` gives the new super block
/// before it puts it on the VFS's lists. Set in `fill_super`, `s_flags`
/// would be written while lockless readers of the published super block
/// (`super_lock()`) may read it.
///
/// # Safety
///
/// Called by the VFS, under the context's lock, with a valid context set up
/// by [`init_fs_context`].
unsafe extern "C" fn get_tree<T: FileSystem>(fc: *mut vfs::fs_context) -> c_int {
    // Every mount of `T` comes here first: the compile-time check of what
    // the layer holds on the stack.
    #[allow(clippy::let_unit_value)]
    let () = StackBound::<T>::HOLDS;
    let make_super_block = |options: &T::Options| {
        let (sb_flags, s_iflags) = T::super_params(options).context_flags();
        let data = match T::init_data(options) {
            Ok(data) => data,
            Err(error) => {
                // SAFETY: `fc` is valid, and its `fs_type` a type the layer
                // made, in static memory.
                let fs_type = unsafe { TypeHead::from_raw((*fc).fs_type) };
                return to_c_errno(Op::InitData, fs_type, error);
            }
        };
        let Some(data) = data_into_raw(data) else {
            return -(bindings::ENOMEM as c_int);
        };
        // `s_fs_info` was `NULL`: nothing else sets it. It holds the data
        // until `sget_fc()` moves it into the new super block, whose
        // `kill_sb` drops it.
        // SAFETY: `fc` is valid and its fields ours under its lock (the
        // function's requirements).
        unsafe {
            (*fc).sb_flags |= sb_flags;
            (*fc).s_iflags |= s_iflags;
            (*fc).s_fs_info = data;
        }
        // `get_tree_nodev` makes a new anonymous super block and calls
        // `fill_super` with it and `fc`; `get_tree_single` does so for the
        // first mount only, and gives later ones that super block.
        // SAFETY: `fc` is valid and set up for `fill_super::<T>`: its
        // options are `T`'s and its `s_fs_info` holds `T::Data`.
        let status = unsafe {
            if T::SINGLE_INSTANCE {
                vfs::get_tree_single(fc, Some(fill_super::<T>))
            } else {
                vfs::get_tree_nodev(fc, Some(fill_super::<T>))
            }
        };
        // If `sget_fc()` found the single super block, or failed before it
        // took the data, the data is still ours.
        // SAFETY: As above, `fc` is valid and ours.
        let unused = unsafe { core::ptr::replace(&raw mut (*fc).s_fs_info, core::ptr::null_mut()) };
        if !unused.is_null() {
            // SAFETY: `data_into_raw` made it, and no super block took it.
            unsafe { drop_data_raw::<T::Data>(unused) };
        }
        status
    };
    // SAFETY: `fc` is valid and set up by `init_fs_context`; nothing
    // changes the options while the context's lock is held.
    unsafe { with_options::<T, _>(fc, make_super_block) }
}

/// `fill_super` for `get_tree_nodev` and `get_tree_single`: fills a new
/// super block of `T`: its parameters, then its root. On failure the VFS
/// kills the super block (`kill_sb`), which frees what was set.
///
/// # Safety
///
/// Called by `get_tree_nodev` or `get_tree_single`, from [`get_tree`], with
/// the new super block (locked, seen by nobody else, its `s_fs_info` the
/// data `get_tree` put in the context) and the context, valid, under its
/// lock.
unsafe extern "C" fn fill_super<T: FileSystem>(
    sb: *mut bindings::super_block,
    fc: *mut vfs::fs_context,
) -> c_int {
    let fill = |options: &T::Options| {
        let params = T::super_params(options);
        if !params.are_valid() {
            return -(bindings::EINVAL as c_int);
        }
        // SAFETY: `sb` is the new super block, ours alone, its `s_fs_info` `T`'s data
        // (the function's requirements); `params` are valid, the tables are `T`'s, and
        // the reference ends with this closure.
        let new: &SuperBlock<T::Data, New> = unsafe {
            SuperBlock::apply(
                sb,
                &params,
                &SuperVTable::<T>::OPS,
                SuperVTable::<T>::DENTRY_OPS,
            )
        };
        // SAFETY: `fc` is valid (the function's requirements), and a
        // context's `cred` is valid for its life.
        let mounter = unsafe { Mounter::from_cred((*fc).cred) };
        match T::init_root(new, mounter, options) {
            Ok(spec) => new.set_root(&spec),
            Err(error) => to_c_errno(Op::FillSuper, new.type_head(), error),
        }
    };
    // SAFETY: `fc` is valid and set up by `init_fs_context`, under its
    // lock (the function's requirements).
    unsafe { with_options::<T, _>(fc, fill) }
}

/// `fs_context_operations.reconfigure`: a remount of an existing super block.
///
/// # Safety
///
/// Called by the VFS with a valid context set up by [`init_fs_context`],
/// for reconfiguration: `fc->root` is the root of the mounted super block,
/// which is alive and locked (`s_umount`) for the call.
unsafe extern "C" fn reconfigure<T: FileSystem>(fc: *mut vfs::fs_context) -> c_int {
    // SAFETY: `fc` is valid.
    let (flags, mask) = unsafe { ((*fc).sb_flags, (*fc).sb_flags_mask) };
    let request = Reconfigure {
        read_only: (mask & vfs::SB_RDONLY != 0).then_some(flags & vfs::SB_RDONLY != 0),
    };
    // SAFETY: `fc->root` is a valid dentry of the mounted super block of
    // `T`, alive for the call, with its root and its data in `s_fs_info`
    // (set at `fill_super`, freed only at `kill_sb`).
    let sb: &SuperBlock<T::Data, Ready> = unsafe { SuperBlock::from_raw((*(*fc).root).d_sb) };
    // SAFETY: The context is valid and set up by `init_fs_context`, and
    // the context's lock keeps every other user of the options away.
    let result =
        unsafe { with_options::<T, _>(fc, |options| T::reconfigure(sb, &request, options)) };
    match result {
        Ok(()) => 0,
        // SAFETY: `fc` is valid.
        Err(refusal) => unsafe { refuse(fc, Op::Reconfigure, refusal) },
    }
}
