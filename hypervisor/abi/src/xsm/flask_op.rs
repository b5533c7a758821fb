//! `xen/include/public/xsm/flask_op.h` (Xen 4.20, interface 1): the Flask commands carried by
//! `HYPERVISOR_xsm_op`.

use crate::GuestHandle;

xen_abi! {
    header "xsm/flask_op.h";
    structs {
        /// `struct xen_flask_userlist` (`FLASK_USER`, interface < 4.8).
        "struct xen_flask_userlist" size 16 align 8 since "interface < 0x00040800";
        pub struct XenFlaskUserlist {
            /// First SID to list.
            0 start_sid: u32,
            /// In: buffer size; out: SIDs returned.
            4 size: u32,
            /// In: the user name; out: the SID list (`u.sids`, same slot).
            8 user as "u.user": GuestHandle<u8>,
        }

        /// `struct xen_flask_load` (`FLASK_LOAD`).
        "struct xen_flask_load" size 16 align 8;
        pub struct XenFlaskLoad {
            /// The policy.
            0 buffer: GuestHandle<u8>,
            /// Its size.
            8 size: u32,
            /// Padding.
            12 _gap0: [u8; 4],
        }

        /// `struct xen_flask_setenforce`.
        "struct xen_flask_setenforce" size 4 align 4;
        pub struct XenFlaskSetenforce {
            /// 1 to enforce.
            0 enforcing: u32,
        }

        /// `struct xen_flask_sid_context`.
        "struct xen_flask_sid_context" size 16 align 8;
        pub struct XenFlaskSidContext {
            /// Security id.
            0 sid: u32,
            /// Context buffer size.
            4 size: u32,
            /// The context string.
            8 context: GuestHandle<u8>,
        }

        /// `struct xen_flask_access` (`FLASK_ACCESS`).
        "struct xen_flask_access" size 32 align 4;
        pub struct XenFlaskAccess {
            /// Source sid.
            0 ssid: u32,
            /// Target sid.
            4 tsid: u32,
            /// Class.
            8 tclass: u32,
            /// Requested permissions.
            12 req: u32,
            /// Out: allowed.
            16 allowed: u32,
            /// Out: audited when allowed.
            20 audit_allow: u32,
            /// Out: audited when denied.
            24 audit_deny: u32,
            /// Out: policy sequence number.
            28 seqno: u32,
        }

        /// `struct xen_flask_transition` (`FLASK_CREATE`, `FLASK_RELABEL`, `FLASK_MEMBER`).
        "struct xen_flask_transition" size 16 align 4;
        pub struct XenFlaskTransition {
            /// Source sid.
            0 ssid: u32,
            /// Target sid.
            4 tsid: u32,
            /// Class.
            8 tclass: u32,
            /// Out: the new sid.
            12 newsid: u32,
        }

        /// `struct xen_flask_boolean` (`FLASK_GETBOOL`, `FLASK_SETBOOL`).
        "struct xen_flask_boolean" size 24 align 8;
        pub struct XenFlaskBoolean {
            /// Boolean id (or ~0 to look up by name).
            0 bool_id: u32,
            /// Out: current value.
            4 enforcing: u8,
            /// Out: pending value.
            5 pending: u8,
            /// In: new value.
            6 new_value: u8,
            /// In: commit now.
            7 commit: u8,
            /// Name buffer size.
            8 size: u32,
            /// Padding.
            12 _gap0: [u8; 4],
            /// The name.
            16 name: GuestHandle<u8>,
        }

        /// `struct xen_flask_setavc_threshold`.
        "struct xen_flask_setavc_threshold" size 4 align 4;
        pub struct XenFlaskSetavcThreshold {
            /// The threshold.
            0 threshold: u32,
        }

        /// `struct xen_flask_hash_stats`.
        "struct xen_flask_hash_stats" size 16 align 4;
        pub struct XenFlaskHashStats {
            /// Entries.
            0 entries: u32,
            /// Buckets used.
            4 buckets_used: u32,
            /// Buckets.
            8 buckets_total: u32,
            /// Longest chain.
            12 max_chain_len: u32,
        }

        /// `struct xen_flask_cache_stats`.
        "struct xen_flask_cache_stats" size 28 align 4;
        pub struct XenFlaskCacheStats {
            /// The CPU.
            0 cpu: u32,
            /// Lookups.
            4 lookups: u32,
            /// Hits.
            8 hits: u32,
            /// Misses.
            12 misses: u32,
            /// Allocations.
            16 allocations: u32,
            /// Reclaims.
            20 reclaims: u32,
            /// Frees.
            24 frees: u32,
        }

        /// `struct xen_flask_ocontext` (`FLASK_ADD_OCONTEXT`, `FLASK_DEL_OCONTEXT`).
        "struct xen_flask_ocontext" size 24 align 8;
        pub struct XenFlaskOcontext {
            /// Object context type.
            0 ocon: u32,
            /// Sid.
            4 sid: u32,
            /// Range start.
            8 low: u64,
            /// Range end.
            16 high: u64,
        }

        /// `struct xen_flask_peersid` (`FLASK_GET_PEER_SID`).
        "struct xen_flask_peersid" size 8 align 4;
        pub struct XenFlaskPeersid {
            /// Event channel.
            0 evtchn: u32,
            /// Out: peer sid.
            4 sid: u32,
        }

        /// `struct xen_flask_relabel` (`FLASK_RELABEL_DOMAIN`).
        "struct xen_flask_relabel" size 8 align 4;
        pub struct XenFlaskRelabel {
            /// Domain.
            0 domid: u32,
            /// New sid.
            4 sid: u32,
        }

        /// `struct xen_flask_devicetree_label`.
        "struct xen_flask_devicetree_label" size 16 align 8;
        pub struct XenFlaskDevicetreeLabel {
            /// Sid.
            0 sid: u32,
            /// Path length.
            4 length: u32,
            /// Device-tree path.
            8 path: GuestHandle<u8>,
        }

        /// `struct xen_flask_op`: the `HYPERVISOR_xsm_op` argument under Flask.
        "struct xen_flask_op" size 40 align 8;
        pub struct XenFlaskOp {
            /// `FLASK_*`.
            0 cmd: u32,
            /// `XEN_FLASK_INTERFACE_VERSION`.
            4 interface_version: u32,
            /// The command's struct.
            8 u: [u64; 4],
        }
    }
    enums {
        /// A Flask command (`FLASK_*`).
        pub enum FlaskOp: u32 {
            /// Load a policy.
            Load = FLASK_LOAD = 1,
            /// Enforcing?
            Getenforce = FLASK_GETENFORCE = 2,
            /// Set enforcing.
            Setenforce = FLASK_SETENFORCE = 3,
            /// Context to sid.
            ContextToSid = FLASK_CONTEXT_TO_SID = 4,
            /// Sid to context.
            SidToContext = FLASK_SID_TO_CONTEXT = 5,
            /// Access check.
            Access = FLASK_ACCESS = 6,
            /// Compute a create transition.
            Create = FLASK_CREATE = 7,
            /// Compute a relabel transition.
            Relabel = FLASK_RELABEL = 8,
            /// List user sids (obsolete).
            User = FLASK_USER = 9,
            /// Policy version.
            Policyvers = FLASK_POLICYVERS = 0xa,
            /// Read a boolean.
            Getbool = FLASK_GETBOOL = 0xb,
            /// Set a boolean.
            Setbool = FLASK_SETBOOL = 0xc,
            /// Commit booleans.
            Commitbools = FLASK_COMMITBOOLS = 0xd,
            /// MLS enabled?
            Mls = FLASK_MLS = 0xe,
            /// Disable Flask.
            Disable = FLASK_DISABLE = 0xf,
            /// AVC threshold.
            GetavcThreshold = FLASK_GETAVC_THRESHOLD = 0x10,
            /// Set AVC threshold.
            SetavcThreshold = FLASK_SETAVC_THRESHOLD = 0x11,
            /// AVC hash statistics.
            AvcHashstats = FLASK_AVC_HASHSTATS = 0x12,
            /// AVC cache statistics.
            AvcCachestats = FLASK_AVC_CACHESTATS = 0x13,
            /// Compute a member transition.
            Member = FLASK_MEMBER = 0x14,
            /// Add an object context.
            AddOcontext = FLASK_ADD_OCONTEXT = 0x15,
            /// Delete an object context.
            DelOcontext = FLASK_DEL_OCONTEXT = 0x16,
            /// Peer sid of an event channel.
            GetPeerSid = FLASK_GET_PEER_SID = 0x17,
            /// Relabel a domain.
            RelabelDomain = FLASK_RELABEL_DOMAIN = 0x18,
            /// Label a device-tree node.
            DevicetreeLabel = FLASK_DEVICETREE_LABEL = 0x19,
        }
    }
    consts {
        /// `xen_flask_op.interface_version`.
        pub const XEN_FLASK_INTERFACE_VERSION: u32 = 1;
    }
}
