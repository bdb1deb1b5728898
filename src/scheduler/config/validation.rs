//! Validation of a defaulted configuration (`pkg/scheduler/apis/config/validation/validation.go` and
//! `validation_pluginargs.go`), with kube-scheduler's exact messages. The errors are returned in the order
//! kube-scheduler appends them; `field::aggregate` prints them as it exits with them (`[e1, e2]` for several).
//!
//! Where Go walks a map (the extension points checked for removed plugins), the points are taken in the
//! configuration's field order.

use std::collections::BTreeSet;

use crate::api::core_v1::{NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm, TopologySpreadConstraint};
use crate::apiserver::validation::meta::{is_qualified_name, is_valid_label_value, validate_label_name};
use crate::apiserver::validation::{BadValue, FieldError, Path};
use crate::go::GoValue;

use super::args::{
    DefaultPreemptionArgs, InterPodAffinityArgs, NodeAffinityArgs, NodeResourcesBalancedAllocationArgs, NodeResourcesFitArgs,
    PodTopologySpreadArgs, ResourceSpec, UtilizationShapePoint, VolumeBindingArgs, LEAST_ALLOCATED, LIST_DEFAULTING,
    MOST_ALLOCATED, REQUESTED_TO_CAPACITY_RATIO, SYSTEM_DEFAULTING,
};
use super::{v1, Args, KubeSchedulerConfiguration, KubeSchedulerProfile, PluginSet, Plugins, API_VERSION, MAX_CUSTOM_PRIORITY_SCORE};
use crate::scheduler::framework::ExtensionPoint;

/// Plugins removed from the v1 configuration API (`invalidPluginsByVersion`).
const REMOVED_PLUGINS: [&str; 4] = ["AzureDiskLimits", "CinderLimits", "EBSLimits", "GCEPDLimits"];

/// `ValidateKubeSchedulerConfiguration`.
pub fn validate(c: &KubeSchedulerConfiguration) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if c.client_connection.burst < 0 {
        errs.push(FieldError::invalid(&Path::new("clientConnection").child("burst"), c.client_connection.burst, "must be non-negative"));
    }
    errs.extend(validate_leader_election(&c.leader_election, &Path::new("leaderElection")));
    let le = &c.leader_election;
    if le.leader_elect == Some(true) && le.resource_lock != "leases" {
        errs.push(FieldError::invalid(
            &Path::new("leaderElection").child("resourceLock"),
            le.resource_lock.as_str(),
            r#"resourceLock value must be "leases""#,
        ));
    }
    if c.parallelism <= 0 {
        errs.push(FieldError::invalid(&Path::new("parallelism"), c.parallelism, "should be an integer value greater than zero"));
    }
    let profiles = Path::new("profiles");
    if c.profiles.is_empty() {
        errs.push(FieldError::required(&profiles, ""));
    } else {
        let mut seen: Vec<&str> = Vec::new();
        for (i, p) in c.profiles.iter().enumerate() {
            let path = profiles.index(i);
            errs.extend(validate_profile(&path, p));
            if seen.contains(&p.scheduler_name.as_str()) {
                errs.push(FieldError::duplicate(&path.child("schedulerName"), scheduler_name_path_value()));
            }
            seen.push(&p.scheduler_name);
        }
        errs.extend(validate_common_queue_sort(&profiles, &c.profiles));
    }
    errs.extend(validate_percentage(&Path::new("percentageOfNodesToScore"), Some(c.percentage_of_nodes_to_score)));
    if c.pod_initial_backoff_seconds <= 0 {
        errs.push(FieldError::invalid(&Path::new("podInitialBackoffSeconds"), c.pod_initial_backoff_seconds, "must be greater than 0"));
    }
    if c.pod_max_backoff_seconds < c.pod_initial_backoff_seconds {
        errs.push(FieldError::invalid(
            &Path::new("podMaxBackoffSeconds"),
            c.pod_max_backoff_seconds,
            "must be greater than or equal to PodInitialBackoffSeconds",
        ));
    }
    errs.extend(validate_extenders(&Path::new("extenders"), &c.extenders));
    errs
}

