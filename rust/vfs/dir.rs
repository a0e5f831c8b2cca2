// SPDX-License-Identifier: GPL-2.0

//! Directories: the `#[vtable]` trait a directory implements, and the const
//! `inode_operations` and `file_operations` tables built from it.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h).
//!
//! An operation the trait does not implement is left `NULL` in the table, so
//! the VFS does what it does for any filesystem without it. What needs no
//! code (fsync, locks) can be chosen as data and is then answered by the C
//! library function itself, with no Rust code in between; seeking among a
//! fixed number of entries goes through a small Rust callback that calls
//! `generic_file_llseek_size` with that number. `read` is always
//! `generic_read_dir` (`EISDIR`), as for every directory in Linux.

use super::attr::{setattr, Iattr};
use super::bindings as vfs;
use super::error::{errno, to_c_errno, Op, TypeHead};
use super::file_ops::{fsync_op, llseek_callback, lock_op, shared_ops_of, Fsync, Locks};
use super::inode::{Inode, InodeKind, InodeOps, InodeParams, InodeSpec};
use super::open_file::{OpenFile, Whence};
use core::marker::PhantomData;
use kernel::{bindings, error::VTABLE_DEFAULT_ERROR, prelude::*, str::BStr};

/// How an open directory's read position moves (`lseek()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirSeek {
    /// `ESPIPE`: it does not (`llseek` left `NULL`).
    Unseekable,
    /// Among a fixed number of entries at positions `0..n`: `SEEK_SET` and
    /// `SEEK_CUR` within them, `SEEK_END` to `n`, `EINVAL` past it
    /// (`generic_file_llseek_size(file, offset, whence, n, n)`).
    Entries(i64),
}

/// What `listxattr()` on a directory says. A directory has no extended
/// attributes of its own (the layer clears `IOP_XATTR`, so the VFS refuses
/// `getxattr` and `setxattr` itself); the choice is what listing them
/// gives. Data, not a method: a method could only say "none" or fail,
/// since the layer has no writer of names (nothing may make the kernel
/// copy bytes the filesystem did not write).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Xattrs {
    /// `listxattr` left `NULL`: the VFS lists the security module's labels
    /// (none without one).
    SecurityOnly,
    /// `EOPNOTSUPP`, as libfs's empty directories answer.
    Unsupported,
}

/// What an access check (`inode_operations.permission`) asks for: the
/// `MAY_*` bits of its mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access(c_int);

impl Access {
    /// `MAY_EXEC`: search the directory (a path walk through it).
    pub const EXEC: c_int = bindings::MAY_EXEC as c_int;
    /// `MAY_WRITE`: change its entries.
    pub const WRITE: c_int = bindings::MAY_WRITE as c_int;
    /// `MAY_READ`: list it.
    pub const READ: c_int = bindings::MAY_READ as c_int;

    /// Whether the check asks for any of `bits` (`Access::READ | ...`).
    #[inline]
    pub fn asks_any(self, bits: c_int) -> bool {
        self.0 & bits != 0
    }
}

/// The operations of a directory. Each method is one VFS callback, and is
/// given what the callback is given, borrowed for the call: the inode it
/// acts on (and through it the super block and the filesystem's data), or
/// the open file.
#[vtable]
pub trait Directory {
    /// The per-super-block data of the filesystem the directory is on
    /// (`FileSystem::Data`).
    type Data: Send + Sync;

    /// `FOP_IMMUTABLE`: the directory never changes, so `getdents()` takes
    /// no lock on it.
    const IMMUTABLE: bool = false;

    /// How the read position moves, when the directory has no
    /// [`llseek`](Directory::llseek) of its own.
    const SEEK: DirSeek = DirSeek::Unseekable;

    /// What `fsync()` does, when the directory has no
    /// [`fsync`](Directory::fsync) of its own.
    const FSYNC: Fsync = Fsync::Unsupported;

    /// What file locks do.
    const LOCKS: Locks = Locks::Local;

    /// What `listxattr()` says.
    const XATTRS: Xattrs = Xattrs::SecurityOnly;

    /// The directory is empty for good, as libfs's `make_empty_dir_inode()`
    /// makes one: a lookup finds nothing (`ENOENT`, and nothing is
    /// cached), a change of attributes is refused (`EPERM`), and listing
    /// extended attributes is unsupported (`EOPNOTSUPP`). These are then
    /// the layer's constant answers, with no Rust method in between, as
    /// libfs's `empty_dir_inode_operations` are, whatever `XATTRS` says. A
    /// directory that says so has no `lookup` or `setattr` of its own
    /// (refused at compile time).
    const EMPTY: bool = false;

