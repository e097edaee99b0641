// SPDX-License-Identifier: MIT
/*
 * What the guest's network device looks like to the stack: how many tx/rx
 * queues eth0 has and the CPU masks that steer them (XPS: which CPU sends
 * on which tx queue, set by virtio_net when it has one queue pair per CPU;
 * RPS: left empty). It records where a --streams run's packets could go;
 * /proc/interrupts shows where they went.
 */
#include "agent_netdev.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* First line of a sysfs file, trimmed; NULL when unreadable. */
static json_t *read_mask(const char *dir, const char *q, const char *file)
{
	char path[512], buf[256];
	snprintf(path, sizeof(path), "%s/%s/%s", dir, q, file);
	FILE *f = fopen(path, "r");
	if (!f)
		return json_null();
	char *s = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (!s)
		return json_null();
	buf[strcspn(buf, "\n")] = '\0';
	return json_string(buf);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strverscmp((*a)->d_name, (*b)->d_name);
}

json_t *agent_netdev_json(const char *sysfs_net, const char *ifname)
{
	char dir[384];
	struct dirent **names;
	snprintf(dir, sizeof(dir), "%s/%s/queues", sysfs_net, ifname);
	int n = scandir(dir, &names, NULL, by_name);
	if (n < 0)
		return json_null();
	json_t *j = json_pack("{s:s, s:i, s:i, s:{}, s:{}}", "name", ifname, "tx_queues", 0,
			      "rx_queues", 0, "xps_cpus", "rps_cpus");
	int tx = 0, rx = 0;
	for (int i = 0; i < n; i++) {
		const char *q = names[i]->d_name;
		if (j && strncmp(q, "tx-", 3) == 0) {
			tx++;
			json_object_set_new(json_object_get(j, "xps_cpus"), q,
					    read_mask(dir, q, "xps_cpus"));
		} else if (j && strncmp(q, "rx-", 3) == 0) {
			rx++;
			json_object_set_new(json_object_get(j, "rps_cpus"), q,
					    read_mask(dir, q, "rps_cpus"));
		}
		free(names[i]);
	}
	free(names);
	if (j) {
		json_object_set_new(j, "tx_queues", json_integer(tx));
		json_object_set_new(j, "rx_queues", json_integer(rx));
	}
	return j ? j : json_null();
}
