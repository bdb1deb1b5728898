//! The plan's budget: a workload asking for more pods than kubeplan plans is left out with a located `budget`
//! error and everything else is planned; the budget is overridable; a phase that does not settle is stopped.

use kubeplan::cli::{self, MemoryFiles};
use kubeplan::lint::{lint, LintOptions};
use kubeplan::lsp::Server;
use kubeplan::input::Source;
use kubeplan::facade::Budget;
use serde_json::{json, Value};

const NODE: &str = "apiVersion: v1
kind: Node
metadata: {name: n1, labels: {kubernetes.io/hostname: n1}}
status:
  capacity: {cpu: '4', memory: 8Gi, pods: '110'}
  conditions: [{type: Ready, status: 'True'}]
";

fn deployment(name: &str, replicas: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: c, image: 'busybox:1.36'}}]
"
    )
}

fn plan(text: String, flags: &[&str]) -> cli::Outcome {
    let mut fs = MemoryFiles::default().with("m.yaml", text);
    let mut args: Vec<String> = ["plan", "m.yaml", "-o", "json"].iter().map(|s| s.to_string()).collect();
    args.extend(flags.iter().map(|s| s.to_string()));
    cli::run(&args, &mut fs)
}

fn pod_names(out: &cli::Outcome) -> Vec<String> {
    let v: Value = serde_json::from_str(&out.stdout).expect("the plan is printed as JSON");
    v["pods"].as_array().unwrap().iter().map(|p| p["metadata"]["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_million_replicas_are_cut_at_their_field_and_the_rest_is_planned() {
    // `1e9` is how kubectl reads an integer written in exponent form: 1,000,000,000 replicas.
    for replicas in ["1000000", "1e9"] {
        let text = format!("{NODE}---\n{}---\n{}", deployment("huge", replicas), deployment("web", "2"));
        let out = plan(text, &[]);
        assert_eq!(out.code, 2, "a cut plan is not a whole plan: {}", out.stderr);
        // The `replicas:` value of the first Deployment: line 12 of m.yaml (6 lines of node, `---`, its 5th line).
        assert!(out.stderr.starts_with("m.yaml:12:13: error[budget]: Deployment default/huge asks for "), "{}", out.stderr);
        assert!(out.stderr.contains("more than the plan's budget of 200000 pods"), "{}", out.stderr);
        let pods = pod_names(&out);
        assert_eq!(pods.len(), 2, "the other Deployment is planned: {pods:?}");
        assert!(pods.iter().all(|p| p.starts_with("web-")));
    }
}

#[test]
fn the_budget_is_overridable_and_counts_every_workload() {
    let text = format!("{NODE}---\n{}---\n{}", deployment("a", "2"), deployment("b", "2"));
    let out = plan(text.clone(), &["--max-pods", "3"]);
    assert!(out.stderr.contains("Deployment default/b asks for 2 pods (spec.replicas), but only 1 of the plan's budget of 3 pods remain"), "{}", out.stderr);
    assert_eq!(pod_names(&out).len(), 2);
    let out = plan(text, &["--max-pods", "4"]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(pod_names(&out).len(), 4);
}

#[test]
fn a_phase_past_its_rounds_stops_and_says_so() {
    // Two replicas on one node: round 1 creates the ReplicaSet, round 2 its pods, ...; one round is not enough.
    let out = plan(format!("{NODE}---\n{}", deployment("web", "2")), &["--max-rounds", "1"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("phase initial stopped at round 1: the cluster still changed after 1 rounds (--max-rounds)"), "{}", out.stderr);
}

#[test]
fn lint_with_nodes_reports_the_cut_on_the_manifest() {
    let sources = [Source::new("m.yaml", deployment("huge", "1000000"))];
    let options = LintOptions { nodes: vec![Source::new("nodes.yaml", NODE)], budget: Budget::default(), ..Default::default() };
    let report = lint(&sources, &options);
    let f = report.findings.iter().find(|f| f.rule == "budget").expect("a budget finding");
    assert_eq!((f.file.as_str(), f.span.start.line, f.span.start.col), ("m.yaml", 5, 13));
}

#[test]
fn the_language_server_answers_on_a_million_replicas() {
    let mut s = Server::new(LintOptions { nodes: vec![Source::new("nodes.yaml", NODE)], ..Default::default() });
    s.handle(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}).to_string());
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///d.yaml", "languageId": "yaml", "version": 1, "text": deployment("huge", "1000000")}}});
    let out = s.handle(&open.to_string());
    let published: Value = serde_json::from_str(&out[0]).unwrap();
    let d = published["params"]["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "budget").cloned();
    assert_eq!(d.expect("a budget diagnostic")["range"]["start"], json!({"line": 4, "character": 12}));
}
