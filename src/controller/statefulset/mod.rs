//! The StatefulSet controller (`pkg/controller/statefulset`), as v1.32 runs it with its default gates
//! (`MaxUnavailableStatefulSet` off, `StatefulSetAutoDeletePVC`, `StatefulSetStartOrdinal` and `PodIndexLabel` on).
//!
//! One sync (`stateful_set.go:sync`): adopt orphaned revisions, claim the pods whose names make them members, then
//! [`stateful_set_control::update_stateful_set`]: revisions, pods, status, history.
//!
//! * [`identity`]: ordinal names, identity labels, hostname and subdomain, claim volumes, revision label.
//! * [`history`]: ControllerRevisions named `<set>-<hash>`, reused, renumbered on rollback, trimmed.
//! * [`stateful_set_control`]: OrderedReady and Parallel creation and deletion, partitioned rolling updates,
//!   OnDelete.
//! * [`stateful_pod_control`]: the pod and claim writes and their events.
//! * [`status`]: replica counts and the completion of a rolling update.

pub mod history;
pub mod identity;
pub mod stateful_pod_control;
pub mod stateful_set_control;
pub mod status;


use crate::api::apps_v1::StatefulSet;
use crate::api::core_v1::Pod;
use crate::api::labels::Selector;
use crate::api::{GroupKind, controller_of};
use crate::cluster::{Cluster, Key};
use crate::controller::util::{self, Owner};

pub const COMPONENT: &str = "statefulset-controller";

/// What the controller remembers between syncs beyond the store: nothing (its claims are stored objects).
#[derive(Clone, Debug, Default)]
pub struct State {}

/// Sync every StatefulSet, in namespace/name order.
pub fn sync_all(_state: &mut State, cluster: &mut Cluster) {
    let keys: Vec<Key> = cluster.store().keys(GroupKind::StatefulSet).cloned().collect();
    for key in keys {
        sync(cluster, &key);
    }
}

/// `StatefulSetController.sync`. A selector that does not parse stops the sync for good, as in Go.
fn sync(cluster: &mut Cluster, key: &Key) {
    let Some(set) = cluster.store().by_key::<StatefulSet>(key).cloned() else { return };
    let Ok(selector) = Selector::from_label_selector(set.spec.selector.as_deref()) else { return };
    if !adopt_orphan_revisions(cluster, &set, &selector) {
        return;
    }
    let pods = pods_for(cluster, &set, &selector);
    stateful_set_control::update_stateful_set(cluster, &set, &selector, &pods);
}

/// `adoptOrphanRevisions`: revisions the selector matches that have no controller become the set's. A set being
/// deleted cannot adopt, which fails the sync (returns false).
fn adopt_orphan_revisions(cluster: &mut Cluster, set: &StatefulSet, selector: &Selector) -> bool {
    let orphans: Vec<_> =
        history::list(cluster, set, selector).into_iter().filter(|r| controller_of(&r.metadata).is_none()).collect();
    if orphans.is_empty() {
        return true;
    }
    if set.metadata.deletion_timestamp.is_some() {
        return false;
    }
    for rev in &orphans {
        history::adopt(cluster, set, rev);
    }
    true
}

/// `getPodsForStatefulSet`: claim the namespace's pods that match the selector and whose names make them
/// members of the set (`isMemberOf`), adopting orphans and releasing pods that no longer qualify.
fn pods_for(cluster: &mut Cluster, set: &StatefulSet, selector: &Selector) -> Vec<Pod> {
    let owner = Owner::of(GroupKind::StatefulSet, &set.metadata);
    let member = |p: &Pod| identity::is_member_of(set, p);
    let deleting = set.metadata.deletion_timestamp.is_some();
    let keys = util::claim_pods_with(cluster, &owner, selector, deleting, &member, None);
    keys.iter().filter_map(|k| cluster.store().by_key::<Pod>(k).cloned()).collect()
}
