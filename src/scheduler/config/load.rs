//! Reading a `KubeSchedulerConfiguration` document as kube-scheduler reads its `--config` file
//! (`cmd/kube-scheduler/app/options/configfile.go:loadConfig`): the scheme's strict decoder, the plugins'
//! arguments decoded by their kind (`PluginConfig.decodeNestedObjects`), v1 defaulting, then validation.
//! Every failure is kube-scheduler's exact message, with the fields it is about ([`Problem`]) so that a
//! linter or an editor can point at them.

use crate::apiserver::validation::{aggregate, FieldError};
use crate::go::fmt::ADDRESS;
use crate::input::decode::{self, UnknownField};
use crate::input::node::{Node, Value};

use super::args::kind_of;
use super::defaults::{empty_args, set_defaults};
use super::v1::{self, Args};
use super::{validation, KubeSchedulerConfiguration, API_VERSION, KIND};

/// Where kube-scheduler's scheme is registered; its decoder names it in `no kind … is registered` errors.
const SCHEME: &str = "pkg/scheduler/apis/config/scheme/scheme.go:29";

/// Why kube-scheduler refuses a configuration: the message it exits with, and each error under it with the
/// field of the document it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    pub problems: Vec<Problem>,
}

/// One error of a [`ConfigError`]: the JSON path of the field in the document (`profiles[0].pluginConfig[1].args.
/// hardPodAffinityWeight`; empty for the document) and the error's own text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl ConfigError {
    /// An error about one field.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> ConfigError {
        let message = message.into();
        ConfigError { problems: vec![Problem { path: path.into(), message: message.clone() }], message }
    }

    /// Field errors as kube-scheduler aggregates them (`[e1, e2]` for several). kube-scheduler prints real
    /// heap addresses where a message shows a pointer; kubeplan writes `(<pointer>)` there.
    pub fn from_field_errors(errors: &[FieldError]) -> Option<ConfigError> {
        let message = aggregate(errors)?.replace(&format!("({ADDRESS})"), "(<pointer>)");
        let problems = errors.iter().map(|e| Problem { path: e.field.clone(), message: e.to_string() }).collect();
        Some(ConfigError { message, problems })
    }

    /// Prefix the message (not the problems), as Go's `fmt.Errorf("…: %w", err)` wraps an error.
    pub fn wrap(mut self, prefix: &str) -> ConfigError {
        self.message = format!("{prefix}: {}", self.message);
        self
    }
}

/// Decode, default and validate a configuration document.
pub fn load(tree: &Node) -> Result<KubeSchedulerConfiguration, ConfigError> {
    let mut c = decode(tree)?;
    set_defaults(&mut c);
    let c = c.into_internal();
    match ConfigError::from_field_errors(&validation::validate(&c)) {
        Some(e) => Err(e),
        None => Ok(c),
    }
}

/// The scheme's decoder: the version must be served, types must match (the first mismatch stops decoding),
/// and unknown fields — of the configuration, then of each plugin's arguments — are one strict decoding error.
fn decode(tree: &Node) -> Result<v1::KubeSchedulerConfiguration, ConfigError> {
    let api_version = tree.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    if api_version != API_VERSION {
        return Err(ConfigError::at(
            "apiVersion",
            format!("no kind {KIND:?} is registered for version {api_version:?} in scheme {SCHEME:?}"),
        ));
    }
    let (mut c, unknown) = decode::decode::<v1::KubeSchedulerConfiguration>(tree).map_err(|e| ConfigError::at(e.path, e.message))?;
    check_durations(tree, &c)?;
    let mut strict: Vec<Problem> = unknown.iter().map(|u| unknown_field(u, "")).collect();
    for (i, p) in c.profiles.iter_mut().enumerate() {
        for (j, pc) in p.plugin_config.iter_mut().enumerate() {
            let at = format!("profiles[{i}].pluginConfig[{j}]");
            let (args, unknown) = decode_args(tree, &at, &pc.name)?;
            pc.decoded = args;
            if unknown.is_empty() {
                continue;
            }
            let fields: Vec<String> = unknown.iter().map(|u| format!("unknown field {:?}", u.path)).collect();
            let message = format!(
                "decoding .profiles[{i}].pluginConfig[{j}]: strict decoding error: decoding args for plugin {}: strict decoding error: {}",
                pc.name,
                fields.join(", ")
            );
            let path = format!("{at}.args");
            strict.push(Problem { path: unknown_path(&path, &unknown[0]), message });
        }
    }
    if strict.is_empty() {
        return Ok(c);
    }
    let texts: Vec<&str> = strict.iter().map(|p| p.message.as_str()).collect();
    Err(ConfigError { message: format!("strict decoding error: {}", texts.join(", ")), problems: strict })
}

