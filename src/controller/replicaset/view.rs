//! The ReplicaSet controller's claim, kept between syncs instead of walked on every one.
//!
//! `syncReplicaSet` lists the namespace's pods, claims those the ReplicaSet controls and selects (adopting
//! orphans it selects, releasing pods it no longer selects) and counts the claimed pods for its status.
//! Kubernetes affords the walk because a sync runs when an event for the ReplicaSet arrives. The cluster model
//! syncs every ReplicaSet every round, so a ReplicaSet of 5,000 replicas had its 5,000 pods walked, matched and
//! counted in every round of a plan, most of them unchanged since the round before. A view keeps what a sync
//! needs of its claim, the number of claimed pods and the status's counts, and the pods written since are routed
//! to it: each written pod once, by the UID of its controller, however many ReplicaSets there are.
//!
//! A view stands for the claim only while the claim would change nothing. A written pod the claim would adopt
//! (an active orphan that a viewed ReplicaSet of its namespace selects) or release (an active pod the
//! ReplicaSet controls and no longer selects) drops that ReplicaSet's view, and its next sync claims in full and
//! builds the view again; so does a change of what the view was derived from, and a pod log that no longer
//! reaches back to the views' position. ReplicaSets with `minReadySeconds` are not viewed, since their
//! availability moves with the clock, nor are ReplicaSets being deleted.

use std::rc::Rc;
use std::sync::Arc;

use super::status::PodCounts;
use crate::api::apps_v1::ReplicaSet;
use crate::api::controller_of;
use crate::api::core_v1::Pod;
use crate::api::labels::Selector;
use crate::cluster::store::key_of;
use crate::cluster::{Key, Store};
use crate::controller::util::is_pod_active;
use crate::hash::HashMap;

/// Every viewed ReplicaSet's claim, and which view counts each pod.
#[derive(Debug, Default)]
pub struct Views {
    /// The pod log position every view is up to date with; `None` while there is no view.
    seen_pods: Option<u64>,
    /// The views by the ReplicaSet's UID, the key a written pod is routed by.
    by_uid: HashMap<Rc<str>, View>,
    /// The pods some view counts: the UID of that view's ReplicaSet and what the pod added to its counts.
    listed: HashMap<Key, (Rc<str>, PodCounts)>,
}

/// One ReplicaSet's claim: what it was derived from, and the counts of the claimed pods.
#[derive(Debug)]
struct View {
    /// The ReplicaSet's UID, shared with the pods it counts in [`Views::listed`].
    uid: Rc<str>,
    basis: Basis,
    counts: PodCounts,
}

/// What a view was derived from: when any of it changes, the view is dropped and built again.
#[derive(Debug, PartialEq)]
struct Basis {
    key: Key,
    selector: Selector,
    template_labels: std::collections::BTreeMap<String, String>,
}

impl Basis {
    fn of(rs: &ReplicaSet, selector: &Selector) -> Basis {
        Basis {
            key: key_of(&rs.metadata),
            selector: selector.clone(),
            template_labels: rs.spec.template.metadata.labels.clone(),
        }
    }

    fn holds_for(&self, rs: &ReplicaSet, selector: &Selector) -> bool {
        self.key.0 == rs.metadata.namespace
            && self.key.1 == rs.metadata.name
            && self.selector == *selector
            && self.template_labels == rs.spec.template.metadata.labels
    }
}

/// Whether a ReplicaSet's claim can be viewed: its availability does not depend on the clock, and it manages
/// pods (a ReplicaSet being deleted only releases them).
fn viewable(rs: &ReplicaSet) -> bool {
    rs.spec.min_ready_seconds == 0 && rs.metadata.deletion_timestamp.is_none()
}

impl Views {
    /// The oldest pod log position a view still needs.
    pub fn log_position(&self) -> Option<u64> {
        self.seen_pods
    }

    /// Whether the ReplicaSet with `uid` has a view that its next sync would read, unless a write drops it.
    pub fn is_viewed(&self, uid: &str) -> bool {
        self.by_uid.contains_key(uid)
    }

    /// The counts of what `rs`'s claim would list, when its view stands for the claim; `None` when the sync must
    /// claim in full (there is no view, it was dropped, or `rs` is not viewed). Every view is brought up to date
    /// first, with the pods written since the last sync of any ReplicaSet.
    pub(super) fn claimed(&mut self, store: &Store, rs: &ReplicaSet, selector: &Selector) -> Option<PodCounts> {
        self.catch_up(store);
        let uid = rs.metadata.uid.as_str();
        match self.by_uid.get(uid) {
            Some(view) if viewable(rs) && view.basis.holds_for(rs, selector) => {
                #[cfg(debug_assertions)]
                view.assert_same_as_claim(store, rs, selector);
                Some(view.counts)
            }
            Some(_) => {
                self.drop_view(uid);
                None
            }
            None => None,
        }
    }

