//! A scheduling profile's framework (`pkg/scheduler/framework/runtime/framework.go`): the plugins a profile's
//! configuration enables, instantiated once from the registry with their arguments and arranged per extension
//! point ([`Framework::new`], `NewFramework` with `expandMultiPointPlugins`), and the `Run…` functions the
//! scheduling cycle calls.

use std::collections::BTreeSet;
use std::rc::Rc;

use super::cycle_state::CycleState;
use super::interface::{
    ExtensionPoint, FilterPlugin, Handle, Instance, PluginsRunner, PostFilterPlugin, PostFilterResult, PreEnqueuePlugin,
    PreFilterPlugin, PreScorePlugin, QueueSortPlugin, ScorePlugin,
};
use super::status::{Code, Reason, Status};
use super::types::{NodeInfo, NodeToStatus, PodInfo, PodRecord, QueuedPodInfo};
use crate::scheduler::config::{KubeSchedulerProfile, Plugin};
use crate::scheduler::registry;

/// `framework.MaxNodeScore`: what a score plugin gives at most after normalising.
pub const MAX_NODE_SCORE: i64 = 100;

/// A plugin at an extension point: its position among the profile's plugins (for the skip sets) and the
/// extension point's trait object.
struct Slot<T: ?Sized> {
    id: usize,
    name: &'static str,
    plugin: Rc<T>,
}

/// A score plugin with its weight (`scorePluginWeight`; 0 in the configuration is 1).
struct ScoreSlot {
    id: usize,
    name: &'static str,
    plugin: Rc<dyn ScorePlugin>,
    weight: i64,
}

/// The normalised scores of one cycle's feasible nodes: a column per score plugin that ran, with its name and
/// weight, all in one flat buffer. Scoring runs for every pod on every feasible node, so the scheduler keeps one
/// `Scores` from cycle to cycle and the columns reuse its memory instead of allocating a vector per plugin per
/// pod.
#[derive(Debug, Default)]
pub struct Scores {
    /// Each column's plugin and weight, in the order the plugins ran.
    columns: Vec<(&'static str, i64)>,
    /// The number of nodes scored: the length of every column.
    nodes: usize,
    /// The columns one after another.
    values: Vec<i64>,
    /// The weighted sum of the columns per node ([`Scores::weigh`]).
    totals: Vec<i64>,
}

impl Scores {
    /// Forget the last cycle's columns; the next ones score `nodes` nodes.
    pub fn reset(&mut self, nodes: usize) {
        self.columns.clear();
        self.values.clear();
        self.totals.clear();
        self.nodes = nodes;
    }

    /// A new column of zeros for a plugin, to be scored into.
    fn push(&mut self, plugin: &'static str, weight: i64) -> &mut [i64] {
        let start = self.values.len();
        self.values.resize(start + self.nodes, 0);
        self.columns.push((plugin, weight));
        &mut self.values[start..]
    }

    /// The plugins that scored, in the order they ran.
    pub fn plugins(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|(p, _)| *p)
    }

    /// Each plugin's scores (weighted once [`Scores::weigh`] has run), in the order the plugins ran.
    pub fn columns(&self) -> impl Iterator<Item = &[i64]> + '_ {
        // `max(1)`: `chunks` wants a non-zero size; with no nodes there are no values either.
        self.values.chunks(self.nodes.max(1))
    }

    /// Multiply every column by its plugin's weight and sum them per node into [`Scores::totals`], which start
    /// at `base` (1 per node when the profile has no score plugins, as `prioritizeNodes` gives).
    pub fn weigh(&mut self, base: i64) {
        self.totals.clear();
        self.totals.resize(self.nodes, base);
        for (&(_, weight), column) in self.columns.iter().zip(self.values.chunks_mut(self.nodes.max(1))) {
            for (total, score) in self.totals.iter_mut().zip(column) {
                *score *= weight;
                *total += *score;
            }
        }
    }

    /// The weighted total of each node, in the order the nodes were scored.
    pub fn totals(&self) -> &[i64] {
        &self.totals
    }
}

