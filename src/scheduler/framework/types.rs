//! The scheduling framework's vocabulary (`pkg/scheduler/framework/types.go`): the per-node and per-pod facts the
//! plugins read, the per-node statuses of a scheduling attempt, and the error message a pod gets when no node
//! fits.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use crate::api::core_v1::{ContainerImage, Node, Pod, PodAffinityTerm, Taint, Toleration, WeightedPodAffinityTerm};
use crate::api::labels::{Labels, Selector};
use crate::helpers::node_affinity::{NodeFields, RequiredNodeAffinity};
use crate::helpers::resources::{pod_requests, Resource};

use super::status::{Code, Reason, Status};

pub use crate::helpers::ports::{host_ports, ports_conflict, HostPort};

/// `framework.AffinityTerm`: a pod (anti-)affinity term with its selectors parsed. The term selects pods in
/// `namespaces` or in namespaces whose labels `namespace_selector` matches.
#[derive(Clone, Debug)]
pub struct AffinityTerm {
    pub namespaces: Vec<String>,
    pub selector: Selector,
    pub topology_key: String,
    pub namespace_selector: Selector,
}

impl AffinityTerm {
    /// `newAffinityTerm`: no namespaces and no namespace selector mean the owning pod's namespace. An invalid
    /// selector makes the whole term list unusable, as `GetAffinityTerms` returns nothing on error.
    fn parse(owner: &Pod, term: &PodAffinityTerm) -> Result<AffinityTerm, String> {
        let selector = Selector::from_label_selector(term.label_selector.as_deref())?;
        let namespace_selector = Selector::from_label_selector(term.namespace_selector.as_deref())?;
        let namespaces = if term.namespaces.is_empty() && term.namespace_selector.is_none() {
            vec![owner.metadata.namespace.clone()]
        } else {
            term.namespaces.clone()
        };
        Ok(AffinityTerm { namespaces, selector, topology_key: term.topology_key.clone(), namespace_selector })
    }

    /// `AffinityTerm.Matches`: the pod is in one of the term's namespaces (or its namespace's labels match the
    /// namespace selector) and its labels match the selector. `ns_labels` is `None` where Kubernetes passes nil.
    pub fn matches(&self, pod: &impl PodFields, ns_labels: Option<&Labels>) -> bool {
        let empty = Labels::new();
        let in_namespace = self.namespaces.iter().any(|n| n == pod.namespace())
            || self.namespace_selector.matches(ns_labels.unwrap_or(&empty));
        in_namespace && self.selector.matches(pod.labels())
    }
}

/// What a pod (anti-)affinity term reads of a pod: its namespace and its labels. Terms are matched against the
/// pod being placed (its object) and against the pods on nodes (their [`PodRecord`]s).
pub trait PodFields {
    fn namespace(&self) -> &str;
    fn labels(&self) -> &Labels;
}

impl PodFields for Pod {
    fn namespace(&self) -> &str {
        &self.metadata.namespace
    }

    fn labels(&self) -> &Labels {
        &self.metadata.labels
    }
}

impl PodFields for PodRecord {
    fn namespace(&self) -> &str {
        &self.namespace
    }

    fn labels(&self) -> &Labels {
        &self.labels
    }
}

/// `framework.WeightedAffinityTerm`.
#[derive(Clone, Debug)]
pub struct WeightedAffinityTerm {
    pub term: AffinityTerm,
    pub weight: i32,
}

/// The parsed pod (anti-)affinity of a pod (`PodInfo`'s four term lists).
#[derive(Clone, Debug, Default)]
pub struct PodAffinityInfo {
    pub required_affinity: Vec<AffinityTerm>,
    pub required_anti_affinity: Vec<AffinityTerm>,
    pub preferred_affinity: Vec<WeightedAffinityTerm>,
    pub preferred_anti_affinity: Vec<WeightedAffinityTerm>,
    /// The pod declares `podAffinity` or `podAntiAffinity` (`NodeInfo.PodsWithAffinity`).
    pub declared: bool,
    /// A term's selector could not be parsed (`NewPodInfo` returned an error).
    pub parse_error: Option<String>,
}

