//! Building and running dom0 as a PVH guest on SVM (Xen's `dom0=pvh`:
//! `xen/arch/x86/hvm/dom0_build.c`), and what its end means for the host.
//!
//! This is the first, single-vCPU form: guest RAM is one contiguous block mapped at
//! guest-physical 0 through nested paging; exits are handled here until the scheduler and
//! the domain model take over.

use alloc::string::String;
use core::fmt::Write as _;

use ferrite_abi::Errno;
use ferrite_arch::memory::OwnedFrames;
use ferrite_arch::vcpu::Exit;
use ferrite_arch::x86_64::paging::{PageTable, Perms};
use ferrite_arch::x86_64::{cpu, space, svm};

use crate::cpuid::{self, Caller, HYPERCALL_PAGE_MSR};
use crate::guest_mem::{self, GuestPhys, Paging};
use crate::hypercall::{self, Args, Guest, Outcome};
use crate::loader::{elf, pvh};
use crate::printk;

/// Why dom0 could not be built.
#[derive(Debug)]
pub enum BuildError {
    NoSvm(svm::SvmError),
    Kernel(elf::ElfError),
    Layout(pvh::LayoutError),
    NoMemory(u64),
    Paging,
}

impl core::fmt::Display for BuildError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            BuildError::NoSvm(e) => write!(
                f,
                "no usable SVM ({e:?}): PVH dom0 needs AMD SVM with nested paging"
            ),
            BuildError::Kernel(e) => write!(f, "dom0 kernel refused: {e}"),
            BuildError::Layout(e) => write!(f, "dom0 boot information: {e}"),
            BuildError::NoMemory(b) => write!(f, "cannot allocate {} MiB for dom0", b >> 20),
            BuildError::Paging => write!(f, "cannot build dom0's nested page tables"),
        }
    }
}

/// How dom0 ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// `SCHEDOP_shutdown` with this `SHUTDOWN_*` reason.
    Shutdown(u32),
    /// Ferrite crashed the domain (an exit it cannot handle, a triple fault, ...).
    Crashed,
}

/// Guest RAM seen as guest-physical memory.
struct Ram<'a>(&'a mut OwnedFrames);

impl GuestPhys for Ram<'_> {
    fn read_phys(&self, gpa: u64, buf: &mut [u8]) -> Result<(), Errno> {
        if self.0.read(gpa, buf) {
            Ok(())
        } else {
            Err(Errno::EFAULT)
        }
    }
    fn write_phys(&mut self, gpa: u64, bytes: &[u8]) -> Result<(), Errno> {
        if self.0.write(gpa, bytes) {
            Ok(())
        } else {
            Err(Errno::EFAULT)
        }
    }
}

/// What the hypercall handlers reach while one vCPU exit is handled.
struct Ctx<'a> {
    ram: Ram<'a>,
    ram_bytes: u64,
    shared_info: &'a mut OwnedFrames,
    npt: &'a PageTable,
    /// A nested mapping changed: the guest's TLB must be flushed before it runs again.
    flush: bool,
    paging: Paging,
    shutdown: Option<u32>,
    code: Option<u32>,
    line: &'a mut String,
    xen_cmdline: &'a [u8],
}

