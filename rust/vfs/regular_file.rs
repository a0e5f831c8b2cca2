// SPDX-License-Identifier: GPL-2.0

//! Regular files: the `#[vtable]` trait a regular file implements, and the
//! const `inode_operations` and `file_operations` tables built from it.
//!
//! C header: [`include/linux/fs.h`](srctree/include/linux/fs.h).
//!
//! `llseek` is `generic_file_llseek` unless the file writes its own.
//! Splicing into the file goes through its `write_iter`
//! (`iter_file_splice_write`): the C nullfs uses `splice_from_pipe`, which
//! modules cannot call.
//!
//! A read or a write returns how many bytes it moved, and the VFS trusts
//! that count: `iter_file_splice_write` releases that many bytes of pipe
//! buffers, and a reader hands on that many bytes of its buffer as file
//! data. So the filesystem never says it; the layer measures how far the
//! iterator moved during the call, and returns that. A read's iterator can
//! only be moved by copying bytes into it ([`ReadBuffer`]), so every byte
//! counted was written: the buffer of a kernel reader (a loop device's
//! pages, `binfmt_elf`'s header buffer) never passes on memory it did not
//! fill.

use super::attr::{setattr, Iattr};
use super::error::{bad_position, Op};
use super::file_ops::{count, fsync_op, llseek_callback, lock_op, shared_ops_of, Fsync, Locks};
use super::inode::{Inode, InodeKind, InodeOps, InodeParams, InodeSpec};
use super::open_file::{OpenFile, Whence};
use super::super_block::SuperBlock;
use core::marker::PhantomData;
use kernel::{
    bindings,
    error::VTABLE_DEFAULT_ERROR,
    fs::Kiocb,
    iov::{IovIterDest, IovIterSource},
    prelude::*,
};

/// What `splice()` from a regular file into a pipe does. Data, not a
/// method: the layer has no writer into a pipe, so a method could only say
/// "nothing" or fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpliceRead {
    /// `EINVAL` (`splice_read` left `NULL`).
    Unsupported,
    /// Nothing is spliced, as at the end of the file: 0 bytes.
    EndOfFile,
}

/// The operations of a regular file. Each method is one VFS callback, and
/// is given what the callback is given, borrowed for the call: the inode it
/// acts on, the open file, or the open file and the transfer (the kernel
/// crate's [`Kiocb`], whose `ki_pos` is the position). The file's
/// `private_data` is not used (`Kiocb<'_, ()>`).
#[vtable]
pub trait RegularFile {
    /// The per-super-block data of the filesystem the file is on
    /// (`FileSystem::Data`).
    type Data: Send + Sync;

    /// What `fsync()` does, when the file has no
    /// [`fsync`](RegularFile::fsync) of its own.
    const FSYNC: Fsync = Fsync::Unsupported;

    /// What file locks do.
    const LOCKS: Locks = Locks::Local;

    /// What splicing from the file into a pipe does.
    const SPLICE_READ: SpliceRead = SpliceRead::Unsupported;

