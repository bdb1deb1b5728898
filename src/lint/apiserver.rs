//! The API server's part: apply the objects in input order as `kubectl apply -f` does (a later copy of an
//! object is an update of the earlier one), and report every refusal at its field with the API server's
//! message. An object with several field errors gives one finding per error, each with the message the API
//! server would give were it the only one.
//!
//! Namespaces the files use but do not define are created silently: linting an application's manifests
//! rarely includes its namespace, and a cluster would have it. What controllers do the moment an object is
//! written happens here too (a namespace's `default` ServiceAccount, a ResourceQuota's first count), so that
//! admission sees what it would see in a cluster.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::api::core_v1::{Namespace, Pod, ResourceQuota, ServiceAccount};
use crate::api::{GroupKind, Object};
use crate::apiserver::admission;
use crate::apiserver::validation::{refine_with_source, ErrorKind, FieldError};
use crate::cluster::{ApiError, Cluster, Propagation};
use crate::input::Manifest;
use crate::sim::apply::{apply_and_react, Applied};

use super::{Context, Finding};

/// The workloads whose template pods admission refused, and by which plugin: `(kind, namespace, name, plugin)`.
/// With `--nodes`, the plan's refused creations of the same workload by the same plugin are not reported again.
pub(super) type TemplateRefusals = BTreeSet<(GroupKind, String, String, &'static str)>;

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) -> TemplateRefusals {
    let mut cluster = Cluster::new();
    let accounts = super::chart::assumed_service_accounts(ctx);
    assume_service_accounts(&mut cluster, &accounts);
    for m in ctx.manifests {
        ensure_namespace(&mut cluster, &m.object);
        // An object strict decoding refuses is reported by its `unknown-field` findings; the rest of it is still
        // checked, as if the fields were fixed.
        let decoded;
        let m = if m.refused.is_some() {
            decoded = Manifest { refused: None, ..m.clone() };
            &decoded
        } else {
            m
        };
        let warned_before = cluster.rec.warnings.len();
        match apply_and_react(&mut cluster, m) {
            Applied::Created { .. } | Applied::Updated(_) | Applied::Undecodable(_) => {}
            Applied::Refused(e) => refusal(m, &e, out),
            Applied::Unmapped(message, span) => {
                let mut f = Finding::new("unknown-api-version", &m.file, span, message);
                f.object = Some(super::object_name(&m.object));
                out.push(f);
            }
            Applied::Skipped(d) => {
                let mut f = Finding::new(d.code, &d.file, d.span, d.message);
                f.object = Some(super::object_name(&m.object));
                out.push(f);
            }
        }
        for w in &cluster.rec.warnings[warned_before..] {
            out.push(Finding::at("api-warning", m, warning_field(&w.message), w.message.clone()));
        }
    }
    // Objects in removed versions: validated as the current version would be, each on its own.
    for m in &ctx.removed {
        let mut scratch = Cluster::new();
        for pc in ctx.priority_classes.values() {
            let _ = scratch.create(Object::PriorityClass(Box::new(pc.clone())));
        }
        ensure_namespace(&mut scratch, &m.object);
        assume_service_accounts(&mut scratch, &accounts);
        if let Err(e) = scratch.create(m.object.clone()) {
            refusal(m, &e, out);
        }
    }
    templates(ctx, &mut cluster, out)
}

/// The field a warning is about, when it starts with one (`spec.template.spec.nodeSelector[…]: deprecated …`,
/// the form the strategies' warnings take); PodSecurity's and others' name no field.
fn warning_field(message: &str) -> &str {
    let Some((path, _)) = message.split_once(": ") else { return "" };
    let first = path.split(['.', '[']).next().unwrap_or_default();
    let is_field = matches!(first, "spec" | "metadata" | "template" | "allowedTopologies" | "data")
        && !path.contains(' ');
    if is_field {
        path
    } else {
        ""
    }
}

fn ensure_namespace(cluster: &mut Cluster, o: &Object) {
    let ns = &o.meta().namespace;
    if o.namespaced() && !ns.is_empty() && cluster.store().get::<Namespace>("", ns).is_none() {
        let mut n = crate::api::core_v1::Namespace::default();
        n.metadata.name = ns.clone();
        if let Ok(created) = cluster.create(Object::Namespace(Box::new(n))) {
            crate::controller::react(cluster, &created);
        }
    }
}

/// ServiceAccounts pods name that the input does not hold, created as the cluster is assumed to have them
/// (the `serviceaccount-not-in-input` rule reports them).
fn assume_service_accounts(cluster: &mut Cluster, accounts: &[(&str, String)]) {
    for (ns, name) in accounts {
        let mut sa = ServiceAccount::default();
        sa.metadata.namespace = (*ns).to_owned();
        sa.metadata.name = name.clone();
        let sa = Object::ServiceAccount(Box::new(sa));
        ensure_namespace(cluster, &sa);
        let _ = cluster.create(sa);
    }
}

/// One finding per field error, or one for the whole refusal. An admission plugin's `Invalid` (PodSecurity's
/// check of a namespace's labels) is reported as validation's is, field by field.
fn refusal(m: &Manifest, e: &ApiError, out: &mut Vec<Finding>) {
    match e {
        ApiError::Invalid(invalid) if !invalid.errors.is_empty() => {
            field_errors(m, &invalid.errors, |fe| invalid.with_errors(vec![fe]).to_string(), out);
        }
        ApiError::Refused(r) => match &r.reason {
            admission::Reason::Invalid { kind, name, errors } if !errors.is_empty() => {
                let one = |fe: FieldError| {
                    let reason = admission::Reason::Invalid { kind: *kind, name: name.clone(), errors: vec![fe] };
                    admission::Refusal { plugin: r.plugin, reason }.to_string()
                };
                field_errors(m, errors, one, out);
            }
            _ => {
                let field = r.fields().first().map_or("", |f| f.as_str());
                out.push(Finding::at("api-admission", m, field, r.to_string()));
            }
        },
        other => out.push(Finding::at("api-invalid", m, "", other.to_string())),
    }
}