impl Guest for Ctx<'_> {
    fn domid(&self) -> u16 {
        0
    }
    fn privileged(&self) -> bool {
        true
    }
    fn copy_from(&self, gva: u64, buf: &mut [u8]) -> Result<(), Errno> {
        guest_mem::copy_from_guest(&self.ram, &self.paging, gva, buf)
    }
    fn copy_to(&mut self, gva: u64, bytes: &[u8]) -> Result<(), Errno> {
        guest_mem::copy_to_guest(&mut self.ram, &self.paging, gva, bytes)
    }
    fn console_write(&mut self, bytes: &[u8]) {
        // dom0's console output goes out line by line, unprefixed, as Xen's does.
        for chunk in bytes.utf8_chunks() {
            self.line.push_str(chunk.valid());
            for _ in chunk.invalid() {
                self.line.push('?');
            }
        }
        while let Some(i) = self.line.find('\n') {
            let rest = self.line.split_off(i + 1);
            crate::console::guest_line(0, self.line.trim_end_matches(['\n', '\r']));
            *self.line = rest;
        }
    }
    fn request_shutdown(&mut self, reason: u32) {
        self.shutdown = Some(reason);
    }
    fn set_shutdown_code(&mut self, reason: u32) {
        self.code = Some(reason);
    }
    fn hypervisor_cmdline(&self) -> &[u8] {
        self.xen_cmdline
    }
    fn max_ram_page(&self) -> u64 {
        ferrite_arch::memory::stats().1
    }
    fn reservation(&self) -> (u64, u64, u64) {
        let pages = self.ram_bytes / 4096;
        (pages, pages, pages.saturating_sub(1))
    }
    fn memory_map(&self) -> alloc::vec::Vec<(u64, u64, u32)> {
        pvh::memory_map(self.ram_bytes)
            .iter()
            .map(|e| (e.addr, e.size, e.kind))
            .collect()
    }
    fn map_shared_info(&mut self, gpfn: u64) -> Result<(), Errno> {
        let gpa = gpfn
            .checked_mul(4096)
            .filter(|&a| a < self.ram_bytes)
            .ok_or(Errno::EINVAL)?;
        space::nested_map(self.npt, gpa, self.shared_info.pa(), 4096, Perms::RW)
            .map_err(|_| Errno::ENOMEM)?;
        self.flush = true;
        write_time(self.shared_info);
        Ok(())
    }
    fn events(&mut self) -> Option<crate::event::Events<'_>> {
        // Not wired yet: event_channel_op answers -ENOSYS until dom0's Channels and a
        // TwoLevel over the shared-info frame live here.
        None
    }
    fn kick(&mut self, _: crate::event::Kick) {}
}

/// Fills vCPU 0's time record and the wallclock in the shared-info page, with Xen's
/// version protocol (odd while writing).
fn write_time(shared: &mut OwnedFrames) {
    use zerocopy::IntoBytes;
    const TIME: u64 = 32; // vcpu_info[0].time
    let mut v = [0u8; 4];
    shared.read(TIME, &mut v);
    let prev = u32::from_le_bytes(v);
    shared.write(TIME, &(prev | 1).to_le_bytes());
    let rec = crate::time::record(
        ferrite_arch::x86_64::time::tsc_hz(),
        cpu::rdtsc(),
        ferrite_arch::x86_64::time::now_ns(),
        prev,
    );
    shared.write(TIME + 4, &rec.as_bytes()[4..]);
    shared.write(TIME, &rec.version.to_le_bytes());
}

/// A built dom0, ready to run.
pub struct Dom0 {
    ram: OwnedFrames,
    ram_bytes: u64,
    shared_info: OwnedFrames,
    // Kept alive for as long as the vCPU may run: the VMCB points at them.
    npt: PageTable,
    _iopm: OwnedFrames,
    _msrpm: OwnedFrames,
    vcpu: svm::Vcpu,
    amd: bool,
    xen_cmdline: &'static [u8],
}

/// The inputs of a dom0 build.
pub struct Dom0Spec<'a> {
    pub kernel: &'a [u8],
    pub initrd: Option<&'a [u8]>,
    pub cmdline: &'a [u8],
    pub mem_bytes: u64,
    pub xen_cmdline: &'static [u8],
}

