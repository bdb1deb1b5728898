//! The ReplicaSet controller end to end (`pkg/controller/replicaset/replica_set.go`): adoption, slow-start
//! creation, which pods go on scale-down, and a status that trails the sync's own actions by one round.

use kubeplan::cluster::Op;
use kubeplan::input::Source;
use kubeplan::{plan, Plan, PlanInput, PlanOptions};
use kubeplan::api::core_v1::Pod;
use kubeplan::api::apps_v1::ReplicaSet;

fn node(name: &str, cpu: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Node\nmetadata: {{name: {name}, labels: {{kubernetes.io/hostname: {name}}}}}\nstatus: {{capacity: {{cpu: '{cpu}', memory: 8Gi, pods: '110'}}, conditions: [{{type: Ready, status: 'True'}}]}}\n---\n"
    )
}

fn replica_set(replicas: i32, cpu: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {{name: web}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers: [{{name: web, image: 'nginx:1', resources: {{requests: {{cpu: {cpu}}}}}}}]\n"
    )
}

fn bare_pod(name: &str, node: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, labels: {{app: web}}}}\nspec:\n  nodeName: {node}\n  containers: [{{name: web, image: 'nginx:1'}}]\n---\n"
    )
}

fn run(input: &str, steps: Option<&str>, files: &[(&str, &str)]) -> Plan {
    let p = plan(
        &PlanInput {
            manifests: vec![Source::new("input.yaml", input)],
            update: Vec::new(),
            steps: steps.map(|s| Source::new("steps.yaml", s)),
            files: files.iter().map(|(n, t)| Source::new(*n, *t)).collect(),
        },
        &PlanOptions::default(),
    );
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert!(p.rejections().is_empty(), "{:?}", p.rejections());
    p
}

fn messages<'a>(p: &'a Plan, reason: &str) -> Vec<&'a str> {
    p.cluster.rec.events.iter().filter(|e| e.reason == reason).map(|e| e.message.as_str()).collect()
}

#[test]
fn orphan_pods_matching_the_selector_are_adopted() {
    let input = node("n1", "4") + &bare_pod("a", "n1") + &bare_pod("b", "n1") + &replica_set(3, "100m");
    let p = run(&input, None, &[]);
    assert_eq!(messages(&p, "SuccessfulCreate"), ["Created pod: web-bbbbb"], "two of three already exist");
    let rs = p.cluster.store().list::<ReplicaSet>().next().unwrap();
    for pod in p.cluster.store().list::<Pod>() {
        let owner = &pod.metadata.owner_references[0];
        assert_eq!(
            (owner.kind.as_str(), owner.uid.as_str(), owner.controller),
            ("ReplicaSet", rs.metadata.uid.as_str(), Some(true))
        );
    }
    assert_eq!((rs.status.replicas, rs.status.ready_replicas, rs.status.available_replicas), (3, 3, 3));
}

/// Every missing pod is created in one sync (slow-start batches of 1, 2, 4), and the status catches up.
#[test]
fn missing_pods_are_created_in_one_sync() {
    let p = run(&(node("n1", "8") + &replica_set(7, "100m")), None, &[]);
    let first = &p.cluster.rec.steps[0];
    assert_eq!(first.round, 1);
    assert_eq!(first.actions.iter().filter(|a| a.op == Op::Create).count(), 7);
    let rs = p.cluster.store().list::<ReplicaSet>().next().unwrap();
    assert_eq!(rs.status.observed_generation, 1);
    assert_eq!(rs.status.replicas, 7);
}

/// Scale-down deletes unscheduled pods before scheduled ones.
#[test]
fn scale_down_deletes_unscheduled_pods_first() {
    let input = node("n1", "1") + &replica_set(3, "400m");
    let scaled = replica_set(2, "400m");
    let p = run(&input, Some("- action: apply\n  file: scaled.yaml\n"), &[("scaled.yaml", &scaled)]);
    let pending: Vec<&str> = p
        .cluster
        .rec
        .steps
        .iter()
        .filter(|s| s.phase == "initial")
        .flat_map(|s| &s.actions)
        .filter(|a| a.op == Op::Create)
        .map(|a| a.name.as_str())
        .filter(|n| !p.cluster.rec.steps.iter().flat_map(|s| &s.actions).any(|a| a.op == Op::Bind && a.name == *n))
        .collect();
    assert_eq!(pending.len(), 1);
    assert_eq!(messages(&p, "SuccessfulDelete"), [format!("Deleted pod: {}", pending[0])]);
    assert!(p.cluster.store().list::<Pod>().all(|pod| !pod.spec.node_name.is_empty()));
}

/// Among pods alike (scheduled, running, ready), the controllers' clock sees their ages on the same log2 rank,
/// so the ranking falls back to UIDs: the oldest pods go first.
#[test]
fn scale_down_among_equals_deletes_the_oldest_first() {
    let input = node("n1", "4") + &replica_set(4, "100m");
    let scaled = replica_set(1, "100m");
    let p = run(&input, Some("- action: apply\n  file: scaled.yaml\n"), &[("scaled.yaml", &scaled)]);
    assert_eq!(
        messages(&p, "SuccessfulDelete"),
        ["Deleted pod: web-bbbbb", "Deleted pod: web-bbbbc", "Deleted pod: web-bbbbd"]
    );
}
