//! The Job controller (`pkg/controller/job`).

use crate::cluster::Cluster;

pub const COMPONENT: &str = "job-controller";

/// Sync every Job, in namespace/name order.
pub fn sync_all(_cluster: &mut Cluster) {}
