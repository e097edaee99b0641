#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpora in fuzz/corpus/<harness>/ (committed).

Each seed is a well-formed starting point in the harness's input format
(see the comment at the top of each fuzz_*.c): a driver bring-up for the
register harnesses, valid and hostile rings for the walker, a minimal
executable for the ELF loader. The fuzzer mutates from there.
Usage: python3 fuzz/seeds.py  (run from the repository root)
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

F_NEXT, F_WRITE, F_INDIRECT = 1, 2, 4


def put(img, off, data):
    img[off:off + len(data)] = data


def desc(addr, ln, flags=0, nxt=0):
    return struct.pack("<QIHH", addr, ln, flags, nxt)


def avail(idx, ring, flags=0):
    return struct.pack("<HH", flags, idx) + b"".join(struct.pack("<H", r) for r in ring)


def write(harness, name, data):
    d = os.path.join(ROOT, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(bytes(data))


# ---- fuzz_virtqueue: header, image, ops ----
def vq_seed(descs, av, num=8, ops=b"", last_avail=0, used_idx=0, pages=1, nops=8):
    img = bytearray(0x400)
    put(img, 0x000, b"".join(descs))  # desc table at 0
    put(img, 0x100, av)  # avail at 0x100
    hdr = struct.pack("<BBHIIIHHH", pages - 1, nops - 1, num, 0x000, 0x100, 0x200,
                      last_avail, used_idx, len(img))
    return hdr + img + ops


def vq_ops(*ops):
    return b"".join(struct.pack("<BI", k, a) for k, a in ops)


def virtqueue_seeds():
    rw = [desc(0x400, 64, F_NEXT, 1), desc(0x600, 128, F_WRITE)]
    write("fuzz_virtqueue", "chain-read-write", vq_seed(rw, avail(1, [0]), ops=vq_ops((1, 256), (0, 0))))
    many = [desc(0x400 + 16 * i, 16, F_NEXT, i + 1) for i in range(7)] + [desc(0x500, 32, F_WRITE)]
    write("fuzz_virtqueue", "chain-8-segs", vq_seed(many, avail(1, [0]), ops=vq_ops((1, 4096))))
    single = [desc(0x400 + 32 * i, 32, F_WRITE) for i in range(8)]
    write("fuzz_virtqueue", "eight-heads", vq_seed(single, avail(8, range(8)), ops=vq_ops(*[(1, 64)] * 8)))
    write("fuzz_virtqueue", "wrap-indices", vq_seed(single, avail(2, [3, 4]), last_avail=0, used_idx=0xffff,
                                                  ops=vq_ops((0, 5), (0, 5), (2, 1))))
    loop = [desc(0x400, 16, F_NEXT, 1), desc(0x410, 16, F_NEXT, 0)]
    write("fuzz_virtqueue", "loop", vq_seed(loop, avail(1, [0]), ops=vq_ops((0, 0))))
    write("fuzz_virtqueue", "indirect", vq_seed([desc(0x400, 16, F_INDIRECT)], avail(1, [0]), ops=vq_ops((0, 0))))
    write("fuzz_virtqueue", "zero-len", vq_seed([desc(0x400, 0)], avail(1, [0]), ops=vq_ops((0, 0))))
    write("fuzz_virtqueue", "huge-len", vq_seed([desc(0x400, 0xffffffff, F_WRITE)], avail(1, [0]), ops=vq_ops((1, 99))))
    write("fuzz_virtqueue", "out-of-ram", vq_seed([desc(0xfffffffffffff000, 4096)], avail(1, [0]), ops=vq_ops((1, 99))))
    write("fuzz_virtqueue", "read-after-write", vq_seed([desc(0x400, 8, F_WRITE | F_NEXT, 1), desc(0x410, 8)],
                                                      avail(1, [0]), ops=vq_ops((1, 99))))
    write("fuzz_virtqueue", "bad-head", vq_seed([desc(0x400, 8)], avail(1, [9]), ops=vq_ops((0, 0))))
    write("fuzz_virtqueue", "idx-too-far", vq_seed([desc(0x400, 8)], avail(200, [0]), ops=vq_ops((0, 0))))
    write("fuzz_virtqueue", "no-interrupt", vq_seed(rw, avail(1, [0], flags=1), ops=vq_ops((2, 1), (1, 8), (3, 0x10000102))))
    write("fuzz_virtqueue", "size-256", vq_seed(rw, avail(1, [0]), num=256, pages=4, ops=vq_ops((1, 64))))
    write("fuzz_virtqueue", "size-3", vq_seed(rw, avail(1, [0]), num=3, ops=vq_ops((0, 0))))


# ---- fuzz_mmio: header, image, steps ----
def acc(off, width, value=None, past=False):
    k = {1: 0, 2: 1, 4: 2, 8: 3}[width] << 3
    if value is not None:
        k |= 0x20
    if past:
        k |= 0x40
    b = struct.pack("<BH", k, off)
    return b + (struct.pack("<Q", value) if value is not None else b"")


def w32(off, v):
    return acc(off, 4, v)


def r32(off):
    return acc(off, 4)


def notify_n(q, n):
    return struct.pack("<BBB", 5, q, n - 1)


RESAMPLE = b"\x06"


def poke(at, v):
    return struct.pack("<BIQ", 7, at, v)


RX_DESC, RX_AVAIL, RX_USED = 0x0000, 0x0100, 0x0200
TX_DESC, TX_AVAIL, TX_USED = 0x0400, 0x0500, 0x0600


def net_image(resp, tx_len=58, hostile=None):
    img = bytearray(0x1000)
    rx = [desc(0x800 + 0x100 * i, 0x100, F_WRITE) for i in range(8)]
    put(img, RX_DESC, b"".join(rx))
    put(img, RX_AVAIL, avail(8, range(8)))
    tx = [desc(0x700, tx_len)]
    if hostile == "tx-writable":
        tx = [desc(0x700, tx_len, F_WRITE)]
    if hostile == "tx-loop":
        tx = [desc(0x700, 16, F_NEXT, 1), desc(0x710, 16, F_NEXT, 0)]
    if hostile == "tx-out-of-ram":
        tx = [desc(0x7fff0000, tx_len)]
    put(img, TX_DESC, b"".join(tx))
    put(img, TX_AVAIL, avail(1, [0]))
    frame = bytes(12) + bytes([0x02, 0x69, 0x72, 0x71, 0, 2, 0x02, 0x69, 0x72, 0x71, 0, 1, 0x88, 0xb5])
    put(img, 0x700, frame + bytes(range(tx_len - len(frame))))
    return img


def bring_up(queues=((0, RX_DESC, RX_AVAIL, RX_USED), (1, TX_DESC, TX_AVAIL, TX_USED))):
    s = w32(0x070, 0) + w32(0x070, 1) + w32(0x070, 3)
    s += r32(0x000) + r32(0x004) + r32(0x008) + r32(0x00c)
    s += w32(0x014, 1) + r32(0x010) + w32(0x024, 1) + w32(0x020, 1) + w32(0x024, 0) + w32(0x020, 0x20)
    s += w32(0x070, 0xb) + r32(0x070)
    for q, d, a, u in queues:
        s += w32(0x030, q) + r32(0x034) + w32(0x038, 8) + w32(0x080, d) + w32(0x084, 0)
        s += w32(0x090, a) + w32(0x094, 0) + w32(0x0a0, u) + w32(0x0a4, 0) + w32(0x044, 1) + r32(0x044)
    return s + w32(0x070, 0xf)


def mmio_seed(v3, msi, steps, resp=64, image=None, refuse=False):
    img = image if image is not None else net_image(resp)
    hdr = struct.pack("<BBBHH", (1 if v3 else 0) | (2 if refuse else 0), msi - 1, 3, resp, len(img))
    return hdr + img + steps


def legacy_irq():
    return r32(0x060) + w32(0x064, 1) + RESAMPLE + r32(0x060) + w32(0x064, 3) + RESAMPLE


def msi_setup(count):
    s = w32(0x0c4, 0xfee00000) + w32(0x0c8, 0)
    for v in range(count):
        s += w32(0x0cc, 0x40 + v) + acc(0x0c2, 2, 0x1000 | v)
    return s + acc(0x0c0, 2) + acc(0x0c0, 2, 0x8000) + r32(0x050)


def mmio_seeds():
    cfg = b"".join(acc(0x100 + i, w) for i, w in ((0, 1), (0, 2), (0, 4), (0, 8), (4, 2), (6, 2), (7, 1)))
    write("fuzz_mmio", "v2-rr", mmio_seed(False, 1, bring_up() + cfg + w32(0x050, 0) + w32(0x050, 1) + legacy_irq()))
    write("fuzz_mmio", "v2-ioeventfd", mmio_seed(False, 1, bring_up() + notify_n(0, 1) + notify_n(1, 3) + legacy_irq()))
    write("fuzz_mmio", "v2-resp-1024", mmio_seed(False, 1, bring_up() + w32(0x050, 1) + legacy_irq(), resp=1024))
    write("fuzz_mmio", "v2-reset-mid-run", mmio_seed(False, 1, bring_up() + w32(0x050, 1) + w32(0x070, 0) + bring_up() + w32(0x050, 1)))
    write("fuzz_mmio", "v2-poke-rings", mmio_seed(False, 1, bring_up() + poke(TX_AVAIL, 0x0000000000020000) + w32(0x050, 1) + legacy_irq()))
    for h in ("tx-writable", "tx-loop", "tx-out-of-ram"):
        write("fuzz_mmio", "v2-" + h, mmio_seed(False, 1, bring_up() + w32(0x050, 1) + legacy_irq() + w32(0x070, 0), image=net_image(64, hostile=h)))
    write("fuzz_mmio", "v2-bad-queue", mmio_seed(False, 1, bring_up() + w32(0x030, 7) + w32(0x038, 8) + w32(0x050, 9) + r32(0x034)))
    write("fuzz_mmio", "v2-ring-out-of-ram", mmio_seed(False, 1, bring_up(((0, 0xfffff000, 0, 0),)) + r32(0x070)))
    write("fuzz_mmio", "v2-odd-widths", mmio_seed(False, 1, acc(0x070, 1, 1) + acc(0x060, 2) + acc(0x0c0, 2, 0x8000) + acc(0x000, 8) + acc(0x1000, 4, 5, past=True)))
    doorbells = acc(0x804, 4, 1) + acc(0x800, 4, 0) + acc(0x802, 4, 0) + acc(0x808, 4, 0) + acc(0x804, 4)
    masks = acc(0x0c2, 2, 0x2002) + acc(0x804, 4, 1) + acc(0x0c2, 2, 0x3002) + acc(0x0c2, 2, 0x3fff) + acc(0x0c2, 2, 0x7000)
    write("fuzz_mmio", "v3-msi-3", mmio_seed(True, 3, bring_up() + msi_setup(3) + doorbells + masks))
    write("fuzz_mmio", "v3-msi-1", mmio_seed(True, 1, bring_up() + msi_setup(1) + doorbells))
    write("fuzz_mmio", "v3-msi-64", mmio_seed(True, 64, bring_up() + msi_setup(4) + doorbells + notify_n(1, 2)))
    write("fuzz_mmio", "v3-no-msi", mmio_seed(True, 3, bring_up() + doorbells + legacy_irq()))
    write("fuzz_mmio", "v3-unrouted", mmio_seed(True, 3, bring_up() + msi_setup(3) + doorbells, refuse=True))
    bad_addr = w32(0x0c4, 0x12345678) + acc(0x0c2, 2, 0x1000) + acc(0x0c0, 2, 0x8000) + acc(0x804, 4, 1)
    write("fuzz_mmio", "v3-bad-msi-address", mmio_seed(True, 2, bring_up() + bad_addr))
    write("fuzz_mmio", "v3-needs-reset", mmio_seed(True, 3, bring_up() + msi_setup(3) + acc(0x804, 4, 1) + w32(0x070, 0), image=net_image(64, hostile="tx-loop")))


# ---- fuzz_pci: header, image, steps (BAR0 steps share acc()'s encoding) ----
def cfg(reg, width, value=None):
    k = 4 | {1: 0, 2: 1, 4: 2}[width] << 3 | (0x20 if value is not None else 0)
    b = struct.pack("<BBB", k, reg, 0)  # selector 0: function 00:01.0
    return b + (struct.pack("<I", value) if value is not None else b"")


MSIX_FLAGS = 0x86  # the MSI-X capability is the fifth, at 0x84


def pci_bring_up(vectors=True):
    s = cfg(0x00, 4) + cfg(0x34, 1) + cfg(0x10, 4, 0xffffffff) + cfg(0x10, 4) + cfg(0x10, 4, 0xe0000000)
    s += cfg(0x04, 2, 0x0006) + b"".join(cfg(r, 4) for r in range(0x40, 0x98, 4))
    s += acc(0x14, 1, 0) + acc(0x14, 1, 1) + acc(0x14, 1, 3) + acc(0x00, 4, 1) + acc(0x04, 4)
    s += acc(0x08, 4, 1) + acc(0x0c, 4, 1) + acc(0x08, 4, 0) + acc(0x0c, 4, 0x20) + acc(0x14, 1, 0xb)
    s += acc(0x14, 1) + acc(0x12, 2) + acc(0x10, 2, 0 if vectors else 0xffff)
    for q, d, a, u in ((0, RX_DESC, RX_AVAIL, RX_USED), (1, TX_DESC, TX_AVAIL, TX_USED)):
        s += acc(0x16, 2, q) + acc(0x18, 2) + acc(0x18, 2, 8) + acc(0x1a, 2, q + 1 if vectors else 0xffff)
        s += acc(0x20, 4, d) + acc(0x24, 4, 0) + acc(0x28, 4, a) + acc(0x2c, 4, 0)
        s += acc(0x30, 4, u) + acc(0x34, 4, 0) + acc(0x1e, 2) + acc(0x1c, 2, 1)
    return s + acc(0x14, 1, 0xf)


def msix_table(n, addr=0xfee00000):
    s = b""
    for i in range(n):
        e = 0x4000 + 16 * i
        s += acc(e, 4, addr) + acc(e + 4, 4, 0) + acc(e + 8, 4, 0x40 + i) + acc(e + 12, 4, 0)
    return s + cfg(MSIX_FLAGS, 2, 0x8000) + cfg(MSIX_FLAGS, 2)


def pci_seed(vectors, steps, resp=64, image=None, refuse=False):
    img = image if image is not None else net_image(resp)
    return struct.pack("<BBBHH", 1 if refuse else 0, vectors - 1, 3, resp, len(img)) + img + steps


def pci_seeds():
    kick = acc(0x3004, 4, 1) + acc(0x3000, 2, 0) + acc(0x1000, 1) + acc(0x5000, 8) + acc(0x5004, 4)
    devcfg = acc(0x2000, 4) + acc(0x2004, 2) + acc(0x2006, 2) + acc(0x2000, 8)
    write("fuzz_pci", "msix-3", pci_seed(3, pci_bring_up() + msix_table(3) + devcfg + kick))
    write("fuzz_pci", "msix-1", pci_seed(1, pci_bring_up() + msix_table(1) + kick))
    write("fuzz_pci", "msix-64", pci_seed(64, pci_bring_up() + msix_table(4) + kick + notify_n(1, 5)))
    write("fuzz_pci", "intx", pci_seed(3, pci_bring_up(vectors=False) + kick + acc(0x1000, 1) + cfg(0x04, 2, 0x0406) + kick))
    maskall = cfg(MSIX_FLAGS, 2, 0xc000) + kick + acc(0x5000, 8) + cfg(MSIX_FLAGS, 2, 0x8000)
    write("fuzz_pci", "maskall", pci_seed(3, pci_bring_up() + msix_table(3) + maskall))
    masked = acc(0x4000 + 16 * 2 + 12, 4, 1) + kick + acc(0x5000, 4) + acc(0x4000 + 16 * 2 + 12, 4, 0)
    write("fuzz_pci", "vector-mask", pci_seed(3, pci_bring_up() + msix_table(3) + masked))
    write("fuzz_pci", "bad-msix-address", pci_seed(3, pci_bring_up() + msix_table(3, addr=0x12345678) + kick))
    write("fuzz_pci", "unrouted", pci_seed(3, pci_bring_up() + msix_table(3) + kick, refuse=True))
    garbage = acc(0x4000 + 16 * 7, 4, 1) + acc(0x4002, 2, 5) + acc(0x4008, 8, 0x41fee00000) + acc(0x7ffc, 4, 9)
    write("fuzz_pci", "msix-garbage", pci_seed(3, pci_bring_up() + msix_table(3) + garbage + kick))
    write("fuzz_pci", "memory-off", pci_seed(2, pci_bring_up() + cfg(0x04, 2, 0) + kick + acc(0x14, 1)))
    write("fuzz_pci", "bar-move", pci_seed(2, cfg(0x10, 4, 0x12345000) + cfg(0x10, 4) + cfg(0xfc, 4, 7) + cfg(0x3c, 1, 11)))
    write("fuzz_pci", "tx-loop", pci_seed(3, pci_bring_up() + msix_table(3) + kick + acc(0x14, 1, 0),
                                          image=net_image(64, hostile="tx-loop")))
    write("fuzz_pci", "bad-queue", pci_seed(3, pci_bring_up() + acc(0x16, 2, 9) + acc(0x18, 2, 8) + acc(0x1c, 2, 1) + acc(0x300c, 4, 1)))


# ---- fuzz_elf: a file image ----
def elf(entry=0x100000, paddr=0x100000, code=b"\xf4\xeb\xfd", memsz=None, flags=5, ptype=1, phnum=1,
        etype=2, machine=62):
    ehdr_len, phdr_len = 64, 56
    off = ehdr_len + phdr_len * phnum
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    eh = ident + struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, entry, ehdr_len, 0, 0, ehdr_len,
                             phdr_len, phnum, 64, 0, 0)
    ph = b""
    for i in range(phnum):
        ph += struct.pack("<IIQQQQQQ", ptype, flags, off, paddr + 0x1000 * i, paddr + 0x1000 * i,
                          len(code), memsz if memsz is not None else len(code) + 16, 0x1000)
    return eh + ph + code


