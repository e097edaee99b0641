// SPDX-License-Identifier: GPL-2.0
/*
 * MSI self-test (selftest=N): exercises the version 3 interrupt path on a
 * machine that has no version 3 device (QEMU's virtio-mmio stops at 2).
 *
 * A register window in RAM stands in for the device: N vectors are
 * allocated from the module's platform MSI domain, each is requested, and
 * the test checks that
 *   - every vector got a message (address in the LAPIC range, a distinct
 *     CPU vector in its data) and the UPDATE sequence wrote it to the
 *     window (MSI_ADDRESS_LOW/HIGH, MSI_DATA, MSI_COMMAND naming the vector);
 *   - sending the CPU vector from that message reaches the vector's
 *     handler, as the device's MSI write would;
 *   - a vector that fires while disabled is masked with MSI_COMMAND MASK
 *     and resent on enable (UNMASK), through the parent's retrigger.
 * The module load fails when a check fails, naming it.
 */
#include <linux/delay.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <asm/apic.h>

#include "vmmio.h"

static int selftest;
module_param(selftest, int, 0444);
MODULE_PARM_DESC(selftest,
		 "N > 0: at load, check N MSI vectors end to end on a RAM-backed register window");

#define SELFTEST_MAX 32

struct vmmio_selftest {
	struct vmmio_device vm_dev;
	void *window;
	atomic_t hits[SELFTEST_MAX];
};

static irqreturn_t selftest_handler(int irq, void *opaque)
{
	atomic_inc(opaque);
	return IRQ_HANDLED;
}

static void selftest_send_self(void *vector)
{
	apic->send_IPI_self(*(int *)vector);
}

/* Sends vector on the CPU the interrupt targets, as an MSI write would. */
static void selftest_fire(unsigned int virq, int vector)
{
	struct irq_data *d = irq_get_irq_data(virq);
	unsigned int cpu = cpumask_first(irq_data_get_effective_affinity_mask(d));

	smp_call_function_single(cpu, selftest_send_self, &vector, 1);
}

static bool selftest_wait(atomic_t *hits, int want)
{
	int i;

	for (i = 0; i < 100 && atomic_read(hits) != want; i++)
		msleep(1);
	return atomic_read(hits) == want;
}

static u16 selftest_command(struct vmmio_selftest *t)
{
	return readw(t->vm_dev.base + VIRTIO_MMIO_MSI_COMMAND);
}

