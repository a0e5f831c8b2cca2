// expect: runs
// Run in the guest by selftests/rnullfs_misuse_test.c: safe code that
// broke the layer's contracts against 19144cf, each of which must now end
// clean. Options choose what the mount does:
// - (none): the root directory's `permission` sleeps and then reads the
//   super block's root, as a check that consults the filesystem's state
//   would. Against 19144cf it was called in RCU-walk, under the RCU read
//   lock: "scheduling while atomic", and with a umount meanwhile, a NULL
//   dereference (the root gone). Now it is called in ref-walk only.
// - `negative` / `beyond`: the root is a file whose read_iter and
//   write_iter leave the position at -512 / i64::MAX, past the super
//   block's s_maxbytes (1 MiB here; a file may be at s_maxbytes itself, as
//   lseek() may put it). Against 19144cf lseek(fd, 0, SEEK_CUR) then
//   returned -512 as an errno, and a position past s_maxbytes made later
//   I/O fail with EINVAL; now the position stays where it was and the call
//   fails with EIO. Its llseek answers the same position for SEEK_END:
//   vfs_setpos() refuses it (EINVAL), and the position stays.
// - `refuse`: the root refuses every access as data (REFUSE_ALL_ACCESS),
//   with EPROBE_DEFER: the errno rule holds for a constant answer too
//   (EIO, said once), in RCU-walk as in ref-walk.
// - `restart`: the root is a file whose every odd read waits 2 s, as a
//   read that waits for data would, then says ERESTARTSYS; every even read
//   finds the end of the file. A signal during the wait must give the
//   caller what C gives (EINTR, or with SA_RESTART a restarted read, which
//   is the even one), not EIO.

use core::sync::atomic::{AtomicU32, Ordering};
use kernel::time::{delay::fsleep, Delta};

/// What a mount's root does.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Behaviour {
    /// A directory whose access check sleeps.
    #[default]
    SleepyPermission,
    /// A file whose reads and writes leave the position at -512.
    NegativePosition,
    /// A file whose reads and writes leave the position at `i64::MAX`.
    PositionBeyondMax,
    /// A file whose odd reads wait, then ask for a restart.
    Restart,
    /// A directory that refuses every access with a kernel-internal errno.
    RefuseInternal,
}

/// Each super block's data.
pub(crate) struct ContractData {
    behaviour: Behaviour,
    reads: AtomicU32,
}

struct SleepyDir;

#[vtable]
impl Directory for SleepyDir {
    type Data = ContractData;

    fn permission(dir: &Inode<ContractData>, _: Access) -> Result {
        fsleep(Delta::from_millis(1));
        // The root of a super block that a umount could have shut down
        // meanwhile, had the VFS held no reference.
        if dir.super_block().root_inode().ino() != 1 {
            return Err(EINVAL);
        }
        Ok(())
    }

    fn lookup(_: &Inode<ContractData>, _: &BStr) -> Result {
        Ok(())
    }
}

struct RefusingDir;

#[vtable]
impl Directory for RefusingDir {
    type Data = ContractData;

    const REFUSE_ALL_ACCESS: Option<Error> = Some(EPROBE_DEFER);

    /// A directory the VFS walks through (one without `lookup` is not), so
    /// that a walk asks for the access first.
    fn lookup(_: &Inode<ContractData>, _: &BStr) -> Result {
        Ok(())
    }
}

struct ContractFile;

impl ContractFile {
    /// Where the misbehaving file leaves the position.
    fn bad_position(data: &ContractData) -> Option<i64> {
        match data.behaviour {
            Behaviour::NegativePosition => Some(-512),
            Behaviour::PositionBeyondMax => Some(i64::MAX),
            _ => None,
        }
    }
}

#[vtable]
impl RegularFile for ContractFile {
    type Data = ContractData;

    fn read_iter(file: &OpenFile<ContractData>, kiocb: &mut Kiocb<'_, ()>, _: &mut ReadBuffer<'_, '_>) -> Result {
        let data = file.inode().super_block().data();
        if let Some(position) = Self::bad_position(data) {
            *kiocb.ki_pos_mut() = position;
            return Ok(());
        }
        if data.behaviour == Behaviour::Restart && data.reads.fetch_add(1, Ordering::Relaxed) % 2 == 0 {
            fsleep(Delta::from_millis(2000));
            return Err(ERESTARTSYS);
        }
        Ok(())
    }

    /// Seeks as `SEEK_SET` and `SEEK_CUR` should; a seek from the end
    /// answers the bad position.
    fn llseek(file: &OpenFile<ContractData>, current: i64, offset: i64, whence: Whence) -> Result<i64> {
        match whence {
            Whence::Start => Ok(offset),
            Whence::Current => current.checked_add(offset).ok_or(EINVAL),
            _ => Ok(Self::bad_position(file.inode().super_block().data()).unwrap_or(0)),
        }
    }

    fn write_iter(file: &OpenFile<ContractData>, kiocb: &mut Kiocb<'_, ()>, from: &mut IovIterSource<'_>) -> Result {
        if let Some(position) = Self::bad_position(file.inode().super_block().data()) {
            *kiocb.ki_pos_mut() = position;
        }
        from.advance(from.len());
        Ok(())
    }
}

#[vtable]
impl FileSystem for Fs {
    const NAME: &'static CStr = c"misuse_contracts";
    type Options = Behaviour;
    type Data = ContractData;

    fn parse_param(options: &mut Behaviour, param: &Param<'_>) -> Result<(), ParamRefusal> {
        *options = match &**param.key {
            b"negative" => Behaviour::NegativePosition,
            b"beyond" => Behaviour::PositionBeyondMax,
            b"restart" => Behaviour::Restart,
            b"refuse" => Behaviour::RefuseInternal,
            _ => return Err(ParamRefusal::Unknown),
        };
        Ok(())
    }

    fn init_data(options: &Behaviour) -> Result<ContractData> {
        Ok(ContractData {
            behaviour: *options,
            reads: AtomicU32::new(0),
        })
    }

    fn super_params(_: &Behaviour) -> SuperParams {
        SuperParams {
            read_only: false,
            max_bytes: 1 << 20,
            ..params()
        }
    }

    fn init_root(_: &SuperBlock<ContractData, New>, mounter: Mounter, options: &Behaviour) -> Result<InodeSpec<ContractData>> {
        Ok(if *options == Behaviour::SleepyPermission {
            InodeSpec::directory::<SleepyDir>(root_dir_params(mounter))
        } else if *options == Behaviour::RefuseInternal {
            InodeSpec::directory::<RefusingDir>(root_dir_params(mounter))
        } else {
            InodeSpec::regular_file::<ContractFile>(InodeParams {
                ino: 2,
                permissions: 0o666,
                nlink: 1,
                immutable: false,
                ..root_dir_params(mounter)
            })
        })
    }
}
