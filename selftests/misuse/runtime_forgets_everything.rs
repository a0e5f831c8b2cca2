// expect: runs
// Run in the guest by selftests/rnullfs_misuse_test.c, not just compiled: a
// filesystem that forgets (core::mem::forget, which is safe) every value
// the layer lets it make or get, in every operation, and drops the rest
// early. A forgotten inode or dentry reference would be a busy inode at
// unmount (a BUG() under CONFIG_BUG_ON_DATA_CORRUPTION), a forgotten
// registration a module freed under the VFS's list of filesystems. The
// layer hands out nothing that owns a reference, so after this, unmount
// and unload must work and leave nothing behind.

/// The root directory, which forgets what it gets.
struct ForgettingDir;

/// Every value a filesystem can make from what an operation gives it, made
/// and forgotten.
fn forget_everything(mounter: Mounter) {
    core::mem::forget(InodeSpec::<()>::directory::<ForgettingDir>(root_dir_params(mounter)));
    core::mem::forget(InodeSpec::<()>::regular_file::<ForgettingFile>(root_dir_params(mounter)));
    core::mem::forget(Refusal::invalid(c"forgotten"));
    core::mem::forget(mounter);
}

#[vtable]
impl Directory for ForgettingDir {
    type Data = ();

    fn lookup(dir: &Inode<()>, _: &BStr) -> Result {
        core::mem::forget(dir.super_block().root_inode());
        forget_everything(Mounter::kernel());
        Err(ENOENT)
    }

    fn iterate(file: &OpenFile<()>, emitter: &mut DirEmitter<'_>) -> Result {
        core::mem::forget(file.inode());
        forget_everything(Mounter::kernel());
        emitter.emit_dots();
        Ok(())
    }
}

/// A file no root ever is: it exists to be described and forgotten.
struct ForgettingFile;

#[vtable]
impl RegularFile for ForgettingFile {
    type Data = ();

    fn read_iter(file: &OpenFile<()>, _: &mut Kiocb<'_, ()>, _: &mut ReadBuffer<'_, '_>) -> Result {
        core::mem::forget(file.inode());
        Ok(())
    }
}

#[vtable]
impl FileSystem for Fs {
    const NAME: &'static CStr = c"misuse_forgets";
    type Options = ();
    type Data = ();

    fn parse_param(_: &mut (), param: &Param<'_>) -> Result<(), ParamRefusal> {
        core::mem::forget(param.key);
        Err(ParamRefusal::Unknown)
    }

    fn init_data(_: &()) -> Result<()> {
        Ok(())
    }

    fn super_params(_: &()) -> SuperParams {
        params()
    }

    fn init_root(sb: &SuperBlock<(), New>, mounter: Mounter, _: &()) -> Result<InodeSpec<()>> {
        core::mem::forget(sb.data());
        forget_everything(mounter);
        Ok(InodeSpec::directory::<ForgettingDir>(root_dir_params(mounter)))
    }

    fn reconfigure(sb: &SuperBlock<()>, _: &Reconfigure, _: &()) -> Result<(), Refusal> {
        core::mem::forget(sb.root_inode());
        forget_everything(Mounter::kernel());
        Ok(())
    }
}
