//! The framework's plugin interfaces (`pkg/scheduler/framework/interface.go`): one trait per extension point
//! kubeplan runs, the handle through which plugins read the cluster, and what a plugin instance implements.
//!
//! Plugins read a snapshot of the nodes and their pods ([`Handle::snapshot`], `SharedLister`) and the listers
//! of the few other kinds some need ([`Listers`], the informers of `Handle.SharedInformerFactory`); they never
//! see the store, and they change nothing. Where Kubernetes' DefaultPreemption deletes its victims from within
//! PostFilter, the plugin here returns them ([`PostFilterResult::preemption`]) and the scheduler makes the API
//! calls, in the same order.

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::api::apps_v1::{ReplicaSet, StatefulSet};
use crate::api::core_v1::{Namespace, PersistentVolumeClaim, Pod, Service};
use crate::api::storage_v1::StorageClass;

use super::cycle_state::CycleState;
use super::status::Status;
use super::types::{NodeInfo, NodeToStatus, PodInfo, PodRecord, QueuedPodInfo};
use crate::scheduler::snapshot::Snapshot;

/// The extension points of a scheduling profile (`config.Plugins`), in the order kube-scheduler's
/// configuration lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExtensionPoint {
    PreEnqueue,
    QueueSort,
    PreFilter,
    Filter,
    PostFilter,
    PreScore,
    Score,
    Reserve,
    Permit,
    PreBind,
    Bind,
    PostBind,
}

impl ExtensionPoint {
    pub const ALL: [ExtensionPoint; 12] = [
        ExtensionPoint::PreEnqueue,
        ExtensionPoint::QueueSort,
        ExtensionPoint::PreFilter,
        ExtensionPoint::Filter,
        ExtensionPoint::PostFilter,
        ExtensionPoint::PreScore,
        ExtensionPoint::Score,
        ExtensionPoint::Reserve,
        ExtensionPoint::Permit,
        ExtensionPoint::PreBind,
        ExtensionPoint::Bind,
        ExtensionPoint::PostBind,
    ];

    /// The interface name Kubernetes uses in messages (`FilterPlugin "X" does not exist`).
    pub fn interface(self) -> &'static str {
        match self {
            ExtensionPoint::PreEnqueue => "PreEnqueuePlugin",
            ExtensionPoint::QueueSort => "QueueSortPlugin",
            ExtensionPoint::PreFilter => "PreFilterPlugin",
            ExtensionPoint::Filter => "FilterPlugin",
            ExtensionPoint::PostFilter => "PostFilterPlugin",
            ExtensionPoint::PreScore => "PreScorePlugin",
            ExtensionPoint::Score => "ScorePlugin",
            ExtensionPoint::Reserve => "ReservePlugin",
            ExtensionPoint::Permit => "PermitPlugin",
            ExtensionPoint::PreBind => "PreBindPlugin",
            ExtensionPoint::Bind => "BindPlugin",
            ExtensionPoint::PostBind => "PostBindPlugin",
        }
    }
}

/// The listers plugins read besides the snapshot: Services, ReplicaSets and StatefulSets (default topology
/// spreading's selector), Namespaces (inter-pod affinity's namespace selectors), PersistentVolumeClaims and
/// StorageClasses (volume binding).
pub trait Listers {
    /// The Services of a namespace, in name order.
    fn services<'a>(&'a self, namespace: &'a str) -> Box<dyn Iterator<Item = &'a Service> + 'a>;
    fn replica_set(&self, namespace: &str, name: &str) -> Option<&ReplicaSet>;
    fn stateful_set(&self, namespace: &str, name: &str) -> Option<&StatefulSet>;
    fn namespace(&self, name: &str) -> Option<&Namespace>;
    /// Every Namespace, in name order.
    fn namespaces<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Namespace> + 'a>;
    fn persistent_volume_claim(&self, namespace: &str, name: &str) -> Option<&PersistentVolumeClaim>;
    fn storage_class(&self, name: &str) -> Option<&StorageClass>;
}

