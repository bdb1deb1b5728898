//! The Deployment controller's calls to the API server (`dc.client.AppsV1()`), with the optimistic concurrency the
//! API server enforces.
//!
//! Go's controller reads the Deployment and its ReplicaSets once, from the informer cache, at the start of a sync,
//! and keeps writing from those copies. An update carries the `resourceVersion` of the copy it was made from;
//! when the object has been written since, the API server answers 409 Conflict and the sync ends (the Deployment
//! is synced again later). This decides real timelines: a sync that first updates the new ReplicaSet's revision
//! annotations fails on its next write of that ReplicaSet, and after the first status update of a sync every
//! later one conflicts, because `UpdateStatus` results are thrown away.
//!
//! kubeplan's store stamps `resourceVersion` only on creation, so the writes here stamp a fresh one themselves:
//! the store's creation counter plus its change counter, which is larger than any version the object had before.

use std::fmt;

use crate::api::apps_v1::{Deployment, ReplicaSet};
use crate::api::meta_v1::OwnerReference;
use crate::api::{GroupKind, Object};
use crate::cluster::store::key_of;
use crate::cluster::{ApiError, Cluster};

/// Why a sync stopped early. Either way the Deployment is synced again in a later round.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncError {
    /// The object changed since the copy the controller wrote from was read.
    Conflict(String),
    /// The API server refused the request.
    Api(ApiError),
    /// Anything else the Go code returns as an error (a bad selector, an unknown strategy, ...).
    Other(String),
}

impl From<ApiError> for SyncError {
    fn from(e: ApiError) -> Self {
        SyncError::Api(e)
    }
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Conflict(m) | SyncError::Other(m) => f.write_str(m),
            SyncError::Api(e) => write!(f, "{e}"),
        }
    }
}

pub type SyncResult<T> = Result<T, SyncError>;

/// A `resourceVersion` newer than any the store has handed out for an object so far.
fn next_resource_version(cluster: &Cluster) -> String {
    (cluster.store.created + cluster.store.version).to_string()
}

fn conflict(gk: GroupKind, name: &str) -> SyncError {
    SyncError::Conflict(format!(
        "Operation cannot be fulfilled on {} {name:?}: the object has been modified; please apply your changes to the latest version and try again",
        gk.resource_qualified()
    ))
}

fn not_found(gk: GroupKind, name: &str) -> SyncError {
    SyncError::Api(ApiError::NotFound(format!("{} {name:?} not found", gk.resource_qualified())))
}

/// `Deployments(ns).UpdateStatus`: the status subresource keeps the stored spec and labels and takes everything
/// else (status, annotations) from `d`.
pub fn update_deployment_status(cluster: &mut Cluster, d: &Deployment) -> SyncResult<()> {
    let key = key_of(&d.metadata);
    let Some(stored) = cluster.store.deployments.get(&key) else {
        return Err(not_found(GroupKind::Deployment, &d.metadata.name));
    };
    if stored.metadata.resource_version != d.metadata.resource_version {
        return Err(conflict(GroupKind::Deployment, &d.metadata.name));
    }
    let mut next = d.clone();
    next.spec = stored.spec.clone();
    next.metadata.labels = stored.metadata.labels.clone();
    next.metadata.generation = stored.metadata.generation;
    if next != *stored {
        next.metadata.resource_version = next_resource_version(cluster);
        cluster.write(Object::Deployment(Box::new(next)));
    }
    Ok(())
}

/// `Deployments(ns).Update`: a spec and metadata update (the strategy bumps the generation).
pub fn update_deployment(cluster: &mut Cluster, d: &Deployment) -> SyncResult<()> {
    let key = key_of(&d.metadata);
    let Some(stored) = cluster.store.deployments.get(&key) else {
        return Err(not_found(GroupKind::Deployment, &d.metadata.name));
    };
    if stored.metadata.resource_version != d.metadata.resource_version {
        return Err(conflict(GroupKind::Deployment, &d.metadata.name));
    }
    let before = cluster.store.version;
    cluster.update(Object::Deployment(Box::new(d.clone())))?;
    if cluster.store.version != before {
        let rv = next_resource_version(cluster);
        if let Some(stored) = cluster.store.deployments.get_mut(&key) {
            stored.metadata.resource_version = rv;
        }
    }
    Ok(())
}

/// `ReplicaSets(ns).Create`.
pub fn create_replica_set(cluster: &mut Cluster, rs: ReplicaSet) -> Result<ReplicaSet, ApiError> {
    match cluster.create(Object::ReplicaSet(Box::new(rs)))? {
        Object::ReplicaSet(rs) => Ok(*rs),
        _ => unreachable!("creating a ReplicaSet returns a ReplicaSet"),
    }
}

/// `ReplicaSets(ns).Update`: returns the ReplicaSet as stored.
pub fn update_replica_set(cluster: &mut Cluster, rs: &ReplicaSet) -> SyncResult<ReplicaSet> {
    let key = key_of(&rs.metadata);
    let Some(stored) = cluster.store.replicasets.get(&key) else {
        return Err(not_found(GroupKind::ReplicaSet, &rs.metadata.name));
    };
    if stored.metadata.resource_version != rs.metadata.resource_version {
        return Err(conflict(GroupKind::ReplicaSet, &rs.metadata.name));
    }
    let before = cluster.store.version;
    cluster.update(Object::ReplicaSet(Box::new(rs.clone())))?;
    if cluster.store.version != before {
        let rv = next_resource_version(cluster);
        if let Some(stored) = cluster.store.replicasets.get_mut(&key) {
            stored.metadata.resource_version = rv;
        }
    }
    cluster.store.replicasets.get(&key).cloned().ok_or_else(|| not_found(GroupKind::ReplicaSet, &rs.metadata.name))
}

/// `ReplicaSets(ns).Delete` with the default propagation of apps/v1 (background: the garbage collector deletes
/// the ReplicaSet's pods).
pub fn delete_replica_set(cluster: &mut Cluster, namespace: &str, name: &str) -> SyncResult<()> {
    let Some(removed) = cluster.store.remove(GroupKind::ReplicaSet, namespace, name) else {
        return Err(not_found(GroupKind::ReplicaSet, name));
    };
    let uid = removed.meta().uid.clone();
    crate::cluster::gc::collect(cluster, &uid, false);
    Ok(())
}

/// `PatchReplicaSet` with an owner-reference patch: adopt (add `add`, merged by UID) or release (drop the
/// references to `remove_uid`). Patches carry no resourceVersion precondition.
pub fn patch_replica_set_owner(
    cluster: &mut Cluster,
    rs: &ReplicaSet,
    add: Option<OwnerReference>,
    remove_uid: Option<&str>,
) -> SyncResult<()> {
    let key = key_of(&rs.metadata);
    let Some(mut next) = cluster.store.replicasets.get(&key).cloned() else {
        return Err(not_found(GroupKind::ReplicaSet, &rs.metadata.name));
    };
    if next.metadata.uid != rs.metadata.uid {
        return Err(not_found(GroupKind::ReplicaSet, &rs.metadata.name));
    }
    if let Some(uid) = remove_uid {
        next.metadata.owner_references.retain(|r| r.uid != uid);
    }
    if let Some(r) = add {
        match next.metadata.owner_references.iter_mut().find(|x| x.uid == r.uid) {
            Some(existing) => *existing = r,
            None => next.metadata.owner_references.push(r),
        }
    }
    if cluster.store.replicasets.get(&key) != Some(&next) {
        next.metadata.resource_version = next_resource_version(cluster);
        cluster.write(Object::ReplicaSet(Box::new(next)));
    }
    Ok(())
}
