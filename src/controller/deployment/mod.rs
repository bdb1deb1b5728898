//! The Deployment controller (`pkg/controller/deployment`).
//!
//! One sync (`syncDeployment`): claim the ReplicaSets the Deployment selects (adopting orphans, releasing ones
//! that no longer match), group the Deployment's pods by ReplicaSet, then, in Go's order: status only when the
//! Deployment is being deleted, paused conditions, `sync` (scale only) when paused, a rollback when one is asked
//! for with the deprecated annotation, `sync` on a scaling event, and otherwise the rollout of the strategy
//! (`rolloutRolling` or `rolloutRecreate`). Each ends by recomputing the status.
//!
//! Writes go through [`client`], which refuses writes from stale copies as the API server does; a refused write
//! ends the sync and the next round syncs the Deployment again.

pub mod client;
mod progress;
mod recreate;
mod rollback;
mod rolling;
mod sync;
pub mod util;

use std::collections::BTreeMap;

use crate::api::apps_v1::{Deployment, ReplicaSet};
use crate::api::core_v1::Pod;
use crate::api::labels::Selector;
use crate::api::meta_v1::LabelSelector;
use crate::api::{GroupKind, Time, controller_of};
use crate::cluster::{Cluster, Key};
use crate::controller::util::Owner;

use client::{SyncError, SyncResult};

pub const COMPONENT: &str = "deployment-controller";
/// The kind [`crate::cluster::RolloutBudget`]s of Deployments are recorded under.
pub const KIND: &str = "Deployment";

/// Sync every Deployment, in namespace/name order.
pub fn sync_all(cluster: &mut Cluster) {
    let keys: Vec<Key> = cluster.store().keys(GroupKind::Deployment).cloned().collect();
    for key in keys {
        // An error only ends this sync; the Deployment is synced again next round.
        let _ = sync_deployment(cluster, &key);
    }
}

/// The controller's clock.
///
/// kubeplan has no wall clock: objects carry logical timestamps (one second per created object). The controller
/// stamps conditions with the logical time, and takes no wall time to pass between two of its syncs, as in the
/// real runs the expected plans come from, which finish long before any `progressDeadlineSeconds`: a rollout is
/// reported as timed out only once it has been.
#[derive(Clone, Debug)]
pub(crate) struct Clock {
    now: Time,
}

impl Clock {
    fn of(cluster: &Cluster) -> Clock {
        Clock { now: Time::at_second(cluster.store().created()) }
    }

    /// `metav1.Now()`.
    pub(crate) fn now(&self) -> &Time {
        &self.now
    }

    /// Wall time since the Progressing condition was last updated.
    pub(crate) fn seconds_since_progress_update(&self) -> i64 {
        0
    }
}

/// What one sync works on: the Deployment as read at its start (changed in place as Go changes its copy), the
/// object for events, and the clock.
pub(crate) struct Sync<'c> {
    pub cluster: &'c mut Cluster,
    pub d: Deployment,
    pub owner: Owner,
    pub clock: Clock,
}

impl Sync<'_> {
    /// Record an event on the Deployment.
    pub(crate) fn event(&mut self, type_: &'static str, reason: &str, message: String) {
        self.cluster.rec.event(COMPONENT, type_, reason, self.owner.involved(), message);
    }
}

/// `syncDeployment`.
fn sync_deployment(cluster: &mut Cluster, key: &Key) -> SyncResult<()> {
    let Some(d) = cluster.store().by_key::<Deployment>(key).cloned() else { return Ok(()) };
    let owner = Owner::of(GroupKind::Deployment, &d.metadata);
    let clock = Clock::of(cluster);
    let mut s = Sync { cluster, d, owner, clock };

    if s.d.spec.selector.as_deref() == Some(&LabelSelector::default()) {
        s.event(
            "Warning",
            "SelectingAll",
            "This deployment is selecting all pods. A non-empty selector is required.".into(),
        );
        if s.d.status.observed_generation < s.d.metadata.generation {
            s.d.status.observed_generation = s.d.metadata.generation;
            let _ = client::update_deployment_status(s.cluster, &s.d);
        }
        return Ok(());
    }

    let rs_list = replica_sets_for_deployment(&mut s)?;
    // The pod map is read by the Recreate strategy only (nothing before it changes pods): build it there, but
    // fail on a bad selector here, where `getPodMapForDeployment` would.
    Selector::from_label_selector(s.d.spec.selector.as_deref()).map_err(SyncError::Other)?;

    // Only a rolling step records a budget; any other path leaves none behind.
    s.cluster.rec.budget(KIND, key.clone(), None);
    if s.d.metadata.deletion_timestamp.is_some() {
        return sync::sync_status_only(&mut s, rs_list);
    }
    sync::check_paused_conditions(&mut s)?;
    if s.d.spec.paused {
        return sync::sync(&mut s, rs_list);
    }
    if util::rollback_to(&s.d).is_some() {
        return rollback::rollback(&mut s, rs_list);
    }
    if sync::is_scaling_event(&mut s, rs_list.clone())? {
        return sync::sync(&mut s, rs_list);
    }
    match s.d.spec.strategy.r#type.as_str() {
        util::RECREATE => {
            let pod_map = pod_map_for_deployment(s.cluster, &s.d, &rs_list)?;
            recreate::rollout_recreate(&mut s, rs_list, &pod_map)
        }
        util::ROLLING_UPDATE => rolling::rollout_rolling(&mut s, rs_list),
        other => Err(SyncError::Other(format!("unexpected deployment strategy type: {other}"))),
    }
}

