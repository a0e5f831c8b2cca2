// expect: of struct `Root` are private
// A fill_super that succeeds without a root: init_root must return a Root,
// and only make_root() makes one (vfs_get_tree would hit BUG() on a super
// block without a root).
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

    fn init_root<'sb>(_: &'sb SuperBlock<(), New>, _: Mounter, _: &()) -> Result<Root<'sb>> {
        Ok(Root {
            dentry: core::ptr::NonNull::dangling(),
            _sb: core::marker::PhantomData,
        })
    }

    fn reconfigure(_: &SuperBlock<()>, _: &Reconfigure, _: &()) -> Result<(), Refusal> {
        Ok(())
    }
}
