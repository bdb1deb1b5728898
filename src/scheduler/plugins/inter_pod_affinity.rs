//! InterPodAffinity (`framework/plugins/interpodaffinity`): the pod's required affinity and anti-affinity and
//! the existing pods' required anti-affinity filter; preferred terms (the pod's, and the existing pods' required
//! affinity × `hardPodAffinityWeight` and preferred terms — unless `ignorePreferredTermsOfExistingPods` and the
//! pod has no preferred terms of its own) score.
//!
//! `matchLabelKeys` and `mismatchLabelKeys` are merged into the terms' label selectors by the API server when the
//! pod is created (`applyMatchLabelKeysAndMismatchLabelKeys`), so the scheduler sees plain selectors.

use std::collections::HashMap;
use std::rc::Rc;

use crate::api::core_v1::Pod;
use crate::api::labels::{Labels, Selector};
use crate::scheduler::config::args::InterPodAffinityArgs;
use crate::scheduler::config::validation::validate_inter_pod_affinity_args;
use crate::scheduler::config::Args;
use crate::scheduler::framework::cycle_state::CountsPods;
use crate::scheduler::framework::{
    AffinityTerm, CycleState, FilterPlugin, Handle, Instance, Listers, NodeInfo, Plugin, PodAffinityInfo, PodFields, PodInfo, PodRecord,
    PreFilterPlugin, PreFilterResult, PreScorePlugin, Reason, ScorePlugin, Status, WeightedAffinityTerm,
};
use crate::scheduler::Snapshot;

pub const NAME: &str = "InterPodAffinity";

pub struct InterPodAffinity {
    args: InterPodAffinityArgs,
}

/// `New`: the arguments must be valid (`ValidateInterPodAffinityArgs`).
pub fn new(args: Option<&Args>) -> Result<Instance, String> {
    let args = super::checked_args(
        args,
        "InterPodAffinityArgs",
        |a| if let Args::InterPodAffinity(x) = a { Some(x) } else { None },
        validate_inter_pod_affinity_args,
    )?;
    Ok(Instance::filter_and_score(NAME, InterPodAffinity { args: args.clone() }))
}

impl Plugin for InterPodAffinity {
    fn name(&self) -> &'static str {
        NAME
    }
}

type Pair = (String, String);

/// `topologyToMatchedTermCount`: a pair disappears when its count drops to 0.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermCounts(HashMap<Pair, i64>);

impl TermCounts {
    fn update(&mut self, node_labels: &Labels, key: &str, value: i64) {
        let Some(v) = node_labels.get(key) else { return };
        let pair = (key.to_owned(), v.clone());
        let n = self.0.entry(pair.clone()).or_default();
        *n += value;
        if *n == 0 {
            self.0.remove(&pair);
        }
    }

    /// `updateWithAffinityTerms`: when the pod matches every term, each term's pair on the node counts.
    fn update_with_affinity_terms(&mut self, terms: &[AffinityTerm], pod: &impl PodFields, node_labels: &Labels, value: i64) {
        if matches_all(terms, pod) {
            for t in terms {
                self.update(node_labels, &t.topology_key, value);
            }
        }
    }

    /// `updateWithAntiAffinityTerms`: each term the pod matches counts on its own.
    fn update_with_anti_affinity_terms(
        &mut self,
        terms: &[AffinityTerm],
        pod: &impl PodFields,
        ns_labels: Option<&Labels>,
        node_labels: &Labels,
        value: i64,
    ) {
        for t in terms {
            if t.matches(pod, ns_labels) {
                self.update(node_labels, &t.topology_key, value);
            }
        }
    }

