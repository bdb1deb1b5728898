//! NodePorts: a host port (same protocol and port, on the same IP or on 0.0.0.0 either side) can be used by one
//! pod per node.

use std::rc::Rc;

use crate::scheduler::config::Args;
use crate::scheduler::framework::{
    ports_conflict, CycleState, FilterPlugin, Handle, HostPort, Instance, NodeInfo, Plugin, PodInfo, PreFilterPlugin,
    PreFilterResult, Reason, Status,
};

pub const NAME: &str = "NodePorts";

pub struct NodePorts;

/// The PreFilter state: the ports the pod wants.
#[derive(Clone, Debug)]
struct Wanted(Vec<HostPort>);

pub fn new(_: Option<&Args>) -> Result<Instance, String> {
    let p = Rc::new(NodePorts);
    Ok(Instance { pre_filter: Some(p.clone()), filter: Some(p), ..Instance::new(NAME) })
}

impl Plugin for NodePorts {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl PreFilterPlugin for NodePorts {
    /// A pod without host ports skips the Filter.
    fn pre_filter(&self, _: &Handle<'_>, state: &mut CycleState, pod: &PodInfo) -> Result<PreFilterResult, Status> {
        if pod.record.host_ports.is_empty() {
            return Err(Status::skip());
        }
        state.write(Wanted(pod.record.host_ports.clone()));
        Ok(None)
    }
}

impl FilterPlugin for NodePorts {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<(), Status> {
        let wanted = state.read::<Wanted>().map_or(&pod.record.host_ports, |w| &w.0);
        if wanted.iter().any(|w| ports_conflict(&node.used_ports, w)) {
            Err(Status::unschedulable(Reason::NodePortsConflict))
        } else {
            Ok(())
        }
    }
}
