//! DaemonSet rolling updates (`pkg/controller/daemon/update.go:rollingUpdate`, `util.SurgeCount`,
//! `util.UnavailableCount`).
//!
//! Without surge, old pods are deleted while fewer than `maxUnavailable` nodes are unavailable, and `manage`
//! recreates them at the new revision on a later sync. With surge, a new pod is started beside the old one on up
//! to `maxSurge` nodes, and the old one goes once the new one is available. Both counts round percentages up.

use std::collections::BTreeMap;

use crate::api::apps_v1::DaemonSet;
use crate::api::core_v1::Pod;
use crate::cluster::Cluster;
use crate::controller::util::Owner;
use crate::helpers::pod::is_pod_available;

use super::nodes::DaemonPod;
use super::{is_pod_updated, node_to_daemon_pods, pods_of, sync_nodes, template_generation};

/// `util.SurgeCount`.
pub fn surge_count(ds: &DaemonSet, number_to_schedule: i32) -> Result<i32, String> {
    if ds.spec.update_strategy.r#type != "RollingUpdate" {
        return Ok(0);
    }
    match ds.spec.update_strategy.rolling_update.as_deref().and_then(|r| r.max_surge.as_ref()) {
        Some(v) => v.scaled_value(number_to_schedule, true),
        None => Ok(0),
    }
}

/// `util.UnavailableCount`.
pub fn unavailable_count(ds: &DaemonSet, number_to_schedule: i32) -> Result<i32, String> {
    if ds.spec.update_strategy.r#type != "RollingUpdate" {
        return Ok(0);
    }
    let Some(r) = ds.spec.update_strategy.rolling_update.as_deref() else { return Ok(0) };
    match &r.max_unavailable {
        Some(v) => v.scaled_value(number_to_schedule, true),
        None => Err("nil value for IntOrString".into()),
    }
}

/// `util.AllowsSurge`.
pub fn allows_surge(ds: &DaemonSet) -> bool {
    surge_count(ds, 1).is_ok_and(|s| s > 0)
}

/// `findUpdatedPodsOnNode`: the node's new and old pod; `None` when it has more than one of either.
fn updated_pods_on_node<'a>(pods: &[&'a Pod], hash: &str, generation: Option<i64>) -> Option<(Option<&'a Pod>, Option<&'a Pod>)> {
    let (mut new, mut old) = (None, None);
    for pod in pods.iter().copied().filter(|p| p.metadata.deletion_timestamp.is_none()) {
        let slot = if is_pod_updated(pod, hash, generation) { &mut new } else { &mut old };
        if slot.is_some() {
            return None;
        }
        *slot = Some(pod);
    }
    Some((new, old))
}

/// `rollingUpdate`.
pub fn rolling_update(cluster: &mut Cluster, ds: &DaemonSet, owner: &Owner, hash: &str) {
    let mut node_keys = node_to_daemon_pods(cluster, ds, owner, false);
    let daemon_pod = DaemonPod::of(ds);
    let Ok((max_surge, max_unavailable, desired)) = desired_node_counts(cluster, &daemon_pod, ds, &mut node_keys) else {
        return;
    };
    let (delete, create) = {
        let node_pods: BTreeMap<&String, Vec<&Pod>> =
            node_keys.iter().map(|(n, keys)| (n, pods_of(&cluster.store, keys))).collect();
        if max_surge == 0 {
            (replace_without_surge(cluster, ds, &node_pods, hash, max_unavailable), Vec::new())
        } else {
            replace_with_surge(cluster, &daemon_pod, ds, &node_pods, hash, max_surge, desired)
        }
    };
    sync_nodes(cluster, ds, owner, &delete, &create, hash);
}

/// The `maxSurge == 0` path: old pods to delete within the `maxUnavailable` budget (unavailable old pods are
/// always replaced).
fn replace_without_surge(
    cluster: &Cluster,
    ds: &DaemonSet,
    node_pods: &BTreeMap<&String, Vec<&Pod>>,
    hash: &str,
    max_unavailable: i32,
) -> Vec<String> {
    let now = cluster.store.created;
    let generation = template_generation(ds);
    let available = |p: &Pod| is_pod_available(p, ds.spec.min_ready_seconds, now);
    {
        let mut num_unavailable = 0;
        let mut allowed = Vec::new();
        let mut candidates = Vec::new();
        for pods in node_pods.values() {
            let Some((new, old)) = updated_pods_on_node(pods, hash, generation) else {
                num_unavailable += 1;
                continue;
            };
            match (new, old) {
                (None, None) | (Some(_), Some(_)) => num_unavailable += 1,
                (Some(new), None) => {
                    if !available(new) {
                        num_unavailable += 1;
                    }
                }
                (None, Some(old)) => {
                    if !available(old) {
                        allowed.push(old.metadata.name.clone());
                        num_unavailable += 1;
                    } else if num_unavailable < max_unavailable {
                        candidates.push(old.metadata.name.clone());
                    }
                }
            }
        }
        let remaining = (max_unavailable - num_unavailable).clamp(0, candidates.len() as i32) as usize;
        allowed.extend(candidates.into_iter().take(remaining));
        allowed
    }
}

/// The `maxSurge > 0` path: nodes to start a new pod on within the `maxSurge` budget, and old pods whose
/// replacement is available.
fn replace_with_surge(
    cluster: &Cluster,
    daemon_pod: &DaemonPod,
    ds: &DaemonSet,
    node_pods: &BTreeMap<&String, Vec<&Pod>>,
    hash: &str,
    max_surge: i32,
    desired: i32,
) -> (Vec<String>, Vec<String>) {
    let now = cluster.store.created;
    let generation = template_generation(ds);
    let available = |p: &Pod| is_pod_available(p, ds.spec.min_ready_seconds, now);
    let mut old_to_delete = Vec::new();
    let mut should_not_run = Vec::new();
    let mut candidate_nodes = Vec::new();
    let mut allowed_nodes = Vec::new();
    let (mut num_surge, mut num_available) = (0, 0);
    for (node_name, pods) in node_pods {
        let Some((new, old)) = updated_pods_on_node(pods, hash, generation) else {
            num_surge += 1;
            continue;
        };
        match (old, new) {
            (Some(o), _) if available(o) => num_available += 1,
            (None, Some(n)) if available(n) => num_available += 1,
            _ => {}
        }
        let node_runs = || cluster.store.nodes.get(*node_name).is_some_and(|n| daemon_pod.should_run(n).0);
        match (old, new) {
            (None, _) => {}
            (Some(old), None) => {
                if !available(old) {
                    if !node_runs() {
                        old_to_delete.push(old.metadata.name.clone());
                    } else {
                        allowed_nodes.push((*node_name).clone());
                    }
                } else if !node_runs() {
                    should_not_run.push(old.metadata.name.clone());
                } else if num_surge < max_surge {
                    candidate_nodes.push((*node_name).clone());
                }
            }
            (Some(old), Some(new)) => {
                if !available(new) {
                    num_surge += 1;
                } else {
                    old_to_delete.push(old.metadata.name.clone());
                }
            }
        }
    }
    let deletable = (num_available - desired).max(0) as usize;
    old_to_delete.extend(should_not_run.into_iter().take(deletable));
    let remaining = (max_surge - num_surge).clamp(0, candidate_nodes.len() as i32) as usize;
    allowed_nodes.extend(candidate_nodes.into_iter().take(remaining));
    (old_to_delete, allowed_nodes)
}

/// `updatedDesiredNodeCounts`: `(maxSurge, maxUnavailable, desired)`, counting desired nodes with the upstream
/// check (not OpenShift's) and adding an empty entry for every desired node without pods.
fn desired_node_counts(
    cluster: &Cluster,
    daemon_pod: &DaemonPod,
    ds: &DaemonSet,
    node_pods: &mut BTreeMap<String, Vec<crate::cluster::Key>>,
) -> Result<(i32, i32, i32), String> {
    let mut desired = 0;
    for node in cluster.store.nodes.values() {
        if !daemon_pod.should_run(node).0 {
            continue;
        }
        desired += 1;
        node_pods.entry(node.metadata.name.clone()).or_default();
    }
    let mut max_unavailable = unavailable_count(ds, desired)?;
    let max_surge = surge_count(ds, desired)?;
    if desired > 0 && max_unavailable == 0 && max_surge == 0 {
        max_unavailable = 1;
    }
    Ok((max_surge, max_unavailable, desired))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::apps_v1::RollingUpdateDaemonSet;
    use crate::api::IntOrString;

    fn ds(mu: Option<IntOrString>, ms: Option<IntOrString>) -> DaemonSet {
        let mut ds = DaemonSet::default();
        ds.spec.update_strategy.r#type = "RollingUpdate".into();
        ds.spec.update_strategy.rolling_update =
            Some(Box::new(RollingUpdateDaemonSet { max_unavailable: mu, max_surge: ms }));
        ds
    }

    #[test]
    fn percentages_round_up() {
        let d = ds(Some(IntOrString::String("30%".into())), Some(IntOrString::String("25%".into())));
        assert_eq!(unavailable_count(&d, 5), Ok(2), "30% of 5 = 1.5, rounded up");
        assert_eq!(surge_count(&d, 3), Ok(1), "25% of 3 = 0.75, rounded up");
        assert_eq!(surge_count(&d, 0), Ok(0));
    }

    #[test]
    fn on_delete_has_no_budget_and_no_surge() {
        let mut d = ds(Some(IntOrString::Int(1)), Some(IntOrString::Int(1)));
        d.spec.update_strategy.r#type = "OnDelete".into();
        assert_eq!(unavailable_count(&d, 3), Ok(0));
        assert!(!allows_surge(&d));
    }
}
