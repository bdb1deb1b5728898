//! The ReplicaSet controller (`pkg/controller/replicaset/replica_set.go`).
//!
//! One sync (`syncReplicaSet`): list the namespace's active pods, claim those the selector matches (adopting
//! orphans, releasing owned pods that no longer match), create the missing pods in slow-start batches or delete
//! the surplus ones in ranked order (at most [`BURST_REPLICAS`] either way), then store the status computed from
//! the pods listed at the start: pods created or deleted by this sync show in the status of the next one.

mod ranking;
mod status;
mod view;

pub use ranking::{compare as compare_for_deletion, logarithmic_rank_diff, pods_to_delete, POD_DELETION_COST};
pub use status::{calculate_status, PodCounts};
pub use view::Views;

use std::sync::Arc;

use crate::api::apps_v1::ReplicaSet;
use crate::api::core_v1::Pod;
use crate::api::labels::Selector;
use crate::api::{GroupKind, Object, Time, controller_of};
use crate::cluster::store::key_of;
use crate::cluster::{Cluster, Concurrency, Key, Store};
use crate::controller::util::{self, Owner};

pub const COMPONENT: &str = "replicaset-controller";
/// `BurstReplicas`: at most this many creations or deletions per sync.
pub const BURST_REPLICAS: usize = 500;
/// `SlowStartInitialBatchSize`.
pub const SLOW_START_INITIAL_BATCH_SIZE: usize = 1;

/// How far the controllers' wall clock is ahead of the logical timestamps, in seconds (2^25 s, about a year).
///
/// The expected plans come from real controllers whose `metav1.Now()` read the wall clock while the objects
/// carried the model's logical timestamps (2024-01-01 onwards). Seen from that far, every pod is old: pods whose
/// ages differ by seconds have the same log2 age, so the deletion ranking falls back to UIDs (creation order), and
/// a pod Ready for `minReadySeconds` is available at once. The lead keeps those log2 ages equal for plans of up to
/// millions of objects.
pub const WALL_CLOCK_LEAD_SECONDS: u64 = 1 << 25;

/// The controllers' wall clock in seconds on the model's time line.
pub fn wall_clock_seconds(store: &Store) -> u64 {
    store.created() + WALL_CLOCK_LEAD_SECONDS
}

/// Sync every ReplicaSet, in namespace/name order.
pub fn sync_all(views: &mut Views, cluster: &mut Cluster) {
    views.retain_existing(cluster.store());
    let keys: Vec<Key> = cluster.store().keys(GroupKind::ReplicaSet).cloned().collect();
    for key in keys {
        sync(views, cluster, &key);
    }
}

/// What a sync's claim found: the claimed pods as listed, or, from the ReplicaSet's view, their counts.
enum Claimed {
    Listed(Vec<Arc<Pod>>),
    Viewed(PodCounts),
}

impl Claimed {
    /// How many pods were claimed.
    fn len(&self) -> usize {
        match self {
            Claimed::Listed(pods) => pods.len(),
            Claimed::Viewed(counts) => counts.replicas as usize,
        }
    }

    /// The status's counts of the claimed pods, at the controllers' wall clock `now_seconds`.
    fn counts(&self, rs: &ReplicaSet, now_seconds: u64) -> PodCounts {
        match self {
            Claimed::Listed(pods) => PodCounts::tally(rs, pods, now_seconds),
            Claimed::Viewed(counts) => *counts,
        }
    }

    /// The claimed pods, in name order. A view stands for a claim that adopts and releases nothing, so its pods
    /// are the active pods the ReplicaSet controls and selects.
    fn pods(&self, store: &Store, rs: &ReplicaSet, selector: &Selector) -> Vec<Arc<Pod>> {
        match self {
            Claimed::Listed(pods) => pods.clone(),
            Claimed::Viewed(_) => list_claim(store, rs, selector).0,
        }
    }
}

