// expect: E0407
// A listxattr that returns a length without writing the names: listxattr(2)
// would copy that many bytes of an uninitialised kernel buffer to userspace.
// A directory has no listxattr method at all, only the choice of what the
// answer is (const XATTRS), since the layer has no writer of names.
good_filesystem!(name: c"misuse", options: ());

struct LeakyDir;

#[vtable]
impl Directory for LeakyDir {
    type Data = ();

    fn listxattr(_: &Inode<()>) -> Result<usize> {
        Ok(4096)
    }
}
