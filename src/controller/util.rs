//! What every workload controller shares (`pkg/controller/controller_utils.go`, `controller_ref_manager.go`,
//! `pkg/api/v1/pod/util.go`): pods from templates, controller references, adoption and release, readiness.

use std::sync::Arc;

use crate::api::core_v1::{Pod, PodTemplateSpec};
use crate::api::labels::Selector;
use crate::api::meta_v1::{ObjectMeta, OwnerReference};
use crate::api::{GroupKind, Object};
use crate::helpers::pod::is_pod_terminal;
use crate::cluster::{ApiError, Cluster, Concurrency, InvolvedObject, Key, Propagation};

/// The object a controller acts for: what goes into its pods' owner references and its events.
#[derive(Clone, Debug)]
pub struct Owner {
    pub kind: GroupKind,
    pub namespace: String,
    pub name: String,
    pub uid: String,
}

impl Owner {
    pub fn of(kind: GroupKind, meta: &ObjectMeta) -> Owner {
        Owner { kind, namespace: meta.namespace.clone(), name: meta.name.clone(), uid: meta.uid.clone() }
    }

    /// `metav1.NewControllerRef`.
    pub fn controller_ref(&self) -> OwnerReference {
        OwnerReference {
            api_version: self.kind.api_version().to_owned(),
            kind: self.kind.kind().to_owned(),
            name: self.name.clone(),
            uid: self.uid.clone(),
            controller: Some(true),
            block_owner_deletion: Some(true),
        }
    }

    pub fn involved(&self) -> InvolvedObject {
        InvolvedObject { kind: self.kind.kind().to_owned(), namespace: self.namespace.clone(), name: self.name.clone() }
    }

    /// Whether `r` is this owner's controller reference.
    pub fn owns(&self, r: &OwnerReference) -> bool {
        r.controller == Some(true) && r.uid == self.uid
    }
}

/// `getPodsPrefix`: `<controller>-`, or the bare name when that prefix is not a valid pod name prefix.
pub fn pods_prefix(controller_name: &str) -> String {
    let prefix = format!("{controller_name}-");
    if prefix.len() <= 253 && prefix.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.') {
        prefix
    } else {
        controller_name.to_owned()
    }
}

/// `GetPodFromTemplate`: labels, annotations and finalizers from the template, a controller reference, and a
/// deep copy of the template's spec.
pub fn pod_from_template(template: &PodTemplateSpec, owner: &Owner) -> Pod {
    let mut pod = Pod::default();
    pod.metadata.labels = template.metadata.labels.clone();
    pod.metadata.annotations = template.metadata.annotations.clone();
    pod.metadata.finalizers = template.metadata.finalizers.clone();
    pod.metadata.generate_name = pods_prefix(&owner.name);
    pod.metadata.namespace = owner.namespace.clone();
    pod.metadata.owner_references = vec![owner.controller_ref()];
    pod.spec = template.spec.clone();
    pod
}

/// `RealPodControl.createPods`: refuse a pod without labels, create it, and record `SuccessfulCreate` or
/// `FailedCreate` on the owner.
///
/// The controllers read nothing of the API server's response but the name, so the pod is created without one
/// ([`Cluster::create_unread`]); the created pod's name is returned.
pub fn create_pod(cluster: &mut Cluster, pod: Pod, owner: &Owner, component: &'static str) -> Result<String, ApiError> {
    if pod.metadata.labels.is_empty() {
        let err = ApiError::Client("unable to create pods, no labels".into());
        cluster.rec.failed_create(component, owner.involved(), format!("Error creating: {err}"), err.clone());
        return Err(err);
    }
    match cluster.create_unread(Object::Pod(Arc::new(pod))) {
        Ok(name) => {
            cluster.rec.event(component, "Normal", "SuccessfulCreate", owner.involved(), format!("Created pod: {name}"));
            Ok(name)
        }
        Err(e) => {
            cluster.rec.failed_create(component, owner.involved(), format!("Error creating: {e}"), e.clone());
            Err(e)
        }
    }
}

/// `RealPodControl.DeletePod`: delete and record `SuccessfulDelete` on the owner.
pub fn delete_pod(cluster: &mut Cluster, namespace: &str, name: &str, owner: &Owner, component: &'static str) {
    if cluster.delete(GroupKind::Pod, namespace, name, Propagation::Background).is_ok() {
        cluster.rec.event(component, "Normal", "SuccessfulDelete", owner.involved(), format!("Deleted pod: {name}"));
    }
}

