//! NodeName: a pod that names a node fits only that node.

use crate::scheduler::framework::{NodeInfo, PodInfo, Status};

pub const NAME: &str = "NodeName";
pub const REASON: &str = "node(s) didn't match the requested node name";

pub fn filter(pod: &PodInfo, node: &NodeInfo) -> Option<Status> {
    let wanted = &pod.pod.spec.node_name;
    if wanted.is_empty() || wanted == node.name() {
        None
    } else {
        Some(Status::unresolvable(NAME, REASON))
    }
}
