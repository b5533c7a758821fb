#!/bin/sh
# setup.sh XEN_GIT_DIR : lays out $WORK (default /tmp/ferrite-layout-gen) with the public headers
# of the releases the generator compares: inc417 -> /usr/include/xen (Debian's, what CI checks),
# inc4.18.0, inc4.19.0 and inc420 from the RELEASE-* tags of a xen-project/xen clone.
set -e
WORK=${WORK:-/tmp/ferrite-layout-gen}
mkdir -p "$WORK/inc417" && ln -sfn /usr/include/xen "$WORK/inc417/xen"
for v in 4.18.0 4.19.0 4.20.0; do
    d="$WORK/x$v"; mkdir -p "$d"
    git -C "$1" archive "RELEASE-$v" xen/include/public | tar -x -C "$d"
    inc="$WORK/inc$v"; [ "$v" = 4.20.0 ] && inc="$WORK/inc420"
    mkdir -p "$inc" && ln -sfn "$d/xen/include/public" "$inc/xen"
done
ln -sfn "$WORK/x4.20.0" "$WORK/x420"
