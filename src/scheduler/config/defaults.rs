//! v1 defaulting (`pkg/scheduler/apis/config/v1/defaults.go`, `default_plugins.go`): the default plugin set,
//! how a profile's plugin sets are merged into it, and every default plugin's arguments.
//!
//! [`default_plugins`] is the one place the v1.32 default profile is written down.

use std::collections::BTreeSet;

use super::args::{
    NodeAffinityArgs, NodeResourcesBalancedAllocationArgs, NodeResourcesFitArgs, PodTopologySpreadArgs, ResourceSpec,
    ScoringStrategy, LEAST_ALLOCATED, SYSTEM_DEFAULTING,
};
use super::v1::{
    Args, DefaultPreemptionArgs, InterPodAffinityArgs, KubeSchedulerConfiguration, KubeSchedulerProfile, Plugin,
    PluginConfig, PluginSet, Plugins, VolumeBindingArgs,
};
use super::DEFAULT_SCHEDULER_NAME;

/// `getDefaultPlugins`: every default plugin enabled at every extension point it implements (`multiPoint`),
/// in this order, with the weights of those that score. (`DynamicResources` joins only with its feature gate,
/// off in v1.32.)
pub fn default_plugins() -> Plugins {
    let enabled = [
        ("SchedulingGates", None),
        ("PrioritySort", None),
        ("NodeUnschedulable", None),
        ("NodeName", None),
        ("TaintToleration", Some(3)),
        ("NodeAffinity", Some(2)),
        ("NodePorts", None),
        ("NodeResourcesFit", Some(1)),
        ("VolumeRestrictions", None),
        ("NodeVolumeLimits", None),
        ("VolumeBinding", None),
        ("VolumeZone", None),
        ("PodTopologySpread", Some(2)),
        ("InterPodAffinity", Some(2)),
        ("DefaultPreemption", None),
        ("NodeResourcesBalancedAllocation", Some(1)),
        ("ImageLocality", Some(1)),
        ("DefaultBinder", None),
    ];
    let enabled = enabled.into_iter().map(|(name, weight)| Plugin { name: name.to_owned(), weight }).collect();
    Plugins { multi_point: PluginSet { enabled, disabled: Vec::new() }, ..Default::default() }
}

/// `mergePlugins`: each of the profile's plugin sets merged into the default one.
pub fn merge_plugins(mut defaults: Plugins, custom: Option<Plugins>) -> Plugins {
    let Some(mut custom) = custom else { return defaults };
    for (d, c) in defaults.sets_mut().into_iter().zip(custom.sets_mut()) {
        *d = merge_plugin_set(std::mem::take(d), std::mem::take(c));
    }
    defaults
}

/// `mergePluginSet`: the default plugins not disabled (none with `*`), each replaced in place by the custom
/// entry of the same name; then the custom plugins that replaced none. Both sides' disabled plugins are kept
/// (without weights), so that multiPoint expansion knows what was disabled.
fn merge_plugin_set(defaults: PluginSet, custom: PluginSet) -> PluginSet {
    let disabled: Vec<Plugin> =
        custom.disabled.iter().chain(&defaults.disabled).map(|p| Plugin::named(&p.name)).collect();
    let is_disabled = |name: &str| disabled.iter().any(|p| p.name == name);
    let mut replaced = BTreeSet::new();
    let mut enabled = Vec::new();
    if !is_disabled("*") {
        for d in defaults.enabled {
            if is_disabled(&d.name) {
                continue;
            }
            // The last custom entry of a name wins, as Go's map of them keeps the last.
            match custom.enabled.iter().rposition(|c| c.name == d.name) {
                Some(i) => {
                    replaced.insert(i);
                    enabled.push(custom.enabled[i].clone());
                }
                None => enabled.push(d),
            }
        }
    }
    enabled.extend(custom.enabled.iter().enumerate().filter(|(i, _)| !replaced.contains(i)).map(|(_, p)| p.clone()));
    PluginSet { enabled, disabled }
}

