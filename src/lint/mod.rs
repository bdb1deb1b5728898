//! Lint: what the API server would reject, located on the offending field; traps it would accept; and, given
//! the cluster's nodes, what the scheduler and the controllers would do with the manifests.
//!
//! Findings come from four places, each finding with a stable rule id ([`rules::RULES`]):
//!
//! - reading the files ([`crate::input`]): syntax, types, kinds, removed API versions, unknown fields;
//! - the API server ([`apiserver`]): the objects are applied in file order as `kubectl apply -f` would (a
//!   second copy of an object is an update of the first), and every field error of validation and every
//!   admission refusal becomes one finding at its field, with the API server's exact message;
//! - traps ([`traps`]): manifests the API server accepts that do not do what their authors expect;
//! - the chart ([`chart`]): references between the objects that resolve to nothing (selectors no pod
//!   matches, port names no container declares, objects the input does not hold);
//! - the cluster ([`cluster`]), with `--nodes`: the plan of the manifests on those nodes, its Pending pods and
//!   idle DaemonSets located on the workload's relevant field.
//!
//! [`render`] turns a report into text, JSON, SARIF, GitHub annotations, JUnit XML or LSP diagnostics.

mod apiserver;
mod chart;
mod cluster;
pub mod locate;
pub mod render;
pub mod rules;
mod traps;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::api::scheduling_v1::PriorityClass;
use crate::api::{GroupKind, Object};
use crate::diag::{Severity, Span};
use crate::facade::ExitCode;
use crate::input::{self, Loaded, Manifest, Source};
use crate::scheduler::configuration::Configured;

pub use render::{render, Format};

/// Options for a lint run.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Kept for compatibility: unknown and repeated fields are always errors, as kubectl's default strict field
    /// validation (`--validate=strict`) has the API server refuse them.
    pub strict: bool,
    /// The cluster's nodes (files as `kubectl get nodes -o yaml` prints them). When given, the manifests are
    /// planned on them and the plan's problems are reported too.
    pub nodes: Vec<Source>,
    /// The input is the whole cluster: an object a pod names that the input does not hold is an error, not a
    /// note that the cluster may have it.
    pub closed_world: bool,
    /// What planning on the nodes may cost (`--max-pods`, `--max-objects`, `--max-rounds`).
    pub budget: crate::facade::Budget,
    /// kubectl's `-n/--namespace`: where namespaced objects that name no namespace go; one that names another is
    /// an error ([`input::load_in`]). `None`: `default`.
    pub namespace: Option<String>,
}

/// One finding: a stable rule id, a severity, the range of the offending field, a message and, where one
/// exists, a suggested fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub file: String,
    pub span: Span,
    pub message: String,
    /// The object the finding is about, as `Kind namespace/name` (or `Kind name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The API field path the finding is about, e.g. `spec.template.spec.restartPolicy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// Other places that explain the finding (the Service a StatefulSet names, a namespace annotation, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub related: Vec<Related>,
}

/// A suggested fix: what to do, and the text edits that do it where they can be written down.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct Fix {
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub edits: Vec<Edit>,
}

/// Replace the text of `span` in `file` with `text` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct Edit {
    pub file: String,
    pub span: Span,
    pub text: String,
}

/// Another location that explains a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct Related {
    pub file: String,
    pub span: Span,
    pub message: String,
}

impl Finding {
    fn new(rule: &'static str, file: &str, span: Span, message: impl Into<String>) -> Finding {
        let severity = rules::find(rule).map_or(Severity::Error, |r| r.severity);
        Finding {
            rule,
            severity,
            file: file.to_owned(),
            span,
            message: message.into(),
            object: None,
            field: None,
            fix: None,
            related: Vec::new(),
        }
    }

    /// A finding about the field at `path` of a manifest, located on that field.
    fn at(rule: &'static str, m: &Manifest, path: &str, message: impl Into<String>) -> Finding {
        let mut f = Finding::new(rule, &m.file, locate::field_span(m, path), message);
        f.object = Some(object_name(&m.object));
        f.field = (!path.is_empty()).then(|| path.to_owned());
        f
    }

    fn with_fix(mut self, description: impl Into<String>, edits: Vec<Edit>) -> Finding {
        self.fix = Some(Fix { description: description.into(), edits });
        self
    }

    fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }
}

/// `Kind namespace/name`, or `Kind name` for cluster-scoped kinds.
pub fn object_name(o: &Object) -> String {
    let m = o.meta();
    if o.namespaced() && !m.namespace.is_empty() {
        format!("{} {}/{}", o.kind(), m.namespace, m.name)
    } else {
        format!("{} {}", o.kind(), m.name)
    }
}

/// An object that was linted, for reports that list what was checked (JUnit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Checked {
    pub file: String,
    pub object: String,
    pub span: Span,
}

/// What a lint run found, and what it looked at.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LintReport {
    pub findings: Vec<Finding>,
    /// Every object read, in input order.
    pub objects: Vec<Checked>,
}

impl LintReport {
    /// The number of findings at or above `severity`.
    pub fn count_at_least(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity >= severity).count()
    }

    /// How `kubeplan lint` ends: unusable when some input could not be read as objects (the errors for which
    /// `plan` exits 2: syntax, types, kinds), else with findings when some finding is at or above `fail_on`.
    /// Unknown fields (the API server decides on them) and a refused scheduler configuration (a plan reports
    /// it and runs on the default one) are findings, as `plan` counts them.
    pub fn exit_code(&self, fail_on: Severity) -> ExitCode {
        let unusable = |f: &Finding| {
            f.severity == Severity::Error
                && !matches!(f.rule, "unknown-field" | "scheduler-config")
                && rules::find(f.rule).is_some_and(|r| r.origin == rules::Origin::Input)
        };
        if self.findings.iter().any(unusable) {
            ExitCode::Unusable
        } else {
            ExitCode::findings_if(self.count_at_least(fail_on) > 0)
        }
    }
}

/// What every check sees: the objects read, and indexes over them.
pub(crate) struct Context<'a> {
    /// Objects kubectl would apply, in input order.
    pub manifests: &'a [Manifest],
    /// Objects in removed API versions, read as the current version.
    pub removed: Vec<&'a Manifest>,
    /// Node objects from the manifests and from `--nodes`.
    pub nodes: Vec<&'a crate::api::core_v1::Node>,
    pub services: HashMap<(&'a str, &'a str), &'a Manifest>,
    pub namespaces: HashMap<&'a str, &'a Manifest>,
    pub priority_classes: BTreeMap<String, PriorityClass>,
    /// Sources by name, for edits that depend on the text around a node.
    pub texts: HashMap<&'a str, &'a str>,
    /// Line indexes of the sources, made when first needed (most files need none).
    indexes: std::cell::RefCell<HashMap<&'a str, std::rc::Rc<locate::LineIndex<'a>>>>,
    /// The scheduler profiles kube-scheduler runs: those of the files' configuration when it is valid, else the
    /// default configuration's.
    pub scheduler_profiles: Vec<String>,
}

impl<'a> Context<'a> {
    fn new(
        loaded: &'a Loaded,
        nodes: Option<&'a Loaded>,
        texts: HashMap<&'a str, &'a str>,
        scheduler_profiles: Vec<String>,
    ) -> Context<'a> {
        let mut ctx = Context {
            manifests: &loaded.manifests,
            removed: loaded.removed.iter().map(|r| &r.manifest).collect(),
            nodes: Vec::new(),
            services: HashMap::new(),
            namespaces: HashMap::new(),
            priority_classes: BTreeMap::new(),
            texts,
            indexes: Default::default(),
            scheduler_profiles,
        };
        let node_manifests = nodes.map(|l| l.manifests.as_slice()).unwrap_or(&[]);
        for m in node_manifests.iter().chain(&loaded.manifests) {
            match &m.object {
                Object::Node(n) => ctx.nodes.push(n),
                Object::Service(s) => {
                    ctx.services.insert((&s.metadata.namespace, &s.metadata.name), m);
                }
                Object::Namespace(ns) => {
                    ctx.namespaces.insert(&ns.metadata.name, m);
                }
                Object::PriorityClass(pc) => {
                    ctx.priority_classes.insert(pc.metadata.name.clone(), (**pc).clone());
                }
                _ => {}
            }
        }
        ctx
    }

    /// Every object as its author wrote it: the applied ones and those in removed versions.
    fn all(&self) -> impl Iterator<Item = &'a Manifest> + '_ {
        self.manifests.iter().chain(self.removed.iter().copied())
    }

    fn text(&self, file: &str) -> Option<&'a str> {
        self.texts.get(file).copied()
    }

    /// The line index of a source, made once per run.
    fn index(&self, file: &str) -> Option<std::rc::Rc<locate::LineIndex<'a>>> {
        let (name, text) = self.texts.get_key_value(file).map(|(k, v)| (*k, *v))?;
        let ix = self.indexes.borrow_mut().entry(name).or_insert_with(|| std::rc::Rc::new(locate::LineIndex::new(text))).clone();
        Some(ix)
    }
}

