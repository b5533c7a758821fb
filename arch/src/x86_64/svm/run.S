/*
 * svm_vmrun(vmcb_pa: rdi, regs: rsi, host_save_pa: rdx, host_if: rcx)
 *
 * Runs the guest once. Guest RAX, RSP, RIP and RFLAGS live in the VMCB; the other general
 * registers are loaded from and saved to *regs (GuestRegs: rbx rcx rdx rsi rdi rbp r8..r15).
 * VMSAVE/VMLOAD switch the state VMRUN does not (FS/GS/TR/LDTR bases, KernelGsBase, STAR,
 * SYSENTER): the host's goes to host_save_pa, the guest's lives in its VMCB. Called with
 * interrupts disabled; returns with them disabled and GIF clear (the caller runs STGI).
 *
 * With V_INTR_MASKING the host's RFLAGS.IF at VMRUN (the APM's HIF, vol. 2 15.21.1) decides
 * whether a host interrupt ends the guest's run: with it clear, a guest that makes no exit of
 * its own (a spin on memory) would keep the CPU past every host timer. So when host_if is
 * set, IF is set under CLGI (which keeps interrupts out of the host until STGI) and cleared
 * again after the exit; the interrupt that ended the run is taken once the caller opens
 * interrupts.
 */
.section .text.svm, "ax"
.code64
.global svm_vmrun
svm_vmrun:
    clgi
    test %rcx, %rcx
    jz 1f
    sti
1:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    push %rsi                       /* regs */
    push %rdi                       /* vmcb */
    mov %rdx, %rax
    vmsave                          /* host extra state -> host save area */
    push %rdx                       /* host save area */
    mov %rsi, %rax
    mov 0x00(%rax), %rbx
    mov 0x08(%rax), %rcx
    mov 0x10(%rax), %rdx
    mov 0x18(%rax), %rsi
    mov 0x20(%rax), %rdi
    mov 0x28(%rax), %rbp
    mov 0x30(%rax), %r8
    mov 0x38(%rax), %r9
    mov 0x40(%rax), %r10
    mov 0x48(%rax), %r11
    mov 0x50(%rax), %r12
    mov 0x58(%rax), %r13
    mov 0x60(%rax), %r14
    mov 0x68(%rax), %r15
    mov 8(%rsp), %rax               /* vmcb */
    vmload
    vmrun
    cli                             /* #VMEXIT restored the host's IF; GIF is still clear */
    vmsave
    mov 16(%rsp), %rax              /* regs */
    mov %rbx, 0x00(%rax)
    mov %rcx, 0x08(%rax)
    mov %rdx, 0x10(%rax)
    mov %rsi, 0x18(%rax)
    mov %rdi, 0x20(%rax)
    mov %rbp, 0x28(%rax)
    mov %r8, 0x30(%rax)
    mov %r9, 0x38(%rax)
    mov %r10, 0x40(%rax)
    mov %r11, 0x48(%rax)
    mov %r12, 0x50(%rax)
    mov %r13, 0x58(%rax)
    mov %r14, 0x60(%rax)
    mov %r15, 0x68(%rax)
    pop %rax                        /* host save area */
    vmload                          /* host FS/GS/TR/... back */
    add $16, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
