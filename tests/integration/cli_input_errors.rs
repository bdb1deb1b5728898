//! Unusable input gets a located error and exit status 2; the rest is still planned; nothing panics.

use std::collections::BTreeMap;

use kubeplan::cli;

use crate::memfs;
use memfs::Mem;

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
fn a_broken_document_stops_its_file_as_kubectl_apply_does() {
    // kubectl apply reads the file's documents until one does not parse: the node before it is applied, the
    // DaemonSet after it is not (and says so, where it starts); another file is still read.
    let text = format!("{NODE}---\nspec: [unclosed\n---\n{DS}");
    let out = plan(&[("m.yaml", text)]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("m.yaml:8:"), "{}", out.stderr);
    assert!(out.stderr.contains("yaml-syntax"), "{}", out.stderr);
    assert!(
        out.stderr.contains("m.yaml:10:1: info[not-applied]: not applied: kubectl stops reading m.yaml at a document that does not parse (line 8), so this document is not applied"),
        "{}",
        out.stderr
    );
    assert!(pods(&out).is_empty(), "the DaemonSet after the broken document is not applied");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["workloads"].as_array().map_or(0, Vec::len), 0, "{}", out.stdout);

    // The same DaemonSet in a file of its own is applied: only the broken file stops.
    let out = plan(&[("nodes.yaml", format!("{NODE}---\nspec: [unclosed\n")), ("ds.yaml", DS.to_string())]);
    assert_eq!(out.code, 2);
    assert!(!out.stderr.contains("not-applied"), "nothing follows the broken document: {}", out.stderr);
    assert_eq!(pods(&out), ["n1"], "the node before the broken document and the other file are applied");
}

#[test]
fn a_bad_separator_also_drops_the_document_it_ends() {
    // kubectl's YAML reader returns the separator's error instead of the document it ends.
    let text = format!("{NODE}--- trailing text\n{DS}---\n{DS}");
    let out = plan(&[("m.yaml", text)]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("m.yaml:7:5: error[yaml-syntax]"), "{}", out.stderr);
    assert!(
        out.stderr.contains("m.yaml:1:1: info[not-applied]: not applied: kubectl stops reading m.yaml at a document separator it cannot read (line 7), so this document and the 2 after it in the file are not applied"),
        "{}",
        out.stderr
    );
    assert!(pods(&out).is_empty(), "neither the node nor the DaemonSets are applied");
}

#[test]
fn lint_still_checks_every_document_after_a_broken_one() {
    let bad_ds = DS.replace("metadata: {labels: {app: agent}}", "metadata: {labels: {app: other}}");
    let text = format!("{NODE}---\nspec: [unclosed\n---\n{bad_ds}");
    let mut fs = Mem([("m.yaml".to_string(), text)].into_iter().collect());
    let out = cli::run(&["lint".into(), "m.yaml".into()], &mut fs);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("yaml-syntax"), "{all}");
    assert!(all.contains("selector"), "the DaemonSet after the broken document is still checked: {all}");
    assert!(!all.contains("not-applied"), "{all}");
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
