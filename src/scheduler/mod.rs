//! The default kube-scheduler of v1.32 (`pkg/scheduler`): one scheduling cycle per pending pod — PreFilter,
//! Filter over a sample of nodes taken in the node tree's order from a rotating start index, PostFilter
//! (preemption) when nothing fits, then Score and the choice of a host — and the binding or the failure it
//! records.

pub mod framework;
pub mod node_tree;
pub mod normalize;
pub mod placement;
pub mod plugins;
pub mod preemption;
pub mod snapshot;

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;


use crate::api::core_v1::{Pod, PodCondition};
use crate::helpers::pod::set_condition;
use crate::api::Object;
use crate::cluster::api::pod_action;
use crate::cluster::{Cluster, InvolvedObject, Key, Op, Store};
use framework::{fit_error_message, Code, HostPort, NodeInfo, NodeToStatus, PodInfo, Status};
use node_tree::NodeTree;
pub use placement::{Placement, Retention, ScoreTable, Verdict, DEFAULT_DETAIL_BUDGET};
pub use snapshot::Snapshot;
use plugins::{image_locality, inter_pod_affinity, node_affinity, node_ports, noderesources, pod_topology_spread, taint_toleration};

pub const DEFAULT_SCHEDULER: &str = "default-scheduler";
/// `minFeasibleNodesToFind` and `minFeasibleNodesPercentageToFind`.
const MIN_FEASIBLE_NODES: usize = 100;
const MIN_FEASIBLE_PERCENTAGE: usize = 5;
/// Events keep at most this many bytes of message (`NoteLengthLimit`).
const EVENT_NOTE_LIMIT: usize = 1024;

/// State that outlives one scheduling cycle: the node tree and the rotating start index of a long-lived
/// scheduler, and the decisions taken so far.
#[derive(Debug, Default)]
pub struct Scheduler {
    pub tree: NodeTree,
    pub next_start_node_index: usize,
    pub placements: Vec<Placement>,
    /// Record every examined node's verdict in placements (for `explain` and the playground).
    pub record_verdicts: bool,
    /// Let nominated pods hold their node against pods of lower or equal priority (`PodNominator`). Off in the
    /// model: each scheduler pass takes every pending pod through the queue once, so a pod is nominated only
    /// while it is itself being scheduled, and a nomination reserves nothing for the other pods (the real v1.32
    /// results show a lower-priority pod taking the room a preemptor freed and was nominated to, in the same
    /// pass). On, the nominator holds every pending pod with a nominated node, as a long-lived queue would.
    pub reserve_nominated_nodes: bool,
    /// Which decisions keep every node's scores and verdicts, and which only their summary.
    pub retention: Retention,
    /// The last pass's snapshot, refreshed by the next pass with what changed ([`Snapshot::refresh`]).
    pub snapshot: Option<Snapshot>,
}

/// What PreFilter computed for one pod, read by the Filter plugins. `None` for a plugin whose PreFilter
/// returned Skip. Cloned for every node a preemption dry run or a nominated pod changes (`CycleState.Clone`).
#[derive(Clone, Debug, Default)]
pub struct CycleState {
    pub node_affinity: node_affinity::State,
    pub node_ports: Vec<HostPort>,
    pub fit: noderesources::fit::State,
    pub spread: Option<pod_topology_spread::State>,
    pub inter_pod: Option<inter_pod_affinity::State>,
}

/// Keep the node tree in step with the cluster's nodes (nodes arrive in name order).
fn sync_tree(tree: &mut NodeTree, store: &Store) {
    let gone: Vec<String> = tree.names().filter(|n| !store.nodes.contains_key(*n)).map(str::to_owned).collect();
    for n in gone {
        tree.remove(&n);
    }
    for node in store.nodes.values() {
        match tree.zone_of(&node.metadata.name).map(str::to_owned) {
            Some(zone) => tree.update(&zone, node),
            None => tree.add(node),
        }
    }
}

/// Whether the default scheduler should try to place this pod now.
pub(crate) fn wants_scheduling(pod: &Pod) -> bool {
    pod.spec.node_name.is_empty()
        && pod.metadata.deletion_timestamp.is_none()
        && !crate::helpers::pod::is_pod_terminal(pod)
        && pod.spec.scheduler_name == DEFAULT_SCHEDULER
        && pod.spec.scheduling_gates.is_empty()
}

