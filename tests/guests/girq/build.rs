//! Links the guest with the runtime's linker script (a library's build script cannot pass
//! link arguments to the binaries that use it, so each guest carries this file).

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let script = format!("{dir}/../rt/guest.ld");
    println!("cargo::rustc-link-arg-bins=-T{script}");
    println!("cargo::rerun-if-changed={script}");
}
