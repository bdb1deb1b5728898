//! PodTopologySpread (`framework/plugins/podtopologyspread`): hard (`DoNotSchedule`) constraints filter, soft
//! (`ScheduleAnyway`) constraints score. A pod without constraints of its own takes the profile's default
//! constraints — the system defaults (hostname maxSkew 3, zone maxSkew 5, `defaultingType: System`) or the
//! listed ones (`List`) — over the pods its Services and controller select (`DefaultSelector`).
//!
//! Pods matching a constraint's selector are counted per node through the snapshot's incremental counts
//! ([`Snapshot::match_counts`]); everything else follows Kubernetes step by step, including its quirks
//! (constraints sharing a topology key share their counts; a node without one constraint's key is left out of
//! every constraint; only two "critical paths" are kept per key).

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::api::core_v1::{Pod, TopologySpreadConstraint};
use crate::api::labels::{Labels, Requirement, Selector};
use crate::api::controller_of;
use crate::helpers::taints::{find_untolerated, is_no_schedule_or_no_execute};
use crate::scheduler::config::args::{PodTopologySpreadArgs, SYSTEM_DEFAULTING};
use crate::scheduler::config::validation::validate_topology_spread_args;
use crate::scheduler::config::Args;
use crate::scheduler::framework::cycle_state::CountsPods;
use crate::scheduler::framework::{
    CycleState, FilterPlugin, Handle, Instance, Listers, NodeInfo, Plugin, PodInfo, PodRecord, PreFilterPlugin, PreFilterResult,
    PreScorePlugin, Reason, ScorePlugin, Status,
};
use crate::scheduler::snapshot::Topology;
use crate::scheduler::Snapshot;

pub const NAME: &str = "PodTopologySpread";

const LABEL_HOSTNAME: &str = "kubernetes.io/hostname";
const LABEL_ZONE: &str = "topology.kubernetes.io/zone";
const DO_NOT_SCHEDULE: &str = "DoNotSchedule";
const SCHEDULE_ANYWAY: &str = "ScheduleAnyway";

/// `topologySpreadConstraint`: a constraint with its selector parsed and its defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    pub max_skew: i32,
    pub topology_key: String,
    pub selector: Selector,
    pub min_domains: i32,
    /// `nodeAffinityPolicy: Honor` (the default): only nodes matching the pod's node affinity count.
    pub honor_node_affinity: bool,
    /// `nodeTaintsPolicy: Honor` (default Ignore): only nodes whose NoSchedule/NoExecute taints the pod tolerates.
    pub honor_node_taints: bool,
}

impl Constraint {
    /// Whether every node passes the inclusion policies for this pod (no node affinity to honour, no taints).
    fn includes_all(&self, pod: &PodInfo) -> bool {
        (!self.honor_node_affinity || pod.required_affinity.is_empty()) && !self.honor_node_taints
    }

    /// `matchNodeInclusionPolicies`.
    fn includes(&self, pod: &PodInfo, node: &NodeInfo) -> bool {
        if self.honor_node_affinity && !pod.required_affinity.matches(node) {
            return false;
        }
        if self.honor_node_taints
            && find_untolerated(&node.node.taints, pod.tolerations(), is_no_schedule_or_no_execute).is_some()
        {
            return false;
        }
        true
    }
}

/// `systemDefaultConstraints` (all `ScheduleAnyway`).
fn system_defaults() -> Vec<TopologySpreadConstraint> {
    [(3, LABEL_HOSTNAME), (5, LABEL_ZONE)]
        .into_iter()
        .map(|(max_skew, key)| TopologySpreadConstraint {
            max_skew,
            topology_key: key.to_owned(),
            when_unsatisfiable: SCHEDULE_ANYWAY.to_owned(),
            ..Default::default()
        })
        .collect()
}

/// The plugin: the default constraints of pods that declare none.
pub struct PodTopologySpread {
    default_constraints: Vec<TopologySpreadConstraint>,
    /// The defaults are the system's (`defaultingType: System`): nodes lacking a topology key are still scored.
    system_defaulted: bool,
}

/// `New`: the arguments must be valid (`ValidatePodTopologySpreadArgs`).
pub fn new(args: Option<&Args>) -> Result<Instance, String> {
    let args = super::checked_args(
        args,
        "PodTopologySpreadArgs",
        |a| if let Args::PodTopologySpread(x) = a { Some(x) } else { None },
        validate_topology_spread_args,
    )?;
    Ok(Instance::filter_and_score(NAME, PodTopologySpread::from_args(args)))
}

