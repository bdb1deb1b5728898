//! InterPodAffinity (`framework/plugins/interpodaffinity`): the pod's required affinity and anti-affinity and
//! the existing pods' required anti-affinity filter; preferred terms (the pod's, and the existing pods' required
//! affinity × `hardPodAffinityWeight` 1 and preferred terms) score.
//!
//! `matchLabelKeys` and `mismatchLabelKeys` are merged into the terms' label selectors by the API server when the
//! pod is created (`applyMatchLabelKeysAndMismatchLabelKeys`), so the scheduler sees plain selectors.

use std::collections::HashMap;
use std::rc::Rc;

use crate::api::labels::{Labels, Selector};
use crate::api::core_v1::{Namespace, Pod};
use crate::cluster::Store;
use crate::scheduler::framework::{AffinityTerm, Code, NodeInfo, PodAffinityInfo, PodInfo, Status, WeightedAffinityTerm};
use crate::scheduler::Snapshot;

pub const NAME: &str = "InterPodAffinity";
pub const WEIGHT: i64 = 2;
/// `InterPodAffinityArgs.hardPodAffinityWeight` default.
pub const HARD_POD_AFFINITY_WEIGHT: i32 = 1;
pub const REASON_EXISTING_ANTI_AFFINITY: &str = "node(s) didn't satisfy existing pods anti-affinity rules";
pub const REASON_AFFINITY: &str = "node(s) didn't match pod affinity rules";
pub const REASON_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";

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
    fn update_with_affinity_terms(&mut self, terms: &[AffinityTerm], pod: &Pod, node_labels: &Labels, value: i64) {
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
        pod: &Pod,
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
fn matches_all(terms: &[AffinityTerm], pod: &Pod) -> bool {
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
fn namespace_labels(store: &Store, namespace: &str) -> Option<Labels> {
    store.get::<Namespace>("", namespace).map(|n| n.metadata.labels.clone())
}

/// `mergeAffinityTermNamespacesIfNotEmpty`: a non-empty namespace selector becomes the namespaces it selects
/// now, and then selects nothing itself. An empty selector (`{}`) keeps selecting every namespace.
fn resolve_namespaces(store: &Store, term: &mut AffinityTerm) {
    if term.namespace_selector.is_empty() || term.namespace_selector == Selector::Nothing {
        return;
    }
    for ns in store.list::<Namespace>() {
        if term.namespace_selector.matches(&ns.metadata.labels) && !term.namespaces.contains(&ns.metadata.name) {
            term.namespaces.push(ns.metadata.name.clone());
        }
    }
    term.namespace_selector = Selector::Nothing;
}

fn resolved(store: &Store, info: &PodAffinityInfo) -> PodAffinityInfo {
    let mut out = info.clone();
    for t in out.required_affinity.iter_mut().chain(out.required_anti_affinity.iter_mut()) {
        resolve_namespaces(store, t);
    }
    for w in out.preferred_affinity.iter_mut().chain(out.preferred_anti_affinity.iter_mut()) {
        resolve_namespaces(store, &mut w.term);
    }
    out
}

/// PreFilter: `Ok(None)` is Skip (no required terms of the pod's own and no existing pod's anti-affinity
/// matches it).
pub fn pre_filter(store: &Store, snapshot: &Snapshot, pod: &PodInfo) -> Result<Option<State>, Status> {
    if let Some(e) = &pod.pod_affinity.parse_error {
        return Err(Status::unresolvable(NAME, format!("parsing pod: {e}")));
    }
    let terms = Rc::new(resolved(store, &pod.pod_affinity));
    let ns_labels = namespace_labels(store, pod.namespace());

    let mut existing = TermCounts::default();
    for node in snapshot.nodes_with_required_anti_affinity() {
        for p in node.pods_with_required_anti_affinity() {
            existing.update_with_anti_affinity_terms(
                &p.pod_affinity.required_anti_affinity,
                &pod.pod,
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
                affinity.update_with_affinity_terms(&terms.required_affinity, &p.pod, node.labels(), 1);
                anti_affinity.update_with_anti_affinity_terms(&terms.required_anti_affinity, &p.pod, None, node.labels(), 1);
            }
        }
    }
    if existing.is_empty() && terms.required_affinity.is_empty() && terms.required_anti_affinity.is_empty() {
        return Ok(None);
    }
    Ok(Some(State { existing_anti_affinity: existing, affinity, anti_affinity, terms, namespace_labels: ns_labels }))
}

impl State {
    /// `preFilterState.updateWithPod`: the PreFilter extensions AddPod (`multiplier` 1) and RemovePod (-1).
    pub fn update_with_pod(&mut self, changed: &PodInfo, preemptor: &PodInfo, node: &NodeInfo, multiplier: i64) {
        let incoming = &self.terms;
        let labels = node.labels();
        self.existing_anti_affinity.update_with_anti_affinity_terms(
            &changed.pod_affinity.required_anti_affinity,
            &preemptor.pod,
            self.namespace_labels.as_ref(),
            labels,
            multiplier,
        );
        self.affinity.update_with_affinity_terms(&incoming.required_affinity, &changed.pod, labels, multiplier);
        self.anti_affinity.update_with_anti_affinity_terms(&incoming.required_anti_affinity, &changed.pod, None, labels, multiplier);
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

pub fn filter(state: Option<&State>, pod: &PodInfo, node: &NodeInfo) -> Option<Status> {
    let state = state?;
    if !satisfies_affinity(state, &pod.pod, node) {
        return Some(Status::unresolvable(NAME, REASON_AFFINITY));
    }
    if !satisfies_anti_affinity(state, node) {
        return Some(Status::unschedulable(NAME, REASON_ANTI_AFFINITY));
    }
    if !satisfies_existing_anti_affinity(state, node) {
        return Some(Status::unschedulable(NAME, REASON_EXISTING_ANTI_AFFINITY));
    }
    None
}

/// `scoreMap`: topology key -> value -> score.
type ScoreMap = HashMap<String, HashMap<String, i64>>;

fn process_term(m: &mut ScoreMap, term: &AffinityTerm, weight: i32, pod: &Pod, ns_labels: Option<&Labels>, node_labels: &Labels, multiplier: i32) {
    if term.matches(pod, ns_labels) {
        if let Some(v) = node_labels.get(&term.topology_key) {
            *m.entry(term.topology_key.clone()).or_default().entry(v.clone()).or_default() +=
                i64::from(weight.wrapping_mul(multiplier));
        }
    }
}

fn process_terms(m: &mut ScoreMap, terms: &[WeightedAffinityTerm], pod: &Pod, ns_labels: Option<&Labels>, node_labels: &Labels, multiplier: i32) {
    for w in terms {
        process_term(m, &w.term, w.weight, pod, ns_labels, node_labels, multiplier);
    }
}

/// `processExistingPod`: what one existing pod on a node adds to the topology scores.
fn process_existing_pod(m: &mut ScoreMap, incoming: &PodAffinityInfo, ns_labels: Option<&Labels>, existing: &PodInfo, node: &NodeInfo, pod: &Pod) {
    let labels = node.labels();
    if labels.is_empty() {
        return;
    }
    process_terms(m, &incoming.preferred_affinity, &existing.pod, None, labels, 1);
    process_terms(m, &incoming.preferred_anti_affinity, &existing.pod, None, labels, -1);
    for t in &existing.pod_affinity.required_affinity {
        process_term(m, t, HARD_POD_AFFINITY_WEIGHT, pod, ns_labels, labels, 1);
    }
    process_terms(m, &existing.pod_affinity.preferred_affinity, pod, ns_labels, labels, 1);
    process_terms(m, &existing.pod_affinity.preferred_anti_affinity, pod, ns_labels, labels, -1);
}

/// PreScore: the topology scores; `None` is Skip (nothing matched anywhere).
fn pre_score(store: &Store, snapshot: &Snapshot, pod: &PodInfo) -> Result<Option<ScoreMap>, Status> {
    let spec_affinity = pod.pod.spec.affinity.as_deref();
    let has_constraints = spec_affinity.is_some_and(|a| {
        a.pod_affinity.as_deref().is_some_and(|p| !p.preferred_during_scheduling_ignored_during_execution.is_empty())
            || a.pod_anti_affinity.as_deref().is_some_and(|p| !p.preferred_during_scheduling_ignored_during_execution.is_empty())
    });
    if let Some(e) = &pod.pod_affinity.parse_error {
        return Err(Status::new(Code::Error, NAME, format!("failed to parse pod: {e}")));
    }
    let incoming = resolved(store, &pod.pod_affinity);
    let ns_labels = namespace_labels(store, pod.namespace());
    let mut scores = ScoreMap::new();
    let mut any = false;
    let mut visit = |node: &NodeInfo, pods: &mut dyn Iterator<Item = &Rc<PodInfo>>| {
        let mut m = ScoreMap::new();
        for p in pods {
            process_existing_pod(&mut m, &incoming, ns_labels.as_ref(), p, node, &pod.pod);
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

/// PreScore, Score and NormalizeScore over the feasible nodes (snapshot indices); `Ok(None)` when PreScore skips.
pub fn score_all(store: &Store, snapshot: &Snapshot, pod: &PodInfo, feasible: &[usize]) -> Result<Option<Vec<i64>>, Status> {
    if feasible.is_empty() {
        return Ok(None);
    }
    let Some(map) = pre_score(store, snapshot, pod)? else { return Ok(None) };
    let mut s: Vec<i64> = feasible.iter().map(|&i| score(&map, &snapshot.nodes[i])).collect();
    if !map.is_empty() {
        normalize(&mut s);
    }
    Ok(Some(s))
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
