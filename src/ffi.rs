//! The facade as a binding sees it: the calls a foreign host makes and the answers it gets, as plain serde data,
//! shared by every binding (the model of cedar-policy's `ffi` module). A binding turns its host's values into
//! JSON values, reads the arguments with [`argument`] and [`options`], calls [`plan`], [`plan_json`] or
//! [`lint`], and hands the answer back; the npm package's TypeScript types are generated from these types by
//! tsify (with the `wasm` feature).
//!
//! Nothing here fails: a bad argument or a failed call is an answer too, carrying a [`KubeplanError`].

use std::collections::HashMap;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diag::{Diagnostic, Severity};
use crate::facade::report::Rejection;
use crate::facade::{self, ExitCode, PlanReport};
use crate::input::Source;
pub use crate::input::ParseCache;
use crate::lint::{Finding, LintReport};

/// The names given to texts passed without one, as they appear in messages.
const MANIFEST_NAME: &str = "manifest.yaml";
const UPDATE_NAME: &str = "update.yaml";
const STEPS_NAME: &str = "steps.yaml";
const NODES_NAME: &str = "nodes.yaml";

#[cfg(feature = "wasm")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TS_HAND_WRITTEN: &'static str = r#"
/** `resource.Quantity` as JSON: `"100m"`, `"1Gi"`. */
export type Quantity = string;
/** `intstr.IntOrString`: `3` or `"25%"`. */
export type IntOrString = number | string;
/** `metav1.Time`: RFC 3339 text, or `null` for Go's zero time. */
export type Time = string | null;
/** `metav1.Duration`: Go duration text such as `"1m30s"`. */
export type Duration = string;
/** Raw JSON kept as is (`runtime.RawExtension`, `metav1.FieldsV1`). */
export type RawJson = unknown;
/** `[]byte` (Secret `data`, ConfigMap `binaryData`): standard base64 text. */
export type Bytes = string;

/** A position in a document as the Language Server Protocol counts: zero-based line, UTF-16 character. */
export interface LspPosition { line: number; character: number }
/** An LSP `Diagnostic` (what `kubeplan lsp` publishes and `lint().diagnostics` holds). */
export interface LspDiagnostic {
    range: { start: LspPosition; end: LspPosition };
    /** 1 error, 2 warning, 3 information. */
    severity: 1 | 2 | 3;
    /** The rule id. */
    code: string;
    source: "kubeplan";
    message: string;
    relatedInformation?: { location: { uri: string; range: { start: LspPosition; end: LspPosition } }; message: string }[];
    /** The suggested fix, when there is one. */
    data?: { fix: string };
}
"#;

// ---------------------------------------------------------------- calls

/// A named text: a file's path (as it should appear in messages) and its contents.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    pub name: String,
    pub text: String,
}

/// Manifests: YAML or JSON text (given a default name in messages), one named file, or several.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(type = "string | InputFile | InputFile[]"))]
pub struct Manifests(pub Vec<Source>);

impl Manifests {
    /// The texts, those passed without a name named `name`.
    fn named(self, name: &str) -> Vec<Source> {
        self.0.into_iter().map(|s| if s.name.is_empty() { Source::new(name, s.text) } else { s }).collect()
    }
}