impl PodAffinityInfo {
    /// `PodInfo.Update`: the four term lists; a list with an unparsable term is left empty.
    pub fn of(pod: &Pod) -> PodAffinityInfo {
        let Some(affinity) = pod.spec.affinity.as_deref() else { return PodAffinityInfo::default() };
        let pa = affinity.pod_affinity.as_deref();
        let paa = affinity.pod_anti_affinity.as_deref();
        let mut errors = Vec::new();
        let mut terms = |list: &[PodAffinityTerm], what: &str| -> Vec<AffinityTerm> {
            match list.iter().map(|t| AffinityTerm::parse(pod, t)).collect::<Result<Vec<_>, _>>() {
                Ok(v) => v,
                Err(e) => {
                    errors.push(format!("{what}: {e}"));
                    Vec::new()
                }
            }
        };
        let required_affinity = terms(pa.map_or(&[][..], |a| &a.required_during_scheduling_ignored_during_execution), "requiredAffinityTerms");
        let required_anti_affinity =
            terms(paa.map_or(&[][..], |a| &a.required_during_scheduling_ignored_during_execution), "requiredAntiAffinityTerms");
        let mut weighted = |list: &[WeightedPodAffinityTerm], what: &str| -> Vec<WeightedAffinityTerm> {
            let parsed: Result<Vec<_>, _> = list
                .iter()
                .map(|w| AffinityTerm::parse(pod, &w.pod_affinity_term).map(|term| WeightedAffinityTerm { term, weight: w.weight }))
                .collect();
            parsed.unwrap_or_else(|e| {
                errors.push(format!("{what}: {e}"));
                Vec::new()
            })
        };
        let preferred_affinity =
            weighted(pa.map_or(&[][..], |a| &a.preferred_during_scheduling_ignored_during_execution), "preferredAffinityTerms");
        let preferred_anti_affinity = weighted(
            paa.map_or(&[][..], |a| &a.preferred_during_scheduling_ignored_during_execution),
            "preferredAntiAffinityTerms",
        );
        PodAffinityInfo {
            required_affinity,
            required_anti_affinity,
            preferred_affinity,
            preferred_anti_affinity,
            declared: pa.is_some() || paa.is_some(),
            parse_error: (!errors.is_empty()).then(|| errors.join(", ")),
        }
    }

    /// `NodeInfo.PodsWithRequiredAntiAffinity` membership.
    pub fn has_required_anti_affinity(&self) -> bool {
        !self.required_anti_affinity.is_empty()
    }
}

/// The pod a scheduling cycle places (`framework.PodInfo` of the pod popped from the queue): its object, which
/// the plugins read for what only the pod being placed is asked (its spec's node affinity, volumes, spread
/// constraints, preemption policy), and its [`PodRecord`], which is what the node it lands on keeps of it.
#[derive(Debug)]
pub struct PodInfo {
    /// The pod as the store holds it, shared with the store rather than copied.
    pub pod: Arc<Pod>,
    pub record: PodRecord,
    pub required_affinity: RequiredNodeAffinity,
}

impl PodInfo {
    pub fn new(pod: Arc<Pod>) -> PodInfo {
        let labels = Rc::new(pod.metadata.labels.clone());
        PodInfo::sharing(pod, labels)
    }

    /// [`PodInfo::new`] with the pod's labels given as a set equal to them, shared with other pods' records (the
    /// snapshot's [`Snapshot::pod_info`](crate::scheduler::snapshot::Snapshot::pod_info)).
    pub fn sharing(pod: Arc<Pod>, labels: Rc<Labels>) -> PodInfo {
        PodInfo { record: PodRecord::sharing(&pod, labels), required_affinity: RequiredNodeAffinity::of(&pod.spec), pod }
    }

    pub fn name(&self) -> &str {
        &self.record.name
    }

    pub fn namespace(&self) -> &str {
        &self.record.namespace
    }

    pub fn uid(&self) -> &str {
        &self.record.uid
    }

    pub fn labels(&self) -> &Labels {
        &self.record.labels
    }

    pub fn tolerations(&self) -> &[Toleration] {
        &self.pod.spec.tolerations
    }
}

