//! x86_64 mechanisms.