impl<'de> Deserialize<'de> for Manifests {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Manifests;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("manifest text, an InputFile {name, text} or an array of them")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Manifests, E> {
                Ok(Manifests(vec![Source::new("", s)]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Manifests, A::Error> {
                let mut out = Vec::new();
                while let Some(f) = seq.next_element::<InputFile>()? {
                    out.push(Source::new(f.name, f.text));
                }
                Ok(Manifests(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Manifests, A::Error> {
                let f = InputFile::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Manifests(vec![Source::new(f.name, f.text)]))
            }
        }
        d.deserialize_any(V)
    }
}

/// A full request: the manifests, and optionally the cluster's `nodes` (applied first), an `update` (applied
/// as updates of the same objects once the cluster settled, as `--update`), `steps` (a steps file, as
/// `--steps`) and the `files` its `apply` steps name.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    pub manifests: Manifests,
    #[serde(default)]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub nodes: Option<Manifests>,
    #[serde(default)]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub update: Option<Manifests>,
    #[serde(default)]
    #[cfg_attr(feature = "wasm", tsify(optional, type = "string | InputFile"))]
    pub steps: Option<Manifests>,
    #[serde(default)]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub files: Option<Manifests>,
}

/// What `plan` takes: manifests (see [`Manifests`]) or a full [`PlanRequest`] (an object with `manifests`).
#[derive(Clone, Debug)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(type = "string | InputFile | InputFile[] | PlanRequest"))]
pub struct PlanInput(pub PlanRequest);

impl<'de> Deserialize<'de> for PlanInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let request = if v.get("manifests").is_some() {
            PlanRequest::deserialize(v)
        } else {
            Manifests::deserialize(v).map(|manifests| PlanRequest { manifests, nodes: None, update: None, steps: None, files: None })
        };
        request.map(PlanInput).map_err(de::Error::custom)
    }
}

/// Options of `plan`.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct PlanOptions {
    /// Keep every examined node's verdict in `placements[].rejected`.
    pub verdicts: bool,
    /// A lean document, for a view of the whole cluster: each pod with its identity, owners, node, scheduler,
    /// priority, containers (name, image, resources), phase, reason, nominated node and conditions only, placements
    /// without their per-node `scores` (see [`crate::output::json::Detail::Lean`]). `planJson`'s text is then no
    /// longer the CLI's.
    pub lean: bool,
    /// Parse only what changed since the last incremental plan: the documents whose file, first line and text are
    /// the same are read as that plan read them, and this plan's are kept for the next (a shell that plans again at
    /// every edit, the playground). The answer is the same either way; what is kept (up to 8 MB of documents) stays
    /// in memory until then. Honoured by the shells that keep a [`ParseCache`] between calls (the WebAssembly
    /// binding).
    pub incremental: bool,
    /// Admit pods as a v1.32 kubelet does (`--kubelet-admission`): a pod naming a node it does not fit is Failed.
    pub kubelet_admission: bool,
    /// Pods the workloads may ask for in all (`--max-pods`; default 200000). See [`facade::Budget`].
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub max_pods: Option<u64>,
    /// Input objects applied in all phases (`--max-objects`; default 250000).
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub max_objects: Option<u64>,
    /// Rounds one phase may run (`--max-rounds`; default 10000).
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub max_rounds: Option<u32>,
    /// kubectl's `-n/--namespace`: namespaced objects that name no namespace go to it, and one that names
    /// another is refused with kubectl's message. Unset: `default`.
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub namespace: Option<String>,
}

impl PlanOptions {
    /// How much of each pod and placement the document carries.
    fn detail(&self) -> crate::output::json::Detail {
        if self.lean {
            crate::output::json::Detail::Lean
        } else {
            crate::output::json::Detail::Full
        }
    }
}

/// Options of `lint`.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct LintOptions {
    /// Accepted for compatibility and ignored: unknown and repeated fields are always errors, as kubectl's
    /// default strict field validation (`--validate=strict`) has the API server refuse them.
    pub strict: bool,
    /// The manifests are the whole cluster (`kubeplan lint --closed-world`): a ConfigMap, Secret,
    /// ServiceAccount or claim a pod needs that they do not hold is an error instead of a note.
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub closed_world: bool,
    /// The cluster's nodes (`kubectl get nodes -o yaml`): the manifests are planned on them and the plan's
    /// problems are reported on the manifests too (`kubeplan lint --nodes`).
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub nodes: Option<Manifests>,
    /// As [`PlanOptions::max_pods`], for the plan on `nodes`.
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub max_pods: Option<u64>,
    /// As [`PlanOptions::max_objects`].
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub max_objects: Option<u64>,
    /// As [`PlanOptions::max_rounds`].
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub max_rounds: Option<u32>,
    /// As [`PlanOptions::namespace`] (`kubeplan lint -n`).
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub namespace: Option<String>,
}

