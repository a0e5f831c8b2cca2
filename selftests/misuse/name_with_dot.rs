// expect: a filesystem's name cannot contain '.'
// register_filesystem() hits BUG() on a name with a '.'.
good_filesystem!(name: c"mis.use", options: ());
