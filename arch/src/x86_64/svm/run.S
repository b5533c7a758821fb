/*
 * svm_vmrun(vmcb_pa: rdi, regs: rsi, host_save_pa: rdx)
 *
 * Runs the guest once. Guest RAX, RSP, RIP and RFLAGS live in the VMCB; the other general
 * registers are loaded from and saved to *regs (GuestRegs: rbx rcx rdx rsi rdi rbp r8..r15).
 * VMSAVE/VMLOAD switch the state VMRUN does not (FS/GS/TR/LDTR bases, KernelGsBase, STAR,
 * SYSENTER): the host's goes to host_save_pa, the guest's lives in its VMCB. Called with
 * interrupts disabled; returns with GIF clear and interrupts disabled (the caller runs STGI).
 *
 * With V_INTR_MASKING the host's RFLAGS.IF at VMRUN (HIF) decides whether physical
 * interrupts reach the guest's run at all, so IF is set between CLGI and VMRUN, as Xen and
 * KVM do: GIF=0 still holds them off until VMRUN, and the guest's run then ends on the
 * first one (a timer, a kick from another CPU).
 */
.section .text.svm, "ax"
.code64
.global svm_vmrun
svm_vmrun:
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
    clgi
    sti                             /* HIF=1: host interrupts end the guest's run (#VMEXIT INTR) */
    vmload
    vmrun
    cli                             /* GIF is 0 here: nothing is taken until the caller's STGI */
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
