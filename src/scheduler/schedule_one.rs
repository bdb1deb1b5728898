//! One scheduling cycle (`pkg/scheduler/schedule_one.go`): `schedulePod` with one profile's framework —
//! PreFilter, the nominated node first, Filter over a sample of the nodes from the shared start index
//! (`findNodesThatFitPod`), PostFilter when nothing fits, then Score and `selectHost`. The cycle reads the
//! snapshot and the listers only; its decision ([`Outcome`]) is carried out by [`super::record`].

use crate::cluster::Cluster;

use super::framework::{
    fit_error_message, CycleState, Framework, Handle, Listers, NodeInfo, NodeToStatus, Nominate, PluginsRunner, PodInfo,
    PreFilterStop, Preemption, Reason, Scores, Status,
};
use super::placement::{NodeList, Placement, PreFilterNodes, Retention, ScoreTable, Verdict};
use super::{Scheduler, Snapshot};

/// `minFeasibleNodesToFind` and `minFeasibleNodesPercentageToFind`.
const MIN_FEASIBLE_NODES: usize = 100;
const MIN_FEASIBLE_PERCENTAGE: usize = 5;
/// `v1.PodReasonUnschedulable` and `SchedulerError`: the reasons of a failure's `PodScheduled` condition.
const UNSCHEDULABLE: &str = "Unschedulable";
const SCHEDULER_ERROR: &str = "SchedulerError";

/// The outcome of `schedulePod`.
pub enum Outcome {
    Bound(Placement),
    Failed(Failure),
}

/// A failed scheduling attempt: what `handleSchedulingFailure` records, and the evictions PostFilter decided.
pub struct Failure {
    pub message: String,
    /// `Unschedulable`, or `SchedulerError` for an internal error.
    pub reason: &'static str,
    pub nominate: Nominate,
    pub placement: Placement,
    pub preemption: Option<Preemption>,
}

/// `numFeasibleNodesToFind`: every node below 100; otherwise the profile's percentage (else the
/// configuration's; 0 is adaptive, `50 - nodes/125` and at least 5) of them, and at least 100.
pub fn num_feasible_nodes_to_find(percentage: i32, num_all_nodes: usize) -> usize {
    if num_all_nodes < MIN_FEASIBLE_NODES {
        return num_all_nodes;
    }
    let percentage = match usize::try_from(percentage).unwrap_or(0) {
        0 => 50usize.saturating_sub(num_all_nodes / 125).max(MIN_FEASIBLE_PERCENTAGE),
        p => p,
    };
    (num_all_nodes * percentage / 100).max(MIN_FEASIBLE_NODES)
}

/// What one cycle reads and the scheduler state it moves on: the profile's framework, the snapshot and the
/// listers (the [`Handle`]), the start index, and where decisions are kept.
pub struct Cycle<'a> {
    handle: Handle<'a>,
    fw: &'a Framework,
    /// The configuration's `percentageOfNodesToScore`, for profiles that set none.
    percentage: i32,
    next_start: &'a mut usize,
    record_verdicts: bool,
    retention: &'a mut Retention,
    /// The scores' buffer, kept from cycle to cycle.
    scores: &'a mut Scores,
    phase: &'a str,
    round: u32,
}

