//! The Deployment controller's calls to the API server (`dc.client.AppsV1()`), with the optimistic concurrency the
//! API server enforces.
//!
//! Go's controller reads the Deployment and its ReplicaSets once, from the informer cache, at the start of a sync,
//! and keeps writing from those copies. An update carries the `resourceVersion` of the copy it was made from;
//! when the object has been written since, the API server answers 409 Conflict and the sync ends (the Deployment
//! is synced again later). This decides real timelines: a sync that first updates the new ReplicaSet's revision
//! annotations fails on its next write of that ReplicaSet, and after the first status update of a sync every
//! later one conflicts, because `UpdateStatus` results are thrown away. The writes here are the API server's
//! checked verbs ([`Concurrency::Checked`]), which refuse stale copies; every write gives what it stores a new
//! `resourceVersion`.

use std::fmt;

use crate::api::apps_v1::{Deployment, ReplicaSet};
use crate::api::meta_v1::OwnerReference;
use crate::api::{GroupKind, Object, Resource};
use crate::cluster::{ApiError, Cluster, Concurrency, Propagation};

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

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Conflict(m) | SyncError::Other(m) => f.write_str(m),
            SyncError::Api(e) => write!(f, "{e}"),
        }
    }
}

pub type SyncResult<T> = Result<T, SyncError>;

/// The API server's answer as a sync sees it: a Conflict ends the sync like any other error, but is told apart.
impl From<ApiError> for SyncError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Conflict(m) => SyncError::Conflict(m),
            e => SyncError::Api(e),
        }
    }
}

/// `Deployments(ns).UpdateStatus`: the status subresource keeps the stored spec and labels and takes everything
/// else (status, annotations) from `d`.
pub fn update_deployment_status(cluster: &mut Cluster, d: &Deployment) -> SyncResult<()> {
    cluster.update_status(d.clone().into_object(), Concurrency::Checked)?;
    Ok(())
}

/// `Deployments(ns).Update`: a spec and metadata update (the strategy bumps the generation).
pub fn update_deployment(cluster: &mut Cluster, d: &Deployment) -> SyncResult<()> {
    cluster.update(d.clone().into_object(), Concurrency::Checked)?;
    Ok(())
}

/// `ReplicaSets(ns).Create`.
pub fn create_replica_set(cluster: &mut Cluster, rs: ReplicaSet) -> Result<ReplicaSet, ApiError> {
    match cluster.create(rs.into_object())? {
        Object::ReplicaSet(rs) => Ok(*rs),
        _ => unreachable!("creating a ReplicaSet returns a ReplicaSet"),
    }
}

/// `ReplicaSets(ns).Update`: returns the ReplicaSet as stored.
pub fn update_replica_set(cluster: &mut Cluster, rs: &ReplicaSet) -> SyncResult<ReplicaSet> {
    cluster.update(rs.clone().into_object(), Concurrency::Checked)?;
    let stored = cluster.store().get::<ReplicaSet>(&rs.metadata.namespace, &rs.metadata.name).cloned();
    stored.ok_or_else(|| ApiError::NotFound(format!("{} {:?} not found", GroupKind::ReplicaSet.resource_qualified(), rs.metadata.name)).into())
}

/// `ReplicaSets(ns).Delete` with the default propagation of apps/v1 (background: the garbage collector deletes
/// the ReplicaSet's pods).
pub fn delete_replica_set(cluster: &mut Cluster, namespace: &str, name: &str) -> SyncResult<()> {
    cluster.delete(GroupKind::ReplicaSet, namespace, name, Propagation::Background)?;
    Ok(())
}

/// `PatchReplicaSet` with an owner-reference patch: adopt (add `add`, merged by UID) or release (drop the
/// references to `remove_uid`). The patch carries the UID of the copy as a precondition, and is made against the
/// ReplicaSet as stored.
pub fn patch_replica_set_owner(
    cluster: &mut Cluster,
    rs: &ReplicaSet,
    add: Option<OwnerReference>,
    remove_uid: Option<&str>,
) -> SyncResult<()> {
    let stored = cluster.store().get::<ReplicaSet>(&rs.metadata.namespace, &rs.metadata.name);
    let Some(mut next) = stored.filter(|s| s.metadata.uid == rs.metadata.uid).cloned() else {
        return Err(ApiError::NotFound(format!("{} {:?} not found", GroupKind::ReplicaSet.resource_qualified(), rs.metadata.name)).into());
    };
    if let Some(uid) = remove_uid {
        next.metadata.owner_references.retain(|r| r.uid != uid);
    }
    if let Some(r) = add {
        match next.metadata.owner_references.iter_mut().find(|x| x.uid == r.uid) {
            Some(existing) => *existing = r,
            None => next.metadata.owner_references.push(r),
        }
    }
    cluster.patch(next.into_object(), Concurrency::Checked)?;
    Ok(())
}