impl PodTopologySpread {
    fn from_args(args: &PodTopologySpreadArgs) -> PodTopologySpread {
        if args.defaulting_type == SYSTEM_DEFAULTING {
            PodTopologySpread { default_constraints: system_defaults(), system_defaulted: true }
        } else {
            PodTopologySpread { default_constraints: args.default_constraints.clone(), system_defaulted: false }
        }
    }

    /// `buildDefaultConstraints`: the default constraints with this action, selecting what
    /// [`default_selector`] selects; none when that selector is empty.
    fn default_constraints(&self, listers: &dyn Listers, pod: &Pod, action: &str) -> Result<Vec<Constraint>, String> {
        let mut constraints = filter_constraints(&self.default_constraints, &pod.metadata.labels, action)?;
        if constraints.is_empty() {
            return Ok(constraints);
        }
        let selector = default_selector(listers, pod);
        if selector.is_empty() {
            return Ok(Vec::new());
        }
        for c in &mut constraints {
            c.selector = selector.clone();
        }
        Ok(constraints)
    }

    /// `getConstraints` / the first half of `initPreScoreState`: the pod's own constraints with this action,
    /// else the defaults.
    fn constraints_for(&self, listers: &dyn Listers, pod: &Pod, action: &str) -> Result<Vec<Constraint>, String> {
        if pod.spec.topology_spread_constraints.is_empty() {
            self.default_constraints(listers, pod, action)
        } else {
            filter_constraints(&pod.spec.topology_spread_constraints, &pod.metadata.labels, action)
        }
    }
}

impl Plugin for PodTopologySpread {
    fn name(&self) -> &'static str {
        NAME
    }
}

/// `filterTopologySpreadConstraints`: the constraints with the given `whenUnsatisfiable`, `matchLabelKeys`
/// merged into their selectors.
pub fn filter_constraints(
    constraints: &[TopologySpreadConstraint],
    pod_labels: &Labels,
    action: &str,
) -> Result<Vec<Constraint>, String> {
    let mut out = Vec::new();
    for c in constraints.iter().filter(|c| c.when_unsatisfiable == action) {
        let mut selector = Selector::from_label_selector(c.label_selector.as_deref())?;
        let matched: Vec<Requirement> = c
            .match_label_keys
            .iter()
            .filter_map(|k| pod_labels.get(k).map(|v| (k, v)))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .map(|(k, v)| Requirement::In(k.clone(), vec![v.clone()]))
            .collect();
        if !matched.is_empty() {
            // `mergeLabelSetWithSelector`: a selector that selects nothing stays so.
            if let Selector::All(reqs) = selector {
                selector = Selector::All(matched.into_iter().chain(reqs).collect());
            }
        }
        out.push(Constraint {
            max_skew: c.max_skew,
            topology_key: c.topology_key.clone(),
            selector,
            min_domains: c.min_domains.unwrap_or(1),
            honor_node_affinity: c.node_affinity_policy.as_deref() != Some("Ignore"),
            honor_node_taints: c.node_taints_policy.as_deref() == Some("Honor"),
        });
    }
    Ok(out)
}