/// `componentbasevalidation.ValidateLeaderElectionConfiguration`.
fn validate_leader_election(le: &v1::LeaderElection, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if le.leader_elect != Some(true) {
        return errs;
    }
    let nanos = |d: &crate::api::Duration| crate::api::parse_duration(&d.0).unwrap_or(0);
    let shown = |d: &crate::api::Duration| BadValue::Stringer(format_duration(nanos(d)));
    for (name, d) in [("leaseDuration", &le.lease_duration), ("renewDeadline", &le.renew_deadline), ("retryPeriod", &le.retry_period)] {
        if nanos(d) <= 0 {
            errs.push(FieldError::invalid(&path.child(name), shown(d), "must be greater than zero"));
        }
    }
    if nanos(&le.lease_duration) <= nanos(&le.renew_deadline) {
        errs.push(FieldError::invalid(&path.child("leaseDuration"), shown(&le.renew_deadline), "LeaseDuration must be greater than RenewDeadline"));
    }
    for (name, v) in [("resourceLock", &le.resource_lock), ("resourceNamespace", &le.resource_namespace), ("resourceName", &le.resource_name)] {
        if v.is_empty() {
            errs.push(FieldError::invalid(&path.child(name), v.as_str(), format!("{name} is required")));
        }
    }
    errs
}

/// `time.Duration.String`: `1h2m3.5s`, `1.5ms`, `0s`.
pub fn format_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let u = nanos.unsigned_abs();
    let fraction = |v: u64, digits: u32| -> String {
        let unit = 10u64.pow(digits);
        let (int, frac) = (v / unit, v % unit);
        if frac == 0 {
            return int.to_string();
        }
        let f = format!("{frac:0width$}", width = digits as usize);
        format!("{int}.{}", f.trim_end_matches('0'))
    };
    if u < 1_000_000_000 {
        let (v, digits, unit) = if u < 1_000 {
            (u, 0, "ns")
        } else if u < 1_000_000 {
            (u, 3, "\u{b5}s")
        } else {
            (u, 6, "ms")
        };
        return format!("{sign}{}{unit}", fraction(v, digits));
    }
    let (h, rest) = (u / 3_600_000_000_000, u % 3_600_000_000_000);
    let (m, rest) = (rest / 60_000_000_000, rest % 60_000_000_000);
    let s = fraction(rest, 9);
    match (h, m) {
        (0, 0) => format!("{sign}{s}s"),
        (0, m) => format!("{sign}{m}m{s}s"),
        (h, m) => format!("{sign}{h}h{m}m{s}s"),
    }
}

/// `validatePercentageOfNodesToScore`.
fn validate_percentage(path: &Path, pct: Option<i32>) -> Vec<FieldError> {
    match pct {
        Some(p) if !(0..=100).contains(&p) => vec![FieldError::invalid(path, p, "not in valid range [0-100]")],
        _ => Vec::new(),
    }
}

/// A `*field.Path` naming a profile's `schedulerName`, as `ErrorBody` prints it: dereferenced, then `%#v`
/// (its parent, the profile's index, stays a pointer).
fn scheduler_name_path_value() -> BadValue {
    BadValue::go(&GoValue::Struct(
        "field.Path",
        vec![
            ("name", GoValue::Str("string", "schedulerName".into())),
            ("index", GoValue::Str("string", "".into())),
            ("parent", GoValue::ptr("*field.Path", Some(GoValue::Struct("field.Path", Vec::new())))),
        ],
    ))
}

/// `validateKubeSchedulerProfile`.
fn validate_profile(path: &Path, p: &KubeSchedulerProfile) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if p.scheduler_name.is_empty() {
        errs.push(FieldError::required(&path.child("schedulerName"), ""));
    }
    errs.extend(validate_percentage(&path.child("percentageOfNodesToScore"), p.percentage_of_nodes_to_score));
    errs.extend(validate_plugin_config(path, p));
    errs
}

