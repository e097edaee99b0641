/* SPDX-License-Identifier: MIT */
/* The guest NIC's queues and their XPS/RPS CPU masks, as JSON. */
#ifndef IRQPATH_AGENT_NETDEV_H
#define IRQPATH_AGENT_NETDEV_H

#include <jansson.h>

/*
 * {"name":"eth0","tx_queues":2,"rx_queues":2,"xps_cpus":{"tx-0":"1",...},
 *  "rps_cpus":{"rx-0":"0",...}} from SYSFS_NET/IFNAME/queues (sysfs_net is
 * normally /sys/class/net); JSON null when the device has no such folder.
 */
json_t *agent_netdev_json(const char *sysfs_net, const char *ifname);

#endif
