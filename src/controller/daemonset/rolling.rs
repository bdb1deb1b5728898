//! DaemonSet rolling updates (`pkg/controller/daemon/update.go:rollingUpdate`, `util.SurgeCount`,
//! `util.UnavailableCount`).
//!
//! Without surge, old pods are deleted while fewer than `maxUnavailable` nodes are unavailable, and `manage`
//! recreates them at the new revision on a later sync. With surge, a new pod is started beside the old one on up
//! to `maxSurge` nodes, and the old one goes once the new one is available. Both counts round percentages up.

use std::collections::BTreeMap;

use crate::api::apps_v1::DaemonSet;
use crate::api::core_v1::{Node, Pod};
use crate::cluster::store::key_of;
use crate::cluster::{Cluster, Limit, RolloutBudget};
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

/// `rollingUpdate`, recording the budget it worked within.
pub fn rolling_update(cluster: &mut Cluster, ds: &DaemonSet, owner: &Owner, hash: &str) {
    let mut node_keys = node_to_daemon_pods(cluster, ds, owner, false);
    let daemon_pod = DaemonPod::of(ds);
    let Ok((max_surge, max_unavailable, desired)) = desired_node_counts(cluster, &daemon_pod, ds, &mut node_keys) else {
        return;
    };
    let ru = ds.spec.update_strategy.rolling_update.as_deref();
    let (delete, create, budget) = {
        let node_pods: BTreeMap<&String, Vec<&Pod>> =
            node_keys.iter().map(|(n, keys)| (n, pods_of(cluster.store(), keys))).collect();
        if max_surge == 0 {
            let step = replace_without_surge(cluster, ds, &node_pods, hash, max_unavailable);
            let budget = RolloutBudget::DaemonSetUnavailable {
                max_unavailable: Limit::resolved(max_unavailable, ru.and_then(|r| r.max_unavailable.as_ref()), desired, true),
                unavailable: step.unavailable,
                empty: step.empty,
                replaceable: step.replaceable,
            };
            (step.delete, Vec::new(), budget)
        } else {
            let step = replace_with_surge(cluster, &daemon_pod, ds, &node_pods, hash, max_surge, desired);
            let budget = RolloutBudget::DaemonSetSurge {
                max_surge: Limit::resolved(max_surge, ru.and_then(|r| r.max_surge.as_ref()), desired, true),
                surging: step.surging,
                replaceable: step.replaceable,
            };
            (step.delete, step.create, budget)
        }
    };
    cluster.rec.budget(KIND, key_of(&ds.metadata), Some(budget));
    sync_nodes(cluster, ds, owner, &delete, &create, hash);
}

/// The kind [`RolloutBudget`]s of DaemonSets are recorded under.
pub const KIND: &str = "DaemonSet";

/// What one rolling step decided, and what its budget was spent on.
#[derive(Default)]
struct Step {
    /// Old pods to delete.
    delete: Vec<String>,
    /// Nodes to start a new pod on (surge).
    create: Vec<String>,
    /// Without surge: the unavailable nodes that have pods, with them; and the desired nodes without any.
    unavailable: Vec<(String, Vec<String>)>,
    empty: i32,
    /// With surge: the new pods beside an old one that are not available yet.
    surging: Vec<String>,
    /// Nodes whose only pod is an available old one.
    replaceable: usize,
}

/// A node's live pods, the updated ones first.
fn live_pods_new_first(pods: &[&Pod], hash: &str, generation: Option<i64>) -> Vec<String> {
    let live: Vec<&&Pod> = pods.iter().filter(|p| p.metadata.deletion_timestamp.is_none()).collect();
    let (new, old): (Vec<&&Pod>, Vec<&&Pod>) = live.into_iter().partition(|p| is_pod_updated(p, hash, generation));
    new.into_iter().chain(old).map(|p| p.metadata.name.clone()).collect()
}

/// The `maxSurge == 0` path: old pods to delete within the `maxUnavailable` budget (unavailable old pods are
/// always replaced).
fn replace_without_surge(
    cluster: &Cluster,
    ds: &DaemonSet,
    node_pods: &BTreeMap<&String, Vec<&Pod>>,
    hash: &str,
    max_unavailable: i32,
) -> Step {
    let now = cluster.store().created();
    let generation = template_generation(ds);
    let available = |p: &Pod| is_pod_available(p, ds.spec.min_ready_seconds, now);
    let mut step = Step::default();
    let mut num_unavailable = 0;
    let mut candidates = Vec::new();
    for (node, pods) in node_pods {
        let mut unavailable = |pods: Vec<String>| {
            num_unavailable += 1;
            step.unavailable.push(((*node).clone(), pods));
        };
        let Some((new, old)) = updated_pods_on_node(pods, hash, generation) else {
            unavailable(live_pods_new_first(pods, hash, generation));
            continue;
        };
        match (new, old) {
            (None, None) => {
                num_unavailable += 1;
                step.empty += 1;
            }
            (Some(new), Some(old)) => unavailable(vec![new.metadata.name.clone(), old.metadata.name.clone()]),
            (Some(new), None) => {
                if !available(new) {
                    unavailable(vec![new.metadata.name.clone()]);
                }
            }
            (None, Some(old)) => {
                if !available(old) {
                    step.delete.push(old.metadata.name.clone());
                    unavailable(vec![old.metadata.name.clone()]);
                } else {
                    step.replaceable += 1;
                    if num_unavailable < max_unavailable {
                        candidates.push(old.metadata.name.clone());
                    }
                }
            }
        }
    }
    let remaining = (max_unavailable - num_unavailable).clamp(0, candidates.len() as i32) as usize;
    step.delete.extend(candidates.into_iter().take(remaining));
    step
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
) -> Step {
    let now = cluster.store().created();
    let generation = template_generation(ds);
    let available = |p: &Pod| is_pod_available(p, ds.spec.min_ready_seconds, now);
    let mut step = Step::default();
    let mut old_to_delete = Vec::new();
    let mut should_not_run = Vec::new();
    let mut candidate_nodes = Vec::new();
    let mut allowed_nodes = Vec::new();
    let (mut num_surge, mut num_available) = (0, 0);
    for (node_name, pods) in node_pods {
        let Some((new, old)) = updated_pods_on_node(pods, hash, generation) else {
            num_surge += 1;
            let live = pods.iter().filter(|p| p.metadata.deletion_timestamp.is_none());
            let new = live.filter(|p| is_pod_updated(p, hash, generation) && !available(p));
            step.surging.extend(new.map(|p| p.metadata.name.clone()));
            continue;
        };
        match (old, new) {
            (Some(o), _) if available(o) => num_available += 1,
            (None, Some(n)) if available(n) => num_available += 1,
            _ => {}
        }
        let node_runs = || cluster.store().get::<Node>("", *node_name).is_some_and(|n| daemon_pod.should_run(n).0);
        match (old, new) {
            (None, _) => {}
            (Some(old), None) => {
                if available(old) {
                    step.replaceable += 1;
                }
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
                    step.surging.push(new.metadata.name.clone());
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
    step.delete = old_to_delete;
    step.create = allowed_nodes;
    step
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
    for node in cluster.store().list::<Node>() {
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
