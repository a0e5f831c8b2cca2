# The phases of a boot, from the kernel log (dmesg) of a guest under
# -icount shift=0, where a printk timestamp counts executed instructions
# since the TSC was set up: "@bootphase NAME INSTRUCTIONS" records for
# compare/intree. The nullfs is first used by init_mount_tree(), right
# after mnt_init() prints the Mountpoint-cache line; "VFS: Finished
# mounting rootfs on nullfs" follows its first mount and rootfs's. So an
# excess before the first line is not the nullfs's, and the span between
# the two bounds what its first mount costs.
function stamp(line,    t) {
	t = line
	sub(/^\[ */, "", t)
	sub(/\].*/, "", t)
	return t * 1000000000
}
/Mountpoint-cache hash table entries/ { before = stamp($0) }
/VFS: Finished mounting rootfs on nullfs/ { after = stamp($0) }
END {
	if (before && after) {
		printf "@bootphase\tboot to the first nullfs mount (instructions from TSC setup)\t%d\n", before
		printf "@bootphase\tsysfs, shmem, then nullfs and rootfs mounted (instructions)\t%d\n", after - before
	}
}
