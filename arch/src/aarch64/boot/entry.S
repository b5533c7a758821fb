/*
 * The arm64 entry: the Linux Image header (Documentation/arch/arm64/booting.rst), then the
 * boot CPU's path to Rust and the secondary CPUs' path from PSCI CPU_ON.
 *
 * The loader may put the Image at any 2 MiB-aligned physical address + text_offset (header
 * flags bit 3), enters with the MMU off and x0 = the DTB's physical address. Ferrite runs
 * 1:1 (virtual = physical), so it is linked as a static PIE and relocates itself here: the
 * code before the relocation is position-independent (adr/adrp only), then every
 * R_AARCH64_RELATIVE entry of .rela.dyn gets the load offset added (see ferrite.ld for why
 * PIE rather than a fixed high virtual address).
 *
 * The load offset must be a multiple of 4 KiB (adrp); the header's text_offset keeps it so
 * for any loader that follows booting.rst.
 *
 * Rust is only entered with the MMU on (data accesses with the MMU off are Device accesses,
 * which fault when unaligned), so the boot CPU first builds small 1:1 tables that map just
 * the image, in 4 KiB pages of Normal memory; Rust adds the DTB, the console UART (Device)
 * and RAM to them (boot/mod.rs, `map_early`) before it builds the final W^X tables.
 * At EL1 (no virtualization extensions in use) the same tables go into the EL1 registers so
 * that Rust can say why Ferrite stops.
 */
.equ MAIR_VALUE, 0x44ff04        /* attr0 Device-nGnRE, attr1 Normal WB, attr2 Normal NC */ 
.equ TCR_VALUE, 0x80803510      /* T0SZ=16, WBWA walks, inner shareable, 4K; RES1 bits */ 
.equ SCTLR_EL2_VALUE, 0x30c5183d      /* M, C, SA, I + RES1 */ 
.equ SCTLR_EL1_VALUE, 0x30d0180d      /* M, C, SA, I + RES1 */ 
.equ CPTR_EL2_VALUE, 0x33ff          /* RES1 bits; TFP=0: Ferrite's own code may use FP/SIMD */ 
.equ HCR_EL2_VALUE, 0x80000038   /* RW (lower ELs AArch64); IMO/FMO/AMO: IRQ, FIQ, SError go to EL2 */

/* reg = the run-time address of sym (PC-relative, +-4 GiB): usable before relocation. */
.macro adr_l reg, sym
    adrp    \reg, \sym
    add     \reg, \reg, :lo12:\sym
.endm

.section .text.head, "ax"
.global _head
_head:
    b       primary_entry               /* code0 */
    .long   0                           /* code1 */
    .quad   0x80000                     /* text_offset */
    .quad   __image_size                /* image_size (with bss) */
    .quad   0xa                         /* flags: little-endian, 4K pages, anywhere in RAM */
    .quad   0, 0, 0
    .ascii  "ARM\x64"                   /* magic */
    .long   0                           /* no PE/COFF header (EFI boot comes later) */

.section .text.boot, "ax"
primary_entry:
    mov     x19, x0                     /* the DTB */
    mrs     x20, CurrentEL
    ubfx    x20, x20, #2, #2
    adr     x21, _head                  /* where the loader put the image */
    adr_l   x1, __bss_start
    adr_l   x2, __bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:  bl      build_boot_tables           /* x0 = the L0 table */
    bl      inval_bss                   /* before the MMU (and so the caches) goes on */
    bl      tcr_ps                      /* x2 = PA size field */
    cmp     x20, #2
    b.eq    3f
    /* Not EL2: MMU on at EL1, FP/SIMD allowed, then Rust says why Ferrite stops. */
    ldr     x1, =MAIR_VALUE
    msr     mair_el1, x1
    ldr     x1, =TCR_VALUE
    orr     x1, x1, x2, lsl #32         /* IPS */
    msr     tcr_el1, x1
    msr     ttbr0_el1, x0
    isb
    tlbi    vmalle1
    dsb     nsh
    isb
    ldr     x1, =SCTLR_EL1_VALUE
    msr     sctlr_el1, x1
    mov     x1, #(3 << 20)
    msr     cpacr_el1, x1
    isb
    b       4f
