//! NodeAffinity: the pod's nodeSelector and required node affinity must match (PreFilter narrows the candidates
//! to the nodes named by `metadata.name In` terms, which is how DaemonSet pods reach exactly their node); the
//! preferred terms score.

use std::collections::BTreeSet;

use crate::api::core_v1::PodSpec;
use crate::helpers::node_affinity::PreferredTerms;
use crate::scheduler::framework::{NodeInfo, PodInfo, Status};

pub const NAME: &str = "NodeAffinity";
pub const WEIGHT: i64 = 2;
pub const REASON_POD: &str = "node(s) didn't match Pod's node affinity/selector";
pub const REASON_CONFLICT: &str = "pod affinity terms conflict";

/// The PreFilter state: whether Filter has anything to check.
#[derive(Clone, Debug, Default)]
pub struct State {
    pub skip: bool,
}

/// What PreFilter decided.
pub enum PreFilter {
    /// No required affinity and no nodeSelector: Filter is skipped.
    Skip,
    /// Every node is a candidate.
    AllNodes,
    /// Only these nodes are candidates.
    Nodes(BTreeSet<String>),
    /// The terms contradict each other.
    Conflict,
}

pub fn pre_filter(spec: &PodSpec) -> PreFilter {
    let required = spec
        .affinity
        .as_deref()
        .and_then(|a| a.node_affinity.as_deref())
        .and_then(|na| na.required_during_scheduling_ignored_during_execution.as_deref());
    let Some(required) = required else {
        return if spec.node_selector.is_empty() { PreFilter::Skip } else { PreFilter::AllNodes };
    };
    if required.node_selector_terms.is_empty() {
        return PreFilter::AllNodes;
    }
    let mut names: Option<BTreeSet<String>> = None;
    for term in &required.node_selector_terms {
        let mut term_names: Option<BTreeSet<String>> = None;
        for r in &term.match_fields {
            if r.key == "metadata.name" && r.operator == "In" {
                let s: BTreeSet<String> = r.values.iter().cloned().collect();
                term_names = Some(match term_names {
                    None => s,
                    Some(prev) => prev.intersection(&s).cloned().collect(),
                });
            }
        }
        let Some(term_names) = term_names else { return PreFilter::AllNodes };
        names.get_or_insert_with(BTreeSet::new).extend(term_names);
    }
    match names {
        Some(n) if n.is_empty() => PreFilter::Conflict,
        Some(n) => PreFilter::Nodes(n),
        None => PreFilter::AllNodes,
    }
}

pub fn filter(state: &State, pod: &PodInfo, node: &NodeInfo) -> Option<Status> {
    if state.skip || pod.required_affinity.matches(&node.node) {
        None
    } else {
        Some(Status::unresolvable(NAME, REASON_POD))
    }
}

/// PreScore: the preferred terms, or `None` (Skip) when there are none.
pub fn pre_score(spec: &PodSpec) -> Option<PreferredTerms> {
    let terms = &spec.affinity.as_deref()?.node_affinity.as_deref()?.preferred_during_scheduling_ignored_during_execution;
    if terms.is_empty() {
        return None;
    }
    Some(PreferredTerms::parse(terms))
}

pub fn score(terms: &PreferredTerms, node: &NodeInfo) -> i64 {
    terms.score(&node.node)
}

/// NormalizeScore: `DefaultNormalizeScore(100, false)`.
pub fn normalize(scores: &mut [i64]) {
    crate::scheduler::normalize::default_normalize(scores, false);
}
