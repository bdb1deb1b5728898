//! The controller's per-node picture of one DaemonSet, brought up to date from the pods written since its last
//! sync instead of recomputed from every node and pod on each sync.
//!
//! Kubernetes' DaemonSet controller recomputes `manage` and the status from its informer caches on every sync;
//! that is affordable there because a sync runs when an event for the DaemonSet arrives, and the burst of 250
//! creations per sync is followed by the informer's events for those 250 pods. The cluster model syncs every
//! DaemonSet every round, so a full walk over 130,000 nodes and their pods, about 500 rounds long at 250
//! creations a round, made a plan quadratic. The view keeps, per node, the should-run verdict, the DaemonSet's
//! pods there, what `manage` wants done there ([`super::pods_should_be_on_node`]) and the node's share of the
//! status ([`super::status::node_counts`]); a pod write re-derives only the nodes that pod was or is on. The
//! answers are those of the full walk, which is also how the view is built.
//!
//! The view is rebuilt, through the full walk and its claim, whenever it cannot be trusted: the DaemonSet's spec,
//! template generation or hash changed, any node or namespace was written, the store's pod log no longer reaches
//! back to the view's position, or a written pod would be adopted or released by the claim. DaemonSets with
//! `minReadySeconds` are not viewed at all, since their availability moves with the clock.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::apps_v1::{DaemonSet, DaemonSetSpec};
use crate::api::core_v1::{Node, Pod};
use crate::api::labels::Selector;
use crate::api::GroupKind;
use crate::cluster::{Cluster, Key, Store};
use crate::controller::util::Owner;
use crate::hash::HashMap;

use super::status::{node_counts, Counts};
use super::nodes::{Placement, Unsuitable, Verdict};
use super::{is_pod_updated, node_to_daemon_pods, pods_of, pods_should_be_on_node};
use super::{listed_node, template_generation, with_daemon_pods, ClaimNeeded, NodePlan, BURST_REPLICAS};

/// Every DaemonSet's view, by namespace and name, and what the controller last decided about each node.
#[derive(Debug, Default)]
pub struct Views {
    by_ds: HashMap<Key, View>,
    /// Per DaemonSet, the nodes it runs no pod on and why, as the controller last worked them out (when it
    /// built the view, or at every sync of a DaemonSet it walks).
    unsuitable: HashMap<Key, UnsuitableNodes>,
}

/// The nodes a DaemonSet runs no pod on, by name, with the reason.
pub type UnsuitableNodes = BTreeMap<String, Unsuitable>;

impl Views {
    /// The nodes the DaemonSet `key` runs no pod on, and why (`None` before its first `manage`).
    pub fn unsuitable(&self, key: &Key) -> Option<&UnsuitableNodes> {
        self.unsuitable.get(key)
    }

    /// Record what `manage` worked out about the DaemonSet's nodes.
    pub(super) fn record_unsuitable(&mut self, key: &Key, nodes: UnsuitableNodes) {
        self.unsuitable.insert(key.clone(), nodes);
    }

    /// The oldest pod log position a view still needs.
    pub fn log_position(&self) -> Option<u64> {
        self.by_ds.values().map(|v| v.seen_pods).min()
    }

    /// Drop the views of DaemonSets that no longer exist or are being deleted (their syncs stop before
    /// `manage`, so their views would stay behind and keep the pod log from being compacted).
    pub(super) fn retain_existing(&mut self, store: &Store) {
        self.by_ds.retain(|k, _| store.by_key::<DaemonSet>(k).is_some_and(|ds| ds.metadata.deletion_timestamp.is_none()));
        self.unsuitable.retain(|k, _| store.by_key::<DaemonSet>(k).is_some());
    }
}

/// What a view was derived from: when any of it changes, the view is rebuilt.
#[derive(Debug, PartialEq)]
struct Basis {
    uid: String,
    spec: DaemonSetSpec,
    template_generation: Option<i64>,
    hash: String,
    nodes: u64,
    namespaces: u64,
}

impl Basis {
    fn holds_for(&self, store: &Store, ds: &DaemonSet, hash: &str) -> bool {
        self.uid == ds.metadata.uid
            && self.hash == hash
            && self.nodes == store.kind_version(GroupKind::Node)
            && self.namespaces == store.kind_version(GroupKind::Namespace)
            && self.template_generation == template_generation(ds)
            && self.spec == ds.spec
    }
}

/// One DaemonSet's per-node picture.
#[derive(Debug)]
pub(super) struct View {
    basis: Basis,
    /// The store's pod log position the view is up to date with.
    seen_pods: u64,
    selector: Selector,
    /// Every node of the store, in name order.
    nodes: BTreeMap<String, NodeEntry>,
    /// The DaemonSet's pods that target a node the store does not have.
    elsewhere: BTreeMap<String, Vec<Key>>,
    /// Where each listed pod is listed.
    pod_node: HashMap<Key, String>,
    /// Nodes where `manage` wants a pod created, in name order.
    needing: BTreeSet<String>,
    /// Nodes where `manage` deletes pods or records events, in name order, with what it does there.
    acting: BTreeMap<String, NodePlan>,
    totals: Counts,
    /// Live pods that are not at the current revision: while there are none, a rolling update has nothing to do.
    old_pods: usize,
}