    fn get(&self, key: &str, value: &str) -> i64 {
        self.0.get(&(key.to_owned(), value.to_owned())).copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `podMatchesAllAffinityTerms`: false for no terms.
fn matches_all(terms: &[AffinityTerm], pod: &impl PodFields) -> bool {
    !terms.is_empty() && terms.iter().all(|t| t.matches(pod, None))
}

/// PreFilter state (`preFilterState`).
#[derive(Clone, Debug)]
pub struct State {
    pub existing_anti_affinity: TermCounts,
    pub affinity: TermCounts,
    pub anti_affinity: TermCounts,
    /// The incoming pod's terms, with namespace selectors resolved to namespaces.
    pub terms: Rc<PodAffinityInfo>,
    pub namespace_labels: Option<Labels>,
}

/// `GetNamespaceLabelsSnapshot`: the labels of the pod's namespace, `None` when it does not exist.
fn namespace_labels(listers: &dyn Listers, namespace: &str) -> Option<Labels> {
    listers.namespace(namespace).map(|n| n.metadata.labels.clone())
}

/// `mergeAffinityTermNamespacesIfNotEmpty`: a non-empty namespace selector becomes the namespaces it selects
/// now, and then selects nothing itself. An empty selector (`{}`) keeps selecting every namespace.
fn resolve_namespaces(listers: &dyn Listers, term: &mut AffinityTerm) {
    if term.namespace_selector.is_empty() || term.namespace_selector == Selector::Nothing {
        return;
    }
    for ns in listers.namespaces() {
        if term.namespace_selector.matches(&ns.metadata.labels) && !term.namespaces.contains(&ns.metadata.name) {
            term.namespaces.push(ns.metadata.name.clone());
        }
    }
    term.namespace_selector = Selector::Nothing;
}

fn resolved(listers: &dyn Listers, info: &PodAffinityInfo) -> PodAffinityInfo {
    let mut out = info.clone();
    for t in out.required_affinity.iter_mut().chain(out.required_anti_affinity.iter_mut()) {
        resolve_namespaces(listers, t);
    }
    for w in out.preferred_affinity.iter_mut().chain(out.preferred_anti_affinity.iter_mut()) {
        resolve_namespaces(listers, &mut w.term);
    }
    out
}

/// PreFilter: `Ok(None)` is Skip (no required terms of the pod's own and no existing pod's anti-affinity
/// matches it).
fn pre_filter_state(listers: &dyn Listers, snapshot: &Snapshot, pod: &PodInfo) -> Result<Option<State>, Status> {
    if let Some(e) = &pod.record.pod_affinity.parse_error {
        return Err(Status::unresolvable(Reason::Message(format!("parsing pod: {e}"))));
    }
    let terms = Rc::new(resolved(listers, &pod.record.pod_affinity));
    let ns_labels = namespace_labels(listers, pod.namespace());

    let mut existing = TermCounts::default();
    for node in snapshot.nodes_with_required_anti_affinity() {
        for p in node.pods_with_required_anti_affinity() {
            existing.update_with_anti_affinity_terms(
                &p.pod_affinity.required_anti_affinity,
                &*pod.pod,
                ns_labels.as_ref(),
                node.labels(),
                1,
            );
        }
    }
    let (mut affinity, mut anti_affinity) = (TermCounts::default(), TermCounts::default());
    if !terms.required_affinity.is_empty() || !terms.required_anti_affinity.is_empty() {
        for node in &snapshot.nodes {
            for p in &node.pods {
                affinity.update_with_affinity_terms(&terms.required_affinity, &**p, node.labels(), 1);
                anti_affinity.update_with_anti_affinity_terms(&terms.required_anti_affinity, &**p, None, node.labels(), 1);
            }
        }
    }
    if existing.is_empty() && terms.required_affinity.is_empty() && terms.required_anti_affinity.is_empty() {
        return Ok(None);
    }
    Ok(Some(State { existing_anti_affinity: existing, affinity, anti_affinity, terms, namespace_labels: ns_labels }))
}

impl CountsPods for State {
    /// `preFilterState.updateWithPod`: the PreFilter extensions AddPod (`multiplier` 1) and RemovePod (-1).
    fn update_with_pod(&mut self, changed: &PodRecord, preemptor: &PodInfo, node: &NodeInfo, multiplier: i64) {
        let incoming = &self.terms;
        let labels = node.labels();
        self.existing_anti_affinity.update_with_anti_affinity_terms(
            &changed.pod_affinity.required_anti_affinity,
            &*preemptor.pod,
            self.namespace_labels.as_ref(),
            labels,
            multiplier,
        );
        self.affinity.update_with_affinity_terms(&incoming.required_affinity, changed, labels, multiplier);
        self.anti_affinity.update_with_anti_affinity_terms(&incoming.required_anti_affinity, changed, None, labels, multiplier);
    }
}

/// `satisfyPodAffinity`: every required affinity term's topology value on this node must hold a matching pod
/// — unless no pod anywhere matches and the pod matches its own terms (the first pod of a group).
fn satisfies_affinity(state: &State, pod: &Pod, node: &NodeInfo) -> bool {
    let mut pods_exist = true;
    for t in &state.terms.required_affinity {
        let Some(v) = node.labels().get(&t.topology_key) else { return false };
        if state.affinity.get(&t.topology_key, v) <= 0 {
            pods_exist = false;
        }
    }
    pods_exist || (state.affinity.is_empty() && matches_all(&state.terms.required_affinity, pod))
}

/// `satisfyPodAntiAffinity`.
fn satisfies_anti_affinity(state: &State, node: &NodeInfo) -> bool {
    if state.anti_affinity.is_empty() {
        return true;
    }
    !state.terms.required_anti_affinity.iter().any(|t| {
        node.labels().get(&t.topology_key).is_some_and(|v| state.anti_affinity.get(&t.topology_key, v) > 0)
    })
}

/// `satisfyExistingPodsAntiAffinity`: no label of the node names a topology where an existing pod's
/// anti-affinity matches the incoming pod.
fn satisfies_existing_anti_affinity(state: &State, node: &NodeInfo) -> bool {
    if state.existing_anti_affinity.is_empty() {
        return true;
    }
    !node.labels().iter().any(|(k, v)| state.existing_anti_affinity.get(k, v) > 0)
}

impl PreFilterPlugin for InterPodAffinity {
    fn pre_filter(&self, handle: &Handle<'_>, state: &mut CycleState, pod: &PodInfo) -> Result<PreFilterResult, Status> {
        state.write_or_skip(pre_filter_state(handle.listers, handle.snapshot, pod)?).map(|()| None)
    }

    fn add_pod(&self, state: &mut CycleState, pod: &PodInfo, added: &PodRecord, node: &NodeInfo) {
        state.update_with_pod::<State>(added, pod, node, 1);
    }

    fn remove_pod(&self, state: &mut CycleState, pod: &PodInfo, removed: &PodRecord, node: &NodeInfo) {
        state.update_with_pod::<State>(removed, pod, node, -1);
    }
}

impl FilterPlugin for InterPodAffinity {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<(), Status> {
        let Some(state) = state.read::<State>() else { return Ok(()) };
        if !satisfies_affinity(state, &pod.pod, node) {
            return Err(Status::unresolvable(Reason::PodAffinityMismatch));
        }
        if !satisfies_anti_affinity(state, node) {
            return Err(Status::unschedulable(Reason::PodAntiAffinityMismatch));
        }
        if !satisfies_existing_anti_affinity(state, node) {
            return Err(Status::unschedulable(Reason::ExistingPodsAntiAffinityMismatch));
        }
        Ok(())
    }
}

/// `scoreMap`: topology key -> value -> score.
type ScoreMap = HashMap<String, HashMap<String, i64>>;

fn process_term(m: &mut ScoreMap, term: &AffinityTerm, weight: i32, pod: &impl PodFields, ns_labels: Option<&Labels>, node_labels: &Labels, multiplier: i32) {
    if term.matches(pod, ns_labels) {
        if let Some(v) = node_labels.get(&term.topology_key) {
            *m.entry(term.topology_key.clone()).or_default().entry(v.clone()).or_default() +=
                i64::from(weight.wrapping_mul(multiplier));
        }
    }
}

fn process_terms(m: &mut ScoreMap, terms: &[WeightedAffinityTerm], pod: &impl PodFields, ns_labels: Option<&Labels>, node_labels: &Labels, multiplier: i32) {
    for w in terms {
        process_term(m, &w.term, w.weight, pod, ns_labels, node_labels, multiplier);
    }
}

/// `processExistingPod`: what one existing pod on a node adds to the topology scores.
fn process_existing_pod(
    m: &mut ScoreMap,
    hard_weight: i32,
    incoming: &PodAffinityInfo,
    ns_labels: Option<&Labels>,
    existing: &PodRecord,
    node: &NodeInfo,
    pod: &Pod,
) {
    let labels = node.labels();
    if labels.is_empty() {
        return;
    }
    process_terms(m, &incoming.preferred_affinity, existing, None, labels, 1);
    process_terms(m, &incoming.preferred_anti_affinity, existing, None, labels, -1);
    if hard_weight > 0 {
        for t in &existing.pod_affinity.required_affinity {
            process_term(m, t, hard_weight, pod, ns_labels, labels, 1);
        }
    }
    process_terms(m, &existing.pod_affinity.preferred_affinity, pod, ns_labels, labels, 1);
    process_terms(m, &existing.pod_affinity.preferred_anti_affinity, pod, ns_labels, labels, -1);
}

/// PreScore: the topology scores; `None` is Skip (nothing matched anywhere, or the existing pods' preferences
/// are ignored and the pod has none).
fn pre_score_state(args: &InterPodAffinityArgs, listers: &dyn Listers, snapshot: &Snapshot, pod: &PodInfo) -> Result<Option<ScoreMap>, Status> {
    let spec_affinity = pod.pod.spec.affinity.as_deref();
    let has_constraints = spec_affinity.is_some_and(|a| {
        a.pod_affinity.as_deref().is_some_and(|p| !p.preferred_during_scheduling_ignored_during_execution.is_empty())
            || a.pod_anti_affinity.as_deref().is_some_and(|p| !p.preferred_during_scheduling_ignored_during_execution.is_empty())
    });
    if args.ignore_preferred_terms_of_existing_pods && !has_constraints {
        return Ok(None);
    }
    if let Some(e) = &pod.record.pod_affinity.parse_error {
        return Err(Status::error(format!("failed to parse pod: {e}")));
    }
    let incoming = resolved(listers, &pod.record.pod_affinity);
    let ns_labels = namespace_labels(listers, pod.namespace());
    let hard_weight = args.hard_pod_affinity_weight;
    let mut scores = ScoreMap::new();
    let mut any = false;
    let mut visit = |node: &NodeInfo, pods: &mut dyn Iterator<Item = &Rc<PodRecord>>| {
        let mut m = ScoreMap::new();
        for p in pods {
            process_existing_pod(&mut m, hard_weight, &incoming, ns_labels.as_ref(), p, node, &pod.pod);
        }
        if !m.is_empty() {
            any = true;
            for (k, values) in m {
                let e = scores.entry(k).or_default();
                for (v, s) in values {
                    *e.entry(v).or_default() += s;
                }
            }
        }
    };
    if has_constraints {
        for node in &snapshot.nodes {
            visit(node, &mut node.pods.iter());
        }
    } else {
        for node in snapshot.nodes_with_affinity() {
            visit(node, &mut node.pods_with_affinity());
        }
    }
    Ok(any.then_some(scores))
}

/// Score: the sum of the topology scores of the node's labels.
fn score(scores: &ScoreMap, node: &NodeInfo) -> i64 {
    scores.iter().filter_map(|(k, values)| node.labels().get(k).map(|v| values.get(v).copied().unwrap_or(0))).sum()
}

/// NormalizeScore: min–max to 0..=100 (all 0 when every node scores the same).
pub fn normalize(scores: &mut [i64]) {
    let (Some(&min), Some(&max)) = (scores.iter().min(), scores.iter().max()) else { return };
    let diff = max - min;
    for s in scores.iter_mut() {
        *s = if diff > 0 { (100.0 * ((*s - min) as f64 / diff as f64)) as i64 } else { 0 };
    }
}

/// The PreScore state: the topology scores.
#[derive(Clone, Debug)]
struct TopologyScores(ScoreMap);

impl PreScorePlugin for InterPodAffinity {
    fn pre_score(&self, handle: &Handle<'_>, state: &mut CycleState, pod: &PodInfo, nodes: &[&NodeInfo]) -> Result<(), Status> {
        if nodes.is_empty() {
            return Err(Status::skip());
        }
        state.write_or_skip(pre_score_state(&self.args, handle.listers, handle.snapshot, pod)?.map(TopologyScores))
    }
}

impl ScorePlugin for InterPodAffinity {
    fn score(&self, _: &Handle<'_>, state: &CycleState, _: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        Ok(state.read::<TopologyScores>().map_or(0, |s| score(&s.0, node)))
    }

    fn score_nodes(&self, _: &Handle<'_>, state: &CycleState, _: &PodInfo, nodes: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        let s = state.read::<TopologyScores>();
        for (out, node) in scores.iter_mut().zip(nodes) {
            *out = s.map_or(0, |s| score(&s.0, node));
        }
        Ok(())
    }

    /// Min–max to 0..=100; nothing to do when no topology scored.
    fn normalize_score(&self, state: &CycleState, _: &PodInfo, _: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        if state.read::<TopologyScores>().is_some_and(|s| !s.0.is_empty()) {
            normalize(scores);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_is_min_max() {
        let mut s = [-3, 0, 7];
        normalize(&mut s);
        assert_eq!(s, [0, 30, 100]);
        let mut s = [5, 5];
        normalize(&mut s);
        assert_eq!(s, [0, 0]);
    }

    #[test]
    fn counts_drop_pairs_at_zero() {
        let labels: Labels = [("zone".to_string(), "a".to_string())].into_iter().collect();
        let mut c = TermCounts::default();
        c.update(&labels, "zone", 1);
        assert_eq!(c.get("zone", "a"), 1);
        c.update(&labels, "zone", -1);
        assert!(c.is_empty());
        c.update(&labels, "rack", 1);
        assert!(c.is_empty(), "a node without the key counts nowhere");
    }
}
