// expect: E0053
// A listxattr that returns a length without writing the names: listxattr(2)
// would copy that many bytes of an uninitialised kernel buffer to userspace.
good_filesystem!(name: c"misuse", options: ());

struct LeakyDir;

#[vtable]
impl Directory for LeakyDir {
    type Data = ();

    fn listxattr(_: &Inode<()>) -> Result<usize> {
        Ok(4096)
    }
}
