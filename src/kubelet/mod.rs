//! The kubelet, as the cluster model has it: a pod bound to a node starts at once and is Ready; a Job's pod that
//! is already Running when the kubelet comes round again completes successfully. Pods created with `nodeName`
//! set run without kubelet admission checks. Pods are visited in namespace/name order.

use crate::api::core_v1::{Node, Pod, PodCondition, PodStatus};
use crate::api::{controller_of, Object, Time};
use crate::cluster::api::pod_action;
use crate::cluster::store::PodIndex;
use crate::cluster::{Cluster, Concurrency, Op};
use crate::helpers::pod::set_condition;

/// The kubelets of every node, as one actor: what they still have to act on is a pod index the store keeps
/// ([`acts_on`]), so that a pass costs the pods it moves, not every pod.
#[derive(Debug)]
pub struct Kubelet {
    work: PodIndex,
}

impl Kubelet {
    /// Ask the store to keep the pods the kubelets act on.
    pub fn new(cluster: &mut Cluster) -> Kubelet {
        Kubelet { work: cluster.add_pod_index(acts_on) }
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
        for key in keys {
            let Some(mut pod) = cluster.store().by_key::<Pod>(&key).cloned() else { continue };
            let op = match pod.status.phase.as_str() {
                "" | "Pending" => {
                    start(&mut pod.status, &now);
                    Op::Running
                }
                "Running" if is_job_pod(&pod) => {
                    complete(&mut pod.status, &now);
                    Op::Succeeded
                }
                _ => continue,
            };
            cluster.rec.action(pod_action(op, &pod));
            let _ = cluster.patch(Object::Pod(Box::new(pod)), Concurrency::Unchecked);
        }
    }
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
