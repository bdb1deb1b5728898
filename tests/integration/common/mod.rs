//! Helpers for the scheduler and controller tests: plan a YAML cluster and read what the scheduler decided.
#![allow(dead_code)]

use kubeplan::api::core_v1::Pod;
use kubeplan::api::Object;
use kubeplan::input::{load, Source};
use kubeplan::scheduler::Placement;
use kubeplan::{plan, Plan, PlanInput, PlanOptions};

/// Plan the documents (joined with `---`).
pub fn run(docs: &[String]) -> Plan {
    let input = PlanInput { manifests: vec![Source::new("test.yaml", docs.join("\n---\n"))], ..Default::default() };
    let p = plan(&input, &PlanOptions::default());
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert!(p.rejections().is_empty(), "{:?}", p.rejections());
    p
}

/// The one object of `yaml`, decoded (not defaulted); the document must read without a diagnostic.
pub fn load_one(yaml: &str) -> Object {
    let loaded = load(&[Source::new("test.yaml", yaml)]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.manifests.into_iter().next().expect("one object").object
}

/// A node with capacity `cpu` and 8Gi of memory, and these labels (hostname is added).
pub fn node(name: &str, cpu: &str, labels: &[(&str, &str)]) -> String {
    let mut l = format!("kubernetes.io/hostname: {name}");
    for (k, v) in labels {
        l.push_str(&format!(", {k}: {v}"));
    }
    format!(
        "{{apiVersion: v1, kind: Node, metadata: {{name: {name}, labels: {{{l}}}}}, \
         status: {{capacity: {{cpu: '{cpu}', memory: 8Gi, pods: '110'}}, conditions: [{{type: Ready, status: 'True'}}]}}}}"
    )
}

/// Nodes `node-01` to `node-NN` (two digits: name order is number order) with capacity `cpu`, 8Gi of memory and
/// 110 pods, as one YAML stream.
pub fn numbered_nodes(n: usize, cpu: &str) -> String {
    (1..=n)
        .map(|i| {
            [
                "apiVersion: v1".to_owned(),
                "kind: Node".to_owned(),
                "metadata:".to_owned(),
                format!("  name: node-{i:02}"),
                format!("  labels: {{kubernetes.io/hostname: node-{i:02}}}"),
                "status:".to_owned(),
                format!("  capacity: {{cpu: '{cpu}', memory: 8Gi, pods: '110'}}"),
                "  conditions: [{type: Ready, status: 'True'}]".to_owned(),
                "---\n".to_owned(),
            ]
            .join("\n")
        })
        .collect()
}

/// A pod requesting `cpu`; `extra` is YAML for more of the spec, one field per line at two spaces' indent.
pub fn pod(name: &str, labels: &[(&str, &str)], cpu: &str, extra: &str) -> String {
    let l: Vec<String> = labels.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels: {{{}}}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    resources:\n      requests:\n        cpu: {cpu}\n{extra}",
        l.join(", ")
    )
}

/// A pod already running on `node` (created with `nodeName`).
pub fn on_node(name: &str, labels: &[(&str, &str)], cpu: &str, node: &str, extra: &str) -> String {
    pod(name, labels, cpu, &format!("  nodeName: {node}\n{extra}"))
}

pub fn service(name: &str, selector: &[(&str, &str)]) -> String {
    let s: Vec<String> = selector.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{apiVersion: v1, kind: Service, metadata: {{name: {name}}}, spec: {{selector: {{{}}}, ports: [{{port: 80}}]}}}}", s.join(", "))
}

pub fn priority_class(name: &str, value: i32) -> String {
    format!("{{apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {{name: {name}}}, value: {value}}}")
}

pub fn get_pod<'a>(p: &'a Plan, name: &str) -> &'a Pod {
    p.cluster.store().by_key::<Pod>(&("default".to_string(), name.to_string())).unwrap_or_else(|| panic!("pod {name}"))
}

pub fn node_of(p: &Plan, name: &str) -> String {
    get_pod(p, name).spec.node_name.clone()
}

/// The PodScheduled=False message of a pending pod.
pub fn unschedulable_message(p: &Plan, name: &str) -> String {
    let pod = get_pod(p, name);
    assert!(pod.spec.node_name.is_empty(), "{name} is bound to {}", pod.spec.node_name);
    pod.status.conditions.iter().find(|c| c.r#type == "PodScheduled").map(|c| c.message.clone()).unwrap_or_default()
}

/// The scheduling decisions for a pod, in order.
pub fn placements<'a>(p: &'a Plan, name: &str) -> Vec<&'a Placement> {
    let key = format!("default/{name}");
    p.scheduler.placements.iter().filter(|x| x.pod == key).collect()
}

/// One plugin's weighted score per node in the pod's first scored decision.
pub fn plugin_scores(p: &Plan, name: &str, plugin: &str) -> Vec<(String, Option<i64>)> {
    let pl = placements(p, name).into_iter().find(|x| !x.scores.is_empty()).expect("a scored decision");
    pl.scores.node_names().map(|n| (n.to_owned(), pl.scores.get(n, plugin))).collect()
}

/// `(reason, involved pod, message)` of the scheduler's events.
pub fn scheduler_events(p: &Plan) -> Vec<(String, String, String)> {
    p.cluster
        .rec
        .events
        .iter()
        .filter(|e| e.source.component == "default-scheduler")
        .map(|e| (e.reason.clone(), e.involved_object.name.clone(), e.message.clone()))
        .collect()
}