3:  ldr     x1, =HCR_EL2_VALUE
    msr     hcr_el2, x1
    ldr     x1, =TCR_VALUE
    orr     x1, x1, x2, lsl #16         /* PS */
    mov     x2, x0
    ldr     x0, =MAIR_VALUE
    ldr     x3, =SCTLR_EL2_VALUE
    bl      el2_mmu_on
4:  bl      apply_relocations
    /* Exceptions run on their own stack (SP_EL2); Ferrite's code runs on SP_EL0, so an
     * overflow into a stack's guard page is still reported (see trap/entry.S). */
    adr_l   x1, boot_exc_stack_top
    mov     sp, x1
    msr     spsel, #0
    adr_l   x1, boot_stack_top
    mov     sp, x1
    mov     x29, #0
    mov     x30, #0
    mov     x0, x19
    mov     x1, x20
    bl      aarch64_start
5:  wfe
    b       5b

/* x2 = ID_AA64MMFR0_EL1.PARange, at most 5 (48 bits: the most a 4K-granule walk uses). */
tcr_ps:
    mrs     x2, id_aa64mmfr0_el1
    and     x2, x2, #0xf
    cmp     x2, #5
    mov     x3, #5
    csel    x2, x2, x3, ls
    ret

/*
 * EL2 MMU and the rest of the EL2 state every CPU needs:
 * x0 = MAIR, x1 = TCR, x2 = TTBR0, x3 = SCTLR. Clobbers x4.
 */
.global el2_mmu_on
el2_mmu_on:
    msr     mair_el2, x0
    msr     tcr_el2, x1
    msr     ttbr0_el2, x2
    isb
    tlbi    alle2
    dsb     nsh
    isb
    msr     sctlr_el2, x3
    isb
    ldr     x4, =CPTR_EL2_VALUE
    msr     cptr_el2, x4
    ldr     x4, =HCR_EL2_VALUE
    msr     hcr_el2, x4
    adr_l   x4, el2_vectors
    msr     vbar_el2, x4
    msr     cntvoff_el2, xzr
    isb
    ret

/*
 * Invalidates bss (zeroed and filled with the boot tables while the MMU, so the data cache,
 * was off) from the data caches, so that no stale line the loader left hides those writes
 * once the MMU is on. Preserves x0; clobbers x1-x4.
 */
inval_bss:
    adr_l   x1, __bss_start
    adr_l   x2, __bss_end
    mrs     x3, ctr_el0
    ubfx    x3, x3, #16, #4             /* DminLine: log2 of the line size in words */
    mov     x4, #4
    lsl     x3, x4, x3                  /* the smallest data cache line, in bytes */
    sub     x4, x3, #1
    bic     x1, x1, x4
1:  dc      ivac, x1
    add     x1, x1, x3
    cmp     x1, x2
    b.lo    1b
    dsb     sy
    ret

/* A boot failure before any console exists (see the callers): stop here. */
boot_hang:
    wfe
    b       boot_hang

/*
 * Adds the load offset (x21 - the link address) to every R_AARCH64_RELATIVE target. Runs
 * once, on the boot CPU, with the MMU on and the image mapped writable. xtask refuses an
 * image with any other kind of dynamic relocation, so the stop below is never reached.
 */
apply_relocations:
    ldr     x0, boot_link_address
    sub     x1, x21, x0
    adr_l   x2, __rela_start
    adr_l   x3, __rela_end
1:  cmp     x2, x3
    b.hs    3f
    ldp     x4, x5, [x2], #16           /* r_offset, r_info */
    ldr     x6, [x2], #8                /* r_addend */
    cmp     x5, #1027                   /* R_AARCH64_RELATIVE, no symbol */
    b.ne    boot_hang
    add     x6, x6, x1
    str     x6, [x4, x1]
    b       1b
3:  dsb     ish
    ret

.balign 8
/* The address the image is linked at: an absolute symbol, so this needs no relocation. */
.global boot_link_address
boot_link_address:
    .quad   __link_address

