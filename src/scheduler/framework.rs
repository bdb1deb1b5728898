//! The scheduling framework's vocabulary (`pkg/scheduler/framework`): statuses, the per-node and per-pod facts the
//! plugins read, and the error message a pod gets when no node fits.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::api::core_v1::{Node, Pod, Toleration};
use crate::api::labels::Labels;
use crate::helpers::node_affinity::RequiredNodeAffinity;
use crate::helpers::resources::{pod_requests, Resource, CPU, MEMORY};

/// `framework.Code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Success,
    Error,
    /// Preemption may help.
    Unschedulable,
    /// Preemption will not help.
    UnschedulableAndUnresolvable,
    Skip,
}

/// `framework.Status`: a code, the reasons, and the plugin that produced it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub code: Code,
    pub reasons: Vec<String>,
    pub plugin: &'static str,
}

impl Status {
    pub fn success() -> Status {
        Status { code: Code::Success, reasons: Vec::new(), plugin: "" }
    }

    pub fn new(code: Code, plugin: &'static str, reason: impl Into<String>) -> Status {
        Status { code, reasons: vec![reason.into()], plugin }
    }

    pub fn unschedulable(plugin: &'static str, reason: impl Into<String>) -> Status {
        Status::new(Code::Unschedulable, plugin, reason)
    }

    pub fn unresolvable(plugin: &'static str, reason: impl Into<String>) -> Status {
        Status::new(Code::UnschedulableAndUnresolvable, plugin, reason)
    }

    pub fn is_success(&self) -> bool {
        self.code == Code::Success
    }

    /// `Status.IsRejected`: unschedulable, resolvable or not.
    pub fn is_rejected(&self) -> bool {
        matches!(self.code, Code::Unschedulable | Code::UnschedulableAndUnresolvable)
    }

    /// `Status.Message`: the reasons joined with ", ".
    pub fn message(&self) -> String {
        self.reasons.join(", ")
    }
}

/// A host port a pod uses: `(ip, protocol, port)` with Kubernetes' defaults filled in (`0.0.0.0`, `TCP`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostPort {
    pub ip: String,
    pub protocol: String,
    pub port: i32,
}

/// The host ports of a pod's regular containers (`schedutil.GetHostPorts`; init containers are ignored).
pub fn host_ports(pod: &Pod) -> Vec<HostPort> {
    let mut out = Vec::new();
    for c in &pod.spec.containers {
        for p in &c.ports {
            if p.host_port <= 0 {
                continue;
            }
            out.push(HostPort {
                ip: if p.host_ip.is_empty() { "0.0.0.0".into() } else { p.host_ip.clone() },
                protocol: if p.protocol.is_empty() { "TCP".into() } else { p.protocol.clone() },
                port: p.host_port,
            });
        }
    }
    out
}

/// `HostPortInfo.CheckConflict`: the same protocol and port on the same IP, or where either side is 0.0.0.0.
pub fn ports_conflict(used: &[HostPort], wanted: &HostPort) -> bool {
    used.iter().any(|u| {
        u.port == wanted.port
            && u.protocol == wanted.protocol
            && (u.ip == wanted.ip || u.ip == "0.0.0.0" || wanted.ip == "0.0.0.0")
    })
}

/// What the scheduler knows about a pod: its object and the derived facts every plugin needs.
#[derive(Debug)]
pub struct PodInfo {
    pub pod: Pod,
    /// Requests as the Fit filter counts them (no defaults for missing requests).
    pub requests: Resource,
    /// Requests with the scheduler's non-zero defaults, as scoring counts them.
    pub non_zero: Resource,
    pub host_ports: Vec<HostPort>,
    pub required_affinity: RequiredNodeAffinity,
    pub priority: i32,
    /// Position on the cluster's logical clock (creation order).
    pub creation: u64,
}

impl PodInfo {
    pub fn new(pod: Pod) -> PodInfo {
        let requests = Resource::from_requests(&pod_requests(&pod.spec, false));
        let nz = pod_requests(&pod.spec, true);
        let mut non_zero = Resource::default();
        non_zero.milli_cpu = Resource::from_requests(&nz).milli_cpu;
        non_zero.memory = Resource::from_requests(&nz).memory;
        let _ = (CPU, MEMORY);
        PodInfo {
            host_ports: host_ports(&pod),
            required_affinity: RequiredNodeAffinity::of(&pod.spec),
            priority: pod.spec.priority.unwrap_or(0),
            creation: crate::cluster::Store::creation_index(&pod.metadata),
            requests,
            non_zero,
            pod,
        }
    }

    pub fn name(&self) -> &str {
        &self.pod.metadata.name
    }

    pub fn namespace(&self) -> &str {
        &self.pod.metadata.namespace
    }

    pub fn labels(&self) -> &Labels {
        &self.pod.metadata.labels
    }

    pub fn tolerations(&self) -> &[Toleration] {
        &self.pod.spec.tolerations
    }
}

/// `framework.NodeInfo`: a node and what its assigned pods use.
#[derive(Clone, Debug)]
pub struct NodeInfo {
    pub node: Node,
    pub pods: Vec<Rc<PodInfo>>,
    pub allocatable: Resource,
    pub requested: Resource,
    pub non_zero_requested: Resource,
    pub used_ports: Vec<HostPort>,
}

impl NodeInfo {
    pub fn new(node: Node) -> NodeInfo {
        let s = &node.status;
        let allocatable = Resource::from_list(if s.allocatable.is_empty() { &s.capacity } else { &s.allocatable });
        NodeInfo {
            node,
            pods: Vec::new(),
            allocatable,
            requested: Resource::default(),
            non_zero_requested: Resource::default(),
            used_ports: Vec::new(),
        }
    }

    pub fn name(&self) -> &str {
        &self.node.metadata.name
    }

    /// `NodeInfo.AddPod`.
    pub fn add_pod(&mut self, pod: Rc<PodInfo>) {
        self.requested.add(&pod.requests);
        self.non_zero_requested.add(&pod.non_zero);
        self.used_ports.extend(pod.host_ports.iter().cloned());
        self.pods.push(pod);
    }

    /// `NodeInfo.RemovePod`.
    pub fn remove_pod(&mut self, namespace: &str, name: &str) -> Option<Rc<PodInfo>> {
        let i = self.pods.iter().position(|p| p.namespace() == namespace && p.name() == name)?;
        let pod = self.pods.remove(i);
        self.requested.sub(&pod.requests);
        self.non_zero_requested.sub(&pod.non_zero);
        for hp in &pod.host_ports {
            if let Some(j) = self.used_ports.iter().position(|u| u == hp) {
                self.used_ports.remove(j);
            }
        }
        Some(pod)
    }
}

/// Per-node statuses of one scheduling attempt (`framework.NodeToStatus`).
#[derive(Clone, Debug)]
pub struct NodeToStatus {
    pub explicit: BTreeMap<String, Status>,
    /// The status of every node without an explicit one.
    pub absent: Status,
}

impl Default for NodeToStatus {
    fn default() -> Self {
        NodeToStatus { explicit: BTreeMap::new(), absent: Status { code: Code::UnschedulableAndUnresolvable, reasons: vec![], plugin: "" } }
    }
}

impl NodeToStatus {
    pub fn get(&self, node: &str) -> &Status {
        self.explicit.get(node).unwrap_or(&self.absent)
    }
}

/// `framework.FitError.Error`: `0/N nodes are available: <reasons>.` and the PostFilter message.
pub fn fit_error_message(num_all_nodes: usize, statuses: &NodeToStatus, pre_filter_msg: &str, post_filter_msg: &str) -> String {
    let mut msg = format!("0/{num_all_nodes} nodes are available:");
    if !pre_filter_msg.is_empty() {
        msg.push_str(&format!(" {pre_filter_msg}."));
    } else {
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for s in statuses.explicit.values() {
            for r in &s.reasons {
                *reasons.entry(r).or_default() += 1;
            }
        }
        if statuses.explicit.len() < num_all_nodes {
            for r in &statuses.absent.reasons {
                *reasons.entry(r).or_default() += num_all_nodes - statuses.explicit.len();
            }
        }
        let mut entries: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        entries.sort();
        if !entries.is_empty() {
            msg.push_str(&format!(" {}.", entries.join(", ")));
        }
    }
    if !post_filter_msg.is_empty() {
        msg.push_str(&format!(" {post_filter_msg}"));
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_counted_and_sorted_as_strings() {
        let mut s = NodeToStatus::default();
        for i in 0..10 {
            s.explicit.insert(format!("a{i}"), Status::unresolvable("X", "node(s) were unschedulable"));
        }
        s.explicit.insert("b".into(), Status::unschedulable("Y", "Insufficient cpu"));
        s.explicit.insert("c".into(), Status::unschedulable("Y", "Insufficient cpu"));
        assert_eq!(
            fit_error_message(12, &s, "", ""),
            "0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu."
        );
    }

    #[test]
    fn absent_nodes_take_the_absent_status() {
        let mut s = NodeToStatus::default();
        s.absent = Status::unresolvable("", "node(s) didn't satisfy plugin(s) [NodeAffinity]");
        s.explicit.insert("n1".into(), Status::unschedulable("NodeResourcesFit", "Insufficient cpu"));
        assert_eq!(
            fit_error_message(5, &s, "", "preemption: x"),
            "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: x"
        );
    }

    #[test]
    fn port_conflicts() {
        let hp = |ip: &str, p: i32| HostPort { ip: ip.into(), protocol: "TCP".into(), port: p };
        assert!(ports_conflict(&[hp("0.0.0.0", 80)], &hp("10.0.0.1", 80)));
        assert!(ports_conflict(&[hp("10.0.0.1", 80)], &hp("0.0.0.0", 80)));
        assert!(!ports_conflict(&[hp("10.0.0.1", 80)], &hp("10.0.0.2", 80)));
        assert!(!ports_conflict(&[hp("0.0.0.0", 80)], &HostPort { ip: "0.0.0.0".into(), protocol: "UDP".into(), port: 80 }));
    }
}
