// SPDX-License-Identifier: GPL-2.0

//! nullmask: run a command with paths masked by rnullfs, as an unprivileged
//! user.
//!
//! ```text
//! nullmask --mask PATH [--mask PATH]... -- COMMAND [ARGS...]
//! ```
//!
//! It enters a new user namespace (mapping the caller's uid and gid to
//! themselves) and a new mount namespace owned by it, mounts rnullfs over
//! each PATH — an empty read-only directory over a directory, an empty file
//! (`-o file`) over a file — and execs COMMAND. This is what runc's and
//! bubblewrap's "masked paths" do with tmpfs and `/dev/null` bind mounts.
//!
//! The masks cannot be lifted from inside: the mounts belong to a namespace
//! the command cannot leave, and in any namespace the command creates they
//! come locked together with what they cover (MNT_LOCKED), so `umount` fails.
//!
//! Needs rnullfs loaded with `userns_mount=1`.

use clap::Parser;
use rustix::fs::{self as rfs, Mode, OFlags};
use rustix::io::Errno;
use rustix::mount::{
    fsconfig_create, fsconfig_set_flag, fsmount, fsopen, move_mount, FsMountFlags, FsOpenFlags,
    MountAttrFlags, MoveMountFlags,
};
use rustix::thread::UnshareFlags;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

#[derive(Parser)]
#[command(version, about = "Run COMMAND with each PATH masked by an empty rnullfs mount")]
struct Args {
    /// A directory or file to mask (repeatable).
    #[arg(long = "mask", value_name = "PATH", required = true)]
    masks: Vec<PathBuf>,
    /// The command to run, and its arguments.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    command: Vec<String>,
}

/// What a mask covers: the mount must be of the same kind.
enum Kind {
    Directory,
    File,
}

fn kind_of(path: &PathBuf) -> Result<Kind, String> {
    let stat = rfs::stat(path).map_err(|e| format!("--mask {}: {e}", path.display()))?;
    match rfs::FileType::from_raw_mode(stat.st_mode) {
        rfs::FileType::Directory => Ok(Kind::Directory),
        rfs::FileType::RegularFile => Ok(Kind::File),
        _ => Err(format!(
            "--mask {}: only directories and regular files can be masked",
            path.display()
        )),
    }
}

/// Become root of a new user namespace, with the caller's ids mapped to
/// themselves, in a new mount namespace it owns.
fn enter_namespaces() -> Result<(), String> {
    let uid = rustix::process::getuid().as_raw();
    let gid = rustix::process::getgid().as_raw();
    // SAFETY: `unshare_unsafe` is unsafe only for `CLONE_FILES`, which can
    // leave other threads with stale fds; this asks for a user and a mount
    // namespace only, in a single-threaded process.
    unsafe { rustix::thread::unshare_unsafe(UnshareFlags::NEWUSER | UnshareFlags::NEWNS) }
        .map_err(|e| format!("cannot create a user namespace: {e}"))?;
    let write = |file: &str, text: String| {
        std::fs::write(file, text).map_err(|e| format!("writing {file}: {e}"))
    };
    // An unprivileged process may map its own gid only after giving up
    // setgroups(2).
    write("/proc/self/setgroups", "deny".into())?;
    write("/proc/self/uid_map", format!("{uid} {uid} 1"))?;
    write("/proc/self/gid_map", format!("{gid} {gid} 1"))
}

/// Mount a fresh rnullfs over `path`.
fn mask(path: &PathBuf, kind: &Kind) -> Result<(), String> {
    let fs = fsopen("rnullfs", FsOpenFlags::FSOPEN_CLOEXEC).map_err(|e| match e {
        Errno::NODEV => "rnullfs is not loaded: modprobe rnullfs (with userns_mount=1)".to_string(),
        e => format!("fsopen(rnullfs): {e}"),
    })?;
    if let Kind::File = kind {
        fsconfig_set_flag(&fs, "file").map_err(|e| format!("fsconfig(file): {e}"))?;
    }
    fsconfig_create(&fs).map_err(|e| match e {
        Errno::PERM => {
            "rnullfs refuses user-namespace mounts: load it with userns_mount=1".to_string()
        }
        e => format!("creating an rnullfs mount: {e}"),
    })?;
    let mnt = fsmount(&fs, FsMountFlags::FSMOUNT_CLOEXEC, MountAttrFlags::empty())
        .map_err(|e| format!("fsmount: {e}"))?;
    move_mount(&mnt, "", rfs::CWD, path, MoveMountFlags::MOVE_MOUNT_F_EMPTY_PATH)
        .map_err(|e| format!("mounting over {}: {e}", path.display()))
}

fn run(args: &Args) -> Result<(), String> {
    // Check every path first: a missing one changes nothing.
    let kinds = args.masks.iter().map(kind_of).collect::<Result<Vec<_>, _>>()?;
    enter_namespaces()?;
    for (path, kind) in args.masks.iter().zip(&kinds) {
        mask(path, kind)?;
    }
    // The current directory may have been masked: enter it again.
    if let Ok(cwd) = std::env::current_dir() {
        let _ = rfs::open(&cwd, OFlags::PATH, Mode::empty()).and_then(|fd| rustix::process::fchdir(&fd));
    }
    let error = Command::new(&args.command[0]).args(&args.command[1..]).exec();
    Err(format!("{}: {error}", args.command[0]))
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("nullmask: {message}");
            ExitCode::from(125)
        }
    }
}
