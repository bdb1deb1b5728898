//! The default table summarises a plan with more pods (or events) than a person reads: pods per workload and per
//! zone, Pending pods grouped by the scheduler's message, events grouped by type, reason and kind, and a line
//! saying how to get everything. `-o wide` still lists every pod; a small plan prints as it always did.

use kubeplan::cli;
use kubeplan::output::summary::SUMMARY_ABOVE;

use crate::memfs;
use memfs::Mem;

/// Four nodes of 9 cpus, two in zone-a, one in zone-b, one without a zone: 90 pods of 100m fit on each.
fn nodes() -> String {
    let node = |name: &str, zone: Option<&str>| {
        let zone = zone.map(|z| format!(", topology.kubernetes.io/zone: {z}")).unwrap_or_default();
        format!(
            "{{apiVersion: v1, kind: Node, metadata: {{name: {name}, labels: {{kubernetes.io/hostname: {name}{zone}}}}}, \
             status: {{capacity: {{cpu: '9', memory: 32Gi, pods: '110'}}, conditions: [{{type: Ready, status: 'True'}}]}}}}\n"
        )
    };
    [node("n1", Some("zone-a")), node("n2", Some("zone-a")), node("n3", Some("zone-b")), node("n4", None)].join("---\n")
}

fn deployment(name: &str, replicas: usize, node_selector: &str) -> String {
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
      nodeSelector: {{{node_selector}}}
      containers: [{{name: c, image: app:v1, resources: {{requests: {{cpu: 100m, memory: 64Mi}}}}}}]
"
    )
}

/// `web` with `replicas` pods (360 fit), `picky` with two pods no node matches, and a bare pod bound to n4.
fn workloads(replicas: usize) -> String {
    let bare = "apiVersion: v1\nkind: Pod\nmetadata: {name: bare}\nspec:\n  nodeName: n4\n  containers: [{name: c, image: app:v1}]\n";
    [deployment("web", replicas, ""), deployment("picky", 2, "disk: ssd"), bare.to_owned()].join("---\n")
}

fn plan(workloads: &str, output: &str) -> String {
    let files = [("nodes.yaml".to_owned(), nodes()), ("work.yaml".to_owned(), workloads.to_owned())];
    let mut fs = Mem(files.into_iter().collect());
    let args: Vec<String> = ["plan", "nodes.yaml", "work.yaml", "-o", output].iter().map(|s| s.to_string()).collect();
    let out = cli::run(&args, &mut fs);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

fn cells(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// The table row whose first cells are `first`, split into cells.
fn row<'a>(table: &'a str, first: &[&str]) -> Vec<&'a str> {
    table.lines().map(cells).find(|c| c.starts_with(first)).unwrap_or_else(|| panic!("no row {first:?} in\n{table}"))
}

const CPU: &str = "0/4 nodes are available: 4 Insufficient cpu. preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod.";
const SELECTOR: &str = "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.";

#[test]
fn above_the_threshold_the_pods_are_counted_per_workload_and_zone() {
    let table = plan(&workloads(400), "table");
    assert!(!table.lines().any(|l| l.contains(" pod/")), "no pod rows:\n{table}");
    assert_eq!(cells(table.lines().next().unwrap()), ["NAMESPACE", "WORKLOAD", "PODS", "RUNNING", "PENDING", "OTHER", "NODES"]);
    // The ReplicaSet's pods count under its Deployment; a pod without a controller under <none>.
    assert_eq!(row(&table, &["default", "deployment/web"]), ["default", "deployment/web", "400", "360", "40", "0", "4"]);
    assert_eq!(row(&table, &["default", "deployment/picky"]), ["default", "deployment/picky", "2", "0", "2", "0", "0"]);
    assert_eq!(row(&table, &["default", "<none>"]), ["default", "<none>", "1", "1", "0", "0", "1"]);

    // Per zone, what kubectl describe node adds up: requests of the bound pods over the nodes' allocatable.
    assert!(table.contains("ZONE     NODES   PODS   CPU REQUESTS   CPU ALLOCATABLE   MEMORY REQUESTS   MEMORY ALLOCATABLE\n"), "{table}");
    assert_eq!(row(&table, &["zone-a"]), ["zone-a", "2", "180", "18", "(100%)", "18", "11.3Gi", "(17%)", "64Gi"]);
    assert_eq!(row(&table, &["zone-b"]), ["zone-b", "1", "90", "9", "(100%)", "9", "5.6Gi", "(17%)", "32Gi"]);
    assert_eq!(row(&table, &["<none>", "1"]), ["<none>", "1", "91", "9", "(100%)", "9", "5.6Gi", "(17%)", "32Gi"]);

    assert!(table.contains("\n403 pods summarised; -o wide lists every pod, -o json gives the whole plan.\n"), "{table}");
    // The workload tables stay as they are.
    assert_eq!(row(&table, &["default", "deployment.apps/web"]), ["default", "deployment.apps/web", "360/400", "400", "360"]);
}

