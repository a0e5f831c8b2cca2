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

good_filesystem!(name: c"misuse", options: (), root: NumberedDir);