/// The budget the options `maxPods`, `maxObjects` and `maxRounds` give; what is unset keeps the default.
fn budget(max_pods: Option<u64>, max_objects: Option<u64>, max_rounds: Option<u32>) -> facade::Budget {
    let default = facade::Budget::default();
    facade::Budget {
        pods: max_pods.unwrap_or(default.pods),
        objects: max_objects.unwrap_or(default.objects),
        rounds: max_rounds.unwrap_or(default.rounds),
    }
}

impl PlanInput {
    /// The facade's request for these inputs and options.
    fn into_request(self, options: PlanOptions) -> facade::PlanRequest {
        let PlanRequest { manifests, nodes, update, steps, files } = self.0;
        facade::PlanRequest {
            nodes: nodes.map(|n| n.named(NODES_NAME)).unwrap_or_default(),
            manifests: manifests.named(MANIFEST_NAME),
            update: update.map(|u| u.named(UPDATE_NAME)).unwrap_or_default(),
            steps: steps.and_then(|s| s.named(STEPS_NAME).into_iter().next()),
            files: files.map(|f| f.0).unwrap_or_default(),
            options: facade::PlanOptions {
                verdicts: options.verdicts,
                kubelet_admission: options.kubelet_admission,
                budget: budget(options.max_pods, options.max_objects, options.max_rounds),
                namespace: options.namespace,
                ..Default::default()
            },
        }
    }
}

/// Read an argument from its JSON value. Going through a self-describing value matters: a binding's own
/// deserializer may look up only the fields a struct knows, so a misspelt option would pass unnoticed.
pub fn argument<T: DeserializeOwned>(what: &str, value: Value) -> Result<T, KubeplanError> {
    T::deserialize(value).map_err(|e| KubeplanError::invalid_argument(what, e))
}

/// Read options: absent (`null`) means the defaults.
pub fn options<T: DeserializeOwned + Default>(value: Value) -> Result<T, KubeplanError> {
    match value {
        Value::Null => Ok(T::default()),
        v => argument("options", v),
    }
}

// ---------------------------------------------------------------- answers

/// A problem, located: where (1-based line and column, columns in characters), what, and how bad. Problems that
/// belong to no file (a bad argument, an internal error) have an empty `file` and line and column 0.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct KubeplanError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub severity: Severity,
    /// A stable id: `yaml-syntax`, `invalid-type`, `unknown-kind`, `api-rejects` (from `plan`), a lint rule id
    /// (from `lint`), `invalid-argument`, `internal-error`, ...
    pub code: String,
    pub message: String,
}

impl KubeplanError {
    /// A problem of the call itself, with a stable `code`.
    pub fn unlocated(code: &str, message: impl Into<String>) -> KubeplanError {
        KubeplanError {
            file: String::new(),
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
            severity: Severity::Error,
            code: code.into(),
            message: message.into(),
        }
    }

    /// An argument that is not what the call takes.
    pub fn invalid_argument(what: &str, e: impl std::fmt::Display) -> KubeplanError {
        let e = e.to_string();
        KubeplanError::unlocated("invalid-argument", format!("{what}: {}", e.strip_prefix("Error: ").unwrap_or(&e)))
    }
}

impl From<&Diagnostic> for KubeplanError {
    fn from(d: &Diagnostic) -> KubeplanError {
        KubeplanError {
            file: d.file.clone(),
            line: d.span.start.line,
            column: d.span.start.col,
            end_line: d.span.end.line,
            end_column: d.span.end.col,
            severity: d.severity,
            code: d.code.into(),
            message: d.message.clone(),
        }
    }
}

impl From<&Finding> for KubeplanError {
    fn from(f: &Finding) -> KubeplanError {
        KubeplanError {
            file: f.file.clone(),
            line: f.span.start.line,
            column: f.span.start.col,
            end_line: f.span.end.line,
            end_column: f.span.end.col,
            severity: f.severity,
            code: f.rule.to_owned(),
            message: f.message.clone(),
        }
    }
}

