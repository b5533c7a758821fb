//! The options Xen 4.20 documents that Ferrite recognises but does not implement yet: every
//! name of [`crate::xen_options::DOCUMENTED`] that [`crate::registry::OPTIONS`] does not
//! implement. Giving one of these yields a single `KnownUnsupported` diagnostic.

use crate::registry::OPTIONS;
use crate::xen_options::DOCUMENTED;

/// Documented Xen 4.20 options that Ferrite ignores, in the doc's order.
pub fn known_unsupported() -> impl Iterator<Item = &'static str> {
    DOCUMENTED
        .iter()
        .copied()
        .filter(|name| OPTIONS.iter().all(|spec| spec.name != *name))
}
