// expect: borrowed data escapes
// An operation's objects are borrowed for the call: an inode kept past it
// could be used after its super block is unmounted and freed.
good_filesystem!(name: c"misuse", options: ());

fn keep(_: &'static Inode<()>) {}

struct KeepingDir;

#[vtable]
impl Directory for KeepingDir {
    type Data = ();

    fn lookup(dir: &Inode<()>, _: &BStr) -> Result {
        keep(dir);
        Ok(())
    }
}