/// The scheduler's configuration as kube-scheduler reads it: each error of decoding, validation or building a
/// profile at its field, with kube-scheduler's message; a second configuration document is refused.
fn scheduler_configuration(configured: &Configured, out: &mut Vec<Finding>) {
    for r in &configured.refusals {
        for e in &r.errors {
            let mut f = Finding::new("scheduler-config", &r.file, e.span, e.message.clone());
            f.object = Some(crate::scheduler::config::KIND.to_owned());
            f.field = (!e.path.is_empty()).then(|| e.path.clone());
            out.push(f);
        }
    }
}

/// Lint manifests.
pub fn lint(sources: &[Source], options: &LintOptions) -> LintReport {
    let loaded = load(sources, options.namespace.as_deref());
    let nodes = (!options.nodes.is_empty()).then(|| input::load(&options.nodes));
    let texts: HashMap<&str, &str> =
        sources.iter().chain(&options.nodes).map(|s| (s.name.as_str(), s.text.as_str())).collect();
    let mut findings = Vec::new();
    input_findings(&loaded, &mut findings);
    let configured = crate::scheduler::configuration::configure(&loaded.scheduler_configurations);
    scheduler_configuration(&configured, &mut findings);
    if let Some(n) = &nodes {
        input_findings(n, &mut findings);
    }
    let profiles = configured.profiles.unwrap_or_default().iter().map(|f| f.profile_name().to_owned()).collect();
    let ctx = Context::new(&loaded, nodes.as_ref(), texts, profiles);
    let template_refusals = apiserver::check(&ctx, &mut findings);
    traps::check(&ctx, &mut findings);
    chart::check(&ctx, options.closed_world, &mut findings);
    if nodes.is_some() {
        cluster::check(&ctx, sources, options, &template_refusals, &mut findings);
    }
    let order: HashMap<&str, usize> =
        sources.iter().chain(&options.nodes).enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    findings.sort_by(|a, b| {
        let fa = order.get(a.file.as_str()).copied().unwrap_or(usize::MAX);
        let fb = order.get(b.file.as_str()).copied().unwrap_or(usize::MAX);
        (fa, &a.file, a.span.start, a.rule, &a.message).cmp(&(fb, &b.file, b.span.start, b.rule, &b.message))
    });
    findings.dedup_by(|a, b| a.rule == b.rule && a.file == b.file && a.span == b.span && a.message == b.message);
    let objects = loaded
        .manifests
        .iter()
        .chain(loaded.removed.iter().map(|r| &r.manifest))
        .map(|m| Checked { file: m.file.to_string(), object: object_name(&m.object), span: locate::object_span(&m.tree) })
        .collect();
    LintReport { findings, objects }
}

/// Read the sources, several files at once where threads exist. Each file is read on its own, so reading them
/// in parallel and joining the results in input order gives exactly what [`input::load`] gives.
fn load(sources: &[Source], namespace: Option<&str>) -> Loaded {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(sources.len());
        if threads > 1 {
            let chunk = sources.len().div_ceil(threads);
            let parts: Vec<Loaded> = std::thread::scope(|s| {
                let handles: Vec<_> = sources.chunks(chunk).map(|c| s.spawn(move || input::load_in(c, namespace))).collect();
                handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
            });
            let mut all = Loaded::default();
            for p in parts {
                all.extend(p);
            }
            return all;
        }
    }
    input::load_in(sources, namespace)
}