impl From<&Rejection> for KubeplanError {
    /// An API-server refusal, located at the field it names (one character wide).
    fn from(r: &Rejection) -> KubeplanError {
        let (line, column) = (r.line.unwrap_or(0), r.column.unwrap_or(0));
        KubeplanError {
            file: r.file.clone().unwrap_or_default(),
            line,
            column,
            end_line: line,
            end_column: if column > 0 { column + 1 } else { 0 },
            severity: Severity::Error,
            code: "api-rejects".into(),
            message: r.message.clone(),
        }
    }
}

/// What `plan` answers. `plan` is the document `kubeplan plan --output json` prints (`JSON.stringify(plan,
/// null, 2) + "\n"` gives the same bytes, but for object keys that look like array indices, which JavaScript
/// orders first); it is `null` only when the call itself failed. `errors` lists every error: input problems, the
/// API server's rejections (located on the field), and failures of the call. `exitCode` is the native CLI's.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PlanResult {
    pub ok: bool,
    #[cfg_attr(feature = "wasm", tsify(type = "0 | 1 | 2"))]
    pub exit_code: i32,
    #[cfg_attr(feature = "wasm", tsify(type = "PlanDocument | null"))]
    pub plan: Option<Value>,
    pub errors: Vec<KubeplanError>,
}

/// What `planJson` answers: the exact text `kubeplan plan --output json` prints, or `null` when the call failed.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PlanTextResult {
    pub ok: bool,
    #[cfg_attr(feature = "wasm", tsify(type = "0 | 1 | 2"))]
    pub exit_code: i32,
    pub text: Option<String>,
    pub errors: Vec<KubeplanError>,
}

/// What `lint` answers: every finding, and the errors among them (plus failures of the call).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct LintResult {
    pub ok: bool,
    /// 0 nothing at error severity, 1 some error findings, 2 the call failed.
    #[cfg_attr(feature = "wasm", tsify(type = "0 | 1 | 2"))]
    pub exit_code: i32,
    pub findings: Vec<Finding>,
    /// The findings as Language Server Protocol diagnostics (zero-based lines, UTF-16 characters), by file:
    /// what an editor shows.
    #[cfg_attr(feature = "wasm", tsify(type = "Record<string, LspDiagnostic[]>"))]
    pub diagnostics: Value,
    pub errors: Vec<KubeplanError>,
}

/// An answer, and the answer of a call that failed (a bad argument, an answer that could not be handed over).
pub trait Answer: Serialize {
    fn failed(error: KubeplanError) -> Self;
}

impl Answer for PlanResult {
    fn failed(error: KubeplanError) -> Self {
        PlanResult { ok: false, exit_code: ExitCode::Unusable.code(), plan: None, errors: vec![error] }
    }
}

impl Answer for PlanTextResult {
    fn failed(error: KubeplanError) -> Self {
        PlanTextResult { ok: false, exit_code: ExitCode::Unusable.code(), text: None, errors: vec![error] }
    }
}

impl Answer for LintResult {
    fn failed(error: KubeplanError) -> Self {
        LintResult {
            ok: false,
            exit_code: ExitCode::Unusable.code(),
            findings: Vec::new(),
            diagnostics: Value::Object(Default::default()),
            errors: vec![error],
        }
    }
}

// ---------------------------------------------------------------- calls answered

/// Plan: the document as a JSON value (see [`PlanResult`]).
pub fn plan(input: PlanInput, options: PlanOptions) -> PlanResult {
    plan_with(input, options, None)
}

/// [`plan`], reading the input through `cache` when there is one ([`PlanOptions::incremental`]).
pub fn plan_with(input: PlanInput, options: PlanOptions, cache: Option<&mut ParseCache>) -> PlanResult {
    let detail = options.detail();
    let report = planned(input, options, cache);
    let errors = plan_errors(&report);
    let mut doc = crate::output::json::to_value_at(&report, detail);
    safe_numbers(&mut doc);
    PlanResult { ok: errors.is_empty(), exit_code: report.exit_code().code(), plan: Some(doc), errors }
}