    /// Build `rs`'s view from the pods its full claim just listed (after adopting and releasing), if `rs` is
    /// viewed.
    pub(super) fn build(&mut self, store: &Store, rs: &ReplicaSet, selector: &Selector, claimed: &[Arc<Pod>]) {
        if !viewable(rs) || rs.metadata.uid.is_empty() {
            return;
        }
        self.drop_view(&rs.metadata.uid);
        let uid: Rc<str> = Rc::from(rs.metadata.uid.as_str());
        let mut counts = PodCounts::default();
        for pod in claimed {
            let share = PodCounts::of_ready(&rs.spec.template.metadata.labels, pod);
            counts += share;
            self.listed.insert(key_of(&pod.metadata), (Rc::clone(&uid), share));
        }
        self.by_uid.insert(Rc::clone(&uid), View { uid, basis: Basis::of(rs, selector), counts });
        // Writes before the end of the log that the other views have not taken in yet are routed to this view
        // too; routing reads each pod as it is now, so the view comes out the same.
        self.seen_pods.get_or_insert(store.pod_log().end());
    }

    /// Drop the views of ReplicaSets that are gone (a UID no longer stored under the view's key).
    pub(super) fn retain_existing(&mut self, store: &Store) {
        let gone: Vec<Rc<str>> = self
            .by_uid
            .iter()
            .filter(|(uid, view)| store.by_key::<ReplicaSet>(&view.basis.key).is_none_or(|rs| *rs.metadata.uid != ***uid))
            .map(|(uid, _)| Rc::clone(uid))
            .collect();
        for uid in gone {
            self.drop_view(&uid);
        }
    }

    fn drop_view(&mut self, uid: &str) {
        if self.by_uid.remove(uid).is_some() {
            self.listed.retain(|_, (owner, _)| **owner != *uid);
        }
        if self.by_uid.is_empty() {
            self.seen_pods = None;
            self.listed.clear();
        }
    }

    /// Route every pod written since the views' position; if the log no longer reaches back that far, drop every
    /// view.
    fn catch_up(&mut self, store: &Store) {
        let Some(from) = self.seen_pods else { return };
        let Some(written) = store.pod_log().distinct_since(from) else {
            *self = Views::default();
            return;
        };
        for key in written {
            self.route(store, key);
        }
        self.seen_pods = Some(store.pod_log().end());
    }

    /// Take a written pod out of the view that counted it, and count it in the view of the ReplicaSet that would
    /// claim it now, reading it as the store holds it. A pod the claim would adopt or release drops the view of
    /// the ReplicaSet that would do it.
    fn route(&mut self, store: &Store, key: &Key) {
        // A counted pod is written two or three times a round: its entry's key is kept for the new entry.
        let listed_key = self.listed.remove_entry(key).map(|(listed_key, (uid, share))| {
            if let Some(view) = self.by_uid.get_mut(&uid) {
                view.counts -= share;
            }
            listed_key
        });
        let Some(pod) = store.shared_pod(key) else { return };
        if !is_pod_active(pod) {
            return;
        }
        let labels = &pod.metadata.labels;
        let Some(controller) = controller_of(&pod.metadata) else {
            // An orphan: adopted by the first sync of any ReplicaSet of its namespace that selects it.
            let adopting: Vec<Rc<str>> = self
                .by_uid
                .iter()
                .filter(|(_, v)| v.basis.key.0 == pod.metadata.namespace && v.basis.selector.matches(labels))
                .map(|(uid, _)| Rc::clone(uid))
                .collect();
            for uid in adopting {
                self.drop_view(&uid);
            }
            return;
        };
        let Some(view) = self.by_uid.get_mut(controller.uid.as_str()) else { return };
        if view.basis.key.0 != pod.metadata.namespace {
            return;
        }
        if !view.basis.selector.matches(labels) {
            let uid = Rc::clone(&view.uid);
            self.drop_view(&uid);
            return;
        }
        // A viewed ReplicaSet has no `minReadySeconds`: a Ready pod is available whatever the clock says.
        let share = PodCounts::of_ready(&view.basis.template_labels, pod);
        view.counts += share;
        self.listed.insert(listed_key.unwrap_or_else(|| key.clone()), (Rc::clone(&view.uid), share));
    }
}

#[cfg(debug_assertions)]
impl View {
    /// Test and debug builds check every view a sync uses against the full claim it stands for.
    fn assert_same_as_claim(&self, store: &Store, rs: &ReplicaSet, selector: &Selector) {
        let (claimed, patches) = super::list_claim(store, rs, selector);
        assert!(patches.is_empty(), "a ReplicaSet view is used while the claim would adopt or release pods");
        let now = super::wall_clock_seconds(store);
        assert_eq!(self.counts, PodCounts::tally(rs, &claimed, now), "ReplicaSet view and full claim disagree");
    }
}
