// expect: E0053
// A write_iter that claims more bytes than it took: iter_file_splice_write
// would release pipe buffers that are not there. The layer measures the
// count itself; a write_iter returns no count.
good_filesystem!(name: c"misuse", options: ());

struct LyingFile;

#[vtable]
impl RegularFile for LyingFile {
    type Data = ();

    fn write_iter(_: &OpenFile<()>, _: &mut Kiocb<'_, ()>, _from: &mut IovIterSource<'_>) -> Result<usize> {
        Ok(usize::MAX)
    }
}
