//! NodeAffinity: the pod's nodeSelector and required node affinity must match, and so must the profile's
//! `addedAffinity` (which applies to every pod the profile schedules, DaemonSet pods included). PreFilter
//! narrows the candidates to the nodes named by `metadata.name In` terms, which is how DaemonSet pods reach
//! exactly their node; the preferred terms — the pod's and the added ones — score.

use std::collections::BTreeSet;

use crate::api::core_v1::PodSpec;
use crate::helpers::node_affinity::{PreferredTerms, Selector};
use crate::scheduler::config::args::NodeAffinityArgs;
use crate::scheduler::config::validation::validate_node_affinity_args;
use crate::scheduler::config::Args;
use crate::scheduler::framework::{
    CycleState, FilterPlugin, Handle, Instance, NodeInfo, Plugin, PodInfo, PreFilterPlugin, PreFilterResult, PreScorePlugin,
    Reason, ScorePlugin, Status,
};
use crate::scheduler::normalize::default_normalize;

pub const NAME: &str = "NodeAffinity";

pub struct NodeAffinity {
    /// `addedAffinity.requiredDuringSchedulingIgnoredDuringExecution`.
    added_selector: Option<Selector>,
    /// `addedAffinity.preferredDuringSchedulingIgnoredDuringExecution`.
    added_preferred: Option<PreferredTerms>,
}

/// `New`: the arguments must parse (`ValidateNodeAffinityArgs`).
pub fn new(args: Option<&Args>) -> Result<Instance, String> {
    let args = super::checked_args(
        args,
        "NodeAffinityArgs",
        |a| if let Args::NodeAffinity(x) = a { Some(x) } else { None },
        validate_node_affinity_args,
    )?;
    Ok(Instance::filter_and_score(NAME, NodeAffinity::from_args(args)))
}

impl NodeAffinity {
    fn from_args(args: &NodeAffinityArgs) -> NodeAffinity {
        let added = args.added_affinity.as_ref();
        NodeAffinity {
            added_selector: added.and_then(|a| a.required_during_scheduling_ignored_during_execution.as_deref()).map(Selector::parse),
            added_preferred: added
                .map(|a| &a.preferred_during_scheduling_ignored_during_execution)
                .filter(|t| !t.is_empty())
                .map(|t| PreferredTerms::parse(t)),
        }
    }
}

/// The nodes a pod's required node affinity pins by `metadata.name In`: `None` when some term does not pin
/// names (every node is a candidate), an empty set when the terms name no node at all.
pub fn pinned_nodes(spec: &PodSpec) -> Option<BTreeSet<String>> {
    let required = spec
        .affinity
        .as_deref()
        .and_then(|a| a.node_affinity.as_deref())
        .and_then(|na| na.required_during_scheduling_ignored_during_execution.as_deref())?;
    if required.node_selector_terms.is_empty() {
        return None;
    }
    let mut names = BTreeSet::new();
    for term in &required.node_selector_terms {
        let mut term_names: Option<BTreeSet<String>> = None;
        for r in term.match_fields.iter().filter(|r| r.key == "metadata.name" && r.operator == "In") {
            let s: BTreeSet<String> = r.values.iter().cloned().collect();
            term_names = Some(match term_names {
                None => s,
                Some(prev) => prev.intersection(&s).cloned().collect(),
            });
        }
        names.extend(term_names?);
    }
    Some(names)
}

impl Plugin for NodeAffinity {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl PreFilterPlugin for NodeAffinity {
    /// Skip when there is nothing to check; otherwise the nodes the pod's terms pin by name, if they all do.
    fn pre_filter(&self, _: &Handle<'_>, _: &mut CycleState, pod: &PodInfo) -> Result<PreFilterResult, Status> {
        let spec = &pod.pod.spec;
        let has_required = spec
            .affinity
            .as_deref()
            .and_then(|a| a.node_affinity.as_deref())
            .is_some_and(|na| na.required_during_scheduling_ignored_during_execution.is_some());
        if !has_required && self.added_selector.is_none() && spec.node_selector.is_empty() {
            return Err(Status::skip());
        }
        match pinned_nodes(spec) {
            None => Ok(None),
            Some(names) if names.is_empty() => Err(Status::unresolvable(Reason::NodeAffinityConflict)),
            Some(names) => Ok(Some(names)),
        }
    }
}

impl FilterPlugin for NodeAffinity {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<(), Status> {
        if self.added_selector.as_ref().is_some_and(|s| !s.matches(&node.node)) {
            return Err(Status::unresolvable(Reason::EnforcedNodeAffinityMismatch));
        }
        if !pod.required_affinity.matches(&node.node) {
            return Err(Status::unresolvable(Reason::NodeAffinityMismatch));
        }
        Ok(())
    }
}

/// The PreScore state: the pod's preferred terms, if it has any.
#[derive(Clone, Debug)]
struct Preferred(Option<PreferredTerms>);

impl PreScorePlugin for NodeAffinity {
    /// Skip when neither the pod nor the profile prefers anything.
    fn pre_score(&self, _: &Handle<'_>, state: &mut CycleState, pod: &PodInfo, nodes: &[&NodeInfo]) -> Result<(), Status> {
        if nodes.is_empty() {
            return Ok(());
        }
        let terms = pod
            .pod
            .spec
            .affinity
            .as_deref()
            .and_then(|a| a.node_affinity.as_deref())
            .map(|na| &na.preferred_during_scheduling_ignored_during_execution)
            .filter(|t| !t.is_empty())
            .map(|t| PreferredTerms::parse(t));
        if terms.is_none() && self.added_preferred.is_none() {
            return Err(Status::skip());
        }
        state.write(Preferred(terms));
        Ok(())
    }
}

/// The pod's preferred terms PreScore kept.
fn preferred(state: &CycleState) -> Option<&PreferredTerms> {
    state.read::<Preferred>().and_then(|p| p.0.as_ref())
}

impl NodeAffinity {
    fn preferred(&self, own: Option<&PreferredTerms>, node: &NodeInfo) -> i64 {
        self.added_preferred.as_ref().map_or(0, |t| t.score(&node.node)) + own.map_or(0, |t| t.score(&node.node))
    }
}

impl ScorePlugin for NodeAffinity {
    /// The weights of the added and the pod's preferred terms the node matches.
    fn score(&self, _: &Handle<'_>, state: &CycleState, _: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        Ok(self.preferred(preferred(state), node))
    }

    fn score_nodes(&self, _: &Handle<'_>, state: &CycleState, _: &PodInfo, nodes: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        let own = preferred(state);
        for (score, node) in scores.iter_mut().zip(nodes) {
            *score = self.preferred(own, node);
        }
        Ok(())
    }

    /// `DefaultNormalizeScore(100, false)`.
    fn normalize_score(&self, _: &CycleState, _: &PodInfo, _: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        default_normalize(scores, false);
        Ok(())
    }
}
