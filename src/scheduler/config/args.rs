//! The default plugins' arguments (`pkg/scheduler/apis/config/types_pluginargs.go`), after v1 defaulting.
//! Each serialises as its v1 form (`to_v1` adds `apiVersion` and `kind`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::core_v1::{NodeAffinity, TopologySpreadConstraint};

/// The `kind` of a plugin's arguments: `<plugin name>Args`.
pub fn kind_of(plugin: &str) -> String {
    format!("{plugin}Args")
}

/// A plugin's arguments, by the plugin they are for.
#[derive(Clone, Debug, PartialEq)]
pub enum Args {
    DefaultPreemption(DefaultPreemptionArgs),
    InterPodAffinity(InterPodAffinityArgs),
    NodeAffinity(NodeAffinityArgs),
    NodeResourcesBalancedAllocation(NodeResourcesBalancedAllocationArgs),
    NodeResourcesFit(NodeResourcesFitArgs),
    PodTopologySpread(PodTopologySpreadArgs),
    VolumeBinding(VolumeBindingArgs),
    /// Arguments of a plugin kube-scheduler has no arguments type for (`runtime.Unknown`), as written.
    Unknown(Value),
}

impl Args {
    /// The v1 form, with `apiVersion` and `kind`.
    pub fn to_v1(&self) -> Value {
        let (kind, mut v) = match self {
            Args::DefaultPreemption(a) => ("DefaultPreemptionArgs", serde_json::to_value(a)),
            Args::InterPodAffinity(a) => ("InterPodAffinityArgs", serde_json::to_value(a)),
            Args::NodeAffinity(a) => ("NodeAffinityArgs", serde_json::to_value(a)),
            Args::NodeResourcesBalancedAllocation(a) => ("NodeResourcesBalancedAllocationArgs", serde_json::to_value(a)),
            Args::NodeResourcesFit(a) => ("NodeResourcesFitArgs", serde_json::to_value(a)),
            Args::PodTopologySpread(a) => ("PodTopologySpreadArgs", serde_json::to_value(a)),
            Args::VolumeBinding(a) => ("VolumeBindingArgs", serde_json::to_value(a)),
            Args::Unknown(v) => return v.clone(),
        };
        if let Ok(Value::Object(m)) = &mut v {
            m.insert("apiVersion".into(), Value::from(super::API_VERSION));
            m.insert("kind".into(), Value::from(kind));
        }
        v.unwrap_or_default()
    }
}

/// `DefaultPreemptionArgs`: how many nodes preemption examines at least (`calculateNumCandidates`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DefaultPreemptionArgs {
    pub min_candidate_nodes_percentage: i32,
    pub min_candidate_nodes_absolute: i32,
}

/// `InterPodAffinityArgs`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InterPodAffinityArgs {
    /// The score an existing pod's required affinity term gives the topology it matches in.
    pub hard_pod_affinity_weight: i32,
    /// Skip the existing pods' preferred terms when the incoming pod has no preferred terms of its own.
    pub ignore_preferred_terms_of_existing_pods: bool,
}

/// `NodeAffinityArgs`: affinity added to every pod the profile schedules.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeAffinityArgs {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added_affinity: Option<NodeAffinity>,
}

/// `ResourceSpec`: a resource a scorer weighs, and its weight.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceSpec {
    pub name: String,
    #[serde(skip_serializing_if = "is_zero")]
    pub weight: i64,
}

fn is_zero(w: &i64) -> bool {
    *w == 0
}

impl ResourceSpec {
    pub fn new(name: &str, weight: i64) -> ResourceSpec {
        ResourceSpec { name: name.to_owned(), weight }
    }
}

/// `NodeResourcesBalancedAllocationArgs`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeResourcesBalancedAllocationArgs {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ResourceSpec>,
}

/// `NodeResourcesFitArgs`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeResourcesFitArgs {
    /// Extended resources the Filter ignores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored_resources: Vec<String>,
    /// Groups (the part before `/`) of extended resources the Filter ignores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored_resource_groups: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scoring_strategy: Option<ScoringStrategy>,
}

/// `ScoringStrategyType` values.
pub const LEAST_ALLOCATED: &str = "LeastAllocated";
pub const MOST_ALLOCATED: &str = "MostAllocated";
pub const REQUESTED_TO_CAPACITY_RATIO: &str = "RequestedToCapacityRatio";

/// `ScoringStrategy`: how NodeResourcesFit scores a node. The type is kept as written: validation refuses
/// one kube-scheduler does not know.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ScoringStrategy {
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    pub type_: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ResourceSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_to_capacity_ratio: Option<RequestedToCapacityRatioParam>,
}

/// `RequestedToCapacityRatioParam`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestedToCapacityRatioParam {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shape: Vec<UtilizationShapePoint>,
}

/// `UtilizationShapePoint`: the score (0–10) at a utilisation (0–100).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UtilizationShapePoint {
    pub utilization: i32,
    pub score: i32,
}

/// `PodTopologySpreadConstraintsDefaulting` values.
pub const SYSTEM_DEFAULTING: &str = "System";
pub const LIST_DEFAULTING: &str = "List";

/// `PodTopologySpreadArgs`: the constraints of pods that declare none of their own.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodTopologySpreadArgs {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub default_constraints: Vec<TopologySpreadConstraint>,
    /// `System` (the built-in constraints) or `List` (`default_constraints`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub defaulting_type: String,
}

/// `VolumeBindingArgs` (volume binding is not modelled; the arguments are validated and shown).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeBindingArgs {
    pub bind_timeout_seconds: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shape: Vec<UtilizationShapePoint>,
}
