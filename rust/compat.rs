// SPDX-License-Identifier: GPL-2.0

//! What differs between the kernels rnullfs is built for: Linux 7.3 (the
//! project's kernel, Debian 13's 7.3 kernels) and Linux 7.2 (Debian 13's
//! 7.2 kernels).
//!
//! `Kbuild` reads the kernel tree's own sources and passes a `--cfg` for each
//! feature it finds: `rnullfs_bool_params`, `rnullfs_enolck`,
//! `rnullfs_eopnotsupp`, `rnullfs_disallow_notify`. Everything here is what
//! the rest of the module uses in their place, the same on every kernel.

use kernel::prelude::*;

/// `ENOLCK`: no file locks on an rnullfs inode.
#[inline]
pub(crate) fn enolck() -> Error {
    #[cfg(rnullfs_enolck)]
    {
        ENOLCK
    }
    // Linux 7.2's kernel crate has no constant for it.
    #[cfg(not(rnullfs_enolck))]
    {
        Error::from_errno(-(kernel::bindings::ENOLCK as i32))
    }
}

/// `EOPNOTSUPP`: no extended attributes to list.
#[inline]
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
/// the filesystem's objects, as the C nullfs sets it.
#[cfg(rnullfs_disallow_notify)]
pub(crate) const FS_DISALLOW_NOTIFY: u32 = kernel::bindings::FS_DISALLOW_NOTIFY;

/// Linux 7.2 has no `FS_DISALLOW_NOTIFY`: nothing to set, and 7.2's own C
/// nullfs takes inotify marks too (the probe compares them).
#[cfg(not(rnullfs_disallow_notify))]
pub(crate) const FS_DISALLOW_NOTIFY: u32 = 0;

/// The module parameter `userns_mount`: a `bool` where the kernel crate
/// takes one (7.3), else a `u8` where anything but 0 means yes.
#[inline]
pub(crate) fn userns_mount() -> bool {
    #[cfg(rnullfs_bool_params)]
    {
        crate::module_parameters::userns_mount.value()
    }
    #[cfg(not(rnullfs_bool_params))]
    {
        *crate::module_parameters::userns_mount.value() != 0
    }
}
