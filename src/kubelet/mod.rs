//! The kubelet, as the cluster model has it: a pod bound to a node starts at once and is Ready; with admission on
//! (`--kubelet-admission`; the conformance model has none) it is admitted first ([`admission`]) or refused and
//! Failed; a Job's pod that is already Running when the kubelet comes round
//! again completes successfully. Pods are visited in namespace/name order; admission decides in creation order,
//! as the kubelet sorts the pods it is handed (`HandlePodAdditions`).

pub mod admission;

use std::collections::{BTreeMap, BTreeSet};

use crate::api::core_v1::{Node, Pod, PodCondition, PodStatus};
use crate::api::{controller_of, Time};
use crate::cluster::api::pod_action;
use crate::cluster::record::InvolvedObject;
use crate::cluster::store::{Key, PodIndex};
use crate::cluster::{Cluster, Op, Store};
use crate::helpers::pod::{is_pod_terminal, set_condition};

use admission::{Admitted, Refusal};

/// The source of the kubelet's events.
const COMPONENT: &str = "kubelet";

/// The kubelets of every node, as one actor: what they still have to act on is a pod index the store keeps
/// ([`acts_on`]), so that a pass costs the pods it moves, not every pod.
#[derive(Debug)]
pub struct Kubelet {
    work: PodIndex,
    /// Whether pods are admitted ([`admission`]) before they start; off, every bound pod starts, as in the
    /// conformance model.
    pub admission: bool,
}

impl Kubelet {
    /// Ask the store to keep the pods the kubelets act on.
    pub fn new(cluster: &mut Cluster) -> Kubelet {
        Kubelet { work: cluster.add_pod_index(acts_on), admission: false }
    }

    /// One kubelet pass over every node.
    pub fn run(&self, cluster: &mut Cluster) {
        let now = Time::at_second(cluster.store().created());
        let keys: Vec<_> = cluster
            .store()
            .indexed_pods(self.work)
            .filter(|(_, p)| cluster.store().get::<Node>("", &p.spec.node_name).is_some())
            .map(|(k, _)| k.clone())
            .collect();
        let mut refused = if self.admission { refusals(cluster.store(), &keys) } else { BTreeMap::new() };
        for key in keys {
            let Some(pod) = cluster.store().by_key::<Pod>(&key) else { continue };
            let step = match pod.status.phase.as_str() {
                "" | "Pending" => refused.remove(&key).map_or(Step::Start, Step::Reject),
                "Running" if is_job_pod(pod) => Step::Complete,
                _ => continue,
            };
            let op = step.op();
            if let Step::Reject(refusal) = &step {
                record_rejection(cluster, &key, refusal);
            }
            // A status write (`pods/status`), stored as a new object: the pod's long-lived version, packed apart
            // from what its creation allocated and freed (see `Store::rewrite_pod`).
            let written = cluster.rewrite_pod(&key, |_, status| match step {
                Step::Start => start(status, &now),
                Step::Complete => complete(status, &now),
                Step::Reject(refusal) => reject(status, refusal),
            });
            let Ok(action) = written.map(|p| pod_action(op, p)) else { continue };
            cluster.rec.action(action);
        }
    }
}

/// What the kubelet does with a pod it acts on.
enum Step {
    Start,
    /// A Job's running pod.
    Complete,
    /// Admission refused the pod.
    Reject(Refusal),
}

impl Step {
    fn op(&self) -> Op {
        match self {
            Step::Start => Op::Running,
            Step::Complete => Op::Succeeded,
            Step::Reject(_) => Op::Failed,
        }
    }
}

