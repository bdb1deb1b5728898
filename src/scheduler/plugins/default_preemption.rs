//! DefaultPreemption (`plugins/defaultpreemption`, `framework/preemption/preemption.go`): when no node fits,
//! find nodes where evicting lower-priority pods would let the pod fit, pick one, and nominate it for the pod's
//! next attempt. The victims are returned with the decision ([`Preemption`]); the scheduler evicts them.
//!
//! The dry run works on copies of a node and of the cycle state, and moves pods through the PreFilter
//! extensions (AddPod/RemovePod) so that topology spread and inter-pod affinity see the node as it would be.
//! PodDisruptionBudgets are not modelled: no victim violates one.

use std::cmp::Ordering;
use std::rc::Rc;

use crate::scheduler::config::args::DefaultPreemptionArgs;
use crate::scheduler::config::validation::validate_default_preemption_args;
use crate::scheduler::config::Args;
use crate::scheduler::framework::{
    cmp_start, fit_error_message, more_important_first, Code, CycleState, Handle, Instance, NodeInfo, NodeToStatus, Nominate,
    Plugin, PodInfo, PodRecord, PostFilterPlugin, PostFilterResult, PreEnqueuePlugin, Preemption, Reason, Status,
};

pub const NAME: &str = "DefaultPreemption";

pub struct DefaultPreemption {
    args: DefaultPreemptionArgs,
}

/// `New`: the arguments must be valid (`ValidateDefaultPreemptionArgs`).
pub fn new(args: Option<&Args>) -> Result<Instance, String> {
    let args = super::checked_args(
        args,
        "DefaultPreemptionArgs",
        |a| if let Args::DefaultPreemption(x) = a { Some(x) } else { None },
        validate_default_preemption_args,
    )?;
    let p = Rc::new(DefaultPreemption { args: args.clone() });
    Ok(Instance { pre_enqueue: Some(p.clone()), post_filter: Some(p), ..Instance::new(NAME) })
}

