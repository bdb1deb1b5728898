//! NodeAffinity: the pod's nodeSelector and required node affinity must match, and so must the profile's
//! `addedAffinity` (which applies to every pod the profile schedules, DaemonSet pods included). PreFilter
//! narrows the candidates to the nodes named by `metadata.name In` terms, which is how DaemonSet pods reach
//! exactly their node; the preferred terms — the pod's and the added ones — score.

use std::cell::RefCell;
use std::collections::{BTreeSet, VecDeque};
use std::rc::Rc;

use crate::api::core_v1::{PodSpec, PreferredSchedulingTerm};
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
    /// Preferred scores already computed on the snapshot's nodes (see [`ScoreMemo`]).
    memo: RefCell<ScoreMemo>,
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
            memo: RefCell::default(),
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
        if self.added_selector.as_ref().is_some_and(|s| !s.matches(node)) {
            return Err(Status::unresolvable(Reason::EnforcedNodeAffinityMismatch));
        }
        if !pod.required_affinity.matches(node) {
            return Err(Status::unresolvable(Reason::NodeAffinityMismatch));
        }
        Ok(())
    }
}

/// The PreScore state: the pod's preferred terms, if it has any, with the scores they were found to give.
#[derive(Clone, Debug)]
struct Preferred(Rc<Remembered>);

/// One set of preferred terms, as pods of one template share it, and its score on each node so far.
#[derive(Debug)]
struct Remembered {
    /// The pod's terms as written (empty when only the profile's added terms score).
    written: Vec<PreferredSchedulingTerm>,
    terms: Option<PreferredTerms>,
    /// Per node index of the snapshot: the score, or [`Remembered::UNSCORED`].
    scores: RefCell<Vec<i64>>,
}

impl Remembered {
    const UNSCORED: i64 = i64::MIN;
}

/// What the preferred terms scored on each node, for the last few distinct sets of terms.
///
/// Kubernetes matches every pod's terms against every node's labels (`PreferredSchedulingTerms.Score`), and so
/// did this plugin: with a Deployment of thousands of replicas preferring an instance type, that matching was
/// about a twentieth of mixed-5k-150k's run, nearly all of it comparing label keys. The score depends only on
/// the terms and the node's labels, and a node's labels cannot change while the snapshot keeps its node list
/// (any node write rebuilds it, with a new list), so a node is scored once per set of terms and node list.
#[derive(Debug, Default)]
struct ScoreMemo {
    /// The snapshot's node list the scores are of (compared by identity).
    nodes: Option<Rc<Vec<String>>>,
    /// Most recently used first.
    entries: VecDeque<Rc<Remembered>>,
}

impl ScoreMemo {
    /// Distinct sets of terms kept: the Deployments being scaled up at once, whose pods alternate in the queue.
    const ENTRIES: usize = 8;

    /// The entry for `written` on the node list `nodes`, made (unscored) when there is none.
    fn entry(&mut self, nodes: Rc<Vec<String>>, written: &[PreferredSchedulingTerm]) -> Rc<Remembered> {
        if !self.nodes.as_ref().is_some_and(|n| Rc::ptr_eq(n, &nodes)) {
            self.entries.clear();
        }
        let count = nodes.len();
        self.nodes = Some(nodes);
        let entry = match self.entries.iter().position(|e| e.written == written) {
            Some(i) => self.entries.remove(i).expect("position is in range"),
            None => Rc::new(Remembered {
                written: written.to_vec(),
                terms: (!written.is_empty()).then(|| PreferredTerms::parse(written)),
                scores: RefCell::new(vec![Remembered::UNSCORED; count]),
            }),
        };
        self.entries.truncate(Self::ENTRIES - 1);
        self.entries.push_front(Rc::clone(&entry));
        entry
    }
}

impl PreScorePlugin for NodeAffinity {
    /// Skip when neither the pod nor the profile prefers anything.
    fn pre_score(&self, handle: &Handle<'_>, state: &mut CycleState, pod: &PodInfo, nodes: &[&NodeInfo]) -> Result<(), Status> {
        if nodes.is_empty() {
            return Ok(());
        }
        let written = pod
            .pod
            .spec
            .affinity
            .as_deref()
            .and_then(|a| a.node_affinity.as_deref())
            .map_or(&[][..], |na| &na.preferred_during_scheduling_ignored_during_execution);
        if written.is_empty() && self.added_preferred.is_none() {
            return Err(Status::skip());
        }
        let entry = self.memo.borrow_mut().entry(handle.snapshot.names(), written);
        state.write(Preferred(entry));
        Ok(())
    }
}

