//! The WebAssembly binding: the API of the npm package `kubeplan` (see `pkg/`).
//!
//! Compiled only with the `wasm` feature (`scripts/build-wasm.sh` builds it for `wasm32-unknown-unknown`); the
//! engine itself knows nothing of it. Every function takes plain JavaScript values, checks them with serde, and
//! returns plain objects built by serde-wasm-bindgen, whose TypeScript types tsify generates from the Rust
//! types. Nothing here throws for a bad input: a problem is a [`KubeplanError`] value with a file, a line, a
//! column and a message.
//!
//! Panics. `wasm32-unknown-unknown`'s standard library is built with `panic = "abort"`, so `catch_unwind`
//! cannot catch anything there (the `panic = "unwind"` of the release profile only matters natively; unwinding
//! in WASM needs a nightly `-Zbuild-std` with exception handling). So a panic is handled in two halves: the
//! panic hook installed at start-up records the message and location, asks wasm-bindgen to replace the instance
//! before the next call (`schedule_reinit`: the trapped instance's heap, borrow flags and allocator state are
//! not to be trusted), and throws a JavaScript error carrying the message instead of reaching the `unreachable`
//! trap. The package's JavaScript wrapper (`pkg/src/api.js`) turns that error, or any other trap, into an error
//! value and resets the instance, so a panic never escapes as `unreachable` and never poisons the next call.

#[cfg(target_arch = "wasm32")]
mod alloc;

use std::collections::{BTreeMap, HashMap};

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

use crate::cli::{self, Io};
use crate::diag::{Diagnostic, Severity};
use crate::input::Source;
use crate::lint::{Finding, LintReport};
use crate::output::json;

/// The prefix of the message a panic is thrown with; `pkg/src/api.js` recognises it.
const PANIC_PREFIX: &str = "kubeplan panicked: ";

/// The name given to manifest text passed as a plain string.
const DEFAULT_MANIFEST_NAME: &str = "manifest.yaml";
/// The name given to steps passed as a plain string.
const DEFAULT_STEPS_NAME: &str = "steps.yaml";

#[wasm_bindgen(typescript_custom_section)]
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

/**
 * The file system as the CLI needs it; `runCli` calls these synchronously. A failing call throws an Error
 * whose message is what the CLI prints after `error: ` (the Node shell words it as the native CLI does:
 * `PATH: No such file or directory (os error 2)`).
 */
export interface CliIo {
    readFile(path: string): string;
    isDir(path: string): boolean;
    /** The entries of a directory, as paths (`dir/name`). */
    listDir(path: string): string[];
    readStdin(): string;
}
"#;

// ---------------------------------------------------------------- inputs

/// A named text: a file's path (as it should appear in messages) and its contents.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    pub name: String,
    pub text: String,
}

/// Manifests: YAML or JSON text (named `manifest.yaml` in messages), one named file, or several.
#[derive(Clone, Debug, Tsify)]
#[tsify(type = "string | InputFile | InputFile[]")]
pub struct Manifests(pub Vec<Source>);

/// What `plan` plans: the manifests alone, or with `update` (applied as updates of the same objects once the
/// cluster settled, as `--update`), `steps` (a steps file, as `--steps`) and the `files` its `apply` steps name.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    pub manifests: Manifests,
    #[serde(default)]
    #[tsify(optional)]
    pub update: Option<Manifests>,
    #[serde(default)]
    #[tsify(optional, type = "string | InputFile")]
    pub steps: Option<Manifests>,
    #[serde(default)]
    #[tsify(optional)]
    pub files: Option<Manifests>,
}

/// The input of `plan`: manifests (see [`Manifests`]) or a full [`PlanRequest`].
#[derive(Clone, Debug, Tsify)]
#[tsify(type = "string | InputFile | InputFile[] | PlanRequest")]
pub struct PlanInput(pub crate::PlanInput);

/// Options of `plan`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
#[serde(default, deny_unknown_fields)]
pub struct PlanOptions {
    /// Keep every examined node's verdict in `placements[].rejected`.
    pub verdicts: bool,
}

