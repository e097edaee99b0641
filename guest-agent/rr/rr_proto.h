/* SPDX-License-Identifier: MIT */
/*
 * irqpath-rr wire protocol. On connect (not timed) the client sends a
 * 16-byte hello: "IRQPRR01", request size, response size (u32, network
 * order); the server answers "IRQPRROK". Then each transaction is REQ bytes
 * client->server followed by RESP bytes server->client, one in flight.
 * The client ends the test by closing the connection between transactions.
 */
#ifndef IRQPATH_RR_PROTO_H
#define IRQPATH_RR_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RR_MAGIC_HELLO "IRQPRR01"
#define RR_MAGIC_ACK "IRQPRROK"
#define RR_MAGIC_LEN 8
#define RR_HELLO_LEN 16
#define RR_MAX_MSG (16u << 20)
#define RR_DEFAULT_PORT 7801

void rr_hello_encode(uint8_t out[RR_HELLO_LEN], uint32_t req, uint32_t resp);
/* Returns 0 and fills req/resp, or -1 for a bad magic or sizes. */
int rr_hello_decode(const uint8_t in[RR_HELLO_LEN], uint32_t *req, uint32_t *resp);

/*
 * Reads/writes exactly len bytes. Returns len, 0 on EOF before the first
 * byte (read only), -1 with errno on error or EOF mid-message (EPIPE).
 * Interrupted calls return -1/EINTR only when *stop is set.
 */
ssize_t rr_read_full(int fd, void *buf, size_t len, volatile int *stop);
ssize_t rr_write_full(int fd, const void *buf, size_t len, volatile int *stop);

/* Monotonic clock in ns. */
uint64_t rr_now_ns(void);

#endif