/// The message of a removed plugin (`isPluginInvalid`). Kubernetes' table names the version of the removal
/// with the core API's group version (`v1.SchemeGroupVersion` of `k8s.io/api/core/v1`), hence `"v1"`.
fn removed_plugin(name: &str) -> Option<String> {
    REMOVED_PLUGINS
        .contains(&name)
        .then(|| format!("was invalid in version \"v1\" (KubeSchedulerConfiguration is version {API_VERSION:?})"))
}

/// `validatePluginConfig`: removed plugins enabled at an extension point (not `multiPoint`), and each plugin's
/// arguments — duplicates, removed plugins, then the arguments' own rules. NodeResourcesFit's arguments are
/// not checked here (kube-scheduler's table names them `NodeResourcesFitArgs`): its plugin checks them when the
/// profile is built.
fn validate_plugin_config(path: &Path, p: &KubeSchedulerProfile) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let plugins = path.child("plugins");
    for point in ExtensionPoint::ALL {
        let at = plugins.child(Plugins::field(point));
        for (i, plugin) in p.plugins.at(point).enabled.iter().enumerate() {
            if let Some(msg) = removed_plugin(&plugin.name) {
                errs.push(FieldError::invalid(&at.child("enabled").index(i), plugin.name.as_str(), msg));
            }
        }
    }
    let mut seen = BTreeSet::new();
    let plugin_config = path.child("pluginConfig");
    for (i, c) in p.plugin_config.iter().enumerate() {
        let at = plugin_config.index(i);
        if !seen.insert(c.name.as_str()) {
            errs.push(FieldError::duplicate(&at, c.name.as_str()));
        }
        if let Some(msg) = removed_plugin(&c.name) {
            errs.push(FieldError::invalid(&at, c.name.as_str(), msg));
            continue;
        }
        let args = at.child("args");
        errs.extend(match &c.args {
            Args::DefaultPreemption(a) => validate_default_preemption_args(&args, a),
            Args::InterPodAffinity(a) => validate_inter_pod_affinity_args(&args, a),
            Args::NodeAffinity(a) => validate_node_affinity_args(&args, a),
            Args::NodeResourcesBalancedAllocation(a) => validate_balanced_allocation_args(&args, a),
            Args::PodTopologySpread(a) => validate_topology_spread_args(&args, a),
            Args::VolumeBinding(a) => validate_volume_binding_args(&args, a),
            Args::NodeResourcesFit(_) | Args::Unknown(_) => Vec::new(),
        });
    }
    errs
}

/// `validateCommonQueueSort`: every profile has the first one's queueSort plugin set (and its arguments).
fn validate_common_queue_sort(path: &Path, profiles: &[KubeSchedulerProfile]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let canon = &profiles[0].plugins.queue_sort;
    if canon.enabled.len() > 1 {
        errs.push(FieldError::invalid(
            &path.index(0).child("plugins").child("queueSort").child("Enabled"),
            canon.enabled.len(),
            "only one queue sort plugin can be enabled",
        ));
    }
    let name = canon.enabled.first().map(|p| p.name.as_str());
    let args = name.and_then(|n| profiles[0].args(n));
    for (i, p) in profiles.iter().enumerate().skip(1) {
        let curr = &p.plugins.queue_sort;
        if curr != canon {
            errs.push(FieldError::invalid(
                &path.index(i).child("plugins").child("queueSort"),
                plugin_set_value(curr),
                "queueSort must be the same for all profiles",
            ));
        }
        for c in &p.plugin_config {
            if Some(c.name.as_str()) == name && Some(&c.args) != args {
                errs.push(FieldError::invalid(
                    &path.index(i).child("pluginConfig").child("args"),
                    BadValue::Stringer(c.args.to_v1().to_string()),
                    "queueSort must be the same for all profiles",
                ));
            }
        }
    }
    errs
}

