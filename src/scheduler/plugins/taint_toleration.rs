//! TaintToleration: rejects nodes with an untolerated NoSchedule or NoExecute taint (the first one, in the node's
//! order, names the reason); scores nodes by how few PreferNoSchedule taints the pod does not tolerate.

use crate::api::core_v1::Toleration;
use crate::helpers::taints::{find_untolerated, is_no_schedule_or_no_execute, tolerated, PREFER_NO_SCHEDULE};
use crate::scheduler::framework::{NodeInfo, PodInfo, Status};

pub const NAME: &str = "TaintToleration";
pub const WEIGHT: i64 = 3;

pub fn filter(pod: &PodInfo, node: &NodeInfo) -> Option<Status> {
    let taint = find_untolerated(&node.node.spec.taints, pod.tolerations(), is_no_schedule_or_no_execute)?;
    Some(Status::unresolvable(NAME, format!("node(s) had untolerated taint {{{}: {}}}", taint.key, taint.value)))
}

/// PreScore: the tolerations that can tolerate PreferNoSchedule taints (empty effect or PreferNoSchedule).
pub fn prefer_no_schedule_tolerations(pod: &PodInfo) -> Vec<Toleration> {
    pod.tolerations().iter().filter(|t| t.effect.is_empty() || t.effect == PREFER_NO_SCHEDULE).cloned().collect()
}

/// Score: the number of PreferNoSchedule taints not tolerated.
pub fn score(tolerations: &[Toleration], node: &NodeInfo) -> i64 {
    node.node.spec.taints.iter().filter(|t| t.effect == PREFER_NO_SCHEDULE && !tolerated(tolerations, t)).count() as i64
}

/// NormalizeScore: `DefaultNormalizeScore(100, reverse)`; fewer untolerated taints score higher.
pub fn normalize(scores: &mut [i64]) {
    crate::scheduler::normalize::default_normalize(scores, true);
}
