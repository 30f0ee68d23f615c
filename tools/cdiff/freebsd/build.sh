#!/bin/sh
# Build the C differential harness: the seed vnode_pager.c, unmodified, plus the fake kernel.
# usage: build.sh OUT  (run from anywhere)
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-$here/cdiff-freebsd}
cc=${CC:-gcc}
$cc -std=gnu11 -O1 -g -w -DSEED_TU -I"$here/include" -include "$here/kern.h" -c "$root/public/seeds/vnode_pager.c" -o "$out.seed.o"
$cc -std=gnu11 -O1 -g -Wall -Wno-unused-function -Wno-format-truncation -c "$here/kern.c" -o "$out.kern.o"
$cc -o "$out" "$out.seed.o" "$out.kern.o"
rm -f "$out.seed.o" "$out.kern.o"
