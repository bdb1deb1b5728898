//! The StatefulSet controller through whole plans, checked against the rules of `pkg/controller/statefulset`:
//! ordinal identity, OrderedReady versus Parallel, scale-down order, partitioned rolling updates, OnDelete,
//! revision reuse and history limits, failed pods, and creation errors.

use kubeplan::api::{GroupKind, Object};
use kubeplan::sim::Simulation;
use kubeplan::input::{load, Source};
use kubeplan::plan::{plan, Plan, PlanInput, PlanOptions};
use kubeplan::cluster::Concurrency;
use kubeplan::api::apps_v1::{ControllerRevision, StatefulSet};
use kubeplan::api::core_v1::Pod;
use crate::common::numbered_nodes as nodes;

fn sts(replicas: i32, image: &str, extra: &str) -> String {
    let lines = [
        "apiVersion: apps/v1".to_owned(),
        "kind: StatefulSet".to_owned(),
        "metadata:".to_owned(),
        "  name: db".to_owned(),
        "spec:".to_owned(),
        format!("  replicas: {replicas}"),
        "  serviceName: db-svc".to_owned(),
        "  selector:".to_owned(),
        "    matchLabels: {app: db}".to_owned(),
        "  template:".to_owned(),
        "    metadata:".to_owned(),
        "      labels: {app: db}".to_owned(),
        "    spec:".to_owned(),
        "      containers:".to_owned(),
        "      - name: db".to_owned(),
        format!("        image: {image}"),
        "        resources:".to_owned(),
        "          requests: {cpu: 100m}".to_owned(),
    ];
    lines.join("\n") + "\n" + extra
}

fn run(input: &str, update: Option<&str>, steps: Option<(&str, Vec<(&str, String)>)>) -> Plan {
    let mut pi = PlanInput { manifests: vec![Source::new("input.yaml", input)], ..Default::default() };
    if let Some(u) = update {
        pi.update = vec![Source::new("update.yaml", u)];
    }
    if let Some((s, files)) = steps {
        pi.steps = Some(Source::new("steps.yaml", s));
        pi.files = files.into_iter().map(|(n, t)| Source::new(n, t)).collect();
    }
    let p = plan(&pi, &PlanOptions::default());
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    p
}

/// `(phase, round, op, pod)` for every pod action.
fn actions(p: &Plan) -> Vec<(String, u32, String, String)> {
    let mut out = Vec::new();
    for s in &p.cluster.rec.steps {
        for a in &s.actions {
            let op = serde_json::to_value(a.op).unwrap().as_str().unwrap().to_owned();
            out.push((s.phase.clone(), s.round, op, a.name.clone()));
        }
    }
    out
}

fn ops(p: &Plan, phase: &str, op: &str) -> Vec<(u32, String)> {
    actions(p).into_iter().filter(|a| a.0 == phase && a.2 == op).map(|a| (a.1, a.3)).collect()
}

fn events(p: &Plan) -> Vec<(String, String)> {
    p.cluster
        .rec
        .events
        .iter()
        .filter(|e| e.source.component == "statefulset-controller")
        .map(|e| (e.reason.clone(), e.message.clone()))
        .collect()
}

fn set(p: &Plan) -> kubeplan::api::apps_v1::StatefulSet {
    p.cluster.store().list::<StatefulSet>().next().expect("a StatefulSet").clone()
}

fn pod_revision(p: &Plan, name: &str) -> String {
    p.cluster.store().by_key::<Pod>(&("default".to_owned(), name.to_owned())).expect("stored").metadata.labels["controller-revision-hash"].clone()
}

#[test]
fn ordered_ready_creates_one_pod_per_round_with_its_identity() {
    let p = run(&(nodes(3, "4") + &sts(3, "db:v1", "")), None, None);
    assert_eq!(ops(&p, "initial", "create"), [(1, "db-0".to_owned()), (2, "db-1".to_owned()), (3, "db-2".to_owned())]);
    let pod = &p.cluster.store().by_key::<Pod>(&("default".to_owned(), "db-1".to_owned())).expect("stored");
    assert_eq!(pod.metadata.generate_name, "db-");
    assert_eq!(pod.spec.hostname, "db-1");
    assert_eq!(pod.spec.subdomain, "db-svc");
    assert_eq!(pod.metadata.labels["statefulset.kubernetes.io/pod-name"], "db-1");
    assert_eq!(pod.metadata.labels["apps.kubernetes.io/pod-index"], "1");
    let s = set(&p);
    let rev = &s.status.update_revision;
    assert!(rev.starts_with("db-"));
    assert_eq!(pod.metadata.labels["controller-revision-hash"], *rev, "the label holds the revision's name");
    assert_eq!(s.status.current_revision, *rev);
    assert_eq!((s.status.replicas, s.status.ready_replicas, s.status.current_replicas), (3, 3, 3));
    assert_eq!(s.status.observed_generation, 1);
    assert_eq!(s.status.collision_count, Some(0));
    let revs: Vec<_> = p.cluster.store().list::<ControllerRevision>().collect();
    assert_eq!(revs.len(), 1);
    assert_eq!(revs[0].metadata.name, *rev);
    assert_eq!(revs[0].revision, 1);
    let hash = rev.trim_start_matches("db-");
    assert_eq!(revs[0].metadata.labels["controller.kubernetes.io/hash"], hash);
    assert_eq!(revs[0].metadata.labels["app"], "db");
    assert_eq!(
        events(&p)[0],
        ("SuccessfulCreate".to_owned(), "create Pod db-0 in StatefulSet db successful".to_owned())
    );
}