impl Plugin for DefaultPreemption {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl PreEnqueuePlugin for DefaultPreemption {
    /// Holds back pods whose preemption is still under way (only with asynchronous preemption, off in v1.32).
    fn pre_enqueue(&self, _: &crate::api::core_v1::Pod) -> Result<(), Status> {
        Ok(())
    }
}

/// A node where preemption would help, with the pods to evict (most important first).
#[derive(Debug)]
pub struct Candidate {
    pub node: String,
    pub victims: Vec<Rc<PodRecord>>,
}

/// A rejection of PostFilter: `preemption: <message>`.
fn rejected(code: Code, message: impl std::fmt::Display) -> Status {
    Status::new(code, Reason::Message(format!("preemption: {message}")))
}

impl PostFilterPlugin for DefaultPreemption {
    /// `DefaultPreemption.PostFilter` / `Evaluator.Preempt`.
    fn post_filter(&self, handle: &Handle<'_>, state: &CycleState, pod: &PodInfo, statuses: &NodeToStatus) -> (Option<PostFilterResult>, Status) {
        let snapshot = handle.snapshot;
        // Preempt reads the pod again from the informer; in the model it is the pod being scheduled.
        if let Some(reason) = not_eligible(handle, pod, statuses) {
            return (None, rejected(Code::Unschedulable, reason));
        }
        let num_all = snapshot.nodes.len();
        let clear = || Some(PostFilterResult { nominate: Nominate::Set(String::new()), preemption: None });
        let potential = potential_nodes(handle, statuses);
        if potential.is_empty() {
            // `findCandidates` clears the pod's nominated node; the FitError counts every node as not helped.
            let empty = NodeToStatus { absent: Status::unresolvable(Reason::PreemptionNotHelpful), ..Default::default() };
            return (clear(), rejected(Code::Unschedulable, fit_error_message(num_all, &empty, None, "")));
        }
        let (candidates, mut dry_statuses, errors) = self.dry_run(handle, pod, state, &potential);
        if candidates.is_empty() {
            if !errors.is_empty() {
                return (None, rejected(Code::Error, aggregate(&errors)));
            }
            dry_statuses.absent = Status::unresolvable(Reason::PreemptionNotHelpful);
            return (clear(), rejected(Code::Unschedulable, fit_error_message(num_all, &dry_statuses, None, "")));
        }
        let best = select_candidate(candidates);
        let result = PostFilterResult {
            nominate: Nominate::Set(best.node.clone()),
            preemption: Some(Preemption { node: best.node, victims: best.victims }),
        };
        (Some(result), Status::success())
    }
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
fn not_eligible(handle: &Handle<'_>, pod: &PodInfo, statuses: &NodeToStatus) -> Option<Reason> {
    if pod.pod.spec.preemption_policy.as_deref() == Some("Never") {
        return Some(Reason::PreemptionPolicyNever);
    }
    let nominated = pod.pod.status.nominated_node_name.as_str();
    if nominated.is_empty() {
        return None;
    }
    if statuses.get(nominated).code == Code::UnschedulableAndUnresolvable {
        return None;
    }
    let node = handle.snapshot.get(nominated)?;
    node.pods
        .iter()
        .any(|p| p.priority < pod.record.priority && terminating_by_preemption(p))
        .then_some(Reason::PreemptionTerminatingPod)
}

/// `podTerminatingByPreemption`: deleting, with `DisruptionTarget=True` for `PreemptionByScheduler`.
fn terminating_by_preemption(p: &PodRecord) -> bool {
    p.is_deleting() && p.disrupted_by_preemption
}

/// `NodeToStatus.NodesForStatusCode(Unschedulable)`: only nodes where a filter said Unschedulable (not
/// UnschedulableAndUnresolvable) can be helped by evicting pods. Kubernetes walks a map of the explicit statuses;
/// kubeplan walks them in name order, and all nodes in snapshot order when the absent status qualifies.
fn potential_nodes(handle: &Handle<'_>, statuses: &NodeToStatus) -> Vec<usize> {
    let snapshot = handle.snapshot;
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

impl DefaultPreemption {
    /// `calculateNumCandidates`: `minCandidateNodesPercentage` of the potential nodes, at least
    /// `minCandidateNodesAbsolute`, at most all of them.
    pub fn num_candidates(&self, potential: usize) -> usize {
        let pct = usize::try_from(self.args.min_candidate_nodes_percentage).unwrap_or(0);
        let abs = usize::try_from(self.args.min_candidate_nodes_absolute).unwrap_or(0);
        (potential * pct / 100).max(abs).min(potential)
    }

    /// `DryRunPreemption` over the potential nodes, sequentially from offset 0 (a real scheduler starts at a
    /// random offset), until enough candidates are found. Returns the candidates, each failed node's status and
    /// the errors.
    fn dry_run(&self, handle: &Handle<'_>, pod: &PodInfo, state: &CycleState, potential: &[usize]) -> (Vec<Candidate>, NodeToStatus, Vec<String>) {
        let want = self.num_candidates(potential.len());
        let mut statuses = NodeToStatus::default();
        let mut errors = Vec::new();
        let mut out = Vec::new();
        for &i in potential {
            let node = &handle.snapshot.nodes[i];
            match select_victims_on_node(handle, state, pod, node) {
                Ok(victims) if !victims.is_empty() => {
                    out.push(Candidate { node: node.name().to_owned(), victims });
                    if out.len() >= want {
                        break;
                    }
                }
                Ok(_) => {
                    let msg = format!("expected at least one victim pod on node {:?}", node.name());
                    errors.push(msg.clone());
                    statuses.explicit.insert(node.name().to_owned(), Status::error(msg));
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
}

/// `SelectVictimsOnNode`: remove every lower-priority pod (through RemovePod); if the pod then fits, add them
/// back from the most important down (through AddPod) while it still fits. Those that cannot come back are the
/// victims, most important first.
pub fn select_victims_on_node(
    handle: &Handle<'_>,
    state: &CycleState,
    pod: &PodInfo,
    node: &NodeInfo,
) -> Result<Vec<Rc<PodRecord>>, Status> {
    let fw = handle.framework;
    let mut copy = node.clone();
    let mut state = state.clone();
    let nominated = handle.snapshot.nominated_for(node.name());
    let mut potential: Vec<Rc<PodRecord>> = node.pods.iter().filter(|p| p.priority < pod.record.priority).cloned().collect();
    for p in &potential {
        copy.remove_pod(p.namespace(), p.name());
        fw.run_remove_pod(&mut state, pod, p, &copy);
    }
    if potential.is_empty() {
        return Err(Status::unresolvable(Reason::NoPreemptionVictims));
    }
    fw.run_filter_with_nominated(&state, pod, &copy, nominated)?;
    potential.sort_by(|a, b| more_important_first(a, b));
    let mut victims = Vec::new();
    for p in potential {
        copy.add_pod(p.clone());
        fw.run_add_pod(&mut state, pod, &p, &copy);
        if fw.run_filter_with_nominated(&state, pod, &copy, nominated).is_err() {
            copy.remove_pod(p.namespace(), p.name());
            fw.run_remove_pod(&mut state, pod, &p, &copy);
            victims.push(p);
        }
    }
    Ok(victims)
}

/// `GetEarliestPodStartTime`: the earliest start among the highest-priority victims.
fn earliest_start(victims: &[Rc<PodRecord>]) -> Option<&str> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::Pod;

    fn victim(name: &str, priority: i32, start: Option<u64>) -> Rc<PodRecord> {
        let mut p = Pod::default();
        p.metadata.name = name.into();
        p.metadata.uid = format!("00000000-0000-0000-0000-{:012}", name.len());
        p.spec.priority = Some(priority);
        p.status.start_time = start.map(crate::api::Time::at_second);
        Rc::new(PodRecord::of(&p))
    }

    fn cand(node: &str, victims: Vec<Rc<PodRecord>>) -> Candidate {
        Candidate { node: node.into(), victims }
    }

    #[test]
    fn candidates_between_the_percentage_and_the_absolute_minimum() {
        let p = |pct, abs| DefaultPreemption { args: DefaultPreemptionArgs { min_candidate_nodes_percentage: pct, min_candidate_nodes_absolute: abs } };
        assert_eq!(p(10, 100).num_candidates(5), 5);
        assert_eq!(p(10, 100).num_candidates(500), 100);
        assert_eq!(p(10, 100).num_candidates(5000), 500);
        assert_eq!(p(50, 2).num_candidates(12), 6);
        assert_eq!(p(0, 2).num_candidates(12), 2);
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