/// A pod on a node (or nominated to one) as the snapshot keeps it (`NodeInfo.Pods`): what the plugins read of a
/// pod other than the one they place, and nothing of its object, as a [`NodeRecord`] is what it keeps of a node.
/// A reference to the stored pod would keep each version of it the kubelet replaced alive until the next refresh,
/// and the pod's required node affinity (a DaemonSet pod's names its node) is read only of the pod being placed.
#[derive(Clone, Debug)]
pub struct PodRecord {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    /// Shared by the records of pods with the same labels (the pods of one template): the snapshot keeps every
    /// assigned pod's record, and a set of labels is several allocations.
    pub labels: Rc<Labels>,
    /// `deletionTimestamp` is set.
    pub deleting: bool,
    /// The kubelet's `status.startTime`, if it has started the pod.
    pub start_time: Option<String>,
    /// `DisruptionTarget=True` with reason `PreemptionByScheduler` (`podTerminatingByPreemption` reads it).
    pub disrupted_by_preemption: bool,
    /// Requests as the Fit filter counts them (no defaults for missing requests).
    pub requests: Resource,
    /// Requests with the scheduler's non-zero defaults, as scoring counts them.
    pub non_zero: Resource,
    pub host_ports: Vec<HostPort>,
    pub pod_affinity: PodAffinityInfo,
    pub priority: i32,
    /// Position on the cluster's logical clock (creation order).
    pub creation: u64,
}

impl PodRecord {
    /// `NewPodInfo`: the derived facts (requests, host ports, parsed affinity terms) with what identifies the pod
    /// and the status facts preemption compares.
    pub fn of(pod: &Pod) -> PodRecord {
        PodRecord::sharing(pod, Rc::new(pod.metadata.labels.clone()))
    }

    /// [`PodRecord::of`] with `labels`, a set equal to the pod's, shared with other records.
    pub fn sharing(pod: &Pod, labels: Rc<Labels>) -> PodRecord {
        debug_assert_eq!(*labels, pod.metadata.labels);
        let requests = Resource::from_requests(&pod_requests(&pod.spec, false));
        let nz = Resource::from_requests(&pod_requests(&pod.spec, true));
        let non_zero = Resource { milli_cpu: nz.milli_cpu, memory: nz.memory, ..Default::default() };
        let meta = &pod.metadata;
        PodRecord {
            name: meta.name.clone(),
            namespace: meta.namespace.clone(),
            uid: meta.uid.clone(),
            labels,
            deleting: meta.deletion_timestamp.is_some(),
            start_time: pod.status.start_time.as_ref().and_then(|t| t.0.clone()),
            disrupted_by_preemption: disrupted_by_preemption(pod),
            requests,
            non_zero,
            host_ports: host_ports(pod),
            pod_affinity: PodAffinityInfo::of(pod),
            priority: pod.spec.priority.unwrap_or(0),
            creation: crate::cluster::Store::creation_index(meta),
        }
    }

    /// Whether this record still describes `pod`, a later version of the pod it was made of: the same pod (its
    /// UID) with the same labels and the same status facts. The rest is derived from the spec, which a pod's
    /// writes do not change, so a record that describes the pod equals [`PodRecord::of`] it.
    pub fn describes(&self, pod: &Pod) -> bool {
        self.uid == pod.metadata.uid
            && *self.labels == pod.metadata.labels
            && self.deleting == pod.metadata.deletion_timestamp.is_some()
            && self.start_time.as_deref() == pod.status.start_time.as_ref().and_then(|t| t.0.as_deref())
            && self.disrupted_by_preemption == disrupted_by_preemption(pod)
    }

