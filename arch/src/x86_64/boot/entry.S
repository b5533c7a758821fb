/*
 * Ferrite's x86_64 entry points.
 *
 * Three loaders can start the image, each in 32-bit protected mode with paging off:
 *  - multiboot1 (QEMU -kernel): eax = 0x2BADB002, ebx = multiboot info;
 *  - multiboot2 (GRUB2, BIOS or EFI): eax = 0x36D76289, ebx = multiboot2 info;
 *  - PVH (the XEN_ELFNOTE_PHYS32_ENTRY note, QEMU -kernel without a multiboot header):
 *    ebx = hvm_start_info; eax is undefined, so pvh_start sets our own marker.
 * All three reach boot32, which checks for long mode, builds identity page tables for the
 * first 4 GiB (2 MiB pages), enters long mode and calls x86_64_start(magic, info).
 */

.set MB1_MAGIC,        0x1BADB002
.set MB1_FLAGS,        0x00010003      /* page-align modules, memory info, a.out kludge */
.set MB2_MAGIC,        0xE85250D6
.set PVH_MARKER,       0x336EC578      /* hvm_start_info magic, used as our protocol marker */

.section .boot.headers, "a"
.balign 8
.global ferrite_multiboot1_header
ferrite_multiboot1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)
    .long ferrite_multiboot1_header     /* header_addr */
    .long __image_start                 /* load_addr */
    .long __load_end                    /* load_end_addr */
    .long __image_end                   /* bss_end_addr */
    .long boot_entry                    /* entry_addr */

.balign 8
ferrite_multiboot2_header:
    .long MB2_MAGIC
    .long 0                             /* architecture: i386 protected mode */
    .long mb2_header_end - ferrite_multiboot2_header
    .long -(MB2_MAGIC + (mb2_header_end - ferrite_multiboot2_header))
    /* information request: cmdline, modules, mmap, ACPI old/new, EFI64 systab, EFI mmap */
    .balign 8
mb2_info_req:
    .short 1, 0
    .long mb2_info_req_end - mb2_info_req
    .long 1, 3, 6, 14, 15, 12, 17
mb2_info_req_end:
    /* entry address tag: the same 32-bit entry as multiboot1 */
    .balign 8
    .short 3, 0
    .long 12
    .long boot_entry
    /* module alignment tag: page-aligned modules */
    .balign 8
    .short 6, 0
    .long 8
    /* end tag */
    .balign 8
    .short 0, 0
    .long 8
mb2_header_end:

.section .note.Xen, "a", @note
.balign 4
    .long 4                             /* namesz: "Xen\0" */
    .long 8                             /* descsz */
    .long 18                            /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .balign 4
    .quad pvh_start                     /* 64-bit desc: QEMU reads a full word here */

.section .text.boot32, "ax"
.code32
.global pvh_start
pvh_start:
    mov $PVH_MARKER, %eax
    /* fall through */
.global boot_entry
boot_entry:
    cli
    cld
    mov %eax, %edi                      /* protocol magic, kept until the call */
    mov %ebx, %esi                      /* info pointer */
    mov $boot_stack_top, %esp

    /* Long mode needs CPUID leaf 0x80000001 EDX.LM. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    bt $29, %edx
    jnc no_long_mode

    /* PDPT entries 0..3 -> the four page directories; every PD entry a 2 MiB page. */
    mov $boot_pd, %ebx
    mov $boot_pdpt, %edx
    xor %ecx, %ecx
1:  lea 0x3(%ebx), %eax                 /* present | writable */
    mov %eax, (%edx, %ecx, 8)
    movl $0, 4(%edx, %ecx, 8)
    add $0x1000, %ebx
    inc %ecx
    cmp $4, %ecx
    jb 1b

    mov $boot_pd, %edx
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax                      /* present | writable | 2 MiB page */
    mov %eax, (%edx, %ecx, 8)
    mov %ecx, %eax
    shr $11, %eax                       /* high bits of (ecx << 21) */
    mov %eax, 4(%edx, %ecx, 8)
    inc %ecx
    cmp $2048, %ecx
    jb 2b

    mov $boot_pdpt, %eax
    or $0x3, %eax
    mov %eax, boot_pml4
    movl $0, boot_pml4 + 4

    mov %cr4, %eax
    or $(1 << 5), %eax                  /* PAE */
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx               /* EFER */
    rdmsr
    or $(1 << 8), %eax                  /* LME */
    wrmsr
    mov %cr0, %eax
    or $0x80010001, %eax                /* PG | WP | PE */
    and $~0x60000000, %eax              /* caches on: clear CD and NW */
    mov %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $boot64

no_long_mode:
    /* Say why on COM1 (0x3f8), then stop. */
    mov $no_lm_msg, %esi
3:  lodsb
    test %al, %al
    jz 5f
    mov %al, %bl
    mov $0x3fd, %dx
4:  in %dx, %al
    test $0x20, %al
    jz 4b
    mov $0x3f8, %dx
    mov %bl, %al
    out %al, %dx
    jmp 3b
5:  hlt
    jmp 5b

.code64
boot64:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    mov $boot_stack_top, %rsp
    xor %ebp, %ebp                      /* terminates the frame-pointer chain */
    /* edi = magic, esi = info (zero-extended by the 32-bit moves above) */
    call x86_64_start
6:  hlt
    jmp 6b

.section .rodata.boot, "a"
no_lm_msg:
    .asciz "Ferrite needs a 64-bit (long mode) CPU; stopping.\r\n"

.balign 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff            /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff            /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

.section .bss.boot, "aw", @nobits
.balign 4096
.global boot_pml4
boot_pml4:
    .skip 4096
boot_pdpt:
    .skip 4096
boot_pd:
    .skip 4096 * 4
boot_stack_guard:                       /* unmapped by the final page tables */
    .skip 4096
.global boot_stack_bottom
boot_stack_bottom:
    .skip 65536
.global boot_stack_top
boot_stack_top:
