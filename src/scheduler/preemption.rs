//! DefaultPreemption (`framework/preemption/preemption.go`, `plugins/defaultpreemption`): when no node fits, find
//! nodes where evicting lower-priority pods would let the pod fit, pick one, evict its victims and nominate the
//! node for the pod's next attempt.
//!
//! The dry run works on copies of a node and of the cycle state, and moves pods through the PreFilter
//! extensions (AddPod/RemovePod) so that topology spread and inter-pod affinity see the node as it would be.
//! PodDisruptionBudgets are not modelled: no victim violates one.

use std::cmp::Ordering;
use std::rc::Rc;

use crate::api::core_v1::Pod;
use crate::api::{GroupKind, Object};
use crate::cluster::{Cluster, Concurrency, InvolvedObject, Propagation};

use super::framework::{cmp_start, fit_error_message, more_important_first, Code, NodeInfo, NodeToStatus, PodInfo, Status};
use super::{plugins, CycleState, Nominate, Snapshot, DEFAULT_SCHEDULER};

/// `DefaultPreemptionArgs`: at least 10% of the potential nodes, at least 100, as candidates.
const MIN_CANDIDATE_NODES_PERCENTAGE: usize = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE: usize = 100;

pub const REASON_NO_VICTIMS: &str = "No preemption victims found for incoming pod";
pub const REASON_NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";

/// A node where preemption would help, with the pods to evict (most important first).
#[derive(Debug)]
pub struct Candidate {
    pub node: String,
    pub victims: Vec<Rc<PodInfo>>,
}

/// What PostFilter returns: the message appended to the FitError (`preemption: ...`, empty on success) and what
/// to do with the pod's nominated node.
#[derive(Debug)]
pub struct PostFilter {
    pub message: String,
    pub nominate: Nominate,
}

/// `DefaultPreemption.PostFilter` / `Evaluator.Preempt`.
pub fn post_filter(
    cluster: &mut Cluster,
    snapshot: &mut Snapshot,
    pod: &PodInfo,
    statuses: &NodeToStatus,
    state: &CycleState,
) -> PostFilter {
    // Preempt reads the pod again from the informer; in the model it is the pod being scheduled.
    if let Some(msg) = not_eligible(snapshot, pod, statuses) {
        return PostFilter { message: format!("preemption: {msg}"), nominate: Nominate::Keep };
    }
    let num_all = snapshot.nodes.len();
    let potential = potential_nodes(snapshot, statuses);
    if potential.is_empty() {
        // `findCandidates` clears the pod's nominated node; the FitError counts every node as not helped.
        let empty = NodeToStatus { absent: Status::unresolvable("", REASON_NOT_HELPFUL), ..Default::default() };
        let msg = fit_error_message(num_all, &empty, "", "");
        return PostFilter { message: format!("preemption: {msg}"), nominate: Nominate::Set(String::new()) };
    }
    let (candidates, mut dry_statuses, errors) = dry_run(snapshot, pod, state, &potential);
    if candidates.is_empty() {
        if !errors.is_empty() {
            return PostFilter { message: format!("preemption: {}", aggregate(&errors)), nominate: Nominate::Keep };
        }
        dry_statuses.absent = Status::unresolvable("", REASON_NOT_HELPFUL);
        let msg = fit_error_message(num_all, &dry_statuses, "", "");
        return PostFilter { message: format!("preemption: {msg}"), nominate: Nominate::Set(String::new()) };
    }
    let best = select_candidate(candidates);
    prepare_candidate(cluster, snapshot, pod, &best);
    PostFilter { message: String::new(), nominate: Nominate::Set(best.node) }
}

/// `utilerrors.NewAggregate(errs).Error()`.
fn aggregate(errors: &[String]) -> String {
    if errors.len() == 1 {
        errors[0].clone()
    } else {
        format!("[{}]", errors.join(", "))
    }
}

/// `PodEligibleToPreemptOthers`: the reason the pod may not preempt, if any.
fn not_eligible(snapshot: &Snapshot, pod: &PodInfo, statuses: &NodeToStatus) -> Option<&'static str> {
    if pod.pod.spec.preemption_policy.as_deref() == Some("Never") {
        return Some("not eligible due to preemptionPolicy=Never.");
    }
    let nominated = pod.pod.status.nominated_node_name.as_str();
    if nominated.is_empty() {
        return None;
    }
    if statuses.get(nominated).code == Code::UnschedulableAndUnresolvable {
        return None;
    }
    let node = snapshot.get(nominated)?;
    node.pods
        .iter()
        .any(|p| p.priority < pod.priority && terminating_by_preemption(p))
        .then_some("not eligible due to a terminating pod on the nominated node.")
}

