//! Per-CPU GDT and TSS. The TSS carries the IST stacks for #DF, NMI and #MC, each with an
//! unmapped guard page below it.

use alloc::boxed::Box;

use x86_64::VirtAddr;
use x86_64::instructions::segmentation::{CS, DS, ES, SS, Segment};
use x86_64::instructions::tables::load_tss;
use x86_64::structures::gdt::{Descriptor, GlobalDescriptorTable};
use x86_64::structures::tss::TaskStateSegment;

use super::trap::{IST_DOUBLE_FAULT, IST_MACHINE_CHECK, IST_NMI};

/// Pages per IST stack.
const IST_PAGES: u64 = 4;

#[derive(Debug)]
pub struct NoMemory;

/// Builds and loads this CPU's GDT and TSS, with fresh IST stacks.
pub fn init_this_cpu() -> Result<(), NoMemory> {
    let mut tss = TaskStateSegment::new();
    for ist in [IST_DOUBLE_FAULT, IST_NMI, IST_MACHINE_CHECK] {
        let (_, top) = super::space::alloc_stack(IST_PAGES).ok_or(NoMemory)?;
        tss.interrupt_stack_table[usize::from(ist - 1)] = VirtAddr::new(top);
    }
    let tss: &'static TaskStateSegment = Box::leak(Box::new(tss));
    let mut gdt = GlobalDescriptorTable::new();
    let code = gdt.append(Descriptor::kernel_code_segment());
    let data = gdt.append(Descriptor::kernel_data_segment());
    let tss_sel = gdt.append(Descriptor::tss_segment(tss));
    let gdt: &'static GlobalDescriptorTable = Box::leak(Box::new(gdt));
    gdt.load();
    // SAFETY: the selectors name the code, data and TSS descriptors of the GDT just loaded,
    // which is 'static; the code selector equals the IDT's (0x08).
    unsafe {
        CS::set_reg(code);
        DS::set_reg(data);
        ES::set_reg(data);
        SS::set_reg(data);
        load_tss(tss_sel);
    }
    Ok(())
}