/// Options of `lint`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
#[serde(default, deny_unknown_fields)]
pub struct LintOptions {
    /// Report unknown fields as errors (kubectl's `--validate=strict`).
    pub strict: bool,
    /// The cluster's nodes (`kubectl get nodes -o yaml`): the manifests are planned on them and the plan's
    /// problems are reported on the manifests too (`kubeplan lint --nodes`).
    #[tsify(optional)]
    pub nodes: Option<Manifests>,
}

fn manifests_with_default(v: Manifests, default_name: &str) -> Vec<Source> {
    v.0.into_iter().map(|s| if s.name.is_empty() { Source::new(default_name, s.text) } else { s }).collect()
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
            fn visit_string<E: de::Error>(self, s: String) -> Result<Manifests, E> {
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

impl<'de> Deserialize<'de> for PlanInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PlanInput;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("manifest text, an InputFile {name, text}, an array of them, or {manifests, update?, steps?, files?}")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<PlanInput, E> {
                Ok(manifests_only(vec![Source::new(DEFAULT_MANIFEST_NAME, s)]))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<PlanInput, E> {
                Ok(manifests_only(vec![Source::new(DEFAULT_MANIFEST_NAME, s)]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<PlanInput, A::Error> {
                let t = Manifests::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(manifests_only(manifests_with_default(t, DEFAULT_MANIFEST_NAME)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PlanInput, A::Error> {
                // An object is a PlanRequest when it has `manifests`, else one InputFile.
                let fields: BTreeMap<String, serde_value::Any> =
                    BTreeMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if fields.contains_key("manifests") {
                    let r = PlanRequest::deserialize(serde_value::MapDeserializer(fields)).map_err(de::Error::custom)?;
                    Ok(PlanInput(crate::PlanInput {
                        manifests: manifests_with_default(r.manifests, DEFAULT_MANIFEST_NAME),
                        update: r.update.map(|u| manifests_with_default(u, "update.yaml")).unwrap_or_default(),
                        steps: r.steps.and_then(|s| manifests_with_default(s, DEFAULT_STEPS_NAME).into_iter().next()),
                        files: r.files.map(|f| f.0).unwrap_or_default(),
                    }))
                } else {
                    let f = InputFile::deserialize(serde_value::MapDeserializer(fields)).map_err(de::Error::custom)?;
                    Ok(manifests_only(vec![Source::new(f.name, f.text)]))
                }
            }
        }
        d.deserialize_any(V)
    }
}

fn manifests_only(manifests: Vec<Source>) -> PlanInput {
    PlanInput(crate::PlanInput { manifests, ..Default::default() })
}

/// A tiny self-describing value, enough to look at an object's keys before choosing its type.
mod serde_value {
    use std::collections::BTreeMap;

    use serde::de::{self, Deserializer, IntoDeserializer, Visitor};
    use serde::Deserialize;

    #[derive(Clone, Debug)]
    pub enum Any {
        Null,
        Bool(bool),
        Num(f64),
        Str(String),
        Seq(Vec<Any>),
        Map(BTreeMap<String, Any>),
    }

    impl<'de> Deserialize<'de> for Any {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Any;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("any value")
                }
                fn visit_unit<E>(self) -> Result<Any, E> {
                    Ok(Any::Null)
                }
                fn visit_none<E>(self) -> Result<Any, E> {
                    Ok(Any::Null)
                }
                fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Any, D::Error> {
                    Any::deserialize(d)
                }
                fn visit_bool<E>(self, b: bool) -> Result<Any, E> {
                    Ok(Any::Bool(b))
                }
                fn visit_i64<E>(self, n: i64) -> Result<Any, E> {
                    Ok(Any::Num(n as f64))
                }
                fn visit_u64<E>(self, n: u64) -> Result<Any, E> {
                    Ok(Any::Num(n as f64))
                }
                fn visit_f64<E>(self, n: f64) -> Result<Any, E> {
                    Ok(Any::Num(n))
                }
                fn visit_str<E>(self, s: &str) -> Result<Any, E> {
                    Ok(Any::Str(s.to_owned()))
                }
                fn visit_string<E>(self, s: String) -> Result<Any, E> {
                    Ok(Any::Str(s))
                }
                fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Any, A::Error> {
                    let mut v = Vec::new();
                    while let Some(x) = seq.next_element()? {
                        v.push(x);
                    }
                    Ok(Any::Seq(v))
                }
                fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Any, A::Error> {
                    let mut m = BTreeMap::new();
                    while let Some((k, v)) = map.next_entry()? {
                        m.insert(k, v);
                    }
                    Ok(Any::Map(m))
                }
            }
            d.deserialize_any(V)
        }
    }

    pub type Error = de::value::Error;

    impl<'de> IntoDeserializer<'de, Error> for Any {
        type Deserializer = Self;
        fn into_deserializer(self) -> Self {
            self
        }
    }

    impl<'de> Deserializer<'de> for Any {
        type Error = Error;
        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match self {
                Any::Null => v.visit_unit(),
                Any::Bool(b) => v.visit_bool(b),
                Any::Num(n) if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 => v.visit_i64(n as i64),
                Any::Num(n) => v.visit_f64(n),
                Any::Str(s) => v.visit_string(s),
                Any::Seq(s) => v.visit_seq(de::value::SeqDeserializer::new(s.into_iter())),
                Any::Map(m) => MapDeserializer(m).deserialize_any(v),
            }
        }
        fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match self {
                Any::Null => v.visit_none(),
                other => v.visit_some(other),
            }
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct
            newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
        }
    }

    /// An object's fields, deserialized as a map or a struct.
    pub struct MapDeserializer(pub BTreeMap<String, Any>);

    impl<'de> Deserializer<'de> for MapDeserializer {
        type Error = Error;
        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            v.visit_map(de::value::MapDeserializer::new(self.0.into_iter()))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
        }
    }
}

// ---------------------------------------------------------------- results

/// A problem, located: where (1-based line and column, columns in characters), what, and how bad. Problems that
/// belong to no file (a bad argument, an internal error) have an empty `file` and line and column 0.
#[derive(Clone, Debug, Serialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
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
    fn unlocated(code: &str, message: impl Into<String>) -> KubeplanError {
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

/// What `plan` answers. `plan` is the document `kubeplan plan --output json` prints (`JSON.stringify(plan,
/// null, 2) + "\n"` gives the same bytes, but for object keys that look like array indices, which JavaScript
/// orders first); it is `null` only when the call itself failed. `errors` lists every error: input problems, the
/// API server's rejections (located on the field), and failures of the call. `exitCode` is the native CLI's.
#[derive(Clone, Debug, Serialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct PlanResult {
    pub ok: bool,
    #[tsify(type = "0 | 1 | 2")]
    pub exit_code: i32,
    #[tsify(type = "PlanDocument | null")]
    pub plan: Option<Value>,
    pub errors: Vec<KubeplanError>,
}

/// What `lint` answers: every finding, and the errors among them (plus failures of the call).
#[derive(Clone, Debug, Serialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct LintResult {
    pub ok: bool,
    /// 0 nothing at error severity, 1 some error findings, 2 the call failed.
    #[tsify(type = "0 | 1 | 2")]
    pub exit_code: i32,
    pub findings: Vec<Finding>,
    /// The findings as Language Server Protocol diagnostics (zero-based lines, UTF-16 characters), by file:
    /// what an editor shows.
    #[tsify(type = "Record<string, LspDiagnostic[]>")]
    pub diagnostics: Value,
    pub errors: Vec<KubeplanError>,
}

/// What a CLI run printed and how it ended.
#[derive(Clone, Debug, Serialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct CliResult {
    pub stdout: String,
    pub stderr: String,
    /// 0, 1 or 2 as documented in the usage text; 101 if kubeplan panicked (as the native binary exits).
    pub exit_code: i32,
}

