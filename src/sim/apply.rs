//! What the user applies: input objects created (`initial`) or applied as `kubectl apply` does (`update`, the
//! `apply` step), each refusal becoming a rejection of the phase, located in the document.

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
        ApiError::Invalid(_, errors) if !errors.is_empty() => {
            let mut errors = errors.clone();
            crate::apiserver::validation::refine_with_source(&mut errors, &m.tree);
            crate::apiserver::validation::invalid_message(&m.object, &errors)
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

/// Where a rejection points: the first field named in an `is invalid: <path>: ...` message, else the object.
fn rejection_span(m: &Manifest, e: &ApiError) -> crate::diag::Span {
    if let ApiError::Invalid(msg, _) = e {
        if let Some(rest) = msg.split_once("is invalid: ").map(|(_, r)| r.trim_start_matches('[')) {
            if let Some((path, _)) = rest.split_once(": ") {
                return m.span_of(path);
            }
        }
    }
    m.tree.span
}
