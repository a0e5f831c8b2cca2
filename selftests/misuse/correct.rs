// expect: builds
// The control: a correct filesystem builds, so a failure of the others is
// theirs and not the frame's.
good_filesystem!(name: c"misuse", options: ());
