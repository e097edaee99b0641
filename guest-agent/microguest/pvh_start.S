/* SPDX-License-Identifier: MIT */
/*
 * PVH entry (Xen's x86/HVM direct boot ABI, which QEMU's -kernel honours
 * for an ELF carrying XEN_ELFNOTE_PHYS32_ENTRY): entered in 32-bit protected
 * mode, paging off, flat cs/ds/es/ss, ebx = physical address of the
 * hvm_start_info, no stack. We build our own GDT and identity page tables
 * (inside the image, so nothing the firmware left in low memory, such as
 * the start_info or the command line, is overwritten), enter long mode and
 * call pvh_main(start_info). irqpath-vmm never comes here: it enters
 * _start (start.S) in long mode with its own tables.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define CR0_PE 1
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_PWT 0x8
#define PTE_PCD 0x10
#define PTE_PS 0x80

	/* The note QEMU's ELF loader looks for (a PT_NOTE segment, see microguest.ld).
	 * Its descriptor is 8 bytes: QEMU reads a 64-bit address from an ELF64 note. */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4			/* namesz: "Xen\0" */
	.long 8			/* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.quad _start_pvh

	.section .text.pvh, "ax"
	.code32
	.globl _start_pvh
_start_pvh:
	cli
	cld
	mov %ebx, pvh_start_info
	mov $pvh_stack_top, %esp

	/* Zero the tables: 1 PML4 + 1 PDPT + 4 PDs = 6 pages. */
	mov $pvh_tables, %edi
	xor %eax, %eax
	mov $(6 * 4096 / 4), %ecx
	rep stosl

	/* PML4[0] -> PDPT, PDPT[0..3] -> PD0..PD3 */
	mov $pvh_tables, %edi
	lea (4096 + PTE_P + PTE_RW)(%edi), %eax
	mov %eax, (%edi)
	lea 4096(%edi), %esi		/* PDPT */
	lea (2 * 4096 + PTE_P + PTE_RW)(%edi), %eax
	xor %ecx, %ecx
1:	mov %eax, (%esi, %ecx, 8)
	add $4096, %eax
	inc %ecx
	cmp $4, %ecx
	jb 1b

	/* 2048 PD entries of 2 MiB: identity map of the first 4 GiB. The top
	 * GiB (device windows, IOAPIC, LAPIC) is mapped uncached, as firmware
	 * and Linux map MMIO. */
	lea (2 * 4096)(%edi), %esi
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P + PTE_RW + PTE_PS), %eax
	cmp $1536, %ecx
	jb 3f
	or $(PTE_PCD + PTE_PWT), %eax
3:	mov %eax, (%esi, %ecx, 8)
	movl $0, 4(%esi, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jb 2b

	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $pvh_tables, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	lgdt pvh_gdt_desc
	mov %cr0, %eax
	or $(CR0_PG + CR0_PE), %eax
	mov %eax, %cr0
	ljmp $0x8, $pvh_long

	.code64
pvh_long:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov pvh_start_info(%rip), %edi
	call pvh_main
4:	cli
	hlt
	jmp 4b

	.section .rodata
	.balign 16
/* Selector 8: 64-bit code (the IDT gates use it, as under irqpath-vmm); 0x10: data. */
pvh_gdt:
	.quad 0
	.quad 0x00af9a000000ffff
	.quad 0x00cf92000000ffff
pvh_gdt_end:
pvh_gdt_desc:
	.word pvh_gdt_end - pvh_gdt - 1
	.long pvh_gdt

	.section .bss
	.balign 4096
pvh_tables:
	.skip 6 * 4096
	.balign 16
	.skip 16384
pvh_stack_top:
	.balign 4
pvh_start_info:
	.skip 4