    /// Looks up `name` in `dir`. `Ok(())` means "no such entry" without an
    /// error (the VFS may then go on, e.g. to create it); an error is
    /// returned as is.
    fn lookup(_dir: &Inode<Self::Data>, _name: &BStr) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes attributes of the directory (`chmod`, `chown`, `utimes`).
    fn setattr(_dir: &Inode<Self::Data>, _attr: &Iattr) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Every access to the directory is refused with this error, and with
    /// it every path walk through the directory: answered by the layer's
    /// callback with no Rust method in between, so in RCU-walk too, at the
    /// cost of a C filesystem's constant answer. A directory that says so
    /// has no [`permission`](Directory::permission) method (refused at
    /// compile time).
    const REFUSE_ALL_ACCESS: Option<Error> = None;

    /// Checks an access to the directory before the VFS's own checks of
    /// its mode and owner (`generic_permission()`), which run after an
    /// `Ok`: an error refuses the access, and with a search (`EXEC`) every
    /// path walk through the directory. It may sleep: it is never called
    /// in RCU-walk, where the VFS holds no reference on the directory, its
    /// mount or its super block, and must not sleep. There the layer
    /// answers `ECHILD` without calling it, and the VFS walks the path
    /// again in ref-walk, holding them, and calls it then (a walk through
    /// such a directory costs that second walk).
    fn permission(_dir: &Inode<Self::Data>, _access: Access) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Whether `stat()` of the directory may answer: on `Ok` the VFS fills
    /// in the inode's attributes (`generic_fillattr()`), an error is
    /// returned as is.
    fn getattr(_dir: &Inode<Self::Data>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Emits the entries of the open directory `file` from the position
    /// `emitter` is at (`getdents()`).
    fn iterate(_file: &OpenFile<Self::Data>, _emitter: &mut DirEmitter<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The new position of the open directory `file`, now at `current`,
    /// for `offset` from `whence` (instead of [`SEEK`](Directory::SEEK)).
    fn llseek(
        _file: &OpenFile<Self::Data>,
        _current: i64,
        _offset: i64,
        _whence: Whence,
    ) -> Result<i64> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes back what `fsync()` on `file` asks for (instead of
    /// [`FSYNC`](Directory::FSYNC)).
    fn fsync(_file: &OpenFile<Self::Data>, _start: i64, _end: i64, _datasync: bool) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The directory being read by a `getdents()` call, and where its entries
/// go (`struct file` and `struct dir_context` of `iterate_shared`).
///
/// # Invariants
///
/// `file` is the open directory being iterated and `ctx` its valid
/// `dir_context`, with its `actor` set (every caller of `iterate_dir()`
/// sets one), for `'a`, the length of the `iterate_shared` call; the
/// directory's inode has an alias (the dentry of `file`), as every open
/// directory does.
pub struct DirEmitter<'a> {
    file: *mut bindings::file,
    ctx: *mut bindings::dir_context,
    _call: PhantomData<&'a mut bindings::dir_context>,
}

impl DirEmitter<'_> {
    /// Emits one entry at the current position through the context's actor:
    /// `false` if the caller's buffer is full.
    #[inline(always)]
    fn emit(&mut self, name: &[u8], ino: u64) -> bool {
        let ctx = self.ctx;
        // SAFETY: `ctx` is valid and its actor set (type invariants), as C's
        // `dir_emit()` assumes too, without a check; the actor takes a name
        // of `name.len()` bytes for the length of the call.
        unsafe {
            let actor = (*ctx).actor.unwrap_unchecked();
            actor(
                ctx,
                name.as_ptr().cast(),
                name.len() as c_int,
                (*ctx).pos,
                ino,
                bindings::DT_DIR,
            )
        }
    }

    /// Emits `.` and `..` if the position is before them, moving the
    /// position past each (what `dir_emit_dots()` does in C). `false` if
    /// the caller's buffer is full.
    #[inline(always)]
    pub fn emit_dots(&mut self) -> bool {
        // SAFETY: `ctx` is valid and ours to update for the call (type
        // invariants).
        let position = unsafe { &mut (*self.ctx).pos };
        if *position == 0 {
            // SAFETY: `file` is the open directory (type invariants): its
            // dentry and that dentry's inode are valid while it is open.
            let ino = unsafe { (*(*(*self.file).__bindgen_anon_1.f_path.dentry).d_inode).i_ino };
            if !self.emit(b".", ino) {
                return false;
            }
            // SAFETY: As above.
            unsafe { (*self.ctx).pos = 1 };
        }
        // SAFETY: As above.
        if unsafe { (*self.ctx).pos } == 1 {
            // SAFETY: `file`'s dentry is valid while it is open;
            // `d_parent_ino` reads its parent's inode number under RCU.
            let parent =
                unsafe { bindings::d_parent_ino((*self.file).__bindgen_anon_1.f_path.dentry) };
            // `ino_t` is `unsigned long`, 64 bits here as `i_ino` is.
            if !self.emit(b"..", parent as u64) {
                return false;
            }
            // SAFETY: As above.
            unsafe { (*self.ctx).pos = 2 };
        }
        true
    }
}

/// The C tables of directory `T`.
struct DirVTable<T>(PhantomData<T>);

shared_ops_of!(DirVTable, Directory);

impl<T: Directory> DirVTable<T> {
    const INODE_OPS: bindings::inode_operations = bindings::inode_operations {
        lookup: match (T::EMPTY, T::HAS_LOOKUP) {
            (true, true) => panic!("a lookup method in an EMPTY directory"),
            (true, false) => Some(lookup_empty),
            (false, true) => Some(lookup::<T>),
            (false, false) => None,
        },
        setattr: match (T::EMPTY, T::HAS_SETATTR) {
            (true, true) => panic!("a setattr method in an EMPTY directory"),
            (true, false) => Some(setattr_refused),
            (false, true) => Some(setattr::<Self>),
            (false, false) => None,
        },
        permission: match (T::HAS_PERMISSION, T::REFUSE_ALL_ACCESS.is_some()) {
            (true, true) => panic!("a permission method and REFUSE_ALL_ACCESS: choose one"),
            (true, false) | (false, true) => Some(permission::<T>),
            (false, false) => None,
        },
        getattr: if T::HAS_GETATTR {
            Some(getattr::<T>)
        } else {
            None
        },
        listxattr: match (T::EMPTY, T::XATTRS) {
            (true, Xattrs::SecurityOnly) | (_, Xattrs::Unsupported) => Some(listxattr_unsupported),
            (false, Xattrs::SecurityOnly) => None,
        },
        ..pin_init::zeroed()
    };

    const FILE_OPS: bindings::file_operations = bindings::file_operations {
        llseek: match (T::HAS_LLSEEK, T::SEEK) {
            (true, DirSeek::Unseekable) => Some(llseek_callback::<Self>),
            (true, DirSeek::Entries(_)) => panic!("an llseek method and a const SEEK: choose one"),
            (false, DirSeek::Unseekable) => None,
            (false, DirSeek::Entries(_)) => Some(llseek_entries::<T>),
        },
        read: Some(bindings::generic_read_dir),
        iterate_shared: if T::HAS_ITERATE {
            Some(iterate::<T>)
        } else {
            None
        },
        fsync: fsync_op::<Self>(T::FSYNC, T::HAS_FSYNC),
        lock: lock_op(T::LOCKS),
        flock: lock_op(T::LOCKS),
        fop_flags: if T::IMMUTABLE { vfs::FOP_IMMUTABLE } else { 0 },
        ..pin_init::zeroed()
    };
}

impl<D> InodeSpec<D> {
    /// A directory with `params`, whose operations are `T`'s: `T` must be
    /// a directory of this filesystem (its `Data` is the super block's).
    #[inline(always)]
    pub const fn directory<T: Directory<Data = D>>(params: InodeParams) -> Self {
        // With the layer built in, an empty directory gets libfs's own
        // operations; a module's own layer cannot call the function that
        // sets them.
        #[cfg(rnullfs_intree)]
        let inode_ops = if T::EMPTY {
            InodeOps::LibfsEmptyDir
        } else {
            InodeOps::Table(&DirVTable::<T>::INODE_OPS)
        };
        #[cfg(not(rnullfs_intree))]
        let inode_ops = InodeOps::Table(&DirVTable::<T>::INODE_OPS);
        let kind = InodeKind {
            file_type: bindings::S_IFDIR,
            inode_ops,
            file_ops: &DirVTable::<T>::FILE_OPS,
        };
        Self::new(params, kind)
    }
}

/// # Safety
///
/// Called by the VFS with a directory inode of `T`, which it holds (and
/// locks) for the call, and a new dentry under it to look up.
unsafe extern "C" fn lookup<T: Directory>(
    dir: *mut bindings::inode,
    dentry: *mut bindings::dentry,
    _flags: c_uint,
) -> *mut bindings::dentry {
    // SAFETY: The VFS holds `dir` for the call; an inode with `T`'s
    // operations was made by the layer on a super block of `T::Data`,
    // mounted while a lookup walks it.
    let dir = unsafe { Inode::<T::Data>::from_raw(dir) };
    // SAFETY: `dentry` is the dentry this lookup is for.
    let name = unsafe { lookup_name(dentry) };
    match T::lookup(dir, name) {
        // Negative and not added to the dcache: nothing is remembered.
        Ok(()) => core::ptr::null_mut(),
        // `ERR_PTR()`: the errno as an address in the last page, which no
        // dentry has. Cast here rather than through `Error::to_ptr`, which
        // calls the C helper out of line where C's `ERR_PTR` is a cast.
        Err(error) => {
            let errno = to_c_errno(Op::Lookup, dir.super_block().type_head(), error);
            core::ptr::without_provenance_mut(errno as isize as usize)
        }
    }
}

/// `inode_operations.permission`: the directory's constant refusal, or
/// its own check (in ref-walk only), then the VFS's.
///
/// In RCU-walk (`MAY_NOT_BLOCK` in the mask) the caller holds only the RCU
/// read lock: the inode cannot be freed, but nothing keeps its mount, or
/// its super block's root, from going (a `umount` may run meanwhile), and
/// the call must not sleep. Policy code is never called there; `-ECHILD`
/// makes the VFS leave RCU-walk and call again, with references held and
/// the right to sleep, as `Documentation/filesystems/path-lookup.rst`
/// asks of a `permission` that cannot answer without blocking.
///
/// # Safety
///
/// Called by the VFS with a directory inode of `T`, valid for the call:
/// held by the caller, through the path it walks (so its super block is
/// mounted), or, in RCU-walk, kept from being freed by the RCU read lock.
unsafe extern "C" fn permission<T: Directory>(
    idmap: *mut bindings::mnt_idmap,
    dir: *mut bindings::inode,
    mask: c_int,
) -> c_int {
    // The errno rule holds for a constant refusal too. For an errno up to
    // 511, which the compiler sees, all this is that constant returned.
    if let Some(error) = T::REFUSE_ALL_ACCESS {
        // SAFETY: `dir` is valid for the call, in RCU-walk too; so is its
        // super block, which the VFS frees only after an RCU grace period,
        // and the super block's type, a static of the layer's that outlives
        // every super block of it.
        let fs_type = unsafe { TypeHead::from_raw((*(*dir).i_sb).s_type) };
        return to_c_errno(Op::Permission, fs_type, error);
    }
    if mask & bindings::MAY_NOT_BLOCK as c_int != 0 {
        return -(bindings::ECHILD as c_int);
    }
    // SAFETY: Not in RCU-walk: the caller holds `dir` and the path to it
    // for the call (the function's requirements); an inode with `T`'s
    // operations was made by the layer on a super block of `T::Data`.
    let inode = unsafe { Inode::<T::Data>::from_raw(dir) };
    match T::permission(inode, Access(mask)) {
        // SAFETY: As above; `generic_permission` takes the arguments the
        // VFS gave.
        Ok(()) => unsafe { bindings::generic_permission(idmap, dir, mask) },
        Err(error) => to_c_errno(Op::Permission, inode.super_block().type_head(), error),
    }
}

/// `inode_operations.getattr`.
///
/// # Safety
///
/// Called by the VFS (`vfs_getattr_nosec`) with a path to a directory of
/// `T`, held for the call, and the `kstat` to fill.
unsafe extern "C" fn getattr<T: Directory>(
    idmap: *mut bindings::mnt_idmap,
    path: *const bindings::path,
    stat: *mut bindings::kstat,
    request_mask: u32,
    _query_flags: c_uint,
) -> c_int {
    // SAFETY: The path is held for the call, so its dentry is valid and
    // positive: a directory of `T`, whose inode the layer made on a
    // mounted super block of `T::Data`.
    let raw = unsafe { (*(*path).dentry).d_inode };
    // SAFETY: As above.
    let inode = unsafe { Inode::<T::Data>::from_raw(raw) };
    match T::getattr(inode) {
        Ok(()) => {
            // SAFETY: As above; `stat` is the caller's, to fill.
            unsafe { bindings::generic_fillattr(idmap, request_mask, raw, stat) };
            0
        }
        Err(error) => to_c_errno(Op::Getattr, inode.super_block().type_head(), error),
    }
}

/// `inode_operations.lookup` of an [`EMPTY`](Directory::EMPTY) directory:
/// `ERR_PTR(-ENOENT)`, as libfs's `empty_dir_lookup`. An error, not a
/// negative dentry, so nothing is cached however many names are looked up.
///
/// # Safety
///
/// None beyond the C signature: it reads none of its arguments.
unsafe extern "C" fn lookup_empty(
    _dir: *mut bindings::inode,
    _dentry: *mut bindings::dentry,
    _flags: c_uint,
) -> *mut bindings::dentry {
    core::ptr::without_provenance_mut(-(bindings::ENOENT as isize) as usize)
}

/// `inode_operations.setattr` of an [`EMPTY`](Directory::EMPTY) directory:
/// `-EPERM`, as libfs's `empty_dir_setattr`.
///
/// # Safety
///
/// None beyond the C signature: it reads none of its arguments.
unsafe extern "C" fn setattr_refused(
    _idmap: *mut bindings::mnt_idmap,
    _dentry: *mut bindings::dentry,
    _attr: *mut bindings::iattr,
) -> c_int {
    -(bindings::EPERM as c_int)
}

/// `inode_operations.listxattr` for [`Xattrs::Unsupported`] and an
/// [`EMPTY`](Directory::EMPTY) directory: one function for every directory,
/// as libfs's `empty_dir_listxattr` is.
///
/// # Safety
///
/// None beyond the C signature: it reads none of its arguments, and writes
/// nothing to the buffer.
unsafe extern "C" fn listxattr_unsupported(
    _dentry: *mut bindings::dentry,
    _list: *mut c_char,
    _size: usize,
) -> isize {
    -(bindings::EOPNOTSUPP as isize)
}

/// `llseek` for [`DirSeek::Entries`].
///
/// # Safety
///
/// Called by the VFS, with `f_pos_lock` held where it needs it, for an open
/// directory of `T`: what `generic_file_llseek_size` requires.
unsafe extern "C" fn llseek_entries<T: Directory>(
    file: *mut bindings::file,
    offset: bindings::loff_t,
    whence: c_int,
) -> bindings::loff_t {
    // Only in the table for `DirSeek::Entries`.
    let DirSeek::Entries(entries) = T::SEEK else {
        return ESPIPE.to_errno().into();
    };
    // SAFETY: The VFS calls `llseek` on an open file with the locking
    // `generic_file_llseek_size` needs (the function's requirements).
    unsafe { bindings::generic_file_llseek_size(file, offset, whence, entries, entries) }
}

/// # Safety
///
/// Called by the VFS (`iterate_dir`) with an open directory of `T`, held
/// for the call, and its valid `dir_context`, with its actor set.
unsafe extern "C" fn iterate<T: Directory>(
    file: *mut bindings::file,
    ctx: *mut bindings::dir_context,
) -> c_int {
    // SAFETY: The directory is open and held for the call; it has `T`'s
    // operations, so its inode is the layer's, on a mounted super block of
    // `T::Data`.
    let open = unsafe { OpenFile::<T::Data>::from_raw(file) };
    // INVARIANT: `file` is the directory being read and `ctx` its context,
    // both for this call, which the emitter does not outlive.
    let mut emitter = DirEmitter {
        file,
        ctx,
        _call: PhantomData,
    };
    let result = T::iterate(open, &mut emitter);
    errno(Op::Iterate, open.inode().super_block().type_head(), result)
}

/// The name of a `struct dentry` a lookup is for.
///
/// # Safety
///
/// `dentry` is the dentry `inode_operations.lookup` was called with, for
/// the length of the call (`'a`).
#[inline]
unsafe fn lookup_name<'a>(dentry: *const bindings::dentry) -> &'a BStr {
    // The dentry of a lookup is new, not yet hashed (or in-lookup, from
    // `d_alloc_parallel`), and only a hashed dentry can be renamed
    // (`d_move`): its name cannot change during the call.
    // SAFETY: The dentry is valid for the call (the function's
    // requirements), its name stable as above; `name` has `len` bytes.
    unsafe {
        let name = &(*dentry).__bindgen_anon_1.d_name;
        BStr::from_bytes(core::slice::from_raw_parts(
            name.name,
            name.__bindgen_anon_1.__bindgen_anon_1.len as usize,
        ))
    }
}