/// `framework.Handle`: what a plugin may read during a cycle — the snapshot, the listers, and the profile's
/// framework itself as a [`PluginsRunner`] (preemption runs the Filter plugins on what-if nodes through it).
#[derive(Clone, Copy)]
pub struct Handle<'a> {
    pub snapshot: &'a Snapshot,
    pub listers: &'a dyn Listers,
    pub framework: &'a dyn PluginsRunner,
}

/// `framework.PluginsRunner`: the profile's plugins a plugin may run itself, as preemption does on what-if
/// nodes. The profile's framework (`runtime::Framework`) implements it; a trait keeps the interfaces free of
/// the runtime that runs them.
pub trait PluginsRunner {
    /// `RunPreFilterExtensionAddPod`: `added` now runs on `node` (whose NodeInfo already counts it).
    fn run_add_pod(&self, state: &mut CycleState, pod: &PodInfo, added: &PodRecord, node: &NodeInfo);

    /// `RunPreFilterExtensionRemovePod`: `removed` no longer runs on `node`.
    fn run_remove_pod(&self, state: &mut CycleState, pod: &PodInfo, removed: &PodRecord, node: &NodeInfo);

    /// `RunFilterPluginsWithNominatedPods`: when pods of at least the pod's priority are nominated to the node
    /// (`nominated`), the filters must pass both with those pods added (`addNominatedPods`) and without them.
    fn run_filter_with_nominated(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        node: &NodeInfo,
        nominated: &[Rc<PodRecord>],
    ) -> Result<(), Status>;
}

/// Every plugin has a name (`framework.Plugin`).
pub trait Plugin {
    fn name(&self) -> &'static str;
}

/// `PreEnqueuePlugin`: whether a pod may enter the scheduling queue at all.
pub trait PreEnqueuePlugin: Plugin {
    fn pre_enqueue(&self, pod: &Pod) -> Result<(), Status>;
}

/// `QueueSortPlugin`: the order of the scheduling queue.
pub trait QueueSortPlugin: Plugin {
    /// Whether `a` is scheduled before `b`.
    fn less(&self, a: &QueuedPodInfo, b: &QueuedPodInfo) -> bool;
}

/// The nodes a PreFilter plugin allows (`PreFilterResult`): `None` is every node.
pub type PreFilterResult = Option<BTreeSet<String>>;

/// `PreFilterPlugin` with its `PreFilterExtensions`.
pub trait PreFilterPlugin: Plugin {
    /// Compute the plugin's state for the pod. `Err` with a Skip status skips the plugin's Filter; a rejection
    /// stops the cycle (`RunPreFilterPlugins`).
    fn pre_filter(&self, handle: &Handle<'_>, state: &mut CycleState, pod: &PodInfo) -> Result<PreFilterResult, Status>;

    /// `PreFilterExtensions.AddPod`: `added` now runs on `node` (whose NodeInfo already counts it). Only plugins
    /// whose state depends on other pods override it.
    fn add_pod(&self, _state: &mut CycleState, _pod: &PodInfo, _added: &PodRecord, _node: &NodeInfo) {}

    /// `PreFilterExtensions.RemovePod`: `removed` no longer runs on `node`.
    fn remove_pod(&self, _state: &mut CycleState, _pod: &PodInfo, _removed: &PodRecord, _node: &NodeInfo) {}
}

/// `FilterPlugin`: whether the pod fits the node.
pub trait FilterPlugin: Plugin {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<(), Status>;
}

/// A preemption the PostFilter decided: the node to nominate and the pods to evict there.
#[derive(Debug)]
pub struct Preemption {
    pub node: String,
    /// The victims, most important first.
    pub victims: Vec<Rc<PodRecord>>,
}

/// `PostFilterResult`: what to do with the pod's nominated node, and (kubeplan) the evictions to make.
#[derive(Debug)]
pub struct PostFilterResult {
    pub nominate: Nominate,
    pub preemption: Option<Preemption>,
}

/// `NominatingInfo`: what to do with the pod's `status.nominatedNodeName`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Nominate {
    /// `ModeNoop`: keep what the pod has.
    Keep,
    /// `ModeOverride`: set it (empty clears it).
    Set(String),
}