def elf_seeds():
    write("fuzz_elf", "minimal", elf())
    write("fuzz_elf", "bss", elf(memsz=0x10000))
    write("fuzz_elf", "three-segments", elf(phnum=3))
    write("fuzz_elf", "below-floor", elf(paddr=0x1000, entry=0x1000))
    write("fuzz_elf", "past-ram", elf(paddr=0xfff000, entry=0xfff000, memsz=0x2000))
    write("fuzz_elf", "entry-outside", elf(entry=0x200000))
    write("fuzz_elf", "not-exec", elf(flags=4))
    write("fuzz_elf", "no-load", elf(ptype=4))
    write("fuzz_elf", "shared-object", elf(etype=3))
    write("fuzz_elf", "wrong-machine", elf(machine=183))
    write("fuzz_elf", "truncated", elf()[:100])


# ---- fuzz_linuxboot: counts, windows, pins, cmdline, initrd, kernel ----
def bzimage(version=0x020F, loadflags=1, xloadflags=1, setup_sects=1, pref=0x1000000,
            init_size=0x100000, cmdline_size=0x800, hdr_len=0x62, pm=b"\x90" * 64):
    k = bytearray((setup_sects + 1) * 512)
    k[0x1F1] = setup_sects
    struct.pack_into("<H", k, 0x1FE, 0xAA55)
    k[0x200], k[0x201] = 0xEB, hdr_len
    k[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", k, 0x206, version)
    k[0x211] = loadflags
    struct.pack_into("<I", k, 0x22C, 0x7FFFFFFF)  # initrd_addr_max
    struct.pack_into("<I", k, 0x230, 0x200000)  # kernel_alignment
    k[0x234] = 1  # relocatable
    struct.pack_into("<H", k, 0x236, xloadflags)
    struct.pack_into("<I", k, 0x238, cmdline_size)
    struct.pack_into("<Q", k, 0x258, pref)
    struct.pack_into("<I", k, 0x260, init_size)
    return bytes(k) + pm


def lb_seed(kernel, ncpus=1, reserved=((0xD0000000, 0x1000), (0xFEC00000, 0x1000)),
            irqs=((5, 1, 1),), cmdline=b"console=ttyS0 quiet", initrd=b""):
    s = struct.pack("<BBBHH", ncpus, len(reserved), len(irqs), len(cmdline), len(initrd))
    s += b"".join(struct.pack("<QQ", g, n) for g, n in reserved)
    s += b"".join(struct.pack("<BBB", *i) for i in irqs)
    return s + cmdline + initrd + kernel


def linuxboot_seeds():
    write("fuzz_linuxboot", "minimal", lb_seed(bzimage()))
    write("fuzz_linuxboot", "initrd", lb_seed(bzimage(), initrd=b"\x07" * 512))
    write("fuzz_linuxboot", "smp-4", lb_seed(bzimage(), ncpus=4, irqs=((5, 1, 1), (11, 1, 1), (4, 0, 0))))
    write("fuzz_linuxboot", "protocol-2.06", lb_seed(bzimage(version=0x0206, hdr_len=0x3A)))
    write("fuzz_linuxboot", "pref-low", lb_seed(bzimage(pref=0)))
    write("fuzz_linuxboot", "pref-huge", lb_seed(bzimage(pref=0xFFFFFFFFFFFFF000)))
    write("fuzz_linuxboot", "init-size-huge", lb_seed(bzimage(init_size=0xFFFFFFFF)))
    write("fuzz_linuxboot", "not-64bit", lb_seed(bzimage(xloadflags=0)))
    write("fuzz_linuxboot", "zimage", lb_seed(bzimage(loadflags=0)))
    write("fuzz_linuxboot", "cmdline-too-long", lb_seed(bzimage(cmdline_size=4)))
    write("fuzz_linuxboot", "overlapping-windows", lb_seed(bzimage(), reserved=((0xD0000000, 0x2000), (0xD0001000, 0x1000))))
    write("fuzz_linuxboot", "window-in-ram", lb_seed(bzimage(), reserved=((0x100000, 0x1000),)))
    write("fuzz_linuxboot", "truncated", lb_seed(bzimage()[:0x220]))


# ---- fuzz_config / fuzz_results: the project's own files, compacted ----
def config_seeds():
    root = os.path.join(os.path.dirname(ROOT), "..")
    for name in ("mmio-legacy", "mmio-v3", "pci"):
        with open(os.path.join(root, "configs", name + ".conf"), "rb") as f:
            write("fuzz_config", name, f.read())
    write("fuzz_config", "duplicate-key", b"[profile]\ntransport = pci\ntransport = mmio-v3\n")
    write("fuzz_config", "unknown-key", b"[workload]\nreq = 32\nspeed = 9\n")
    write("fuzz_config", "unknown-section", b"[nope]\nx = 1\n")
    write("fuzz_config", "bad-number", b"[workload]\nreq = 12abc\nresp = -1\n")
    write("fuzz_config", "overflow", b"[workload]\ntransactions = 99999999999999999999999\n")
    write("fuzz_config", "no-equals", b"[profile]\ntransport\n")
    write("fuzz_config", "both-limits", b"[workload]\ntransactions = 10\nduration = 5\n")
    write("fuzz_config", "long-line", b"[profile]\nguest = " + b"x" * 300 + b"\n")
    write("fuzz_config", "crlf-comments", b"; c\r\n[trace]\r\nbackend = none ; trailing\r\n")


def results_seeds():
    import json
    root = os.path.join(os.path.dirname(ROOT), "..", "reports", "tests", "fixtures")
    names = ["run-a/mmio-legacy", "run-a/mmio-v3", "run-a/pci", "bad-metric-type",
             "bad-missing-host", "bad-rep-count", "bad-schema-major", "bad-summary-mean"]
    for n in names:
        p = os.path.join(root, n + ".json")
        if not os.path.exists(p):
            continue
        with open(p) as f:
            doc = json.load(f)
        write("fuzz_results", n.replace("/", "-"), json.dumps(doc, separators=(",", ":")).encode())
    write("fuzz_results", "not-json", b"{\"schema\":\"irqpath-results/1\",")
    write("fuzz_results", "wrong-schema", b"{\"schema\":\"irqpath-vmm/1\"}")
    write("fuzz_results", "array", b"[1,2,3]")


if __name__ == "__main__":
    virtqueue_seeds()
    mmio_seeds()
    pci_seeds()
    elf_seeds()
    linuxboot_seeds()
    config_seeds()
    results_seeds()