/// `getReplicaSetsForDeployment`: the ReplicaSets of the namespace this Deployment controls, after
/// `ClaimReplicaSets` adopted matching orphans and released owned ones that no longer match. The claimed list
/// holds the objects as listed (an adopted one without its new owner reference, as in Go).
fn replica_sets_for_deployment(s: &mut Sync<'_>) -> SyncResult<Vec<ReplicaSet>> {
    let d = &s.d;
    let selector = Selector::from_label_selector(d.spec.selector.as_deref()).map_err(|e| {
        SyncError::Other(format!(
            "deployment {}/{} has invalid label selector: {e}",
            d.metadata.namespace, d.metadata.name
        ))
    })?;
    let listed: Vec<ReplicaSet> = cluster_replica_sets_in(s.cluster, &d.metadata.namespace);
    let deleting = d.metadata.deletion_timestamp.is_some();
    let mut claimed = Vec::new();
    let mut errors = Vec::new();
    for rs in listed {
        let matches = selector.matches(&rs.metadata.labels);
        match controller_of(&rs.metadata) {
            Some(r) if r.uid != d.metadata.uid => {}
            Some(_) if matches => claimed.push(rs),
            Some(_) => {
                if !deleting {
                    let uid = s.d.metadata.uid.clone();
                    match client::patch_replica_set_owner(s.cluster, &rs, None, Some(&uid)) {
                        Ok(()) | Err(SyncError::Api(crate::cluster::ApiError::NotFound(_))) => {}
                        Err(e) => errors.push(e),
                    }
                }
            }
            None => {
                if deleting || !matches || rs.metadata.deletion_timestamp.is_some() {
                    continue;
                }
                if let Err(e) = can_adopt(s.cluster, &s.d) {
                    errors.push(e);
                    continue;
                }
                match client::patch_replica_set_owner(s.cluster, &rs, Some(s.owner.controller_ref()), None) {
                    Ok(()) => claimed.push(rs),
                    Err(SyncError::Api(crate::cluster::ApiError::NotFound(_))) => {}
                    Err(e) => errors.push(e),
                }
            }
        }
    }
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(claimed),
    }
}

/// The ReplicaSets of a namespace, in name order (the lister's order in this model).
fn cluster_replica_sets_in(cluster: &Cluster, namespace: &str) -> Vec<ReplicaSet> {
    cluster.store().list_in::<ReplicaSet>(namespace).cloned().collect()
}

/// `RecheckDeletionTimestamp`: adoption needs the Deployment to still exist, with the same UID, and not be
/// being deleted.
fn can_adopt(cluster: &Cluster, d: &Deployment) -> SyncResult<()> {
    let key = (d.metadata.namespace.clone(), d.metadata.name.clone());
    let Some(fresh) = cluster.store().by_key::<Deployment>(&key) else {
        return Err(SyncError::Other(format!(
            "can't recheck DeletionTimestamp: deployments.apps {:?} not found",
            d.metadata.name
        )));
    };
    if fresh.metadata.uid != d.metadata.uid {
        return Err(SyncError::Other(format!(
            "original Deployment {}/{} is gone: got uid {}, wanted {}",
            d.metadata.namespace, d.metadata.name, fresh.metadata.uid, d.metadata.uid
        )));
    }
    if fresh.metadata.deletion_timestamp.is_some() {
        return Err(SyncError::Other(format!("{}/{} has just been deleted", d.metadata.namespace, d.metadata.name)));
    }
    Ok(())
}

/// Pods grouped by the UID of their controlling ReplicaSet.
pub(crate) type PodMap = BTreeMap<String, Vec<Pod>>;

/// `getPodMapForDeployment`: the pods the Deployment selects, inactive ones included, by the claimed
/// ReplicaSet that controls them.
fn pod_map_for_deployment(cluster: &Cluster, d: &Deployment, rs_list: &[ReplicaSet]) -> SyncResult<PodMap> {
    let selector = Selector::from_label_selector(d.spec.selector.as_deref()).map_err(SyncError::Other)?;
    let mut map: PodMap = rs_list.iter().map(|rs| (rs.metadata.uid.clone(), Vec::new())).collect();
    // Only pods controlled by one of the ReplicaSets can land in the map: read those, not the namespace.
    for (uid, list) in map.iter_mut() {
        let pods = cluster.store().controlled_pods(&d.metadata.namespace, uid);
        list.extend(pods.filter(|p| selector.matches(&p.metadata.labels)).map(|p| Pod::clone(p)));
    }
    Ok(map)
}