// ---------------------------------------------------------------- functions

/// Runs once per instance (also after a reset): install the panic hook.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(panic_hook));
}

fn panic_hook(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info.payload();
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned());
    let at = info.location().map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
    // The instance is unusable from here: have the next call start from a fresh one.
    wasm_bindgen::handler::schedule_reinit();
    wasm_bindgen::throw_str(&format!("{PANIC_PREFIX}{msg}{at}"));
}

/// The serializer for every result: maps become plain objects, `None` becomes `null` (as in the JSON).
fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, String> {
    let s = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true).serialize_missing_as_null(true);
    v.serialize(&s).map_err(|e| e.to_string())
}

/// Read an argument. It goes through [`serde_value::Any`] first: serde-wasm-bindgen looks up only the fields a
/// struct knows, so `deny_unknown_fields` would never see a misspelt option.
fn from_js<T: for<'de> Deserialize<'de>>(what: &str, v: JsValue) -> Result<T, KubeplanError> {
    let bad = |e: String| {
        let e = e.strip_prefix("Error: ").unwrap_or(&e).to_owned();
        KubeplanError::unlocated("invalid-argument", format!("{what}: {e}"))
    };
    let any: serde_value::Any = serde_wasm_bindgen::from_value(v).map_err(|e| bad(e.to_string()))?;
    T::deserialize(any).map_err(|e| bad(e.to_string()))
}

fn options<T: Default + for<'de> Deserialize<'de>>(v: Option<JsValue>) -> Result<T, KubeplanError> {
    match v {
        Some(v) if !v.is_undefined() && !v.is_null() => from_js("options", v),
        _ => Ok(T::default()),
    }
}

/// A result type, and what it says when it cannot be handed to JavaScript.
trait JsResult: Serialize + Tsify {
    fn failed(message: String) -> Self;
}

impl JsResult for PlanResult {
    fn failed(message: String) -> Self {
        PlanResult { ok: false, exit_code: cli::EXIT_UNUSABLE, plan: None, errors: vec![KubeplanError::unlocated("internal-error", message)] }
    }
}

impl JsResult for LintResult {
    fn failed(message: String) -> Self {
        LintResult {
            ok: false,
            exit_code: cli::EXIT_UNUSABLE,
            findings: Vec::new(),
            diagnostics: Value::Object(Default::default()),
            errors: vec![KubeplanError::unlocated("internal-error", message)],
        }
    }
}

impl JsResult for CliResult {
    fn failed(message: String) -> Self {
        CliResult { stdout: String::new(), stderr: format!("error: {message}\n"), exit_code: cli::EXIT_UNUSABLE }
    }
}

fn result_js<T: JsResult>(r: &T) -> Ts<T> {
    let v = to_js(r).or_else(|e| to_js(&T::failed(e))).unwrap_or(JsValue::NULL);
    Ts::new_unchecked(v)
}

/// JavaScript numbers hold integers exactly up to 2^53; larger ones (a huge `activeDeadlineSeconds` in the input)
/// become the nearest double, as `JSON.parse` of the CLI's output makes them.
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

/// Plan manifests: what the cluster would do with them.
#[wasm_bindgen]
pub fn plan(input: Ts<PlanInput>, options: Option<Ts<PlanOptions>>) -> Ts<PlanResult> {
    result_js(&plan_result(input.js_value(), options.map(|o| o.js_value())))
}

fn parse_plan_args(input: JsValue, opts: Option<JsValue>) -> Result<(PlanInput, PlanOptions), KubeplanError> {
    let input = from_js::<PlanInput>("input", input)?;
    Ok((input, options::<PlanOptions>(opts)?))
}

