// expect: a lookup method in an EMPTY directory
// A directory that says it is empty for good (libfs's empty-directory
// answers) and also looks names up: the two would disagree about what the
// directory holds. The layer refuses the pair when it builds the table.
struct ConfusedDir;

#[vtable]
impl Directory for ConfusedDir {
    type Data = ();

    const EMPTY: bool = true;

    fn lookup(_: &Inode<()>, _: &BStr) -> Result {
        Ok(())
    }
}

good_filesystem!(name: c"misuse", options: (), root: ConfusedDir);