/// One scheduler pass: every pending pod, highest priority first, then in creation order.
pub fn run(sched: &mut Scheduler, cluster: &mut Cluster) {
    let mut pending: Vec<(i32, u64, Key)> = cluster
        .store
        .unbound_pods()
        .filter(|(_, p)| wants_scheduling(p))
        .map(|(k, p)| (p.spec.priority.unwrap_or(0), Store::creation_index(&p.metadata), k.clone()))
        .collect();
    if pending.is_empty() {
        return;
    }
    pending.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut snapshot = take_snapshot(sched, cluster);
    for (_, _, key) in pending {
        let Some(pod) = cluster.store.pods.get(&key).cloned() else { continue };
        if !wants_scheduling(&pod) {
            continue;
        }
        schedule_one(sched, cluster, &mut snapshot, pod);
    }
    sched.snapshot = Some(snapshot);
}

/// The snapshot for this pass: last pass's, brought up to date with the pods written since, or, when nodes
/// changed (or there is none yet, or the pod log no longer reaches back to it), a new one built after the node
/// tree has taken in the nodes.
fn take_snapshot(sched: &mut Scheduler, cluster: &Cluster) -> Snapshot {
    if let Some(mut snapshot) = sched.snapshot.take() {
        if snapshot.refresh(&cluster.store) {
            return snapshot;
        }
    }
    sync_tree(&mut sched.tree, &cluster.store);
    let order = sched.tree.list();
    Snapshot::build(&cluster.store, &order, sched.reserve_nominated_nodes)
}

/// The outcome of `schedulePod`.
enum Outcome {
    Bound(Placement),
    Failed(Failure),
}

/// A failed scheduling attempt: what `handleSchedulingFailure` records.
struct Failure {
    message: String,
    /// `Unschedulable`, or `SchedulerError` for an internal error.
    reason: &'static str,
    nominated: Nominate,
    placement: Placement,
}

/// `NominatingInfo`: what to do with the pod's `status.nominatedNodeName`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Nominate {
    /// `ModeNoop`: keep what the pod has.
    Keep,
    /// `ModeOverride`: set it (empty clears it).
    Set(String),
}

fn schedule_one(sched: &mut Scheduler, cluster: &mut Cluster, snapshot: &mut Snapshot, pod: Pod) {
    let info = PodInfo::new(pod);
    match schedule_pod(sched, cluster, snapshot, &info) {
        Outcome::Bound(placement) => {
            let node = placement.selected_node.clone().unwrap_or_default();
            bind(cluster, snapshot, info, &node);
            sched.placements.push(placement);
        }
        Outcome::Failed(mut f) => {
            if let Nominate::Set(n) = &f.nominated {
                if !n.is_empty() {
                    f.placement.nominated_node = Some(n.clone());
                }
            }
            record_failure(sched, cluster, snapshot, &info.pod, &f);
            sched.placements.push(f.placement);
        }
    }
}

fn new_placement(cluster: &Cluster, pod: &PodInfo) -> Placement {
    Placement {
        pod: format!("{}/{}", pod.namespace(), pod.name()),
        phase: cluster.rec.phase.clone(),
        round: cluster.rec.round,
        selected_node: None,
        top_score: None,
        tied_nodes: Vec::new(),
        scores: ScoreTable::default(),
        feasible_nodes: 0,
        examined_nodes: 0,
        message: None,
        rejected: BTreeMap::new(),
        nominated_node: None,
    }
}

/// `numFeasibleNodesToFind` with the adaptive default percentage.
pub fn num_feasible_nodes_to_find(num_all_nodes: usize) -> usize {
    if num_all_nodes < MIN_FEASIBLE_NODES {
        return num_all_nodes;
    }
    let percentage = 50usize.saturating_sub(num_all_nodes / 125).max(MIN_FEASIBLE_PERCENTAGE);
    (num_all_nodes * percentage / 100).max(MIN_FEASIBLE_NODES)
}

/// The PreFilter result: the cycle state, candidate node names (`None` = all) and the plugins that narrowed
/// them (`RunPreFilterPlugins`' `PreFilterResult` and plugin set).
struct PreFilterOutcome {
    state: CycleState,
    nodes: Option<BTreeSet<String>>,
    narrowed_by: BTreeSet<&'static str>,
}

