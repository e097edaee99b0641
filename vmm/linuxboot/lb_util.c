// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lb_internal.h"

int lb_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || !errlen)
		return -1;
	n = snprintf(err, errlen, "linuxboot: ");
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

int lb_put(uint8_t *mem, size_t mem_size, uint64_t gpa, const void *src, size_t len)
{
	if (!lb_fits(gpa, len, mem_size))
		return -1;
	if (len)
		memcpy(mem + gpa, src, len);
	return 0;
}
