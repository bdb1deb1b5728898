//! Unusable input gets a located error and exit status 2; the rest is still planned; nothing panics.

use std::collections::BTreeMap;

use kubeplan::cli::{self, Io};

/// An in-memory file system.
struct Mem(BTreeMap<String, String>);

impl Io for Mem {
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        self.0.get(path).cloned().ok_or_else(|| format!("{path}: no such file"))
    }
    fn is_dir(&mut self, _: &str) -> bool {
        false
    }
    fn list_dir(&mut self, path: &str) -> Result<Vec<String>, String> {
        Err(format!("{path}: not a directory"))
    }
    fn read_stdin(&mut self) -> Result<String, String> {
        Ok(String::new())
    }
}

const NODE: &str = "apiVersion: v1
kind: Node
metadata: {name: n1, labels: {kubernetes.io/hostname: n1}}
status:
  capacity: {cpu: '4', memory: 8Gi, pods: '110'}
  conditions: [{type: Ready, status: 'True'}]
";

const DS: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: c, image: busybox:1.36}]
";

fn plan(files: &[(&str, String)]) -> cli::Outcome {
    let mut fs = Mem(files.iter().map(|(n, t)| (n.to_string(), t.clone())).collect());
    let mut args = vec!["plan".to_string()];
    args.extend(files.iter().map(|(n, _)| n.to_string()));
    args.extend(["-o".to_string(), "json".to_string()]);
    cli::run(&args, &mut fs)
}

fn pods(out: &cli::Outcome) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("the plan is still printed as JSON");
    v["pods"].as_array().unwrap().iter().map(|p| p["spec"]["nodeName"].as_str().unwrap_or("").to_owned()).collect()
}

#[test]
fn malformed_yaml_is_located_and_the_other_documents_still_plan() {
    let text = format!("{NODE}---\nspec: [unclosed\n---\n{DS}");
    let out = plan(&[("m.yaml", text)]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("m.yaml:8:"), "{}", out.stderr);
    assert!(out.stderr.contains("yaml-syntax"), "{}", out.stderr);
    assert_eq!(pods(&out), ["n1"], "the DaemonSet after the broken document still runs on n1");
}

#[test]
fn wrong_field_types_name_the_field_and_its_go_type() {
    let bad = DS.replace("image: busybox:1.36", "image: busybox:1.36, ports: [{containerPort: http}]");
    let out = plan(&[("nodes.yaml", NODE.to_string()), ("ds.yaml", bad)]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("ds.yaml:9:") && out.stderr.contains("of type int32"),
        "located type error expected, got: {}",
        out.stderr
    );
    assert!(pods(&out).is_empty());
}

#[test]
fn unknown_kinds_are_located_errors_and_known_unmodelled_kinds_are_notes() {
    let text = format!("{NODE}---\napiVersion: apps/v1\nkind: DaemonSett\nmetadata: {{name: x}}\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {{name: c}}\n");
    let out = plan(&[("m.yaml", text)]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("m.yaml:9:7: error[unknown-kind]"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean \"DaemonSet\""), "{}", out.stderr);
    assert!(out.stderr.contains("info[ignored-kind]: ValidatingWebhookConfiguration"), "{}", out.stderr);
}

#[test]
fn an_alias_bomb_is_refused_with_a_located_error() {
    let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    let mut prev = 'a';
    for c in "bcdefghijk".chars() {
        let refs = vec![format!("*{prev}"); 10].join(",");
        bomb.push_str(&format!("{c}: &{c} [{refs}]\n"));
        prev = c;
    }
    let out = plan(&[("nodes.yaml", NODE.to_string()), ("bomb.yaml", bomb)]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bomb.yaml:") && out.stderr.contains("yaml-limit"), "{}", out.stderr);
    assert!(out.stderr.contains("alias bomb"), "{}", out.stderr);
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let out = plan(&[("deep.yaml", deep)]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("deep.yaml:1:") && out.stderr.contains("refused"), "{}", out.stderr);
}

#[test]
fn a_rejected_object_exits_one_and_a_clean_plan_zero() {
    let bad = DS.replace("metadata: {labels: {app: agent}}", "metadata: {labels: {app: other}}");
    let out = plan(&[("nodes.yaml", NODE.to_string()), ("ds.yaml", bad)]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let out = plan(&[("nodes.yaml", NODE.to_string()), ("ds.yaml", DS.to_string())]);
    assert_eq!(out.code, 0);
}

#[test]
fn missing_files_and_bad_flags_are_usage_errors() {
    let mut fs = Mem(BTreeMap::new());
    let out = cli::run(&["plan".into(), "nope.yaml".into()], &mut fs);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nope.yaml"));
    let out = cli::run(&["plan".into(), "x.yaml".into(), "--output".into(), "xml".into()], &mut fs);
    assert_eq!(out.code, 2);
}
