/*
 * Interrupt and exception entry: 256 stubs that push a uniform frame (error code or 0, then
 * the vector) and a common path that saves the general registers and calls x86_64_trap with
 * a pointer to the TrapFrame (see frame.rs for its layout).
 */
.section .text.trap, "ax"
.code64

.balign 16
.global trap_stubs
trap_stubs:                              /* stub v is at trap_stubs + 16 * v */
.set vec, 0
.rept 256
    .balign 16
    .if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    .else
    pushq $0
    .endif
    pushq $vec
    jmp trap_common
    .set vec, vec + 1
.endr

trap_common:
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
    cld
    mov %rsp, %rdi
    /* A frame record for the backtrace: the interrupted RIP and RBP. */
    push 0x88(%rsp)                      /* rip */
    push %rbp
    mov %rsp, %rbp
    call x86_64_trap
    add $16, %rsp
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
    add $16, %rsp                        /* vector, error code */
    iretq

