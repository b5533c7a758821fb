/*
 * The application-processor trampoline: one code page below 1 MiB (mapped RX) followed by a
 * data page (RW) that the BSP fills before each start (see smp.rs for the layout). INIT-SIPI-
 * SIPI starts the AP in real mode at the code page; it goes straight to long mode with the
 * kernel's page tables (whose root lies below 4 GiB), then jumps to ap_start(cpu) on its own
 * stack.
 */
.set TP_DATA,   0x1000
.set TP_GDTPTR, TP_DATA + 0x18
.set TP_FAR,    TP_DATA + 0x20
.set TP_CR3,    TP_DATA + 0x28
.set TP_CR4,    TP_DATA + 0x30
.set TP_EFER,   TP_DATA + 0x38
.set TP_STACK,  TP_DATA + 0x40
.set TP_ENTRY,  TP_DATA + 0x48
.set TP_CPU,    TP_DATA + 0x50

.section .rodata.trampoline, "a"
.balign 16
.global ap_trampoline_start
.global ap_trampoline_end
.global ap_trampoline_long
.code16
ap_trampoline_start:
    cli
    cld
    mov %cs, %ax
    mov %ax, %ds
    lgdtl TP_GDTPTR
    mov TP_CR4, %eax
    mov %eax, %cr4
    mov TP_CR3, %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx
    mov TP_EFER, %eax
    xor %edx, %edx
    wrmsr
    mov $0x80010001, %eax                /* PG | WP | PE */
    mov %eax, %cr0
    ljmpl *TP_FAR

.code64
ap_trampoline_long:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    lea ap_trampoline_start(%rip), %rbx
    mov TP_STACK(%rbx), %rsp
    mov TP_CPU(%rbx), %edi
    mov TP_ENTRY(%rbx), %rax
    xor %ebp, %ebp
    push $0
    jmp *%rax
ap_trampoline_end:
