//! DaemonSet status (`updateDaemonSetStatus`, `storeDaemonSetStatus`).

use crate::api::{GroupKind, Object};
use crate::cluster::{Cluster, Key};
use crate::controller::util::{self, Owner};

use std::collections::BTreeMap;

use super::{is_pod_updated, node_to_daemon_pods, nodes, pods_of, sort_pods, template_generation};

/// Recompute and store the status. For each node where the pod should run, the first pod (scheduled first,
/// then oldest) decides readiness, availability and whether the node counts as updated.
pub fn update(cluster: &mut Cluster, key: &Key, hash: &str, update_observed_generation: bool) {
    let Some(ds) = cluster.store.daemonsets.get(key).cloned() else { return };
    let owner = Owner::of(GroupKind::DaemonSet, &ds.metadata);
    let node_pods = node_to_daemon_pods(cluster, &ds, &owner, false);
    let counts = count(cluster, &ds, &node_pods, hash);
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

#[derive(Default)]
struct Counts {
    desired: i32,
    current: i32,
    misscheduled: i32,
    ready: i32,
    updated: i32,
    available: i32,
}

fn count(cluster: &Cluster, ds: &crate::api::apps_v1::DaemonSet, node_pods: &BTreeMap<String, Vec<Key>>, hash: &str) -> Counts {
    let placement = nodes::Placement::new(cluster, ds);
    let now = cluster.store.created;
    let generation = template_generation(ds);
    let mut c = Counts::default();
    for (node, keys) in super::with_daemon_pods(&cluster.store.nodes, node_pods) {
        let (should_run, _) = placement.should_run(node);
        let mut pods = keys.map(|k| pods_of(&cluster.store, k)).unwrap_or_default();
        if !should_run {
            if !pods.is_empty() {
                c.misscheduled += 1;
            }
            continue;
        }
        c.desired += 1;
        if pods.is_empty() {
            continue;
        }
        c.current += 1;
        sort_pods(&mut pods);
        let first = pods[0];
        if util::is_pod_ready(first) {
            c.ready += 1;
            if util::is_pod_available(first, ds.spec.min_ready_seconds, now) {
                c.available += 1;
            }
        }
        if is_pod_updated(first, hash, generation) {
            c.updated += 1;
        }
    }
    c
}
