//! NodeUnschedulable: cordoned nodes (`spec.unschedulable`) take only pods that tolerate the
//! `node.kubernetes.io/unschedulable:NoSchedule` taint.

use crate::api::core_v1::Taint;
use crate::helpers::taints::tolerated;
use crate::scheduler::framework::{NodeInfo, PodInfo, Status};

pub const NAME: &str = "NodeUnschedulable";
pub const REASON: &str = "node(s) were unschedulable";

pub fn filter(pod: &PodInfo, node: &NodeInfo) -> Option<Status> {
    if !node.node.spec.unschedulable {
        return None;
    }
    let taint = Taint {
        key: "node.kubernetes.io/unschedulable".into(),
        effect: "NoSchedule".into(),
        ..Default::default()
    };
    if tolerated(pod.tolerations(), &taint) {
        return None;
    }
    Some(Status::unresolvable(NAME, REASON))
}
