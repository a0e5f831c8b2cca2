// SPDX-License-Identifier: GPL-2.0

//! The one way an error goes back to C: [`to_c_errno`], and the rule of
//! which errno each C caller may be given.
//!
//! C header: [`include/linux/errno.h`](srctree/include/linux/errno.h).
//!
//! Every [`Error`] is an errno from 1 to `MAX_ERRNO` (4095), but only those
//! up to 511 are meant for userspace. From 512 on are the kernel's own
//! codes, each with a meaning to the code that receives it. The layer
//! passes one on where the C caller of the operation gives it that meaning
//! and a filesystem built on the layer can mean it, and nowhere else:
//!
//! - `ERESTARTSYS`, `ERESTARTNOINTR`, `ERESTARTNOHAND`: passed on from an operation run in a system
//!   call of the calling task ([`Op::in_syscall`]), while a signal is pending for it: the signal
//!   code turns them into a restart or `EINTR` on the way back to userspace; with no signal pending
//!   nothing does, and userspace gets "Unknown error 512".
//! - `ENOPARAM`: passed on from `parse_param`: "not mine", and the VFS then takes `source` itself
//!   or refuses the parameter.
//! - `ERESTART_RESTARTBLOCK`: never: the restart calls `current->restart_block.fn`, which the layer
//!   gives no way to set.
//! - `EIOCBQUEUED`: never: it says "I will complete this asynchronously", and the layer has no way
//!   to complete a kiocb later, so the request would never end (and from a synchronous read,
//!   `new_sync_read()` hits `BUG_ON()`).
//! - `ENOIOCTLCMD`, `EOPENSTALE`: never: their callers (`ioctl`, `open`) are operations the layer
//!   does not have.
//! - every other errno from 512 on: never: `EPROBE_DEFER`, `ENOTSUPP`, `EBADTYPE`... are meant for
//!   other kernel callers.
//!
//! An errno that is not passed on becomes [`EIO`], and the kernel log says
//! so once per operation of each filesystem type, naming the filesystem:
//! the flags are in the type ([`TypeHead`]), so one filesystem's mistake
//! does not silence the warnings of another. That is why this is not the
//! kernel crate's `pr_warn_once!`, whose flag is one per call site, shared
//! by every filesystem built on the layer.

use core::sync::atomic::{AtomicU32, Ordering};
use kernel::{bindings, prelude::*, types::Opaque};

/// The largest errno userspace has a name for. Above it are the kernel's
/// internal ones.
const MAX_USER_ERRNO: c_int = 511;

/// An operation of the layer that hands an error back to C: what the
/// warning about a kernel-internal errno names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Op {
    /// `FileSystem::init_data` (`get_tree`).
    InitData,
    /// `FileSystem::init_root` and the making of the root (`fill_super`).
    FillSuper,
    /// `FileSystem::parse_param`.
    ParseParam,
    /// `FileSystem::reconfigure`.
    Reconfigure,
    /// `Directory::lookup`.
    Lookup,
    /// `Directory::iterate`.
    Iterate,
    /// `Directory::permission`.
    Permission,
    /// `Directory::getattr`.
    Getattr,
    /// `FileSystem::statfs`.
    Statfs,
    /// `FileSystem::revalidate_jump` (`d_weak_revalidate`).
    RevalidateJump,
    /// `setattr` of a directory or a regular file.
    Setattr,
    /// `fsync` of a directory or a regular file.
    Fsync,
    /// `llseek` of a directory or a regular file.
    Llseek,
    /// `RegularFile::read_iter`.
    ReadIter,
    /// `RegularFile::write_iter`.
    WriteIter,
    /// The making of a built-in filesystem's anonymous dentry.
    #[cfg_attr(not(rnullfs_intree), allow(dead_code))]
    AnonDentry,
}

impl Op {
    /// The operation's name, for the log.
    fn name(self) -> &'static CStr {
        match self {
            Op::InitData => c"init_data",
            Op::FillSuper => c"init_root",
            Op::ParseParam => c"parse_param",
            Op::Reconfigure => c"reconfigure",
            Op::Lookup => c"lookup",
            Op::Iterate => c"iterate",
            Op::Permission => c"permission",
            Op::Getattr => c"getattr",
            Op::Statfs => c"statfs",
            Op::RevalidateJump => c"revalidate_jump",
            Op::Setattr => c"setattr",
            Op::Fsync => c"fsync",
            Op::Llseek => c"llseek",
            Op::ReadIter => c"read_iter",
            Op::WriteIter => c"write_iter",
            Op::AnonDentry => c"the anonymous dentry",
        }
    }

    /// Whether the operation runs in a system call of the task that called
    /// it, whose return to userspace restarts it on a pending signal. Every
    /// operation but the built-in nullfs's anonymous dentry, which the
    /// kernel makes for itself. (A read or write submitted by `io_submit()`
    /// or io_uring runs in another context, but both turn the restart codes
    /// into `EINTR` themselves.)
    fn in_syscall(self) -> bool {
        !matches!(self, Op::AnonDentry)
    }

    /// The operation's flag in [`TypeHead`]'s `warned`.
    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

// Every operation has a bit of `TypeHead::warned`.
const _: () = assert!((Op::AnonDentry as u32) < u32::BITS);

