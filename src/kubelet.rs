//! The kubelet, as the cluster model has it: a pod bound to a node starts at once and is Ready; a Job's pod that
//! is already Running when the kubelet comes round again completes successfully. Pods created with `nodeName`
//! set run without kubelet admission checks. Pods are visited in namespace/name order.

use crate::api::core_v1::{PodCondition, PodStatus};
use crate::api::{Object, Time};
use crate::cluster::api::{controller_of, pod_action};
use crate::cluster::{Cluster, Op};
use crate::scheduler::set_condition;

/// One kubelet pass over every node.
pub fn run(cluster: &mut Cluster) {
    let now = Time::at_second(cluster.store.created);
    let keys: Vec<_> = cluster
        .store
        .kubelet_work()
        .filter(|(_, p)| cluster.store.nodes.contains_key(&p.spec.node_name))
        .map(|(k, _)| k.clone())
        .collect();
    for key in keys {
        let Some(mut pod) = cluster.store.pods.get(&key).cloned() else { continue };
        let phase = pod.status.phase.clone();
        let is_job_pod = controller_of(&pod.metadata).is_some_and(|r| r.kind == "Job");
        let op = match phase.as_str() {
            "" | "Pending" => {
                start(&mut pod.status, &now);
                Op::Running
            }
            "Running" if is_job_pod => {
                complete(&mut pod.status, &now);
                Op::Succeeded
            }
            _ => continue,
        };
        cluster.rec.action(pod_action(op, &pod));
        cluster.write(Object::Pod(Box::new(pod)));
    }
}

/// Whether the kubelet of the pod's node still acts on it: a bound pod, not being deleted, that it has to start,
/// or a Job's running pod it will complete. The store keeps these pods in an index
/// ([`crate::cluster::Store::kubelet_work`]) so that a pass costs the pods it moves, not every pod.
pub fn acts_on(pod: &crate::api::core_v1::Pod) -> bool {
    !pod.spec.node_name.is_empty() && pod.metadata.deletion_timestamp.is_none() && needs_kubelet(pod)
}

/// A pod the kubelet still has to start, or a Job's running pod it will complete.
fn needs_kubelet(pod: &crate::api::core_v1::Pod) -> bool {
    match pod.status.phase.as_str() {
        "" | "Pending" => true,
        "Running" => controller_of(&pod.metadata).is_some_and(|r| r.kind == "Job"),
        _ => false,
    }
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
