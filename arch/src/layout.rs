//! Linker-script symbols bounding Ferrite's image and its sections, and the boot stack: every
//! architecture's `ferrite.ld` and entry code define the same names.

unsafe extern "C" {
    static __image_start: u8;
    static __text_end: u8;
    static __rodata_start: u8;
    static __rodata_end: u8;
    static __data_start: u8;
    static __image_end: u8;
    static boot_stack_bottom: u8;
    static boot_stack_top: u8;
}

macro_rules! sym_addr {
    ($name:ident, $sym:ident) => {
        /// The address of the linker symbol of the same name.
        pub fn $name() -> u64 {
            // Taking the address of an extern static is safe; it is never read through.
            core::ptr::addr_of!($sym) as u64
        }
    };
}
sym_addr!(image_start, __image_start);
sym_addr!(text_end, __text_end);
sym_addr!(rodata_start, __rodata_start);
sym_addr!(rodata_end, __rodata_end);
sym_addr!(data_start, __data_start);
sym_addr!(image_end, __image_end);
sym_addr!(boot_stack_bottom_addr, boot_stack_bottom);
sym_addr!(boot_stack_top_addr, boot_stack_top);
