//! A Language Server for Kubernetes manifests, as pure protocol handling: a JSON-RPC message in, the messages
//! to send out. The native binary's `kubeplan lsp` runs it over stdio ([`framing`] reads and writes the
//! `Content-Length` frames); any other host (a browser worker, a test) can drive it the same way.
//!
//! Capabilities: full document sync (`didOpen`, `didChange` with whole texts or ranges, `didClose`),
//! `publishDiagnostics` after every change, and `codeAction` offering each finding's suggested fix as a
//! quick fix. Every open document is linted together with the others (a StatefulSet's Service may live in
//! another file), so a change republishes every open document's diagnostics. Positions are UTF-16 code
//! units, as LSP requires by default. Documents without `apiVersion` and `kind` (CI workflows, Helm values)
//! get no diagnostics. `kubeplan lsp --nodes nodes.yaml` adds the plan's findings on those nodes;
//! `kubeplan lsp --closed-world` treats the open documents as the whole cluster (a ConfigMap, Secret,
//! ServiceAccount or claim they name but do not hold is an error). Unknown fields are always errors, as kubectl's
//! default strict field validation makes them.
//!
//! Editors:
//!
//! - Neovim (0.11+): `vim.lsp.config('kubeplan', { cmd = { 'kubeplan', 'lsp' }, filetypes = { 'yaml' } })`
//!   then `vim.lsp.enable('kubeplan')`; quick fixes come with `vim.lsp.buf.code_action()`.
//! - VS Code: any generic LSP client extension that starts `kubeplan lsp` for YAML files (the server speaks
//!   only stdio).

pub mod framing;

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use crate::input::Source;
use crate::lint::locate::LineIndex;
use crate::lint::render::lsp::{diagnostic, lsp_range, range_json};
use crate::lint::{lint, LintOptions, LintReport};

/// JSON-RPC error codes.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const SERVER_NOT_INITIALIZED: i64 = -32002;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Uninitialized,
    Running,
    ShutDown,
}

/// The server: open documents, lint options, and the last report (for code actions).
pub struct Server {
    options: LintOptions,
    docs: BTreeMap<String, String>,
    state: State,
    report: LintReport,
    exit: Option<i32>,
}

impl Server {
    /// A server linting with `options` (its `nodes` are the cluster to plan on, read by the host).
    pub fn new(options: LintOptions) -> Server {
        Server { options, docs: BTreeMap::new(), state: State::Uninitialized, report: LintReport::default(), exit: None }
    }

    /// Set once `exit` arrived: 0 after a `shutdown` request, 1 without one.
    pub fn exit_code(&self) -> Option<i32> {
        self.exit
    }

    /// Handle one message (a JSON-RPC request or notification body) and return the messages to send.
    pub fn handle(&mut self, body: &str) -> Vec<String> {
        let msg: Value = match serde_json::from_str(body) {
            Ok(v) => v,
            Err(e) => return vec![error(Value::Null, PARSE_ERROR, &format!("parse error: {e}"))],
        };
        let id = msg.get("id").cloned();
        let Some(method) = msg.get("method").and_then(Value::as_str) else {
            // A response to a request of ours (we send none), or garbage.
            return match id {
                Some(id) if msg.get("result").is_none() && msg.get("error").is_none() => {
                    vec![error(id, INVALID_REQUEST, "a request needs a method")]
                }
                _ => Vec::new(),
            };
        };
        let params = msg.get("params").cloned().unwrap_or(Value::Null);
        match id {
            Some(id) => self.request(id, method, &params),
            None => self.notification(method, &params),
        }
    }

    fn request(&mut self, id: Value, method: &str, params: &Value) -> Vec<String> {
        match (self.state, method) {
            (State::Uninitialized, "initialize") => {
                self.state = State::Running;
                vec![response(id, initialize_result())]
            }
            (State::Uninitialized, _) => vec![error(id, SERVER_NOT_INITIALIZED, "the server is not initialized")],
            (State::ShutDown, _) => vec![error(id, INVALID_REQUEST, "the server is shut down")],
            (State::Running, "initialize") => vec![error(id, INVALID_REQUEST, "the server is already initialized")],
            (State::Running, "shutdown") => {
                self.state = State::ShutDown;
                vec![response(id, Value::Null)]
            }
            (State::Running, "textDocument/codeAction") => match self.code_actions(params) {
                Some(actions) => vec![response(id, actions)],
                None => vec![error(id, INVALID_PARAMS, "codeAction needs textDocument.uri and range")],
            },
            (State::Running, "textDocument/diagnostic") => {
                // Pull diagnostics, for clients that prefer them.
                let uri = params.pointer("/textDocument/uri").and_then(Value::as_str).unwrap_or("");
                let items = self.diagnostics_of(uri);
                vec![response(id, json!({"kind": "full", "items": items}))]
            }
            (State::Running, _) => vec![error(id, METHOD_NOT_FOUND, &format!("method not supported: {method}"))],
        }
    }

