//! The workload controllers of kube-controller-manager, as v1.32 runs them.

pub mod hash;
