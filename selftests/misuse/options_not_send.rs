// expect: cannot be sent between threads safely
// Options that cannot move between threads: fsopen() makes them on one
// thread, fsconfig() changes them and close() drops them on any other.
struct NotSend(*mut u8);

impl Default for NotSend {
    fn default() -> Self {
        Self(core::ptr::null_mut())
    }
}

good_filesystem!(name: c"misuse", options: NotSend);
