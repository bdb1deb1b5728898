//! What the default table prints instead of one row per pod and per event when a plan has more than a person
//! reads ([`SUMMARY_ABOVE`]): the pods counted per workload and per zone, the Pending pods grouped by the
//! scheduler's message, the events grouped by type, reason and kind. The figures are computed here, typed, from
//! the report; [`super::table`] lays them out. `-o wide` and `-o json` still give everything.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::apps_v1::ReplicaSet;
use crate::api::batch_v1::Job;
use crate::api::core_v1::{Node, Pod};
use crate::api::controller_of;
use crate::facade::report::{Event, Objects};
use crate::helpers::resources::{pod_requests, Resource};
use crate::helpers::LABEL_ZONE;

/// Up to this many pods (or events) the table lists each one, as `kubectl get` does; above it, it summarises.
/// 300 rows is about what one still scrolls through and reads; the examples and tests of a few workloads stay
/// well below it, and a plan of a thousand pods already runs to pages.
pub const SUMMARY_ABOVE: usize = 300;

/// How many pods a Pending group (or a stalled rollout's reason) names, as kubectl's ENDPOINTS column names three.
pub const EXAMPLES: usize = 3;

/// The pods of one workload in one namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkloadSummary {
    pub namespace: String,
    /// `kind/name` of the top-level controller (`deployment/web`, not its ReplicaSet), `None` for pods no
    /// controller owns.
    pub workload: Option<String>,
    pub pods: usize,
    pub running: usize,
    pub pending: usize,
    /// Succeeded, Failed (a pod the kubelet refused) or any other phase.
    pub other: usize,
    /// How many distinct nodes its pods are bound to.
    pub nodes: usize,
}

/// The nodes of one zone and what their pods request of them, as `kubectl describe node` adds it up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ZoneSummary {
    /// The node's `topology.kubernetes.io/zone`, `None` without it.
    pub zone: Option<String>,
    pub nodes: usize,
    /// Non-terminated pods bound to these nodes.
    pub pods: usize,
    /// The sum of those pods' requests (cpu in millicores, memory in bytes).
    pub requested: Resource,
    /// The sum of the nodes' allocatable (their capacity when they give none, as the kubelet reports it).
    pub allocatable: Resource,
}

/// The Pending pods the scheduler left with one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingGroup {
    pub message: String,
    pub count: usize,
    /// The first few pods' `namespace/name`, in namespace/name order.
    pub examples: Vec<String>,
}

/// The events of one type and reason about objects of one kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventGroup {
    pub type_: &'static str,
    pub reason: String,
    /// The involved objects' kind, lower case as the OBJECT column writes it (`pod`).
    pub kind: String,
    /// Occurrences: the sum of the events' counts.
    pub count: u64,
    /// The first event's message.
    pub example: String,
}

/// Whether a list of `n` rows is summarised.
pub fn summarises(n: usize) -> bool {
    n > SUMMARY_ABOVE
}

/// The workload a pod belongs to as a person names it: its controller, or the controller's own controller for
/// the two kinds that are themselves owned (a Deployment's ReplicaSet, a CronJob's Job).
fn workload_of(objects: Objects<'_>, pod: &Pod) -> Option<String> {
    let owner = controller_of(&pod.metadata)?;
    let ns = pod.metadata.namespace.as_str();
    let parent = match owner.kind.as_str() {
        "ReplicaSet" => objects.get::<ReplicaSet>(ns, &owner.name).and_then(|rs| controller_of(&rs.metadata)),
        "Job" => objects.get::<Job>(ns, &owner.name).and_then(|job| controller_of(&job.metadata)),
        _ => None,
    };
    let top = parent.unwrap_or(owner);
    Some(format!("{}/{}", top.kind.to_lowercase(), top.name))
}

/// A workload's namespace and `kind/name` (`None`: the namespace's pods without a controller).
type WorkloadKey = (String, Option<String>);

/// Every pod counted under its namespace and workload, in namespace then workload order (pods without a
/// controller first in their namespace).
pub fn workloads(objects: Objects<'_>) -> Vec<WorkloadSummary> {
    let mut groups: BTreeMap<WorkloadKey, (WorkloadSummary, BTreeSet<&str>)> = BTreeMap::new();
    for pod in objects.list::<Pod>() {
        let key = (pod.metadata.namespace.clone(), workload_of(objects, pod));
        let (row, nodes) = groups.entry(key.clone()).or_insert_with(|| {
            (WorkloadSummary { namespace: key.0, workload: key.1, ..WorkloadSummary::default() }, BTreeSet::new())
        });
        row.pods += 1;
        match pod.status.phase.as_str() {
            "Running" => row.running += 1,
            "Pending" | "" => row.pending += 1,
            _ => row.other += 1,
        }
        if !pod.spec.node_name.is_empty() {
            nodes.insert(pod.spec.node_name.as_str());
        }
    }
    groups.into_values().map(|(row, nodes)| WorkloadSummary { nodes: nodes.len(), ..row }).collect()
}

/// `kubectl describe node` counts the requests of the pods that still hold their resources.
fn terminated(pod: &Pod) -> bool {
    matches!(pod.status.phase.as_str(), "Succeeded" | "Failed")
}