/// What the PreFilter plugins decided: the nodes they allow (`None`: all) and the plugins that narrowed them.
#[derive(Debug, Default)]
pub struct PreFilterOutcome {
    pub nodes: Option<BTreeSet<String>>,
    pub narrowed_by: BTreeSet<&'static str>,
}

/// Why PreFilter stopped the cycle.
#[derive(Debug)]
pub enum PreFilterStop {
    /// Unschedulable or UnschedulableAndUnresolvable: every node gets this status.
    Rejected(Status),
    /// An internal error (`running PreFilter plugin ...`).
    Error(String),
}

/// `frameworkImpl`: one profile's plugins per extension point.
pub struct Framework {
    profile_name: Rc<str>,
    percentage_of_nodes_to_score: Option<i32>,
    pre_enqueue: Vec<Slot<dyn PreEnqueuePlugin>>,
    queue_sort: Vec<Slot<dyn QueueSortPlugin>>,
    pre_filter: Vec<Slot<dyn PreFilterPlugin>>,
    filter: Vec<Slot<dyn FilterPlugin>>,
    post_filter: Vec<Slot<dyn PostFilterPlugin>>,
    pre_score: Vec<Slot<dyn PreScorePlugin>>,
    score: Vec<ScoreSlot>,
    /// The enabled plugins' names at every extension point (`ListPlugins`), for views.
    enabled: Vec<(ExtensionPoint, Vec<&'static str>)>,
}

impl std::fmt::Debug for Framework {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Framework").field("profile", &self.profile_name).field("enabled", &self.enabled).finish()
    }
}

/// An insertion-ordered set of names (`orderedSet`).
#[derive(Default)]
struct Ordered(Vec<String>);

impl Ordered {
    fn has(&self, s: &str) -> bool {
        self.0.iter().any(|x| x == s)
    }

    fn insert(&mut self, s: &str) {
        if !self.has(s) {
            self.0.push(s.to_owned());
        }
    }
}

impl Framework {
    /// `NewFramework`: instantiate every plugin the profile enables (with its arguments), list them per
    /// extension point, expand `multiPoint`, and check what kube-scheduler checks. The error is the message
    /// kube-scheduler gives (without the profile's name, which [`crate::scheduler::profile`] adds).
    pub fn new(profile: &KubeSchedulerProfile) -> Result<Framework, String> {
        let plugins = instantiate(profile)?;
        let lists = arrange(&plugins, profile)?;
        let list = |p: ExtensionPoint| lists.iter().find(|(x, _)| *x == p).map_or(&[][..], |(_, l)| l.as_slice());
        let name = &profile.scheduler_name;
        let queue_sort = list(ExtensionPoint::QueueSort);
        if queue_sort.len() != 1 {
            return Err(format!(
                "only one queue sort plugin required for profile with scheduler name {name:?}, but got {}",
                queue_sort.len()
            ));
        }
        if list(ExtensionPoint::Bind).is_empty() {
            return Err(format!("at least one bind plugin is needed for profile with scheduler name {name:?}"));
        }
        let weights = score_weights(&plugins, profile)?;
        let score = slots(list(ExtensionPoint::Score), &plugins, |p| p.score.clone())
            .into_iter()
            .map(|s| {
                let weight = weights.iter().find(|(n, _)| *n == s.name).map_or(1, |(_, w)| *w);
                ScoreSlot { id: s.id, name: s.name, plugin: s.plugin, weight }
            })
            .collect();
        Ok(Framework {
            profile_name: Rc::from(name.as_str()),
            percentage_of_nodes_to_score: profile.percentage_of_nodes_to_score,
            pre_enqueue: slots(list(ExtensionPoint::PreEnqueue), &plugins, |p| p.pre_enqueue.clone()),
            queue_sort: slots(queue_sort, &plugins, |p| p.queue_sort.clone()),
            pre_filter: slots(list(ExtensionPoint::PreFilter), &plugins, |p| p.pre_filter.clone()),
            filter: slots(list(ExtensionPoint::Filter), &plugins, |p| p.filter.clone()),
            post_filter: slots(list(ExtensionPoint::PostFilter), &plugins, |p| p.post_filter.clone()),
            pre_score: slots(list(ExtensionPoint::PreScore), &plugins, |p| p.pre_score.clone()),
            score,
            enabled: lists.iter().map(|(p, ids)| (*p, ids.iter().map(|&i| plugins[i].name).collect())).collect(),
        })
    }

