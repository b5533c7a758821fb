/*
 * The EL2 exception vector table (Arm ARM D1.10.2): 16 entries of 0x80 bytes. Each entry
 * makes room for a TrapFrame (mod.rs), saves x0/x1, and jumps to the common path with the
 * entry's number in x0; the common path saves the rest and calls aarch64_trap. Interrupts
 * return through the restore path; everything else is fatal and never returns.
 * Ferrite runs on SP_EL0, so its exceptions come through entries 0-3 and are handled on
 * SP_EL2, a separate per-CPU stack: a stack overflow into a guard page is reported instead
 * of faulting again while saving the frame.
 */
.equ FRAME, 320 

.section .text.vectors, "ax"
.balign 2048
.global el2_vectors
el2_vectors:
.irp kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    .balign 128
    sub     sp, sp, #FRAME
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
    b       trap_common
.endr

trap_common:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    /* sp before the exception: SP_EL0 for entries 0-3 (Ferrite's own code), else this stack */
    cmp     x0, #4
    b.hs    1f
    mrs     x1, sp_el0
    b       2f
1:  add     x1, sp, #FRAME
2:  stp     x30, x1, [sp, #240]
    mrs     x1, elr_el2
    mrs     x2, spsr_el2
    stp     x1, x2, [sp, #256]
    mrs     x2, esr_el2
    mrs     x3, far_el2
    stp     x2, x3, [sp, #272]
    stp     x29, x1, [sp, #288]         /* a frame record: interrupted fp and pc */
    add     x29, sp, #288
    mov     x1, sp
    bl      aarch64_trap
    ldp     x1, x2, [sp, #256]
    msr     elr_el2, x1
    msr     spsr_el2, x2
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #FRAME
    eret
