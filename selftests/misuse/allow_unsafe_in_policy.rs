// expect: incompatible with previous forbid
// The policy cannot switch unsafe back on: under forbid(unsafe_code), the
// allow itself is an error, before the unsafe block is even looked at.
good_filesystem!(name: c"misuse", options: ());

#[allow(unsafe_code)]
fn peek() -> u8 {
    unsafe { core::ptr::read(core::ptr::NonNull::<u8>::dangling().as_ptr()) }
}
