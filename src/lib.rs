//! kubeplan: what a Kubernetes v1.32 cluster would do with your manifests.
//!
//! The engine is pure: no I/O, no clock, no randomness. The native CLI, the WASM binding, the language server and
//! the playground are thin shells around one [`facade`]: a [`PlanRequest`] in, a [`PlanReport`] out.

pub mod api;
pub mod diag;
pub mod go;
pub mod input;
pub mod apiserver;
pub mod hash;
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
pub mod facade;

pub use facade::{ExitCode, PlanReport, PlanRequest};
pub use plan::{plan, plan_loaded, Plan, PlanInput, PlanOptions};
pub mod cli;
pub mod lint;
pub mod lsp;
pub mod ffi;
