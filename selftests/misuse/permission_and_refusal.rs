// expect: a permission method and REFUSE_ALL_ACCESS: choose one
// A directory that refuses every access as data (answered in RCU-walk too)
// and also checks accesses in code: the two would disagree, and the code
// would never run. The layer refuses the pair when it builds the table.
struct TwoMindedDir;

#[vtable]
impl Directory for TwoMindedDir {
    type Data = ();

    const REFUSE_ALL_ACCESS: Option<Error> = Some(EPERM);

    fn permission(_: &Inode<()>, _: Access) -> Result {
        Ok(())
    }
}

good_filesystem!(name: c"misuse", options: (), root: TwoMindedDir);
