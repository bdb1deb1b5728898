//! `kubescheduler.config.k8s.io/v1` (`k8s.io/kube-scheduler/config/v1`): the configuration as written, with
//! Go's pointers as `Option` (defaulting tells an absent value from a zero one), and its conversion to the
//! internal types once defaulted (`pkg/scheduler/apis/config/v1/conversion.go`).
//!
//! The Rust type names are Go's: the decoder names the innermost struct in type errors
//! (`json: cannot unmarshal string into Go struct field KubeSchedulerProfile.profiles.schedulerName …`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::args::{
    self, NodeAffinityArgs, NodeResourcesBalancedAllocationArgs, NodeResourcesFitArgs, PodTopologySpreadArgs,
    UtilizationShapePoint,
};
use crate::api::Duration;

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct KubeSchedulerConfiguration {
    pub api_version: String,
    pub kind: String,
    pub parallelism: Option<i32>,
    pub leader_election: LeaderElection,
    pub client_connection: ClientConnection,
    pub enable_profiling: Option<bool>,
    pub enable_contention_profiling: Option<bool>,
    pub percentage_of_nodes_to_score: Option<i32>,
    pub pod_initial_backoff_seconds: Option<i64>,
    pub pod_max_backoff_seconds: Option<i64>,
    pub profiles: Vec<KubeSchedulerProfile>,
    pub extenders: Vec<Extender>,
    pub delay_cache_until_active: bool,
}

/// `componentbaseconfigv1alpha1.LeaderElectionConfiguration`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename = "LeaderElectionConfiguration", rename_all = "camelCase")]
pub struct LeaderElection {
    pub leader_elect: Option<bool>,
    pub lease_duration: Duration,
    pub renew_deadline: Duration,
    pub retry_period: Duration,
    pub resource_lock: String,
    pub resource_name: String,
    pub resource_namespace: String,
}

