//! Small manifests and plan runners shared by the rollout and CLI tests.
#![allow(dead_code)]

use std::collections::BTreeMap;

use kubeplan::cli::{self, Io, Outcome};
use kubeplan::cluster::Op;
use kubeplan::input::Source;
use kubeplan::{plan, Plan, PlanInput, PlanOptions};
use kubeplan::api::apps_v1::ControllerRevision;
use kubeplan::api::core_v1::Pod;

/// A Ready node with the given name, CPU and labels (a YAML flow mapping body, may be empty).
pub fn node(name: &str, cpu: &str, labels: &str) -> String {
    let extra = if labels.is_empty() { String::new() } else { format!(", {labels}") };
    format!(
        "apiVersion: v1\nkind: Node\nmetadata: {{name: {name}, labels: {{kubernetes.io/hostname: {name}{extra}}}}}\nstatus: {{capacity: {{cpu: '{cpu}', memory: 8Gi, pods: '110'}}, conditions: [{{type: Ready, status: 'True'}}]}}\n---\n"
    )
}

/// Nodes `n1..=nN` with the given CPU.
pub fn nodes(n: usize, cpu: &str) -> String {
    (1..=n).map(|i| node(&format!("n{i}"), cpu, "")).collect()
}

/// A DaemonSet `agent` with the given image, update strategy (YAML flow mapping), extra spec lines (indented two
/// spaces) and extra container fields (a flow-mapping tail such as `, ports: [...]`).
pub fn daemonset(image: &str, strategy: &str, spec_extra: &str, container_extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: agent}}\nspec:\n  updateStrategy: {strategy}\n{spec_extra}  selector: {{matchLabels: {{app: agent}}}}\n  template:\n    metadata: {{labels: {{app: agent}}}}\n    spec:\n      containers: [{{name: agent, image: '{image}', resources: {{requests: {{cpu: 100m}}}}{container_extra}}}]\n---\n"
    )
}

/// A Deployment `web` with the given replicas, image, strategy, extra spec lines and extra container fields.
pub fn deployment(replicas: i32, image: &str, strategy: &str, spec_extra: &str, container_extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: {replicas}\n  strategy: {strategy}\n{spec_extra}  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers: [{{name: web, image: '{image}', resources: {{requests: {{cpu: 100m}}}}{container_extra}}}]\n---\n"
    )
}

/// A StatefulSet `db` with the given replicas, image and update strategy.
pub fn statefulset(replicas: i32, image: &str, strategy: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec:\n  replicas: {replicas}\n  serviceName: db\n  updateStrategy: {strategy}\n  selector: {{matchLabels: {{app: db}}}}\n  template:\n    metadata: {{labels: {{app: db}}}}\n    spec:\n      containers: [{{name: db, image: '{image}', resources: {{requests: {{cpu: 100m}}}}}}]\n---\n"
    )
}

/// Plan `input`, then `update`, then `steps`; the input must be clean (no diagnostics).
pub fn run(input: &str, update: Option<&str>, steps: Option<&str>) -> Plan {
    run_with(input, update, steps, &PlanOptions::default())
}

pub fn run_with(input: &str, update: Option<&str>, steps: Option<&str>, options: &PlanOptions) -> Plan {
    let p = plan(
        &PlanInput {
            manifests: vec![Source::new("input.yaml", input)],
            update: update.map(|u| vec![Source::new("update.yaml", u)]).unwrap_or_default(),
            steps: steps.map(|s| Source::new("steps.yaml", s)),
            files: Vec::new(),
        },
        options,
    );
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    p
}

/// The actions of one phase and round with the given op, as pod names.
pub fn ops(p: &Plan, phase: &str, round: u32, op: Op) -> Vec<String> {
    p.cluster
        .rec
        .steps
        .iter()
        .filter(|s| s.phase == phase && s.round == round)
        .flat_map(|s| s.actions.iter())
        .filter(|a| a.op == op)
        .map(|a| a.name.clone())
        .collect()
}

/// The messages of the events with `reason` in `phase`, in order.
pub fn events(p: &Plan, phase: &str, reason: &str) -> Vec<String> {
    p.cluster.rec.events.iter().filter(|e| e.phase == phase && e.reason == reason).map(|e| e.message.clone()).collect()
}

/// The first round of `phase` with any action.
pub fn first_round(p: &Plan, phase: &str) -> u32 {
    p.cluster.rec.steps.iter().find(|s| s.phase == phase).map(|s| s.round).expect("the phase did something")
}

/// Revision number by ControllerRevision name.
pub fn revisions(p: &Plan) -> BTreeMap<String, i64> {
    p.cluster.store().list::<ControllerRevision>().map(|r| (r.metadata.name.clone(), r.revision)).collect()
}

/// The images the pods of the plan run, by pod name.
pub fn images(p: &Plan) -> BTreeMap<String, String> {
    p.cluster.store().list::<Pod>().map(|pod| (pod.metadata.name.clone(), pod.spec.containers[0].image.clone())).collect()
}

/// Files in memory for the CLI.
pub struct Files(pub BTreeMap<String, String>);

impl Io for Files {
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        self.0.get(path).cloned().ok_or_else(|| format!("{path}: no such file"))
    }

    fn is_dir(&mut self, _path: &str) -> bool {
        false
    }

    fn list_dir(&mut self, path: &str) -> Result<Vec<String>, String> {
        Err(format!("{path}: not a directory"))
    }

    fn read_stdin(&mut self) -> Result<String, String> {
        Ok(String::new())
    }
}

/// Run the CLI over in-memory files.
pub fn cli(args: &str, files: &[(&str, &str)]) -> Outcome {
    let mut io = Files(files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect());
    let args: Vec<String> = args.split_whitespace().map(String::from).collect();
    cli::run(&args, &mut io)
}