/// Why PreFilter stopped the cycle.
enum PreFilterStop {
    /// Unschedulable or UnschedulableAndUnresolvable: every node gets this status.
    Rejected(Status, Box<CycleState>),
    /// An internal error (`running PreFilter plugin ...`).
    Error(String),
}

/// `RunPreFilterPlugins` in the profile's order: NodeAffinity, NodePorts, NodeResourcesFit, (the volume
/// plugins), PodTopologySpread, InterPodAffinity. A Skip leaves the plugin's state empty (its Filter passes every
/// node); UnschedulableAndUnresolvable stops at once; Unschedulable lets the remaining plugins run and then
/// rejects; the node sets of PreFilterResults are intersected.
fn pre_filter(cluster: &Cluster, snapshot: &Snapshot, pod: &PodInfo) -> Result<PreFilterOutcome, PreFilterStop> {
    let mut state = CycleState::default();
    let mut nodes: Option<BTreeSet<String>> = None;
    let mut narrowed_by = BTreeSet::new();
    let mut rejected: Option<Status> = None;
    let mut merge = |result: Option<BTreeSet<String>>, plugin: &'static str, nodes: &mut Option<BTreeSet<String>>| {
        let names = result?;
        narrowed_by.insert(plugin);
        let merged: BTreeSet<String> = match nodes.take() {
            None => names,
            Some(prev) => prev.intersection(&names).cloned().collect(),
        };
        let empty = merged.is_empty();
        *nodes = Some(merged);
        if !empty {
            return None;
        }
        let list: Vec<&str> = narrowed_by.iter().copied().collect();
        let msg = if list.len() == 1 {
            format!("node(s) didn't satisfy plugin {}", list[0])
        } else {
            format!("node(s) didn't satisfy plugin(s) [{}] simultaneously", list.join(" "))
        };
        Some(Status::unresolvable("", msg))
    };
    // Each step: a plugin's PreFilter; its status decides whether the loop goes on.
    let step = |status: Result<(), Status>, rejected: &mut Option<Status>| -> Result<(), PreFilterStop> {
        match status {
            Ok(()) => Ok(()),
            Err(s) if s.code == Code::UnschedulableAndUnresolvable => Err(PreFilterStop::Rejected(s, Box::default())),
            Err(s) if s.code == Code::Unschedulable => {
                *rejected = Some(s);
                Ok(())
            }
            Err(s) => Err(PreFilterStop::Error(format!("running PreFilter plugin {:?}: {}", s.plugin, s.message()))),
        }
    };

    let affinity = match node_affinity::pre_filter(&pod.pod.spec) {
        node_affinity::PreFilter::Skip => {
            state.node_affinity.skip = true;
            Ok(())
        }
        node_affinity::PreFilter::AllNodes => Ok(()),
        node_affinity::PreFilter::Conflict => Err(Status::unresolvable(node_affinity::NAME, node_affinity::REASON_CONFLICT)),
        node_affinity::PreFilter::Nodes(names) => match merge(Some(names), node_affinity::NAME, &mut nodes) {
            Some(s) => Err(s),
            None => Ok(()),
        },
    };
    step(affinity, &mut rejected)?;
    state.node_ports = node_ports::pre_filter(pod);
    state.fit = noderesources::fit::pre_filter(pod);
    step(pod_topology_spread::pre_filter(&cluster.store, snapshot, pod).map(|s| state.spread = s), &mut rejected)?;
    step(inter_pod_affinity::pre_filter(&cluster.store, snapshot, pod).map(|s| state.inter_pod = s), &mut rejected)?;
    if let Some(s) = rejected {
        return Err(PreFilterStop::Rejected(s, Box::new(state)));
    }
    Ok(PreFilterOutcome { state, nodes, narrowed_by })
}