fn plan_result(input: JsValue, opts: Option<JsValue>) -> PlanResult {
    let (input, opts) = match parse_plan_args(input, opts) {
        Ok(x) => x,
        Err(e) => return PlanResult { ok: false, exit_code: cli::EXIT_UNUSABLE, plan: None, errors: vec![e] },
    };
    let p = crate::plan(&input.0, &crate::PlanOptions { verdicts: opts.verdicts, ..Default::default() });
    let (errors, exit_code) = plan_errors(&p);
    let mut doc = json::to_value(&p);
    safe_numbers(&mut doc);
    PlanResult { ok: errors.is_empty(), exit_code, plan: Some(doc), errors }
}

/// A plan's errors (input problems at error severity, then the rejections, located) and the CLI's exit code.
fn plan_errors(p: &crate::Plan) -> (Vec<KubeplanError>, i32) {
    let mut errors: Vec<KubeplanError> =
        p.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(KubeplanError::from).collect();
    for r in p.rejections() {
        let (line, column) = (r.line.unwrap_or(0), r.column.unwrap_or(0));
        errors.push(KubeplanError {
            file: r.file.clone().unwrap_or_default(),
            line,
            column,
            end_line: line,
            end_column: if column > 0 { column + 1 } else { 0 },
            severity: Severity::Error,
            code: "api-rejects".into(),
            message: r.message.clone(),
        });
    }
    let exit_code = if p.input_unusable() {
        cli::EXIT_UNUSABLE
    } else if !p.rejections().is_empty() {
        cli::EXIT_FINDINGS
    } else {
        cli::EXIT_OK
    };
    (errors, exit_code)
}

/// What `planJson` answers: the exact text `kubeplan plan --output json` prints, or `null` when the call failed.
#[derive(Clone, Debug, Serialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct PlanTextResult {
    pub ok: bool,
    #[tsify(type = "0 | 1 | 2")]
    pub exit_code: i32,
    pub text: Option<String>,
    pub errors: Vec<KubeplanError>,
}

impl JsResult for PlanTextResult {
    fn failed(message: String) -> Self {
        PlanTextResult {
            ok: false,
            exit_code: cli::EXIT_UNUSABLE,
            text: None,
            errors: vec![KubeplanError::unlocated("internal-error", message)],
        }
    }
}

/// The plan as the exact text `kubeplan plan --output json` prints (for byte-for-byte comparisons, and for
/// writing it out without a round trip through objects). `errors` and `exitCode` are as `plan` gives them.
#[wasm_bindgen(js_name = planJson)]
pub fn plan_json(input: Ts<PlanInput>, options: Option<Ts<PlanOptions>>) -> Ts<PlanTextResult> {
    result_js(&plan_text(input.js_value(), options.map(|o| o.js_value())))
}

fn plan_text(input: JsValue, opts: Option<JsValue>) -> PlanTextResult {
    let (input, opts) = match parse_plan_args(input, opts) {
        Ok(x) => x,
        Err(e) => return PlanTextResult { ok: false, exit_code: cli::EXIT_UNUSABLE, text: None, errors: vec![e] },
    };
    let p = crate::plan(&input.0, &crate::PlanOptions { verdicts: opts.verdicts, ..Default::default() });
    let (errors, exit_code) = plan_errors(&p);
    PlanTextResult { ok: errors.is_empty(), exit_code, text: Some(json::to_string(&p)), errors }
}

/// A deliberate panic, to test that a panic comes back as an error value and leaves later calls unharmed.
#[wasm_bindgen(js_name = debugPanic, skip_typescript)]
pub fn debug_panic(message: String) -> Ts<PlanResult> {
    let r: PlanResult = if message.is_empty() { PlanResult::failed(message) } else { panic!("{message}") };
    result_js(&r)
}

/// Lint manifests: what the API server would reject, located on the offending field.
#[wasm_bindgen]
pub fn lint(input: Ts<Manifests>, options: Option<Ts<LintOptions>>) -> Ts<LintResult> {
    result_js(&lint_result(input.js_value(), options.map(|o| o.js_value())))
}