/// `helper.DefaultSelector`: the union of the selectors of the Services selecting the pod, plus the selector of
/// its controlling ReplicaSet or StatefulSet (ReplicationControllers are not modelled; other owners add nothing).
pub fn default_selector(listers: &dyn Listers, pod: &Pod) -> Selector {
    let ns = &pod.metadata.namespace;
    let mut set: Labels = Labels::new();
    for svc in listers.services(ns) {
        let sel = &svc.spec.selector;
        if sel.is_empty() || !sel.iter().all(|(k, v)| pod.metadata.labels.get(k) == Some(v)) {
            continue;
        }
        set.extend(sel.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let mut reqs: Vec<Requirement> = set.into_iter().map(|(k, v)| Requirement::In(k, vec![v])).collect();
    if let Some(owner) = controller_of(&pod.metadata) {
        let owner_selector = match (owner.api_version.as_str(), owner.kind.as_str()) {
            ("apps/v1", "ReplicaSet") => listers.replica_set(ns, &owner.name).map(|rs| rs.spec.selector.as_deref()),
            ("apps/v1", "StatefulSet") => listers.stateful_set(ns, &owner.name).map(|ss| ss.spec.selector.as_deref()),
            _ => None,
        };
        if let Some(Ok(Selector::All(more))) = owner_selector.map(Selector::from_label_selector) {
            reqs.extend(more);
        }
    }
    Selector::All(reqs)
}

/// The distinct topology keys of some constraints (in order of first appearance), with their topologies, and
/// for each constraint the position of its key.
fn key_slots(snapshot: &Snapshot, constraints: &[Constraint]) -> (Vec<(String, Rc<Topology>)>, Vec<usize>) {
    let mut keys: Vec<(String, Rc<Topology>)> = Vec::new();
    let mut slot_of = Vec::with_capacity(constraints.len());
    for c in constraints {
        let slot = match keys.iter().position(|(k, _)| *k == c.topology_key) {
            Some(i) => i,
            None => {
                keys.push((c.topology_key.clone(), snapshot.topology(&c.topology_key)));
                keys.len() - 1
            }
        };
        slot_of.push(slot);
    }
    (keys, slot_of)
}

/// `nodeLabelsMatchSpreadConstraints`: the node has every constraint's topology key.
fn has_all_keys(keys: &[(String, Rc<Topology>)], node_index: usize) -> bool {
    keys.iter().all(|(_, t)| t.value_of(node_index).is_some())
}

/// `criticalPaths`: the two topology values with the fewest matching pods, the smaller first. Kubernetes keeps
/// only two, so after pods are added back (preemption, nominated pods) the minimum can be stale; so it is here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CriticalPaths([(String, i64); 2]);

impl Default for CriticalPaths {
    fn default() -> Self {
        CriticalPaths([(String::new(), i64::from(i32::MAX)), (String::new(), i64::from(i32::MAX))])
    }
}

impl CriticalPaths {
    /// `criticalPaths.update`.
    pub fn update(&mut self, value: &str, num: i64) {
        let p = &mut self.0;
        let i = if value == p[0].0 {
            Some(0)
        } else if value == p[1].0 {
            Some(1)
        } else {
            None
        };
        match i {
            Some(i) => {
                p[i].1 = num;
                if p[0].1 > p[1].1 {
                    p.swap(0, 1);
                }
            }
            None if num < p[0].1 => {
                p[1] = p[0].clone();
                p[0] = (value.to_owned(), num);
            }
            None if num < p[1].1 => p[1] = (value.to_owned(), num),
            None => {}
        }
    }

    pub fn min(&self) -> i64 {
        self.0[0].1
    }
}

/// The PreFilter counts of one topology key: matching pods per value (`TpPairToMatchNum`, absent pairs 0),
/// the number of values seen (`TpKeyToDomainsNum`) and the critical paths.
#[derive(Clone, Debug)]
pub struct KeyCounts {
    pub key: String,
    topology: Rc<Topology>,
    pub counts: Vec<i64>,
    pub domains: usize,
    pub critical_paths: CriticalPaths,
}

impl KeyCounts {
    /// `preFilterState.minMatchNum`: `None` when the key has no domain at all (the constraint is then skipped).
    fn min_match(&self, min_domains: i32) -> Option<i64> {
        if self.domains == 0 {
            return None;
        }
        Some(if (self.domains as i64) < i64::from(min_domains) { 0 } else { self.critical_paths.min() })
    }
}

/// PreFilter state (`preFilterState`) for the hard constraints.
#[derive(Clone, Debug)]
pub struct State {
    pub constraints: Rc<Vec<Constraint>>,
    /// Per constraint: its key's position in `keys`, and whether the pod itself matches its selector.
    slot_of: Rc<Vec<usize>>,
    self_match: Rc<Vec<i64>>,
    pub keys: Vec<KeyCounts>,
}

/// PreFilter (`calPreFilterState`): count the matching pods per topology value over every node that has all the
/// constraints' keys and passes each constraint's inclusion policies. `None` when there are no hard constraints.
fn pre_filter_state(pl: &PodTopologySpread, listers: &dyn Listers, snapshot: &Snapshot, pod: &PodInfo) -> Result<Option<State>, Status> {
    let constraints = pl.constraints_for(listers, &pod.pod, DO_NOT_SCHEDULE).map_err(|e| {
        let what = if pod.pod.spec.topology_spread_constraints.is_empty() {
            "setting default hard topology spread constraints"
        } else {
            "obtaining pod's hard topology spread constraints"
        };
        Status::error(format!("get constraints from pod: {what}: {e}"))
    })?;
    if constraints.is_empty() {
        return Ok(None);
    }
    let (keys, slot_of) = key_slots(snapshot, &constraints);
    let counts: Vec<Rc<Vec<u32>>> = constraints.iter().map(|c| snapshot.match_counts(pod.namespace(), &c.selector)).collect();
    let mut totals: Vec<Vec<i64>> = keys.iter().map(|(_, t)| vec![0; t.values.len()]).collect();
    let mut seen: Vec<Vec<bool>> = keys.iter().map(|(_, t)| vec![false; t.values.len()]).collect();
    let mut on_node: Vec<Option<i64>> = vec![None; keys.len()];
    let all_included: Vec<bool> = constraints.iter().map(|c| c.includes_all(pod)).collect();
    for node in &snapshot.nodes {
        let i = node.index;
        if !has_all_keys(&keys, i) {
            continue;
        }
        // Per node, a later constraint with the same key overwrites the earlier one's count.
        on_node.iter_mut().for_each(|x| *x = None);
        for (ci, c) in constraints.iter().enumerate() {
            if all_included[ci] || c.includes(pod, node) {
                on_node[slot_of[ci]] = Some(i64::from(counts[ci][i]));
            }
        }
        for (slot, n) in on_node.iter().enumerate() {
            if let Some(n) = n {
                let v = keys[slot].1.value_of(i).unwrap_or_default();
                totals[slot][v] += n;
                seen[slot][v] = true;
            }
        }
    }
    let keys: Vec<KeyCounts> = keys
        .into_iter()
        .zip(totals.into_iter().zip(seen))
        .map(|((key, topology), (counts, seen))| {
            // Kubernetes walks a map here; walking the values in order makes the choice among equal counts stable.
            let mut critical_paths = CriticalPaths::default();
            for &v in &topology.sorted {
                if seen[v as usize] {
                    critical_paths.update(&topology.values[v as usize], counts[v as usize]);
                }
            }
            let domains = seen.iter().filter(|x| **x).count();
            KeyCounts { key, topology, counts, domains, critical_paths }
        })
        .collect();
    let self_match = constraints.iter().map(|c| i64::from(c.selector.matches(pod.labels()))).collect();
    Ok(Some(State { constraints: Rc::new(constraints), slot_of: Rc::new(slot_of), self_match: Rc::new(self_match), keys }))
}

impl CountsPods for State {
    /// `updateWithPod`: the PreFilter extensions AddPod (`delta` 1) and RemovePod (`delta` -1), used by
    /// preemption and for nominated pods.
    fn update_with_pod(&mut self, changed: &PodRecord, preemptor: &PodInfo, node: &NodeInfo, delta: i64) {
        let i = node.index;
        if changed.namespace() != preemptor.namespace() || !self.keys.iter().all(|k| k.topology.value_of(i).is_some()) {
            return;
        }
        for (ci, c) in self.constraints.iter().enumerate() {
            if !c.selector.matches(changed.labels()) || !c.includes(preemptor, node) {
                continue;
            }
            let k = &mut self.keys[self.slot_of[ci]];
            let v = k.topology.value_of(i).unwrap_or_default();
            k.counts[v] += delta;
            k.critical_paths.update(&k.topology.values[v], k.counts[v]);
        }
    }
}

impl PreFilterPlugin for PodTopologySpread {
    /// Skip when the pod has no hard constraints (its own, or default ones).
    fn pre_filter(&self, handle: &Handle<'_>, state: &mut CycleState, pod: &PodInfo) -> Result<PreFilterResult, Status> {
        state.write_or_skip(pre_filter_state(self, handle.listers, handle.snapshot, pod)?).map(|()| None)
    }

    fn add_pod(&self, state: &mut CycleState, pod: &PodInfo, added: &PodRecord, node: &NodeInfo) {
        state.update_with_pod::<State>(added, pod, node, 1);
    }

    fn remove_pod(&self, state: &mut CycleState, pod: &PodInfo, removed: &PodRecord, node: &NodeInfo) {
        state.update_with_pod::<State>(removed, pod, node, -1);
    }
}

impl FilterPlugin for PodTopologySpread {
    /// For each hard constraint, the node must have the key, and placing the pod there must keep the skew
    /// (`matchNum + selfMatch - minMatchNum`) within `maxSkew`.
    fn filter(&self, state: &CycleState, _: &PodInfo, node: &NodeInfo) -> Result<(), Status> {
        let Some(state) = state.read::<State>() else { return Ok(()) };
        for (ci, c) in state.constraints.iter().enumerate() {
            let k = &state.keys[state.slot_of[ci]];
            let Some(v) = k.topology.value_of(node.index) else {
                return Err(Status::unresolvable(Reason::TopologySpreadMissingLabel));
            };
            let Some(min) = k.min_match(c.min_domains) else { continue };
            if k.counts[v] + state.self_match[ci] - min > i64::from(c.max_skew) {
                return Err(Status::unschedulable(Reason::TopologySpreadConstraintsMismatch));
            }
        }
        Ok(())
    }
}

/// PreScore state (`preScoreState`): what Score reads of each soft constraint, and the nodes it leaves at 0.
#[derive(Clone, Debug)]
struct ScoreState {
    terms: Vec<Term>,
    /// `IgnoredNodes`: the feasible nodes (snapshot indices, ascending) lacking a key while every key is
    /// required.
    ignored: Vec<usize>,
}

/// One soft constraint as Score reads it for every feasible node: resolved once in PreScore, so that the
/// per-node work is two lookups and `scoreForCount`.
#[derive(Clone, Debug)]
struct Term {
    /// The constraint's key: each node's value.
    topology: Rc<Topology>,
    count: TermCount,
    /// `topologyNormalizingWeight` of the constraint's domains.
    weight: f64,
    max_skew: i32,
}

/// The matching pods a node is scored with.
#[derive(Clone, Debug)]
enum TermCount {
    /// The hostname key: the node's own matching pods.
    Node(Rc<Vec<u32>>),
    /// Any other key: the matching pods of the node's value (`TopologyPairToPodCounts`); a node without the key
    /// (system defaults) counts under the empty value, which gets the last position when no node has it as a
    /// real value.
    Value(Vec<i64>),
}

/// `topologyNormalizingWeight`: `ln(domains + 2)`.
pub fn topology_normalizing_weight(size: usize) -> f64 {
    ((size + 2) as f64).ln()
}

/// `scoreForCount`.
pub fn score_for_count(count: i64, max_skew: i32, weight: f64) -> f64 {
    count as f64 * weight + f64::from(max_skew - 1)
}

impl ScoreState {
    fn is_ignored(&self, node_index: usize) -> bool {
        !self.ignored.is_empty() && self.ignored.binary_search(&node_index).is_ok()
    }
}

/// PreScore: `None` is Skip (no soft constraints, own or default).
fn pre_score_state(
    pl: &PodTopologySpread,
    listers: &dyn Listers,
    snapshot: &Snapshot,
    pod: &PodInfo,
    feasible: &[&NodeInfo],
) -> Result<Option<ScoreState>, Status> {
    if snapshot.nodes.is_empty() {
        return Ok(None);
    }
    let constraints = pl.constraints_for(listers, &pod.pod, SCHEDULE_ANYWAY).map_err(|e| {
        let what = if pod.pod.spec.topology_spread_constraints.is_empty() {
            "setting default soft topology spread constraints"
        } else {
            "obtaining pod's soft topology spread constraints"
        };
        Status::error(format!("calculating preScoreState: {what}: {e}"))
    })?;
    if constraints.is_empty() {
        return Ok(None);
    }
    // Only with the system defaults (no constraints of the pod's own) is a node lacking a key still scored.
    let require_all = !pod.pod.spec.topology_spread_constraints.is_empty() || !pl.system_defaulted;
    let (keys, slot_of) = key_slots(snapshot, &constraints);
    let hostname: Vec<bool> = constraints.iter().map(|c| c.topology_key == LABEL_HOSTNAME).collect();
    // The hostname key has a value per node, but its constraints read each node's own count (`counts`), never
    // the totals: its rows stay empty rather than being zeroed for thousands of nodes on every pod.
    let values = |(k, t): &(String, Rc<Topology>)| if k == LABEL_HOSTNAME { 0 } else { t.values.len() + 1 };
    let mut totals: Vec<Vec<i64>> = keys.iter().map(|k| vec![0; values(k)]).collect();
    let mut registered: Vec<Vec<bool>> = keys.iter().map(|k| vec![false; values(k)]).collect();
    let mut ignored = Vec::new();
    let mut domains = vec![0usize; constraints.len()];
    for node in feasible {
        let i = node.index;
        if require_all && !has_all_keys(&keys, i) {
            ignored.push(i);
            continue;
        }
        for ci in 0..constraints.len() {
            if hostname[ci] {
                continue;
            }
            let slot = slot_of[ci];
            let v = keys[slot].1.pair_slot(i);
            if !registered[slot][v] {
                registered[slot][v] = true;
                domains[ci] += 1;
            }
        }
    }
    ignored.sort_unstable();
    let weights: Vec<f64> = constraints
        .iter()
        .zip(&domains)
        .zip(&hostname)
        .map(|((_, d), host)| topology_normalizing_weight(if *host { feasible.len() - ignored.len() } else { *d }))
        .collect();
    let counts: Vec<Rc<Vec<u32>>> = constraints.iter().map(|c| snapshot.match_counts(pod.namespace(), &c.selector)).collect();
    let all_included: Vec<bool> = constraints.iter().map(|c| c.includes_all(pod)).collect();
    if all_included.iter().all(|x| *x) && (!require_all || keys.len() == 1) {
        // Every node counts (or, with one key required, every node that has it): the snapshot's per-value sums
        // are the totals, without walking the nodes.
        for (ci, c) in constraints.iter().enumerate() {
            if hostname[ci] {
                continue;
            }
            let slot = slot_of[ci];
            let topology = &keys[slot].1;
            let sums = snapshot.domain_counts(pod.namespace(), &c.selector, &c.topology_key);
            for v in 0..topology.values.len() {
                if registered[slot][v] {
                    totals[slot][v] += sums[v];
                }
            }
            let missing = topology.empty.unwrap_or(topology.values.len());
            if !require_all && registered[slot][missing] {
                totals[slot][missing] += sums[topology.values.len()];
            }
        }
    } else {
        for node in &snapshot.nodes {
            let i = node.index;
            if require_all && !has_all_keys(&keys, i) {
                continue;
            }
            for (ci, c) in constraints.iter().enumerate() {
                if hostname[ci] || counts[ci][i] == 0 || !(all_included[ci] || c.includes(pod, node)) {
                    continue;
                }
                let slot = slot_of[ci];
                let v = keys[slot].1.pair_slot(i);
                if registered[slot][v] {
                    totals[slot][v] += i64::from(counts[ci][i]);
                }
            }
        }
    }
    let terms = constraints
        .iter()
        .enumerate()
        .zip(counts)
        .map(|((ci, c), counts)| Term {
            topology: keys[slot_of[ci]].1.clone(),
            count: if hostname[ci] { TermCount::Node(counts) } else { TermCount::Value(totals[slot_of[ci]].clone()) },
            weight: weights[ci],
            max_skew: c.max_skew,
        })
        .collect();
    Ok(Some(ScoreState { terms, ignored }))
}

/// Score: `Σ count·weight + (maxSkew − 1)` over the constraints whose key the node has, rounded.
fn score(s: &ScoreState, node_index: usize) -> i64 {
    if s.is_ignored(node_index) {
        return 0;
    }
    let mut total = 0.0;
    for t in &s.terms {
        let Some(v) = t.topology.value_of(node_index) else { continue };
        let count = match &t.count {
            TermCount::Node(counts) => i64::from(counts[node_index]),
            TermCount::Value(totals) => totals[v],
        };
        total += score_for_count(count, t.max_skew, t.weight);
    }
    total.round() as i64
}

/// NormalizeScore: ignored nodes get 0; otherwise fewer matching pods score higher,
/// `100 · (max + min − s) / max` (100 for all when max is 0).
pub fn normalize(scores: &mut [i64], ignored: &[bool]) {
    let mut min = i64::MAX;
    let mut max = 0;
    for (s, ig) in scores.iter().zip(ignored) {
        if !*ig {
            min = min.min(*s);
            max = max.max(*s);
        }
    }
    for (s, ig) in scores.iter_mut().zip(ignored) {
        *s = if *ig {
            0
        } else if max == 0 {
            100
        } else {
            100 * (max + min - *s) / max
        };
    }
}

impl PreScorePlugin for PodTopologySpread {
    fn pre_score(&self, handle: &Handle<'_>, state: &mut CycleState, pod: &PodInfo, nodes: &[&NodeInfo]) -> Result<(), Status> {
        state.write_or_skip(pre_score_state(self, handle.listers, handle.snapshot, pod, nodes)?)
    }
}

/// The state PreScore kept (`getPreScoreState`).
fn score_state(state: &CycleState) -> Result<&ScoreState, Status> {
    state.read::<ScoreState>().ok_or_else(|| Status::error(format!("reading \"PreScore{NAME}\" from cycleState: not found")))
}

impl ScorePlugin for PodTopologySpread {
    fn score(&self, _: &Handle<'_>, state: &CycleState, _: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        Ok(score(score_state(state)?, node.index))
    }

    fn score_nodes(&self, _: &Handle<'_>, state: &CycleState, _: &PodInfo, nodes: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        let s = score_state(state)?;
        for (out, node) in scores.iter_mut().zip(nodes) {
            *out = score(s, node.index);
        }
        Ok(())
    }

    fn normalize_score(&self, state: &CycleState, _: &PodInfo, nodes: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        let Some(s) = state.read::<ScoreState>() else { return Ok(()) };
        let ignored: Vec<bool> =
            if s.ignored.is_empty() { vec![false; nodes.len()] } else { nodes.iter().map(|n| s.is_ignored(n.index)).collect() };
        normalize(scores, &ignored);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::meta_v1::LabelSelector;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn critical_paths_keep_the_two_smallest() {
        let mut p = CriticalPaths::default();
        for (v, n) in [("a", 3), ("b", 1), ("c", 2), ("d", 5)] {
            p.update(v, n);
        }
        assert_eq!(p.0, [("b".to_string(), 1), ("c".to_string(), 2)]);
        // Adding to the minimum swaps the two.
        p.update("b", 3);
        assert_eq!(p.min(), 2);
        assert_eq!(p.0[1], ("b".to_string(), 3));
        // Removing from a value not tracked can make it the new minimum.
        p.update("d", 0);
        assert_eq!(p.0, [("d".to_string(), 0), ("c".to_string(), 2)]);
    }

    #[test]
    fn normalizing_weight_is_ln_of_domains_plus_two() {
        assert!((topology_normalizing_weight(0) - 2f64.ln()).abs() < 1e-12);
        assert!((topology_normalizing_weight(3) - 5f64.ln()).abs() < 1e-12);
        // 2 matching pods in a zone among 3 zones, maxSkew 5: 2·ln 5 + 4.
        assert!((score_for_count(2, 5, topology_normalizing_weight(3)) - (2.0 * 5f64.ln() + 4.0)).abs() < 1e-12);
    }

    #[test]
    fn normalize_reverses_and_ignores() {
        let mut s = [10, 4, 0, 7];
        normalize(&mut s, &[false, false, true, false]);
        // max 10, min 4: 100·(14 − s)/10.
        assert_eq!(s, [40, 100, 0, 70]);
        let mut s = [0, 0];
        normalize(&mut s, &[false, false]);
        assert_eq!(s, [100, 100]);
    }

    #[test]
    fn match_label_keys_join_the_selector_and_defaults_apply() {
        let c = TopologySpreadConstraint {
            max_skew: 1,
            topology_key: LABEL_ZONE.into(),
            when_unsatisfiable: DO_NOT_SCHEDULE.into(),
            label_selector: Some(Box::new(LabelSelector {
                match_labels: labels(&[("app", "web")]),
                ..Default::default()
            })),
            match_label_keys: vec!["pod-template-hash".into(), "absent".into()],
            ..Default::default()
        };
        let got = filter_constraints(std::slice::from_ref(&c), &labels(&[("app", "web"), ("pod-template-hash", "abc")]), DO_NOT_SCHEDULE)
            .unwrap();
        assert_eq!(got.len(), 1);
        assert!(got[0].selector.matches(&labels(&[("app", "web"), ("pod-template-hash", "abc")])));
        assert!(!got[0].selector.matches(&labels(&[("app", "web"), ("pod-template-hash", "xyz")])));
        assert_eq!((got[0].min_domains, got[0].honor_node_affinity, got[0].honor_node_taints), (1, true, false));
        assert!(filter_constraints(&[c], &Labels::new(), SCHEDULE_ANYWAY).unwrap().is_empty());
    }
}
