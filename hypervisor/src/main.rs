//! The Ferrite kernel image: the entry symbol boot code jumps to, and the panic handler.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(not(target_os = "none"))]
fn main() {
    eprintln!("ferrite is a bare-metal kernel: build it with `cargo xtask build`");
    std::process::exit(2);
}

#[cfg(target_os = "none")]
#[unsafe(no_mangle)]
fn ferrite_main(magic: u32, info: u64) -> ! {
    ferrite_arch::crash::set_handler(ferrite::setup::shutdown::crash);
    #[cfg(target_arch = "x86_64")]
    {
        ferrite::setup::x86_64::start(magic, info)
    }
    // aarch64: `magic` is the exception level the loader entered at, `info` the DTB (x0).
    #[cfg(target_arch = "aarch64")]
    {
        ferrite::setup::aarch64::start(magic, info)
    }
}

#[cfg(target_os = "none")]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    ferrite::setup::panic::report(info)
}