    pub fn profile_name(&self) -> &str {
        &self.profile_name
    }

    /// The profile's name, shared with the decisions it records.
    pub fn profile_name_rc(&self) -> Rc<str> {
        self.profile_name.clone()
    }

    pub fn percentage_of_nodes_to_score(&self) -> Option<i32> {
        self.percentage_of_nodes_to_score
    }

    /// `ListPlugins`: the enabled plugins per extension point, in the order they run.
    pub fn enabled(&self) -> &[(ExtensionPoint, Vec<&'static str>)] {
        &self.enabled
    }

    /// The score plugins with their weights, in the order they run.
    pub fn score_weights(&self) -> Vec<(&'static str, i64)> {
        self.score.iter().map(|s| (s.name, s.weight)).collect()
    }

    pub fn has_filter_plugins(&self) -> bool {
        !self.filter.is_empty()
    }

    pub fn has_score_plugins(&self) -> bool {
        !self.score.is_empty()
    }

    pub fn has_post_filter_plugins(&self) -> bool {
        !self.post_filter.is_empty()
    }

    /// `RunPreEnqueuePlugins`: the first rejection, if any.
    pub fn run_pre_enqueue(&self, pod: &crate::api::core_v1::Pod) -> Result<(), Status> {
        for s in &self.pre_enqueue {
            s.plugin.pre_enqueue(pod).map_err(|st| st.with_plugin(s.name))?;
        }
        Ok(())
    }

    /// `QueueSortFunc`: whether `a` is scheduled before `b`.
    pub fn less(&self, a: &QueuedPodInfo, b: &QueuedPodInfo) -> bool {
        self.queue_sort.first().is_some_and(|s| s.plugin.less(a, b))
    }

    /// `RunPreFilterPlugins` in the profile's order. A Skip puts the plugin in the cycle's skip set (its Filter
    /// and PreFilter extensions do not run); UnschedulableAndUnresolvable stops at once; Unschedulable lets the
    /// remaining plugins run and then rejects; the node sets of the PreFilter results are intersected.
    pub fn run_pre_filter(&self, handle: &Handle<'_>, state: &mut CycleState, pod: &PodInfo) -> Result<PreFilterOutcome, PreFilterStop> {
        let mut out = PreFilterOutcome::default();
        let mut rejected: Option<Status> = None;
        for s in &self.pre_filter {
            let names = match s.plugin.pre_filter(handle, state, pod) {
                Ok(names) => names,
                Err(st) if st.is_skip() => {
                    state.skip_filter.insert(s.id);
                    continue;
                }
                Err(st) if st.code == Code::UnschedulableAndUnresolvable => return Err(PreFilterStop::Rejected(st.with_plugin(s.name))),
                Err(st) if st.code == Code::Unschedulable => {
                    rejected = Some(st.with_plugin(s.name));
                    continue;
                }
                Err(st) => return Err(PreFilterStop::Error(format!("running PreFilter plugin {:?}: {}", s.name, st.message()))),
            };
            let Some(names) = names else { continue };
            out.narrowed_by.insert(s.name);
            let merged: BTreeSet<String> = match out.nodes.take() {
                None => names,
                Some(prev) => prev.intersection(&names).cloned().collect(),
            };
            let empty = merged.is_empty();
            out.nodes = Some(merged);
            if empty {
                let plugins = out.narrowed_by.iter().copied().collect();
                return Err(PreFilterStop::Rejected(Status::unresolvable(Reason::PreFilterNoCommonNodes(plugins))));
            }
        }
        match rejected {
            Some(s) => Err(PreFilterStop::Rejected(s)),
            None => Ok(out),
        }
    }

    /// The Filter plugins that run in a cycle: those PreFilter did not skip (`SkipFilterPlugins`), found once
    /// per cycle rather than for every node.
    pub fn filters(&self, state: &CycleState) -> Filters<'_> {
        Filters(self.filter.iter().filter(|s| !state.skip_filter.contains(s.id)).collect())
    }