#[test]
fn parallel_creates_every_pod_in_one_sync() {
    let p = run(&(nodes(2, "4") + &sts(4, "db:v1", "  podManagementPolicy: Parallel\n")), None, None);
    let created = ops(&p, "initial", "create");
    assert_eq!(created.len(), 4);
    assert!(created.iter().all(|(round, _)| *round == 1));
    let names: Vec<&str> = created.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["db-0", "db-1", "db-2", "db-3"]);
}

#[test]
fn an_unschedulable_pod_blocks_ordered_ready_creation() {
    // Each node fits one pod (requests 100m of 150m).
    let p = run(&(nodes(1, "150m") + &sts(3, "db:v1", "")), None, None);
    assert_eq!(ops(&p, "initial", "create"), [(1, "db-0".to_owned()), (2, "db-1".to_owned())]);
    let s = set(&p);
    assert_eq!((s.status.replicas, s.status.ready_replicas, s.status.current_replicas), (2, 1, 2));
    assert!(p.cluster.store().get::<Pod>("default", "db-2").is_none());
}

#[test]
fn scale_down_removes_the_highest_ordinal_first() {
    let base = nodes(2, "4");
    let ordered = run(&(base.clone() + &sts(4, "db:v1", "")), Some(&sts(1, "db:v1", "")), None);
    assert_eq!(
        ops(&ordered, "update", "delete"),
        [(1, "db-3".to_owned()), (2, "db-2".to_owned()), (3, "db-1".to_owned())]
    );
    let parallel_extra = "  podManagementPolicy: Parallel\n";
    let parallel = run(&(base + &sts(4, "db:v1", parallel_extra)), Some(&sts(1, "db:v1", parallel_extra)), None);
    assert_eq!(
        ops(&parallel, "update", "delete"),
        [(1, "db-3".to_owned()), (1, "db-2".to_owned()), (1, "db-1".to_owned())]
    );
    assert_eq!(set(&parallel).status.replicas, 1);
}

#[test]
fn rolling_update_goes_down_from_the_top_and_stops_at_the_partition() {
    let partition = "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate: {partition: 1}\n";
    let p = run(&(nodes(2, "4") + &sts(4, "db:v1", "")), Some(&sts(4, "db:v2", partition)), None);
    assert_eq!(ops(&p, "update", "delete"), [(1, "db-3".to_owned()), (3, "db-2".to_owned()), (5, "db-1".to_owned())]);
    assert_eq!(ops(&p, "update", "create"), [(2, "db-3".to_owned()), (4, "db-2".to_owned()), (6, "db-1".to_owned())]);
    let s = set(&p);
    assert_ne!(s.status.current_revision, s.status.update_revision, "a partitioned rollout never completes");
    assert_eq!(pod_revision(&p, "db-0"), s.status.current_revision);
    for n in ["db-1", "db-2", "db-3"] {
        assert_eq!(pod_revision(&p, n), s.status.update_revision);
    }
    assert_eq!((s.status.current_replicas, s.status.updated_replicas), (1, 3));
    let rev_numbers: Vec<i64> = p.cluster.store().list::<ControllerRevision>().map(|r| r.revision).collect();
    assert_eq!(rev_numbers.len(), 2);
    assert!(rev_numbers.contains(&1) && rev_numbers.contains(&2));
}

#[test]
fn a_full_rolling_update_makes_the_update_revision_current() {
    let p = run(&(nodes(3, "4") + &sts(3, "db:v1", "")), Some(&sts(3, "db:v2", "")), None);
    let s = set(&p);
    assert_eq!(s.status.current_revision, s.status.update_revision);
    assert_eq!((s.status.current_replicas, s.status.updated_replicas), (3, 3));
    // Deleted in descending order, each recreated before the next goes.
    let deleted: Vec<String> = ops(&p, "update", "delete").into_iter().map(|(_, n)| n).collect();
    assert_eq!(deleted, ["db-2", "db-1", "db-0"]);
}

#[test]
fn on_delete_replaces_only_deleted_pods_at_the_update_revision() {
    let on_delete = "  updateStrategy: {type: OnDelete}\n";
    let steps = "- action: deletePod\n  namespace: default\n  name: db-1\n";
    let p = run(&(nodes(3, "4") + &sts(3, "db:v1", "")), Some(&sts(3, "db:v2", on_delete)), Some((steps, vec![])));
    assert!(ops(&p, "update", "delete").is_empty(), "OnDelete never deletes for an update");
    assert_eq!(ops(&p, "step1:deletePod", "create"), [(1, "db-1".to_owned())]);
    let s = set(&p);
    assert_eq!(pod_revision(&p, "db-1"), s.status.update_revision);
    assert_eq!(pod_revision(&p, "db-0"), s.status.current_revision);
    assert_eq!((s.status.current_replicas, s.status.updated_replicas), (2, 1));
}

