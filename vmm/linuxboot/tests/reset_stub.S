/* SPDX-License-Identifier: MIT */
/*
 * A 64 KiB "BIOS" for QEMU that does only what irqpath-vmm does before it
 * runs a Linux guest: from the reset vector, load the GDT and page tables
 * linuxboot wrote into RAM (0x500, 0x1000), switch straight to long mode
 * and enter the kernel at rip with rsi = zero page. lb-image patches the
 * three quads before the reset vector. Lets the boot structures be checked
 * by booting Debian's kernel under TCG, where KVM cannot run Linux.
 */
	.text
	.code16
start:				/* offset 0: phys 0xffff0000, CS base too */
	cli
	lgdtl	%cs:0x80	/* gdt_ptr: a fixed offset, as objcopy applies no relocations */
	movl	$0x20, %eax	/* CR4.PAE */
	movl	%eax, %cr4
	movl	$0x1000, %eax	/* CR3: linuxboot's PML4 */
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx /* EFER.LME */
	rdmsr
	orl	$0x100, %eax
	wrmsr
	movl	$0x80000011, %eax /* CR0: PG | ET | PE, long mode at once */
	movl	%eax, %cr0
	.byte	0x66, 0xea	/* ljmpl $0x10, $0xffff0100 */
	.long	0xffff0100
	.word	0x10

	.org	0x80
gdt_ptr:
	.word	31
	.long	0x500

	.org	0x100
	.code64
	movl	$0x18, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movq	entry_rsp(%rip), %rsp
	movq	entry_rsi(%rip), %rsi
	movq	entry_rip(%rip), %rax
	jmp	*%rax

	.org	0xffd8
entry_rip:
	.quad	0
entry_rsi:
	.quad	0
entry_rsp:
	.quad	0

	.org	0xfff0		/* reset vector: CS 0xf000 (base 0xffff0000), IP 0xfff0 */
	.code16
	jmp	start
	.org	0x10000
