#!/bin/sh
# group.sh HEADER NAME TAG... : generate one group of structs into $WORK/out/NAME.{rs.txt,hand.txt};
# $WORK/out/known.json maps C tags already mirrored to Rust names and accumulates across groups.
TOOLS=$(dirname "$(readlink -f "$0")")
WORK=${WORK:-/tmp/ferrite-layout-gen}; export WORK
hdr=$1; name=$2; shift 2
mkdir -p "$WORK/out"
[ -f "$WORK/out/known.json" ] || echo '{"xenctl_bitmap":"XenctlBitmap"}' > "$WORK/out/known.json"
KNOWN="$(cat "$WORK/out/known.json")" python3 "$TOOLS/gen.py" "$hdr" "$WORK/out/$name" "$@" > "$WORK/out/$name.names" && cp "$WORK/out/$name.names" "$WORK/out/known.json"