/*
 * The boot tables: the image, [__image_start, __image_end), 1:1 in 4 KiB pages of Normal
 * write-back memory (readable, writable and executable: the final tables split it W^X).
 * Tables come from boot_pt_pool, whose first page is the root; returns x0 = the root.
 */
.equ BOOT_PAGE, ((1 << 10) | (3 << 8) | (1 << 2) | 3)   /* AF, inner shareable, attr1, page */
.equ BOOT_PT_PAGES, 24
build_boot_tables:
    mov     x15, x30
    adr_l   x9, boot_pt_pool
    adr_l   x10, boot_pt_used
    mov     x8, #1                      /* the root */
    str     x8, [x10]
    adr_l   x0, __image_start
    adr_l   x1, __image_end
    ldr     x2, =BOOT_PAGE
5:  cmp     x0, x1
    b.hs    6f
    bl      boot_map_page
    add     x0, x0, #4096
    b       5b
6:  mov     x0, x9
    mov     x30, x15
    ret

/* Maps the page at x0 1:1 with leaf attributes x2; x9 = the pool, x10 = its use count.
 * Clobbers x3-x8. */
boot_map_page:
    mov     x3, x9                      /* the root */
    mov     x4, #39                     /* the shift of the level-0 index */
7:  lsr     x5, x0, x4
    and     x5, x5, #0x1ff
    cmp     x4, #12
    b.eq    9f
    ldr     x6, [x3, x5, lsl #3]
    cbnz    x6, 8f
    ldr     x8, [x10]                   /* a new table: the pool's next (zeroed) page */
    cmp     x8, #BOOT_PT_PAGES
    b.hs    boot_hang                   /* cannot happen for an image under 1 GiB */
    add     x6, x9, x8, lsl #12
    add     x8, x8, #1
    str     x8, [x10]
    orr     x6, x6, #3                  /* table descriptor */
    str     x6, [x3, x5, lsl #3]
8:  and     x3, x6, #0x0000fffffffff000
    sub     x4, x4, #9
    b       7b
9:  orr     x6, x0, x2
    str     x6, [x3, x5, lsl #3]
    ret

/*
 * A secondary CPU, started by PSCI CPU_ON at EL2 with the MMU off; x0 = its ApBoot record
 * (smp.rs): stack top, TTBR0, TCR, MAIR, SCTLR, index, exception stack top.
 */
.global secondary_entry
secondary_entry:
    mov     x19, x0
    ldr     x0, [x19, #24]
    ldr     x1, [x19, #16]
    ldr     x2, [x19, #8]
    ldr     x3, [x19, #32]
    bl      el2_mmu_on
    ldr     x1, [x19, #48]
    mov     sp, x1                      /* SP_EL2: the exception stack */
    msr     spsel, #0
    ldr     x1, [x19, #0]
    mov     sp, x1
    mov     x29, #0
    mov     x30, #0
    ldr     w0, [x19, #40]
    bl      aarch64_secondary_start
7:  wfe
    b       7b

.section .data.dtb_override, "aw"
.balign 8
/* Test images only: xtask may patch the quad after this marker with the address of a DTB to
 * use instead of x0's (QEMU refuses to load a malformed -dtb itself). */
.ascii "FERRITE-DTB-OVERRIDE:..."
.global dtb_override_slot
dtb_override_slot:
.quad 0

.section .bss.boot, "aw", @nobits
.balign 4096
/* The boot tables' pages and how many of them are used (boot/mod.rs adds to them). */
.global boot_pt_pool
boot_pt_pool: .skip 4096 * BOOT_PT_PAGES
.global boot_pt_pool_end
boot_pt_pool_end:
.global boot_pt_used
boot_pt_used: .quad 0
.balign 4096
.global boot_stack_guard
boot_stack_guard: .skip 4096
.global boot_stack_bottom
boot_stack_bottom: .skip 65536
.global boot_stack_top
boot_stack_top:
.global boot_exc_stack_guard
boot_exc_stack_guard: .skip 4096
.global boot_exc_stack_bottom
boot_exc_stack_bottom: .skip 16384
.global boot_exc_stack_top
boot_exc_stack_top:
