//! The kubelet's admission of a pod bound to its node (`pkg/kubelet/lifecycle/predicate.go`, the predicate admit
//! handler): before it starts a pod, the kubelet checks the pod against its node and the pods it already admitted,
//! and refuses it (`Kubelet.rejectPod`: phase `Failed`, a reason, `Pod was rejected: <message>` and a Warning
//! event) when it does not fit. A pod that names its node (`spec.nodeName`) never met the scheduler, so this is
//! where an overcommitted node, a node selector that does not match, a used host port or an untolerated
//! `NoExecute` taint stop it.
//!
//! Modelled, in the handler's order: the `kubernetes.io/os` label and `spec.os` against the node's OS (the node's
//! own `kubernetes.io/os` label, `linux` when it has none: the kubelet's `runtime.GOOS`), then `generalFilter`:
//! the scheduler's `AdmissionCheck` with every failure (resources with the pod count first, required node
//! affinity and node selector, host ports) and the `NoExecute` taints. Only the first failure is the reason.
//! Not modelled: other admit handlers (eviction pressure, sysctls, topology and device managers) and the
//! admission-failure handler's critical-pod preemption.

use crate::api::core_v1::{Node, Pod};
use crate::helpers::node_affinity::RequiredNodeAffinity;
use crate::helpers::ports::{host_ports, ports_conflict, HostPort};
use crate::helpers::resources::{is_extended_resource, pod_requests, Resource, CPU, EPHEMERAL_STORAGE, MEMORY, PODS};
use crate::helpers::taints::{find_untolerated, NO_EXECUTE};

/// `v1.LabelOSStable`.
const LABEL_OS: &str = "kubernetes.io/os";

/// What the kubelet of one node has admitted: the pods' summed requests, their count and their host ports
/// (the `NodeInfo` it builds from the pods it runs).
#[derive(Clone, Debug, Default)]
pub struct Admitted {
    requested: Resource,
    pods: i64,
    ports: Vec<HostPort>,
}

impl Admitted {
    /// Count a pod the kubelet runs on the node.
    pub fn add(&mut self, pod: &Pod) {
        self.requested.add(&Resource::from_requests(&pod_requests(&pod.spec, false)));
        self.pods += 1;
        self.ports.extend(host_ports(pod));
    }
}

/// Why the kubelet refuses a pod: the pod's `status.reason` and the message that follows `Pod was rejected: `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub reason: String,
    pub message: String,
}

/// `predicateAdmitHandler.Admit`: `None` when the pod is admitted.
pub fn admit(pod: &Pod, node: &Node, admitted: &Admitted) -> Option<Refusal> {
    let os = node.metadata.labels.get(LABEL_OS).map_or("linux", String::as_str);
    if pod.metadata.labels.get(LABEL_OS).is_some_and(|want| want != os) {
        return Some(Refusal {
            reason: "PodOSSelectorNodeLabelDoesNotMatch".into(),
            message: "Failed to admit pod as the `kubernetes.io/os` label doesn't match node label".into(),
        });
    }
    if pod.spec.os.as_ref().is_some_and(|o| o.name != os) {
        return Some(Refusal {
            reason: "PodOSNotSupported".into(),
            message: "Failed to admit pod as the OS field doesn't match node OS".into(),
        });
    }
    general_filter(pod, node, admitted).into_iter().next()
}

/// `generalFilter`: every failure, in order; the handler keeps the first.
fn general_filter(pod: &Pod, node: &Node, admitted: &Admitted) -> Vec<Refusal> {
    let mut out: Vec<Refusal> = insufficient(pod, node, admitted).into_iter().map(Insufficient::refusal).collect();
    if !RequiredNodeAffinity::of(&pod.spec).matches(node) {
        out.push(predicate("NodeAffinity", "node(s) didn't match Pod's node affinity/selector"));
    }
    if host_ports(pod).iter().any(|p| ports_conflict(&admitted.ports, p)) {
        out.push(predicate("NodePorts", "node(s) didn't have free ports for the requested pod ports"));
    }
    if find_untolerated(&node.spec.taints, &pod.spec.tolerations, |t| t.effect == NO_EXECUTE).is_some() {
        out.push(predicate("TaintToleration", "node(s) had taints that the pod didn't tolerate"));
    }
    out
}

/// `PredicateFailureError`: the reason is the predicate's name.
fn predicate(name: &str, desc: &str) -> Refusal {
    Refusal { reason: name.into(), message: format!("Predicate {name} failed: {desc}") }
}

/// `InsufficientResourceError`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Insufficient {
    resource: String,
    requested: i64,
    used: i64,
    capacity: i64,
}

impl Insufficient {
    /// `OutOf<resource>` (`OutOfcpu`, `OutOfmemory`, `OutOfpods`, ...) and the error's text.
    fn refusal(self) -> Refusal {
        Refusal {
            reason: format!("OutOf{}", self.resource),
            message: format!(
                "Node didn't have enough resource: {}, requested: {}, used: {}, capacity: {}",
                self.resource, self.requested, self.used, self.capacity
            ),
        }
    }
}