/// The start of every filesystem type the layer makes (the module's
/// `FileSystemType` and, built in, `BuiltinFileSystemType`): the C type,
/// whose address is what every super block of it points at (`s_type`),
/// then the flags of the operations whose warning was printed.
///
/// # Invariants
///
/// `fs_type` is a `struct file_system_type` with a C string `name`, in
/// static memory; `warned` is only ever set bit by bit.
#[repr(C)]
pub(super) struct TypeHead {
    pub(super) fs_type: Opaque<bindings::file_system_type>,
    warned: AtomicU32,
}

impl TypeHead {
    /// The head of a type whose C part is `fs_type`, none of whose
    /// operations has warned yet.
    pub(super) const fn new(fs_type: bindings::file_system_type) -> Self {
        Self {
            fs_type: Opaque::new(fs_type),
            warned: AtomicU32::new(0),
        }
    }

    /// The head of the type whose C part `fs_type` is.
    ///
    /// # Safety
    ///
    /// `fs_type` points at the `fs_type` field of a `TypeHead` (it is the
    /// type of a filesystem the layer made), valid for `'a`.
    #[inline(always)]
    pub(super) unsafe fn from_raw<'a>(fs_type: *const bindings::file_system_type) -> &'a Self {
        // SAFETY: `fs_type` is the first field of a `#[repr(C)]` `TypeHead`,
        // at its address, and `Opaque` is a transparent wrapper of the
        // C type (the function's requirements).
        unsafe { &*fs_type.cast::<Self>() }
    }

    /// Whether this is the first time `op` warns, for this type.
    fn first_warning(&self, op: Op) -> bool {
        self.warned.fetch_or(op.bit(), Ordering::Relaxed) & op.bit() == 0
    }

    /// The type's name: the filesystem's, a C string in static memory
    /// (type invariants).
    fn name(&self) -> *const c_char {
        // SAFETY: `fs_type` is valid (type invariants), and `name` is set
        // when the type is made and never written afterwards.
        unsafe { (*self.fs_type.get()).name }
    }
}

/// The negative errno C gets for `error`, which `op` of a filesystem of
/// type `fs_type` returned: the errno itself, or `-EIO` for a
/// kernel-internal one that `op`'s C caller may not be given (see the
/// module documentation).
///
/// Inlined into each callback, where `op` is a constant: a compare and a
/// branch there, and the rest out of line.
#[inline(always)]
pub(super) fn to_c_errno(op: Op, fs_type: &TypeHead, error: Error) -> c_int {
    let errno = error.to_errno();
    if errno >= -MAX_USER_ERRNO {
        errno
    } else {
        internal_errno(op, fs_type, errno)
    }
}

/// [`to_c_errno`] of a kernel-internal `errno`.
#[cold]
#[inline(never)]
fn internal_errno(op: Op, fs_type: &TypeHead, errno: c_int) -> c_int {
    if passes_on(op, errno) {
        return errno;
    }
    if fs_type.first_warning(op) {
        // SAFETY: The format's conversions take two C strings (the type's
        // name and the operation's, both in static memory) and an `int`,
        // as passed; `\x014` is `KERN_WARNING`.
        unsafe {
            bindings::_printk(
                c"\x014%s: %s returned the kernel-internal errno %d; failed with EIO\n"
                    .as_char_ptr(),
                fs_type.name(),
                op.name().as_char_ptr(),
                errno,
            )
        };
    }
    -(bindings::EIO as c_int)
}

/// Whether `op`'s C caller is given the kernel-internal `errno` as it is
/// (the module documentation's table).
fn passes_on(op: Op, errno: c_int) -> bool {
    let restart = [ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND];
    if restart.iter().any(|code| code.to_errno() == errno) {
        return op.in_syscall() && kernel::current!().signal_pending();
    }
    op == Op::ParseParam && errno == ENOPARAM.to_errno()
}

/// The `int` a callback returns for `result` of `op`: 0 or a negative
/// errno (see [`to_c_errno`]).
#[inline(always)]
pub(super) fn errno(op: Op, fs_type: &TypeHead, result: Result) -> c_int {
    match result {
        Ok(()) => 0,
        Err(error) => to_c_errno(op, fs_type, error),
    }
}

/// Refuses a position that a read or write of `op` left outside
/// `0..=max_bytes`, which every later use of the file's position relies
/// on (`rw_verify_area()`, `vfs_setpos()`, and `lseek(fd, 0, SEEK_CUR)`,
/// which would return a negative one as an errno): `-EIO`, said once per
/// operation of the type, as for an errno.
#[cold]
#[inline(never)]
pub(super) fn bad_position(op: Op, fs_type: &TypeHead, position: i64) -> c_int {
    if fs_type.first_warning(op) {
        // SAFETY: Two C strings in static memory and a `long long`, as
        // passed; `\x014` is `KERN_WARNING`.
        unsafe {
            bindings::_printk(
                c"\x014%s: %s left the file position at %lld; failed with EIO\n".as_char_ptr(),
                fs_type.name(),
                op.name().as_char_ptr(),
                position,
            )
        };
    }
    -(bindings::EIO as c_int)
}
