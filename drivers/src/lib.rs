//! Device drivers: the UARTs behind Ferrite's console.
#![cfg_attr(not(test), no_std)]
