//! The ReplicaSet controller (`pkg/controller/replicaset`).

use crate::cluster::Cluster;

pub const COMPONENT: &str = "replicaset-controller";

/// Sync every ReplicaSet, in namespace/name order.
pub fn sync_all(_cluster: &mut Cluster) {}
