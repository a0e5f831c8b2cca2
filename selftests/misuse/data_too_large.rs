// expect: FileSystem::Data is held on the kernel stack
// Per-super-block data of 64 KiB: init_data returns it by value, on the
// kernel stack, before the layer boxes it. A filesystem with that much to
// keep returns a KBox of it.
pub(crate) struct HugeData {
    bytes: [u8; 65536],
}

struct Dir2;

#[vtable]
impl Directory for Dir2 {
    type Data = HugeData;
}

#[vtable]
impl FileSystem for Fs {
    const NAME: &'static CStr = c"misuse";
    type Options = ();
    type Data = HugeData;

    fn init_data(_: &()) -> Result<HugeData> {
        Ok(HugeData { bytes: [0; 65536] })
    }

    fn super_params(_: &()) -> SuperParams {
        params()
    }

    fn init_root(_: &SuperBlock<HugeData, New>, mounter: Mounter, _: &()) -> Result<InodeSpec<HugeData>> {
        Ok(InodeSpec::directory::<Dir2>(root_dir_params(mounter)))
    }
}
