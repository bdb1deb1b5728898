//! The resource quota controller (`pkg/controller/resourcequota/resource_quota_controller.go`,
//! `syncResourceQuota`): a quota's `status.hard` follows its `spec.hard`, and its `status.used` is recounted
//! from the objects of its namespace, so that usage admission charged comes back when objects go.
//!
//! The model runs it over every quota at the start of each round, and on a quota right after it is written
//! (its informer's event): a quota created after the objects it covers counts them before the next request.

use crate::api::core_v1::ResourceQuota;
use crate::api::{GroupKind, Object};
use crate::apiserver::quota::resources::{equals, intersection, mask, ResourceList};
use crate::apiserver::quota::{self, Evaluator};
use crate::cluster::{Cluster, Concurrency, Store};

/// Recount every quota, in namespace/name order.
pub fn sync_all(cluster: &mut Cluster) {
    let keys: Vec<(String, String)> = cluster.store().keys(GroupKind::ResourceQuota).cloned().collect();
    for (namespace, name) in keys {
        sync(cluster, &namespace, &name);
    }
}

/// `syncResourceQuota` for one quota: write its status when the hard limits or the usage changed.
pub fn sync(cluster: &mut Cluster, namespace: &str, name: &str) {
    let Some(rq) = cluster.store().get::<ResourceQuota>(namespace, name) else { return };
    let Some(status) = recount(cluster.store(), rq) else { return };
    let mut updated = rq.clone();
    updated.status = status;
    // A conflict means the quota was written meanwhile; the next round recounts it.
    let _ = cluster.update_status(Object::ResourceQuota(Box::new(updated)), Concurrency::Checked);
}

/// The quota's new status, if it differs from the stored one.
fn recount(store: &Store, rq: &ResourceQuota) -> Option<crate::api::core_v1::ResourceQuotaStatus> {
    let hard = rq.spec.hard.clone();
    let mut used = rq.status.used.clone();
    used.extend(calculate_usage(store, rq, &hard));
    let used = mask(&used, hard.keys().map(String::as_str));
    let dirty = !equals(&hard, &rq.status.hard)
        || rq.status.hard.is_empty()
        || rq.status.used.is_empty()
        || !equals(&used, &rq.status.used);
    dirty.then(|| crate::api::core_v1::ResourceQuotaStatus { hard, used })
}

/// The registry the controller counts with: the pod, service and claim evaluators, and an object count
/// evaluator for every other namespaced kind (the quota monitor's, for `count/<resource>.<group>`).
fn registry() -> impl Iterator<Item = Evaluator> {
    let core = [Evaluator::Pods, Evaluator::Services, Evaluator::PersistentVolumeClaims];
    let counted = GroupKind::BUILTIN
        .iter()
        .copied()
        .filter(|k| k.namespaced() && !matches!(k, GroupKind::Pod | GroupKind::Service | GroupKind::PersistentVolumeClaim))
        .map(Evaluator::ObjectCount);
    core.into_iter().chain(counted)
}

/// `quota.CalculateUsage`: each evaluator's usage of the namespace's objects for the hard resources it
/// accounts, masked to those.
fn calculate_usage(store: &Store, rq: &ResourceQuota, hard: &ResourceList) -> ResourceList {
    let names: Vec<&str> = hard.keys().map(String::as_str).collect();
    let potential: Vec<String> = registry().flat_map(|e| e.matching_resources(&names)).collect();
    let matched = intersection(&names, &potential);
    let mut usage = ResourceList::new();
    for evaluator in registry() {
        let resources = evaluator.matching_resources(&matched);
        if resources.is_empty() {
            continue;
        }
        let objects = store.objects_in(evaluator.kind(), &rq.metadata.namespace);
        usage = quota::resources::add(&usage, &evaluator.usage_stats(objects, rq, &resources));
    }
    mask(&usage, matched.iter().map(String::as_str))
}
