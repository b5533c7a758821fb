#!/bin/sh
TOOLS=$(dirname "$(readlink -f "$0")")
# dump.sh <incdir> <header> <out.json> <structs...>
inc=$1; hdr=$2; out=$3; shift 3
d=$(mktemp -d)
{ echo '#include <stdint.h>'; echo '#include <stddef.h>'; echo "#include <xen/xen.h>"; echo "#include <xen/$hdr>"; i=0; for s in "$@"; do echo "struct $s *v_$i;"; i=$((i+1)); done; } > $d/t.c
# pointers to types that might not exist: compile with errors ignored by dropping failing lines
gcc -g -c -D__XEN_TOOLS__ -w -I $inc $d/t.c -o $d/t.o 2>$d/err || { 
  bad=$(grep -o 't.c:[0-9]*' $d/err | cut -d: -f2 | sort -u); for l in $bad; do sed -i "${l}s/.*//" $d/t.c; done; gcc -g -c -D__XEN_TOOLS__ -w -I $inc $d/t.c -o $d/t.o; }
STRUCTS=$(echo "$@" | tr ' ' ',') OUT=$out gdb -batch -x $TOOLS/dump.py $d/t.o >/dev/null 2>&1
rm -r $d