#[test]
fn an_old_template_brings_its_revision_back_and_history_is_trimmed() {
    let limit = "  revisionHistoryLimit: 1\n";
    let v = |image: &str| format!("---\n{}", sts(2, image, limit));
    let steps =
        "- action: apply\n  file: v2.yaml\n- action: apply\n  file: v3.yaml\n- action: apply\n  file: v2.yaml\n";
    let p = run(
        &(nodes(2, "4") + &sts(2, "db:v1", limit)),
        None,
        Some((steps, vec![("v2.yaml", v("db:v2")), ("v3.yaml", v("db:v3"))])),
    );
    let s = set(&p);
    let revs: Vec<(String, i64)> =
        p.cluster.store().list::<ControllerRevision>().map(|r| (r.metadata.name.clone(), r.revision)).collect();
    assert_eq!(revs.len(), 2, "v1's revision went once two others were live: {revs:?}");
    // v2's revision is reused, renumbered after v3's.
    let v2 = revs.iter().find(|(n, _)| *n == s.status.update_revision).expect("v2 revision");
    assert_eq!(v2.1, 4);
    assert!(revs.iter().any(|(n, r)| *n != v2.0 && *r == 3));
    assert_eq!(s.status.current_revision, s.status.update_revision);
    assert_eq!(s.metadata.generation, 4);
    assert!(p.cluster.rec.rejections.is_empty(), "{:?}", p.cluster.rec.rejections);
}

#[test]
fn start_ordinal_shifts_names_and_index_labels() {
    let p = run(&(nodes(2, "4") + &sts(2, "db:v1", "  ordinals: {start: 5}\n")), None, None);
    let names: Vec<String> = ops(&p, "initial", "create").into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["db-5", "db-6"]);
    let pod = &p.cluster.store().by_key::<Pod>(&("default".to_owned(), "db-6".to_owned())).expect("stored");
    assert_eq!(pod.metadata.labels["apps.kubernetes.io/pod-index"], "6");
}

#[test]
fn a_failed_pod_is_deleted_and_created_again() {
    let input = nodes(2, "4") + &sts(2, "db:v1", "");
    let mut sim = Simulation::new();
    sim.begin_phase("initial");
    for m in load(&[Source::new("input.yaml", input)]).manifests {
        sim.cluster.create(m.object).expect("created");
    }
    sim.settle();
    let key = ("default".to_owned(), "db-0".to_owned());
    let mut pod = sim.cluster.store().by_key::<Pod>(&key).expect("stored").clone();
    let old_uid = pod.metadata.uid.clone();
    pod.status.phase = "Failed".into();
    let _ = sim.cluster.patch(Object::Pod(std::sync::Arc::new(pod)), Concurrency::Unchecked);
    sim.begin_phase("after");
    sim.settle();
    let cluster = &sim.cluster;
    let pod = &cluster.store().by_key::<Pod>(&key).expect("stored");
    assert_ne!(pod.metadata.uid, old_uid, "a new pod took the ordinal");
    assert_eq!(pod.status.phase, "Running");
    let deletes: Vec<&str> = cluster
        .rec
        .events
        .iter()
        .filter(|e| e.phase == "after" && e.reason == "SuccessfulDelete")
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(deletes, ["delete Pod db-0 in StatefulSet db successful"]);
}

#[test]
fn a_refused_pod_is_a_failed_create_and_parallel_stops_there() {
    let extra = "  podManagementPolicy: Parallel\n";
    let input = nodes(1, "4")
        + &sts(3, "db:v1", extra).replace("      containers:", "      priorityClassName: missing\n      containers:");
    let p = run(&input, None, None);
    assert_eq!(p.cluster.store().count(GroupKind::Pod), 0);
    let ev = events(&p);
    assert_eq!(ev.len(), 1, "one attempt per sync, repeats merged: {ev:?}");
    assert_eq!(ev[0].0, "FailedCreate");
    assert_eq!(
        ev[0].1,
        "create Pod db-0 in StatefulSet db failed error: pods \"db-0\" is forbidden: no PriorityClass with name missing was found"
    );
    let s = set(&p);
    assert_eq!((s.status.replicas, s.status.observed_generation), (0, 1));
}

#[test]
fn max_unavailable_is_ignored_with_its_gate_off() {
    let strategy = "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate: {maxUnavailable: 3}\n";
    let p = run(&(nodes(2, "4") + &sts(3, "db:v1", strategy)), Some(&sts(3, "db:v2", strategy)), None);
    // One pod at a time, exactly as with maxUnavailable 1.
    assert_eq!(ops(&p, "update", "delete"), [(1, "db-2".to_owned()), (3, "db-1".to_owned()), (5, "db-0".to_owned())]);
}
