/*
 * The PVH entry of a Ferrite test guest (Xen's docs/misc/pvh.pandoc): the loader starts us in
 * 32-bit flat protected mode, paging off, interrupts off, with EBX = the physical address of
 * struct hvm_start_info. We zero .bss, identity-map the first 4 GiB with 2 MiB pages (the
 * start_info address in EBX can be anywhere below 4 GiB), enter long mode and call
 * guest_rust_start(start_info) on our own stack.
 */

.section .note.Xen, "a", @note
.balign 4
    .long 4                             /* namesz: "Xen\0" */
    .long 8                             /* descsz: 8 so that readers of a 64-bit word agree */
    .long 18                            /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .balign 4
    .quad pvh_start

.section .text.entry32, "ax"
.code32
.global pvh_start
pvh_start:
    cli
    cld
    mov %ebx, %esi                      /* start_info: kept in ESI until the call */

    /* Zero .bss (page tables, stack, IDT, hypercall and shared_info pages). */
    mov $__bss_start, %edi
    mov $__bss_end, %ecx
    sub %edi, %ecx
    xor %eax, %eax
    rep stosb
    mov $guest_stack_top, %esp

    /* Long mode needs CPUID 0x80000001 EDX.LM (bit 29). */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    bt $29, %edx
    jnc no_long_mode

    /* PD entries: 2048 x 2 MiB, present | writable | large. */
    mov $guest_pd, %edi
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, (%edi,%ecx,8)
    inc %ecx
    cmp $2048, %ecx
    jb 1b
    /* PDPT[0..3] -> the four PDs; PML4[0] -> the PDPT. */
    mov $guest_pdpt, %edi
    mov $guest_pd + 0x0003, %eax
    mov %eax, 0(%edi)
    add $0x1000, %eax
    mov %eax, 8(%edi)
    add $0x1000, %eax
    mov %eax, 16(%edi)
    add $0x1000, %eax
    mov %eax, 24(%edi)
    mov $guest_pdpt + 0x0003, %eax
    mov %eax, guest_pml4

    lgdt guest_gdt_ptr
    mov %cr4, %eax
    or $0x20, %eax                      /* PAE */
    mov %eax, %cr4
    mov $guest_pml4, %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx               /* EFER */
    rdmsr
    or $0x100, %eax                     /* LME */
    wrmsr
    mov %cr0, %eax
    or $0x80000001, %eax                /* PG | PE */
    mov %eax, %cr0
    ljmp $0x08, $entry64

no_long_mode:
    /* Say so on the debug port and COM1 (no Xen console this early), then stop. */
    mov $no_lm_msg, %esi
2:  lodsb
    test %al, %al
    jz 3f
    out %al, $0xe9
    mov $0x3f8, %dx
    out %al, %dx
    jmp 2b
3:  hlt
    jmp 3b

.code64
entry64:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov %eax, %fs
    mov %eax, %gs
    mov $guest_stack_top, %rsp
    mov %esi, %edi                      /* zero-extends: rdi = start_info */
    xor %ebp, %ebp
    call guest_rust_start
4:  cli
    hlt
    jmp 4b

/*
 * Exception entry: one stub per vector 0..31 pushes a zero error code where the CPU pushes
 * none, then the vector, so that every frame has the ExceptionFrame layout (idt.rs).
 */
.macro EXC_NOERR n
exc_stub_\n:
    push $0
    push $\n
    jmp exc_common
.endm
.macro EXC_ERR n
exc_stub_\n:
    push $\n
    jmp exc_common
.endm

.section .text, "ax"
EXC_NOERR 0
EXC_NOERR 1
EXC_NOERR 2
EXC_NOERR 3
EXC_NOERR 4
EXC_NOERR 5
EXC_NOERR 6
EXC_NOERR 7
EXC_ERR   8
EXC_NOERR 9
EXC_ERR   10
EXC_ERR   11
EXC_ERR   12
EXC_ERR   13
EXC_ERR   14
EXC_NOERR 15
EXC_NOERR 16
EXC_ERR   17
EXC_NOERR 18
EXC_NOERR 19
EXC_NOERR 20
EXC_ERR   21
EXC_NOERR 22
EXC_NOERR 23
EXC_NOERR 24
EXC_NOERR 25
EXC_NOERR 26
EXC_NOERR 27
EXC_NOERR 28
EXC_ERR   29
EXC_ERR   30
EXC_NOERR 31

exc_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    mov %rsp, %rbp
    and $-16, %rsp
    cld
    call guest_exception                /* reports and shuts down, or returns after a fixup */
    mov %rbp, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp                       /* vector and error code */
    iretq

/*
 * An external interrupt: saves the registers the SysV ABI lets a call clobber, calls
 * `target`, and returns with IRETQ.
 */
.macro interrupt_stub name, target
.global \name
\name:
    push %rax
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %r8
    push %r9
    push %r10
    push %r11
    push %rbp
    mov %rsp, %rbp
    and $-16, %rsp
    cld
    call \target
    mov %rbp, %rsp
    pop %rbp
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rax
    iretq
.endm

/* The event-channel upcall vector. */
interrupt_stub guest_upcall_stub, guest_upcall
/* The device-interrupt vector (an I/O APIC pin the guest programmed). */
interrupt_stub guest_irq_stub, guest_irq

/* Any vector above 31 other than the upcall's and the device one: reported as an error. */
.global guest_spurious_stub
guest_spurious_stub:
    push $0
    push $255
    jmp exc_common

.section .rodata, "a"
.balign 8
.global guest_exception_stubs
guest_exception_stubs:
    .quad exc_stub_0, exc_stub_1, exc_stub_2, exc_stub_3
    .quad exc_stub_4, exc_stub_5, exc_stub_6, exc_stub_7
    .quad exc_stub_8, exc_stub_9, exc_stub_10, exc_stub_11
    .quad exc_stub_12, exc_stub_13, exc_stub_14, exc_stub_15
    .quad exc_stub_16, exc_stub_17, exc_stub_18, exc_stub_19
    .quad exc_stub_20, exc_stub_21, exc_stub_22, exc_stub_23
    .quad exc_stub_24, exc_stub_25, exc_stub_26, exc_stub_27
    .quad exc_stub_28, exc_stub_29, exc_stub_30, exc_stub_31

.balign 8
guest_gdt:
    .quad 0                             /* null */
    .quad 0x00af9b000000ffff            /* 0x08: 64-bit code, ring 0 (accessed set: no write) */
    .quad 0x00cf93000000ffff            /* 0x10: flat data */
guest_gdt_end:
.global guest_gdt_ptr
guest_gdt_ptr:
    .word guest_gdt_end - guest_gdt - 1
    .quad guest_gdt

no_lm_msg:
    .asciz "Test result: ERROR (no long mode)\n"

.section .bss.page_aligned, "aw", @nobits
.balign 4096
guest_pml4:
    .skip 4096
guest_pdpt:
    .skip 4096
.global guest_pd
guest_pd:
    .skip 4 * 4096
.global guest_hypercall_page
guest_hypercall_page:
    .skip 4096
.global guest_shared_info_page
guest_shared_info_page:
    .skip 4096
guest_stack:
    .skip 64 * 1024
guest_stack_top:
