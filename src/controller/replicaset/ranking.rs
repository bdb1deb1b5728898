//! Which pods a ReplicaSet deletes when it has too many (`replica_set.go:getPodsToDelete`,
//! `getPodsRankedByRelatedPodsOnSameNode`; `controller_utils.go:ActivePodsWithRanks`).
//!
//! Each pod is ranked by how many active pods of the same Deployment (all ReplicaSets with the same controller)
//! share its node. Pods are then ordered, first differing rule winning: unscheduled first; Pending, then Unknown,
//! then Running; not ready first; lower `controller.kubernetes.io/pod-deletion-cost` first; higher rank first;
//! more recently ready first and then more restarts first; newer first. The two time rules compare ages on a
//! log2 scale (`LogarithmicScaleDown`), so pods of about the same age tie and are ordered by UID.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::api::core_v1::Pod;
use crate::api::Time;
use crate::api::seconds_of;
use crate::controller::util::{self, is_pod_active};
use crate::helpers::pod::is_pod_ready;

/// `core.PodDeletionCost`.
pub const POD_DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// `getPodsToDelete`: the first `diff` pods, after ranking them when only some of them go.
pub fn pods_to_delete(mut pods: Vec<Pod>, related: &[Pod], diff: usize, now_seconds: u64) -> Vec<Pod> {
    if diff < pods.len() {
        let ranks = ranks_by_related_pods_on_same_node(&pods, related);
        let mut ranked: Vec<(Pod, usize)> = pods.into_iter().zip(ranks).collect();
        let now = i128::from(now_seconds) * NANOS_PER_SECOND;
        ranked.sort_by(|(a, ra), (b, rb)| compare(a, *ra, b, *rb, Some(now)));
        pods = ranked.into_iter().map(|(p, _)| p).collect();
    }
    pods.truncate(diff);
    pods
}

/// `getPodsRankedByRelatedPodsOnSameNode`: for each pod, the number of active related pods on its node (the
/// unscheduled ones share the node "").
pub fn ranks_by_related_pods_on_same_node(pods: &[Pod], related: &[Pod]) -> Vec<usize> {
    let mut on_node: HashMap<&str, usize> = HashMap::new();
    for p in related.iter().filter(|p| is_pod_active(p)) {
        *on_node.entry(p.spec.node_name.as_str()).or_default() += 1;
    }
    pods.iter().map(|p| on_node.get(p.spec.node_name.as_str()).copied().unwrap_or(0)).collect()
}

/// `ActivePodsWithRanks.Less` as an ordering (the rules never leave two distinct pods of the model equal, so the
/// unstable sort of Go and this one agree). `now` is the controller's clock in nanoseconds; `None` compares
/// times without the log scale.
pub fn compare(a: &Pod, rank_a: usize, b: &Pod, rank_b: usize, now: Option<i128>) -> Ordering {
    if less(a, rank_a, b, rank_b, now) {
        Ordering::Less
    } else if less(b, rank_b, a, rank_a, now) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn less(a: &Pod, rank_a: usize, b: &Pod, rank_b: usize, now: Option<i128>) -> bool {
    let (na, nb) = (&a.spec.node_name, &b.spec.node_name);
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return na.is_empty();
    }
    if util::pod_phase_ordinal(a) != util::pod_phase_ordinal(b) {
        return util::pod_phase_ordinal(a) < util::pod_phase_ordinal(b);
    }
    if is_pod_ready(a) != is_pod_ready(b) {
        return !is_pod_ready(a);
    }
    let (ca, cb) = (deletion_cost(a), deletion_cost(b));
    if ca != cb {
        return ca < cb;
    }
    if rank_a != rank_b {
        return rank_a > rank_b;
    }
    if is_pod_ready(a) && is_pod_ready(b) {
        let (ta, tb) = (ready_time(a), ready_time(b));
        if ta != tb {
            return newer_first(ta, tb, a, b, now);
        }
    }
    if let Some(more) = more_restarts(a, b) {
        return more;
    }
    let (ta, tb) = (nanos(&a.metadata.creation_timestamp), nanos(&b.metadata.creation_timestamp));
    if ta != tb {
        return newer_first(ta, tb, a, b, now);
    }
    false
}

/// The time rules: with a clock and both times set, compare log2 ages and break ties by UID; otherwise the later
/// time first, a zero time before any other.
fn newer_first(ta: Option<i128>, tb: Option<i128>, a: &Pod, b: &Pod, now: Option<i128>) -> bool {
    match (ta, tb, now) {
        (Some(ta), Some(tb), Some(now)) => match logarithmic_rank_diff(ta, tb, now) {
            0 => a.metadata.uid < b.metadata.uid,
            d => d < 0,
        },
        _ => after_or_zero(ta, tb),
    }
}

/// `afterOrZero`.
fn after_or_zero(ta: Option<i128>, tb: Option<i128>) -> bool {
    match (ta, tb) {
        (Some(a), Some(b)) => a > b,
        (a, _) => a.is_none(),
    }
}

/// `logarithmicRankDiff`: the difference of the base-2 logarithms (truncated) of the two ages in nanoseconds;
/// an age of zero or less ranks -1.
pub fn logarithmic_rank_diff(t1: i128, t2: i128, now: i128) -> i64 {
    let rank = |t: i128| {
        let d = now - t;
        if d > 0 {
            (d as f64).log2() as i64
        } else {
            -1
        }
    };
    rank(t1) - rank(t2)
}

/// `helper.GetDeletionCostFromPodAnnotations`: an int32 without a leading `+` or zero; anything else is 0.
pub fn deletion_cost(p: &Pod) -> i32 {
    let Some(v) = p.metadata.annotations.get(POD_DELETION_COST) else { return 0 };
    let valid_first = match v.as_bytes().first() {
        None => false,
        Some(b'-') => true,
        Some(b'0') => v == "0",
        Some(c) => c.is_ascii_digit(),
    };
    if !valid_first {
        return 0;
    }
    let digits = v.strip_prefix('-').unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    v.parse().unwrap_or(0)
}

/// `podReadyTime`: when the pod became Ready (none when it is not).
fn ready_time(p: &Pod) -> Option<i128> {
    if !is_pod_ready(p) {
        return None;
    }
    p.status
        .conditions
        .iter()
        .find(|c| c.r#type == "Ready" && c.status == "True")
        .and_then(|c| nanos(&c.last_transition_time))
}

fn nanos(t: &Time) -> Option<i128> {
    t.0.as_deref().map(|s| i128::from(seconds_of(s)) * NANOS_PER_SECOND)
}

/// `compareMaxContainerRestarts`: `Some(true)` when `a` has the higher restart count (regular containers, then
/// restartable init containers), `None` when equal.
fn more_restarts(a: &Pod, b: &Pod) -> Option<bool> {
    let (ra, sa) = util::max_container_restarts(a);
    let (rb, sb) = util::max_container_restarts(b);
    if ra != rb {
        return Some(ra > rb);
    }
    if sa != sb {
        return Some(sa > sb);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::{ContainerStatus, PodCondition};

    fn pod(name: &str, created: u64, node: &str, phase: &str, ready_at: Option<u64>) -> Pod {
        let mut p = Pod::default();
        p.metadata.name = name.into();
        p.metadata.uid = crate::cluster::store::uid(created);
        p.metadata.creation_timestamp = Time::at_second(created);
        p.spec.node_name = node.into();
        p.status.phase = phase.into();
        if let Some(t) = ready_at {
            p.status.conditions.push(PodCondition {
                r#type: "Ready".into(),
                status: "True".into(),
                last_transition_time: Time::at_second(t),
                ..Default::default()
            });
        }
        p
    }

    fn order(pods: &[Pod], ranks: &[usize], now: Option<i128>) -> Vec<String> {
        let mut v: Vec<(Pod, usize)> = pods.iter().cloned().zip(ranks.iter().copied()).collect();
        v.sort_by(|(a, ra), (b, rb)| compare(a, *ra, b, *rb, now));
        v.into_iter().map(|(p, _)| p.metadata.name).collect()
    }

    const FAR: Option<i128> = Some(((1 << 25) + 100) as i128 * NANOS_PER_SECOND);

    #[test]
    fn unscheduled_pending_and_unready_pods_go_first() {
        let pods = [
            pod("running-ready", 1, "n1", "Running", Some(5)),
            pod("running-unready", 2, "n1", "Running", None),
            pod("pending", 3, "n1", "Pending", None),
            pod("unscheduled", 4, "", "Pending", None),
            pod("unknown", 5, "n1", "Unknown", None),
        ];
        assert_eq!(
            order(&pods, &[1; 5], FAR),
            ["unscheduled", "pending", "unknown", "running-unready", "running-ready"]
        );
    }

    #[test]
    fn deletion_cost_then_rank() {
        let mut cheap = pod("cheap", 1, "n1", "Running", Some(5));
        cheap.metadata.annotations.insert(POD_DELETION_COST.into(), "-5".into());
        let crowded = pod("crowded", 2, "n2", "Running", Some(5));
        let alone = pod("alone", 3, "n3", "Running", Some(5));
        assert_eq!(
            order(&[alone.clone(), crowded.clone(), cheap.clone()], &[1, 3, 1], FAR),
            ["cheap", "crowded", "alone"]
        );
        // Invalid costs count as 0.
        for bad in ["+5", "007", "x", "", "99999999999"] {
            cheap.metadata.annotations.insert(POD_DELETION_COST.into(), bad.into());
            assert_eq!(deletion_cost(&cheap), 0, "{bad}");
        }
    }

    #[test]
    fn ages_compare_on_a_log_scale_with_uid_ties() {
        // Seen from long after, pods a few seconds apart have the same log2 age: the smaller UID goes first.
        let pods = [pod("new", 12, "n1", "Running", Some(20)), pod("old", 10, "n1", "Running", Some(15))];
        assert_eq!(order(&pods, &[1, 1], FAR), ["old", "new"]);
        // Seen from close by, the more recently ready pod goes first.
        let near = Some(21 * NANOS_PER_SECOND);
        assert_eq!(order(&pods, &[1, 1], near), ["new", "old"]);
        // Without a clock, plain times: the later first.
        assert_eq!(order(&pods, &[1, 1], None), ["new", "old"]);
        // Equal ready times: creation decides.
        let pods = [pod("a", 10, "n1", "Running", Some(20)), pod("b", 13, "n1", "Running", Some(20))];
        assert_eq!(order(&pods, &[1, 1], near), ["b", "a"]);
        assert_eq!(order(&pods, &[1, 1], FAR), ["a", "b"]);
    }

    #[test]
    fn restarts_break_ready_time_ties() {
        let mut a = pod("a", 10, "n1", "Running", Some(20));
        let b = pod("b", 11, "n1", "Running", Some(20));
        a.status.container_statuses.push(ContainerStatus { restart_count: 2, ..Default::default() });
        assert_eq!(order(&[b.clone(), a.clone()], &[1, 1], FAR), ["a", "b"]);
    }

    #[test]
    fn log_rank() {
        let s = NANOS_PER_SECOND;
        assert_eq!(logarithmic_rank_diff(10 * s, 10 * s, 20 * s), 0);
        // Ages 1s (2^29.9 ns) and 10s (2^33.2 ns).
        assert_eq!(logarithmic_rank_diff(19 * s, 10 * s, 20 * s), -4);
        assert_eq!(logarithmic_rank_diff(20 * s, 25 * s, 20 * s), 0, "no age or a negative one ranks -1");
    }

    #[test]
    fn ranks_count_active_related_pods_per_node() {
        let mut done = pod("done", 1, "n1", "Succeeded", None);
        done.status.phase = "Succeeded".into();
        let related = [
            pod("a", 1, "n1", "Running", None),
            pod("b", 2, "n1", "Running", None),
            done,
            pod("c", 3, "", "Pending", None),
        ];
        let pods =
            [pod("x", 4, "n1", "Running", None), pod("y", 5, "n2", "Running", None), pod("z", 6, "", "Pending", None)];
        assert_eq!(ranks_by_related_pods_on_same_node(&pods, &related), [2, 0, 1]);
    }

    #[test]
    fn only_sorted_when_some_stay() {
        let pods = vec![pod("b", 2, "n1", "Running", Some(9)), pod("a", 1, "", "Pending", None)];
        assert_eq!(
            pods_to_delete(pods.clone(), &[], 2, 100).iter().map(|p| p.metadata.name.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
        assert_eq!(pods_to_delete(pods, &[], 1, 100)[0].metadata.name, "a");
    }
}
