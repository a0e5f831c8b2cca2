// expect: builds
// A second filesystem, to show that the layer is not rnullfs's alone: a
// root directory holding nothing but answering lookups from its inode, and
// a greeting file whose text lives in the super block's data, read through
// the open file at the kiocb's position, with its own llseek and fsync. It
// uses what rnullfs does not.

/// The data of each super block: what the file says.
pub(crate) struct Greeting {
    text: &'static [u8],
}

/// The root: `lookup` tells the root (inode 1) from any other directory.
struct GreetingDir;

#[vtable]
impl Directory for GreetingDir {
    type Data = Greeting;

    fn lookup(dir: &Inode<Greeting>, name: &BStr) -> Result {
        let greeting = dir.super_block().data();
        if dir.ino() == 1 && &**name == greeting.text {
            // A name the root knows but cannot show: refused, not absent.
            return Err(EACCES);
        }
        Ok(())
    }

    fn iterate(_: &OpenFile<Greeting>, emitter: &mut DirEmitter<'_>) -> Result {
        emitter.emit_dots();
        Ok(())
    }
}

/// The greeting file: the root unless `-o dir`.
struct GreetingFile;

#[vtable]
impl RegularFile for GreetingFile {
    type Data = Greeting;

    fn read_iter(
        file: &OpenFile<Greeting>,
        kiocb: &mut Kiocb<'_, ()>,
        to: &mut ReadBuffer<'_, '_>,
    ) -> Result {
        let greeting = file.inode().super_block().data();
        to.simple_read_from_buffer(kiocb.ki_pos_mut(), greeting.text)?;
        Ok(())
    }

    fn llseek(file: &OpenFile<Greeting>, current: i64, offset: i64, whence: Whence) -> Result<i64> {
        let size = file.inode().super_block().data().text.len() as i64;
        let base = match whence {
            Whence::Start => 0,
            Whence::Current => current,
            Whence::End => size,
            Whence::Data | Whence::Hole => return Err(EINVAL),
        };
        base.checked_add(offset).ok_or(EINVAL)
    }

    fn fsync(_: &OpenFile<Greeting>, _: i64, _: i64, _: bool) -> Result {
        Ok(())
    }
}

/// The options: `-o dir` makes the root the directory, else it is the file.
#[derive(Default)]
pub(crate) struct GreetingOptions {
    dir: bool,
}

#[vtable]
impl FileSystem for Fs {
    const NAME: &'static CStr = c"greetingfs";
    type Options = GreetingOptions;
    type Data = Greeting;

    fn parse_param(options: &mut GreetingOptions, param: &Param<'_>) -> Result<(), ParamRefusal> {
        if &**param.key == b"dir" {
            options.dir = true;
            return Ok(());
        }
        Err(ParamRefusal::Unknown)
    }

    fn init_data(_: &GreetingOptions) -> Result<Greeting> {
        Ok(Greeting { text: b"hello" })
    }

    fn super_params(_: &GreetingOptions) -> SuperParams {
        params()
    }

    fn init_root(
        _: &SuperBlock<Greeting, New>,
        mounter: Mounter,
        options: &GreetingOptions,
    ) -> Result<InodeSpec<Greeting>> {
        Ok(if options.dir {
            InodeSpec::directory::<GreetingDir>(root_dir_params(mounter))
        } else {
            InodeSpec::regular_file::<GreetingFile>(InodeParams {
                ino: 2,
                permissions: 0o444,
                nlink: 1,
                owner: mounter,
                immutable: true,
                no_atime: true,
            })
        })
    }

    fn reconfigure(
        sb: &SuperBlock<Greeting>,
        _: &Reconfigure,
        options: &GreetingOptions,
    ) -> Result<(), Refusal> {
        // A remount cannot turn the root into the other kind.
        if options.dir && !sb.root_inode().is_dir() {
            return Err(Refusal::invalid(c"the root is the greeting file"));
        }
        Ok(())
    }
}
