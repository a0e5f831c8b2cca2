// expect: cannot be dereferenced
// An owned reference to the open file, taken from the borrowed one an
// operation is given and then forgotten: it would pin the file, its mount
// and the module until reboot. Against 19144cf, OpenFile dereferenced to
// the kernel crate's LocalFile, and ARef::from(&**file) compiled.
good_filesystem!(name: c"misuse", options: (), root: KeepingDir);

struct KeepingDir;

#[vtable]
impl Directory for KeepingDir {
    type Data = ();

    fn iterate(file: &OpenFile<()>, _: &mut DirEmitter<'_>) -> Result {
        let owned = kernel::types::ARef::from(&**file);
        core::mem::forget(owned);
        Ok(())
    }
}
