// expect: E0599
// A read that reports bytes it never wrote: the reader's buffer would hand
// on memory the filesystem did not fill (for a loop device or binfmt_elf,
// uninitialised kernel memory as file data). A read's buffer is a
// ReadBuffer, which moves only by copying; it has no advance().
good_filesystem!(name: c"misuse", options: ());

struct SkippingFile;

#[vtable]
impl RegularFile for SkippingFile {
    type Data = ();

    fn read_iter(_: &OpenFile<()>, _: &mut Kiocb<'_, ()>, to: &mut ReadBuffer<'_, '_>) -> Result {
        to.advance(to.len());
        Ok(())
    }
}
