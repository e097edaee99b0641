// SPDX-License-Identifier: MIT
#include "rr_proto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void rr_hello_encode(uint8_t out[RR_HELLO_LEN], uint32_t req, uint32_t resp)
{
	uint32_t r = htonl(req), s = htonl(resp);
	memcpy(out, RR_MAGIC_HELLO, RR_MAGIC_LEN);
	memcpy(out + 8, &r, 4);
	memcpy(out + 12, &s, 4);
}

int rr_hello_decode(const uint8_t in[RR_HELLO_LEN], uint32_t *req, uint32_t *resp)
{
	uint32_t r, s;
	if (memcmp(in, RR_MAGIC_HELLO, RR_MAGIC_LEN) != 0)
		return -1;
	memcpy(&r, in + 8, 4);
	memcpy(&s, in + 12, 4);
	*req = ntohl(r);
	*resp = ntohl(s);
	if (*req == 0 || *resp == 0 || *req > RR_MAX_MSG || *resp > RR_MAX_MSG)
		return -1;
	return 0;
}

ssize_t rr_read_full(int fd, void *buf, size_t len, volatile int *stop)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == 0) {
			if (done == 0)
				return 0;
			errno = EPIPE;
			return -1;
		}
		if (errno == EINTR && !(stop && *stop))
			continue;
		return -1;
	}
	return (ssize_t)done;
}

ssize_t rr_write_full(int fd, const void *buf, size_t len, volatile int *stop)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL);
		if (n >= 0) {
			done += (size_t)n;
			continue;
		}
		if (errno == EINTR && !(stop && *stop))
			continue;
		return -1;
	}
	return (ssize_t)done;
}

uint64_t rr_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
