//! Boot-information readers shared by every entry path (multiboot1, multiboot2, PVH, EFI, FDT).