/// `componentbaseconfigv1alpha1.ClientConnectionConfiguration`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename = "ClientConnectionConfiguration", rename_all = "camelCase")]
pub struct ClientConnection {
    pub kubeconfig: String,
    pub accept_content_types: String,
    pub content_type: String,
    pub qps: f32,
    pub burst: i32,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct KubeSchedulerProfile {
    pub scheduler_name: Option<String>,
    pub percentage_of_nodes_to_score: Option<i32>,
    pub plugins: Option<Plugins>,
    pub plugin_config: Vec<PluginConfig>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Plugins {
    pub pre_enqueue: PluginSet,
    pub queue_sort: PluginSet,
    pub pre_filter: PluginSet,
    pub filter: PluginSet,
    pub post_filter: PluginSet,
    pub pre_score: PluginSet,
    pub score: PluginSet,
    pub reserve: PluginSet,
    pub permit: PluginSet,
    pub pre_bind: PluginSet,
    pub bind: PluginSet,
    pub post_bind: PluginSet,
    pub multi_point: PluginSet,
}

impl Plugins {
    /// Every plugin set, paired with the internal one it converts to.
    fn convert(self) -> super::Plugins {
        super::Plugins {
            pre_enqueue: self.pre_enqueue.into(),
            queue_sort: self.queue_sort.into(),
            pre_filter: self.pre_filter.into(),
            filter: self.filter.into(),
            post_filter: self.post_filter.into(),
            pre_score: self.pre_score.into(),
            score: self.score.into(),
            reserve: self.reserve.into(),
            permit: self.permit.into(),
            pre_bind: self.pre_bind.into(),
            bind: self.bind.into(),
            post_bind: self.post_bind.into(),
            multi_point: self.multi_point.into(),
        }
    }

    /// The plugin sets in `getExtensionPoints`' order plus `multiPoint`, to merge each in turn.
    pub fn sets_mut(&mut self) -> [&mut PluginSet; 13] {
        [
            &mut self.multi_point,
            &mut self.pre_enqueue,
            &mut self.queue_sort,
            &mut self.pre_filter,
            &mut self.filter,
            &mut self.post_filter,
            &mut self.pre_score,
            &mut self.score,
            &mut self.reserve,
            &mut self.permit,
            &mut self.pre_bind,
            &mut self.bind,
            &mut self.post_bind,
        ]
    }
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PluginSet {
    pub enabled: Vec<Plugin>,
    pub disabled: Vec<Plugin>,
}

impl From<PluginSet> for super::PluginSet {
    fn from(s: PluginSet) -> Self {
        super::PluginSet {
            enabled: s.enabled.into_iter().map(Into::into).collect(),
            disabled: s.disabled.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Plugin {
    pub name: String,
    pub weight: Option<i32>,
}

impl Plugin {
    pub fn named(name: &str) -> Plugin {
        Plugin { name: name.to_owned(), weight: None }
    }

    pub fn weighted(name: &str, weight: i32) -> Plugin {
        Plugin { name: name.to_owned(), weight: Some(weight) }
    }
}

impl From<Plugin> for super::Plugin {
    fn from(p: Plugin) -> Self {
        super::Plugin { name: p.name, weight: p.weight.unwrap_or(0) }
    }
}

/// `PluginConfig`: the arguments as written (`runtime.RawExtension`), and as decoded for a plugin that has an
/// arguments type ([`crate::scheduler::config::load`] fills `decoded`; defaulting fills the absent ones).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PluginConfig {
    pub name: String,
    pub args: Value,
    #[serde(skip)]
    pub decoded: Option<Args>,
}

/// The arguments of the plugins that have an arguments type, as v1 writes them.
#[derive(Clone, Debug, PartialEq)]
pub enum Args {
    DefaultPreemption(DefaultPreemptionArgs),
    InterPodAffinity(InterPodAffinityArgs),
    NodeAffinity(NodeAffinityArgs),
    NodeResourcesBalancedAllocation(NodeResourcesBalancedAllocationArgs),
    NodeResourcesFit(NodeResourcesFitArgs),
    PodTopologySpread(PodTopologySpreadArgs),
    VolumeBinding(VolumeBindingArgs),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DefaultPreemptionArgs {
    pub min_candidate_nodes_percentage: Option<i32>,
    pub min_candidate_nodes_absolute: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InterPodAffinityArgs {
    pub hard_pod_affinity_weight: Option<i32>,
    pub ignore_preferred_terms_of_existing_pods: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct VolumeBindingArgs {
    pub bind_timeout_seconds: Option<i64>,
    pub shape: Vec<UtilizationShapePoint>,
}

/// `Extender`: an HTTP scheduler extender. Validated as kube-scheduler validates it; kubeplan does not call it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Extender {
    pub url_prefix: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub filter_verb: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub preempt_verb: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub prioritize_verb: String,
    #[serde(skip_serializing_if = "is_zero")]
    pub weight: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub bind_verb: String,
    #[serde(rename = "enableHTTPS", skip_serializing_if = "std::ops::Not::not")]
    pub enable_https: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<ExtenderTLSConfig>,
    pub http_timeout: Duration,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub node_cache_capable: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub managed_resources: Vec<ExtenderManagedResource>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignorable: bool,
}

fn is_zero(w: &i64) -> bool {
    *w == 0
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExtenderManagedResource {
    pub name: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignored_by_scheduler: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExtenderTLSConfig {
    pub insecure: bool,
    pub server_name: String,
    pub cert_file: String,
    pub key_file: String,
    #[serde(rename = "caFile")]
    pub ca_file: String,
    pub cert_data: String,
    pub key_data: String,
    #[serde(rename = "caData")]
    pub ca_data: String,
}

impl KubeSchedulerConfiguration {
    /// `Convert_v1_KubeSchedulerConfiguration_To_config_KubeSchedulerConfiguration` of a defaulted
    /// configuration: pointers are dereferenced (defaulting set them), plugin weights left unset are 0.
    pub fn into_internal(self) -> super::KubeSchedulerConfiguration {
        super::KubeSchedulerConfiguration {
            parallelism: self.parallelism.unwrap_or_default(),
            percentage_of_nodes_to_score: self.percentage_of_nodes_to_score.unwrap_or_default(),
            pod_initial_backoff_seconds: self.pod_initial_backoff_seconds.unwrap_or_default(),
            pod_max_backoff_seconds: self.pod_max_backoff_seconds.unwrap_or_default(),
            profiles: self.profiles.into_iter().map(KubeSchedulerProfile::into_internal).collect(),
            extenders: self.extenders,
            leader_election: self.leader_election,
            client_connection: self.client_connection,
        }
    }
}

impl KubeSchedulerProfile {
    fn into_internal(self) -> super::KubeSchedulerProfile {
        super::KubeSchedulerProfile {
            scheduler_name: self.scheduler_name.unwrap_or_default(),
            percentage_of_nodes_to_score: self.percentage_of_nodes_to_score,
            plugins: self.plugins.unwrap_or_default().convert(),
            plugin_config: self.plugin_config.into_iter().map(PluginConfig::into_internal).collect(),
        }
    }
}

impl PluginConfig {
    fn into_internal(self) -> super::PluginConfig {
        let args = match self.decoded {
            Some(a) => a.into_internal(),
            None => super::Args::Unknown(self.args),
        };
        super::PluginConfig { name: self.name, args }
    }
}

impl Args {
    fn into_internal(self) -> super::Args {
        match self {
            Args::DefaultPreemption(a) => super::Args::DefaultPreemption(args::DefaultPreemptionArgs {
                min_candidate_nodes_percentage: a.min_candidate_nodes_percentage.unwrap_or_default(),
                min_candidate_nodes_absolute: a.min_candidate_nodes_absolute.unwrap_or_default(),
            }),
            Args::InterPodAffinity(a) => super::Args::InterPodAffinity(args::InterPodAffinityArgs {
                hard_pod_affinity_weight: a.hard_pod_affinity_weight.unwrap_or_default(),
                ignore_preferred_terms_of_existing_pods: a.ignore_preferred_terms_of_existing_pods,
            }),
            Args::NodeAffinity(a) => super::Args::NodeAffinity(a),
            Args::NodeResourcesBalancedAllocation(a) => super::Args::NodeResourcesBalancedAllocation(a),
            Args::NodeResourcesFit(a) => super::Args::NodeResourcesFit(a),
            Args::PodTopologySpread(a) => super::Args::PodTopologySpread(a),
            Args::VolumeBinding(a) => super::Args::VolumeBinding(args::VolumeBindingArgs {
                bind_timeout_seconds: a.bind_timeout_seconds.unwrap_or_default(),
                shape: a.shape,
            }),
        }
    }
}
