// SPDX-License-Identifier: GPL-2.0

//! What differs between the kernels the layer is built for: Linux 7.3 (the
//! project's kernel, Debian 13's 7.3 kernels) and Linux 7.2 (Debian 13's
//! 7.2 kernels). One source tree serves both.
//!
//! `Kbuild` reads the kernel tree's own sources and passes a `--cfg` for each
//! feature it finds; what is here is what the rest of the crate uses in
//! their place, the same on every kernel:
//!
//! - `rnullfs_bool_params`: `module!` takes `bool` parameters (7.3), read
//!   with `value()`; 7.2 takes no `bool`, so a flag is a `u8` there
//!   (`module_with_flag!`, `flag_value!`).
//! - `rnullfs_eopnotsupp`: `kernel::error::code` has `EOPNOTSUPP` (7.3).
//! - `rnullfs_disallow_notify`: `FS_DISALLOW_NOTIFY` exists (7.3).
//! - `rnullfs_const_char_ptr`: `kernel::str::as_char_ptr_in_const_context`
//!   exists (7.3), for a C string pointer in a `static`.
//!
//! The layer is the same in a module's own crate and built into the kernel
//! (`rnullfs_intree`, as the kernel crate's `kernel::fs`), where modules use
//! it too: `module_with_flag!` and `flag_value!` are there in both.

use kernel::prelude::*;

/// `EOPNOTSUPP`, "operation not supported".
#[inline(always)]
pub fn eopnotsupp() -> Error {
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

/// The flag of a `file_system_type` that refuses inotify and fanotify marks
/// on the filesystem's objects.
#[cfg(rnullfs_disallow_notify)]
pub(super) const FS_DISALLOW_NOTIFY: u32 = kernel::bindings::FS_DISALLOW_NOTIFY;

/// Linux 7.2 has no `FS_DISALLOW_NOTIFY`: nothing to set (7.2's own C
/// nullfs takes inotify marks too, which the probe compares).
#[cfg(not(rnullfs_disallow_notify))]
pub(super) const FS_DISALLOW_NOTIFY: u32 = 0;

/// The C string pointer of `name`, in a constant (a `static`'s initialiser).
#[inline]
pub(super) const fn const_char_ptr(name: &CStr) -> *const c_char {
    #[cfg(rnullfs_const_char_ptr)]
    {
        kernel::str::as_char_ptr_in_const_context(name)
    }
    // Linux 7.2's `CStr` is the kernel crate's own, whose `as_ptr` is a
    // `const fn` to the kernel's (unsigned) `char`.
    #[cfg(not(rnullfs_const_char_ptr))]
    {
        name.as_ptr().cast()
    }
}

/// `module!` with one more parameter, a flag (`FLAG: default`, `false` or
/// `true`), typed as this kernel's `module!` allows: a `bool` on 7.3, a `u8`
/// on 7.2. Read it with [`flag_value!`].
#[cfg(rnullfs_bool_params)]
macro_rules! module_with_flag {
    ({ $($module:tt)* } $flag:ident: $default:tt, $description:literal) => {
        ::kernel::prelude::module! {
            $($module)*
            params: {
                $flag: bool {
                    default: $default,
                    description: $description,
                },
            },
        }
    };
}

/// `module!` with one more parameter, a flag (`FLAG: default`, `false` or
/// `true`), typed as this kernel's `module!` allows: a `bool` on 7.3, a `u8`
/// on 7.2. Read it with [`flag_value!`].
#[cfg(not(rnullfs_bool_params))]
macro_rules! module_with_flag {
    ({ $($module:tt)* } $flag:ident: false, $description:literal) => {
        $crate::vfs::compat::module_with_flag!(@u8 { $($module)* } $flag: 0, $description);
    };
    ({ $($module:tt)* } $flag:ident: true, $description:literal) => {
        $crate::vfs::compat::module_with_flag!(@u8 { $($module)* } $flag: 1, $description);
    };
    (@u8 { $($module:tt)* } $flag:ident: $default:literal, $description:literal) => {
        ::kernel::prelude::module! {
            $($module)*
            params: {
                $flag: u8 {
                    default: $default,
                    description: $description,
                },
            },
        }
    };
}
pub(crate) use module_with_flag;

/// The value of the flag parameter `FLAG` that [`module_with_flag!`]
/// declared, as a `bool`.
///
/// `module!` puts the parameters in the crate that calls it, which is the
/// crate that calls this macro too, not the one that defines it (the
/// kernel crate, for the layer built in): so `crate::`, resolved where the
/// macro is called, and not `$crate::`.
#[cfg(rnullfs_bool_params)]
#[allow(clippy::crate_in_macro_def)]
macro_rules! flag_value {
    ($flag:ident) => {
        crate::module_parameters::$flag.value()
    };
}

/// The value of the flag parameter `FLAG` that [`module_with_flag!`]
/// declared, as a `bool` (`crate::`: as above).
#[cfg(not(rnullfs_bool_params))]
#[allow(clippy::crate_in_macro_def)]
macro_rules! flag_value {
    ($flag:ident) => {
        (*crate::module_parameters::$flag.value() != 0)
    };
}
pub(crate) use flag_value;
