// expect: E0451
// A root whose inode has operations of no filesystem: init_root must return
// an InodeSpec, and only InodeSpec::directory() and ::regular_file() make
// one, with a kind's const tables (vfs_get_tree would hit BUG() on a super
// block without a root, and an inode's operations must be its data's).
#[vtable]
impl FileSystem for Fs {
    const NAME: &'static CStr = c"misuse";
    type Options = ();
    type Data = ();

    fn parse_param(_: &mut (), _: &Param<'_>) -> Result<(), ParamRefusal> {
        Err(ParamRefusal::Unknown)
    }

    fn init_data(_: &()) -> Result<()> {
        Ok(())
    }

    fn super_params(_: &()) -> SuperParams {
        params()
    }

    fn init_root(_: &SuperBlock<(), New>, mounter: Mounter, _: &()) -> Result<InodeSpec<()>> {
        Ok(InodeSpec {
            params: root_dir_params(mounter),
            kind: todo!(),
            _data: core::marker::PhantomData,
        })
    }

    fn reconfigure(_: &SuperBlock<()>, _: &Reconfigure, _: &()) -> Result<(), Refusal> {
        Ok(())
    }
}
