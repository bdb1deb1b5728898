//! The kubelet's admission of pods that name their node (`spec.nodeName`) and so bypass the scheduler: a pod that
//! does not fit is Failed with the kubelet's reason and message, as `kubectl get pods` shows it.

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

fn pod(name: &str, cpu: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  nodeName: n1{extra}
  containers: [{{name: c, image: busybox:1.36, resources: {{requests: {{cpu: '{cpu}'}}}}}}]
"
    )
}

fn run(manifests: &str, output: &str) -> cli::Outcome {
    let mut fs = Mem([("m.yaml".to_string(), format!("{NODE}---\n{manifests}"))].into_iter().collect());
    cli::run(&["plan".into(), "m.yaml".into(), "-o".into(), output.into(), "--kubelet-admission".into()], &mut fs)
}

fn pods(manifests: &str) -> Vec<serde_json::Value> {
    let out = run(manifests, "json");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect(&out.stderr);
    v["pods"].as_array().unwrap().clone()
}

fn status(p: &serde_json::Value) -> (String, String, String) {
    let s = &p["status"];
    let text = |k: &str| s[k].as_str().unwrap_or("").to_owned();
    (text("phase"), text("reason"), text("message"))
}

#[test]
fn a_pod_asking_more_cpu_than_its_node_has_is_refused_by_the_kubelet() {
    let pods = pods(&pod("big", "10", ""));
    assert_eq!(
        status(&pods[0]),
        (
            "Failed".into(),
            "OutOfcpu".into(),
            "Pod was rejected: Node didn't have enough resource: cpu, requested: 10000, used: 0, capacity: 4000".into()
        )
    );
    let table = run(&pod("big", "10", ""), "table").stdout;
    assert!(table.lines().any(|l| l.contains("big") && l.contains("0/1") && l.contains("OutOfcpu")), "{table}");
    assert!(table.contains("OutOfcpu"), "{table}");
    let json: serde_json::Value = serde_json::from_str(&run(&pod("big", "10", ""), "json").stdout).unwrap();
    let event = json["events"].as_array().unwrap().iter().find(|e| e["reason"] == "OutOfcpu").expect("a kubelet event");
    assert_eq!(event["type"], "Warning");
    assert_eq!(event["message"], "Node didn't have enough resource: cpu, requested: 10000, used: 0, capacity: 4000");
}

#[test]
fn pods_are_admitted_in_creation_order_against_what_the_node_already_runs() {
    // Applied in file order: "b" (3 CPUs) first fits, then "a" (2 CPUs) does not.
    let pods = pods(&format!("{}---\n{}", pod("b", "3", ""), pod("a", "2", "")));
    let by_name: BTreeMap<String, (String, String, String)> =
        pods.iter().map(|p| (p["metadata"]["name"].as_str().unwrap().to_owned(), status(p))).collect();
    assert_eq!(by_name["b"].0, "Running");
    assert_eq!(
        by_name["a"],
        (
            "Failed".into(),
            "OutOfcpu".into(),
            "Pod was rejected: Node didn't have enough resource: cpu, requested: 2000, used: 3000, capacity: 4000".into()
        )
    );
}

#[test]
fn a_node_selector_that_does_not_match_is_node_affinity() {
    let pods = pods(&pod("p", "1", "\n  nodeSelector: {disk: ssd}"));
    assert_eq!(
        status(&pods[0]),
        (
            "Failed".into(),
            "NodeAffinity".into(),
            "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector".into()
        )
    );
    // A pod that fits runs.
    assert_eq!(status(&self::pods(&pod("p", "1", ""))[0]).0, "Running");
}

#[test]
fn without_kubelet_admission_the_conformance_model_runs_every_bound_pod() {
    let mut fs = Mem([("m.yaml".to_string(), format!("{NODE}---\n{}", pod("big", "10", "")))].into_iter().collect());
    let out = cli::run(&["plan".into(), "m.yaml".into(), "-o".into(), "json".into()], &mut fs);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["pods"][0]["status"]["phase"], "Running");
}

#[test]
fn kubectl_get_pods_counts_native_sidecars_and_shows_scheduling_gates() {
    let sidecar = "apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers: [{name: proxy, image: envoy:1, restartPolicy: Always}, {name: init, image: busybox:1.36}]
  containers: [{name: app, image: nginx:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: held}
spec:
  schedulingGates: [{name: example.com/wait}]
  containers: [{name: app, image: nginx:1}]
";
    let table = run(sidecar, "table").stdout;
    let row = |name: &str| table.lines().find(|l| l.contains(&format!("pod/{name} "))).unwrap_or_default().to_owned();
    assert!(row("web").contains("2/2") && row("web").contains("Running"), "{table}");
    assert!(row("held").contains("0/1") && row("held").contains("SchedulingGated"), "{table}");
}