/// A `config.PluginSet` as `%#v` prints it.
fn plugin_set_value(s: &PluginSet) -> BadValue {
    let plugins = |list: &[super::Plugin]| {
        GoValue::slice(
            "[]config.Plugin",
            list.iter().map(|p| {
                GoValue::Struct(
                    "config.Plugin",
                    vec![("Name", GoValue::Str("string", p.name.clone().into())), ("Weight", GoValue::Int("int32", i64::from(p.weight)))],
                )
            }),
        )
    };
    BadValue::go(&GoValue::Struct("config.PluginSet", vec![("Enabled", plugins(&s.enabled)), ("Disabled", plugins(&s.disabled))]))
}

/// `validateExtenders`.
fn validate_extenders(path: &Path, extenders: &[v1::Extender]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut binders = 0;
    let mut managed = BTreeSet::new();
    for (i, e) in extenders.iter().enumerate() {
        let at = path.index(i);
        if !e.prioritize_verb.is_empty() && e.weight <= 0 {
            errs.push(FieldError::invalid(&at.child("weight"), e.weight, "must have a positive weight applied to it"));
        }
        if !e.bind_verb.is_empty() {
            binders += 1;
        }
        let managed_resources = at.child("managedResources");
        for (j, r) in e.managed_resources.iter().enumerate() {
            let managed_resource = managed_resources.index(j);
            let name = managed_resource.child("name");
            errs.extend(validate_extended_resource_name(&name, &r.name));
            if !managed.insert(r.name.as_str()) {
                errs.push(FieldError::invalid(&name, r.name.as_str(), "duplicate extender managed resource name"));
            }
        }
    }
    if binders > 1 {
        errs.push(FieldError::invalid(path, format!("found {binders} extenders implementing bind"), "only one extender can implement bind"));
    }
    errs
}

/// `validateExtendedResourceName`.
fn validate_extended_resource_name(path: &Path, name: &str) -> Vec<FieldError> {
    let errs: Vec<FieldError> = is_qualified_name(name).into_iter().map(|m| FieldError::invalid(path, name, m)).collect();
    if !errs.is_empty() {
        return errs;
    }
    if !crate::helpers::resources::is_extended_resource(name) {
        return vec![FieldError::invalid(path, name, "is an invalid extended resource name")];
    }
    Vec::new()
}

/// `ValidateDefaultPreemptionArgs`.
pub fn validate_default_preemption_args(path: &Path, a: &DefaultPreemptionArgs) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let pct = path.child("minCandidateNodesPercentage");
    let abs = path.child("minCandidateNodesAbsolute");
    if !(0..=100).contains(&a.min_candidate_nodes_percentage) {
        errs.push(FieldError::invalid(&pct, a.min_candidate_nodes_percentage, "not in valid range [0, 100]"));
    }
    if a.min_candidate_nodes_absolute < 0 {
        errs.push(FieldError::invalid(&abs, a.min_candidate_nodes_absolute, "not in valid range [0, inf)"));
    }
    if a.min_candidate_nodes_percentage == 0 && a.min_candidate_nodes_absolute == 0 {
        errs.push(FieldError::invalid(&pct, 0, "cannot be zero at the same time as minCandidateNodesAbsolute"));
        errs.push(FieldError::invalid(&abs, 0, "cannot be zero at the same time as minCandidateNodesPercentage"));
    }
    errs
}

/// `ValidateInterPodAffinityArgs`.
pub fn validate_inter_pod_affinity_args(path: &Path, a: &InterPodAffinityArgs) -> Vec<FieldError> {
    let w = a.hard_pod_affinity_weight;
    if (0..=100).contains(&w) {
        return Vec::new();
    }
    vec![FieldError::invalid(&path.child("hardPodAffinityWeight"), w, "not in valid range [0, 100]")]
}

