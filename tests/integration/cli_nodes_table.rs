//! Nodes given as `kubectl get nodes --show-labels` text: read by the engine into Node objects, located in the
//! table, for `plan` and `lint` alike.

use kubeplan::cli;

use crate::memfs;
use memfs::Mem;

const TABLE: &str = "NAME       STATUS                     ROLES           AGE   VERSION   LABELS
master     Ready,SchedulingDisabled   control-plane   12d   v1.32.2   beta.kubernetes.io/arch=amd64,kubernetes.io/hostname=master,node-role.kubernetes.io/control-plane=
worker-1   Ready                      <none>          12d   v1.32.2   disktype=ssd,kubernetes.io/hostname=worker-1,kubernetes.io/os=linux
worker-2   NotReady                   <none>          3d    v1.32.2   kubernetes.io/hostname=worker-2
";

const DS: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: c, image: agent:v1}]
";

fn run(args: &[&str], files: &[(&str, &str)]) -> cli::Outcome {
    let mut fs = Mem(files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect());
    cli::run(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &mut fs)
}

#[test]
fn the_table_plans_as_the_nodes_it_lists() {
    let out = run(&["plan", "nodes.txt", "ds.yaml", "-o", "json"], &[("nodes.txt", TABLE), ("ds.yaml", DS)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("nodes.txt:1:1: info[nodes-table-read]: read as kubectl get nodes: 3 nodes, capacity assumed (cpu 4, memory 8Gi, pods 110: the table does not print it)"),
        "{}",
        out.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let mut nodes: Vec<&str> = v["pods"].as_array().unwrap().iter().map(|p| p["spec"]["nodeName"].as_str().unwrap()).collect();
    nodes.sort();
    // Daemon pods tolerate the cordoned master's unschedulable taint, not the NotReady node's not-ready taint.
    assert_eq!(nodes, ["master", "worker-1"]);
}

#[test]
fn what_is_wrong_in_the_table_is_located_on_its_line() {
    let table = "NAME   STATUS   LABELS\nn1     Ready    a=b,nolabel\nn_2    Ready    x=1\n";
    let out = run(&["plan", "nodes.txt", "ds.yaml"], &[("nodes.txt", table), ("ds.yaml", DS)]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("nodes.txt:2:21: error[nodes-table]: label \"nolabel\" is not key=value"), "{}", out.stderr);
    // The API server refuses the node name, at its cell.
    assert!(out.stdout.contains("nodes.txt:3:1") && out.stdout.contains("n_2"), "{}", out.stdout);
    let lint = run(&["lint", "nodes.txt"], &[("nodes.txt", table)]);
    assert!(lint.stdout.contains("nodes.txt:2:21") && lint.stdout.contains("nodes-table"), "{}", lint.stdout);
}