/// One finding per field error, located in the document, with the message the refusal would have were the
/// error its only one (`message`); repeats of a message are reported once.
fn field_errors(m: &Manifest, errors: &[FieldError], message: impl Fn(FieldError) -> String, out: &mut Vec<Finding>) {
    let mut errors = errors.to_vec();
    refine_with_source(&mut errors, &m.tree);
    let mut seen = Vec::new();
    for fe in errors {
        let (rule, field) = (rule_of(&fe), fe.field.clone());
        let text = message(fe);
        if seen.contains(&text) {
            continue;
        }
        seen.push(text.clone());
        out.push(Finding::at(rule, m, &field, text));
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

/// Workloads whose pods admission would refuse: the controller creates the workload's pods later, after every
/// object of the files exists, so the pods made from each template go through the whole chain in the cluster
/// the files make (any PriorityClass, ServiceAccount, namespace label, LimitRange or ResourceQuota of the files
/// counts) — as many as the workload asks for at once, so that a quota too small for its replicas shows. The
/// finding points at the template's field the refusal names, or at `spec.replicas` (a Job's `parallelism`)
/// when only some pods fit.
/// Each workload is judged on its own: its pods are deleted again and the quotas recounted before the next.
fn templates(ctx: &Context<'_>, cluster: &mut Cluster, out: &mut Vec<Finding>) -> TemplateRefusals {
    let mut refused = TemplateRefusals::new();
    for m in ctx.all() {
        let Some((template, controller, wanted)) = workload_pods(&m.object) else { continue };
        let namespace = m.object.meta().namespace.clone();
        let mut pod = Pod { metadata: template.metadata.clone(), spec: template.spec.clone(), ..Default::default() };
        pod.metadata.namespace = namespace.clone();
        // A valid stand-in for the name; the message names the pod as the controller would.
        pod.metadata.generate_name = "template-".into();
        let pod = Object::Pod(Arc::new(pod));
        ensure_namespace(cluster, &pod);
        // Every pod of a template meets the same admission, but for ResourceQuota, which counts them: without a
        // quota in the namespace one pod tells for all.
        let counted = if cluster.store().list::<ResourceQuota>().any(|q| q.metadata.namespace == namespace) {
            wanted
        } else {
            wanted.min(1)
        };
        let mut created = Vec::new();
        let mut refusal = None;
        while created.len() < counted {
            match cluster.create_unread(pod.clone()) {
                Ok(name) => created.push(name),
                Err(ApiError::Refused(r)) => {
                    refusal = Some(r.naming(&pod_name(m)));
                    break;
                }
                Err(_) => break,
            }
        }
        for name in &created {
            let _ = cluster.delete(GroupKind::Pod, &namespace, name, Propagation::Background);
        }
        if !created.is_empty() {
            crate::controller::resourcequota::sync_all(cluster);
        }
        let Some(refusal) = refusal else { continue };
        let gk = m.object.group_kind();
        refused.insert((gk, namespace.clone(), m.object.meta().name.clone(), refusal.plugin));
        let component = controller_component(gk, controller);
        let (what, field) = if created.is_empty() {
            let field = refusal.fields().first().map_or(String::new(), |f| format!("spec.template.{}", f.as_str()));
            ("cannot create its pods".to_owned(), field)
        } else {
            let field = if gk == GroupKind::Job { "spec.parallelism" } else { "spec.replicas" };
            (format!("can create only {} of its {wanted} pods", created.len()), field.to_owned())
        };
        let message =
            format!("{} {:?}: the {component} controller {what}: Error creating: {refusal}", gk.kind(), m.object.meta().name);
        out.push(Finding::at("api-admission", m, &field, message));
    }
    refused
}

/// Most pods a lint creates for one workload (a quota is rarely larger; the cluster is a scratch one).
const MAX_TEMPLATE_PODS: usize = 100;

/// A workload's pod template, the controller kind that creates its pods, and how many pods it asks for at
/// once: its replicas (a Job: its parallelism, at most its completions); a DaemonSet one, as the nodes are
/// not known here.
fn workload_pods(o: &Object) -> Option<(&crate::api::core_v1::PodTemplateSpec, &'static str, usize)> {
    let count = |n: Option<i32>| usize::try_from(n.unwrap_or(1)).unwrap_or(0).min(MAX_TEMPLATE_PODS);
    Some(match o {
        Object::DaemonSet(d) => (&d.spec.template, "DaemonSet", 1),
        Object::Deployment(d) => (&d.spec.template, "ReplicaSet", count(d.spec.replicas)),
        Object::ReplicaSet(r) => (&r.spec.template, "ReplicaSet", count(r.spec.replicas)),
        Object::StatefulSet(s) => (&s.spec.template, "StatefulSet", count(s.spec.replicas)),
        Object::Job(j) => {
            let parallelism = j.spec.parallelism.unwrap_or(1);
            let at_once = j.spec.completions.map_or(parallelism, |c| parallelism.min(c));
            (&j.spec.template, "Job", count(Some(at_once)))
        }
        _ => return None,
    })
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