/// `noderesources.Fits` as the kubelet calls it: the pod count first, then cpu (millicores), memory,
/// ephemeral storage and the other scalar resources in name order. Extended resources the node does not have
/// are left out first (`removeMissingExtendedResources`: they may be cluster-level resources).
fn insufficient(pod: &Pod, node: &Node, admitted: &Admitted) -> Vec<Insufficient> {
    let status = &node.status;
    let allocatable = Resource::from_list(if status.allocatable.is_empty() { &status.capacity } else { &status.allocatable });
    let mut want = Resource::from_requests(&pod_requests(&pod.spec, false));
    want.scalar.retain(|name, _| !is_extended_resource(name) || allocatable.scalar.contains_key(name));
    let used = &admitted.requested;
    let mut out = Vec::new();
    if admitted.pods + 1 > allocatable.allowed_pod_number {
        out.push(Insufficient { resource: PODS.into(), requested: 1, used: admitted.pods, capacity: allocatable.allowed_pod_number });
    }
    if want.is_zero() && want.scalar.is_empty() {
        return out;
    }
    let mut names = vec![CPU.to_owned(), MEMORY.to_owned(), EPHEMERAL_STORAGE.to_owned()];
    names.extend(want.scalar.keys().cloned());
    for name in names {
        let (requested, capacity, in_use) = (want.get(&name), allocatable.get(&name), used.get(&name));
        if requested > 0 && requested > capacity.wrapping_sub(in_use) {
            out.push(Insufficient { resource: name, requested, used: in_use, capacity });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::{Container, ContainerPort, PodOS, Taint, Toleration};
    use crate::api::Quantity;

    fn node(cpu: &str, pods: &str) -> Node {
        let mut n = Node::default();
        n.metadata.name = "n1".into();
        n.status.capacity.insert("cpu".into(), Quantity::parse(cpu).unwrap());
        n.status.capacity.insert("memory".into(), Quantity::parse("8Gi").unwrap());
        n.status.capacity.insert("pods".into(), Quantity::parse(pods).unwrap());
        n
    }

    fn pod(cpu: &str) -> Pod {
        let mut c = Container { name: "c".into(), ..Default::default() };
        if !cpu.is_empty() {
            c.resources.requests.insert("cpu".into(), Quantity::parse(cpu).unwrap());
        }
        let mut p = Pod::default();
        p.spec.node_name = "n1".into();
        p.spec.containers.push(c);
        p
    }

    #[test]
    fn a_pod_asking_more_cpu_than_the_node_has_is_out_of_cpu() {
        let r = admit(&pod("10"), &node("4", "110"), &Admitted::default()).expect("refused");
        assert_eq!(r.reason, "OutOfcpu");
        assert_eq!(r.message, "Node didn't have enough resource: cpu, requested: 10000, used: 0, capacity: 4000");
        assert_eq!(admit(&pod("4"), &node("4", "110"), &Admitted::default()), None);
    }

    #[test]
    fn what_the_node_already_runs_counts() {
        let mut admitted = Admitted::default();
        admitted.add(&pod("3"));
        let r = admit(&pod("2"), &node("4", "110"), &admitted).expect("refused");
        assert_eq!(r.message, "Node didn't have enough resource: cpu, requested: 2000, used: 3000, capacity: 4000");
        // The pod count comes first, even for a pod that asks nothing.
        let r = admit(&pod(""), &node("4", "1"), &admitted).expect("refused");
        assert_eq!((r.reason.as_str(), r.message.as_str()), ("OutOfpods", "Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1"));
    }

    #[test]
    fn extended_resources_the_node_lacks_are_not_checked() {
        let mut p = pod("");
        p.spec.containers[0].resources.requests.insert("example.com/gpu".into(), Quantity::parse("1").unwrap());
        assert_eq!(admit(&p, &node("4", "110"), &Admitted::default()), None);
        let mut n = node("4", "110");
        n.status.capacity.insert("example.com/gpu".into(), Quantity::parse("0").unwrap());
        assert_eq!(admit(&p, &n, &Admitted::default()).map(|r| r.reason), Some("OutOfexample.com/gpu".into()));
    }

    #[test]
    fn selector_ports_taints_and_os_are_predicates() {
        let n = node("4", "110");
        let mut p = pod("");
        p.spec.node_selector.insert("disk".into(), "ssd".into());
        let r = admit(&p, &n, &Admitted::default()).expect("refused");
        assert_eq!((r.reason.as_str(), r.message.as_str()), ("NodeAffinity", "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"));

        let mut p = pod("");
        p.spec.containers[0].ports.push(ContainerPort { container_port: 80, host_port: 8080, ..Default::default() });
        let mut admitted = Admitted::default();
        assert_eq!(admit(&p, &n, &admitted), None);
        admitted.add(&p);
        assert_eq!(admit(&p, &n, &admitted).map(|r| r.reason), Some("NodePorts".into()));

        let mut tainted = node("4", "110");
        tainted.spec.taints.push(Taint { key: "k".into(), effect: "NoSchedule".into(), ..Default::default() });
        assert_eq!(admit(&pod(""), &tainted, &Admitted::default()), None, "the kubelet looks at NoExecute only");
        tainted.spec.taints.push(Taint { key: "gone".into(), effect: "NoExecute".into(), ..Default::default() });
        let r = admit(&pod(""), &tainted, &Admitted::default()).expect("refused");
        assert_eq!(r.message, "Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate");
        let mut tolerant = pod("");
        tolerant.spec.tolerations.push(Toleration { key: "gone".into(), operator: "Exists".into(), ..Default::default() });
        assert_eq!(admit(&tolerant, &tainted, &Admitted::default()), None);

        let mut windows = pod("");
        windows.spec.os = Some(Box::new(PodOS { name: "windows".into() }));
        assert_eq!(admit(&windows, &n, &Admitted::default()).map(|r| r.reason), Some("PodOSNotSupported".into()));
    }

    #[test]
    fn resources_come_before_the_other_predicates() {
        let mut p = pod("10");
        p.spec.node_selector.insert("disk".into(), "ssd".into());
        assert_eq!(admit(&p, &node("4", "110"), &Admitted::default()).map(|r| r.reason), Some("OutOfcpu".into()));
    }
}