#[derive(Debug, Default)]
struct NodeEntry {
    should_run: bool,
    should_continue: bool,
    /// The DaemonSet's pods listed on this node, in namespace/name order.
    pods: Vec<Key>,
    counts: Counts,
    old_pods: usize,
}

/// The view cannot follow what changed: the pod log no longer reaches back to its position, or a written pod
/// would be adopted or released by the claim. Only the full walk (with its claim) handles that.
struct Stale;

/// The DaemonSet's view brought up to date with the store (or rebuilt), together with the store it reflects;
/// `None` when the DaemonSet is not viewed (`minReadySeconds`, or it is being deleted) and the caller walks in
/// full.
pub(super) fn current<'a>(
    views: &'a mut Views,
    cluster: &'a mut Cluster,
    ds: &DaemonSet,
    owner: &Owner,
    hash: &str,
) -> Option<(&'a View, &'a Store)> {
    let key = (ds.metadata.namespace.clone(), ds.metadata.name.clone());
    if ds.spec.min_ready_seconds != 0 || ds.metadata.deletion_timestamp.is_some() {
        views.by_ds.remove(&key);
        return None;
    }
    let up_to_date = match views.by_ds.get_mut(&key) {
        Some(view) if view.basis.holds_for(cluster.store(), ds, hash) => view.catch_up(cluster.store(), ds, owner).is_ok(),
        _ => false,
    };
    if !up_to_date {
        let node_pods = node_to_daemon_pods(cluster, ds, owner, false);
        let (view, unsuitable) = View::build(cluster.store(), ds, hash, node_pods);
        views.by_ds.insert(key.clone(), view);
        views.record_unsuitable(&key, unsuitable);
    }
    let view = views.by_ds.get(&key)?;
    #[cfg(debug_assertions)]
    view.assert_same_as_walk(cluster.store(), ds, owner);
    Some((view, cluster.store()))
}

impl View {
    /// The view of what [`node_to_daemon_pods`] listed, derived node by node, and the nodes that run no pod.
    fn build(store: &Store, ds: &DaemonSet, hash: &str, node_pods: BTreeMap<String, Vec<Key>>) -> (View, UnsuitableNodes) {
        let mut view = View {
            basis: Basis {
                uid: ds.metadata.uid.clone(),
                spec: ds.spec.clone(),
                template_generation: template_generation(ds),
                hash: hash.to_owned(),
                nodes: store.kind_version(GroupKind::Node),
                namespaces: store.kind_version(GroupKind::Namespace),
            },
            seen_pods: store.pod_log().end(),
            selector: Selector::for_controller(ds.spec.selector.as_deref()),
            nodes: BTreeMap::new(),
            elsewhere: BTreeMap::new(),
            pod_node: HashMap::default(),
            needing: BTreeSet::new(),
            acting: BTreeMap::new(),
            totals: Counts::default(),
            old_pods: 0,
        };
        let placement = Placement::new(store, ds);
        let mut unsuitable = UnsuitableNodes::new();
        for (node, keys) in with_daemon_pods(store, &node_pods) {
            let verdict = placement.verdict(node);
            let (should_run, should_continue) = verdict.pair();
            if let Verdict::Unsuitable { why, .. } = verdict {
                unsuitable.insert(node.metadata.name.clone(), why);
            }
            let pods = keys.cloned().unwrap_or_default();
            let entry = NodeEntry { should_run, should_continue, pods, ..Default::default() };
            view.nodes.insert(node.metadata.name.clone(), entry);
        }
        for (node, keys) in node_pods {
            for key in &keys {
                view.pod_node.insert(key.clone(), node.clone());
            }
            if store.get::<Node>("", &node).is_none() {
                view.elsewhere.insert(node, keys);
            }
        }
        let names: Vec<String> = view.nodes.keys().cloned().collect();
        for name in &names {
            view.derive(store, ds, name);
        }
        (view, unsuitable)
    }

    /// Take in the pods written since the view's position: move each between the nodes it was and is listed on,
    /// then derive those nodes again.
    fn catch_up(&mut self, store: &Store, ds: &DaemonSet, owner: &Owner) -> Result<(), Stale> {
        let Some(keys) = store.pod_log().distinct_since(self.seen_pods) else { return Err(Stale) };
        let mut dirty: BTreeSet<String> = BTreeSet::new();
        for key in keys {
            if let Some(node) = self.pod_node.remove(key) {
                self.unlist(key, &node);
                dirty.insert(node);
            }
            let listed = match store.by_key::<Pod>(key) {
                Some(pod) if pod.metadata.namespace == owner.namespace => {
                    listed_node(pod, owner, &self.selector, false, false).map_err(|ClaimNeeded| Stale)?
                }
                _ => None,
            };
            if let Some(node) = listed {
                self.list(key, node);
                self.pod_node.insert(key.clone(), node.to_owned());
                dirty.insert(node.to_owned());
            }
        }
        self.seen_pods = store.pod_log().end();
        for node in &dirty {
            self.derive(store, ds, node);
        }
        Ok(())
    }

