// expect: FileSystem::Options is held on the kernel stack
// Options of 64 KiB with a safe Default: the layer holds a context's
// options by value on the kernel stack (16 KiB, no stack probes), and
// against 19144cf a plain mount wrote below it (a page fault in memset).
// Every policy type the layer holds by value has a compile-time bound.
pub(crate) struct HugeOptions {
    bytes: [u8; 65536],
}

impl Default for HugeOptions {
    fn default() -> Self {
        Self { bytes: [0; 65536] }
    }
}

good_filesystem!(name: c"misuse", options: HugeOptions);
