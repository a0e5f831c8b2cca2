// SPDX-License-Identifier: GPL-2.0

//! What differs between the kernels the layer is built for: Linux 7.3 (the
//! project's kernel, Debian 13's 7.3 kernels) and Linux 7.2 (Debian 13's
//! 7.2 kernels). One source tree serves both.
//!
//! `Kbuild` reads the kernel tree's own sources and passes a `--cfg` for each
//! feature it finds (`rnullfs_eopnotsupp`,
//! `rnullfs_disallow_notify`); what is here is what the rest of the crate
//! uses in their place, the same on every kernel.

use kernel::prelude::*;

/// `EOPNOTSUPP`, "operation not supported".
#[inline(always)]
pub(crate) fn eopnotsupp() -> Error {
    #[cfg(rnullfs_eopnotsupp)]
    {
        EOPNOTSUPP
    }
    // Linux 7.2's kernel crate has no constant for it.
    #[cfg(not(rnullfs_eopnotsupp))]
    {
        Error::from_errno(-(kernel::bindings::EOPNOTSUPP as i32))
    }
}

/// The `file_system_type` flag that refuses inotify and fanotify marks on
/// the filesystem's objects.
#[cfg(rnullfs_disallow_notify)]
pub(super) const FS_DISALLOW_NOTIFY: u32 = kernel::bindings::FS_DISALLOW_NOTIFY;

/// Linux 7.2 has no `FS_DISALLOW_NOTIFY`: nothing to set (7.2's own C
/// nullfs takes inotify marks too, which the probe compares).
#[cfg(not(rnullfs_disallow_notify))]
pub(super) const FS_DISALLOW_NOTIFY: u32 = 0;
