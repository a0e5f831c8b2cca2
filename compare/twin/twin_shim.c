// SPDX-License-Identifier: GPL-2.0
/*
 * The rest of nullfs_twin.ko: what fs/nullfs.c uses that is built into the
 * kernel but not exported to modules, and the module's registration.
 *
 * Only the two libfs helpers are replaced, each by the smallest equivalent
 * for a benchmark twin: the twin's mount path -- fs_context, get_tree_nodev,
 * new_inode, d_make_root, kill_anon_super -- is the kernel's own, which is
 * what make compare measures.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pipe_fs_i.h>
#include <linux/splice.h>

#include "mount.h"

static struct dentry *twin_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags)
{
	return ERR_PTR(-ENOENT);
}

static int twin_setattr(struct mnt_idmap *idmap, struct dentry *dentry, struct iattr *attr)
{
	return -EPERM;
}

static ssize_t twin_listxattr(struct dentry *dentry, char *list, size_t size)
{
	return -EOPNOTSUPP;
}

/* What an empty directory answers, as libfs's own table for it does. */
static const struct inode_operations twin_empty_dir_inode_operations = {
	.lookup = twin_lookup,
	.setattr = twin_setattr,
	.listxattr = twin_listxattr,
};

/*
 * make_empty_dir_inode() is not exported: the same attributes, with the
 * table above. nullfs.c sets i_fop itself right after calling it.
 */
void make_empty_dir_inode(struct inode *inode)
{
	set_nlink(inode, 2);
	inode->i_mode = S_IFDIR | 0555;
	inode->i_uid = GLOBAL_ROOT_UID;
	inode->i_gid = GLOBAL_ROOT_GID;
	inode->i_rdev = 0;
	inode->i_size = 0;
	inode->i_blocks = 0;
	inode->i_blkbits = PAGE_SHIFT;
	inode->i_op = &twin_empty_dir_inode_operations;
	inode->i_opflags &= ~IOP_XATTR;
}

/*
 * splice_from_pipe() is not exported; __splice_from_pipe() is. The wrapper
 * only describes the transfer and holds the pipe's lock around it.
 */
ssize_t splice_from_pipe(struct pipe_inode_info *pipe, struct file *out, loff_t *ppos,
			 size_t len, unsigned int flags, splice_actor *actor)
{
	struct splice_desc desc = {
		.total_len = len,
		.flags = flags,
		.pos = *ppos,
		.u.file = out,
	};
	ssize_t done;

	pipe_lock(pipe);
	done = __splice_from_pipe(pipe, &desc, actor);
	pipe_unlock(pipe);
	return done;
}

static int __init twin_init(void)
{
	/* Every super block holds the module while it exists. */
	nullfs_fs_type.owner = THIS_MODULE;
	return register_filesystem(&nullfs_fs_type);
}

static void __exit twin_exit(void)
{
	unregister_filesystem(&nullfs_fs_type);
}

module_init(twin_init);
module_exit(twin_exit);
MODULE_DESCRIPTION("fs/nullfs.c of the kernel it is built for, mountable, for make compare");
MODULE_LICENSE("GPL");