fn unknown_path(base: &str, u: &UnknownField) -> String {
    if base.is_empty() {
        u.path.clone()
    } else {
        format!("{base}.{}", u.path)
    }
}

fn unknown_field(u: &UnknownField, base: &str) -> Problem {
    Problem { path: unknown_path(base, u), message: format!("unknown field {:?}", u.path) }
}

/// `metav1.Duration.UnmarshalJSON`: every duration written must parse (`time.ParseDuration`).
fn check_durations(tree: &Node, c: &v1::KubeSchedulerConfiguration) -> Result<(), ConfigError> {
    let le = &c.leader_election;
    let mut durations: Vec<(String, &str)> = vec![
        ("leaderElection.leaseDuration".into(), le.lease_duration.0.as_str()),
        ("leaderElection.renewDeadline".into(), le.renew_deadline.0.as_str()),
        ("leaderElection.retryPeriod".into(), le.retry_period.0.as_str()),
    ];
    durations.extend(c.extenders.iter().enumerate().map(|(i, e)| (format!("extenders[{i}].httpTimeout"), e.http_timeout.0.as_str())));
    for (path, text) in durations {
        let (_, _, written) = tree.locate(&path);
        if written && crate::api::parse_duration(text).is_none() {
            return Err(ConfigError::at(path, format!("time: invalid duration {}", crate::go::fmt::quote(text))));
        }
    }
    Ok(())
}