/// `SetDefaults_KubeSchedulerConfiguration`, for the fields that shape a plan or are validated.
pub fn set_defaults(c: &mut KubeSchedulerConfiguration) {
    c.parallelism.get_or_insert(16);
    if c.profiles.is_empty() {
        c.profiles.push(KubeSchedulerProfile::default());
    }
    // A name is given only to a lone profile; validation requires one for each of several.
    if c.profiles.len() == 1 && c.profiles[0].scheduler_name.is_none() {
        c.profiles[0].scheduler_name = Some(DEFAULT_SCHEDULER_NAME.to_owned());
    }
    for p in &mut c.profiles {
        set_profile_defaults(p);
    }
    c.percentage_of_nodes_to_score.get_or_insert(0);
    let le = &mut c.leader_election;
    if le.resource_lock.is_empty() {
        le.resource_lock = "leases".into();
    }
    if le.resource_namespace.is_empty() {
        le.resource_namespace = "kube-system".into();
    }
    if le.resource_name.is_empty() {
        le.resource_name = "kube-scheduler".into();
    }
    // `RecommendedDefaultLeaderElectionConfiguration`.
    le.leader_elect.get_or_insert(true);
    for (d, default) in [(&mut le.lease_duration, "15s"), (&mut le.renew_deadline, "10s"), (&mut le.retry_period, "2s")] {
        if d.0.is_empty() || d.0 == "0s" || d.0 == "0" {
            d.0 = default.to_owned();
        }
    }
    let cc = &mut c.client_connection;
    if cc.content_type.is_empty() {
        cc.content_type = "application/vnd.kubernetes.protobuf".into();
    }
    if cc.qps == 0.0 {
        cc.qps = 50.0;
    }
    if cc.burst == 0 {
        cc.burst = 100;
    }
    c.pod_initial_backoff_seconds.get_or_insert(1);
    c.pod_max_backoff_seconds.get_or_insert(10);
    let profiling = *c.enable_profiling.get_or_insert(true);
    if profiling {
        c.enable_contention_profiling.get_or_insert(true);
    }
}

/// `setDefaults_KubeSchedulerProfile`: the merged plugin sets; the written arguments defaulted; and, for every
/// enabled plugin with an arguments type and none written, its default arguments, in name order.
fn set_profile_defaults(p: &mut KubeSchedulerProfile) {
    let mut plugins = merge_plugins(default_plugins(), p.plugins.take());
    for c in &mut p.plugin_config {
        if let Some(args) = &mut c.decoded {
            default_args(args);
        }
    }
    let written: BTreeSet<String> = p.plugin_config.iter().map(|c| c.name.clone()).collect();
    // `pluginsNames`: every plugin enabled anywhere, in name order.
    let enabled: BTreeSet<String> =
        plugins.sets_mut().into_iter().flat_map(|s| s.enabled.iter().map(|e| e.name.clone())).collect();
    p.plugins = Some(plugins);
    for name in enabled.difference(&written) {
        if let Some(mut args) = empty_args(name) {
            default_args(&mut args);
            p.plugin_config.push(PluginConfig { name: name.clone(), args: serde_json::Value::Null, decoded: Some(args) });
        }
    }
}

/// The empty arguments of a plugin that has an arguments type (`scheme.New(<name>Args)`).
pub fn empty_args(plugin: &str) -> Option<Args> {
    Some(match plugin {
        "DefaultPreemption" => Args::DefaultPreemption(DefaultPreemptionArgs::default()),
        "InterPodAffinity" => Args::InterPodAffinity(InterPodAffinityArgs::default()),
        "NodeAffinity" => Args::NodeAffinity(NodeAffinityArgs::default()),
        "NodeResourcesBalancedAllocation" => Args::NodeResourcesBalancedAllocation(Default::default()),
        "NodeResourcesFit" => Args::NodeResourcesFit(Default::default()),
        "PodTopologySpread" => Args::PodTopologySpread(Default::default()),
        "VolumeBinding" => Args::VolumeBinding(VolumeBindingArgs::default()),
        _ => return None,
    })
}

