//! The Job controller (`pkg/controller/job`).

use crate::cluster::Cluster;

pub const COMPONENT: &str = "job-controller";

#[derive(Clone, Debug, Default)]
pub struct State {}

/// Sync every Job, in namespace/name order.
pub fn sync_all(_cluster: &mut Cluster) {}