    /// `RunFilterPluginsWithNominatedPods` with the cycle's [`Filters`]: when nominated pods of at least the
    /// pod's priority wait for the node, the filters must pass both with them placed there and without them.
    pub fn filter_with_nominated(
        &self,
        filters: &Filters<'_>,
        state: &CycleState,
        pod: &PodInfo,
        node: &NodeInfo,
        nominated: &[Rc<PodRecord>],
    ) -> Result<(), Status> {
        let mut to_add = nominated.iter().filter(|p| p.priority >= pod.record.priority && p.uid() != pod.uid()).peekable();
        if to_add.peek().is_none() {
            return filters.run(state, pod, node);
        }
        let mut node_with = node.clone();
        let mut state_with = state.clone();
        for p in to_add {
            node_with.add_pod(p.clone());
            self.run_add_pod(&mut state_with, pod, p, &node_with);
        }
        filters.run(&state_with, pod, &node_with)?;
        filters.run(state, pod, node)
    }

    /// `RunPostFilterPlugins`: the first success wins; otherwise the rejections' reasons together, and the last
    /// result that asked to change the nominated node.
    pub fn run_post_filter(
        &self,
        handle: &Handle<'_>,
        state: &CycleState,
        pod: &PodInfo,
        statuses: &NodeToStatus,
    ) -> (Option<PostFilterResult>, Status) {
        let mut result = None;
        let mut reasons = Vec::new();
        let mut rejector = "";
        for s in &self.post_filter {
            let (r, st) = s.plugin.post_filter(handle, state, pod, statuses);
            if st.is_success() {
                return (r, st);
            }
            if st.code == Code::UnschedulableAndUnresolvable {
                return (r, st.with_plugin(s.name));
            }
            if !st.is_rejected() {
                return (None, st.with_plugin(s.name));
            }
            if let Some(r) = r.filter(|r| r.nominate != super::Nominate::Keep) {
                result = Some(r);
            }
            reasons.extend(st.reasons);
            if rejector.is_empty() {
                rejector = s.name;
            }
        }
        (result, Status { code: Code::Unschedulable, reasons, plugin: rejector })
    }

    /// `RunPreScorePlugins` then `RunScorePlugins`: every score plugin PreScore did not skip scores every node
    /// and normalises, into a column of `scores`; scores outside 0..=100 are an error.
    pub fn run_score(
        &self,
        handle: &Handle<'_>,
        state: &mut CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        scores: &mut Scores,
    ) -> Result<(), Status> {
        scores.reset(nodes.len());
        for s in &self.pre_score {
            match s.plugin.pre_score(handle, state, pod, nodes) {
                Ok(()) => {}
                Err(st) if st.is_skip() => state.skip_score.insert(s.id),
                Err(st) => return Err(Status::error(format!("running PreScore plugin {:?}: {}", s.name, st.message()))),
            }
        }
        for s in self.score.iter().filter(|s| !state.skip_score.contains(s.id)) {
            let column = scores.push(s.name, s.weight);
            s.plugin.score_nodes(handle, state, pod, nodes, column).map_err(|st| {
                Status::error(format!("running Score plugins: plugin {:?} failed with: {}", s.name, st.message()))
            })?;
            s.plugin.normalize_score(state, pod, nodes, column).map_err(|st| {
                Status::error(format!("running Normalize on Score plugins: plugin {:?} failed with: {}", s.name, st.message()))
            })?;
        }
        for (plugin, column) in scores.plugins().zip(scores.columns()) {
            if let Some(bad) = column.iter().find(|s| !(0..=MAX_NODE_SCORE).contains(*s)) {
                return Err(Status::error(format!(
                    "applying score defaultWeights on Score plugins: plugin {plugin:?} returns an invalid score {bad}, it should in the range of [0, {MAX_NODE_SCORE}] after normalizing"
                )));
            }
        }
        Ok(())
    }
}

