// expect: expected `InodeSpec<()>`, found `InodeSpec<u64>`
// A directory's operations see the super block's data as their own `Data`:
// an inode of a directory whose `Data` is not the super block's would read
// one type as another. InodeSpec::directory refuses it.
struct NumberedDir;

#[vtable]
impl Directory for NumberedDir {
    type Data = u64;

    fn lookup(dir: &Inode<u64>, _: &BStr) -> Result {
        if *dir.super_block().data() == 0 {
            return Err(ENOENT);
        }
        Ok(())
    }
}

#[vtable]
impl FileSystem for Fs {
    const NAME: &'static CStr = c"misuse";
    type Options = ();
    type Data = ();

    fn parse_param(_: &mut (), _: &Param<'_>) -> Result<(), ParamRefusal> {
        Err(ParamRefusal::Unknown)
    }

    fn super_params(_: &()) -> SuperParams<()> {
        params(())
    }

    fn init_root(_: &SuperBlock<(), New>, mounter: Mounter, _: &()) -> Result<InodeSpec<()>> {
        Ok(InodeSpec::directory::<NumberedDir>(root_dir_params(mounter)))
    }

    fn reconfigure(_: &SuperBlock<()>, _: &Reconfigure, _: &()) -> Result<(), Refusal> {
        Ok(())
    }
}
