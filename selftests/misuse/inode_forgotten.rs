// expect: E0624
// An inode made in an operation and forgotten (core::mem::forget is safe):
// a busy inode at unmount, which generic_shutdown_super() reports through
// CHECK_DATA_CORRUPTION, a BUG() under CONFIG_BUG_ON_DATA_CORRUPTION. The
// layer makes every inode itself and hands its reference on in the same
// call; its makers are private to it.
good_filesystem!(name: c"misuse", options: ());

struct ForgettingDir;

#[vtable]
impl Directory for ForgettingDir {
    type Data = ();

    fn lookup(dir: &Inode<()>, _: &BStr) -> Result {
        let spec = InodeSpec::directory::<EmptyDir>(root_dir_params(Mounter::kernel()));
        core::mem::forget(dir.super_block().make_anon_dentry(&spec)?);
        Err(ENOENT)
    }
}