/// Which of the pods to start the kubelets refuse, and why. A pod the scheduler bound passed the same checks
/// (`AdmissionCheck` is its own filters, over every pod bound to the node) in this round, so only nodes with a pod
/// that names its node (no `PodScheduled` condition) are checked; there every pod to start is admitted in
/// creation order against what the node runs (its non-terminal started pods) and the pods admitted before it.
fn refusals(store: &Store, keys: &[Key]) -> BTreeMap<Key, Refusal> {
    let to_start: Vec<(&Key, &Pod)> = keys
        .iter()
        .filter_map(|k| store.by_key::<Pod>(k).map(|p| (k, p)))
        .filter(|(_, p)| matches!(p.status.phase.as_str(), "" | "Pending"))
        .collect();
    let nodes: BTreeSet<&str> =
        to_start.iter().filter(|(_, p)| !scheduled(p)).map(|(_, p)| p.spec.node_name.as_str()).collect();
    let mut out = BTreeMap::new();
    if nodes.is_empty() {
        return out;
    }
    let mut admitted: BTreeMap<&str, Admitted> = BTreeMap::new();
    for pod in store.list::<Pod>() {
        let node = pod.spec.node_name.as_str();
        if nodes.contains(node) && !matches!(pod.status.phase.as_str(), "" | "Pending") && !is_pod_terminal(pod) {
            admitted.entry(node).or_default().add(pod);
        }
    }
    let mut candidates: Vec<(&Key, &Pod)> =
        to_start.into_iter().filter(|(_, p)| nodes.contains(p.spec.node_name.as_str())).collect();
    candidates.sort_by_key(|(k, p)| (Store::creation_index(&p.metadata), *k));
    for (key, pod) in candidates {
        let Some(node) = store.get::<Node>("", &pod.spec.node_name) else { continue };
        let on_node = admitted.entry(pod.spec.node_name.as_str()).or_default();
        match admission::admit(pod, node, on_node) {
            Some(refusal) if !scheduled(pod) => {
                out.insert(key.clone(), refusal);
            }
            _ => on_node.add(pod),
        }
    }
    out
}

/// Whether the scheduler bound the pod (`PodScheduled=True`), rather than the pod naming its node.
fn scheduled(pod: &Pod) -> bool {
    pod.status.conditions.iter().any(|c| c.r#type == "PodScheduled" && c.status == "True")
}

/// `Kubelet.rejectPod`, its event: a Warning with the reason and message.
fn record_rejection(cluster: &mut Cluster, key: &Key, refusal: &Refusal) {
    let involved = InvolvedObject { kind: "Pod".into(), namespace: key.0.clone(), name: key.1.clone() };
    cluster.rec.event(COMPONENT, "Warning", &refusal.reason, involved, refusal.message.clone());
}

/// `Kubelet.rejectPod`, its status: the pod Failed with the refusal's reason and message.
fn reject(status: &mut PodStatus, refusal: Refusal) {
    status.phase = "Failed".into();
    status.reason = refusal.reason;
    status.message = format!("Pod was rejected: {}", refusal.message);
}

/// Whether the kubelet of the pod's node still acts on it: a bound pod, not being deleted, that it has to start,
/// or a Job's running pod it will complete.
pub fn acts_on(pod: &Pod) -> bool {
    !pod.spec.node_name.is_empty() && pod.metadata.deletion_timestamp.is_none() && needs_kubelet(pod)
}

/// A pod the kubelet still has to start, or a Job's running pod it will complete.
fn needs_kubelet(pod: &Pod) -> bool {
    match pod.status.phase.as_str() {
        "" | "Pending" => true,
        "Running" => is_job_pod(pod),
        _ => false,
    }
}

fn is_job_pod(pod: &Pod) -> bool {
    controller_of(&pod.metadata).is_some_and(|r| r.kind == "Job")
}

fn condition(ty: &str, status: &str, reason: &str, now: &Time) -> PodCondition {
    PodCondition {
        r#type: ty.into(),
        status: status.into(),
        reason: reason.into(),
        last_transition_time: now.clone(),
        ..Default::default()
    }
}

fn start(status: &mut PodStatus, now: &Time) {
    status.phase = "Running".into();
    status.start_time = Some(now.clone());
    for ty in ["ContainersReady", "Initialized", "PodReadyToStartContainers", "PodScheduled", "Ready"] {
        set_condition(status, condition(ty, "True", "", now));
    }
}

fn complete(status: &mut PodStatus, now: &Time) {
    status.phase = "Succeeded".into();
    set_condition(status, condition("ContainersReady", "False", "PodCompleted", now));
    set_condition(status, condition("PodReadyToStartContainers", "False", "", now));
    set_condition(status, condition("Ready", "False", "PodCompleted", now));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::meta_v1::OwnerReference;

    #[test]
    fn acts_on_bound_pods_to_start_and_running_job_pods_to_complete() {
        let mut pod = Pod::default();
        assert!(!acts_on(&pod), "not bound");
        pod.spec.node_name = "n1".into();
        assert!(acts_on(&pod), "bound and not started");
        pod.status.phase = "Running".into();
        assert!(!acts_on(&pod), "started, and not a Job's pod");
        let job = OwnerReference { kind: "Job".into(), uid: "j".into(), controller: Some(true), ..Default::default() };
        pod.metadata.owner_references.push(job);
        assert!(acts_on(&pod), "a Job's running pod is completed by the kubelet");
        pod.metadata.deletion_timestamp = Some(Time::at_second(1));
        assert!(!acts_on(&pod), "being deleted");
    }
}