/// `PostFilterPlugin`: run when no node fits, to make the pod fit in a later cycle.
pub trait PostFilterPlugin: Plugin {
    /// The result (if any) and the status: Success when the pod may fit next time, a rejection otherwise.
    fn post_filter(
        &self,
        handle: &Handle<'_>,
        state: &CycleState,
        pod: &PodInfo,
        statuses: &NodeToStatus,
    ) -> (Option<PostFilterResult>, Status);
}

/// `PreScorePlugin`: compute the plugin's scoring state over the feasible nodes. `Err` with a Skip status skips
/// the plugin's Score.
pub trait PreScorePlugin: Plugin {
    fn pre_score(&self, handle: &Handle<'_>, state: &mut CycleState, pod: &PodInfo, nodes: &[&NodeInfo]) -> Result<(), Status>;
}

/// `ScorePlugin` with its `ScoreExtensions` (NormalizeScore).
pub trait ScorePlugin: Plugin {
    fn score(&self, handle: &Handle<'_>, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status>;

    /// Score every node (`RunScorePlugins`' loop over the nodes) into `scores`, one per node, in order. A
    /// plugin that derives the same per-pod facts for every node may compute them once here; the scores must be
    /// those [`ScorePlugin::score`] gives.
    fn score_nodes(
        &self,
        handle: &Handle<'_>,
        state: &CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        scores: &mut [i64],
    ) -> Result<(), Status> {
        for (score, node) in scores.iter_mut().zip(nodes) {
            *score = self.score(handle, state, pod, node)?;
        }
        Ok(())
    }

    /// `ScoreExtensions.NormalizeScore`; plugins without score extensions leave the scores as they are.
    fn normalize_score(&self, _state: &CycleState, _pod: &PodInfo, _nodes: &[&NodeInfo], _scores: &mut [i64]) -> Result<(), Status> {
        Ok(())
    }
}

/// A plugin as the registry builds it: its name, and the extension points it implements — as trait objects
/// for those kubeplan runs, as names for the others (Reserve, Permit, PreBind, Bind, PostBind), so that a
/// configuration naming a plugin at a point is checked as kube-scheduler checks it.
#[derive(Clone, Default)]
pub struct Instance {
    pub name: &'static str,
    pub pre_enqueue: Option<Rc<dyn PreEnqueuePlugin>>,
    pub queue_sort: Option<Rc<dyn QueueSortPlugin>>,
    pub pre_filter: Option<Rc<dyn PreFilterPlugin>>,
    pub filter: Option<Rc<dyn FilterPlugin>>,
    pub post_filter: Option<Rc<dyn PostFilterPlugin>>,
    pub pre_score: Option<Rc<dyn PreScorePlugin>>,
    pub score: Option<Rc<dyn ScorePlugin>>,
    /// Extension points kubeplan does not run.
    pub other: &'static [ExtensionPoint],
}

impl Instance {
    pub fn new(name: &'static str) -> Instance {
        Instance { name, ..Default::default() }
    }

    /// A plugin that filters and scores: PreFilter, Filter, PreScore and Score (NodeAffinity,
    /// NodeResourcesFit, PodTopologySpread, InterPodAffinity).
    pub fn filter_and_score<P>(name: &'static str, plugin: P) -> Instance
    where
        P: PreFilterPlugin + FilterPlugin + PreScorePlugin + ScorePlugin + 'static,
    {
        let p = Rc::new(plugin);
        Instance { pre_filter: Some(p.clone()), filter: Some(p.clone()), pre_score: Some(p.clone()), score: Some(p), ..Instance::new(name) }
    }

    /// `reflect.TypeOf(plugin).Implements(pluginType)`.
    pub fn implements(&self, point: ExtensionPoint) -> bool {
        match point {
            ExtensionPoint::PreEnqueue => self.pre_enqueue.is_some(),
            ExtensionPoint::QueueSort => self.queue_sort.is_some(),
            ExtensionPoint::PreFilter => self.pre_filter.is_some(),
            ExtensionPoint::Filter => self.filter.is_some(),
            ExtensionPoint::PostFilter => self.post_filter.is_some(),
            ExtensionPoint::PreScore => self.pre_score.is_some(),
            ExtensionPoint::Score => self.score.is_some(),
            other => self.other.contains(&other),
        }
    }
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}
