//! GICv2 (Arm IHI 0048B): distributor and memory-mapped CPU interface.

use super::{mmio_read, mmio_write};

const GICD_CTLR: u64 = 0x000;
const GICD_TYPER: u64 = 0x004;
const GICD_ISENABLER: u64 = 0x100;
const GICD_ICENABLER: u64 = 0x180;
const GICD_IPRIORITYR: u64 = 0x400;
const GICD_SGIR: u64 = 0xf00;
const GICC_CTLR: u64 = 0x000;
const GICC_PMR: u64 = 0x004;
const GICC_BPR: u64 = 0x008;
const GICC_IAR: u64 = 0x00c;
const GICC_EOIR: u64 = 0x010;

/// Disables every SPI, then enables forwarding; returns the number of SPIs.
pub fn init_distributor(dist: u64) -> u32 {
    mmio_write(dist + GICD_CTLR, 0);
    let lines = ((mmio_read(dist + GICD_TYPER) & 0x1f) + 1) * 32;
    for i in 1..lines / 32 {
        mmio_write(dist + GICD_ICENABLER + u64::from(i) * 4, u32::MAX);
    }
    mmio_write(dist + GICD_CTLR, 1);
    lines.saturating_sub(32)
}

pub fn init_cpu(cpu: u64) {
    mmio_write(cpu + GICC_PMR, 0xf0);
    mmio_write(cpu + GICC_BPR, 0);
    mmio_write(cpu + GICC_CTLR, 1);
}

/// SGIs and PPIs are banked per CPU in the distributor.
pub fn enable_private(dist: u64, intid: u32, priority: u8) {
    let reg = dist + GICD_IPRIORITYR + u64::from(intid & !3);
    let shift = (intid & 3) * 8;
    let v = mmio_read(reg) & !(0xff << shift);
    mmio_write(reg, v | (u32::from(priority) << shift));
    mmio_write(dist + GICD_ISENABLER, 1 << (intid & 31));
}

/// TargetListFilter = 1: all but this CPU.
pub fn send_sgi_others(dist: u64, sgi: u32) {
    mmio_write(dist + GICD_SGIR, (1 << 24) | (sgi & 0xf));
}

/// (INTID, the raw IAR value to write back on EOI).
pub fn ack(cpu: u64) -> (u32, u32) {
    let raw = mmio_read(cpu + GICC_IAR);
    (raw & 0x3ff, raw)
}

pub fn eoi(cpu: u64, raw: u32) {
    mmio_write(cpu + GICC_EOIR, raw);
}