fn schedule_pod(sched: &mut Scheduler, cluster: &mut Cluster, snapshot: &mut Snapshot, pod: &PodInfo) -> Outcome {
    let mut placement = new_placement(cluster, pod);
    let num_all = snapshot.nodes.len();
    let failed = |message: String, reason, nominated, mut placement: Placement| {
        placement.message = Some(message.clone());
        Outcome::Failed(Failure { message, reason, nominated, placement })
    };
    if num_all == 0 {
        return failed("no nodes available to schedule pods".into(), UNSCHEDULABLE, Nominate::Set(String::new()), placement);
    }
    let mut statuses = NodeToStatus::default();
    let pre = match pre_filter(cluster, snapshot, pod) {
        Ok(p) => p,
        Err(PreFilterStop::Error(message)) => {
            return failed(message, SCHEDULER_ERROR, Nominate::Set(String::new()), placement);
        }
        Err(PreFilterStop::Rejected(status, state)) => {
            statuses.absent = status.clone();
            let post = preemption::post_filter(cluster, snapshot, pod, &statuses, &state);
            let message = fit_error_message(num_all, &statuses, &status.message(), &post.message);
            return failed(message, UNSCHEDULABLE, post.nominate, placement);
        }
    };

    // A nominated node (from an earlier preemption) is tried alone first; if it passes, it is taken. A rejection
    // there stays in the diagnosis, and its plugin joins the set that names the nodes PreFilter left out
    // (Kubernetes shares that set between the two).
    let mut unschedulable_plugins = pre.narrowed_by.clone();
    let nominated = pod.pod.status.nominated_node_name.clone();
    if !nominated.is_empty() {
        if let Some(node) = snapshot.get(&nominated) {
            let status = plugins::filter_with_nominated(&pre.state, pod, node, snapshot.nominated_for(&nominated));
            if status.is_success() {
                placement.selected_node = Some(nominated);
                placement.feasible_nodes = 1;
                placement.examined_nodes = 1;
                return Outcome::Bound(placement);
            }
            if status.is_rejected() && !status.plugin.is_empty() {
                unschedulable_plugins.insert(status.plugin);
            }
            statuses.explicit.insert(nominated.clone(), status);
        }
    }

    let candidates: Vec<usize> = match &pre.nodes {
        None => (0..num_all).collect(),
        Some(names) => {
            let plugins: Vec<&str> = unschedulable_plugins.iter().copied().collect();
            statuses.absent =
                Status::unresolvable("", format!("node(s) didn't satisfy plugin(s) [{}]", plugins.join(" ")));
            names.iter().filter_map(|n| snapshot.index.get(n).copied()).collect()
        }
    };
    let feasible = find_feasible(sched, snapshot, pod, &pre.state, &candidates, &mut statuses, &mut placement);
    let verdict_rows = if sched.record_verdicts { statuses.explicit.len() } else { 0 };
    let score_rows = if feasible.len() > 1 { feasible.len() } else { 0 };
    let detailed = sched.retention.keep(&placement.pod, verdict_rows + score_rows);
    if detailed && sched.record_verdicts {
        placement.rejected = statuses
            .explicit
            .iter()
            .map(|(n, s)| (n.clone(), Verdict { plugin: s.plugin, reasons: s.reasons.clone() }))
            .collect();
    }
    if feasible.is_empty() {
        let post = preemption::post_filter(cluster, snapshot, pod, &statuses, &pre.state);
        let message = fit_error_message(num_all, &statuses, "", &post.message);
        return failed(message, UNSCHEDULABLE, post.nominate, placement);
    }
    if feasible.len() == 1 {
        placement.selected_node = Some(snapshot.nodes[feasible[0]].name().to_owned());
        return Outcome::Bound(placement);
    }
    match score_and_select(cluster, snapshot, pod, &feasible, detailed, &mut placement) {
        Ok(()) => Outcome::Bound(placement),
        Err(status) => failed(status.message(), SCHEDULER_ERROR, Nominate::Set(String::new()), placement),
    }
}

const UNSCHEDULABLE: &str = "Unschedulable";
const SCHEDULER_ERROR: &str = "SchedulerError";

