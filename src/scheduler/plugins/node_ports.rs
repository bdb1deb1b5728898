//! NodePorts: a host port (same protocol and port, on the same IP or on 0.0.0.0 either side) can be used by one
//! pod per node.

use crate::scheduler::framework::{ports_conflict, HostPort, NodeInfo, PodInfo, Status};

pub const NAME: &str = "NodePorts";
pub const REASON: &str = "node(s) didn't have free ports for the requested pod ports";

/// PreFilter: the ports the pod wants; empty means Filter is skipped.
pub fn pre_filter(pod: &PodInfo) -> Vec<HostPort> {
    pod.host_ports.clone()
}

pub fn filter(wanted: &[HostPort], node: &NodeInfo) -> Option<Status> {
    if wanted.iter().any(|w| ports_conflict(&node.used_ports, w)) {
        Some(Status::unschedulable(NAME, REASON))
    } else {
        None
    }
}