/// `ValidatePodTopologySpreadArgs`.
pub fn validate_topology_spread_args(path: &Path, a: &PodTopologySpreadArgs) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let t = path.child("defaultingType");
    if a.defaulting_type != SYSTEM_DEFAULTING && a.defaulting_type != LIST_DEFAULTING {
        errs.push(FieldError::not_supported(&t, a.defaulting_type.as_str(), &[SYSTEM_DEFAULTING, LIST_DEFAULTING]));
    } else if a.defaulting_type == SYSTEM_DEFAULTING && !a.default_constraints.is_empty() {
        errs.push(FieldError::invalid(&t, a.defaulting_type.as_str(), "when .defaultConstraints are not empty"));
    }
    let list = path.child("defaultConstraints");
    for (i, c) in a.default_constraints.iter().enumerate() {
        let at = list.index(i);
        if c.max_skew <= 0 {
            errs.push(FieldError::invalid(&at.child("maxSkew"), c.max_skew, "not in valid range (0, inf)"));
        }
        let key = at.child("topologyKey");
        if c.topology_key.is_empty() {
            errs.push(FieldError::required(&key, "can not be empty"));
        } else {
            errs.extend(validate_label_name(&c.topology_key, &key));
        }
        let when = at.child("whenUnsatisfiable");
        if c.when_unsatisfiable.is_empty() {
            errs.push(FieldError::required(&when, "can not be empty"));
        } else if c.when_unsatisfiable != "DoNotSchedule" && c.when_unsatisfiable != "ScheduleAnyway" {
            errs.push(FieldError::not_supported(&when, c.when_unsatisfiable.as_str(), &["DoNotSchedule", "ScheduleAnyway"]));
        }
        if c.label_selector.is_some() {
            errs.push(FieldError::forbidden(&at.child("labelSelector"), "constraint must not define a selector, as they deduced for each pod"));
        }
        if let Some(e) = repeated_constraint(&list, &a.default_constraints, i) {
            errs.push(e);
        }
    }
    errs
}

/// `validateConstraintNotRepeat`.
fn repeated_constraint(path: &Path, constraints: &[TopologySpreadConstraint], i: usize) -> Option<FieldError> {
    let c = &constraints[i];
    constraints[..i]
        .iter()
        .any(|o| o.topology_key == c.topology_key && o.when_unsatisfiable == c.when_unsatisfiable)
        .then(|| FieldError::duplicate(&path.index(i), format!("{{{}, {}}}", c.topology_key, c.when_unsatisfiable)))
}

/// `validateFunctionShape`.
fn validate_shape(path: &Path, shape: &[UtilizationShapePoint]) -> Vec<FieldError> {
    if shape.is_empty() {
        return vec![FieldError::required(path, "at least one point must be specified")];
    }
    let mut errs = Vec::new();
    if let Some(i) = (1..shape.len()).find(|&i| shape[i - 1].utilization >= shape[i].utilization) {
        errs.push(FieldError::invalid(
            &path.index(i).child("utilization"),
            shape[i].utilization,
            "utilization values must be sorted in increasing order",
        ));
    }
    for (i, p) in shape.iter().enumerate() {
        if !(0..=100).contains(&p.utilization) {
            errs.push(FieldError::invalid(&path.index(i).child("utilization"), p.utilization, "not in valid range [0, 100]"));
        }
        if !(0..=MAX_CUSTOM_PRIORITY_SCORE).contains(&i64::from(p.score)) {
            errs.push(FieldError::invalid(
                &path.index(i).child("score"),
                p.score,
                format!("not in valid range [0, {MAX_CUSTOM_PRIORITY_SCORE}]"),
            ));
        }
    }
    errs
}

/// `validateResources`: every weight in (0, 100].
fn validate_resources(path: &Path, resources: &[ResourceSpec]) -> Vec<FieldError> {
    resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.weight <= 0 || r.weight > 100)
        .map(|(i, r)| {
            FieldError::invalid(&path.index(i).child("weight"), r.weight, format!("resource weight of {} not in valid range (0, 100]", r.name))
        })
        .collect()
}