/// `PodControllerRefManager.ClaimPods`: the pods of `namespace` this owner controls, after adopting matching
/// orphans and releasing owned pods that no longer match its selector. Returns keys in name order.
pub fn claim_pods(cluster: &mut Cluster, owner: &Owner, selector: &Selector, owner_deleting: bool) -> Vec<Key> {
    claim_pods_with(cluster, owner, selector, owner_deleting, &|_| true, None)
}

/// `ClaimPods` with the extras some controllers pass: a filter that a pod must also pass to match (the
/// StatefulSet's `isMemberOf`), and a finalizer that adoption adds and release removes (the Job's
/// `batch.kubernetes.io/job-tracking`).
pub fn claim_pods_with(
    cluster: &mut Cluster,
    owner: &Owner,
    selector: &Selector,
    owner_deleting: bool,
    filter: &dyn Fn(&Pod) -> bool,
    finalizer: Option<&str>,
) -> Vec<Key> {
    let mut claimed = Vec::new();
    let mut adopt = Vec::new();
    let mut release = Vec::new();
    for pod in cluster.store().claimable_pods(&owner.namespace, &owner.uid) {
        let key = (pod.metadata.namespace.clone(), pod.metadata.name.clone());
        let matches = selector.matches(&pod.metadata.labels) && filter(pod);
        match crate::api::controller_of(&pod.metadata) {
            Some(r) if owner.owns(r) => {
                if matches {
                    claimed.push(key);
                } else if !owner_deleting {
                    release.push(key);
                }
            }
            Some(_) => {}
            None => {
                if matches && !owner_deleting && pod.metadata.deletion_timestamp.is_none() {
                    adopt.push(key.clone());
                    claimed.push(key);
                }
            }
        }
    }
    for key in adopt {
        if let Some(mut pod) = cluster.store().by_key::<Pod>(&key).cloned() {
            pod.metadata.owner_references.push(owner.controller_ref());
            if let Some(f) = finalizer {
                if !pod.metadata.finalizers.iter().any(|x| x == f) {
                    pod.metadata.finalizers.push(f.to_owned());
                }
            }
            let _ = cluster.patch(Object::Pod(Arc::new(pod)), Concurrency::Unchecked);
        }
    }
    for key in release {
        if let Some(mut pod) = cluster.store().by_key::<Pod>(&key).cloned() {
            pod.metadata.owner_references.retain(|r| r.uid != owner.uid);
            if let Some(f) = finalizer {
                pod.metadata.finalizers.retain(|x| x != f);
            }
            let _ = cluster.patch(Object::Pod(Arc::new(pod)), Concurrency::Unchecked);
        }
    }
    claimed
}

/// `controller.IsPodActive`: not terminal and not being deleted.
pub fn is_pod_active(pod: &Pod) -> bool {
    !is_pod_terminal(pod) && pod.metadata.deletion_timestamp.is_none()
}

pub fn pod_phase(pod: &Pod) -> &str {
    pod.status.phase.as_str()
}

/// `podPhaseToOrdinal`, how the controllers' pod orderings rank phases: Pending 0, Unknown 1, Running 2; any
/// other phase counts as 0.
pub fn pod_phase_ordinal(pod: &Pod) -> u8 {
    match pod.status.phase.as_str() {
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    }
}

/// `maxContainerRestarts`: the highest restart count of the regular containers, and of the sidecars (init
/// containers with `restartPolicy: Always`), each at least 0.
pub fn max_container_restarts(pod: &Pod) -> (i32, i32) {
    let regular = pod.status.container_statuses.iter().map(|c| c.restart_count).max().unwrap_or(0).max(0);
    let sidecar = pod
        .status
        .init_container_statuses
        .iter()
        .filter(|c| is_sidecar(pod, &c.name))
        .map(|c| c.restart_count)
        .max()
        .unwrap_or(0)
        .max(0);
    (regular, sidecar)
}

/// Whether the init container named `name` is a sidecar (`restartPolicy: Always`).
pub fn is_sidecar(pod: &Pod, name: &str) -> bool {
    pod.spec.init_containers.iter().any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_falls_back_to_the_name() {
        assert_eq!(pods_prefix("agent"), "agent-");
        assert_eq!(pods_prefix("Agent"), "Agent");
    }
}
