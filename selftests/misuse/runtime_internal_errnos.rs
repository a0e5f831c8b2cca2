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
// with ERESTARTSYS), `refuse` (refused with EPROBE_DEFER).

/// The options of a mount.
#[derive(Default)]
pub(crate) struct ErrnoOptions {
    file: bool,
    fail: bool,
}

/// The root directory: every operation fails with an internal errno.
struct FailingDir;

#[vtable]
impl Directory for FailingDir {
    type Data = ();

    fn lookup(_: &Inode<()>, _: &BStr) -> Result {
        Err(ERESTARTSYS)
    }

    fn setattr(_: &Inode<()>, _: &Iattr) -> Result {
        Err(EPROBE_DEFER)
    }

    fn iterate(_: &OpenFile<()>, _: &mut DirEmitter<'_>) -> Result {
        Err(ENOPARAM)
    }

    fn llseek(_: &OpenFile<()>, _: i64, _: i64, _: Whence) -> Result<i64> {
        Err(ERESTARTNOINTR)
    }

    fn fsync(_: &OpenFile<()>, _: i64, _: i64, _: bool) -> Result {
        Err(EOPENSTALE)
    }
}

/// The root file of `-o file`: reads and writes say "queued".
struct QueuedFile;

#[vtable]
impl RegularFile for QueuedFile {
    type Data = ();

    fn read_iter(_: &OpenFile<()>, _: &mut Kiocb<'_, ()>, _: &mut ReadBuffer<'_, '_>) -> Result {
        Err(EIOCBQUEUED)
    }

    fn write_iter(_: &OpenFile<()>, _: &mut Kiocb<'_, ()>, _: &mut IovIterSource<'_>) -> Result {
        Err(EIOCBQUEUED)
    }

    fn fsync(_: &OpenFile<()>, _: i64, _: i64, _: bool) -> Result {
        Err(EIOCBQUEUED)
    }
}

#[vtable]
impl FileSystem for Fs {
    const NAME: &'static CStr = c"misuse_errnos";
    type Options = ErrnoOptions;
    type Data = ();

    fn parse_param(options: &mut ErrnoOptions, param: &Param<'_>) -> Result<(), ParamRefusal> {
        match &**param.key {
            b"file" => options.file = true,
            b"fail" => options.fail = true,
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

    fn init_data(_: &ErrnoOptions) -> Result<()> {
        Ok(())
    }

    fn super_params(_: &ErrnoOptions) -> SuperParams {
        SuperParams {
            // Writable, so that writes and a chmod reach the filesystem.
            read_only: false,
            ..params()
        }
    }

    fn init_root(_: &SuperBlock<(), New>, mounter: Mounter, options: &ErrnoOptions) -> Result<InodeSpec<()>> {
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

    fn reconfigure(_: &SuperBlock<()>, _: &Reconfigure, _: &ErrnoOptions) -> Result<(), Refusal> {
        Err(Refusal {
            error: ERESTART_RESTARTBLOCK,
            message: None,
        })
    }
}