/// Problems met reading the files. `unknown-field` findings carry a suggestion; removed API versions a fix.
fn input_findings(loaded: &Loaded, out: &mut Vec<Finding>) {
    let removed_at: Vec<(&str, Span)> =
        loaded.removed.iter().map(|r| (&*r.manifest.file, api_version_span(&r.manifest))).collect();
    for d in &loaded.diagnostics {
        match d.code {
            // Built-in kinds kubeplan does not model (ConfigMap, Secret, ...): nothing to say about them.
            "ignored-kind" => continue,
            "unknown-field" => continue,
            "unknown-api-version" if removed_at.contains(&(d.file.as_str(), d.span)) => continue,
            _ => {}
        }
        out.push(Finding::new(d.code, &d.file, d.span, d.message.clone()).with_severity(d.severity));
    }
    for (file, u) in &loaded.unknown_fields {
        out.push(unknown_field(file, u));
    }
    for r in &loaded.removed {
        out.push(removed_version(r));
    }
}

/// An unknown or repeated field: the API server refuses the object with a strict decoding error, as kubectl asks
/// it to by default. A close known name is suggested (and offered as the fix).
fn unknown_field(file: &Arc<str>, u: &input::decode::UnknownField) -> Finding {
    let name = u.path.rsplit('.').next().unwrap_or(&u.path);
    if let Some(first) = u.duplicate_of {
        // The API server's words (sigs.k8s.io/json's strict decoding: `duplicate field "metadata.name"`), and both
        // places: the value read is the first one.
        let message = format!(
            "duplicate field \"{}\" (first written at line {}, column {}): kubectl's strict field validation (the \
             default) refuses the object",
            u.path, first.start.line, first.start.col
        );
        let mut f = Finding::new("unknown-field", file, u.span, message);
        f.field = Some(u.path.clone());
        return f.with_fix("remove one of the two", Vec::new());
    }
    let suggestion = suggest(name, u.expected);
    let mut message = format!("unknown field \"{}\": kubectl's strict field validation (the default) refuses the object", u.path);
    if let Some(s) = suggestion {
        message.push_str(&format!("; did you mean \"{s}\"?"));
    }
    let mut f = Finding::new("unknown-field", file, u.span, message);
    f.field = Some(u.path.clone());
    match suggestion {
        Some(s) => f.with_fix(format!("rename the field to \"{s}\""), vec![Edit { file: file.to_string(), span: u.span, text: s.to_owned() }]),
        None => f.with_fix("remove the field, or move it to where it belongs", Vec::new()),
    }
}

/// The closest known field name: a different case, or at most two edits away for names of four letters or more.
fn suggest<'e>(name: &str, expected: &[&'e str]) -> Option<&'e str> {
    if let Some(s) = expected.iter().find(|e| e.eq_ignore_ascii_case(name)) {
        return Some(s);
    }
    let limit = if name.chars().count() >= 4 { 2 } else { 1 };
    expected
        .iter()
        .map(|e| (strsim::levenshtein(&e.to_lowercase(), &name.to_lowercase()), *e))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, e)| e)
}

fn api_version_span(m: &Manifest) -> Span {
    m.tree.get("apiVersion").map_or(m.tree.span, |n| n.span)
}

fn removed_version(r: &input::RemovedVersion) -> Finding {
    let m = &r.manifest;
    let gk = m.object.group_kind();
    let current = gk.api_version();
    let mut message = format!(
        "{} {:?}: apiVersion {} was removed in Kubernetes {}; v1.32 serves {} only as {current}",
        gk.kind(),
        m.object.meta().name,
        r.api_version,
        r.removed_in,
        gk.kind()
    );
    if m.tree.get("spec").and_then(|s| s.get("selector")).is_none() && matches!(gk, GroupKind::DaemonSet | GroupKind::Deployment | GroupKind::ReplicaSet | GroupKind::StatefulSet) {
        message.push_str(" (which also requires spec.selector, no longer defaulted from the template labels)");
    }
    let span = api_version_span(m);
    Finding::at("removed-api-version", m, "apiVersion", message)
        .with_fix(format!("use apiVersion: {current}"), vec![Edit { file: m.file.to_string(), span, text: current.to_owned() }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_names() {
        let fields: &[&str] = &["tolerations", "nodeSelector", "containers", "hostPID"];
        assert_eq!(suggest("toleration", fields), Some("tolerations"));
        assert_eq!(suggest("nodeselector", fields), Some("nodeSelector"));
        assert_eq!(suggest("hostPid", fields), Some("hostPID"));
        assert_eq!(suggest("priority", fields), None);
    }
}
