//! The API server's part: apply the objects in input order as `kubectl apply -f` does (a later copy of an
//! object is an update of the earlier one), and report every refusal at its field with the API server's
//! message. An object with several field errors gives one finding per error, each with the message the API
//! server would give were it the only one.
//!
//! Namespaces the files use but do not define are created silently: linting an application's manifests
//! rarely includes its namespace, and a cluster would have it.

use crate::api::core_v1::{Namespace, Pod};
use crate::api::{GroupKind, Object};
use crate::apiserver::admission;
use crate::apiserver::validation::{refine_with_source, ErrorKind, FieldError};
use crate::cluster::{ApiError, Cluster, Concurrency};
use crate::input::Manifest;

use super::{Context, Finding};

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut cluster = Cluster::new();
    for m in ctx.manifests {
        ensure_namespace(&mut cluster, &m.object);
        let o = m.object.obj_ref();
        let result = if cluster.store().exists(o.kind, &o.namespace, &o.name) {
            cluster.update(m.object.clone(), Concurrency::Unchecked)
        } else {
            cluster.create(m.object.clone())
        };
        if let Err(e) = result {
            refusal(m, &e, out);
        }
    }
    // Objects in removed versions: validated as the current version would be, each on its own.
    for m in &ctx.removed {
        let mut scratch = Cluster::new();
        for pc in ctx.priority_classes.values() {
            let _ = scratch.create(Object::PriorityClass(Box::new(pc.clone())));
        }
        ensure_namespace(&mut scratch, &m.object);
        if let Err(e) = scratch.create(m.object.clone()) {
            refusal(m, &e, out);
        }
    }
    templates(ctx, out);
}

fn ensure_namespace(cluster: &mut Cluster, o: &Object) {
    let ns = &o.meta().namespace;
    if o.group_kind().namespaced() && !ns.is_empty() && cluster.store().get::<Namespace>("", ns).is_none() {
        let mut n = crate::api::core_v1::Namespace::default();
        n.metadata.name = ns.clone();
        let _ = cluster.create(Object::Namespace(Box::new(n)));
    }
}

/// One finding per field error, or one for the whole refusal.
fn refusal(m: &Manifest, e: &ApiError, out: &mut Vec<Finding>) {
    match e {
        ApiError::Invalid(invalid) if !invalid.errors.is_empty() => {
            let mut errors = invalid.errors.clone();
            refine_with_source(&mut errors, &m.tree);
            let mut seen = Vec::new();
            for fe in &errors {
                let text = invalid.with_errors(vec![fe.clone()]).to_string();
                if seen.contains(&text) {
                    continue;
                }
                seen.push(text.clone());
                out.push(Finding::at(rule_of(fe), m, &fe.field, text));
            }
        }
        ApiError::Forbidden(message) => {
            out.push(Finding::at("api-admission", m, admission_field(message, "spec"), message.clone()));
        }
        other => out.push(Finding::at("api-invalid", m, "", other.to_string())),
    }
}

fn rule_of(e: &FieldError) -> &'static str {
    if e.is_immutable() {
        return "api-immutable";
    }
    match e.kind {
        ErrorKind::Invalid | ErrorKind::TypeInvalid => "api-invalid",
        ErrorKind::Required => "api-required",
        ErrorKind::NotSupported => "api-unsupported",
        ErrorKind::Forbidden => "api-forbidden",
        ErrorKind::Duplicate => "api-duplicate",
        ErrorKind::TooLong => "api-too-long",
        ErrorKind::TooMany => "api-too-many",
        ErrorKind::NotFound => "api-not-found",
        ErrorKind::Internal => "api-internal",
    }
}

/// The pod-spec field a Priority admission refusal is about.
fn admission_field(message: &str, spec: &str) -> &'static str {
    let field = if message.contains("no PriorityClass with name") {
        "priorityClassName"
    } else if message.contains("value of priority") {
        "priority"
    } else if message.contains("PreemptionPolicy") {
        "preemptionPolicy"
    } else {
        return if spec == "spec" { "spec" } else { "spec.template.spec" };
    };
    match (spec, field) {
        ("spec", "priorityClassName") => "spec.priorityClassName",
        ("spec", "priority") => "spec.priority",
        ("spec", _) => "spec.preemptionPolicy",
        (_, "priorityClassName") => "spec.template.spec.priorityClassName",
        (_, "priority") => "spec.template.spec.priority",
        _ => "spec.template.spec.preemptionPolicy",
    }
}

/// Workloads whose every pod admission would refuse: the controller creates the workload's pods later, after
/// every object of the files exists, so any PriorityClass of the files counts.
fn templates(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in ctx.all() {
        let (template, controller) = match &m.object {
            Object::DaemonSet(d) => (&d.spec.template, "DaemonSet"),
            Object::Deployment(d) => (&d.spec.template, "ReplicaSet"),
            Object::ReplicaSet(r) => (&r.spec.template, "ReplicaSet"),
            Object::StatefulSet(s) => (&s.spec.template, "StatefulSet"),
            Object::Job(j) => (&j.spec.template, "Job"),
            _ => continue,
        };
        let mut pod = Pod { spec: template.spec.clone(), ..Default::default() };
        pod.metadata.namespace = m.object.meta().namespace.clone();
        if let Err(f) = admission::admit_priority(&mut pod, &ctx.priority_classes) {
            let name = pod_name(m);
            let gk = m.object.group_kind();
            let message = format!(
                "{} {:?}: the {} controller cannot create its pods: Error creating: pods {name:?} is forbidden: {}",
                gk.kind(),
                m.object.meta().name,
                controller_component(gk, controller),
                f.0
            );
            out.push(Finding::at("api-admission", m, admission_field(&f.0, "template"), message));
        }
    }
}

fn controller_component(gk: GroupKind, controller: &str) -> &'static str {
    match (gk, controller) {
        (GroupKind::DaemonSet, _) => "daemonset",
        (GroupKind::StatefulSet, _) => "statefulset",
        (GroupKind::Job, _) => "job",
        _ => "replicaset",
    }
}

/// The name a controller's pod creation is refused under: the generated-name prefix, or the StatefulSet's
/// first ordinal.
fn pod_name(m: &Manifest) -> String {
    let name = &m.object.meta().name;
    match m.object.group_kind() {
        GroupKind::StatefulSet => format!("{name}-0"),
        GroupKind::Deployment => format!("{name}-<hash>-"),
        _ => crate::controller::util::pods_prefix(name),
    }
}
