//! kubeplan: what a Kubernetes v1.32 cluster would do with your manifests.
//!
//! The engine is pure: no I/O, no clock, no randomness. The native CLI, the WASM binding and the playground are
//! thin shells around [`plan`] and friends.

pub mod api;
pub mod diag;
pub mod go;
pub mod input;
pub mod apiserver;
pub mod controller;