    /// Reads from `file` into `to` (`read()`, `readv()`...) from the
    /// position of `kiocb`: the bytes written into `to` (none at the end of
    /// the file) are the bytes read, and the position moves on by as many.
    fn read_iter(
        _file: &OpenFile<Self::Data>,
        _kiocb: &mut Kiocb<'_, ()>,
        _to: &mut ReadBuffer<'_, '_>,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes from `from` to `file` at the position of `kiocb`, advancing
    /// `from` by the bytes written.
    fn write_iter(
        _file: &OpenFile<Self::Data>,
        _kiocb: &mut Kiocb<'_, ()>,
        _from: &mut IovIterSource<'_>,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes attributes of the file (`chmod`, `chown`, `truncate`...).
    fn setattr(_inode: &Inode<Self::Data>, _attr: &Iattr) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The new position of `file`, now at `current`, for `offset` from
    /// `whence` (instead of `generic_file_llseek`).
    fn llseek(
        _file: &OpenFile<Self::Data>,
        _current: i64,
        _offset: i64,
        _whence: Whence,
    ) -> Result<i64> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes back what `fsync()` on `file` asks for (instead of
    /// [`FSYNC`](RegularFile::FSYNC)).
    fn fsync(_file: &OpenFile<Self::Data>, _start: i64, _end: i64, _datasync: bool) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The C tables of regular file `T`.
struct FileVTable<T>(PhantomData<T>);

shared_ops_of!(FileVTable, RegularFile);

impl<T: RegularFile> FileVTable<T> {
    const INODE_OPS: bindings::inode_operations = bindings::inode_operations {
        setattr: if T::HAS_SETATTR {
            Some(setattr::<Self>)
        } else {
            None
        },
        ..pin_init::zeroed()
    };

    const FILE_OPS: bindings::file_operations = bindings::file_operations {
        llseek: if T::HAS_LLSEEK {
            Some(llseek_callback::<Self>)
        } else {
            Some(bindings::generic_file_llseek)
        },
        read_iter: if T::HAS_READ_ITER {
            Some(read_iter::<T>)
        } else {
            None
        },
        write_iter: if T::HAS_WRITE_ITER {
            Some(write_iter::<T>)
        } else {
            None
        },
        splice_read: match T::SPLICE_READ {
            SpliceRead::Unsupported => None,
            SpliceRead::EndOfFile => Some(splice_read_end_of_file),
        },
        splice_write: if T::HAS_WRITE_ITER {
            Some(bindings::iter_file_splice_write)
        } else {
            None
        },
        fsync: fsync_op::<Self>(T::FSYNC, T::HAS_FSYNC),
        lock: lock_op(T::LOCKS),
        flock: lock_op(T::LOCKS),
        ..pin_init::zeroed()
    };
}

impl<D> InodeSpec<D> {
    /// A regular file with `params`, whose operations are `T`'s: `T` must
    /// be a file of this filesystem (its `Data` is the super block's).
    #[inline(always)]
    pub const fn regular_file<T: RegularFile<Data = D>>(params: InodeParams) -> Self {
        let kind = InodeKind {
            file_type: bindings::S_IFREG,
            inode_ops: InodeOps::Table(&FileVTable::<T>::INODE_OPS),
            file_ops: &FileVTable::<T>::FILE_OPS,
        };
        Self::new(params, kind)
    }
}

/// Where a read puts the bytes it reads: the destination of `read_iter`.
///
/// The kernel crate's [`IovIterDest`], with only its copying methods: the
/// count the layer measures is then the count of bytes written. The
/// iterator itself would also let a filesystem skip ahead (`advance`)
/// without writing, reporting as read bytes the caller's buffer never got.
pub struct ReadBuffer<'call, 'data> {
    to: &'call mut IovIterDest<'data>,
}

impl ReadBuffer<'_, '_> {
    /// How many more bytes the reader asked for: C's `iov_iter_count()`.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.to.len()
    }

    /// Whether the reader's buffer is full.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Copies `bytes` into the reader's buffer: how many it took, fewer
    /// than `bytes.len()` if the buffer is full or a page of it cannot be
    /// written (a read that fails part way reports what was copied).
    #[inline]
    pub fn write(&mut self, bytes: &[u8]) -> usize {
        self.to.copy_to_iter(bytes)
    }

    /// Reads from a file whose contents are `contents`, at `*position`,
    /// moving the position on by what was copied: how many bytes that is
    /// (0 at or past the end), or `EFAULT` if none could be copied. The
    /// kernel's `simple_read_from_buffer()`.
    #[inline]
    pub fn simple_read_from_buffer(
        &mut self,
        position: &mut i64,
        contents: &[u8],
    ) -> Result<usize> {
        self.to.simple_read_from_buffer(position, contents)
    }
}

/// The open file of `kiocb`, for the length of a read or write call.
///
/// # Safety
///
/// `kiocb` is valid for `'a` and its file open and held for `'a`, with an
/// inode the layer made on a mounted super block of `D`, on the calling
/// thread (a `LocalFile`).
#[inline]
unsafe fn kiocb_file<'a, D>(kiocb: *mut bindings::kiocb) -> &'a OpenFile<D> {
    // SAFETY: As the caller guarantees: `ki_filp` is that file.
    unsafe { OpenFile::from_raw((*kiocb).ki_filp) }
}

/// # Safety
///
/// Called by the VFS with a kiocb of a file of `T`, open and held for the
/// call and used by it alone, and an `ITER_DEST` iov_iter that only this
/// call uses, for its length, and that is safe to write to with the C
/// iov_iter functions.
unsafe extern "C" fn read_iter<T: RegularFile>(
    kiocb: *mut bindings::kiocb,
    to: *mut bindings::iov_iter,
) -> isize {
    // SAFETY: The kiocb is this call's, its file open and held for the
    // call, on this thread, with `T`'s operations: the layer made its inode
    // on a mounted super block of `T::Data`.
    let file = unsafe { kiocb_file::<T::Data>(kiocb) };
    // SAFETY: The kiocb is valid for the call; `()` borrows nothing from
    // the file's `private_data`, whatever it holds.
    let mut kiocb = unsafe { Kiocb::<()>::from_raw(kiocb) };
    // SAFETY: As `IovIterDest::from_raw` requires (the function's
    // requirements), for the call, which the buffer does not outlive.
    let to = unsafe { IovIterDest::from_raw(to) };
    let mut buffer = ReadBuffer { to };
    let (before, position) = (buffer.len(), kiocb.ki_pos());
    let result = T::read_iter(file, &mut kiocb, &mut buffer);
    let sb = file.inode().super_block();
    if let Err(errno) = check_position(Op::ReadIter, sb, &mut kiocb, position) {
        return errno as isize;
    }
    // The buffer only moves the iterator forward, by what it copied.
    let moved = before.saturating_sub(buffer.len());
    count(Op::ReadIter, sb.type_head(), result, moved)
}

/// # Safety
///
/// Called by the VFS (or `iter_file_splice_write`) with a kiocb of a file
/// of `T`, open and held for the call and used by it alone, and an
/// `ITER_SOURCE` iov_iter that only this call uses, for its length, and
/// that is safe to read with the C iov_iter functions.
unsafe extern "C" fn write_iter<T: RegularFile>(
    kiocb: *mut bindings::kiocb,
    from: *mut bindings::iov_iter,
) -> isize {
    // SAFETY: As for `read_iter`.
    let file = unsafe { kiocb_file::<T::Data>(kiocb) };
    // SAFETY: As for `read_iter`.
    let mut kiocb = unsafe { Kiocb::<()>::from_raw(kiocb) };
    // SAFETY: As `IovIterSource::from_raw` requires (the function's
    // requirements); the reference does not outlive the call.
    let from = unsafe { IovIterSource::from_raw(from) };
    let (before, position) = (from.len(), kiocb.ki_pos());
    let result = T::write_iter(file, &mut kiocb, from);
    let sb = file.inode().super_block();
    if let Err(errno) = check_position(Op::WriteIter, sb, &mut kiocb, position) {
        return errno as isize;
    }
    let moved = before.saturating_sub(from.len());
    count(Op::WriteIter, sb.type_head(), result, moved)
}

/// Checks the position a read or write of `op` left in `kiocb`, which was
/// at `before`: the VFS copies it to the file (`f_pos`), where every later
/// `read()`, `write()` and `lseek()` relies on it being in
/// `0..=s_maxbytes` (a negative one would come back from
/// `lseek(fd, 0, SEEK_CUR)` as an errno). A position outside is put back
/// to `before`, and the call fails with `EIO`, said once.
#[inline(always)]
fn check_position<D>(
    op: Op,
    sb: &SuperBlock<D>,
    kiocb: &mut Kiocb<'_, ()>,
    before: i64,
) -> Result<(), c_int> {
    let after = kiocb.ki_pos();
    if after == before || (0..=sb.max_bytes()).contains(&after) {
        return Ok(());
    }
    *kiocb.ki_pos_mut() = before;
    Err(bad_position(op, sb.type_head(), after))
}

/// `file_operations.splice_read` for [`SpliceRead::EndOfFile`]: one
/// function for every file, as C's `nullfs_file_splice_read` is.
///
/// # Safety
///
/// None beyond the C signature: it reads none of its arguments, and puts
/// nothing in the pipe.
unsafe extern "C" fn splice_read_end_of_file(
    _file: *mut bindings::file,
    _position: *mut bindings::loff_t,
    _pipe: *mut bindings::pipe_inode_info,
    _len: usize,
    _flags: c_uint,
) -> isize {
    0
}
