//! The counts of a DaemonSet's status (`updateDaemonSetStatus`), summed over nodes.

use std::collections::BTreeMap;

use crate::api::apps_v1::DaemonSet;
use crate::api::core_v1::Pod;
use crate::cluster::{Key, Store};
use crate::helpers::pod::{is_pod_available, is_pod_ready};

use super::{is_pod_updated, nodes, pods_of, sort_pods, template_generation};

/// The status counters, summed over nodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub desired: i32,
    pub current: i32,
    pub misscheduled: i32,
    pub ready: i32,
    pub updated: i32,
    pub available: i32,
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
    if is_pod_ready(first) {
        c.ready = 1;
        c.available = i32::from(is_pod_available(first, ds.spec.min_ready_seconds, now));
    }
    c.updated = i32::from(is_pod_updated(first, hash, template_generation(ds)));
    c
}