/// `PluginConfig.decodeNestedObjects`: the arguments of a plugin that has an arguments kind (`<name>Args`),
/// decoded as that kind (absent arguments are an empty object); others are kept as written. Returns the
/// unknown fields apart: they join the configuration's strict decoding error.
fn decode_args(tree: &Node, at: &str, name: &str) -> Result<(Option<Args>, Vec<UnknownField>), ConfigError> {
    let Some(empty) = empty_args(name) else { return Ok((None, Vec::new())) };
    let path = format!("{at}.args");
    let (node, _, written) = tree.locate(&path);
    let null = Node { value: Value::Null, ..node.clone() };
    let node = if written { node } else { &null };
    let fail = |message: String| {
        let full = format!("decoding .{at}: decoding args for plugin {name}: {message}");
        ConfigError::at(path.clone(), full)
    };
    let kind = node.get("kind").and_then(Node::as_str).unwrap_or("");
    let version = node.get("apiVersion").and_then(Node::as_str).unwrap_or(API_VERSION);
    if version != API_VERSION || !(kind.is_empty() || kind == kind_of(name) || empty_args(kind.trim_end_matches("Args")).is_some()) {
        let shown = if kind.is_empty() { kind_of(name) } else { kind.to_owned() };
        return Err(fail(format!("no kind {shown:?} is registered for version {version:?} in scheme {SCHEME:?}")));
    }
    if !kind.is_empty() && kind != kind_of(name) {
        return Err(ConfigError::at(
            path.clone(),
            format!(
                "decoding .{at}: args for plugin {name} were not of type {}.kubescheduler.config.k8s.io, got {kind}.kubescheduler.config.k8s.io",
                kind_of(name)
            ),
        ));
    }
    fn typed<T: serde::de::DeserializeOwned>(node: &Node, wrap: fn(T) -> Args) -> Result<(Args, Vec<UnknownField>), decode::DecodeError> {
        decode::decode::<T>(node).map(|(v, u)| (wrap(v), u))
    }
    let decoded = match empty {
        Args::DefaultPreemption(_) => typed(node, Args::DefaultPreemption),
        Args::InterPodAffinity(_) => typed(node, Args::InterPodAffinity),
        Args::NodeAffinity(_) => typed(node, Args::NodeAffinity),
        Args::NodeResourcesBalancedAllocation(_) => typed(node, Args::NodeResourcesBalancedAllocation),
        Args::NodeResourcesFit(_) => typed(node, Args::NodeResourcesFit),
        Args::PodTopologySpread(_) => typed(node, Args::PodTopologySpread),
        Args::VolumeBinding(_) => typed(node, Args::VolumeBinding),
    };
    let (args, unknown) = decoded.map_err(|e| fail(e.message))?;
    let unknown = unknown.into_iter().filter(|u| u.path != "apiVersion" && u.path != "kind").collect();
    Ok((Some(args), unknown))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml::{parse_chunk, Chunk};

    fn tree(text: &str) -> Node {
        parse_chunk("f", &Chunk { first_line: 1, text: text.into() }).unwrap().unwrap()
    }

    fn err(text: &str) -> String {
        load(&tree(text)).unwrap_err().message
    }

    const HEAD: &str = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

    #[test]
    fn a_version_kube_scheduler_no_longer_serves_is_not_registered() {
        assert_eq!(
            err("apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n"),
            r#"no kind "KubeSchedulerConfiguration" is registered for version "kubescheduler.config.k8s.io/v1beta3" in scheme "pkg/scheduler/apis/config/scheme/scheme.go:29""#
        );
    }

    #[test]
    fn unknown_fields_of_the_configuration_and_of_arguments_are_one_strict_error() {
        let text = format!(
            "{HEAD}profiles:\n- plugin: {{}}\n  pluginConfig:\n  - name: InterPodAffinity\n    args: {{hardPodAffinityWeigth: 3}}\n"
        );
        let e = load(&tree(&text)).unwrap_err();
        assert_eq!(
            e.message,
            r#"strict decoding error: unknown field "profiles[0].plugin", decoding .profiles[0].pluginConfig[0]: strict decoding error: decoding args for plugin InterPodAffinity: strict decoding error: unknown field "hardPodAffinityWeigth""#
        );
        assert_eq!(e.problems[1].path, "profiles[0].pluginConfig[0].args.hardPodAffinityWeigth");
    }

    #[test]
    fn a_type_error_stops_decoding() {
        assert_eq!(
            err(&format!("{HEAD}parallelism: many\nbogus: 1\n")),
            "json: cannot unmarshal string into Go struct field KubeSchedulerConfiguration.parallelism of type int32"
        );
        assert_eq!(err(&format!("{HEAD}leaderElection: {{leaseDuration: soon}}\n")), r#"time: invalid duration "soon""#);
    }

    #[test]
    fn validation_errors_aggregate() {
        assert_eq!(err(&format!("{HEAD}parallelism: 0\n")), "parallelism: Invalid value: 0: should be an integer value greater than zero");
        assert_eq!(
            err(&format!("{HEAD}percentageOfNodesToScore: 101\nprofiles:\n- schedulerName: a\n- {{}}\n")),
            "[profiles[1].schedulerName: Required value, percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]]"
        );
    }

    #[test]
    fn defaults_fill_arguments_and_weights() {
        let c = load(&tree(&format!("{HEAD}profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy: {{type: MostAllocated, resources: [{{name: cpu}}]}}\n"))).unwrap();
        let p = &c.profiles[0];
        assert_eq!(p.scheduler_name, "default-scheduler");
        let Some(super::super::Args::NodeResourcesFit(fit)) = p.args("NodeResourcesFit") else { panic!("fit args") };
        let s = fit.scoring_strategy.as_ref().unwrap();
        assert_eq!((s.type_.as_str(), s.resources[0].weight), ("MostAllocated", 1));
        assert!(matches!(p.args("DefaultPreemption"), Some(super::super::Args::DefaultPreemption(a)) if a.min_candidate_nodes_absolute == 100));
    }
}