/// `ValidateNodeResourcesBalancedAllocationArgs`.
pub fn validate_balanced_allocation_args(path: &Path, a: &NodeResourcesBalancedAllocationArgs) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    let resources = path.child("resources");
    for (i, r) in a.resources.iter().enumerate() {
        let at = resources.index(i);
        if !seen.insert(r.name.as_str()) {
            errs.push(FieldError::duplicate(&at.child("name"), r.name.as_str()));
        }
        if r.weight != 1 {
            errs.push(FieldError::invalid(&at.child("weight"), r.weight, "must be 1"));
        }
    }
    errs
}

/// `ValidateNodeAffinityArgs`: the added affinity parses as the scheduler's node selector and preferred terms
/// (`nodeaffinity.NewNodeSelector`, `NewPreferredSchedulingTerms`).
pub fn validate_node_affinity_args(path: &Path, a: &NodeAffinityArgs) -> Vec<FieldError> {
    let Some(affinity) = &a.added_affinity else { return Vec::new() };
    let added = path.child("addedAffinity");
    let mut errs = Vec::new();
    if let Some(ns) = affinity.required_during_scheduling_ignored_during_execution.as_deref() {
        errs.extend(node_selector_errors(&added.child("requiredDuringSchedulingIgnoredDuringExecution"), ns));
    }
    errs.extend(preferred_terms_errors(
        &added.child("preferredDuringSchedulingIgnoredDuringExecution"),
        &affinity.preferred_during_scheduling_ignored_during_execution,
    ));
    errs
}

fn empty_term(t: &NodeSelectorTerm) -> bool {
    t.match_expressions.is_empty() && t.match_fields.is_empty()
}

/// `NewLazyErrorNodeSelector`'s parse errors.
fn node_selector_errors(path: &Path, ns: &NodeSelector) -> Vec<FieldError> {
    let terms = path.child("nodeSelectorTerms");
    ns.node_selector_terms.iter().enumerate().filter(|(_, t)| !empty_term(t)).flat_map(|(i, t)| term_errors(&terms.index(i), t)).collect()
}

/// `NewPreferredSchedulingTerms`' parse errors (terms with weight 0 or no requirements are skipped).
fn preferred_terms_errors(path: &Path, terms: &[PreferredSchedulingTerm]) -> Vec<FieldError> {
    terms
        .iter()
        .enumerate()
        .filter(|(_, t)| t.weight != 0 && !empty_term(&t.preference))
        .flat_map(|(i, t)| term_errors(&path.index(i), &t.preference))
        .collect()
}

/// `newNodeSelectorTerm`'s parse errors.
fn term_errors(path: &Path, t: &NodeSelectorTerm) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let exprs = path.child("matchExpressions");
    for (i, r) in t.match_expressions.iter().enumerate() {
        errs.extend(label_requirement_errors(&exprs.index(i), r));
    }
    let fields = path.child("matchFields");
    for (i, r) in t.match_fields.iter().enumerate() {
        let at = fields.index(i);
        match r.operator.as_str() {
            "In" | "NotIn" if r.values.len() != 1 => {
                errs.push(FieldError::invalid(&at.child("values"), strings_value(&r.values), "must have one element"));
            }
            "In" | "NotIn" => {}
            op => errs.push(FieldError::not_supported(&at.child("operator"), op, &["In", "NotIn"])),
        }
    }
    errs
}