/// cpu and memory, weight 1 each (`defaultResourceSpec`).
fn default_resources() -> Vec<ResourceSpec> {
    vec![ResourceSpec::new("cpu", 1), ResourceSpec::new("memory", 1)]
}

/// The `SetDefaults_<Kind>Args` functions.
pub fn default_args(args: &mut Args) {
    match args {
        Args::DefaultPreemption(a) => {
            a.min_candidate_nodes_percentage.get_or_insert(10);
            a.min_candidate_nodes_absolute.get_or_insert(100);
        }
        Args::InterPodAffinity(a) => {
            a.hard_pod_affinity_weight.get_or_insert(1);
        }
        Args::NodeAffinity(_) => {}
        Args::NodeResourcesBalancedAllocation(a) => default_balanced_allocation(a),
        Args::NodeResourcesFit(a) => default_fit(a),
        Args::PodTopologySpread(a) => default_topology_spread(a),
        Args::VolumeBinding(a) => {
            a.bind_timeout_seconds.get_or_insert(600);
        }
    }
}

fn default_balanced_allocation(a: &mut NodeResourcesBalancedAllocationArgs) {
    if a.resources.is_empty() {
        a.resources = default_resources();
        return;
    }
    for r in &mut a.resources {
        if r.weight == 0 {
            r.weight = 1;
        }
    }
}

fn default_fit(a: &mut NodeResourcesFitArgs) {
    let s = a
        .scoring_strategy
        .get_or_insert_with(|| ScoringStrategy { type_: LEAST_ALLOCATED.into(), resources: default_resources(), requested_to_capacity_ratio: None });
    if s.resources.is_empty() {
        s.resources = default_resources();
    }
    for r in &mut s.resources {
        if r.weight == 0 {
            r.weight = 1;
        }
    }
}

fn default_topology_spread(a: &mut PodTopologySpreadArgs) {
    if a.defaulting_type.is_empty() {
        a.defaulting_type = SYSTEM_DEFAULTING.into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &PluginSet) -> Vec<&str> {
        s.enabled.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn a_custom_entry_replaces_its_default_in_place_and_others_append() {
        let defaults = PluginSet { enabled: vec![Plugin::named("A"), Plugin::weighted("B", 2), Plugin::named("C")], disabled: vec![] };
        let custom = PluginSet { enabled: vec![Plugin::named("X"), Plugin::weighted("B", 7)], disabled: vec![Plugin::named("C")] };
        let m = merge_plugin_set(defaults, custom);
        assert_eq!(names(&m), ["A", "B", "X"]);
        assert_eq!(m.enabled[1].weight, Some(7));
        assert_eq!(m.disabled, [Plugin::named("C")]);
    }

    #[test]
    fn star_disables_every_default() {
        let defaults = PluginSet { enabled: vec![Plugin::named("A")], disabled: vec![] };
        let custom = PluginSet { enabled: vec![Plugin::named("Z")], disabled: vec![Plugin::weighted("*", 3)] };
        let m = merge_plugin_set(defaults, custom);
        assert_eq!(names(&m), ["Z"]);
        assert_eq!(m.disabled, [Plugin::named("*")], "disabled entries lose their weights");
    }

    #[test]
    fn the_default_profile_takes_every_default_args_kind() {
        let mut c = KubeSchedulerConfiguration::default();
        set_defaults(&mut c);
        let p = &c.profiles[0];
        assert_eq!(p.scheduler_name.as_deref(), Some("default-scheduler"));
        let configured: Vec<&str> = p.plugin_config.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            configured,
            [
                "DefaultPreemption",
                "InterPodAffinity",
                "NodeAffinity",
                "NodeResourcesBalancedAllocation",
                "NodeResourcesFit",
                "PodTopologySpread",
                "VolumeBinding"
            ]
        );
        assert_eq!(c.parallelism, Some(16));
        assert_eq!(c.percentage_of_nodes_to_score, Some(0));
    }
}