/// The runners a plugin may call back through its [`Handle`] (preemption's what-if nodes).
impl PluginsRunner for Framework {
    fn run_add_pod(&self, state: &mut CycleState, pod: &PodInfo, added: &PodRecord, node: &NodeInfo) {
        for s in &self.pre_filter {
            if !state.skip_filter.contains(s.id) {
                s.plugin.add_pod(state, pod, added, node);
            }
        }
    }

    fn run_remove_pod(&self, state: &mut CycleState, pod: &PodInfo, removed: &PodRecord, node: &NodeInfo) {
        for s in &self.pre_filter {
            if !state.skip_filter.contains(s.id) {
                s.plugin.remove_pod(state, pod, removed, node);
            }
        }
    }

    fn run_filter_with_nominated(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        node: &NodeInfo,
        nominated: &[Rc<PodRecord>],
    ) -> Result<(), Status> {
        self.filter_with_nominated(&self.filters(state), state, pod, node, nominated)
    }
}

/// The Filter plugins of one cycle, in the profile's order ([`Framework::filters`]).
pub struct Filters<'a>(Vec<&'a Slot<dyn FilterPlugin>>);

impl Filters<'_> {
    /// `RunFilterPlugins`: the first failing plugin's status (an error wrapped as kube-scheduler wraps it).
    pub fn run(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<(), Status> {
        for s in &self.0 {
            if let Err(st) = s.plugin.filter(state, pod, node) {
                return Err(filter_failed(s.name, st));
            }
        }
        Ok(())
    }
}

/// A Filter plugin's failure as `RunFilterPlugins` returns it: a rejection as it is, an error wrapped; the plugin
/// named. (Off the hot path: most nodes pass.)
#[cold]
fn filter_failed(plugin: &'static str, st: Status) -> Status {
    let st = if st.is_rejected() { st } else { Status::error(format!("running {plugin:?} filter plugin: {}", st.message())) };
    st.with_plugin(plugin)
}

/// Every plugin the profile enables somewhere (`pluginsNeeded`), built with its arguments, in the registry's
/// order (`pluginsMap`).
fn instantiate(profile: &KubeSchedulerProfile) -> Result<Vec<Instance>, String> {
    let mut seen = BTreeSet::new();
    if let Some(c) = profile.plugin_config.iter().find(|c| !seen.insert(c.name.as_str())) {
        return Err(format!("repeated config for plugin {}", c.name));
    }
    let needed = profile.plugins_needed();
    registry::REGISTRY
        .iter()
        .filter(|r| needed.contains(r.name))
        .map(|r| (r.new)(profile.args(r.name)).map_err(|e| format!("initializing plugin {:?}: {e}", r.name)))
        .collect()
}

/// The plugins of each extension point (positions in `plugins`), with `multiPoint` expanded.
fn arrange(plugins: &[Instance], profile: &KubeSchedulerProfile) -> Result<Vec<(ExtensionPoint, Vec<usize>)>, String> {
    let mut lists = Vec::new();
    for point in EXTENSION_POINTS {
        lists.push((point, plugin_list(plugins, point, &profile.plugins.at(point).enabled)?));
    }
    if !profile.plugins.multi_point.enabled.is_empty() {
        for (point, list) in &mut lists {
            expand_multi_point(plugins, *point, profile, list)?;
        }
    }
    Ok(lists)
}

/// The trait objects of one extension point for the plugins at `ids`.
fn slots<T: ?Sized>(ids: &[usize], plugins: &[Instance], get: impl Fn(&Instance) -> Option<Rc<T>>) -> Vec<Slot<T>> {
    ids.iter().filter_map(|&id| Some(Slot { id, name: plugins[id].name, plugin: get(&plugins[id])? })).collect()
}

