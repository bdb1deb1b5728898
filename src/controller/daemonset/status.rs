//! DaemonSet status (`updateDaemonSetStatus`, `storeDaemonSetStatus`).

use crate::api::{GroupKind, Object};
use crate::cluster::{Cluster, Key};
use crate::controller::util::{self, Owner};

use super::{is_pod_updated, node_to_daemon_pods, nodes, sort_pods, template_generation};

/// Recompute and store the status. For each node where the pod should run, the first pod (scheduled first,
/// then oldest) decides readiness, availability and whether the node counts as updated.
pub fn update(cluster: &mut Cluster, key: &Key, hash: &str, update_observed_generation: bool) {
    let Some(ds) = cluster.store.daemonsets.get(key).cloned() else { return };
    let owner = Owner::of(GroupKind::DaemonSet, &ds.metadata);
    let node_pods = node_to_daemon_pods(cluster, &ds, &owner, false);
    let now = cluster.store.created;
    let generation = template_generation(&ds);
    let (mut desired, mut current, mut misscheduled, mut ready, mut updated, mut available) = (0, 0, 0, 0, 0, 0);
    for node in cluster.store.nodes.values() {
        let (should_run, _) = nodes::should_run(cluster, node, &ds);
        let pods = node_pods.get(&node.metadata.name).filter(|p| !p.is_empty());
        if !should_run {
            if pods.is_some() {
                misscheduled += 1;
            }
            continue;
        }
        desired += 1;
        let Some(pods) = pods else { continue };
        current += 1;
        let mut pods = pods.clone();
        sort_pods(&mut pods);
        let first = &pods[0];
        if util::is_pod_ready(first) {
            ready += 1;
            if util::is_pod_available(first, ds.spec.min_ready_seconds, now) {
                available += 1;
            }
        }
        if is_pod_updated(first, hash, generation) {
            updated += 1;
        }
    }
    let s = &ds.status;
    let same = s.desired_number_scheduled == desired
        && s.current_number_scheduled == current
        && s.number_misscheduled == misscheduled
        && s.number_ready == ready
        && s.updated_number_scheduled == updated
        && s.number_available == available
        && s.number_unavailable == desired - available
        && s.observed_generation >= ds.metadata.generation;
    if same {
        return;
    }
    let mut next = ds.clone();
    if update_observed_generation {
        next.status.observed_generation = ds.metadata.generation;
    }
    next.status.desired_number_scheduled = desired;
    next.status.current_number_scheduled = current;
    next.status.number_misscheduled = misscheduled;
    next.status.number_ready = ready;
    next.status.updated_number_scheduled = updated;
    next.status.number_available = available;
    next.status.number_unavailable = desired - available;
    cluster.write(Object::DaemonSet(Box::new(next)));
}
