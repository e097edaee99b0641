/* SPDX-License-Identifier: MIT */
/* Hardware exit-reason names from the running kernel's own table: the
 * print format of kvm:kvm_exit (tracefs events/kvm/kvm_exit/format), whose
 * __print_symbolic() lists carry KVM's VMX and SVM names. The print format
 * is evaluated as the kernel would print the reason, so a name is exactly
 * the kernel's; a code the table lacks prints as the kernel prints it
 * (0x<hex>). Both backends key exits by (isa, exit_reason) and name them
 * here. */
#ifndef IRQPATH_EXIT_NAMES_H
#define IRQPATH_EXIT_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct exit_names {
	struct tep_handle *tep;
	struct tep_event *event;      /* kvm:kvm_exit as parsed from its format */
	struct tep_print_arg *reason; /* the print argument that names the reason */
	char source[64];	      /* e.g. "tracefs:kvm/kvm_exit/format"; "" when none */
	char isa[8];		      /* "svm", "vmx", "" unknown (the vendor module) */
	int reason_size;	      /* bytes of the exit_reason field */
};

void exit_names_init(struct exit_names *x);
/* Parses a kvm_exit format file's text. 0 ok; -1 with err naming the
 * problem (no exit_reason/isa field, no __print_symbolic table). */
int exit_names_parse(struct exit_names *x, const char *text, size_t len, const char *source,
		     char *err, size_t errlen);
/* Reads <tracefs>/events/kvm/kvm_exit/format and the loaded vendor module
 * (kvm_amd: svm, kvm_intel: vmx). */
int exit_names_load(struct exit_names *x, const char *tracefs, char *err, size_t errlen);
/* The kernel's name of (isa, reason); without a table (or for a code it
 * lacks) "0x<hex>" in buf, as the kernel prints an unknown symbol. */
const char *exit_names_name(const struct exit_names *x, unsigned isa, uint64_t reason, char *buf,
			    size_t len);
void exit_names_free(struct exit_names *x);

#endif