impl<'a> Cycle<'a> {
    pub fn new(scheduler: &'a mut Scheduler, cluster: &'a Cluster, snapshot: &'a Snapshot, fw: &'a Framework) -> Cycle<'a> {
        let rec = &cluster.rec;
        let listers: &'a dyn Listers = cluster.store();
        Cycle {
            handle: Handle { snapshot, listers, framework: fw },
            fw,
            percentage: fw.percentage_of_nodes_to_score().unwrap_or(scheduler.profiles.config.percentage_of_nodes_to_score),
            next_start: &mut scheduler.next_start_node_index,
            record_verdicts: scheduler.record_verdicts,
            retention: &mut scheduler.retention,
            scores: &mut scheduler.scores,
            phase: &rec.phase,
            round: rec.round,
        }
    }

    fn new_placement(&self, pod: &PodInfo) -> Placement {
        Placement {
            pod: format!("{}/{}", pod.namespace(), pod.name()),
            profile: self.fw.profile_name_rc(),
            phase: self.phase.to_owned(),
            round: self.round,
            selected_node: None,
            top_score: None,
            tied_nodes: NodeList::default(),
            scores: ScoreTable::default(),
            feasible_nodes: 0,
            examined_nodes: 0,
            message: None,
            rejected: Default::default(),
            nominated_node: None,
            pre_filter_nodes: None,
            reasons: Vec::new(),
        }
    }

    /// `schedulePod` and, when no node fits, PostFilter.
    pub fn schedule_pod(&mut self, pod: &PodInfo) -> Outcome {
        let mut placement = self.new_placement(pod);
        let snapshot = self.handle.snapshot;
        let num_all = snapshot.nodes.len();
        if num_all == 0 {
            return failed("no nodes available to schedule pods".into(), UNSCHEDULABLE, Nominate::Set(String::new()), placement);
        }
        let mut state = CycleState::default();
        let mut statuses = NodeToStatus::default();
        let pre = match self.fw.run_pre_filter(&self.handle, &mut state, pod) {
            Ok(p) => p,
            Err(PreFilterStop::Error(message)) => return failed(message, SCHEDULER_ERROR, Nominate::Set(String::new()), placement),
            Err(PreFilterStop::Rejected(status)) => {
                statuses.absent = status.clone();
                placement.reasons = status.reasons.clone();
                return self.unschedulable(pod, &state, &statuses, Some(&status), placement);
            }
        };

        // A nominated node (from an earlier preemption) is tried alone first; if it passes, it is taken. A
        // rejection there stays in the diagnosis, and its plugin joins the set that names the nodes PreFilter
        // left out (Kubernetes shares that set between the two).
        let mut unschedulable_plugins = pre.narrowed_by.clone();
        let nominated = pod.pod.status.nominated_node_name.clone();
        if let Some(node) = (!nominated.is_empty()).then(|| snapshot.get(&nominated)).flatten() {
            match self.fw.run_filter_with_nominated(&state, pod, node, snapshot.nominated_for(&nominated)) {
                Ok(()) => {
                    placement.selected_node = Some(nominated);
                    placement.feasible_nodes = 1;
                    placement.examined_nodes = 1;
                    return Outcome::Bound(placement);
                }
                Err(status) => {
                    if status.is_rejected() && !status.plugin.is_empty() {
                        unschedulable_plugins.insert(status.plugin);
                    }
                    statuses.explicit.insert(nominated.clone(), status);
                }
            }
        }

        let candidates: Vec<usize> = match &pre.nodes {
            None => (0..num_all).collect(),
            Some(names) => {
                let plugins: Vec<&'static str> = unschedulable_plugins.iter().copied().collect();
                statuses.absent = Status::unresolvable(Reason::NotInPreFilterResult(plugins));
                placement.pre_filter_nodes =
                    Some(PreFilterNodes { plugins: pre.narrowed_by.iter().copied().collect(), nodes: names.iter().cloned().collect() });
                names.iter().filter_map(|n| snapshot.index.get(n).copied()).collect()
            }
        };
        let feasible = self.find_feasible(pod, &state, &candidates, &mut statuses, &mut placement);
        let verdict_rows = if self.record_verdicts { statuses.explicit.len() } else { 0 };
        let score_rows = if feasible.len() > 1 { feasible.len() } else { 0 };
        let detailed = self.retention.keep(&placement.pod, verdict_rows + score_rows);
        if detailed && self.record_verdicts {
            placement.rejected = statuses
                .explicit
                .iter()
                .map(|(n, s)| (n.clone(), Verdict { plugin: s.plugin, reasons: s.reasons.clone() }))
                .collect();
        }
        if feasible.is_empty() {
            placement.reasons = statuses.reason_counts(num_all).into_iter().map(|(r, _)| r).collect();
            return self.unschedulable(pod, &state, &statuses, None, placement);
        }
        if feasible.len() == 1 {
            placement.selected_node = Some(snapshot.nodes[feasible[0]].name().to_owned());
            return Outcome::Bound(placement);
        }
        match self.score_and_select(pod, &mut state, &feasible, detailed, &mut placement) {
            Ok(()) => Outcome::Bound(placement),
            Err(status) => failed(status.message(), SCHEDULER_ERROR, Nominate::Set(String::new()), placement),
        }
    }

    /// No node fits (a FitError): run the PostFilter plugins, if the profile has any, and fail with
    /// `0/N nodes are available: …` and PostFilter's message.
    fn unschedulable(
        &self,
        pod: &PodInfo,
        state: &CycleState,
        statuses: &NodeToStatus,
        pre_filter: Option<&Status>,
        placement: Placement,
    ) -> Outcome {
        let num_all = self.handle.snapshot.nodes.len();
        if !self.fw.has_post_filter_plugins() {
            let message = fit_error_message(num_all, statuses, pre_filter, "");
            return failed(message, UNSCHEDULABLE, Nominate::Keep, placement);
        }
        let (result, status) = self.fw.run_post_filter(&self.handle, state, pod, statuses);
        let message = fit_error_message(num_all, statuses, pre_filter, &status.message());
        let (nominate, preemption) = match result {
            Some(r) => (r.nominate, r.preemption),
            None => (Nominate::Keep, None),
        };
        match failed(message, UNSCHEDULABLE, nominate, placement) {
            Outcome::Failed(f) => Outcome::Failed(Failure { preemption, ..f }),
            bound => bound,
        }
    }

    /// `findNodesThatPassFilters`: filter the candidates sequentially (with the nominated pods of each node
    /// taken into account) from the shared start index until enough feasible nodes are found — one when the
    /// profile scores nothing, the first ones without filtering when it filters nothing — recording each
    /// rejection; then move the start index past the nodes processed (`findNodesThatFitPod`).
    fn find_feasible(
        &mut self,
        pod: &PodInfo,
        state: &CycleState,
        candidates: &[usize],
        statuses: &mut NodeToStatus,
        placement: &mut Placement,
    ) -> Vec<usize> {
        let snapshot = self.handle.snapshot;
        let n = candidates.len();
        let want = if self.fw.has_score_plugins() { num_feasible_nodes_to_find(self.percentage, n) } else { n.min(1) };
        let start = *self.next_start;
        let mut feasible = Vec::new();
        let mut examined = 0;
        if !self.fw.has_filter_plugins() {
            feasible = (0..want).map(|i| candidates[(start + i) % n]).collect();
            examined = feasible.len();
        } else {
            let filters = self.fw.filters(state);
            for i in 0..n {
                let idx = candidates[(start + i) % n];
                let node = &snapshot.nodes[idx];
                examined += 1;
                match self.fw.filter_with_nominated(&filters, state, pod, node, snapshot.nominated_for(node.name())) {
                    Ok(()) => {
                        if feasible.len() >= want {
                            break;
                        }
                        feasible.push(idx);
                    }
                    Err(status) => {
                        statuses.explicit.insert(node.name().to_owned(), status);
                    }
                }
            }
        }
        let processed = feasible.len() + statuses.explicit.len();
        *self.next_start = (start + processed) % snapshot.nodes.len();
        placement.feasible_nodes = feasible.len();
        placement.examined_nodes = examined;
        feasible
    }

    /// `prioritizeNodes` and `selectHost`: the profile's score plugins score every feasible node, weighted; the
    /// highest total wins (every node scores 1 when the profile has no score plugins). Among equal totals
    /// kubeplan takes the smallest node name (a real scheduler picks at random) and reports the tied set.
    /// `detailed`: keep the score table in the placement (see [`Retention`]).
    fn score_and_select(
        &mut self,
        pod: &PodInfo,
        state: &mut CycleState,
        feasible: &[usize],
        detailed: bool,
        placement: &mut Placement,
    ) -> Result<(), Status> {
        let snapshot = self.handle.snapshot;
        let nodes: Vec<&NodeInfo> = feasible.iter().map(|&i| &snapshot.nodes[i]).collect();
        let scores = &mut *self.scores;
        if self.fw.has_score_plugins() {
            self.fw.run_score(&self.handle, state, pod, &nodes, scores)?;
        } else {
            scores.reset(nodes.len());
        }
        scores.weigh(i64::from(!self.fw.has_score_plugins()));
        if detailed {
            let columns: Vec<&[i64]> = scores.columns().collect();
            placement.scores = ScoreTable::new(snapshot.names(), scores.plugins().collect(), feasible, &columns);
        }
        let totals = scores.totals();
        let top = totals.iter().copied().max().unwrap_or(0);
        let tied = feasible.iter().zip(totals).filter(|(_, t)| **t == top).map(|(&i, _)| i as u32).collect();
        let tied = NodeList::sorted(snapshot.names(), tied);
        placement.selected_node = tied.first().map(str::to_owned);
        placement.top_score = Some(top);
        placement.tied_nodes = tied;
        Ok(())
    }
}

