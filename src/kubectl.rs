//! What kubectl itself does for `kubectl set image` and `kubectl rollout undo`
//! (`kubectl/pkg/cmd/set/set_image.go`, `kubectl/pkg/polymorphichelpers/rollback.go`, `history.go`): these are
//! client-side read-modify-write operations, not API server features. kubectl's errors become rejections of
//! the step's phase, with kubectl's message.

use crate::api::apps_v1::{ControllerRevision, ReplicaSet};
use crate::api::core_v1::{Container, PodSpec, PodTemplateSpec};
use crate::api::labels::Selector;
use crate::api::meta_v1::ObjectMeta;
use crate::api::{GroupKind, Object};
use crate::cluster::{Cluster, Rejection};

/// The annotation `--record` (and `kubectl annotate`) sets with the command that changed an object.
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

fn reject(cluster: &mut Cluster, kind: &str, namespace: &str, name: &str, message: String) {
    cluster.rec.rejections.push(Rejection {
        phase: cluster.rec.phase.clone(),
        kind: kind.to_owned(),
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        message,
        file: None,
        line: None,
        column: None,
    });
}

fn lookup(cluster: &mut Cluster, kind: &str, namespace: &str, name: &str) -> Option<Object> {
    let found = GroupKind::from_kind(kind).and_then(|gk| cluster.store().object(gk, namespace, name).cloned());
    if found.is_none() {
        let resource = GroupKind::from_kind(kind).map(|g| g.resource_qualified()).unwrap_or_else(|| kind.to_lowercase());
        reject(cluster, kind, namespace, name, format!("Error from server (NotFound): {resource} {name:?} not found"));
    }
    found
}

/// The pod template of a workload.
fn template_mut(obj: &mut Object) -> Option<&mut PodTemplateSpec> {
    match obj {
        Object::DaemonSet(o) => Some(&mut o.spec.template),
        Object::Deployment(o) => Some(&mut o.spec.template),
        Object::ReplicaSet(o) => Some(&mut o.spec.template),
        Object::StatefulSet(o) => Some(&mut o.spec.template),
        Object::Job(o) => Some(&mut o.spec.template),
        _ => None,
    }
}

fn set_image_in(containers: &mut [Container], name: &str, image: &str) -> bool {
    let mut found = false;
    for c in containers.iter_mut().filter(|c| name == "*" || c.name == name) {
        c.image = image.to_owned();
        found = true;
    }
    found
}

/// `kubectl set image KIND/NAME CONTAINER=IMAGE` (`*` for every container), recording the change cause when
/// given. An unknown container is an error, but the patch (perhaps only the change cause) is still sent; an
/// empty patch is not.
pub fn set_image(cluster: &mut Cluster, kind: &str, namespace: &str, name: &str, container: &str, image: &str, change_cause: &str) {
    let Some(original) = lookup(cluster, kind, namespace, name) else { return };
    let mut obj = original.clone();
    let Some(template) = template_mut(&mut obj) else {
        reject(cluster, kind, namespace, name, format!("error: {kind} has no pod template"));
        return;
    };
    let spec: &mut PodSpec = &mut template.spec;
    let in_init = set_image_in(&mut spec.init_containers, container, image);
    let in_main = set_image_in(&mut spec.containers, container, image);
    if !in_init && !in_main {
        reject(cluster, kind, namespace, name, format!("error: unable to find container named {container:?}"));
    }
    if !change_cause.is_empty() {
        obj.meta_mut().annotations.insert(CHANGE_CAUSE.into(), change_cause.to_owned());
    }
    if obj == original {
        return;
    }
    if let Err(e) = cluster.update_as_client(obj) {
        reject(cluster, kind, namespace, name, format!("failed to patch image update to pod template: {e}"));
    }
}

/// `kubectl rollout undo KIND/NAME [--to-revision=N]` (0 means the previous revision).
pub fn rollback(cluster: &mut Cluster, kind: &str, namespace: &str, name: &str, revision: i64) {
    let Some(obj) = lookup(cluster, kind, namespace, name) else { return };
    let result = match obj {
        Object::Deployment(_) => rollback_deployment(cluster, obj, revision),
        Object::DaemonSet(_) | Object::StatefulSet(_) => rollback_to_revision(cluster, obj, revision),
        _ => Err(format!("no rollbacker has been implemented for {kind:?}")),
    };
    if let Err(message) = result {
        reject(cluster, kind, namespace, name, message);
    }
}

fn revision_not_found(r: i64) -> String {
    format!("unable to find specified revision {r} in history")
}

/// The ControllerRevisions a DaemonSet or StatefulSet controls and selects (`controlledHistory`).
fn controlled_history<'a>(cluster: &'a Cluster, meta: &'a ObjectMeta, selector: &Selector) -> Vec<&'a ControllerRevision> {
    cluster
        .store()
        .list_in::<ControllerRevision>(&meta.namespace)
        .filter(|r| selector.matches(&r.metadata.labels))
        .filter(|r| crate::api::controller_of(&r.metadata).is_some_and(|o| o.uid == meta.uid))
        .collect()
}

