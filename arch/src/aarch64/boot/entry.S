/*
 * The arm64 entry: the Linux Image header (Documentation/arch/arm64/booting.rst), then the
 * boot CPU's path to Rust and the secondary CPUs' path from PSCI CPU_ON.
 *
 * The loader enters with the MMU off, x0 = the DTB's physical address. Rust is only entered
 * with the MMU on (data accesses with the MMU off are Device accesses, which fault when
 * unaligned), so the boot CPU first builds small 1:1 tables: 0-1 GiB as Device memory (QEMU
 * virt's and most SoCs' peripherals) and 1-512 GiB as Normal write-back memory, in 1 GiB blocks.
 * At EL1 (no virtualization extensions in use) the same tables go into the EL1 registers so
 * that Rust can say why Ferrite stops.
 */
.equ MAIR_VALUE, 0x44ff04        /* attr0 Device-nGnRE, attr1 Normal WB, attr2 Normal NC */ 
.equ TCR_VALUE, 0x80803510      /* T0SZ=16, WBWA walks, inner shareable, 4K; RES1 bits */ 
.equ SCTLR_EL2_VALUE, 0x30c5183d      /* M, C, SA, I + RES1 */ 
.equ SCTLR_EL1_VALUE, 0x30d0180d      /* M, C, SA, I + RES1 */ 
.equ CPTR_EL2_VALUE, 0x33ff          /* RES1 bits; TFP=0: Ferrite's own code may use FP/SIMD */ 
.equ HCR_EL2_VALUE, 0x80000038   /* RW (lower ELs AArch64); IMO/FMO/AMO: IRQ, FIQ, SError go to EL2 */

.section .text.head, "ax"
.global _head
_head:
    b       primary_entry               /* code0 */
    .long   0                           /* code1 */
    .quad   0x80000                     /* text_offset */
    .quad   __image_size                /* image_size (with bss) */
    .quad   2                           /* flags: little-endian, 4K pages, at DRAM base */
    .quad   0, 0, 0
    .ascii  "ARM\x64"                   /* magic */
    .long   0                           /* no PE/COFF header (EFI boot comes later) */

.section .text.boot, "ax"
primary_entry:
    mov     x19, x0                     /* the DTB */
    mrs     x20, CurrentEL
    ubfx    x20, x20, #2, #2
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:  bl      build_boot_tables           /* x0 = the L0 table */
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
4:  /* Exceptions run on their own stack (SP_EL2); Ferrite's code runs on SP_EL0, so an
     * overflow into a stack's guard page is still reported (see trap/entry.S). */
    ldr     x1, =boot_exc_stack_top
    mov     sp, x1
    msr     spsel, #0
    ldr     x1, =boot_stack_top
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
    ldr     x4, =el2_vectors
    msr     vbar_el2, x4
    msr     cntvoff_el2, xzr
    isb
    ret

build_boot_tables:
    ldr     x0, =boot_pt_l0
    ldr     x1, =boot_pt_l1
    orr     x2, x1, #3                  /* table descriptor */
    str     x2, [x0]
    ldr     x3, =((1 << 54) | (1 << 10) | 1)               /* XN, AF, Device (attr0) block */
    str     x3, [x1]
    ldr     x3, =((1 << 10) | (3 << 8) | (1 << 2) | 1)     /* AF, inner shareable, Normal (attr1) */
    mov     x4, #1
6:  lsl     x5, x4, #30
    orr     x5, x5, x3
    str     x5, [x1, x4, lsl #3]
    add     x4, x4, #1
    cmp     x4, #512
    b.lo    6b
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
.global boot_pt_l0
boot_pt_l0: .skip 4096
boot_pt_l1: .skip 4096
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
