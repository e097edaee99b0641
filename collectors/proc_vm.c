/* SPDX-License-Identifier: MIT */
#include "proc_vm.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum proc_vm proc_vm_state(int pid)
{
	char dir[64], path[320], target[128];
	snprintf(dir, sizeof dir, "/proc/%d/fd", pid);
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? PROC_VM_GONE : PROC_VM_UNKNOWN;
	enum proc_vm st = PROC_VM_NO;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n < 0)
			continue; /* closed meanwhile */
		target[n] = 0;
		if (!strcmp(target, "anon_inode:kvm-vm")) {
			st = PROC_VM_YES;
			break;
		}
	}
	closedir(d);
	return st;
}

const char *proc_comm(int pid, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", pid);
	FILE *f = fopen(path, "r");
	snprintf(buf, len, "?");
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = 0;
		fclose(f);
	}
	return buf;
}