    fn list(&mut self, key: &Key, node: &str) {
        let pods = match self.nodes.get_mut(node) {
            Some(entry) => &mut entry.pods,
            None => self.elsewhere.entry(node.to_owned()).or_default(),
        };
        if let Err(at) = pods.binary_search(key) {
            pods.insert(at, key.clone());
        }
    }

    fn unlist(&mut self, key: &Key, node: &str) {
        let pods = match self.nodes.get_mut(node) {
            Some(entry) => &mut entry.pods,
            None => match self.elsewhere.get_mut(node) {
                Some(pods) => pods,
                None => return,
            },
        };
        pods.retain(|k| k != key);
        if pods.is_empty() {
            self.elsewhere.remove(node);
        }
    }

    /// Work out again what `manage` wants on `node` and the node's share of the status.
    fn derive(&mut self, store: &Store, ds: &DaemonSet, node_name: &str) {
        let Some(entry) = self.nodes.get_mut(node_name) else { return };
        let Some(node) = store.get::<Node>("", node_name) else { return };
        let hash = self.basis.hash.as_str();
        let now = store.created();
        let pods = pods_of(store, &entry.pods);
        let mut plan = NodePlan::default();
        let verdict = (entry.should_run, entry.should_continue);
        let listed = (!pods.is_empty()).then(|| pods.clone());
        pods_should_be_on_node(verdict, node, listed, ds, hash, now, &mut plan);
        let generation = self.basis.template_generation;
        let old_pods = pods.iter().filter(|p| is_old(p, hash, generation)).count();
        let counts = node_counts(entry.should_run, pods, ds, hash, now);
        self.totals -= entry.counts;
        self.totals += counts;
        entry.counts = counts;
        self.old_pods = self.old_pods - entry.old_pods + old_pods;
        entry.old_pods = old_pods;
        if plan.need.is_empty() {
            self.needing.remove(node_name);
        } else {
            self.needing.insert(node_name.to_owned());
        }
        if plan.delete.is_empty() && plan.events.is_empty() {
            self.acting.remove(node_name);
        } else {
            self.acting.insert(node_name.to_owned(), plan);
        }
    }

    /// What `manage` decides: the first [`BURST_REPLICAS`] nodes that need a pod and pods to delete (all a sync
    /// acts on), and every event.
    pub(super) fn plan(&self, store: &Store) -> NodePlan {
        let mut plan = NodePlan {
            need: self.needing.iter().take(BURST_REPLICAS).cloned().collect(),
            ..Default::default()
        };
        for part in self.acting.values() {
            if plan.delete.len() < BURST_REPLICAS {
                plan.delete.extend(part.delete.iter().cloned());
            }
            plan.events.extend(part.events.iter().cloned());
        }
        // Unscheduled pods that target a node which no longer exists.
        for keys in self.elsewhere.values() {
            let unscheduled = pods_of(store, keys).into_iter().filter(|p| p.spec.node_name.is_empty());
            plan.delete.extend(unscheduled.map(|p| p.metadata.name.clone()));
        }
        plan
    }

    pub(super) fn counts(&self) -> Counts {
        self.totals
    }

    /// Whether some live pod is not at the current revision (else a rolling update has nothing to replace),
    /// counting the pods that target nodes the store does not have.
    pub(super) fn has_old_pods(&self, store: &Store) -> bool {
        let (hash, generation) = (self.basis.hash.as_str(), self.basis.template_generation);
        self.old_pods > 0 || self.elsewhere.values().any(|keys| pods_of(store, keys).iter().any(|p| is_old(p, hash, generation)))
    }
}

#[cfg(debug_assertions)]
impl View {
    /// Test and debug builds check every view against the full walk it stands for.
    fn assert_same_as_walk(&self, store: &Store, ds: &DaemonSet, owner: &Owner) {
        let deleting = false;
        let Some(node_pods) = super::listed_without_claims(store, owner, &self.selector, deleting, false) else {
            panic!("a DaemonSet view is up to date while the claim would still adopt or release pods");
        };
        let hash = self.basis.hash.as_str();
        let (mut walked, _) = super::plan_nodes(store, ds, hash, &node_pods);
        walked.need.truncate(BURST_REPLICAS);
        let mut viewed = self.plan(store);
        viewed.delete.truncate(BURST_REPLICAS);
        walked.delete.truncate(BURST_REPLICAS);
        assert_eq!(viewed, walked, "DaemonSet view and full walk disagree on manage");
        assert_eq!(self.totals, super::status::count(store, ds, &node_pods, hash), "DaemonSet view and full walk disagree on status");
        let old = node_pods.values().any(|keys| pods_of(store, keys).iter().any(|p| is_old(p, hash, self.basis.template_generation)));
        assert_eq!(self.has_old_pods(store), old, "DaemonSet view and full walk disagree on old pods");
    }
}

/// A live pod not at the current revision: what a rolling update replaces.
fn is_old(pod: &Pod, hash: &str, generation: Option<i64>) -> bool {
    pod.metadata.deletion_timestamp.is_none() && !is_pod_updated(pod, hash, generation)
}
