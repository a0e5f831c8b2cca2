// expect: runs
// Run in the guest by selftests/rnullfs_misuse_test.c, not just compiled:
// every operation returns one of the kernel's internal errnos, which mean
// something to the code that gets them (EIOCBQUEUED from a read makes
// new_sync_read() hit BUG_ON(); ERESTARTSYS with no signal pending reaches
// userspace as "Unknown error 512"). Safe code can return any Error, so
// the layer must turn each into EIO, say so once per operation, and leave
// nothing behind: unmount and unload work afterwards.
//
// Options: `file` (the root is a regular file), `fail` (init_root fails
// with ERESTARTSYS), `data` (init_data fails with ERESTARTSYS), `refuse`
// (refused with EPROBE_DEFER), `notmine` (refused with ENOPARAM, the one
// internal errno parse_param's caller takes: "not mine"), `jump` (a walk
// that ends on the root by a jump is refused with EBADTYPE).

/// The options of a mount.
#[derive(Default)]
pub(crate) struct ErrnoOptions {
    file: bool,
    fail: bool,
    data: bool,
    jump: bool,
}

/// Each super block's data: whether its `revalidate_jump` refuses.
pub(crate) struct ErrnoData {
    refuse_jumps: bool,
}

/// The root directory: every operation fails with an internal errno.
struct FailingDir;

#[vtable]
impl Directory for FailingDir {
    type Data = ErrnoData;

    fn lookup(_: &Inode<ErrnoData>, _: &BStr) -> Result {
        Err(ERESTARTSYS)
    }

    fn setattr(_: &Inode<ErrnoData>, _: &Iattr) -> Result {
        Err(EPROBE_DEFER)
    }

    fn iterate(_: &OpenFile<ErrnoData>, _: &mut DirEmitter<'_>) -> Result {
        Err(ENOPARAM)
    }

    fn llseek(_: &OpenFile<ErrnoData>, _: i64, _: i64, _: Whence) -> Result<i64> {
        Err(ERESTARTNOINTR)
    }

    fn fsync(_: &OpenFile<ErrnoData>, _: i64, _: i64, _: bool) -> Result {
        Err(EOPENSTALE)
    }

    /// A write access (`access(W_OK)`) fails; a search or a read passes,
    /// so that walks and opens reach the other operations.
    fn permission(_: &Inode<ErrnoData>, access: Access) -> Result {
        if access.asks_any(Access::WRITE) {
            Err(ERESTARTNOHAND)
        } else {
            Ok(())
        }
    }

    fn getattr(_: &Inode<ErrnoData>) -> Result {
        Err(ENOIOCTLCMD)
    }
}

/// The root file of `-o file`: reads and writes say "queued".
struct QueuedFile;

#[vtable]
impl RegularFile for QueuedFile {
    type Data = ErrnoData;

    fn read_iter(_: &OpenFile<ErrnoData>, _: &mut Kiocb<'_, ()>, _: &mut ReadBuffer<'_, '_>) -> Result {
        Err(EIOCBQUEUED)
    }

    fn write_iter(_: &OpenFile<ErrnoData>, _: &mut Kiocb<'_, ()>, _: &mut IovIterSource<'_>) -> Result {
        Err(EIOCBQUEUED)
    }

    fn fsync(_: &OpenFile<ErrnoData>, _: i64, _: i64, _: bool) -> Result {
        Err(EIOCBQUEUED)
    }
}

#[vtable]
impl FileSystem for Fs {
    const NAME: &'static CStr = c"misuse_errnos";
    type Options = ErrnoOptions;
    type Data = ErrnoData;

    fn parse_param(options: &mut ErrnoOptions, param: &Param<'_>) -> Result<(), ParamRefusal> {
        match &**param.key {
            b"file" => options.file = true,
            b"fail" => options.fail = true,
            b"jump" => options.jump = true,
            b"data" => options.data = true,
            b"notmine" => {
                return Err(ParamRefusal::Refused(Refusal {
                    error: ENOPARAM,
                    message: None,
                }))
            }
            b"refuse" => {
                return Err(ParamRefusal::Refused(Refusal {
                    error: EPROBE_DEFER,
                    message: Some(c"refused with EPROBE_DEFER"),
                }))
            }
            _ => return Err(ParamRefusal::Unknown),
        }
        Ok(())
    }

    fn init_data(options: &ErrnoOptions) -> Result<ErrnoData> {
        if options.data {
            return Err(ERESTARTSYS);
        }
        Ok(ErrnoData {
            refuse_jumps: options.jump,
        })
    }

    fn statfs(_: &SuperBlock<ErrnoData>) -> Result {
        Err(ENOTSUPP)
    }

    fn revalidate_jump(sb: &SuperBlock<ErrnoData>) -> Result {
        if sb.data().refuse_jumps {
            Err(EBADTYPE)
        } else {
            Ok(())
        }
    }

    fn super_params(_: &ErrnoOptions) -> SuperParams {
        SuperParams {
            // Writable, so that writes and a chmod reach the filesystem.
            read_only: false,
            ..params()
        }
    }

    fn init_root(_: &SuperBlock<ErrnoData, New>, mounter: Mounter, options: &ErrnoOptions) -> Result<InodeSpec<ErrnoData>> {
        if options.fail {
            return Err(ERESTARTSYS);
        }
        // Not immutable: the VFS would refuse a chmod itself, before
        // setattr could fail.
        let params = InodeParams {
            immutable: false,
            ..root_dir_params(mounter)
        };
        Ok(if options.file {
            InodeSpec::regular_file::<QueuedFile>(InodeParams {
                ino: 2,
                permissions: 0o666,
                nlink: 1,
                ..params
            })
        } else {
            InodeSpec::directory::<FailingDir>(params)
        })
    }

    fn reconfigure(_: &SuperBlock<ErrnoData>, _: &Reconfigure, _: &ErrnoOptions) -> Result<(), Refusal> {
        Err(Refusal {
            error: ERESTART_RESTARTBLOCK,
            message: None,
        })
    }
}