fn failed(message: String, reason: &'static str, nominate: Nominate, mut placement: Placement) -> Outcome {
    placement.message = Some(message.clone());
    Outcome::Failed(Failure { message, reason, nominate, placement, preemption: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adaptive_percentage_of_nodes_to_score() {
        assert_eq!(num_feasible_nodes_to_find(0, 50), 50);
        assert_eq!(num_feasible_nodes_to_find(0, 99), 99);
        assert_eq!(num_feasible_nodes_to_find(0, 100), 100, "50% of 100 is 50, floored at 100");
        assert_eq!(num_feasible_nodes_to_find(0, 500), 230, "50 - 500/125 = 46%");
        assert_eq!(num_feasible_nodes_to_find(0, 1000), 420);
        assert_eq!(num_feasible_nodes_to_find(0, 5000), 500, "10% at 5,000 nodes");
        assert_eq!(num_feasible_nodes_to_find(0, 130_000), 6500, "floored at 5%");
    }

    #[test]
    fn a_configured_percentage_is_floored_at_100_nodes() {
        assert_eq!(num_feasible_nodes_to_find(10, 200), 100);
        assert_eq!(num_feasible_nodes_to_find(50, 300), 150);
        assert_eq!(num_feasible_nodes_to_find(100, 150), 150);
        assert_eq!(num_feasible_nodes_to_find(30, 80), 80, "below 100 nodes every node is examined");
    }
}
