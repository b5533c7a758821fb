//! `xen_abi!`: declares one header's structs, enums and constants together with their layout
//! table entries (see `layout.rs`) and compile-time size, alignment and offset assertions.
//!
//! Syntax, each section optional but in this order:
//!
//! ```text
//! xen_abi! {
//!     header "event_channel.h";
//!     structs {
//!         /// docs
//!         "struct evtchn_send" size 4 align 4 [since "4.19"];
//!         pub struct EvtchnSend {
//!             /// docs
//!             0 port: EvtchnPort,
//!             4 kind as "type": u32,       // C member name differs
//!             8 _pad0: [u8; 4],            // Rust-only padding, not in the C table
//!             12 sve_vl since "4.19": u8,  // member added after 4.17
//!             13 bits as "": u8,            // no C member to check (a bit field)
//!         }
//!     }
//!     enums {
//!         /// docs
//!         pub enum Op: u32 {
//!             /// docs
//!             BindInterdomain = EVTCHNOP_bind_interdomain = 0 [=> since "4.19"],
//!         }
//!     }
//!     consts {
//!         /// docs
//!         pub const EVTCHN_2L_NR_CHANNELS: u32 = 4096 [=> since "4.19"];
//!     }
//! }
//! ```
//!
//! Each enum variant also defines the Xen-spelled constant (`EVTCHNOP_bind_interdomain`), and the
//! enum gets `TryFrom` its raw type (and from `u64`) that returns [`crate::Unknown`] for values
//! Xen does not define.

macro_rules! xen_abi {
    (
        header $header:literal;
        $(structs {
            $(
                $(#[$smeta:meta])*
                $cty:literal size $size:literal align $align:literal $(since $ssince:literal)? ;
                pub struct $sname:ident {
                    $( $(#[$fmeta:meta])* $off:literal $fname:ident $(as $fc:literal)? $(since $fsince:literal)? : $fty:ty ),* $(,)?
                }
            )*
        })?
        $(enums {
            $(
                $(#[$emeta:meta])*
                pub enum $ename:ident : $erepr:ident {
                    $( $(#[$vmeta:meta])* $vname:ident = $vc:ident = $vval:expr $(=> since $vsince:literal)? ),* $(,)?
                }
            )*
        })?
        $(consts {
            $( $(#[$cmeta:meta])* pub const $cname:ident : $cty2:ty = $cval:expr $(=> since $csince:literal)? ; )*
        })?
    ) => {
        $($(
            $(#[$smeta])*
            #[repr(C)]
            #[derive(Clone, Copy, Debug, PartialEq, Eq, zerocopy::FromBytes, zerocopy::IntoBytes, zerocopy::KnownLayout, zerocopy::Immutable)]
            pub struct $sname {
                $( $(#[$fmeta])* pub $fname: $fty, )*
            }

            const _: () = {
                assert!(core::mem::size_of::<$sname>() == $size, concat!("size of ", stringify!($sname)));
                assert!(core::mem::align_of::<$sname>() == $align, concat!("align of ", stringify!($sname)));
                $( assert!(core::mem::offset_of!($sname, $fname) == $off, concat!("offset of ", stringify!($sname), ".", stringify!($fname))); )*
            };

            impl $sname {
                /// This struct's entry in the layout table.
                pub const C_LAYOUT: $crate::layout::StructLayout = $crate::layout::StructLayout {
                    c_type: $cty,
                    rust_name: stringify!($sname),
                    size: $size,
                    align: $align,
                    fields: &[$(
                        $crate::layout::FieldLayout {
                            c_name: xen_abi!(@fname $fname $($fc)?),
                            offset: $off,
                            since: xen_abi!(@since $($fsince)?),
                        },
                    )*],
                    since: xen_abi!(@since $($ssince)?),
                };
            }
        )*)?

        $($(
            $( $(#[$vmeta])* #[allow(non_upper_case_globals)] pub const $vc: $erepr = $vval; )*

            $(#[$emeta])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            #[repr($erepr)]
            pub enum $ename {
                $( $(#[$vmeta])* $vname = $vc, )*
            }

            impl $ename {
                /// Every value, in declaration order.
                pub const ALL: &'static [$ename] = &[$($ename::$vname,)*];

                /// The constants of this enum, for the layout table.
                pub const C_CONSTS: &'static [$crate::layout::ConstLayout] = &[$(
                    $crate::layout::ConstLayout {
                        c_name: stringify!($vc),
                        value: $vc as u64,
                        since: xen_abi!(@since $($vsince)?),
                    },
                )*];

                /// The raw value Xen uses.
                pub const fn raw(self) -> $erepr {
                    self as $erepr
                }

                /// Xen's name for the value.
                pub const fn c_name(self) -> &'static str {
                    match self { $( $ename::$vname => stringify!($vc), )* }
                }
            }

            impl TryFrom<$erepr> for $ename {
                type Error = $crate::Unknown;

                #[allow(non_upper_case_globals, reason = "the patterns are Xen-spelled constants")]
                fn try_from(raw: $erepr) -> Result<Self, $crate::Unknown> {
                    match raw {
                        $( $vc => Ok($ename::$vname), )*
                        _ => Err($crate::Unknown { kind: stringify!($ename), raw: raw as u64 }),
                    }
                }
            }

            xen_abi!(@wide $erepr $ename);
        )*)?

        $($(
            $(#[$cmeta])*
            #[allow(non_upper_case_globals)]
            pub const $cname: $cty2 = $cval;
        )*)?

        /// This header's entry in the layout table.
        pub(crate) const TABLE: $crate::layout::ModuleTable = $crate::layout::ModuleTable {
            module: module_path!(),
            header: $header,
            structs: &[$($($sname::C_LAYOUT,)*)?],
            raw_round_trip: |_raw: u64| -> Result<usize, &'static str> {
                #[allow(unused_mut, reason = "a module may declare no enum")]
                let mut accepted = 0;
                $($(
                    if let Ok(v) = $ename::try_from(_raw) {
                        if v.raw() as u64 != _raw {
                            return Err(stringify!($ename));
                        }
                        accepted += 1;
                    }
                    let narrow = _raw as $erepr;
                    if let Ok(v) = $ename::try_from(narrow) {
                        if v.raw() != narrow || v.c_name().is_empty() {
                            return Err(stringify!($ename));
                        }
                    }
                )*)?
                Ok(accepted)
            },
            consts: &[
                $($($ename::C_CONSTS,)*)?
                &[$($(
                    $crate::layout::ConstLayout {
                        c_name: stringify!($cname),
                        value: $cname as u64,
                        since: xen_abi!(@since $($csince)?),
                    },
                )*)?],
            ],
        };
    };

    (@fname $fname:ident) => { stringify!($fname) };
    (@fname $fname:ident $fc:literal) => { $fc };
    (@since) => { None };
    (@since $s:literal) => { Some($s) };
    (@wide u64 $ename:ident) => {};
    (@wide $erepr:ident $ename:ident) => {
        impl TryFrom<u64> for $ename {
            type Error = $crate::Unknown;

            fn try_from(raw: u64) -> Result<Self, $crate::Unknown> {
                <$erepr>::try_from(raw)
                    .map_err(|_| $crate::Unknown { kind: stringify!($ename), raw })
                    .and_then($ename::try_from)
            }
        }
    };
}
