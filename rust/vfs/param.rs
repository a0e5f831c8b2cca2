// SPDX-License-Identifier: GPL-2.0

//! Mount parameters and refusals: what `parse_param` and `reconfigure` see
//! and answer. Plain data, no kernel state.
//!
//! Documentation: `Documentation/filesystems/mount_api.rst`.

use kernel::{prelude::*, str::BStr};

/// The value of one mount parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamValue<'a> {
    /// No value: `-o key`, `fsconfig(FSCONFIG_SET_FLAG)`.
    Flag,
    /// A string: `-o key=value`, `fsconfig(FSCONFIG_SET_STRING)`.
    String(&'a BStr),
    /// A binary blob, a path or a file descriptor (`fsconfig()` only).
    Other,
}

/// One mount parameter, as the VFS hands it to `parse_param`.
#[derive(Clone, Copy, Debug)]
pub struct Param<'a> {
    /// The parameter's name.
    pub key: &'a BStr,
    /// Its value.
    pub value: ParamValue<'a>,
}

/// Why a mount parameter or a remount was refused: an errno and the message
/// that goes to the context's log (`dmesg` for `mount(2)`, `read()` on the
/// `fsopen()` fd for the new API).
///
/// The errno reaches userspace as it is, except a kernel-internal one
/// (above 511, such as `ENOPARAM`), which the layer turns into `EINVAL`:
/// userspace has no name for those.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The errno the syscall returns.
    pub error: Error,
    /// What to log, without the filesystem's name (the log adds it).
    pub message: Option<&'static CStr>,
}

impl Refusal {
    /// An invalid value: `EINVAL` with a message.
    pub const fn invalid(message: &'static CStr) -> Self {
        Self {
            error: EINVAL,
            message: Some(message),
        }
    }
}

/// What `parse_param` answers when it does not take a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamRefusal {
    /// Not a parameter of this filesystem: back to the VFS, which takes
    /// `source` itself and refuses anything else with "Unknown parameter".
    Unknown,
    /// A parameter of this filesystem with a value it refuses.
    Refused(Refusal),
}

impl From<Refusal> for ParamRefusal {
    fn from(refusal: Refusal) -> Self {
        Self::Refused(refusal)
    }
}

/// What a remount asks to change.
#[derive(Clone, Copy, Debug)]
pub struct Reconfigure {
    /// `Some(false)` when it asks for read-write, `Some(true)` for
    /// read-only, `None` when it leaves that alone.
    pub read_only: Option<bool>,
}