    fn notification(&mut self, method: &str, params: &Value) -> Vec<String> {
        if method == "exit" {
            self.exit = Some(if self.state == State::ShutDown { 0 } else { 1 });
            return Vec::new();
        }
        if self.state != State::Running {
            return Vec::new();
        }
        let uri = params.pointer("/textDocument/uri").and_then(Value::as_str).map(str::to_owned);
        match (method, uri) {
            ("textDocument/didOpen", Some(uri)) => {
                let text = params.pointer("/textDocument/text").and_then(Value::as_str).unwrap_or("").to_owned();
                self.docs.insert(uri, text);
                self.relint(&[])
            }
            ("textDocument/didChange", Some(uri)) => {
                let Some(text) = self.docs.get_mut(&uri) else { return Vec::new() };
                for change in params.get("contentChanges").and_then(Value::as_array).into_iter().flatten() {
                    apply_change(text, change);
                }
                self.relint(&[])
            }
            ("textDocument/didClose", Some(uri)) => {
                self.docs.remove(&uri);
                self.relint(&[uri])
            }
            _ => Vec::new(),
        }
    }

    /// Lint every open document together and publish each one's diagnostics (and empty ones for `closed`).
    fn relint(&mut self, closed: &[String]) -> Vec<String> {
        let sources: Vec<Source> = self
            .docs
            .iter()
            .filter(|(_, text)| looks_like_manifests(text))
            .map(|(uri, text)| Source::new(uri.clone(), text.clone()))
            .collect();
        self.report = lint(&sources, &self.options);
        let mut out: Vec<String> = self
            .docs
            .keys()
            .map(|uri| notification("textDocument/publishDiagnostics", json!({"uri": uri, "diagnostics": self.diagnostics_of(uri)})))
            .collect();
        for uri in closed {
            out.push(notification("textDocument/publishDiagnostics", json!({"uri": uri, "diagnostics": []})));
        }
        out
    }

    fn diagnostics_of(&self, uri: &str) -> Vec<Value> {
        let Some(text) = self.docs.get(uri) else { return Vec::new() };
        let index = LineIndex::new(text);
        let texts = self.texts();
        self.report.findings.iter().filter(|f| f.file == uri).map(|f| diagnostic(f, &index, &texts)).collect()
    }

    fn texts(&self) -> HashMap<&str, &str> {
        self.docs.iter().map(|(u, t)| (u.as_str(), t.as_str())).collect()
    }

    /// Quick fixes for the findings of a document that touch the requested range.
    fn code_actions(&self, params: &Value) -> Option<Value> {
        let uri = params.pointer("/textDocument/uri")?.as_str()?;
        let range = params.get("range")?;
        let want = (position(range.get("start")?)?, position(range.get("end")?)?);
        let text = self.docs.get(uri)?;
        let index = LineIndex::new(text);
        let texts = self.texts();
        let mut actions = Vec::new();
        for f in self.report.findings.iter().filter(|f| f.file == uri) {
            let Some(fix) = f.fix.as_ref().filter(|x| !x.edits.is_empty()) else { continue };
            let (start, end) = lsp_range(f.span, &index);
            if end < want.0 || start > want.1 {
                continue;
            }
            let mut changes: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
            let mut complete = true;
            for e in &fix.edits {
                let Some(t) = texts.get(e.file.as_str()) else {
                    complete = false;
                    break;
                };
                let (s, en) = lsp_range(e.span, &LineIndex::new(t));
                changes.entry(&e.file).or_default().push(json!({"range": range_json(s, en), "newText": e.text}));
            }
            if !complete {
                continue;
            }
            actions.push(json!({
                "title": format!("kubeplan: {}", fix.description),
                "kind": "quickfix",
                "diagnostics": [diagnostic(f, &index, &texts)],
                "isPreferred": true,
                "edit": {"changes": changes},
            }));
        }
        Some(Value::Array(actions))
    }
}

/// Whether a document is worth linting as Kubernetes manifests: other YAML files (CI workflows, Helm values)
/// open in the same editor get no diagnostics.
fn looks_like_manifests(text: &str) -> bool {
    text.contains("apiVersion") && text.contains("kind")
}