fn lint_result(input: JsValue, opts: Option<JsValue>) -> LintResult {
    let parsed = from_js::<Manifests>("input", input).and_then(|i| Ok((i, options::<LintOptions>(opts)?)));
    let (input, opts) = match parsed {
        Ok(x) => x,
        Err(e) => {
            let mut r = LintResult::failed(String::new());
            r.errors = vec![e];
            return r;
        }
    };
    let sources = manifests_with_default(input, DEFAULT_MANIFEST_NAME);
    let nodes = opts.nodes.map(|n| manifests_with_default(n, "nodes.yaml")).unwrap_or_default();
    let report = crate::lint::lint(&sources, &crate::lint::LintOptions { strict: opts.strict, nodes: nodes.clone() });
    let texts: HashMap<&str, &str> =
        sources.iter().chain(&nodes).map(|s| (s.name.as_str(), s.text.as_str())).collect();
    let diagnostics = crate::lsp::diagnostics_by_file(&report, &texts);
    let exit_code = report.exit_code(Severity::Error);
    let LintReport { findings, .. } = report;
    let errors: Vec<KubeplanError> =
        findings.iter().filter(|f| f.severity == Severity::Error).map(KubeplanError::from).collect();
    LintResult { ok: errors.is_empty(), exit_code, findings, diagnostics, errors }
}

/// kubeplan's version and the Kubernetes version it models (`kubeplan version`).
#[wasm_bindgen]
pub fn version() -> String {
    format!("kubeplan {} (Kubernetes v1.32)", env!("CARGO_PKG_VERSION"))
}

#[wasm_bindgen]
extern "C" {
    /// The file system the JavaScript shell provides.
    #[wasm_bindgen(typescript_type = "CliIo")]
    pub type JsIo;
    #[wasm_bindgen(method, catch, js_name = readFile)]
    fn read_file(this: &JsIo, path: &str) -> Result<String, JsValue>;
    #[wasm_bindgen(method, catch, js_name = isDir)]
    fn is_dir(this: &JsIo, path: &str) -> Result<bool, JsValue>;
    #[wasm_bindgen(method, catch, js_name = listDir)]
    fn list_dir(this: &JsIo, path: &str) -> Result<Vec<String>, JsValue>;
    #[wasm_bindgen(method, catch, js_name = readStdin)]
    fn read_stdin(this: &JsIo) -> Result<String, JsValue>;
    #[wasm_bindgen(js_name = String)]
    fn js_string(v: &JsValue) -> String;
}

/// A thrown value as the message the CLI prints: an Error's `message`, else the value as a string.
fn thrown(e: JsValue) -> String {
    if let Some(m) = js_sys_message(&e) {
        return m;
    }
    js_string(&e)
}

fn js_sys_message(e: &JsValue) -> Option<String> {
    if !e.is_object() {
        return None;
    }
    let err: &js_error::Error = e.unchecked_ref();
    err.message().as_string()
}

mod js_error {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        pub type Error;
        #[wasm_bindgen(method, getter)]
        pub fn message(this: &Error) -> JsValue;
    }
}

impl Io for &JsIo {
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        JsIo::read_file(self, path).map_err(thrown)
    }
    fn is_dir(&mut self, path: &str) -> bool {
        JsIo::is_dir(self, path).unwrap_or(false)
    }
    fn list_dir(&mut self, path: &str) -> Result<Vec<String>, String> {
        JsIo::list_dir(self, path).map_err(thrown)
    }
    fn read_stdin(&mut self) -> Result<String, String> {
        JsIo::read_stdin(self).map_err(thrown)
    }
}

/// Run the command line (`args` without the program name) against `io`: same verbs, flags, output bytes and
/// exit codes as the native `kubeplan`.
#[wasm_bindgen(js_name = runCli)]
pub fn run_cli(args: Vec<String>, io: &JsIo) -> Ts<CliResult> {
    let mut io = io;
    let out = cli::run(&args, &mut io);
    result_js(&CliResult { stdout: out.stdout, stderr: out.stderr, exit_code: out.code })
}