/// `findHistory`: revision `n`, or for 0 the second highest.
fn find_history(revision: i64, mut history: Vec<&ControllerRevision>) -> Option<&ControllerRevision> {
    if revision == 0 {
        if history.len() <= 1 {
            return None;
        }
        history.sort_by_key(|h| h.revision);
        return Some(history[history.len() - 2]);
    }
    history.into_iter().find(|h| h.revision == revision)
}

/// DaemonSet and StatefulSet rollback: patch the object with the revision's data, which replaces the whole
/// template, unless the template already equals it.
fn rollback_to_revision(cluster: &mut Cluster, mut obj: Object, revision: i64) -> Result<(), String> {
    if revision < 0 {
        return Err(revision_not_found(revision));
    }
    let (selector, current_patch) = match &obj {
        Object::DaemonSet(ds) => (
            Selector::for_controller(ds.spec.selector.as_deref()),
            crate::controller::hash::daemonset_revision_data(&ds.spec.template),
        ),
        Object::StatefulSet(ss) => (
            Selector::for_controller(ss.spec.selector.as_deref()),
            crate::controller::hash::statefulset_revision_data(&ss.spec.template),
        ),
        _ => unreachable!("only DaemonSets and StatefulSets have revision history"),
    };
    let meta = obj.meta().clone();
    let history = controlled_history(cluster, &meta, &selector);
    if revision == 0 && history.len() <= 1 {
        return Err("no last revision to roll back to".into());
    }
    let Some(target) = find_history(revision, history) else { return Err(revision_not_found(revision)) };
    if crate::go::json::marshal(&target.data.0) == current_patch {
        return Ok(()); // skipped rollback (current template already matches revision N)
    }
    let template = target.data.0.get("spec").and_then(|s| s.get("template")).cloned().unwrap_or_default();
    let template: PodTemplateSpec = serde_json::from_value(strip_patch_directive(template))
        .map_err(|e| format!("failed restoring revision {revision}: {e}"))?;
    if let Some(t) = template_mut(&mut obj) {
        *t = template;
    }
    cluster.update_as_client(obj).map(|_| ()).map_err(|e| format!("failed restoring revision {revision}: {e}"))
}

fn strip_patch_directive(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(m) = v.as_object_mut() {
        m.remove("$patch");
    }
    v
}

/// Annotations a Deployment keeps through a rollback, and the ReplicaSet annotations it does not take.
const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    "deployment.kubernetes.io/revision",
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// Deployment rollback (`DeploymentRollbacker`): copy the template of the ReplicaSet at that revision (without
/// its `pod-template-hash` label) and its annotations onto the Deployment.
fn rollback_deployment(cluster: &mut Cluster, obj: Object, revision: i64) -> Result<(), String> {
    let Object::Deployment(mut d) = obj else { unreachable!("a Deployment") };
    if revision < 0 {
        return Err(revision_not_found(revision));
    }
    let selector = Selector::for_controller(d.spec.selector.as_deref());
    let owned: Vec<_> = cluster
        .store()
        .list::<ReplicaSet>()
        .filter(|rs| rs.metadata.namespace == d.metadata.namespace)
        .filter(|rs| selector.matches(&rs.metadata.labels))
        .filter(|rs| crate::api::controller_of(&rs.metadata).is_some_and(|o| o.uid == d.metadata.uid))
        .collect();
    let revision_of = |rs: &&crate::api::apps_v1::ReplicaSet| -> Option<i64> {
        rs.metadata.annotations.get("deployment.kubernetes.io/revision")?.parse().ok()
    };
    let target = if revision > 0 {
        owned.iter().find(|rs| revision_of(rs) == Some(revision)).ok_or_else(|| revision_not_found(revision))?
    } else {
        let (mut latest, mut previous): (Option<(i64, _)>, Option<(i64, _)>) = (None, None);
        for rs in &owned {
            let Some(v) = revision_of(rs) else { continue };
            if latest.as_ref().is_none_or(|(l, _)| *l < v) {
                previous = latest.take();
                latest = Some((v, rs));
            } else if previous.as_ref().is_none_or(|(p, _)| *p < v) {
                previous = Some((v, rs));
            }
        }
        previous.map(|(_, rs)| rs).ok_or_else(|| format!("no rollout history found for deployment {:?}", d.metadata.name))?
    };
    let mut template = target.spec.template.clone();
    template.metadata.labels.remove("pod-template-hash");
    let mut current = d.spec.template.clone();
    current.metadata.labels.remove("pod-template-hash");
    if template == current {
        return Ok(()); // skipped rollback (current template already matches revision N)
    }
    let mut annotations: std::collections::BTreeMap<String, String> = ANNOTATIONS_TO_SKIP
        .iter()
        .filter_map(|k| d.metadata.annotations.get(*k).map(|v| ((*k).to_owned(), v.clone())))
        .collect();
    for (k, v) in &target.metadata.annotations {
        if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    d.spec.template = template;
    d.metadata.annotations = annotations;
    cluster.update_as_client(Object::Deployment(d)).map(|_| ()).map_err(|e| format!("failed restoring revision {revision}: {e}"))
}