/// A node and what the pods bound to it request of it, as `kubectl describe node`'s "Allocated resources" adds
/// them up: the requests of its non-terminated pods against its allocatable.
#[derive(Clone, Debug)]
pub struct NodeAllocation<'a> {
    pub node: &'a Node,
    /// The node's allocatable (its capacity when it gives none, as the kubelet reports it); `allowed_pod_number`
    /// is its `pods`.
    pub allocatable: Resource,
    /// The sum of its pods' requests (`PodRequests`: init containers, sidecars and overhead counted as the
    /// scheduler counts them); `allowed_pod_number` is how many pods.
    pub requested: Resource,
}

/// Every node in name order with what its pods request. Pods bound to a node the cluster does not hold, and
/// pods that ended (Succeeded, Failed), are not counted.
pub fn node_allocations(objects: Objects<'_>) -> Vec<NodeAllocation<'_>> {
    let mut by_name: BTreeMap<&str, NodeAllocation<'_>> = BTreeMap::new();
    for node in objects.list::<Node>() {
        let s = &node.status;
        let allocatable = Resource::from_list(if s.allocatable.is_empty() { &s.capacity } else { &s.allocatable });
        by_name.insert(node.metadata.name.as_str(), NodeAllocation { node, allocatable, requested: Resource::default() });
    }
    for pod in objects.list::<Pod>().filter(|p| !p.spec.node_name.is_empty() && !terminated(p)) {
        let Some(row) = by_name.get_mut(pod.spec.node_name.as_str()) else { continue };
        row.requested.add(&Resource::from_requests(&pod_requests(&pod.spec, false)));
        row.requested.allowed_pod_number += 1;
    }
    by_name.into_values().collect()
}

/// The nodes grouped by zone with the requests of the pods bound to them, zones in name order and nodes
/// without a zone last.
pub fn zones(objects: Objects<'_>) -> Vec<ZoneSummary> {
    let mut groups: BTreeMap<(bool, Option<&str>), ZoneSummary> = BTreeMap::new();
    for n in node_allocations(objects) {
        let zone = n.node.metadata.labels.get(LABEL_ZONE).map(String::as_str);
        let row = groups.entry((zone.is_none(), zone)).or_default();
        row.nodes += 1;
        row.pods += usize::try_from(n.requested.allowed_pod_number).unwrap_or(0);
        row.allocatable.add(&n.allocatable);
        row.requested.add(&Resource { allowed_pod_number: 0, ..n.requested });
    }
    groups.into_iter().map(|((_, zone), row)| ZoneSummary { zone: zone.map(str::to_owned), ..row }).collect()
}

/// Pending pods (`namespace/name`, the scheduler's message), in namespace/name order, grouped by message: the
/// largest groups first, then by message.
pub fn pending_groups(pending: impl IntoIterator<Item = (String, String)>) -> Vec<PendingGroup> {
    let mut groups: BTreeMap<String, PendingGroup> = BTreeMap::new();
    for (pod, message) in pending {
        let group = groups.entry(message.clone()).or_insert_with(|| PendingGroup { message, count: 0, examples: Vec::new() });
        group.count += 1;
        if group.examples.len() < EXAMPLES {
            group.examples.push(pod);
        }
    }
    let mut groups: Vec<PendingGroup> = groups.into_values().collect();
    groups.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.message.cmp(&b.message)));
    groups
}

/// The events grouped by type, reason and involved object's kind, in the order each group first occurs (the
/// plan's order: what happened first reads first).
pub fn event_groups(events: &[Event]) -> Vec<EventGroup> {
    let mut index: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    let mut groups: Vec<EventGroup> = Vec::new();
    for e in events {
        let key = (e.type_, e.reason.as_str(), e.involved_object.kind.as_str());
        let i = *index.entry(key).or_insert_with(|| {
            groups.push(EventGroup {
                type_: e.type_,
                reason: e.reason.clone(),
                kind: e.involved_object.kind.to_lowercase(),
                count: 0,
                example: e.message.clone(),
            });
            groups.len() - 1
        });
        groups[i].count += u64::from(e.count.max(1));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_groups_put_the_largest_first_then_order_by_message() {
        let pods = [("a/p1", "y"), ("a/p2", "x"), ("a/p3", "y"), ("a/p4", "z"), ("a/p5", "y"), ("a/p6", "y"), ("a/p7", "x")];
        let groups = pending_groups(pods.iter().map(|(p, m)| ((*p).to_owned(), (*m).to_owned())));
        let got: Vec<(&str, usize, usize)> = groups.iter().map(|g| (g.message.as_str(), g.count, g.examples.len())).collect();
        assert_eq!(got, [("y", 4, 3), ("x", 2, 2), ("z", 1, 1)]);
        assert_eq!(groups[0].examples, ["a/p1", "a/p3", "a/p5"]);
    }

    #[test]
    fn the_threshold_is_inclusive() {
        assert!(!summarises(SUMMARY_ABOVE));
        assert!(summarises(SUMMARY_ABOVE + 1));
    }
}