/// `getExtensionPoints`' order.
const EXTENSION_POINTS: [ExtensionPoint; 12] = [
    ExtensionPoint::PreFilter,
    ExtensionPoint::Filter,
    ExtensionPoint::PostFilter,
    ExtensionPoint::Reserve,
    ExtensionPoint::PreScore,
    ExtensionPoint::Score,
    ExtensionPoint::PreBind,
    ExtensionPoint::Bind,
    ExtensionPoint::PostBind,
    ExtensionPoint::Permit,
    ExtensionPoint::PreEnqueue,
    ExtensionPoint::QueueSort,
];

/// `updatePluginList`: the plugins enabled at one extension point, each existing, implementing the point and
/// listed once.
fn plugin_list(plugins: &[Instance], point: ExtensionPoint, enabled: &[Plugin]) -> Result<Vec<usize>, String> {
    let mut out: Vec<usize> = Vec::new();
    for e in enabled {
        let Some(id) = plugins.iter().position(|p| p.name == e.name) else {
            return Err(format!("{} {:?} does not exist", point.interface(), e.name));
        };
        if !plugins[id].implements(point) {
            return Err(format!("plugin {:?} does not extend {} plugin", e.name, point.interface()));
        }
        if out.contains(&id) {
            return Err(format!("plugin {:?} already registered as {:?}", e.name, point.interface()));
        }
        out.push(id);
    }
    Ok(out)
}

/// `expandMultiPointPlugins` for one extension point: the plugins enabled at the point that multiPoint also
/// names come first (in the point's order), then multiPoint's others that implement the point and are not
/// disabled there, then the rest of the point's own. A point that disables `*` keeps its own list.
fn expand_multi_point(plugins: &[Instance], point: ExtensionPoint, profile: &KubeSchedulerProfile, list: &mut Vec<usize>) -> Result<(), String> {
    let set = profile.plugins.at(point);
    if set.disabled.iter().any(|p| p.name == "*") {
        return Ok(());
    }
    let mut enabled = Ordered::default();
    for p in &set.enabled {
        enabled.insert(&p.name);
    }
    let mut multi = Ordered::default();
    let mut overrides = Ordered::default();
    for e in &profile.plugins.multi_point.enabled {
        let Some(p) = plugins.iter().find(|p| p.name == e.name) else {
            return Err(format!("{} {:?} does not exist", point.interface(), e.name));
        };
        if !p.implements(point) || set.disabled.iter().any(|d| d.name == e.name) {
            continue;
        }
        if enabled.has(&e.name) {
            overrides.insert(&e.name);
            continue;
        }
        if multi.has(&e.name) {
            return Err(format!("plugin {:?} already registered as {:?}", e.name, point.interface()));
        }
        multi.insert(&e.name);
    }
    let (first, rest): (Vec<&String>, Vec<&String>) = enabled.0.iter().partition(|n| overrides.has(n));
    let id = |n: &str| plugins.iter().position(|p| p.name == n);
    *list = first.into_iter().chain(multi.0.iter()).chain(rest).filter_map(|n| id(n)).collect();
    Ok(())
}

/// `getScoreWeights`: each score plugin's weight from its first entry in `score`, then `multiPoint`; 0 is 1.
fn score_weights(plugins: &[Instance], profile: &KubeSchedulerProfile) -> Result<Vec<(&'static str, i64)>, String> {
    let mut weights: Vec<(&'static str, i64)> = Vec::new();
    let mut total: i64 = 0;
    for e in profile.plugins.score.enabled.iter().chain(&profile.plugins.multi_point.enabled) {
        let Some(p) = plugins.iter().find(|p| p.name == e.name && p.score.is_some()) else { continue };
        if weights.iter().any(|(n, _)| *n == p.name) {
            continue;
        }
        let w = if e.weight == 0 { 1 } else { i64::from(e.weight) };
        if w.saturating_mul(MAX_NODE_SCORE) > i64::MAX - total {
            return Err("total score of Score plugins could overflow".into());
        }
        total += w * MAX_NODE_SCORE;
        weights.push((p.name, w));
    }
    Ok(weights)
}
