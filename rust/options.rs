// SPDX-License-Identifier: GPL-2.0

//! rnullfs's mount options: pure Rust, no kernel state, tested by KUnit
//! when the module loads (`make check` reads the results).
//!
//! `-o file` makes the root an empty regular file instead of an empty
//! directory, to mask a file. Nothing else is accepted: `source` (the
//! "none" in `mount -t rnullfs none DIR`) is the VFS's, and every other key
//! is refused by the VFS with "rnullfs: Unknown parameter 'KEY'".

use crate::vfs::{Param, ParamRefusal, ParamValue, Refusal};

/// What the root of a mount is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum RootKind {
    /// An empty, immutable directory: the C nullfs's root (inode 1).
    #[default]
    Directory,
    /// An empty regular file: the C nullfs's kernel-internal file (inode 2).
    File,
}

/// The options of one mount.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct MountOptions {
    /// What the root is.
    pub(crate) root: RootKind,
}

/// Applies one mount parameter to `options`.
pub(crate) fn parse_param(
    options: &mut MountOptions,
    param: &Param<'_>,
) -> Result<(), ParamRefusal> {
    match &**param.key {
        b"file" => match param.value {
            ParamValue::Flag => {
                options.root = RootKind::File;
                Ok(())
            }
            _ => Err(Refusal::invalid(c"'file' takes no value").into()),
        },
        _ => Err(ParamRefusal::Unknown),
    }
}

// Built in, the tests are there with their own option, as in-tree tests
// are (CONFIG_NULLFS_RUST_KUNIT_TEST); the module always has them.
#[cfg(any(not(rnullfs_intree), CONFIG_NULLFS_RUST_KUNIT_TEST))]
#[kernel::macros::kunit_tests(rnullfs_options)]
mod tests {
    use super::*;
    use kernel::{prelude::*, str::BStr};

    fn parse(key: &str, value: ParamValue<'_>) -> (MountOptions, Result<(), ParamRefusal>) {
        let mut options = MountOptions::default();
        let param = Param {
            key: BStr::from_bytes(key.as_bytes()),
            value,
        };
        let result = parse_param(&mut options, &param);
        (options, result)
    }

    #[test]
    fn default_root_is_a_directory() {
        assert_eq!(MountOptions::default().root, RootKind::Directory);
    }

    #[test]
    fn file_flag_makes_a_file_root() {
        let (options, result) = parse("file", ParamValue::Flag);
        assert_eq!(result, Ok(()));
        assert_eq!(options.root, RootKind::File);
    }

    #[test]
    fn file_with_a_value_is_refused() {
        let (options, result) = parse("file", ParamValue::String(BStr::from_bytes(b"1")));
        assert_eq!(
            result,
            Err(ParamRefusal::Refused(Refusal::invalid(
                c"'file' takes no value"
            )))
        );
        assert_eq!(options.root, RootKind::Directory);
        let (_, result) = parse("file", ParamValue::Other);
        assert!(matches!(
            result,
            Err(ParamRefusal::Refused(Refusal { error, .. })) if error == EINVAL
        ));
    }

    #[test]
    fn unknown_keys_go_back_to_the_vfs() {
        for key in ["source", "size", "mode", "files", "fil", "FILE", ""] {
            let (options, result) = parse(key, ParamValue::Flag);
            assert_eq!(result, Err(ParamRefusal::Unknown));
            assert_eq!(options, MountOptions::default());
        }
    }
}
