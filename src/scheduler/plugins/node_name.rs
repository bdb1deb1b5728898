//! NodeName: a pod that names a node fits only that node.

use std::rc::Rc;

use crate::scheduler::config::Args;
use crate::scheduler::framework::{CycleState, FilterPlugin, Instance, NodeInfo, Plugin, PodInfo, Reason, Status};

pub const NAME: &str = "NodeName";

pub struct NodeName;

pub fn new(_: Option<&Args>) -> Result<Instance, String> {
    Ok(Instance { filter: Some(Rc::new(NodeName)), ..Instance::new(NAME) })
}

impl Plugin for NodeName {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl FilterPlugin for NodeName {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<(), Status> {
        let wanted = &pod.pod.spec.node_name;
        if wanted.is_empty() || wanted == node.name() {
            Ok(())
        } else {
            Err(Status::unresolvable(Reason::NodeNameMismatch))
        }
    }
}