/// `syncReplicaSet`.
///
/// The claimed pods are the stored pods themselves, shared (`Arc`), as the informer's lister hands out its
/// cached objects: a write the sync makes stores a new pod beside them rather than changing them, so the status
/// counts the pods as they were listed, whether the sync then created pods or deleted some. Where the
/// ReplicaSet's view stands for the claim ([`Views`]), the sync reads the view's counts and lists no pod unless
/// it deletes some.
fn sync(views: &mut Views, cluster: &mut Cluster, key: &Key) {
    let Some(rs) = cluster.store().by_key::<ReplicaSet>(key).cloned() else { return };
    let Ok(selector) = Selector::from_label_selector(rs.spec.selector.as_deref()) else { return };
    let owner = Owner::of(GroupKind::ReplicaSet, &rs.metadata);
    let claimed = match views.claimed(cluster.store(), &rs, &selector) {
        Some(counts) => Claimed::Viewed(counts),
        None => {
            let Some(pods) = claim_pods(cluster, &rs, &owner, &selector) else { return };
            views.build(cluster.store(), &rs, &selector, &pods);
            Claimed::Listed(pods)
        }
    };
    let manage_error = if rs.metadata.deletion_timestamp.is_none() {
        manage_replicas(cluster, &claimed, &rs, &selector, &owner).err()
    } else {
        None
    };
    let now = Time::at_second(cluster.store().created());
    let counts = claimed.counts(&rs, wall_clock_seconds(cluster.store()));
    let status = status::calculate_status(&rs, counts, manage_error.as_deref(), &now);
    status::update_status(cluster, &rs, status);
}

/// An owner-reference patch the claim makes: release a pod, or adopt one (with its place among the claimed
/// pods).
enum Patch {
    Release(Key),
    Adopt(Key, usize),
}

/// `PodControllerRefManager.ClaimPods` over the active pods: the pods this ReplicaSet controls and matches, plus
/// matching orphans it adopts; owned pods that no longer match are released. The claimed pods are returned as
/// listed, an adopted one as its adoption stored it. `None` when an adoption or release failed (the sync then
/// stops).
///
/// The patches (rare: adoption and release) are made after the pods were classified ([`list_claim`]), in the
/// order of the pods; that is the order the pass would have made them in, as patching a pod's owner references
/// changes neither another pod's verdict nor the ReplicaSet the adoption checks.
fn claim_pods(cluster: &mut Cluster, rs: &ReplicaSet, owner: &Owner, selector: &Selector) -> Option<Vec<Arc<Pod>>> {
    let (mut claimed, patches) = list_claim(cluster.store(), rs, selector);
    for patch in patches {
        match patch {
            Patch::Release(key) => patch_pod_owner(cluster, &key, |refs| refs.retain(|r| r.uid != rs.metadata.uid)),
            Patch::Adopt(key, at) => {
                if !cluster
                    .store()
                    .by_key::<ReplicaSet>(&key_of(&rs.metadata))
                    .is_some_and(|f| f.metadata.uid == rs.metadata.uid && f.metadata.deletion_timestamp.is_none())
                {
                    return None;
                }
                let controller_ref = owner.controller_ref();
                patch_pod_owner(cluster, &key, |refs| match refs.iter_mut().find(|r| r.uid == controller_ref.uid) {
                    Some(r) => *r = controller_ref.clone(),
                    None => refs.push(controller_ref.clone()),
                });
                if let Some(adopted) = cluster.store().shared_pod(&key) {
                    claimed[at] = Arc::clone(adopted);
                }
            }
        }
    }
    Some(claimed)
}

/// The claim's verdict on every claimable pod, in one pass over the pods where the store lists them: the pods
/// claimed (adoptions among them, as listed) and the patches the claim makes.
fn list_claim(store: &Store, rs: &ReplicaSet, selector: &Selector) -> (Vec<Arc<Pod>>, Vec<Patch>) {
    let deleting = rs.metadata.deletion_timestamp.is_some();
    let mut claimed = Vec::new();
    let mut patches = Vec::new();
    for pod in store.claimable_pods(&rs.metadata.namespace, &rs.metadata.uid) {
        if !util::is_pod_active(pod) {
            continue;
        }
        let matches = selector.matches(&pod.metadata.labels);
        match controller_of(&pod.metadata) {
            Some(r) if r.uid != rs.metadata.uid => {}
            Some(_) if matches => claimed.push(Arc::clone(pod)),
            Some(_) => {
                if !deleting {
                    patches.push(Patch::Release(key_of(&pod.metadata)));
                }
            }
            None => {
                if deleting || !matches || pod.metadata.deletion_timestamp.is_some() {
                    continue;
                }
                patches.push(Patch::Adopt(key_of(&pod.metadata), claimed.len()));
                claimed.push(Arc::clone(pod));
            }
        }
    }
    (claimed, patches)
}

