//! NodeUnschedulable: cordoned nodes (`spec.unschedulable`) take only pods that tolerate the
//! `node.kubernetes.io/unschedulable:NoSchedule` taint.

use std::rc::Rc;

use crate::api::core_v1::Taint;
use crate::helpers::taints::tolerated;
use crate::scheduler::config::Args;
use crate::scheduler::framework::{CycleState, FilterPlugin, Instance, NodeInfo, Plugin, PodInfo, Reason, Status};

pub const NAME: &str = "NodeUnschedulable";

pub struct NodeUnschedulable;

pub fn new(_: Option<&Args>) -> Result<Instance, String> {
    Ok(Instance { filter: Some(Rc::new(NodeUnschedulable)), ..Instance::new(NAME) })
}

impl Plugin for NodeUnschedulable {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl FilterPlugin for NodeUnschedulable {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<(), Status> {
        if !node.node.unschedulable {
            return Ok(());
        }
        let taint = Taint { key: "node.kubernetes.io/unschedulable".into(), effect: "NoSchedule".into(), ..Default::default() };
        if tolerated(pod.tolerations(), &taint) {
            return Ok(());
        }
        Err(Status::unresolvable(Reason::NodeUnschedulable))
    }
}
