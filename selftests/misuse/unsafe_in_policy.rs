// expect: usage of an `unsafe` block
// The policy side of the crate may not use unsafe at all.
good_filesystem!(name: c"misuse", options: ());

fn peek() -> u8 {
    unsafe { core::ptr::read(core::ptr::NonNull::<u8>::dangling().as_ptr()) }
}