pub fn build(spec: &Dom0Spec<'_>) -> Result<Dom0, BuildError> {
    let f = cpu::Features::read();
    let svm_cpu = svm::enable_this_cpu(&f).map_err(BuildError::NoSvm)?;
    let plan = elf::plan(spec.kernel, spec.mem_bytes).map_err(BuildError::Kernel)?;
    let mut ram = OwnedFrames::alloc(spec.mem_bytes / 4096, 512)
        .ok_or(BuildError::NoMemory(spec.mem_bytes))?;
    for s in plan.segments() {
        let bytes = spec
            .kernel
            .get(s.offset as usize..(s.offset + s.filesz) as usize)
            .ok_or(BuildError::Kernel(elf::ElfError::BadPhdrTable))?;
        // `elf::plan` checked the segment fits in the guest's RAM; bss is already zero.
        ram.write(s.paddr, bytes);
    }
    let modules: alloc::vec::Vec<pvh::Module<'_>> = spec
        .initrd
        .iter()
        .map(|b| pvh::Module {
            bytes: b,
            cmdline: b"",
        })
        .collect();
    let layout = pvh::layout(&pvh::BootParams {
        ram_bytes: spec.mem_bytes,
        kernel_end: plan.end,
        cmdline: spec.cmdline,
        modules: &modules,
        rsdp_paddr: 0,
        flags: ferrite_abi::xen::SIF_PRIVILEGED | ferrite_abi::xen::SIF_INITDOMAIN,
    })
    .map_err(BuildError::Layout)?;
    for (gpa, bytes) in &layout.writes {
        ram.write(*gpa, bytes);
    }
    let npt = space::nested_new(f.page1gb).map_err(|_| BuildError::Paging)?;
    space::nested_map(&npt, 0, ram.pa(), spec.mem_bytes, Perms::RWX)
        .map_err(|_| BuildError::Paging)?;
    let iopm = OwnedFrames::alloc(3, 1).ok_or(BuildError::NoMemory(3 * 4096))?;
    let msrpm = OwnedFrames::alloc(2, 1).ok_or(BuildError::NoMemory(2 * 4096))?;
    let vcpu = svm::Vcpu::new_32bit(
        svm_cpu,
        &svm::Start32 {
            rip: u64::from(plan.entry),
            rbx: layout.start_info,
            asid: 1,
            nested_cr3: npt.root,
            iopm_pa: iopm.pa(),
            msrpm_pa: msrpm.pa(),
        },
    )
    .map_err(BuildError::NoSvm)?;
    printk!(
        "d0: PVH kernel [{:#x}, {:#x}) entry {:#x}, start info at {:#x}, {} MiB RAM",
        plan.start,
        plan.end,
        plan.entry,
        layout.start_info,
        spec.mem_bytes >> 20
    );
    let shared_info = OwnedFrames::alloc(1, 1).ok_or(BuildError::NoMemory(4096))?;
    Ok(Dom0 {
        ram,
        ram_bytes: spec.mem_bytes,
        shared_info,
        npt,
        _iopm: iopm,
        _msrpm: msrpm,
        vcpu,
        amd: f.is_amd(),
        xen_cmdline: spec.xen_cmdline,
    })
}

fn host_cpuid(leaf: u32, sub: u32) -> [u32; 4] {
    let r = cpu::cpuid(leaf, sub);
    [r.eax, r.ebx, r.ecx, r.edx]
}

impl Dom0 {
    fn paging(&mut self) -> Paging {
        let [cr0, cr3, cr4, efer] = self.vcpu.paging();
        Paging {
            cr0,
            cr3,
            cr4,
            efer,
        }
    }

    /// Runs dom0's vCPU until the domain shuts down or crashes.
    pub fn run(&mut self) -> End {
        let mut line = String::new();
        loop {
            let exit = self.vcpu.run();
            match exit {
                Exit::Hypercall { insn_len } => {
                    let v = self.hypercall(&mut line);
                    self.vcpu.set_rax(v.0 as u64);
                    self.vcpu.advance_rip(insn_len);
                    if let Some(reason) = v.1 {
                        return End::Shutdown(reason);
                    }
                }
                Exit::Cpuid { insn_len } => {
                    let (leaf, sub) = (self.vcpu.rax() as u32, self.vcpu.regs.rcx as u32);
                    let r = cpuid::guest_cpuid(leaf, sub, host_cpuid, Caller { domid: 0, vcpu: 0 });
                    self.vcpu.set_rax(u64::from(r[0]));
                    self.vcpu.regs.rbx = u64::from(r[1]);
                    self.vcpu.regs.rcx = u64::from(r[2]);
                    self.vcpu.regs.rdx = u64::from(r[3]);
                    self.vcpu.advance_rip(insn_len);
                }
                Exit::Msr { write, insn_len } => {
                    let msr = self.vcpu.regs.rcx as u32;
                    if write && msr == HYPERCALL_PAGE_MSR {
                        let value = (self.vcpu.regs.rdx << 32) | (self.vcpu.rax() & 0xffff_ffff);
                        let page = cpuid::hypercall_page(self.amd);
                        if value & 0xfff != 0 || !self.ram.write(value, &page) {
                            return self
                                .crash(format_args!("hypercall page at bad address {value:#x}"));
                        }
                        self.vcpu.advance_rip(insn_len);
                    } else {
                        return self.crash(format_args!(
                            "{} of MSR {msr:#x}, which Ferrite does not emulate yet",
                            if write { "write" } else { "read" }
                        ));
                    }
                }
                Exit::Halt { insn_len } => {
                    // No event sources exist yet: wait for a host interrupt and go on.
                    self.vcpu.advance_rip(insn_len);
                    cpu::halt();
                }
                Exit::Interrupt | Exit::Nmi => {}
                Exit::Shutdown => return self.crash(format_args!("triple fault")),
                Exit::NestedPageFault { gpa, error } => {
                    return self.crash(format_args!(
                        "access to guest-physical {gpa:#x} outside its memory (error {error:#x})"
                    ));
                }
                Exit::Unhandled { code, info1, info2 } => {
                    return self.crash(format_args!(
                        "unhandled exit {code:#x} (info1 {info1:#x}, info2 {info2:#x})"
                    ));
                }
            }
        }
    }