impl NodeAffinity {
    fn preferred(&self, own: Option<&PreferredTerms>, node: &NodeInfo) -> i64 {
        self.added_preferred.as_ref().map_or(0, |t| t.score(node)) + own.map_or(0, |t| t.score(node))
    }
}

impl ScorePlugin for NodeAffinity {
    /// The weights of the added and the pod's preferred terms the node matches.
    fn score(&self, _: &Handle<'_>, state: &CycleState, _: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        let own = state.read::<Preferred>().and_then(|p| p.0.terms.as_ref());
        Ok(self.preferred(own, node))
    }

    fn score_nodes(&self, _: &Handle<'_>, state: &CycleState, _: &PodInfo, nodes: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        let Some(Preferred(entry)) = state.read::<Preferred>() else {
            for (score, node) in scores.iter_mut().zip(nodes) {
                *score = self.preferred(None, node);
            }
            return Ok(());
        };
        let mut known = entry.scores.borrow_mut();
        for (score, node) in scores.iter_mut().zip(nodes) {
            *score = match known.get_mut(node.index) {
                Some(s) if *s != Remembered::UNSCORED => *s,
                Some(s) => {
                    *s = self.preferred(entry.terms.as_ref(), node);
                    *s
                }
                None => self.preferred(entry.terms.as_ref(), node),
            };
        }
        Ok(())
    }

    /// `DefaultNormalizeScore(100, false)`.
    fn normalize_score(&self, _: &CycleState, _: &PodInfo, _: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        default_normalize(scores, false);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::{NodeSelectorRequirement, NodeSelectorTerm};

    fn terms(value: &str) -> Vec<PreferredSchedulingTerm> {
        let preference = NodeSelectorTerm {
            match_expressions: vec![NodeSelectorRequirement {
                key: "zone".into(),
                operator: "In".into(),
                values: vec![value.into()],
            }],
            ..Default::default()
        };
        vec![PreferredSchedulingTerm { preference, weight: 10 }]
    }

    #[test]
    fn the_memo_keeps_an_entry_per_set_of_terms_and_forgets_them_with_the_node_list() {
        let nodes = Rc::new(vec!["a".to_string(), "b".to_string()]);
        let mut memo = ScoreMemo::default();
        let first = memo.entry(Rc::clone(&nodes), &terms("z1"));
        first.scores.borrow_mut()[1] = 10;
        assert!(Rc::ptr_eq(&memo.entry(Rc::clone(&nodes), &terms("z1")), &first), "equal terms share the entry");
        assert!(!Rc::ptr_eq(&memo.entry(Rc::clone(&nodes), &terms("z2")), &first));
        assert_eq!(memo.entries.len(), 2);
        // A new node list, even of the same names, is a rebuilt snapshot: nothing scored before is kept.
        let rebuilt = Rc::new(nodes.to_vec());
        let again = memo.entry(rebuilt, &terms("z1"));
        assert!(!Rc::ptr_eq(&again, &first));
        assert_eq!(*again.scores.borrow(), [Remembered::UNSCORED; 2]);
        assert_eq!(memo.entries.len(), 1);
    }

    #[test]
    fn the_memo_forgets_the_least_recently_used_terms_first() {
        let nodes = Rc::new(vec!["a".to_string()]);
        let mut memo = ScoreMemo::default();
        let kept = memo.entry(Rc::clone(&nodes), &terms("v0"));
        for i in 1..ScoreMemo::ENTRIES + 2 {
            memo.entry(Rc::clone(&nodes), &terms(&format!("v{i}")));
            memo.entry(Rc::clone(&nodes), &terms("v0"));
        }
        assert_eq!(memo.entries.len(), ScoreMemo::ENTRIES);
        assert!(Rc::ptr_eq(&memo.entry(Rc::clone(&nodes), &terms("v0")), &kept), "used again and again, kept");
        assert!(!memo.entries.iter().any(|e| e.written == terms("v1")), "the oldest others went");
    }
}
