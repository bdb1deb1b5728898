//! The scheduler's configuration (`pkg/scheduler/apis/config`): `KubeSchedulerConfiguration` as kube-scheduler
//! reads it from its `--config` file — decoded strictly from `kubescheduler.config.k8s.io/v1` ([`load`]),
//! defaulted as v1 defaults it ([`defaults`]), converted to these internal types ([`v1`]) and validated
//! ([`validation`]). Every scheduling profile is then built from one of these values
//! ([`crate::scheduler::profile`]); with no configuration document the scheduler runs
//! [`KubeSchedulerConfiguration::default`], the empty v1 document defaulted, so that the default profile and
//! a configured one are built the same way.

pub mod args;
pub mod defaults;
pub mod load;
pub mod v1;
pub mod validation;

use serde::Serialize;
use serde_json::{json, Value};

use super::framework::ExtensionPoint;
pub use args::Args;
pub use load::{load, ConfigError, Problem};

/// The API group and version kube-scheduler v1.32 reads.
pub const API_VERSION: &str = "kubescheduler.config.k8s.io/v1";
/// The configuration's kind, named where documents are sorted by kind (the input layer sets these aside).
pub use crate::input::SCHEDULER_CONFIGURATION_KIND as KIND;
/// `v1.DefaultSchedulerName`.
pub const DEFAULT_SCHEDULER_NAME: &str = "default-scheduler";
/// `config.MaxCustomPriorityScore`: the highest score a utilisation shape point may give.
pub const MAX_CUSTOM_PRIORITY_SCORE: i64 = 10;

/// `config.KubeSchedulerConfiguration`, the parts that shape scheduling. Leader election and the client
/// connection are decoded and validated ([`v1::KubeSchedulerConfiguration`]) but change nothing in a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct KubeSchedulerConfiguration {
    pub parallelism: i32,
    /// 0 is the adaptive default (`50 - nodes/125`, at least 5%).
    pub percentage_of_nodes_to_score: i32,
    pub pod_initial_backoff_seconds: i64,
    pub pod_max_backoff_seconds: i64,
    pub profiles: Vec<KubeSchedulerProfile>,
    /// HTTP extenders: validated, not called (kubeplan runs no webhooks).
    pub extenders: Vec<v1::Extender>,
    pub leader_election: v1::LeaderElection,
    pub client_connection: v1::ClientConnection,
}

impl Default for KubeSchedulerConfiguration {
    /// What kube-scheduler runs without `--config`: the empty v1 document, defaulted.
    fn default() -> Self {
        let mut c = v1::KubeSchedulerConfiguration::default();
        defaults::set_defaults(&mut c);
        c.into_internal()
    }
}

/// `config.KubeSchedulerProfile`.
#[derive(Clone, Debug, PartialEq)]
pub struct KubeSchedulerProfile {
    pub scheduler_name: String,
    /// Overrides the configuration's percentage for this profile's pods.
    pub percentage_of_nodes_to_score: Option<i32>,
    pub plugins: Plugins,
    pub plugin_config: Vec<PluginConfig>,
}

/// `config.Plugins`: the plugins enabled and disabled at each extension point, and at every point they
/// implement at once (`multiPoint`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plugins {
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub pre_enqueue: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub queue_sort: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub pre_filter: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub filter: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub post_filter: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub pre_score: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub score: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub reserve: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub permit: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub pre_bind: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub bind: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub post_bind: PluginSet,
    #[serde(skip_serializing_if = "PluginSet::is_empty")]
    pub multi_point: PluginSet,
}

impl Plugins {
    /// The plugin set of one extension point.
    pub fn at(&self, point: ExtensionPoint) -> &PluginSet {
        match point {
            ExtensionPoint::PreEnqueue => &self.pre_enqueue,
            ExtensionPoint::QueueSort => &self.queue_sort,
            ExtensionPoint::PreFilter => &self.pre_filter,
            ExtensionPoint::Filter => &self.filter,
            ExtensionPoint::PostFilter => &self.post_filter,
            ExtensionPoint::PreScore => &self.pre_score,
            ExtensionPoint::Score => &self.score,
            ExtensionPoint::Reserve => &self.reserve,
            ExtensionPoint::Permit => &self.permit,
            ExtensionPoint::PreBind => &self.pre_bind,
            ExtensionPoint::Bind => &self.bind,
            ExtensionPoint::PostBind => &self.post_bind,
        }
    }