    /// Runs the hypercall in the vCPU's registers: the result and any shutdown request.
    fn hypercall(&mut self, line: &mut String) -> (i64, Option<u32>) {
        if self.vcpu.cpl() != 0 {
            return (Errno::EPERM.to_ret(), None);
        }
        let r = self.vcpu.regs;
        let args = if self.vcpu.long_mode() {
            Args {
                nr: self.vcpu.rax(),
                a: [r.rdi, r.rsi, r.rdx, r.r10, r.r8],
            }
        } else {
            let m = |v: u64| v & 0xffff_ffff;
            Args {
                nr: m(self.vcpu.rax()),
                a: [m(r.rbx), m(r.rcx), m(r.rdx), m(r.rsi), m(r.rdi)],
            }
        };
        let paging = self.paging();
        let mut ctx = Ctx {
            ram: Ram(&mut self.ram),
            ram_bytes: self.ram_bytes,
            shared_info: &mut self.shared_info,
            npt: &self.npt,
            flush: false,
            paging,
            shutdown: None,
            code: None,
            line,
            xen_cmdline: self.xen_cmdline,
        };
        let Outcome::Completed(v) = hypercall::dispatch(&mut ctx, &args);
        let (shutdown, flush) = (ctx.shutdown, ctx.flush);
        if flush {
            self.vcpu.flush_tlb();
        }
        (v, shutdown)
    }

    /// Crashes the domain with a report: why, where, its registers and instruction bytes.
    fn crash(&mut self, why: core::fmt::Arguments<'_>) -> End {
        let rip = self.vcpu.rip();
        let (code, i1, i2) = self.vcpu.exit_info();
        log::error!("d0v0 crashed: {why}");
        log::error!("d0v0 exit code {code:#x} info1 {i1:#x} info2 {i2:#x}");
        let r = self.vcpu.regs;
        let rax = self.vcpu.rax();
        log::error!(
            "d0v0 RIP {rip:#018x} RAX {rax:#018x} RBX {:#018x} RCX {:#018x}",
            r.rbx,
            r.rcx
        );
        log::error!(
            "d0v0 RDX {:#018x} RSI {:#018x} RDI {:#018x} RBP {:#018x}",
            r.rdx,
            r.rsi,
            r.rdi,
            r.rbp
        );
        let [cr0, cr3, cr4, efer] = self.vcpu.paging();
        log::error!(
            "d0v0 CR0 {cr0:#x} CR3 {cr3:#x} CR4 {cr4:#x} EFER {efer:#x} CPL {}",
            self.vcpu.cpl()
        );
        let paging = self.paging();
        let mut bytes = [0u8; 16];
        let linear = self.vcpu.cs_base().wrapping_add(rip);
        let mut text = String::new();
        match guest_mem::copy_from_guest(&Ram(&mut self.ram), &paging, linear, &mut bytes) {
            Ok(()) => {
                for b in bytes {
                    let _ = write!(text, " {b:02x}");
                }
            }
            Err(e) => {
                let _ = write!(text, " (unreadable: {e})");
            }
        }
        log::error!("d0v0 instruction bytes at RIP:{text}");
        End::Crashed
    }
}