/// `podTerminatingByPreemption`: deleting, with `DisruptionTarget=True` for `PreemptionByScheduler`.
fn terminating_by_preemption(p: &PodInfo) -> bool {
    p.is_deleting()
        && p.pod
            .status
            .conditions
            .iter()
            .find(|c| c.r#type == "DisruptionTarget")
            .is_some_and(|c| c.status == "True" && c.reason == "PreemptionByScheduler")
}

/// `NodeToStatus.NodesForStatusCode(Unschedulable)`: only nodes where a filter said Unschedulable (not
/// UnschedulableAndUnresolvable) can be helped by evicting pods. Kubernetes walks a map of the explicit statuses;
/// kubeplan walks them in name order, and all nodes in snapshot order when the absent status qualifies.
fn potential_nodes(snapshot: &Snapshot, statuses: &NodeToStatus) -> Vec<usize> {
    if statuses.absent.code == Code::Unschedulable {
        return (0..snapshot.nodes.len()).filter(|&i| statuses.get(snapshot.nodes[i].name()).code == Code::Unschedulable).collect();
    }
    statuses
        .explicit
        .iter()
        .filter(|(_, s)| s.code == Code::Unschedulable)
        .filter_map(|(n, _)| snapshot.index.get(n).copied())
        .collect()
}

/// `calculateNumCandidates`.
pub fn num_candidates(potential: usize) -> usize {
    (potential * MIN_CANDIDATE_NODES_PERCENTAGE / 100).max(MIN_CANDIDATE_NODES_ABSOLUTE).min(potential)
}

/// `DryRunPreemption` over the potential nodes, sequentially from offset 0 (a real scheduler starts at a random
/// offset), until enough candidates are found. Returns the candidates, each failed node's status and the errors.
fn dry_run(snapshot: &Snapshot, pod: &PodInfo, state: &CycleState, potential: &[usize]) -> (Vec<Candidate>, NodeToStatus, Vec<String>) {
    let want = num_candidates(potential.len());
    let mut statuses = NodeToStatus::default();
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for &i in potential {
        let node = &snapshot.nodes[i];
        match select_victims_on_node(snapshot, state, pod, node) {
            Ok(victims) if !victims.is_empty() => {
                out.push(Candidate { node: node.name().to_owned(), victims });
                if out.len() >= want {
                    break;
                }
            }
            Ok(_) => {
                let msg = format!("expected at least one victim pod on node {:?}", node.name());
                errors.push(msg.clone());
                statuses.explicit.insert(node.name().to_owned(), Status::new(Code::Error, "", msg));
            }
            Err(status) => {
                if status.code == Code::Error {
                    errors.push(status.message());
                }
                statuses.explicit.insert(node.name().to_owned(), status);
            }
        }
    }
    (out, statuses, errors)
}

/// `SelectVictimsOnNode`: remove every lower-priority pod (through RemovePod); if the pod then fits, add them
/// back from the most important down (through AddPod) while it still fits. Those that cannot come back are the
/// victims, most important first.
pub fn select_victims_on_node(
    snapshot: &Snapshot,
    state: &CycleState,
    pod: &PodInfo,
    node: &NodeInfo,
) -> Result<Vec<Rc<PodInfo>>, Status> {
    let mut copy = node.clone();
    let mut state = state.clone();
    let nominated = snapshot.nominated_for(node.name());
    let mut potential: Vec<Rc<PodInfo>> = node.pods.iter().filter(|p| p.priority < pod.priority).cloned().collect();
    for p in &potential {
        copy.remove_pod(p.namespace(), p.name());
        plugins::remove_pod(&mut state, pod, p, &copy);
    }
    if potential.is_empty() {
        return Err(Status::unresolvable("", REASON_NO_VICTIMS));
    }
    let status = plugins::filter_with_nominated(&state, pod, &copy, nominated);
    if !status.is_success() {
        return Err(status);
    }
    potential.sort_by(|a, b| more_important_first(a, b));
    let mut victims = Vec::new();
    for p in potential {
        copy.add_pod(p.clone());
        plugins::add_pod(&mut state, pod, &p, &copy);
        if !plugins::filter_with_nominated(&state, pod, &copy, nominated).is_success() {
            copy.remove_pod(p.namespace(), p.name());
            plugins::remove_pod(&mut state, pod, &p, &copy);
            victims.push(p);
        }
    }
    Ok(victims)
}

/// `GetEarliestPodStartTime`: the earliest start among the highest-priority victims.
fn earliest_start(victims: &[Rc<PodInfo>]) -> Option<&str> {
    let top = victims.iter().map(|v| v.priority).max()?;
    victims.iter().filter(|v| v.priority == top).map(|v| v.start_time()).min_by(|a, b| cmp_start(*a, *b))?
}

/// `SelectCandidate` / `pickOneNodeForPreemption`: fewest PDB violations (none here), then the lowest
/// highest-victim priority, the lowest sum of priorities, the fewest victims, the latest start of the
/// highest-priority victims; then the first candidate in name order (Kubernetes takes a map's first).
pub fn select_candidate(mut candidates: Vec<Candidate>) -> Candidate {
    candidates.sort_by(|a, b| a.node.cmp(&b.node));
    if candidates.len() == 1 {
        return candidates.pop().expect("one candidate");
    }
    type Better = fn(&Candidate, &Candidate) -> Ordering;
    let criteria: [Better; 4] = [
        |a, b| b.victims[0].priority.cmp(&a.victims[0].priority),
        |a, b| {
            let sum = |c: &Candidate| c.victims.iter().map(|v| i64::from(v.priority) + i64::from(i32::MAX) + 1).sum::<i64>();
            sum(b).cmp(&sum(a))
        },
        |a, b| b.victims.len().cmp(&a.victims.len()),
        // A later start is better; a victim that has not started counts as starting now.
        |a, b| cmp_start(earliest_start(&a.victims), earliest_start(&b.victims)),
    ];
    let mut remaining: Vec<usize> = (0..candidates.len()).collect();
    for better in criteria {
        let best = remaining.iter().copied().max_by(|&x, &y| better(&candidates[x], &candidates[y]).then(y.cmp(&x)));
        let Some(best) = best else { break };
        remaining.retain(|&i| better(&candidates[i], &candidates[best]) == Ordering::Equal);
        if remaining.len() == 1 {
            break;
        }
    }
    let pick = remaining[0];
    candidates.swap_remove(pick)
}

/// `prepareCandidate`: evict the victims (each gets a `Preempted` event) and clear the nominations of
/// lower-priority pods nominated to the same node.
fn prepare_candidate(cluster: &mut Cluster, snapshot: &mut Snapshot, pod: &PodInfo, c: &Candidate) {
    for v in &c.victims {
        let _ = cluster.delete(GroupKind::Pod, v.namespace(), v.name(), Propagation::Background);
        snapshot.remove_pod(&c.node, v.namespace(), v.name());
        cluster.rec.event(
            DEFAULT_SCHEDULER,
            "Normal",
            "Preempted",
            InvolvedObject { kind: "Pod".into(), namespace: v.namespace().to_owned(), name: v.name().to_owned() },
            format!("Preempted by pod {} on node {}", pod.uid(), c.node),
        );
    }
    let lower: Vec<(String, String)> = snapshot
        .nominated_for(&c.node)
        .iter()
        .filter(|p| p.priority < pod.priority)
        .map(|p| (p.namespace().to_owned(), p.name().to_owned()))
        .collect();
    for (ns, name) in lower {
        snapshot.unnominate(&ns, &name);
        let Some(mut p) = cluster.store().by_key::<Pod>(&(ns, name)).cloned() else { continue };
        if p.status.nominated_node_name.is_empty() {
            continue;
        }
        p.status.nominated_node_name.clear();
        let _ = cluster.patch(Object::Pod(Box::new(p)), Concurrency::Unchecked);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::Pod;

    fn victim(name: &str, priority: i32, start: Option<u64>) -> Rc<PodInfo> {
        let mut p = Pod::default();
        p.metadata.name = name.into();
        p.metadata.uid = format!("00000000-0000-0000-0000-{:012}", name.len());
        p.spec.priority = Some(priority);
        p.status.start_time = start.map(crate::api::Time::at_second);
        Rc::new(PodInfo::new(p))
    }

    fn cand(node: &str, victims: Vec<Rc<PodInfo>>) -> Candidate {
        Candidate { node: node.into(), victims }
    }

    #[test]
    fn candidates_between_ten_percent_and_one_hundred() {
        assert_eq!(num_candidates(5), 5);
        assert_eq!(num_candidates(500), 100);
        assert_eq!(num_candidates(5000), 500);
    }

    #[test]
    fn lowest_highest_victim_priority_wins_first() {
        let c = select_candidate(vec![cand("a", vec![victim("x", 10, Some(1))]), cand("b", vec![victim("y", 5, Some(1)), victim("z", 5, Some(1))])]);
        assert_eq!(c.node, "b");
    }

    #[test]
    fn then_lowest_sum_then_fewest_victims() {
        let c = select_candidate(vec![
            cand("a", vec![victim("x", 5, Some(1)), victim("y", 4, Some(1))]),
            cand("b", vec![victim("z", 5, Some(1)), victim("w", 3, Some(1))]),
        ]);
        assert_eq!(c.node, "b");
        let c = select_candidate(vec![
            cand("a", vec![victim("x", 5, Some(1)), victim("y", -2147483648, Some(1))]),
            cand("b", vec![victim("z", 5, Some(1))]),
        ]);
        // Priorities are shifted by 2^31 before summing, so the extra victim still costs.
        assert_eq!(c.node, "b");
    }

    #[test]
    fn then_latest_start_of_the_highest_priority_victims_then_name() {
        let c = select_candidate(vec![
            cand("a", vec![victim("x", 5, Some(10)), victim("y", 1, Some(100))]),
            cand("b", vec![victim("z", 5, Some(20)), victim("w", 1, Some(1))]),
        ]);
        assert_eq!(c.node, "b", "b's priority-5 victim started later; lower-priority start times do not count");
        let c = select_candidate(vec![cand("b", vec![victim("x", 5, Some(1))]), cand("a", vec![victim("y", 5, Some(1))])]);
        assert_eq!(c.node, "a");
    }
}