fn initialize_result() -> Value {
    json!({
        "capabilities": {
            "positionEncoding": "utf-16",
            "textDocumentSync": {"openClose": true, "change": 2, "save": false},
            "codeActionProvider": {"codeActionKinds": ["quickfix"]},
        },
        "serverInfo": {"name": "kubeplan", "version": env!("CARGO_PKG_VERSION")},
    })
}

/// Apply one `contentChanges` entry: a whole new text, or a replacement of a UTF-16 range.
fn apply_change(text: &mut String, change: &Value) {
    let Some(new) = change.get("text").and_then(Value::as_str) else { return };
    let Some(range) = change.get("range") else {
        *text = new.to_owned();
        return;
    };
    let (Some(start), Some(end)) = (range.get("start").and_then(position), range.get("end").and_then(position)) else {
        return;
    };
    let index = LineIndex::new(text);
    let a = index.offset(index.from_utf16(start.0, start.1));
    let b = index.offset(index.from_utf16(end.0, end.1)).max(a);
    // A position past a line's end means the end of that line; one past the last line, the end of the text.
    let line_count = index.line_count();
    let b = if end.0 >= line_count { text.len() } else { b };
    let a = if start.0 >= line_count { text.len() } else { a };
    text.replace_range(a..b.max(a), new);
}

fn position(v: &Value) -> Option<(u32, u32)> {
    // Positions beyond u32 are past any text: clamp them rather than wrap them back into it.
    let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    Some((clamp(v.get("line")?.as_u64()?), clamp(v.get("character")?.as_u64()?)))
}

fn response(id: Value, result: Value) -> String {
    json!({"jsonrpc": "2.0", "id": id, "result": result}).to_string()
}

fn error(id: Value, code: i64, message: &str) -> String {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}).to_string()
}

fn notification(method: &str, params: Value) -> String {
    json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(v: Value) -> String {
        v.to_string()
    }

    #[test]
    fn lifecycle_diagnostics_and_quick_fix() {
        let mut s = Server::new(LintOptions::default());
        let out = s.handle(&msg(json!({"jsonrpc": "2.0", "id": 1, "method": "textDocument/codeAction", "params": {}})));
        assert!(out[0].contains("-32002"));
        let out = s.handle(&msg(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}})));
        assert!(out[0].contains("codeActionProvider"));
        let text = "apiVersion: apps/v1beta2\nkind: DaemonSet\nmetadata:\n  name: a\nspec:\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n      containers:\n      - name: c\n        image: busybox\n        resources: {requests: {cpu: 10m}}\n";
        let out = s.handle(&msg(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///a.yaml", "languageId": "yaml", "version": 1, "text": text}}})));
        let published: Value = serde_json::from_str(&out[0]).unwrap();
        let diags = published["params"]["diagnostics"].as_array().unwrap();
        let d = diags.iter().find(|d| d["code"] == "removed-api-version").expect("removed-api-version");
        assert_eq!(d["range"], json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 24}}));
        let out = s.handle(&msg(json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {"textDocument": {"uri": "file:///a.yaml"}, "range": {"start": {"line": 0, "character": 14}, "end": {"line": 0, "character": 14}}, "context": {"diagnostics": []}}})));
        let actions: Value = serde_json::from_str(&out[0]).unwrap();
        let edit = &actions["result"][0]["edit"]["changes"]["file:///a.yaml"][0];
        assert_eq!(edit["newText"], "apps/v1");
        assert_eq!(edit["range"], json!({"start": {"line": 0, "character": 12}, "end": {"line": 0, "character": 24}}));
        // An incremental change that fixes it clears the diagnostic.
        let out = s.handle(&msg(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///a.yaml", "version": 2}, "contentChanges": [{"range": {"start": {"line": 0, "character": 12}, "end": {"line": 0, "character": 24}}, "text": "apps/v1"}]}})));
        assert!(!out[0].contains("removed-api-version"), "{}", out[0]);
        assert!(s.docs["file:///a.yaml"].starts_with("apiVersion: apps/v1\n"));
        let out = s.handle(&msg(json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})));
        assert_eq!(out[0], r#"{"id":3,"jsonrpc":"2.0","result":null}"#);
        s.handle(&msg(json!({"jsonrpc": "2.0", "method": "exit"})));
        assert_eq!(s.exit_code(), Some(0));
    }

    #[test]
    fn garbage_gets_a_parse_error() {
        let mut s = Server::new(LintOptions::default());
        assert!(s.handle("{nope")[0].contains("-32700"));
        s.handle(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        assert_eq!(s.exit_code(), Some(1));
    }
}