/// Plan: the document as the exact text `kubeplan plan --output json` prints (unless it is [`PlanOptions::lean`]).
pub fn plan_json(input: PlanInput, options: PlanOptions) -> PlanTextResult {
    plan_json_with(input, options, None)
}

/// [`plan_json`], reading the input through `cache` when there is one ([`PlanOptions::incremental`]).
pub fn plan_json_with(input: PlanInput, options: PlanOptions, cache: Option<&mut ParseCache>) -> PlanTextResult {
    let detail = options.detail();
    let report = planned(input, options, cache);
    let errors = plan_errors(&report);
    let text = crate::output::json::to_string_at(&report, detail);
    PlanTextResult { ok: errors.is_empty(), exit_code: report.exit_code().code(), text: Some(text), errors }
}

/// The report of a plan, read through `cache` when there is one.
fn planned(input: PlanInput, options: PlanOptions, cache: Option<&mut ParseCache>) -> PlanReport {
    let request = input.into_request(options);
    match cache {
        Some(cache) => facade::plan_cached(request, cache),
        None => facade::plan(request),
    }
}

/// A plan's errors: input problems at error severity, then the rejections, located.
fn plan_errors(report: &PlanReport) -> Vec<KubeplanError> {
    let input = report.diagnostics().iter().filter(|d| d.severity == Severity::Error).map(KubeplanError::from);
    input.chain(report.rejections().iter().map(KubeplanError::from)).collect()
}

/// Lint: the findings, those at error severity as errors, and the LSP diagnostics an editor shows.
pub fn lint(input: Manifests, options: LintOptions) -> LintResult {
    let sources = input.named(MANIFEST_NAME);
    let nodes = options.nodes.map(|n| n.named(NODES_NAME)).unwrap_or_default();
    let budget = budget(options.max_pods, options.max_objects, options.max_rounds);
    let lint_options =
        crate::lint::LintOptions {
            strict: options.strict,
            nodes: nodes.clone(),
            closed_world: options.closed_world,
            budget,
            namespace: options.namespace,
        };
    let report = crate::lint::lint(&sources, &lint_options);
    let texts: HashMap<&str, &str> =
        sources.iter().chain(&nodes).map(|s| (s.name.as_str(), s.text.as_str())).collect();
    let diagnostics = crate::lint::render::lsp::diagnostics_by_file(&report, &texts);
    let exit_code = report.exit_code(Severity::Error).code();
    let LintReport { findings, .. } = report;
    let errors: Vec<KubeplanError> =
        findings.iter().filter(|f| f.severity == Severity::Error).map(KubeplanError::from).collect();
    LintResult { ok: errors.is_empty(), exit_code, findings, diagnostics, errors }
}

/// kubeplan's version and the Kubernetes version it models, as `kubeplan version` prints it.
pub fn version() -> String {
    facade::version()
}

