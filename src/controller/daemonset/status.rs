//! DaemonSet status (`updateDaemonSetStatus`, `storeDaemonSetStatus`).

use crate::api::apps_v1::DaemonSet;
use crate::api::core_v1::Pod;
use crate::api::{GroupKind, Object};
use crate::cluster::{Cluster, Key, Store};
use crate::controller::util::{self, Owner};

use std::collections::BTreeMap;

use super::{is_pod_updated, node_to_daemon_pods, nodes, pods_of, sort_pods, template_generation};

/// Recompute and store the status. For each node where the pod should run, the first pod (scheduled first,
/// then oldest) decides readiness, availability and whether the node counts as updated.
pub fn update(cluster: &mut Cluster, key: &Key, hash: &str, update_observed_generation: bool) {
    let Some(ds) = cluster.store.daemonsets.get(key).cloned() else { return };
    let owner = Owner::of(GroupKind::DaemonSet, &ds.metadata);
    let counts = match super::view::current(cluster, &ds, &owner, hash) {
        Some((view, _)) => view.counts(),
        None => {
            let node_pods = node_to_daemon_pods(cluster, &ds, &owner, false);
            count(&cluster.store, &ds, &node_pods, hash)
        }
    };
    let s = &ds.status;
    let same = s.desired_number_scheduled == counts.desired
        && s.current_number_scheduled == counts.current
        && s.number_misscheduled == counts.misscheduled
        && s.number_ready == counts.ready
        && s.updated_number_scheduled == counts.updated
        && s.number_available == counts.available
        && s.number_unavailable == counts.desired - counts.available
        && s.observed_generation >= ds.metadata.generation;
    if same {
        return;
    }
    let mut next = ds;
    if update_observed_generation {
        next.status.observed_generation = next.metadata.generation;
    }
    next.status.desired_number_scheduled = counts.desired;
    next.status.current_number_scheduled = counts.current;
    next.status.number_misscheduled = counts.misscheduled;
    next.status.number_ready = counts.ready;
    next.status.updated_number_scheduled = counts.updated;
    next.status.number_available = counts.available;
    next.status.number_unavailable = counts.desired - counts.available;
    cluster.write(Object::DaemonSet(Box::new(next)));
}

/// The status counters, summed over nodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Counts {
    desired: i32,
    current: i32,
    misscheduled: i32,
    ready: i32,
    updated: i32,
    available: i32,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.desired += o.desired;
        self.current += o.current;
        self.misscheduled += o.misscheduled;
        self.ready += o.ready;
        self.updated += o.updated;
        self.available += o.available;
    }
}

impl std::ops::SubAssign for Counts {
    fn sub_assign(&mut self, o: Counts) {
        self.desired -= o.desired;
        self.current -= o.current;
        self.misscheduled -= o.misscheduled;
        self.ready -= o.ready;
        self.updated -= o.updated;
        self.available -= o.available;
    }
}

/// The counters over every node, from the pods listed by node.
pub(super) fn count(store: &Store, ds: &DaemonSet, node_pods: &BTreeMap<String, Vec<Key>>, hash: &str) -> Counts {
    let placement = nodes::Placement::new(store, ds);
    let mut c = Counts::default();
    for (node, keys) in super::with_daemon_pods(&store.nodes, node_pods) {
        let (should_run, _) = placement.should_run(node);
        let pods = keys.map(|k| pods_of(store, k)).unwrap_or_default();
        c += node_counts(should_run, pods, ds, hash, store.created);
    }
    c
}

/// One node's share of the status: a node where the pod should not run counts as misscheduled when it has
/// pods; otherwise it is desired, and its first pod (scheduled first, then oldest) decides whether it is
/// current, ready, available and updated.
pub(super) fn node_counts(should_run: bool, mut pods: Vec<&Pod>, ds: &DaemonSet, hash: &str, now: u64) -> Counts {
    let mut c = Counts::default();
    if !should_run {
        c.misscheduled = i32::from(!pods.is_empty());
        return c;
    }
    c.desired = 1;
    if pods.is_empty() {
        return c;
    }
    c.current = 1;
    sort_pods(&mut pods);
    let first = pods[0];
    if util::is_pod_ready(first) {
        c.ready = 1;
        c.available = i32::from(util::is_pod_available(first, ds.spec.min_ready_seconds, now));
    }
    c.updated = i32::from(is_pod_updated(first, hash, template_generation(ds)));
    c
}