    /// What [`PodRecord::describes`] compares, between two records: a snapshot's record and a fresh build's.
    #[cfg(debug_assertions)]
    pub fn same_state(&self, other: &PodRecord) -> bool {
        (&self.namespace, &self.name, &self.uid, &self.labels, self.deleting, &self.start_time, self.disrupted_by_preemption)
            == (&other.namespace, &other.name, &other.uid, &other.labels, other.deleting, &other.start_time, other.disrupted_by_preemption)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    pub fn uid(&self) -> &str {
        &self.uid
    }

    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    pub fn is_deleting(&self) -> bool {
        self.deleting
    }

    /// `GetPodStartTime`: the kubelet's start time; a pod that has not started counts as starting now, that is
    /// after every pod that has.
    pub fn start_time(&self) -> Option<&str> {
        self.start_time.as_deref()
    }
}

/// `DisruptionTarget=True` for `PreemptionByScheduler`: the half of `podTerminatingByPreemption` read from the
/// status.
fn disrupted_by_preemption(pod: &Pod) -> bool {
    pod.status
        .conditions
        .iter()
        .find(|c| c.r#type == "DisruptionTarget")
        .is_some_and(|c| c.status == "True" && c.reason == "PreemptionByScheduler")
}

/// A pod in the scheduling queue as the queue sort compares it (`framework.QueuedPodInfo`): its priority and
/// when it entered the queue — in the model, its creation on the cluster's logical clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedPodInfo {
    pub priority: i32,
    pub timestamp: u64,
}

/// `util.MoreImportantPod` as an ordering (more important first): higher priority, then the earlier start; pods
/// that tie take creation order, where Kubernetes' unstable sort leaves them in no particular order.
pub fn more_important_first(a: &PodRecord, b: &PodRecord) -> Ordering {
    b.priority.cmp(&a.priority).then_with(|| cmp_start(a.start_time(), b.start_time())).then(a.creation.cmp(&b.creation))
}

/// Start times in order, a missing one (not started: "now") after every present one.
pub fn cmp_start(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// What the scheduler's plugins read of a node, taken from it when the snapshot is built: its name and labels
/// (node affinity, topology domains), taints (TaintToleration, PodTopologySpread's node inclusion policy),
/// `spec.unschedulable` (NodeUnschedulable) and the images it holds (ImageLocality); its allocatable resources
/// are in [`NodeInfo`]. The snapshot kept a copy of the whole node (about 5 KB each, 0.5 GB for ds-130k's
/// 130,000 nodes) to read these few fields; the store's node itself would do, but reading nodes scattered
/// among the input's allocations made every Filter's first read of a node a cache miss (benches/README.md).
#[derive(Clone, Debug, Default)]
pub struct NodeRecord {
    pub name: String,
    pub labels: Labels,
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
    pub images: Vec<ContainerImage>,
}

impl NodeRecord {
    pub fn of(node: &Node) -> NodeRecord {
        NodeRecord {
            name: node.metadata.name.clone(),
            labels: node.metadata.labels.clone(),
            taints: node.spec.taints.clone(),
            unschedulable: node.spec.unschedulable,
            images: node.status.images.clone(),
        }
    }
}

impl NodeFields for NodeInfo {
    fn name(&self) -> &str {
        &self.node.name
    }

    fn labels(&self) -> &Labels {
        &self.node.labels
    }
}

/// `framework.NodeInfo`: a node and what its assigned pods use.
#[derive(Clone, Debug)]
pub struct NodeInfo {
    pub node: Rc<NodeRecord>,
    /// Position in the snapshot (copies made for preemption keep it).
    pub index: usize,
    pub pods: Vec<Rc<PodRecord>>,
    pub allocatable: Resource,
    pub requested: Resource,
    pub non_zero_requested: Resource,
    pub used_ports: Vec<HostPort>,
    /// How many of `pods` declare pod (anti-)affinity, and how many have required anti-affinity terms.
    pub num_with_affinity: usize,
    pub num_with_required_anti_affinity: usize,
}

impl NodeInfo {
    pub fn new(node: &Node) -> NodeInfo {
        let s = &node.status;
        let allocatable = Resource::from_list(if s.allocatable.is_empty() { &s.capacity } else { &s.allocatable });
        NodeInfo {
            node: Rc::new(NodeRecord::of(node)),
            index: 0,
            pods: Vec::new(),
            allocatable,
            requested: Resource::default(),
            non_zero_requested: Resource::default(),
            used_ports: Vec::new(),
            num_with_affinity: 0,
            num_with_required_anti_affinity: 0,
        }
    }

    pub fn name(&self) -> &str {
        &self.node.name
    }

    pub fn labels(&self) -> &Labels {
        &self.node.labels
    }

    /// `NodeInfo.AddPod`.
    pub fn add_pod(&mut self, pod: Rc<PodRecord>) {
        self.requested.add(&pod.requests);
        self.non_zero_requested.add(&pod.non_zero);
        self.used_ports.extend(pod.host_ports.iter().cloned());
        self.num_with_affinity += usize::from(pod.pod_affinity.declared);
        self.num_with_required_anti_affinity += usize::from(pod.pod_affinity.has_required_anti_affinity());
        self.pods.push(pod);
    }

    /// `NodeInfo.RemovePod`.
    pub fn remove_pod(&mut self, namespace: &str, name: &str) -> Option<Rc<PodRecord>> {
        let i = self.pods.iter().position(|p| p.namespace() == namespace && p.name() == name)?;
        Some(self.take_pod(i))
    }

    /// `NodeInfo.RemovePod` of the pod at `i` in [`NodeInfo::pods`], for a caller that found it already.
    pub fn take_pod(&mut self, i: usize) -> Rc<PodRecord> {
        let pod = self.pods.remove(i);
        self.requested.sub(&pod.requests);
        self.non_zero_requested.sub(&pod.non_zero);
        for hp in &pod.host_ports {
            if let Some(j) = self.used_ports.iter().position(|u| u == hp) {
                self.used_ports.remove(j);
            }
        }
        self.num_with_affinity -= usize::from(pod.pod_affinity.declared);
        self.num_with_required_anti_affinity -= usize::from(pod.pod_affinity.has_required_anti_affinity());
        pod
    }

    /// `NodeInfo.PodsWithAffinity`.
    pub fn pods_with_affinity(&self) -> impl Iterator<Item = &Rc<PodRecord>> {
        self.pods.iter().filter(|p| p.pod_affinity.declared)
    }

    /// `NodeInfo.PodsWithRequiredAntiAffinity`.
    pub fn pods_with_required_anti_affinity(&self) -> impl Iterator<Item = &Rc<PodRecord>> {
        self.pods.iter().filter(|p| p.pod_affinity.has_required_anti_affinity())
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

    /// How many nodes gave each reason (`FitError.Error`'s histogram): every explicit status's reasons, and the
    /// absent status's for every node without an explicit one; in the message's order (`"<n> <reason>"` sorted
    /// as strings, so `"10 …"` comes before `"2 …"`, as in Go).
    pub fn reason_counts(&self, num_all_nodes: usize) -> Vec<(Reason, usize)> {
        let mut counts: HashMap<&Reason, usize> = HashMap::new();
        for s in self.explicit.values() {
            for r in &s.reasons {
                *counts.entry(r).or_default() += 1;
            }
        }
        if self.explicit.len() < num_all_nodes {
            for r in &self.absent.reasons {
                *counts.entry(r).or_default() += num_all_nodes - self.explicit.len();
            }
        }
        let mut out: Vec<(String, Reason, usize)> = counts.into_iter().map(|(r, n)| (format!("{n} {r}"), r.clone(), n)).collect();
        out.sort();
        out.into_iter().map(|(_, r, n)| (r, n)).collect()
    }
}

/// `framework.FitError.Error`: `0/N nodes are available: <reasons>.` and the PostFilter message. The reasons
/// are those of the PreFilter status when PreFilter rejected the pod, else every node's, counted
/// ([`NodeToStatus::reason_counts`]).
pub fn fit_error_message(num_all_nodes: usize, statuses: &NodeToStatus, pre_filter: Option<&Status>, post_filter_msg: &str) -> String {
    let mut msg = format!("0/{num_all_nodes} nodes are available:");
    match pre_filter.map(Status::message).filter(|m| !m.is_empty()) {
        Some(m) => msg.push_str(&format!(" {m}.")),
        None => {
            let entries: Vec<String> = statuses.reason_counts(num_all_nodes).iter().map(|(r, n)| format!("{n} {r}")).collect();
            if !entries.is_empty() {
                msg.push_str(&format!(" {}.", entries.join(", ")));
            }
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
            s.explicit.insert(format!("a{i}"), Status::unresolvable(Reason::NodeUnschedulable));
        }
        s.explicit.insert("b".into(), Status::unschedulable(Reason::InsufficientResource("cpu".into())));
        s.explicit.insert("c".into(), Status::unschedulable(Reason::InsufficientResource("cpu".into())));
        assert_eq!(
            fit_error_message(12, &s, None, ""),
            "0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu."
        );
    }

    #[test]
    fn absent_nodes_take_the_absent_status() {
        let mut s = NodeToStatus {
            absent: Status::unresolvable(Reason::NotInPreFilterResult(vec!["NodeAffinity"])),
            ..Default::default()
        };
        s.explicit.insert("n1".into(), Status::unschedulable(Reason::InsufficientResource("cpu".into())));
        assert_eq!(
            fit_error_message(5, &s, None, "preemption: x"),
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