/// `nodeSelectorRequirementsAsSelector` and `labels.NewRequirement` for one requirement.
fn label_requirement_errors(path: &Path, r: &NodeSelectorRequirement) -> Vec<FieldError> {
    const OPERATORS: [&str; 6] = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];
    if !OPERATORS.contains(&r.operator.as_str()) {
        return vec![FieldError::not_supported(&path.child("operator"), r.operator.as_str(), &OPERATORS)];
    }
    let mut errs = Vec::new();
    let key_errors = is_qualified_name(&r.key);
    if !key_errors.is_empty() {
        errs.push(FieldError::invalid(&path.child("key"), r.key.as_str(), key_errors.join("; ")));
    }
    let values = path.child("values");
    match r.operator.as_str() {
        "In" | "NotIn" if r.values.is_empty() => {
            errs.push(FieldError::invalid(&values, strings_value(&r.values), "for 'in', 'notin' operators, values set can't be empty"));
        }
        "Exists" | "DoesNotExist" if !r.values.is_empty() => {
            errs.push(FieldError::invalid(&values, strings_value(&r.values), "values set must be empty for exists and does not exist"));
        }
        "Gt" | "Lt" => {
            if r.values.len() != 1 {
                errs.push(FieldError::invalid(&values, strings_value(&r.values), "for 'Gt', 'Lt' operators, exactly one value is required"));
            }
            for (i, v) in r.values.iter().enumerate() {
                if v.parse::<i64>().is_err() {
                    errs.push(FieldError::invalid(&values.index(i), v.as_str(), "for 'Gt', 'Lt' operators, the value must be an integer"));
                }
            }
        }
        _ => {}
    }
    for (i, v) in r.values.iter().enumerate() {
        let value_errors = is_valid_label_value(v);
        if !value_errors.is_empty() {
            errs.push(FieldError::invalid(&values.index(i).key(&r.key), v.as_str(), value_errors.join("; ")));
        }
    }
    errs
}

fn strings_value(values: &[String]) -> BadValue {
    BadValue::go(&GoValue::slice("[]string", values.iter().map(|v| GoValue::Str("string", v.clone().into()))))
}

/// `ValidateVolumeBindingArgs` with the VolumeCapacityPriority feature off (v1.32's default): no shape.
pub fn validate_volume_binding_args(path: &Path, a: &VolumeBindingArgs) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if a.bind_timeout_seconds < 0 {
        errs.push(FieldError::invalid(
            &path.child("bindTimeoutSeconds"),
            a.bind_timeout_seconds,
            "invalid BindTimeoutSeconds, should not be a negative value",
        ));
    }
    if !a.shape.is_empty() {
        let shape = a.shape.iter().map(|p| {
            GoValue::Struct(
                "config.UtilizationShapePoint",
                vec![("Utilization", GoValue::Int("int32", i64::from(p.utilization))), ("Score", GoValue::Int("int32", i64::from(p.score)))],
            )
        });
        errs.push(FieldError::invalid(
            &path.child("shape"),
            BadValue::go(&GoValue::slice("[]config.UtilizationShapePoint", shape)),
            "unexpected field `shape`, remove it or turn on the feature gate VolumeCapacityPriority",
        ));
    }
    errs
}

/// `ValidateNodeResourcesFitArgs`, which NodeResourcesFit runs when the profile is built (with no path).
pub fn validate_fit_args(path: &Path, a: &NodeResourcesFitArgs) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, r) in a.ignored_resources.iter().enumerate() {
        errs.extend(validate_label_name(r, &path.child("ignoredResources").index(i)));
    }
    let ignored_resource_groups = path.child("ignoredResourceGroups");
    for (i, g) in a.ignored_resource_groups.iter().enumerate() {
        let at = ignored_resource_groups.index(i);
        if g.contains('/') {
            errs.push(FieldError::invalid(&at, g.as_str(), "resource group name can't contain '/'"));
        }
        errs.extend(validate_label_name(g, &at));
    }
    if let Some(s) = &a.scoring_strategy {
        let at = path.child("scoringStrategy");
        const TYPES: [&str; 3] = [LEAST_ALLOCATED, MOST_ALLOCATED, REQUESTED_TO_CAPACITY_RATIO];
        if !TYPES.contains(&s.type_.as_str()) {
            errs.push(FieldError::not_supported(&at.child("type"), s.type_.as_str(), &TYPES));
        }
        errs.extend(validate_resources(&at.child("resources"), &s.resources));
        if let Some(r) = &s.requested_to_capacity_ratio {
            errs.extend(validate_shape(&at.child("shape"), &r.shape));
        }
    }
    errs
}
