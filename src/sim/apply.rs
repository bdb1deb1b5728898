//! What the user applies, as `kubectl apply -f` over the files: every object in input order, created when it is
//! not stored yet and updated when it is (a second copy of an object in the input is an update of the first),
//! each refusal becoming a rejection of the phase, located in the document.

use crate::api::{CustomResource, Object};
use crate::apiserver::strategy::{self, Serving};
use crate::apiserver::validation;
use crate::cluster::{ApiError, Cluster, Rejection};
use crate::diag::{Diagnostic, Span};
use crate::input::{self, Document, Loaded, Manifest};
use crate::scheduler::Scheduler;

/// The scheduler's `--config`: the first configuration document gives the profiles; one kube-scheduler refuses
/// is a rejection with its message, located at the field (and the default configuration runs); any further
/// one is refused.
pub fn configure_scheduler(scheduler: &mut Scheduler, cluster: &mut Cluster, documents: &[Document]) {
    let configured = crate::scheduler::configuration::configure(documents);
    if let Some(profiles) = configured.profiles {
        scheduler.configure(profiles);
    }
    for r in configured.refusals {
        cluster.rec.rejections.push(Rejection {
            phase: cluster.rec.phase.clone(),
            kind: crate::scheduler::config::KIND.to_owned(),
            namespace: String::new(),
            name: String::new(),
            message: r.message,
            file: Some(r.file),
            line: Some(r.span.start.line),
            column: Some(r.span.start.col),
        });
    }
}

/// Apply what was read: the documents refused as they were read become rejections of the current phase, then
/// every object is applied in input order. Reading's diagnostics and those of applying go to `diagnostics`.
/// The documents' located trees are only needed to point rejections at fields: they are freed before the
/// rounds (for 130,000 nodes they weigh more than the cluster).
pub fn apply_loaded(cluster: &mut Cluster, loaded: Loaded, diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.extend(loaded.diagnostics);
    for r in &loaded.refused {
        cluster.rec.begin_request();
        cluster.rec.rejections.push(Rejection {
            phase: cluster.rec.phase.clone(),
            kind: r.kind.clone(),
            namespace: r.namespace.clone(),
            name: r.name.clone(),
            message: r.message.clone(),
            file: Some(r.file.to_string()),
            line: Some(r.span.start.line),
            column: Some(r.span.start.col),
        });
    }
    for m in &loaded.manifests {
        apply(cluster, m, diagnostics);
    }
}

/// What `kubectl apply` of one object came to.
#[derive(Debug)]
pub enum Applied {
    /// The API server created it: the object as sent (after kubectl's mapping) and as returned.
    Created { sent: Object, stored: Object },
    /// The API server updated it, as returned.
    Updated(Object),
    /// The API server refused it.
    Refused(ApiError),
    /// The API server refused it as it decoded it (strict field validation): the message.
    Undecodable(String),
    /// kubectl could not map it: its message, located at the apiVersion.
    Unmapped(String, Span),
    /// A custom resource whose definition is not stored: skipped, with the located warning.
    Skipped(Diagnostic),
}

/// `kubectl apply` of one object: an update when it exists, else a create. A custom resource is applied only
/// when a stored CustomResourceDefinition serves its kind; without one it is skipped with a located warning
/// (the cluster may have the definition), and in a version the definition does not serve it is refused with
/// kubectl's mapping error.
pub fn apply_object(cluster: &mut Cluster, m: &Manifest) -> Applied {
    if let Some(message) = &m.refused {
        return Applied::Undecodable(message.clone());
    }
    let mut object = m.object.clone();
    if let Object::CustomResource(cr) = &mut object {
        let crds = cluster.store().list::<crate::api::apiextensions_v1::CustomResourceDefinition>();
        match strategy::serving(&cr.api_version, &cr.kind, crds) {
            Serving::Served(s) => {
                if s.namespaced && cr.metadata.namespace.is_empty() {
                    cr.metadata.namespace = "default".to_owned();
                } else if !s.namespaced {
                    cr.metadata.namespace.clear();
                }
                cr.served = Some(s);
            }
            Serving::NotServed => {
                let meta = &cr.metadata;
                let message = input::mapping::mapping_error(&meta.name, &meta.namespace, &m.file, &cr.kind, &cr.api_version);
                return Applied::Unmapped(message, m.tree.get("apiVersion").map_or(m.tree.span, |n| n.span));
            }
            Serving::NoDefinition => return Applied::Skipped(crd_not_in_input(m, cr)),
        }
    }
    let result = if cluster.store().find(&object).is_some() {
        cluster.update_as_client(object).map(Applied::Updated)
    } else {
        cluster.create_as_client(object.clone()).map(|stored| Applied::Created { sent: object, stored })
    };
    let applied = result.unwrap_or_else(Applied::Refused);
    if let Applied::Created { stored, .. } | Applied::Updated(stored) = &applied {
        cluster.rec.note_applied(stored, m.api_version());
    }
    applied
}

/// [`apply_object`], then what controllers do the moment the object is written ([`crate::controller::react`]:
/// a new namespace's `default` ServiceAccount, a quota's first count), before the next object is applied.
pub fn apply_and_react(cluster: &mut Cluster, m: &Manifest) -> Applied {
    let applied = apply_object(cluster, m);
    if let Applied::Created { stored, .. } | Applied::Updated(stored) = &applied {
        crate::controller::react(cluster, stored);
    }
    applied
}

/// [`apply_and_react`], recorded in the plan: the stored object among the defaulted ones, a refusal as a rejection
/// of the current phase, a skipped custom resource as a diagnostic. Each document is one request: its round-0
/// actions and what the cluster does at once in reply share one timeline entry.
pub fn apply(cluster: &mut Cluster, m: &Manifest, diagnostics: &mut Vec<Diagnostic>) {
    cluster.rec.begin_request();
    match apply_and_react(cluster, m) {
        Applied::Created { sent, stored } => {
            // Most objects are stored as the input defaulted them; those share the stored object (a pod or a
            // node: its Arc) rather than keep a copy of it.
            let defaulted = cluster.defaulted_view(&sent, &stored);
            record_defaulted(cluster, if defaulted == stored { stored } else { defaulted });
        }
        Applied::Updated(stored) => record_defaulted(cluster, stored),
        Applied::Refused(e) => reject(cluster, m, &e),
        Applied::Undecodable(message) => push_rejection(cluster, m, message, m.tree.span),
        Applied::Unmapped(message, span) => push_rejection(cluster, m, message, span),
        Applied::Skipped(d) => diagnostics.push(d),
    }
}

fn record_defaulted(cluster: &mut Cluster, stored: Object) {
    let phase = cluster.rec.phase.clone();
    cluster.rec.defaulted.push((phase, stored));
}

/// The located warning for a custom resource whose definition is not in the input (rule `crd-not-in-input`).
pub fn crd_not_in_input(m: &Manifest, cr: &CustomResource) -> Diagnostic {
    let span = m.tree.get("kind").map_or(m.tree.span, |n| n.span);
    Diagnostic::warning(
        "crd-not-in-input",
        &m.file,
        span,
        format!(
            "{} ({}) is a custom resource whose CustomResourceDefinition is not in the input; skipped (the cluster may have it)",
            cr.kind, cr.api_version
        ),
    )
}

fn reject(cluster: &mut Cluster, m: &Manifest, e: &ApiError) {
    let span = rejection_span(m, e);
    let message = match e {
        // The document knows what the typed object cannot: whether a map was written `{}` or left out.
        ApiError::Invalid(invalid) if !invalid.errors.is_empty() => {
            let mut errors = invalid.errors.clone();
            validation::refine_with_source(&mut errors, &m.tree);
            invalid.with_errors(errors).to_string()
        }
        other => other.to_string(),
    };
    push_rejection(cluster, m, message, span);
}

/// A rejection of the current phase for `m`, at `span`.
fn push_rejection(cluster: &mut Cluster, m: &Manifest, message: String, span: Span) {
    let meta = m.object.meta();
    cluster.rec.rejections.push(Rejection {
        phase: cluster.rec.phase.clone(),
        kind: m.object.kind().to_owned(),
        namespace: if m.object.namespaced() { meta.namespace.clone() } else { String::new() },
        name: meta.name.clone(),
        message,
        file: Some(m.file.to_string()),
        line: Some(span.start.line),
        column: Some(span.start.col),
    });
}

/// Where a rejection points: the field of the first field error (the first the message names), the first field
/// an admission plugin named, else the object.
fn rejection_span(m: &Manifest, e: &ApiError) -> Span {
    match e {
        ApiError::Invalid(invalid) => invalid.errors.first().map_or(m.tree.span, |fe| m.span_of(&fe.field)),
        ApiError::Refused(r) => r.fields().first().map_or(m.tree.span, |f| m.span_of(f.as_str())),
        _ => m.tree.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{load, Source};

    #[test]
    fn a_refusal_points_at_the_field_of_its_first_error() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: -1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: 'web:1'}]\n";
        let loaded = load(&[Source::new("d.yaml", yaml)]);
        let m = &loaded.manifests[0];
        let mut cluster = Cluster::new();
        cluster.rec.begin_phase("initial");
        apply(&mut cluster, m, &mut Vec::new());
        let r = &cluster.rec.rejections[0];
        let at = m.span_of("spec.replicas").start;
        assert_eq!((r.line, r.column), (Some(at.line), Some(at.col)));
        assert_eq!(r.line, Some(5), "the line of `replicas: -1`, not the object's");
    }

    #[test]
    fn a_second_copy_of_an_object_is_an_update_of_the_first() {
        let cm = |v: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata: {{k: {v}}}\n---\n");
        let loaded = load(&[Source::new("c.yaml", cm("a") + &cm("b"))]);
        let mut cluster = Cluster::new();
        cluster.rec.begin_phase("initial");
        let mut diags = Vec::new();
        apply_loaded(&mut cluster, loaded, &mut diags);
        assert!(cluster.rec.rejections.is_empty(), "{:?}", cluster.rec.rejections);
        let stored = cluster.store().get::<crate::api::core_v1::ConfigMap>("default", "c").expect("stored");
        assert_eq!(stored.data.get("k").map(String::as_str), Some("b"));
    }
}
