#!/bin/sh
# Build the C differential harness: the seed vnode_pager.c, unmodified, plus the fake kernel (every *.c here).
# usage: build.sh OUT  (run from anywhere)
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-$here/cdiff-freebsd}
cc=${CC:-gcc}
objs="$out.seed.o"
$cc -std=gnu11 -O1 -g -w -DSEED_TU -I"$here/include" -include "$here/kern.h" -c "$root/public/seeds/vnode_pager.c" -o "$out.seed.o"
for c in "$here"/*.c; do
	o="$out.$(basename "$c" .c).o"
	$cc -std=gnu11 -O1 -g -Wall -Wno-unused-function -Wno-format-truncation -c "$c" -o "$o"
	objs="$objs $o"
done
$cc -o "$out" $objs
rm -f $objs