/// `findNodesThatPassFilters`: filter the candidates sequentially (with the nominated pods of each node taken
/// into account) from the rotating start index until enough feasible nodes are found, recording each
/// rejection; then move the start index past the nodes processed (`findNodesThatFitPod`).
fn find_feasible(
    sched: &mut Scheduler,
    snapshot: &Snapshot,
    pod: &PodInfo,
    state: &CycleState,
    candidates: &[usize],
    statuses: &mut NodeToStatus,
    placement: &mut Placement,
) -> Vec<usize> {
    let n = candidates.len();
    let want = num_feasible_nodes_to_find(n);
    let mut feasible = Vec::new();
    let start = sched.next_start_node_index;
    let mut examined = 0;
    for i in 0..n {
        let idx = candidates[(start + i) % n];
        let node = &snapshot.nodes[idx];
        let status = plugins::filter_with_nominated(state, pod, node, snapshot.nominated_for(node.name()));
        examined += 1;
        if status.is_success() {
            if feasible.len() >= want {
                break;
            }
            feasible.push(idx);
        } else {
            statuses.explicit.insert(node.name().to_owned(), status);
        }
    }
    let processed = feasible.len() + statuses.explicit.len();
    sched.next_start_node_index = (start + processed) % snapshot.nodes.len();
    placement.feasible_nodes = feasible.len();
    placement.examined_nodes = examined;
    feasible
}

/// One score plugin's contribution: its name, weight and per-feasible-node normalised scores.
struct ScoreColumn {
    plugin: &'static str,
    weight: i64,
    scores: Vec<i64>,
}

/// `prioritizeNodes` (`RunPreScorePlugins`, `RunScorePlugins`) and `selectHost`: every plugin that PreScore did
/// not skip scores every feasible node, normalises, and is weighted; the highest total wins. Among equal totals
/// kubeplan takes the smallest node name (a real scheduler picks at random) and reports the tied set.
/// `detailed`: keep the score table in the placement (see [`Retention`]).
fn score_and_select(
    cluster: &Cluster,
    snapshot: &Snapshot,
    pod: &PodInfo,
    feasible: &[usize],
    detailed: bool,
    placement: &mut Placement,
) -> Result<(), Status> {
    let nodes: Vec<&NodeInfo> = feasible.iter().map(|&i| &snapshot.nodes[i]).collect();
    let mut columns = Vec::new();

    let tolerations = taint_toleration::prefer_no_schedule_tolerations(pod);
    let mut s: Vec<i64> = nodes.iter().map(|n| taint_toleration::score(&tolerations, n)).collect();
    taint_toleration::normalize(&mut s);
    columns.push(ScoreColumn { plugin: taint_toleration::NAME, weight: taint_toleration::WEIGHT, scores: s });

    if let Some(terms) = node_affinity::pre_score(&pod.pod.spec) {
        let mut s: Vec<i64> = nodes.iter().map(|n| node_affinity::score(&terms, n)).collect();
        node_affinity::normalize(&mut s);
        columns.push(ScoreColumn { plugin: node_affinity::NAME, weight: node_affinity::WEIGHT, scores: s });
    }

    let s = nodes.iter().map(|n| noderesources::fit::score(pod, n)).collect();
    columns.push(ScoreColumn { plugin: noderesources::fit::NAME, weight: noderesources::fit::WEIGHT, scores: s });

    if let Some(s) = pod_topology_spread::score_all(&cluster.store, snapshot, pod, feasible)? {
        columns.push(ScoreColumn { plugin: pod_topology_spread::NAME, weight: pod_topology_spread::WEIGHT, scores: s });
    }
    if let Some(s) = inter_pod_affinity::score_all(&cluster.store, snapshot, pod, feasible)? {
        columns.push(ScoreColumn { plugin: inter_pod_affinity::NAME, weight: inter_pod_affinity::WEIGHT, scores: s });
    }

    let s = nodes.iter().map(|n| noderesources::balanced_allocation::score(pod, n)).collect();
    columns.push(ScoreColumn {
        plugin: noderesources::balanced_allocation::NAME,
        weight: noderesources::balanced_allocation::WEIGHT,
        scores: s,
    });

    let s = image_locality::score_all(snapshot.images(), snapshot.nodes.len(), pod, &nodes);
    columns.push(ScoreColumn { plugin: image_locality::NAME, weight: image_locality::WEIGHT, scores: s });

    for col in &columns {
        if let Some(bad) = col.scores.iter().find(|s| !(0..=100).contains(*s)) {
            return Err(Status::new(
                Code::Error,
                col.plugin,
                format!("applying score defaultWeights on Score plugins: plugin {:?} returns an invalid score {bad}, it should in the range of [0, 100] after normalizing", col.plugin),
            ));
        }
    }
    let mut totals = vec![0i64; nodes.len()];
    let weighted: Vec<Vec<i64>> = columns.iter().map(|c| c.scores.iter().map(|s| s * c.weight).collect()).collect();
    for col in &weighted {
        for (t, s) in totals.iter_mut().zip(col) {
            *t += s;
        }
    }
    if detailed {
        let plugins = columns.iter().map(|c| c.plugin).collect();
        placement.scores = ScoreTable::new(snapshot.names(), plugins, feasible, &weighted);
    }
    let top = totals.iter().copied().max().unwrap_or(0);
    let mut tied: Vec<&str> = nodes.iter().zip(&totals).filter(|(_, t)| **t == top).map(|(n, _)| n.name()).collect();
    tied.sort_unstable();
    placement.selected_node = tied.first().map(|n| (*n).to_owned());
    placement.top_score = Some(top);
    placement.tied_nodes = tied.into_iter().map(str::to_owned).collect();
    Ok(())
}

