//! PodTopologySpread: hard constraints filter, soft constraints (or the system defaults) score.

use crate::scheduler::framework::{NodeInfo, PodInfo, Status};

pub const NAME: &str = "PodTopologySpread";
pub const WEIGHT: i64 = 2;

/// PreFilter state for hard constraints.
#[derive(Clone, Debug, Default)]
pub struct State {}

pub fn filter(_state: Option<&State>, _pod: &PodInfo, _node: &NodeInfo) -> Option<Status> {
    None
}

/// PreFilter: the hard constraints' state, `None` when the pod has none.
pub fn pre_filter(
    _cluster: &crate::cluster::Cluster,
    _snapshot: &crate::scheduler::Snapshot,
    _pod: &PodInfo,
) -> Result<Option<State>, Status> {
    Ok(None)
}

/// PreScore, Score and NormalizeScore over the feasible nodes; `None` when PreScore skips.
pub fn score_all(
    _cluster: &crate::cluster::Cluster,
    _snapshot: &crate::scheduler::Snapshot,
    _pod: &PodInfo,
    _nodes: &[&NodeInfo],
) -> Option<Vec<i64>> {
    None
}
