//! The actions of `--steps FILE`: what users do to a running cluster (delete a pod or a node, relabel a node,
//! delete or apply an object, `kubectl set image`, `kubectl rollout undo`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::api::{GroupKind, Object};
use crate::cluster::{Cluster, Concurrency, Propagation};
use crate::diag::{Diagnostic, Pos, Span};
use crate::input::{self, Source};
use crate::api::core_v1::{Node, Pod};

/// One step, as written in the steps file.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "action", rename_all = "camelCase", deny_unknown_fields)]
pub enum Step {
    #[serde(rename_all = "camelCase")]
    DeletePod { #[serde(default = "default_ns")] namespace: String, #[serde(default)] name: String, #[serde(default)] owner: String, #[serde(default)] node: String },
    #[serde(rename_all = "camelCase")]
    DeleteNode { name: String },
    #[serde(rename_all = "camelCase")]
    DeleteObject { kind: String, #[serde(default = "default_ns")] namespace: String, name: String, #[serde(default)] propagation: String },
    #[serde(rename_all = "camelCase")]
    LabelNode { name: String, labels: BTreeMap<String, Option<String>> },
    #[serde(rename_all = "camelCase")]
    Apply { file: String },
    #[serde(rename_all = "camelCase")]
    SetImage { kind: String, #[serde(default = "default_ns")] namespace: String, name: String, container: String, image: String, #[serde(default)] change_cause: String },
    #[serde(rename_all = "camelCase")]
    RollbackTo { kind: String, #[serde(default = "default_ns")] namespace: String, name: String, #[serde(default)] revision: i64 },
}

fn default_ns() -> String {
    "default".into()
}

impl Step {
    pub fn action_name(&self) -> &'static str {
        match self {
            Step::DeletePod { .. } => "deletePod",
            Step::DeleteNode { .. } => "deleteNode",
            Step::DeleteObject { .. } => "deleteObject",
            Step::LabelNode { .. } => "labelNode",
            Step::Apply { .. } => "apply",
            Step::SetImage { .. } => "setImage",
            Step::RollbackTo { .. } => "rollbackTo",
        }
    }
}

/// Read a steps file: a YAML list of actions.
pub fn parse(src: &Source) -> Result<Vec<Step>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let chunks = input::yaml::split_documents(&src.name, &src.text, &mut diags);
    let mut steps = Vec::new();
    for chunk in chunks {
        let tree = match input::yaml::parse_chunk(&src.name, &chunk) {
            Ok(Some(t)) => t,
            Ok(None) => continue,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        match input::decode::decode::<Vec<Step>>(&tree) {
            Ok((list, _)) => steps.extend(list),
            Err(e) => diags.push(Diagnostic::error(
                "invalid-step",
                &src.name,
                e.span.unwrap_or(Span::point(Pos { line: chunk.first_line, col: 1 })),
                format!("invalid step: {}", e.message),
            )),
        }
    }
    if diags.is_empty() {
        Ok(steps)
    } else {
        Err(diags)
    }
}

/// Perform one step: one request, whose round-0 actions share a timeline entry (a step that applies a file
/// makes one request per document instead). Files it applies are looked up in `files`; a missing one is
/// reported against `steps_file`.
pub fn perform(cluster: &mut Cluster, ledger: &mut super::Ledger, step: &Step, files: &[Source], steps_file: &str, diags: &mut Vec<Diagnostic>) {
    cluster.rec.begin_request();
    match step {
        Step::DeletePod { namespace, name, owner, node } => delete_pod(cluster, namespace, name, owner, node),
        Step::DeleteNode { name } => delete_node(cluster, name),
        Step::DeleteObject { kind, namespace, name, propagation } => {
            let propagation = if propagation == "Orphan" { Propagation::Orphan } else { Propagation::Background };
            delete_object(cluster, kind, namespace, name, propagation)
        }
        Step::LabelNode { name, labels } => label_node(cluster, name, labels),
        Step::Apply { file } => {
            let Some(src) = files.iter().find(|f| f.name == *file || f.name.ends_with(&format!("/{file}"))) else {
                diags.push(Diagnostic::error(
                    "missing-file",
                    steps_file,
                    Span::point(Pos { line: 1, col: 1 }),
                    format!("step applies {file:?}, which was not given"),
                ));
                return;
            };
            let mut loaded = input::load(std::slice::from_ref(src));
            ledger.admit_loaded(&mut loaded, &cluster.rec.phase);
            super::apply::apply_loaded(cluster, loaded, diags);
        }
        Step::SetImage { kind, namespace, name, container, image, change_cause } => {
            crate::kubectl::set_image(cluster, kind, namespace, name, container, image, change_cause)
        }
        Step::RollbackTo { kind, namespace, name, revision } => {
            crate::kubectl::rollback(cluster, kind, namespace, name, *revision)
        }
    }
}

/// Delete a pod by name, or the pods of an owner (on one node, when a node is given). A pod is on a node once it
/// is bound to it (`spec.nodeName`, what `kubectl get pods --field-selector spec.nodeName=N` and PodGC go by): a
/// DaemonSet's Pending pod that only targets the node through its node affinity, such as a surge pod waiting for
/// the old pod's host port, is not on it yet and stays.
fn delete_pod(cluster: &mut Cluster, namespace: &str, name: &str, owner: &str, node: &str) {
    let targets: Vec<String> = if !name.is_empty() {
        vec![name.to_owned()]
    } else {
        let (okind, oname) = owner.split_once('/').unwrap_or(("", owner));
        cluster
            .store()
            .list_in::<Pod>(namespace)
            .filter(|p| {
                crate::api::controller_of(&p.metadata).is_some_and(|r| r.kind == okind && r.name == oname)
                    && (node.is_empty() || p.spec.node_name == node)
            })
            .map(|p| p.metadata.name.clone())
            .collect()
    };
    for t in targets {
        let _ = cluster.delete(GroupKind::Pod, namespace, &t, Propagation::Background);
    }
}

/// Delete a node; PodGC then deletes the pods bound to it.
fn delete_node(cluster: &mut Cluster, name: &str) {
    if cluster.delete(GroupKind::Node, "", name, Propagation::Background).is_err() {
        return;
    }
    let bound: Vec<(String, String)> = cluster
        .store()
        .list::<Pod>()
        .filter(|p| p.spec.node_name == name)
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    for (ns, n) in bound {
        let _ = cluster.delete(GroupKind::Pod, &ns, &n, Propagation::Background);
    }
}

/// Delete an object. Its dependents are deleted by the garbage collector (background propagation), or orphaned:
/// they lose their owner reference and stay.
fn delete_object(cluster: &mut Cluster, kind: &str, namespace: &str, name: &str, propagation: Propagation) {
    let Some(gk) = GroupKind::from_kind(kind) else { return };
    let _ = cluster.delete(gk, namespace, name, propagation);
}

fn label_node(cluster: &mut Cluster, name: &str, labels: &BTreeMap<String, Option<String>>) {
    let Some(mut node) = cluster.store().get::<Node>("", name).cloned() else { return };
    for (k, v) in labels {
        match v {
            Some(v) => {
                node.metadata.labels.insert(k.clone(), v.clone());
            }
            None => {
                node.metadata.labels.remove(k);
            }
        }
    }
    let _ = cluster.patch(Object::Node(Box::new(node)), Concurrency::Unchecked);
}