    /// The JSON name of an extension point's field.
    pub fn field(point: ExtensionPoint) -> &'static str {
        match point {
            ExtensionPoint::PreEnqueue => "preEnqueue",
            ExtensionPoint::QueueSort => "queueSort",
            ExtensionPoint::PreFilter => "preFilter",
            ExtensionPoint::Filter => "filter",
            ExtensionPoint::PostFilter => "postFilter",
            ExtensionPoint::PreScore => "preScore",
            ExtensionPoint::Score => "score",
            ExtensionPoint::Reserve => "reserve",
            ExtensionPoint::Permit => "permit",
            ExtensionPoint::PreBind => "preBind",
            ExtensionPoint::Bind => "bind",
            ExtensionPoint::PostBind => "postBind",
        }
    }

    /// Every plugin set with its field name, `multiPoint` first (`pluginsNames`' order).
    pub fn sets(&self) -> impl Iterator<Item = (&'static str, &PluginSet)> {
        std::iter::once(("multiPoint", &self.multi_point)).chain(ExtensionPoint::ALL.iter().map(|p| (Plugins::field(*p), self.at(*p))))
    }
}

/// `config.PluginSet`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PluginSet {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub enabled: Vec<Plugin>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disabled: Vec<Plugin>,
}

impl PluginSet {
    pub fn is_empty(&self) -> bool {
        self.enabled.is_empty() && self.disabled.is_empty()
    }

    /// Whether `name` (or every plugin, `*`) is disabled.
    pub fn disables(&self, name: &str) -> bool {
        self.disabled.iter().any(|p| p.name == name || p.name == "*")
    }
}

/// `config.Plugin`: a plugin by name, with the weight of its score (0 takes the framework's 1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Plugin {
    pub name: String,
    pub weight: i32,
}

impl Plugin {
    pub fn new(name: &str, weight: i32) -> Plugin {
        Plugin { name: name.to_owned(), weight }
    }
}

/// `config.PluginConfig`: a plugin's arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct PluginConfig {
    pub name: String,
    pub args: Args,
}

impl KubeSchedulerConfiguration {
    /// The configuration as kube-scheduler runs it, in its v1 form: every profile with its merged plugin sets
    /// and, sorted by plugin name, the arguments of every plugin it enables that takes any (the profile the
    /// framework captures, `WithCaptureProfile`).
    pub fn effective(&self) -> Value {
        let profiles: Vec<Value> = self.profiles.iter().map(KubeSchedulerProfile::effective).collect();
        let mut doc = json!({
            "apiVersion": API_VERSION,
            "kind": KIND,
            "parallelism": self.parallelism,
            "percentageOfNodesToScore": self.percentage_of_nodes_to_score,
            "podInitialBackoffSeconds": self.pod_initial_backoff_seconds,
            "podMaxBackoffSeconds": self.pod_max_backoff_seconds,
            "profiles": profiles,
        });
        if !self.extenders.is_empty() {
            doc["extenders"] = serde_json::to_value(&self.extenders).unwrap_or_default();
        }
        doc
    }
}

impl KubeSchedulerProfile {
    /// The names of the plugins enabled anywhere (`pluginsNeeded`).
    pub fn plugins_needed(&self) -> std::collections::BTreeSet<&str> {
        self.plugins.sets().flat_map(|(_, s)| s.enabled.iter().map(|p| p.name.as_str())).collect()
    }

    /// The arguments of a plugin, when the profile has any for it.
    pub fn args(&self, plugin: &str) -> Option<&Args> {
        self.plugin_config.iter().find(|c| c.name == plugin).map(|c| &c.args)
    }

    fn effective(&self) -> Value {
        let needed = self.plugins_needed();
        let mut config: Vec<&PluginConfig> =
            self.plugin_config.iter().filter(|c| needed.contains(c.name.as_str()) && !matches!(c.args, Args::Unknown(_))).collect();
        config.sort_by(|a, b| a.name.cmp(&b.name));
        let plugin_config: Vec<Value> = config.iter().map(|c| json!({"name": c.name, "args": c.args.to_v1()})).collect();
        let mut p = json!({
            "schedulerName": self.scheduler_name,
            "plugins": serde_json::to_value(&self.plugins).unwrap_or_default(),
        });
        if let Some(pct) = self.percentage_of_nodes_to_score {
            p["percentageOfNodesToScore"] = json!(pct);
        }
        if !plugin_config.is_empty() {
            p["pluginConfig"] = Value::Array(plugin_config);
        }
        p
    }
}
