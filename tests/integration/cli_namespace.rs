//! `-n/--namespace` as kubectl's: namespaced objects that name no namespace go to it; one that names another is
//! refused with kubectl's message (cli-runtime's `RequireNamespace`), located, and the others are applied.

use kubeplan::cli::{self, MemoryFiles};

const NODE: &str = "apiVersion: v1
kind: Node
metadata: {name: n1, labels: {kubernetes.io/hostname: n1}}
status:
  capacity: {cpu: '4', memory: 8Gi, pods: '110'}
  conditions: [{type: Ready, status: 'True'}]
---
apiVersion: v1
kind: Namespace
metadata: {name: team}
";

fn ds(name: &str, namespace: Option<&str>) -> String {
    let namespace = namespace.map(|n| format!("\n  namespace: {n}")).unwrap_or_default();
    format!(
        "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {name}{namespace}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: c, image: busybox:1.36}}]
"
    )
}

fn run(args: &str, files: &[(&str, String)]) -> cli::Outcome {
    let mut fs = files.iter().fold(MemoryFiles::default(), |fs, (n, t)| fs.with(n, t.as_bytes()));
    let args: Vec<String> = args.split_whitespace().map(String::from).collect();
    cli::run(&args, &mut fs)
}

fn pod_namespaces(out: &cli::Outcome) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("the plan as JSON");
    v["pods"].as_array().unwrap().iter().map(|p| p["metadata"]["namespace"].as_str().unwrap().to_owned()).collect()
}

const MISMATCH: &str = "the namespace from the provided object \"other\" does not match the namespace \"team\". You must pass '--namespace=other' to perform this operation.";

#[test]
fn objects_without_a_namespace_go_to_the_one_given() {
    let files = [("nodes.yaml", NODE.to_owned()), ("ds.yaml", ds("agent", None))];
    for flag in ["-n team", "--namespace team", "--namespace=team"] {
        let out = run(&format!("plan nodes.yaml ds.yaml {flag} -o json"), &files);
        assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{flag}");
        assert_eq!(pod_namespaces(&out), ["team"], "{flag}");
    }
    let out = run("plan nodes.yaml ds.yaml -o json", &files);
    assert_eq!(pod_namespaces(&out), ["default"], "without -n: default, as before");
    let files = [("nodes.yaml", NODE.to_owned()), ("ds.yaml", ds("agent", Some("team")))];
    let out = run("plan nodes.yaml ds.yaml -n team -o json", &files);
    assert_eq!((out.code, pod_namespaces(&out)), (0, vec!["team".to_owned()]), "the same namespace is fine");
}

#[test]
fn an_object_in_another_namespace_is_refused_with_kubectls_message_and_the_rest_applied() {
    let text = format!("{}---\n{}", ds("agent", Some("other")), ds("second", None));
    let files = [("nodes.yaml", NODE.to_owned()), ("ds.yaml", text)];
    let out = run("plan nodes.yaml ds.yaml -n team -o json", &files);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains(&format!("ds.yaml:5:14: error[namespace-mismatch]: {MISMATCH}")), "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rejection = &v["rejections"][0];
    assert_eq!(rejection["message"], MISMATCH);
    assert_eq!((rejection["name"].as_str(), rejection["line"].as_u64()), (Some("agent"), Some(5)));
    assert_eq!(pod_namespaces(&out), ["team"], "the other DaemonSet is applied, in team");
    // Without -n, kubectl uses the object's own namespace.
    let out = run("plan nodes.yaml ds.yaml -o json", &files);
    assert!(!out.stderr.contains("namespace-mismatch"), "{}", out.stderr);
}

#[test]
fn lint_and_explain_take_it_too() {
    let files = [("ds.yaml", ds("agent", Some("other")))];
    let out = run("lint ds.yaml -n team", &files);
    assert_eq!(out.code, 2, "an input error, as kubectl's other refusals to read a document");
    assert!(out.stdout.contains("namespace-mismatch") && out.stdout.contains(MISMATCH), "{}", out.stdout);
    assert_eq!(run("lint ds.yaml -n other", &files).code, 0);
    let files = [("nodes.yaml", NODE.to_owned()), ("ds.yaml", ds("agent", None))];
    let pod = run("plan nodes.yaml ds.yaml -n team -o json", &files);
    let v: serde_json::Value = serde_json::from_str(&pod.stdout).unwrap();
    let name = v["pods"][0]["metadata"]["name"].as_str().unwrap().to_owned();
    let out = run(&format!("explain {name} nodes.yaml ds.yaml -n team"), &files);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "a bare pod name is in -n's namespace");
    assert!(out.stdout.contains("n1"), "{}", out.stdout);
}

#[test]
fn an_empty_namespace_is_a_usage_error() {
    let out = run("plan ds.yaml --namespace=", &[("ds.yaml", ds("agent", None))]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with("error: --namespace: expected a namespace name"), "{}", out.stderr);
}
