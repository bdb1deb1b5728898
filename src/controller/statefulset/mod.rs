//! The StatefulSet controller (`pkg/controller/statefulset`).

use crate::cluster::Cluster;

pub const COMPONENT: &str = "statefulset-controller";

/// Sync every StatefulSet, in namespace/name order.
pub fn sync_all(_cluster: &mut Cluster) {}