/// Patch a pod's owner references (adoption and release); a pod gone meanwhile is left alone.
fn patch_pod_owner(
    cluster: &mut Cluster,
    key: &Key,
    change: impl FnOnce(&mut Vec<crate::api::meta_v1::OwnerReference>),
) {
    let Some(mut stored) = cluster.store().by_key::<Pod>(key).cloned() else { return };
    change(&mut stored.metadata.owner_references);
    let _ = cluster.patch(Object::Pod(Arc::new(stored)), Concurrency::Unchecked);
}

/// `manageReplicas`: create or delete pods to reach `spec.replicas`, given the claimed pods. Returns the first
/// error, which becomes the ReplicaFailure condition.
fn manage_replicas(
    cluster: &mut Cluster,
    claimed: &Claimed,
    rs: &ReplicaSet,
    selector: &Selector,
    owner: &Owner,
) -> Result<(), String> {
    let want = rs.spec.replicas.unwrap_or(1).max(0) as usize;
    let have = claimed.len();
    if have < want {
        let count = (want - have).min(BURST_REPLICAS);
        let (_, result) = slow_start_batch(count, SLOW_START_INITIAL_BATCH_SIZE, || {
            let pod = util::pod_from_template(&rs.spec.template, owner);
            util::create_pod(cluster, pod, owner, COMPONENT).map(|_| ()).map_err(|e| e.to_string())
        });
        return result;
    }
    if have > want {
        let count = (have - want).min(BURST_REPLICAS);
        let related = indirectly_related_pods(cluster, rs);
        let pods = claimed.pods(cluster.store(), rs, selector).iter().map(|p| Pod::clone(p)).collect();
        let victims = ranking::pods_to_delete(pods, &related, count, wall_clock_seconds(cluster.store()));
        for pod in victims {
            // A pod already gone is not an error (and gets no event).
            util::delete_pod(cluster, &rs.metadata.namespace, &pod.metadata.name, owner, COMPONENT);
        }
    }
    Ok(())
}

/// `slowStartBatch`: call `f` `count` times in batches of 1, 2, 4, ... (starting at `initial`); a batch with a
/// failure is finished but no further batch starts. Returns the successes and the first error.
pub fn slow_start_batch(
    count: usize,
    initial: usize,
    mut f: impl FnMut() -> Result<(), String>,
) -> (usize, Result<(), String>) {
    let mut remaining = count;
    let mut successes = 0;
    let mut batch = remaining.min(initial);
    while batch > 0 {
        let mut first_error = None;
        for _ in 0..batch {
            match f() {
                Ok(()) => successes += 1,
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first_error {
            return (successes, Err(e));
        }
        remaining -= batch;
        batch = (2 * batch).min(remaining);
    }
    (successes, Ok(()))
}

/// `getIndirectlyRelatedPods`: the pods selected by every ReplicaSet with the same controller as `rs` (itself
/// included), each once. A ReplicaSet without a controller has none.
fn indirectly_related_pods(cluster: &Cluster, rs: &ReplicaSet) -> Vec<Pod> {
    let Some(controller) = controller_of(&rs.metadata) else { return Vec::new() };
    let mut seen = std::collections::HashSet::new();
    let mut related = Vec::new();
    for other in cluster.store().list::<ReplicaSet>() {
        if controller_of(&other.metadata).is_none_or(|r| r.uid != controller.uid) {
            continue;
        }
        let Ok(selector) = Selector::from_label_selector(other.spec.selector.as_deref()) else { continue };
        for pod in cluster.store().list_in::<Pod>(&other.metadata.namespace) {
            if selector.matches(&pod.metadata.labels) && seen.insert(pod.metadata.uid.clone()) {
                related.push(pod.clone());
            }
        }
    }
    related
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_start_doubles_and_stops_after_a_failed_batch() {
        let mut calls = 0;
        let (ok, r) = slow_start_batch(10, 1, || {
            calls += 1;
            Ok(())
        });
        assert_eq!((ok, r, calls), (10, Ok(()), 10));
        // Batches 1, 2, 4: the fourth call fails, its batch (calls 4..7) completes, nothing more starts.
        let mut calls = 0;
        let (ok, r) = slow_start_batch(10, 1, || {
            calls += 1;
            if calls == 4 {
                Err("no".into())
            } else {
                Ok(())
            }
        });
        assert_eq!((ok, r, calls), (6, Err("no".into()), 7));
    }
}
