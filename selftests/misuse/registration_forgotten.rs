// expect: E0133
// A registration forgotten: register_filesystem() takes no reference on the
// module, so rmmod would free the static type while /proc/filesystems still
// walks it. Only module_fs!() registers a filesystem, holding the
// registration in the module; Registration::register is unsafe.
good_filesystem!(name: c"misuse", options: ());

fn register_and_forget(module: &'static ThisModule) -> Result {
    let registration = Registration::register(&crate::FILE_SYSTEM_TYPE, module, FsFlags::default())?;
    core::mem::forget(registration);
    Ok(())
}
