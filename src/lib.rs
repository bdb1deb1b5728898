//! kubeplan: what a Kubernetes v1.32 cluster would do with your manifests.
//!
//! The engine is pure: no I/O, no clock, no randomness. The native CLI, the WASM binding and the playground are
//! thin shells around [`plan`] and friends.

pub mod api;
pub mod diag;
pub mod go;
pub mod input;
pub mod apiserver;
pub mod helpers;
pub mod cluster;
pub mod controller;
pub mod kubelet;
pub mod scheduler;
pub mod kubectl;
pub mod sim;
pub mod rollout;
pub mod output;
pub mod plan;

pub use plan::{plan, plan_loaded, Plan, PlanInput, PlanOptions};
pub mod cli;
pub mod lint;
pub mod lsp;
/// The WebAssembly binding of the npm package (only with the `wasm` feature).
#[cfg(feature = "wasm")]
pub mod wasm;