/// Integers a double cannot hold exactly (a huge `activeDeadlineSeconds` in the input) become the nearest
/// double, as a JavaScript `JSON.parse` of the CLI's output makes them: hosts whose numbers are doubles would
/// otherwise refuse the whole document.
fn safe_numbers(v: &mut Value) {
    match v {
        Value::Number(n) if n.as_f64().is_some_and(|f| f.abs() >= 9_007_199_254_740_992.0) && !n.is_f64() => {
            if let Some(f) = n.as_f64().and_then(serde_json::Number::from_f64) {
                *n = f;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(safe_numbers),
        Value::Object(m) => m.values_mut().for_each(safe_numbers),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NODE: &str = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {capacity: {cpu: '2', memory: 4Gi, pods: '110'}}\n";

    fn input(v: Value) -> Result<PlanInput, KubeplanError> {
        argument("input", v)
    }

    #[test]
    fn manifests_come_as_text_a_file_files_or_a_request() {
        let text = input(json!(NODE)).unwrap().into_request(PlanOptions::default());
        assert_eq!(text.manifests[0].name, MANIFEST_NAME);
        let file = input(json!({"name": "a.yaml", "text": NODE})).unwrap().into_request(PlanOptions::default());
        assert_eq!(file.manifests[0].name, "a.yaml");
        let files = input(json!([{"name": "a.yaml", "text": NODE}, {"name": "b.yaml", "text": ""}])).unwrap();
        assert_eq!(files.0.manifests.0.len(), 2);
        let request = input(json!({"manifests": NODE, "nodes": NODE, "update": NODE, "steps": "[]", "files": []}))
            .unwrap()
            .into_request(PlanOptions { verdicts: true, max_pods: Some(7), ..Default::default() });
        assert_eq!(request.nodes[0].name, NODES_NAME);
        assert_eq!(request.update[0].name, UPDATE_NAME);
        assert_eq!(request.steps.map(|s| s.name).as_deref(), Some(STEPS_NAME));
        assert!(request.options.verdicts);
        assert_eq!(request.options.budget, facade::Budget { pods: 7, ..Default::default() });
    }

    #[test]
    fn bad_arguments_are_invalid_argument_errors_naming_what_is_wrong() {
        for (bad, says) in [
            (json!(42), "expected manifest text"),
            (json!({"manifests": "x", "bogus": 1}), "unknown field `bogus`"),
            (json!([{"name": "a.yaml"}]), "missing field `text`"),
        ] {
            let e = input(bad).unwrap_err();
            assert_eq!(e.code, "invalid-argument");
            assert!(e.message.starts_with("input: ") && e.message.contains(says), "{}", e.message);
            assert_eq!((e.file.as_str(), e.line), ("", 0));
        }
        assert!(options::<PlanOptions>(json!({"verdicts": "yes"})).is_err());
        let e = options::<PlanOptions>(json!({"nope": true})).unwrap_err();
        assert!(e.message.contains("unknown field `nope`"), "{}", e.message);
        assert!(!options::<PlanOptions>(Value::Null).unwrap().verdicts);
    }

    #[test]
    fn a_failed_call_exits_2() {
        let e = KubeplanError::unlocated("internal-error", "x");
        assert_eq!(PlanResult::failed(e.clone()).exit_code, 2);
        assert_eq!(PlanTextResult::failed(e.clone()).exit_code, 2);
        assert_eq!(LintResult::failed(e).exit_code, 2);
    }

    #[test]
    fn plan_answers_carry_the_reports_exit_code_and_its_errors() {
        let refused = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n";
        let r = plan(input(json!(format!("{NODE}---\n{refused}"))).unwrap(), PlanOptions::default());
        assert_eq!((r.ok, r.exit_code), (false, 1));
        assert_eq!(r.errors[0].code, "api-rejects");
        assert!(r.errors[0].line > 0 && r.errors[0].end_column == r.errors[0].column + 1);
        let t = plan_json(input(json!({"name": "x.yaml", "text": "kind: [\n"})).unwrap(), PlanOptions::default());
        assert_eq!((t.ok, t.exit_code), (false, 2));
        assert_eq!(t.errors[0].file, "x.yaml");
        let fine = plan_json(input(json!(NODE)).unwrap(), PlanOptions::default());
        assert_eq!((fine.ok, fine.exit_code), (true, 0));
    }

    #[test]
    fn the_lean_option_gives_both_answers_the_lean_document() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n";
        let request = || input(json!(format!("{NODE}---\n{pod}"))).unwrap();
        let lean: PlanOptions = options(json!({"lean": true})).unwrap();
        assert!(lean.lean && !PlanOptions::default().lean);
        let (text, value) = (plan_json(request(), lean.clone()), plan(request(), lean));
        let doc: Value = serde_json::from_str(text.text.as_deref().unwrap()).unwrap();
        let containers = json!([{"name": "c", "image": "i", "resources": {}}]);
        assert_eq!(doc["pods"][0]["spec"], json!({"containers": containers, "nodeName": "n1", "priority": 0, "schedulerName": "default-scheduler"}));
        assert_eq!(value.plan.unwrap()["pods"], doc["pods"]);
        let full: Value = serde_json::from_str(plan_json(request(), PlanOptions::default()).text.as_deref().unwrap()).unwrap();
        assert!(full["pods"][0]["spec"]["tolerations"].is_array(), "the full pod keeps its defaults");
    }

    #[test]
    fn an_incremental_plan_answers_as_a_fresh_one() {
        let nodes = json!({"name": "nodes.yaml", "text": NODE});
        let request = |pod: &str| input(json!({"manifests": [{"name": "pods.yaml", "text": pod}], "nodes": [nodes.clone()]})).unwrap();
        let options: PlanOptions = options(json!({"incremental": true})).unwrap();
        let mut cache = ParseCache::default();
        for pod in ["apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n", "kind: [\n"] {
            let (again, fresh) = (plan_json_with(request(pod), options.clone(), Some(&mut cache)), plan_json(request(pod), options.clone()));
            assert_eq!((again.text, again.exit_code), (fresh.text, fresh.exit_code));
            assert_eq!(format!("{:?}", plan_with(request(pod), options.clone(), Some(&mut cache)).errors), format!("{:?}", plan(request(pod), options.clone()).errors));
        }
        assert_eq!(cache.len(), 2, "the node and the last pods.yaml");
    }

    #[test]
    fn lint_answers_exit_1_on_error_findings_only() {
        let clean = lint(argument("input", json!(NODE)).unwrap(), LintOptions::default());
        assert_eq!((clean.ok, clean.exit_code), (true, 0));
        let strict = LintOptions { strict: true, ..Default::default() };
        let unknown = lint(argument("input", json!(format!("{NODE}colour: blue\n"))).unwrap(), strict);
        assert_eq!((unknown.ok, unknown.exit_code), (false, 1));
        assert!(unknown.diagnostics[MANIFEST_NAME].as_array().is_some_and(|d| !d.is_empty()));
    }

    #[test]
    fn closed_world_makes_a_missing_config_map_an_error() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    envFrom: [{configMapRef: {name: settings}}]\n";
        let open = lint(argument("input", json!(pod)).unwrap(), LintOptions::default());
        assert_eq!((open.ok, open.exit_code), (true, 0), "the cluster may hold the ConfigMap");
        assert!(open.findings.iter().any(|f| f.rule == "configmap-not-in-input"));
        let closed = options::<LintOptions>(json!({"closedWorld": true})).unwrap();
        let r = lint(argument("input", json!(pod)).unwrap(), closed);
        assert_eq!((r.ok, r.exit_code), (false, 1));
        assert_eq!(r.errors[0].code, "configmap-not-in-input");
    }

    #[test]
    fn budget_options_bound_the_plan_and_the_lint_on_nodes() {
        let web = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 5\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: i}]}\n";
        let text = format!("{NODE}---\n{web}");
        let r = plan(input(json!(text)).unwrap(), options(json!({"maxPods": 3})).unwrap());
        let cut = r.errors.iter().find(|e| e.code == "budget").expect("a budget error");
        assert_eq!(cut.line, 10, "at spec.replicas: {cut:?}");
        assert_eq!(r.exit_code, 2, "a cut plan is not the whole plan");
        assert!(plan(input(json!(text)).unwrap(), options(json!({"maxPods": 5})).unwrap()).ok);
        let o: LintOptions = options(json!({"nodes": NODE, "maxPods": 3})).unwrap();
        assert!(lint(argument("input", json!(web)).unwrap(), o).findings.iter().any(|f| f.rule == "budget"));
        assert!(options::<PlanOptions>(json!({"max_pods": 3})).is_err(), "options are camelCase");
    }

    #[test]
    fn integers_beyond_a_doubles_precision_become_doubles() {
        let mut v = json!({"a": [9_007_199_254_740_993_u64, 3], "b": -9_007_199_254_740_993_i64});
        safe_numbers(&mut v);
        assert!(v["a"][0].is_f64() && v["b"].is_f64());
        assert!(v["a"][1].is_u64());
    }
}
