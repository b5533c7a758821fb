#!/bin/sh
# armval.sh inc header expr... -> prints expr = value using aarch64 gcc -S
inc=$1; hdr=$2; shift 2
{ echo '#include <stdint.h>'; echo '#include <stddef.h>'; echo '#include <xen/xen.h>'; echo "#include <xen/$hdr>"; echo 'const unsigned long long v[] = {'; for e in "$@"; do echo "  $e,"; done; echo '};'; } > ${WORK:-/tmp/ferrite-layout-gen}/av.c
aarch64-linux-gnu-gcc -S -O0 -D__XEN_TOOLS__ -w -I ${WORK:-/tmp/ferrite-layout-gen}/$inc ${WORK:-/tmp/ferrite-layout-gen}/av.c -o ${WORK:-/tmp/ferrite-layout-gen}/av.s || exit 1
grep -E '\.xword|\.8byte' ${WORK:-/tmp/ferrite-layout-gen}/av.s | awk '{print $2}' > ${WORK:-/tmp/ferrite-layout-gen}/av.vals
i=1; for e in "$@"; do echo "$e = $(sed -n ${i}p ${WORK:-/tmp/ferrite-layout-gen}/av.vals)"; i=$((i+1)); done
