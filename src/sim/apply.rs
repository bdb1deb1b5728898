//! What the user applies: input objects created (`initial`) or applied as `kubectl apply` does (`update`, the
//! `apply` step), each refusal becoming a rejection of the phase, located in the document.

use crate::apiserver::validation;
use crate::cluster::{ApiError, Cluster, Concurrency, Rejection};
use crate::input::Manifest;

/// Create an input object; a refusal becomes a rejection of the current phase. Each document is one request: its
/// round-0 actions and what the cluster does at once in reply share one timeline entry.
pub fn create(cluster: &mut Cluster, m: &Manifest) {
    cluster.rec.begin_request();
    match cluster.create(m.object.clone()) {
        Ok(stored) => record_defaulted(cluster, stored.to_json()),
        Err(e) => reject(cluster, m, &e),
    }
}

/// `kubectl apply`: update the object when it exists, else create it.
pub fn apply(cluster: &mut Cluster, m: &Manifest) {
    let gk = m.object.group_kind();
    let meta = m.object.meta();
    if !cluster.store().exists(gk, &meta.namespace, &meta.name) {
        create(cluster, m);
        return;
    }
    match cluster.update(m.object.clone(), Concurrency::Unchecked) {
        Ok(stored) => record_defaulted(cluster, stored.to_json()),
        Err(e) => reject(cluster, m, &e),
    }
}

fn record_defaulted(cluster: &mut Cluster, stored: serde_json::Value) {
    let phase = cluster.rec.phase.clone();
    cluster.rec.defaulted.push((phase, stored));
}

fn reject(cluster: &mut Cluster, m: &Manifest, e: &ApiError) {
    let meta = m.object.meta();
    let span = rejection_span(m, e);
    let message = match e {
        // The document knows what the typed object cannot: whether a map was written `{}` or left out.
        ApiError::Invalid(invalid) if !invalid.errors.is_empty() => {
            let mut errors = invalid.errors.clone();
            validation::refine_with_source(&mut errors, &m.tree);
            validation::invalid_message(&m.object, &errors)
        }
        other => other.to_string(),
    };
    cluster.rec.rejections.push(Rejection {
        phase: cluster.rec.phase.clone(),
        kind: m.object.group_kind().kind().to_owned(),
        namespace: if m.object.group_kind().namespaced() { meta.namespace.clone() } else { String::new() },
        name: meta.name.clone(),
        message,
        file: Some(m.file.to_string()),
        line: Some(span.start.line),
        column: Some(span.start.col),
    });
}

/// Where a rejection points: the field of the first field error (the first the message names), else the object.
fn rejection_span(m: &Manifest, e: &ApiError) -> crate::diag::Span {
    match e {
        ApiError::Invalid(invalid) => invalid.errors.first().map_or(m.tree.span, |fe| m.span_of(&fe.field)),
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
        create(&mut cluster, m);
        let r = &cluster.rec.rejections[0];
        let at = m.span_of("spec.replicas").start;
        assert_eq!((r.line, r.column), (Some(at.line), Some(at.col)));
        assert_eq!(r.line, Some(5), "the line of `replicas: -1`, not the object's");
    }
}