/// Builders for the unit tests: a cluster holding a Deployment and its ReplicaSets, and a sync over it.
#[cfg(test)]
pub(crate) mod harness {
    use super::*;
    use crate::api::apps_v1::{DeploymentStrategy, RollingUpdateDeployment};
    use crate::api::core_v1::Container;
    use crate::api::{IntOrString, Object};

    /// A valid Deployment `foo` in `default`, RollingUpdate with the given surge and unavailability (the
    /// `newDeployment` of the Go tests, which defaults both to 0).
    pub fn deployment(replicas: i32, surge: i32, unavailable: i32) -> Deployment {
        let mut d = Deployment::default();
        d.metadata.name = "foo".into();
        d.metadata.namespace = "default".into();
        d.metadata.uid = "uid-foo".into();
        d.metadata.generation = 1;
        d.metadata.resource_version = "1".into();
        d.spec.replicas = Some(replicas);
        d.spec.selector = Some(Box::new(LabelSelector {
            match_labels: [("foo".to_owned(), "bar".to_owned())].into(),
            ..Default::default()
        }));
        d.spec.template.metadata.labels = [("foo".to_owned(), "bar".to_owned())].into();
        d.spec.template.spec.containers =
            vec![Container { name: "c".into(), image: "foo/bar".into(), ..Default::default() }];
        d.spec.strategy = DeploymentStrategy {
            r#type: util::ROLLING_UPDATE.into(),
            rolling_update: Some(Box::new(RollingUpdateDeployment {
                max_surge: Some(IntOrString::Int(surge)),
                max_unavailable: Some(IntOrString::Int(unavailable)),
            })),
        };
        d
    }

    /// A ReplicaSet of `d` created at logical second `created`, with `replicas` wanted and `available` available.
    pub fn replica_set(d: &Deployment, name: &str, replicas: i32, available: i32, created: u64) -> ReplicaSet {
        let mut rs = ReplicaSet::default();
        rs.metadata.name = name.into();
        rs.metadata.namespace = "default".into();
        rs.metadata.uid = format!("uid-{name}");
        rs.metadata.resource_version = "1".into();
        rs.metadata.generation = 1;
        rs.metadata.creation_timestamp = Time::at_second(created);
        rs.metadata.owner_references = vec![Owner::of(GroupKind::Deployment, &d.metadata).controller_ref()];
        rs.metadata.labels = d.spec.template.metadata.labels.clone();
        rs.spec.replicas = Some(replicas);
        rs.spec.selector = d.spec.selector.clone();
        rs.spec.template = d.spec.template.clone();
        rs.status.replicas = replicas;
        rs.status.available_replicas = available;
        rs.status.observed_generation = 1;
        rs
    }

    pub fn cluster_with(d: &Deployment, rss: &[ReplicaSet]) -> Cluster {
        let mut c = Cluster::new();
        c.store_mut().put_as_is(Object::Deployment(Box::new(d.clone())));
        for rs in rss {
            c.store_mut().put_as_is(Object::ReplicaSet(Box::new(rs.clone())));
        }
        c
    }

    pub fn sync_of(cluster: &mut Cluster, d: Deployment) -> Sync<'_> {
        let owner = Owner::of(GroupKind::Deployment, &d.metadata);
        let clock = Clock::of(cluster);
        Sync { cluster, d, owner, clock }
    }

    /// `spec.replicas` of a stored ReplicaSet (`None` once deleted).
    pub fn size(cluster: &Cluster, name: &str) -> Option<i32> {
        cluster.store().by_key::<ReplicaSet>(&("default".to_owned(), name.to_owned())).and_then(|rs| rs.spec.replicas)
    }
}

#[cfg(test)]
mod tests {
    use super::harness::{cluster_with, deployment};
    use super::*;

    /// An empty selector selects everything: the controller refuses it with a warning and does nothing else.
    /// (Validation refuses such a Deployment, so only a stored one that predates it could have it.)
    #[test]
    fn selecting_all_is_refused() {
        let mut d = deployment(1, 1, 0);
        d.spec.selector = Some(Box::new(LabelSelector::default()));
        let mut cluster = cluster_with(&d, &[]);
        sync_all(&mut cluster);
        let events: Vec<&str> = cluster.rec.events.iter().map(|e| e.reason.as_str()).collect();
        assert_eq!(events, ["SelectingAll"]);
        assert_eq!(cluster.store().count(GroupKind::ReplicaSet), 0);
    }
}
