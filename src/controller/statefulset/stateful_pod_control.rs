//! `stateful_pod_control.go`: creating, updating and deleting a StatefulSet's pods and creating their claims,
//! with the events the controller records on the set.
//!
//! Claims are stored objects, created through the API server (so admission defaults their class and adds the
//! protection finalizer, and LimitRanger and quota may refuse them); a claim always counts as matching its
//! retention policy and never as stale.

use std::sync::Arc;

use crate::api::apps_v1::StatefulSet;
use crate::api::core_v1::{PersistentVolumeClaim, Pod};
use crate::api::{GroupKind, Object};
use crate::cluster::{ApiError, Cluster, Concurrency, InvolvedObject, Propagation};

use super::identity::{claims_for, identity_matches, storage_matches, update_identity, update_storage};
use super::COMPONENT;

fn involved(set: &StatefulSet) -> InvolvedObject {
    InvolvedObject {
        kind: "StatefulSet".into(),
        namespace: set.metadata.namespace.clone(),
        name: set.metadata.name.clone(),
    }
}

/// `recordPodEvent`: `Successful<Verb>` / `Failed<Verb>` on the set (a failed creation with its cause).
fn record_pod_event(cluster: &mut Cluster, verb: &str, set: &StatefulSet, pod: &Pod, err: Option<&ApiError>) {
    let title = title(verb);
    let (pod, set_name) = (&pod.metadata.name, &set.metadata.name);
    match err {
        None => cluster.rec.event(
            COMPONENT,
            "Normal",
            &format!("Successful{title}"),
            involved(set),
            format!("{verb} Pod {pod} in StatefulSet {set_name} successful"),
        ),
        Some(e) => {
            let message = format!("{verb} Pod {pod} in StatefulSet {set_name} failed error: {e}");
            if verb == "create" {
                cluster.rec.failed_create(COMPONENT, involved(set), message, e.clone());
            } else {
                cluster.rec.event(COMPONENT, "Warning", &format!("Failed{title}"), involved(set), message);
            }
        }
    }
}

/// `recordClaimEvent` for a successful creation.
fn record_claim_created(cluster: &mut Cluster, set: &StatefulSet, pod: &Pod, claim: &str) {
    cluster.rec.event(
        COMPONENT,
        "Normal",
        "SuccessfulCreate",
        involved(set),
        format!("create Claim {claim} Pod {} in StatefulSet {} success", pod.metadata.name, set.metadata.name),
    );
}

fn title(verb: &str) -> String {
    let mut c = verb.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// `createPersistentVolumeClaims`: create the claims the pod needs that do not exist yet, recording each
/// creation (or its refusal) on the set. The first refusal fails the pod's creation.
pub fn create_claims(cluster: &mut Cluster, set: &StatefulSet, pod: &Pod) -> Result<(), ApiError> {
    let mut failed = None;
    for claim in claims_for(set, pod) {
        let (namespace, name) = (claim.metadata.namespace.clone(), claim.metadata.name.clone());
        if cluster.store().get::<PersistentVolumeClaim>(&namespace, &name).is_some() {
            continue;
        }
        match cluster.create(Object::PersistentVolumeClaim(Box::new(claim))) {
            Ok(_) => record_claim_created(cluster, set, pod, &name),
            Err(e) => {
                if !matches!(e, ApiError::AlreadyExists(_)) {
                    let message = format!(
                        "create Claim {name} for Pod {} in StatefulSet {} failed error: {e}",
                        pod.metadata.name, set.metadata.name
                    );
                    cluster.rec.event(COMPONENT, "Warning", "FailedCreate", involved(set), message);
                }
                failed.get_or_insert(ApiError::Client(format!("failed to create PVC {name}: {e}")));
            }
        }
    }
    failed.map_or(Ok(()), Err)
}

/// `CreateStatefulPod`: claims first, then the pod. An AlreadyExists error is returned without an event.
pub fn create_pod(cluster: &mut Cluster, set: &StatefulSet, pod: &Pod) -> Result<(), ApiError> {
    if let Err(e) = create_claims(cluster, set, pod) {
        record_pod_event(cluster, "create", set, pod, Some(&e));
        return Err(e);
    }
    match cluster.create(Object::Pod(Arc::new(pod.clone()))) {
        Ok(_) => {
            record_pod_event(cluster, "create", set, pod, None);
            Ok(())
        }
        Err(e @ ApiError::AlreadyExists(_)) => Err(e),
        Err(e) => {
            record_pod_event(cluster, "create", set, pod, Some(&e));
            Err(e)
        }
    }
}

/// `UpdateStatefulPod`: restore the pod's identity and storage; update it (and record the event) only when
/// something had drifted.
pub fn update_pod(cluster: &mut Cluster, set: &StatefulSet, pod: &Pod) -> Result<(), ApiError> {
    let mut pod = pod.clone();
    let mut consistent = true;
    if !identity_matches(set, &pod) {
        update_identity(set, &mut pod);
        consistent = false;
    }
    if !storage_matches(set, &pod) {
        update_storage(set, &mut pod);
        consistent = false;
        if let Err(e) = create_claims(cluster, set, &pod) {
            record_pod_event(cluster, "update", set, &pod, Some(&e));
            return Err(e);
        }
    }
    if consistent {
        return Ok(());
    }
    let result = cluster.update(Object::Pod(Arc::new(pod.clone())), Concurrency::Unchecked).map(|_| ());
    record_pod_event(cluster, "update", set, &pod, result.as_ref().err());
    result
}

/// `DeleteStatefulPod`.
pub fn delete_pod(cluster: &mut Cluster, set: &StatefulSet, pod: &Pod) -> Result<(), ApiError> {
    let (namespace, name) = (&pod.metadata.namespace, &pod.metadata.name);
    let result = cluster.delete(GroupKind::Pod, namespace, name, Propagation::Background).map(|_| ());
    record_pod_event(cluster, "delete", set, pod, result.as_ref().err());
    result
}

#[cfg(test)]
mod tests {
    use super::title;

    #[test]
    fn verbs_become_reasons() {
        assert_eq!(title("create"), "Create");
        assert_eq!(title("delete"), "Delete");
    }
}