#define CHECK(cond, fmt, ...)                                                   \
	do {                                                                    \
		if (!(cond)) {                                                  \
			pr_err("irqpath-virtio-mmio: MSI self-test failed: " fmt \
			       "\n", ##__VA_ARGS__);                            \
			err = -EIO;                                             \
			goto out;                                               \
		}                                                               \
	} while (0)

static int selftest_vectors(struct vmmio_selftest *t, unsigned int n)
{
	struct vmmio_device *vm_dev = &t->vm_dev;
	DECLARE_BITMAP(seen, 256) = {};
	unsigned int v, cmd;
	int err = 0, vector;

	for (v = 0; v < n; v++) {
		struct vmmio_vector *vec = &vm_dev->vectors[v];

		snprintf(vec->name, sizeof(vec->name), "vmmio-selftest-%u", v);
		err = request_irq(vec->virq, selftest_handler, 0, vec->name,
				  &t->hits[v]);
		CHECK(!err, "request_irq(%u) for vector %u: %d", vec->virq, v,
		      err);
		vec->dev_id = &t->hits[v];

		/* Activation composed the message and wrote it to the window. */
		CHECK(vec->msg_valid, "vector %u: no message written", v);
		CHECK((vec->msg.address_lo & 0xfff00000) == 0xfee00000,
		      "vector %u: address 0x%08x outside the LAPIC range", v,
		      vec->msg.address_lo);
		vector = vec->msg.data & 0xff;
		CHECK(vector >= FIRST_EXTERNAL_VECTOR && !test_bit(vector, seen),
		      "vector %u: CPU vector 0x%x invalid or shared", v, vector);
		__set_bit(vector, seen);
		CHECK(readl(vm_dev->base + VIRTIO_MMIO_MSI_ADDRESS_LOW) ==
				      vec->msg.address_lo &&
			      readl(vm_dev->base + VIRTIO_MMIO_MSI_DATA) ==
				      vec->msg.data,
		      "vector %u: MSI_ADDRESS_LOW/MSI_DATA not written", v);
		cmd = selftest_command(t);
		CHECK(VIRTIO_MMIO_MSI_CMD_ARG(cmd) == v &&
			      (VIRTIO_MMIO_MSI_CMD_OP(cmd) ==
				       VIRTIO_MMIO_MSI_CMD_UPDATE ||
			       VIRTIO_MMIO_MSI_CMD_OP(cmd) ==
				       VIRTIO_MMIO_MSI_CMD_UNMASK),
		      "vector %u: MSI_COMMAND 0x%04x does not name it", v, cmd);
	}

	/* Each message's vector reaches its own handler, and only that one. */
	for (v = 0; v < n; v++) {
		selftest_fire(vm_dev->vectors[v].virq,
			      vm_dev->vectors[v].msg.data & 0xff);
		CHECK(selftest_wait(&t->hits[v], 1),
		      "vector %u: handler ran %d times after its MSI, want 1", v,
		      atomic_read(&t->hits[v]));
	}
	for (v = 0; v < n; v++)
		CHECK(atomic_read(&t->hits[v]) == 1,
		      "vector %u: handler ran %d times, want 1", v,
		      atomic_read(&t->hits[v]));

	/* Fired while disabled: masked on the device, resent on enable. */
	disable_irq(vm_dev->vectors[0].virq);
	selftest_fire(vm_dev->vectors[0].virq, vm_dev->vectors[0].msg.data & 0xff);
	msleep(10);
	CHECK(atomic_read(&t->hits[0]) == 1,
	      "vector 0 ran while disabled");
	cmd = selftest_command(t);
	CHECK(cmd == VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_MASK, 0),
	      "vector 0 fired while disabled: MSI_COMMAND 0x%04x, want MASK 0",
	      cmd);
	enable_irq(vm_dev->vectors[0].virq);
	CHECK(selftest_wait(&t->hits[0], 2),
	      "vector 0 not resent on enable (handler ran %d times, want 2)",
	      atomic_read(&t->hits[0]));
	cmd = selftest_command(t);
	CHECK(cmd == VIRTIO_MMIO_MSI_CMD(VIRTIO_MMIO_MSI_CMD_UNMASK, 0),
	      "vector 0 enabled: MSI_COMMAND 0x%04x, want UNMASK 0", cmd);

	pr_info("irqpath-virtio-mmio: MSI self-test passed: %u vectors, CPU vectors %*pbl\n",
		n, 256, seen);
out:
	for (v = 0; v < n; v++) {
		if (vm_dev->vectors[v].dev_id)
			free_irq(vm_dev->vectors[v].virq,
				 vm_dev->vectors[v].dev_id);
		vm_dev->vectors[v].dev_id = NULL;
	}
	return err;
}

int vmmio_selftest_run(void)
{
	struct platform_device *pdev;
	struct vmmio_selftest *t;
	int err;

	if (!selftest)
		return 0;
	if (selftest < 1 || selftest > SELFTEST_MAX) {
		pr_err("irqpath-virtio-mmio: selftest=%d: 1 to %d vectors\n",
		       selftest, SELFTEST_MAX);
		return -EINVAL;
	}
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->window = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!t->window) {
		err = -ENOMEM;
		goto out_free;
	}
	pdev = platform_device_register_simple("irqpath-vmmio-selftest",
					       PLATFORM_DEVID_AUTO, NULL, 0);
	if (IS_ERR(pdev)) {
		err = PTR_ERR(pdev);
		goto out_free;
	}
	/* RAM stands in for the register window: x86 MMIO accessors work on it. */
	t->vm_dev.pdev = pdev;
	t->vm_dev.base = (void __iomem *)t->window;
	t->vm_dev.window_size = PAGE_SIZE;
	t->vm_dev.version = 3;
	t->vm_dev.msi_regs = &vmmio_v3_regs;
	t->vm_dev.msi_devid = -1;
	raw_spin_lock_init(&t->vm_dev.msi_lock);
	platform_set_drvdata(pdev, &t->vm_dev);

	err = vmmio_msi_alloc(&t->vm_dev, selftest);
	if (err == -ENODEV) {
		pr_err("irqpath-virtio-mmio: MSI self-test failed: no MSI domain (msi=0, or no x86 vector domain)\n");
	} else if (err) {
		pr_err("irqpath-virtio-mmio: MSI self-test failed: cannot allocate %d vectors: %d\n",
		       selftest, err);
	} else {
		err = selftest_vectors(t, selftest);
		vmmio_msi_free(&t->vm_dev);
	}
	platform_device_unregister(pdev);
out_free:
	kfree(t->window);
	kfree(t);
	return err;
}
