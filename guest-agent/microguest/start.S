/* SPDX-License-Identifier: MIT */
/*
 * Entry and interrupt stubs of the micro-guest. The VMM enters _start in
 * 64-bit mode with rsp set and rdi = mailbox address. Every IDT vector gets
 * a stub that pushes its number and joins isr_common, which saves the
 * caller-saved registers and calls isr_dispatch(vector, error_code, rip).
 */
	.code64
	.section .text.start, "ax"
	.globl _start
_start:
	cli
	call gmain
1:	hlt
	jmp 1b

	.text
	.altmacro
/* Vectors that push an error code themselves: 8, 10-14, 17, 21, 29, 30. */
.macro STUB vec
	.align 16
isr_stub_\vec:
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp isr_common
.endm

	.globl isr_stubs
	.align 16
isr_stubs:
	.set i, 0
	.rept 256
	STUB %i
	.set i, i + 1
	.endr

isr_common:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	mov 72(%rsp), %rdi	/* vector */
	mov 80(%rsp), %rsi	/* error code */
	mov 88(%rsp), %rdx	/* rip */
	call isr_dispatch
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	add $16, %rsp
	iretq