#[test]
fn above_the_threshold_pending_pods_are_grouped_by_the_schedulers_message() {
    let table = plan(&workloads(400), "table");
    let start = table.find("Pending pods: 42, by the scheduler's message:\n").unwrap_or_else(|| panic!("{table}"));
    let section: Vec<&str> = table[start..].lines().skip(1).take_while(|l| !l.is_empty()).collect();
    // The largest group first, with three of its pods and how many more.
    assert_eq!(section.len(), 4, "{section:#?}");
    assert_eq!(section[0], format!("  40 pod(s): {CPU}"));
    assert!(section[1].starts_with("    default/web-") && section[1].ends_with(" + 37 more"), "{}", section[1]);
    assert_eq!(section[1].matches("default/web-").count(), 3, "{}", section[1]);
    assert_eq!(section[2], format!("  2 pod(s): {SELECTOR}"));
    assert!(section[3].starts_with("    default/picky-") && !section[3].contains("more"), "{}", section[3]);
}

#[test]
fn above_the_threshold_events_are_grouped_by_type_reason_and_kind() {
    let table = plan(&workloads(400), "table");
    assert!(!table.contains("PHASE     ROUND"), "no event rows:\n{table}");
    assert!(table.contains("Events (grouped):\nTYPE      REASON              OBJECT       COUNT   EXAMPLE MESSAGE\n"), "{table}");
    let scheduled = row(&table, &["Normal", "Scheduled", "pod"]);
    assert_eq!(scheduled[3], "360", "{scheduled:?}");
    assert_eq!(row(&table, &["Normal", "SuccessfulCreate", "replicaset"])[3], "402");
    let hint = table.lines().find(|l| l.ends_with(" events summarised; -o wide lists every event, -o json gives the whole plan."));
    assert!(hint.is_some(), "{table}");
}

#[test]
fn wide_lists_every_pod_and_event() {
    let wide = plan(&workloads(400), "wide");
    assert_eq!(wide.lines().filter(|l| l.starts_with("default ") && l.contains(" pod/")).count(), 403, "{wide}");
    assert!(wide.contains("Pending pods:\n  default/picky-"), "one line per Pending pod");
    assert_eq!(wide.lines().filter(|l| l.starts_with("  default/web-") && l.ends_with(&format!(": {CPU}"))).count(), 40);
    assert!(wide.contains("Events:\nPHASE "), "{wide}");
    assert!(!wide.contains("summarised") && !wide.contains("WORKLOAD"), "{wide}");
}

#[test]
fn at_the_threshold_every_pod_is_listed_as_before() {
    // 297 + 2 + the bare pod: exactly SUMMARY_ABOVE pods.
    let table = plan(&workloads(SUMMARY_ABOVE - 3), "table");
    assert_eq!(cells(table.lines().next().unwrap()), ["NAMESPACE", "NAME", "READY", "STATUS", "NODE"]);
    assert_eq!(table.lines().filter(|l| l.starts_with("default ") && l.contains(" pod/")).count(), SUMMARY_ABOVE);
    assert!(!table.contains("pods summarised"), "{table}");
    // One more pod, and they are summarised.
    let table = plan(&workloads(SUMMARY_ABOVE - 2), "table");
    assert!(table.contains(&format!("\n{} pods summarised;", SUMMARY_ABOVE + 1)), "{table}");
}

#[test]
fn a_small_plan_prints_every_pod_and_event() {
    let table = plan(&workloads(3), "table");
    let mut lines = table.lines().map(cells);
    assert_eq!(lines.next().unwrap(), ["NAMESPACE", "NAME", "READY", "STATUS", "NODE"]);
    assert_eq!(lines.next().unwrap(), ["default", "pod/bare", "1/1", "Running", "n4"]);
    assert_eq!(table.lines().filter(|l| l.starts_with("default ") && l.contains(" pod/web-")).count(), 3);
    assert!(table.contains(&format!("Pending pods:\n  default/picky-bd4746db5-bbbbb: {SELECTOR}\n")), "{table}");
    assert!(table.contains("Events:\nPHASE     ROUND   TYPE      REASON              OBJECT"), "{table}");
    assert!(!table.contains("summarised") && !table.contains("WORKLOAD") && !table.contains("ZONE"), "{table}");
}

#[test]
fn the_usage_names_the_threshold() {
    let out = cli::run(&["plan".to_owned(), "--help".to_owned()], &mut Mem(Default::default()));
    assert!(out.stdout.contains(&format!("table (default; summarised beyond {SUMMARY_ABOVE} pods)")), "{}", out.stdout);
}

#[test]
fn above_the_threshold_a_stalled_rollout_names_a_few_pods_per_reason() {
    let pending_lines = |text: &str| text.lines().filter(|l| l.starts_with("    - PodPending: pod web-")).count();
    let table = plan(&workloads(400), "table");
    assert!(table.contains("\n  deployment.apps/web (namespace default) stopped progressing"), "{table}");
    assert_eq!(pending_lines(&table), 3, "{table}");
    assert!(table.contains("\n    - PodPending: 37 more like the above (-o wide lists each)\n"), "{table}");
    // Both of picky's pods are named: no line counts more.
    assert_eq!(table.lines().filter(|l| l.starts_with("    - PodPending: pod picky-")).count(), 2);
    assert_eq!(table.matches(" more like the above").count(), 1, "{table}");
    let wide = plan(&workloads(400), "wide");
    assert_eq!(pending_lines(&wide), 40);
    assert!(!wide.contains("more like the above"));
}