/// Bind: set `nodeName` and `PodScheduled=True`, record the event and the action, and count the pod on its node
/// for the pods scheduled after it (which also ends its nomination).
fn bind(cluster: &mut Cluster, snapshot: &mut Snapshot, info: PodInfo, node: &str) {
    let mut pod = info.pod;
    pod.spec.node_name = node.to_owned();
    let status = &mut pod.status;
    if status.phase.is_empty() {
        status.phase = "Pending".into();
    }
    set_condition(status, PodCondition { r#type: "PodScheduled".into(), status: "True".into(), ..Default::default() });
    cluster.rec.event(
        DEFAULT_SCHEDULER,
        "Normal",
        "Scheduled",
        InvolvedObject { kind: "Pod".into(), namespace: pod.metadata.namespace.clone(), name: pod.metadata.name.clone() },
        format!("Successfully assigned {}/{} to {}", pod.metadata.namespace, pod.metadata.name, node),
    );
    cluster.rec.action(pod_action(Op::Bind, &pod));
    snapshot.add_pod(node, Rc::new(PodInfo::new(pod.clone())));
    cluster.write(Object::Pod(Box::new(pod)));
}

/// `handleSchedulingFailure`: `PodScheduled=False` with the message, the nominated node (in the pod's status and
/// in the nominator), and a `FailedScheduling` event (its message cut to 1024 bytes).
fn record_failure(sched: &Scheduler, cluster: &mut Cluster, snapshot: &mut Snapshot, pod: &Pod, f: &Failure) {
    let key = (pod.metadata.namespace.clone(), pod.metadata.name.clone());
    let Some(mut current) = cluster.store.pods.get(&key).cloned() else { return };
    let status = &mut current.status;
    if status.phase.is_empty() {
        status.phase = "Pending".into();
    }
    set_condition(
        status,
        PodCondition {
            r#type: "PodScheduled".into(),
            status: "False".into(),
            reason: f.reason.into(),
            message: f.message.clone(),
            ..Default::default()
        },
    );
    if let Nominate::Set(n) = &f.nominated {
        status.nominated_node_name = n.clone();
    }
    if sched.reserve_nominated_nodes {
        let nominated_node = status.nominated_node_name.clone();
        snapshot.nominate(&current, &nominated_node);
    }
    cluster.rec.event(
        DEFAULT_SCHEDULER,
        "Warning",
        "FailedScheduling",
        InvolvedObject { kind: "Pod".into(), namespace: key.0.clone(), name: key.1.clone() },
        truncate_note(&f.message),
    );
    cluster.write(Object::Pod(Box::new(current)));
}

fn truncate_note(message: &str) -> String {
    if message.len() <= EVENT_NOTE_LIMIT {
        return message.to_owned();
    }
    let mut end = EVENT_NOTE_LIMIT - 4;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{} ...", &message[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adaptive_percentage_of_nodes_to_score() {
        assert_eq!(num_feasible_nodes_to_find(50), 50);
        assert_eq!(num_feasible_nodes_to_find(99), 99);
        assert_eq!(num_feasible_nodes_to_find(100), 100, "50% of 100 is 50, floored at 100");
        assert_eq!(num_feasible_nodes_to_find(500), 230, "50 - 500/125 = 46%");
        assert_eq!(num_feasible_nodes_to_find(1000), 420);
        assert_eq!(num_feasible_nodes_to_find(5000), 500, "10% at 5,000 nodes");
        assert_eq!(num_feasible_nodes_to_find(130_000), 6500, "floored at 5%");
    }
}
