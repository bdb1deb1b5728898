//! A session with `kubeplan lsp` over stdio, as an editor runs it: initialize, open a document, receive its
//! diagnostics, ask for the quick fix, change the document, shut down and exit.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Session {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Session {
    fn start() -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kubeplan"))
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kubeplan lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Session { child, stdin, stdout }
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            assert!(self.stdout.read_line(&mut line).unwrap() > 0, "the server closed its output");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = Some(v.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0u8; length.expect("a Content-Length header")];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Messages until one satisfies `pred` (notifications may come first).
    fn receive_until(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..20 {
            let m = self.receive();
            if pred(&m) {
                return m;
            }
        }
        panic!("no expected message");
    }
}

const DOC: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: \"busybox:1.36\" # é😀\n        resources: {requests: {cpu: 10m}}\n      tolerations:\n      - {key: \"😀\", operator: Exists, schedulerName: x}\n";

#[test]
fn an_editor_session() {
    let mut s = Session::start();
    s.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": null, "capabilities": {}}}));
    let init = s.receive();
    assert_eq!(init["id"], 1);
    assert_eq!(init["result"]["capabilities"]["codeActionProvider"]["codeActionKinds"][0], "quickfix");
    assert_eq!(init["result"]["serverInfo"]["name"], "kubeplan");
    s.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    s.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///w/ds.yaml", "languageId": "yaml", "version": 1, "text": DOC}}}));
    let published = s.receive_until(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(published["params"]["uri"], "file:///w/ds.yaml");
    let diags = published["params"]["diagnostics"].as_array().unwrap();
    let restart = diags.iter().find(|d| d["code"] == "api-unsupported").expect("the restartPolicy error");
    assert_eq!(restart["message"], "DaemonSet.apps \"agent\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
    assert_eq!(restart["range"], json!({"start": {"line": 11, "character": 6}, "end": {"line": 11, "character": 26}}));
    assert_eq!(restart["severity"], 1);
    assert_eq!(restart["source"], "kubeplan");
    // UTF-16: the unknown field after a quoted emoji (two code units, one character) on line 17: character 38,
    // where kubeplan counts column 38 (37 characters before it).
    let unknown = diags.iter().find(|d| d["code"] == "unknown-field").expect("the unknown field");
    assert_eq!(unknown["range"]["start"], json!({"line": 17, "character": 38}));
    assert_eq!(unknown["range"]["end"], json!({"line": 17, "character": 51}));

    // The quick fix for the unknown field: none (no close name); for a typo there is one.
    let typo = DOC.replace("restartPolicy: Never", "restartPolicy: Always\n      nodeselector: {a: b}");
    s.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///w/ds.yaml", "version": 2}, "contentChanges": [{"text": typo}]}}));
    let published = s.receive_until(|m| m["method"] == "textDocument/publishDiagnostics");
    let diags = published["params"]["diagnostics"].as_array().unwrap();
    assert!(!diags.iter().any(|d| d["code"] == "api-unsupported"));
    let typo_diag = diags.iter().find(|d| d["message"].as_str().unwrap().contains("nodeselector")).unwrap().clone();
    s.send(json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {"textDocument": {"uri": "file:///w/ds.yaml"}, "range": typo_diag["range"], "context": {"diagnostics": [typo_diag]}}}));
    let actions = s.receive_until(|m| m["id"] == 2);
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["edit"]["changes"]["file:///w/ds.yaml"][0]["newText"], "nodeSelector");
    assert_eq!(action["edit"]["changes"]["file:///w/ds.yaml"][0]["range"], typo_diag["range"]);

    s.send(json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": "file:///w/ds.yaml"}}}));
    let cleared = s.receive_until(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    s.send(json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}));
    let down = s.receive_until(|m| m["id"] == 3);
    assert_eq!(down["result"], Value::Null);
    s.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "exit after shutdown is status 0: {status}");
            break;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}
