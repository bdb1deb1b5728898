//! The actions of `--steps FILE`: what users do to a running cluster (delete a pod or a node, relabel a node,
//! delete or apply an object, `kubectl set image`, `kubectl rollout undo`).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::api::{GroupKind, Object};
use crate::cluster::{Cluster, Concurrency, Propagation};
use crate::diag::{Diagnostic, Pos, Span};
use crate::input::node::{Node as Tree, Value};
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

/// Read a steps file: a YAML list of actions. Each is checked against [`ACTIONS`] first, so that a wrong action,
/// field, type or value gets a located error saying what was expected; what passes decodes as a [`Step`].
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
        let problems = check(&src.name, &tree, steps.len());
        if !problems.is_empty() {
            diags.extend(problems);
            continue;
        }
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

/// How a step's field is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldType {
    Str,
    Int,
    /// A mapping of label keys to values (strings), or to null to remove the label.
    Labels,
}

impl FieldType {
    fn describe(self) -> &'static str {
        match self {
            FieldType::Str => "a string",
            FieldType::Int => "an integer",
            FieldType::Labels => "a mapping of label keys to string values (null removes the label)",
        }
    }

    fn admits(self, v: &Tree) -> bool {
        match (self, &v.value) {
            (FieldType::Str, Value::Str(_)) | (FieldType::Int, Value::Int(_)) => true,
            (FieldType::Labels, Value::Map(entries)) => {
                entries.iter().all(|(_, v)| matches!(v.value, Value::Str(_) | Value::Null))
            }
            _ => false,
        }
    }
}

/// A field of an action: its name, how it is written, whether the action needs it.
type Field = (&'static str, FieldType, bool);

const KIND: Field = ("kind", FieldType::Str, true);
const NAMESPACE: Field = ("namespace", FieldType::Str, false);
const NAME: Field = ("name", FieldType::Str, true);

/// Every action a steps file may hold, with its fields: what [`Step`] decodes, for the checks of [`parse`] (and
/// the README's table of them).
const ACTIONS: &[(&str, &[Field])] = &[
    ("deletePod", &[NAMESPACE, ("name", FieldType::Str, false), ("owner", FieldType::Str, false), ("node", FieldType::Str, false)]),
    ("deleteNode", &[NAME]),
    ("deleteObject", &[KIND, NAMESPACE, NAME, ("propagation", FieldType::Str, false)]),
    ("labelNode", &[NAME, ("labels", FieldType::Labels, true)]),
    ("apply", &[("file", FieldType::Str, true)]),
    (
        "setImage",
        &[KIND, NAMESPACE, NAME, ("container", FieldType::Str, true), ("image", FieldType::Str, true), ("changeCause", FieldType::Str, false)],
    ),
    ("rollbackTo", &[KIND, NAMESPACE, NAME, ("revision", FieldType::Int, false)]),
];

/// The deletion propagations kubeplan models (`deleteObject`'s `propagation`): the garbage collector's
/// background deletion (the API's default) and orphaning. Foreground deletion is not modelled.
const PROPAGATIONS: [&str; 2] = ["Background", "Orphan"];

/// The problems of one document of a steps file, each located and saying what was expected. `before` is the
/// number of steps of the documents before it (steps are numbered from 1 through the file).
fn check(file: &str, tree: &Tree, before: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut error = |span: Span, message: String| out.push(Diagnostic::error("invalid-step", file, span, message));
    let actions = || ACTIONS.iter().map(|(a, _)| *a).collect::<Vec<_>>().join(", ");
    let Value::Seq(items) = &tree.value else {
        error(tree.span, format!("a steps file is a list of actions (`- action: deletePod`), found {}", tree.value.json_type()));
        return out;
    };
    for (i, item) in items.iter().enumerate() {
        let n = before + i + 1;
        let Value::Map(entries) = &item.value else {
            error(item.span, format!("step {n}: expected a mapping with an action, found {}", item.value.json_type()));
            continue;
        };
        let Some(action) = item.get("action") else {
            error(item.span, format!("step {n}: no action: expected `action:` one of {}", actions()));
            continue;
        };
        let Some(&(name, fields)) = ACTIONS.iter().find(|(a, _)| Some(*a) == action.as_str()) else {
            let written = action.as_str().map_or_else(|| action.value.json_type().to_owned(), |a| format!("{a:?}"));
            let close = action.as_str().and_then(|a| {
                ACTIONS.iter().map(|(n, _)| *n).find(|n| strsim::levenshtein(&n.to_lowercase(), &a.to_lowercase()) <= 2)
            });
            let hint = close.map(|c| format!(" (did you mean {c:?}?)")).unwrap_or_default();
            error(action.span, format!("step {n}: unknown action {written}: expected one of {}{hint}", actions()));
            continue;
        };
        let names = || fields.iter().map(|(f, ..)| *f).collect::<Vec<_>>().join(", ");
        for (i, (key, value)) in entries.iter().enumerate() {
            if let Some((first, _)) = entries[..i].iter().find(|(k, _)| k.name == key.name) {
                let at = first.span.start;
                error(key.span, format!("step {n} ({name}): {:?} written twice (first at line {}, column {})", key.name, at.line, at.col));
                continue;
            }
            if key.name == "action" {
                continue;
            }
            match fields.iter().find(|(f, ..)| *f == key.name) {
                None => error(key.span, format!("step {n} ({name}): unknown field {:?}: expected action, {}", key.name, names())),
                Some((field, ty, _)) if !ty.admits(value) => error(
                    value.span,
                    format!("step {n} ({name}): {field:?} must be {}, found {}", ty.describe(), value.value.json_type()),
                ),
                Some(_) => {}
            }
        }
        for (field, ty, _) in fields.iter().filter(|(f, _, required)| *required && item.get(f).is_none()) {
            error(item.span, format!("step {n} ({name}): missing {field:?} ({})", ty.describe()));
        }
        let text = |f: &str| item.get(f).and_then(Tree::as_str);
        if name == "deleteObject" {
            if let (Some(p), Some(at)) = (text("propagation"), item.get("propagation")) {
                if !PROPAGATIONS.contains(&p) {
                    error(
                        at.span,
                        format!(
                            "step {n} (deleteObject): propagation {p:?} is not modelled: kubeplan deletes with Background \
                             (the default: the garbage collector deletes the dependents after the object) or Orphan"
                        ),
                    );
                }
            }
        }
        if name == "deletePod" {
            match (item.get("name"), text("owner"), item.get("owner")) {
                (None, _, None) => error(
                    item.span,
                    format!("step {n} (deletePod): needs \"name\" (one pod) or \"owner\" (Kind/name: the pods it controls)"),
                ),
                (_, Some(owner), Some(at)) if !owner.contains('/') => error(
                    at.span,
                    format!("step {n} (deletePod): owner {owner:?} must be Kind/name, such as DaemonSet/agent"),
                ),
                _ => {}
            }
        }
    }
    out
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
            let mut loaded = input::load_applied(std::slice::from_ref(src), None);
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
    let _ = cluster.patch(Object::Node(Arc::new(node)), Concurrency::Unchecked);
}
