//! `xen/include/public/platform.h` (Xen 4.20, `XENPF_INTERFACE_VERSION` 0x03000001):
//! firmware access for dom0 — EFI runtime calls (`XENPF_efi_runtime_call`), firmware info
//! (EDD, MBR signatures, VBE DDC; the EFI info union is kept opaque). The VGA console info that
//! `XENPF_get_dom0_console` (4.18+, `xenpf_dom0_console_t`) returns is xen.h's
//! `struct dom0_vga_console_info`, declared once in `crate::xen`.

use crate::GuestHandle;

xen_abi! {
    header "platform.h";
    structs {
        /// `struct xenpf_efi_time`.
        "struct xenpf_efi_time" size 16 align 4;
        pub struct XenpfEfiTime {
            /// `year`.
            0 year: u16,
            /// `month`.
            2 month: u8,
            /// `day`.
            3 day: u8,
            /// `hour`.
            4 hour: u8,
            /// `min`.
            5 min: u8,
            /// `sec`.
            6 sec: u8,
            /// Padding.
            7 _gap0: [u8; 1],
            /// `ns`.
            8 ns: u32,
            /// `tz`.
            12 tz: i16,
            /// `daylight`.
            14 daylight: u8,
            /// Padding.
            15 _gap1: [u8; 1],
        }

        /// `__typeof__(((struct xenpf_efi_runtime_call *)0)->u.get_time)`.
        "__typeof__(((struct xenpf_efi_runtime_call *)0)->u.get_time)" size 24 align 4;
        pub struct XenpfEfiRuntimeCallGetTime {
            /// `time`.
            0 time: XenpfEfiTime,
            /// `resolution`.
            16 resolution: u32,
            /// `accuracy`.
            20 accuracy: u32,
        }

        /// `struct xenpf_efi_guid`.
        "struct xenpf_efi_guid" size 16 align 4;
        pub struct XenpfEfiGuid {
            /// `data1`.
            0 data1: u32,
            /// `data2`.
            4 data2: u16,
            /// `data3`.
            6 data3: u16,
            /// `data4`.
            8 data4: [u8; 8],
        }

        /// `__typeof__(((struct xenpf_efi_runtime_call *)0)->u.get_variable)`.
        "__typeof__(((struct xenpf_efi_runtime_call *)0)->u.get_variable)" size 40 align 8;
        pub struct XenpfEfiRuntimeCallGetVariable {
            /// Name.
            0 name: GuestHandle<u8>,
            /// Size in bytes.
            8 size: u64,
            /// Guest buffer with the data.
            16 data: GuestHandle<u8>,
            /// `vendor_guid`.
            24 vendor_guid: XenpfEfiGuid,
        }

        /// `__typeof__(((struct xenpf_efi_runtime_call *)0)->u.set_variable)`.
        "__typeof__(((struct xenpf_efi_runtime_call *)0)->u.set_variable)" size 40 align 8;
        pub struct XenpfEfiRuntimeCallSetVariable {
            /// Name.
            0 name: GuestHandle<u8>,
            /// Size in bytes.
            8 size: u64,
            /// Guest buffer with the data.
            16 data: GuestHandle<u8>,
            /// `vendor_guid`.
            24 vendor_guid: XenpfEfiGuid,
        }

        /// `__typeof__(((struct xenpf_efi_runtime_call *)0)->u.get_next_variable_name)`.
        "__typeof__(((struct xenpf_efi_runtime_call *)0)->u.get_next_variable_name)" size 32 align 8;
        pub struct XenpfEfiRuntimeCallGetNextVariableName {
            /// Size in bytes.
            0 size: u64,
            /// Name.
            8 name: GuestHandle<u8>,
            /// `vendor_guid`.
            16 vendor_guid: XenpfEfiGuid,
        }

        /// `__typeof__(((struct xenpf_efi_runtime_call *)0)->u.query_variable_info)`.
        "__typeof__(((struct xenpf_efi_runtime_call *)0)->u.query_variable_info)" size 32 align 8;
        pub struct XenpfEfiRuntimeCallQueryVariableInfo {
            /// `attr`.
            0 attr: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// Maximum store size.
            8 max_store_size: u64,
            /// `remain_store_size`.
            16 remain_store_size: u64,
            /// Maximum size.
            24 max_size: u64,
        }

        /// `__typeof__(((struct xenpf_efi_runtime_call *)0)->u.query_capsule_capabilities)`.
        "__typeof__(((struct xenpf_efi_runtime_call *)0)->u.query_capsule_capabilities)" size 32 align 8;
        pub struct XenpfEfiRuntimeCallQueryCapsuleCapabilities {
            /// `capsule_header_array`.
            0 capsule_header_array: GuestHandle<u8>,
            /// `capsule_count`.
            8 capsule_count: u64,
            /// Maximum capsule size.
            16 max_capsule_size: u64,
            /// `reset_type`.
            24 reset_type: u32,
            /// Padding.
            28 _gap0: [u8; 4],
        }

        /// `__typeof__(((struct xenpf_efi_runtime_call *)0)->u.update_capsule)`.
        "__typeof__(((struct xenpf_efi_runtime_call *)0)->u.update_capsule)" size 24 align 8;
        pub struct XenpfEfiRuntimeCallUpdateCapsule {
            /// `capsule_header_array`.
            0 capsule_header_array: GuestHandle<u8>,
            /// `capsule_count`.
            8 capsule_count: u64,
            /// `sg_list`.
            16 sg_list: u64,
        }

        /// `struct xenpf_efi_runtime_call`.
        "struct xenpf_efi_runtime_call" size 56 align 8;
        pub struct XenpfEfiRuntimeCall {
            /// `function`.
            0 function: u32,
            /// `misc`.
            4 misc: u32,
            /// Status.
            8 status: u64,
            /// Union of the sub-op argument structs.
            16 u: [u64; 5],
        }

        /// `__typeof__(((struct xenpf_firmware_info *)0)->u.disk_info)`.
        "__typeof__(((struct xenpf_firmware_info *)0)->u.disk_info)" size 16 align 8;
        pub struct XenpfFirmwareInfoDiskInfo {
            /// `device`.
            0 device: u8,
            /// Version.
            1 version: u8,
            /// `interface_support`.
            2 interface_support: u16,
            /// `legacy_max_cylinder`.
            4 legacy_max_cylinder: u16,
            /// `legacy_max_head`.
            6 legacy_max_head: u8,
            /// `legacy_sectors_per_track`.
            7 legacy_sectors_per_track: u8,
            /// `edd_params`.
            8 edd_params: GuestHandle<u8>,
        }

        /// `__typeof__(((struct xenpf_firmware_info *)0)->u.disk_mbr_signature)`.
        "__typeof__(((struct xenpf_firmware_info *)0)->u.disk_mbr_signature)" size 8 align 4;
        pub struct XenpfFirmwareInfoDiskMbrSignature {
            /// `device`.
            0 device: u8,
            /// Padding.
            1 _gap0: [u8; 3],
            /// `mbr_signature`.
            4 mbr_signature: u32,
        }

        /// `__typeof__(((struct xenpf_firmware_info *)0)->u.vbeddc_info)`.
        "__typeof__(((struct xenpf_firmware_info *)0)->u.vbeddc_info)" size 16 align 8;
        pub struct XenpfFirmwareInfoVbeddcInfo {
            /// `XEN_SYSCTL_PHYSCAP_*`.
            0 capabilities: u8,
            /// `edid_transfer_time`.
            1 edid_transfer_time: u8,
            /// Padding.
            2 _gap0: [u8; 6],
            /// `edid`.
            8 edid: GuestHandle<u8>,
        }

        /// `struct xenpf_firmware_info`.
        "struct xenpf_firmware_info" size 40 align 8;
        pub struct XenpfFirmwareInfo {
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            0 type_ as "type": u32,
            /// Index.
            4 index: u32,
            /// Union of the sub-op argument structs.
            8 u: [u64; 4],
        }
    }
}
