// expect: E0133
// A filesystem type outside static memory: lockdep refuses its keys. Only
// module_fs!() makes one, in a static; anything else needs unsafe.
good_filesystem!(name: c"misuse", options: ());

fn heap_type() -> Result<KBox<FileSystemType<Fs>>> {
    Ok(KBox::new(FileSystemType::new_static(), GFP_KERNEL)?)
}
