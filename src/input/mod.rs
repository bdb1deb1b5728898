//! Loading manifests: files of YAML or JSON documents (also `kind: List` as `kubectl get -o yaml` prints it)
//! into typed objects that remember where they came from.

pub mod decode;
pub mod node;
pub mod yaml;

use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::api::{GroupKind, Object};
use crate::diag::{Diagnostic, Pos, Span};

pub use node::Node;

/// A named text to read (a file, stdin as `-`, or an editor buffer).
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        Source { name: name.into(), text: text.into() }
    }
}

/// An object read from a source, with its located tree (for messages that point into the document).
#[derive(Clone, Debug)]
pub struct Manifest {
    pub object: Object,
    pub file: Arc<str>,
    pub tree: Arc<Node>,
}

impl Manifest {
    /// The span of the field at `path` (an API field path such as `spec.selector`), or of the closest enclosing
    /// field that exists in the document.
    pub fn span_of(&self, path: &str) -> Span {
        let (node, key, found) = self.tree.locate(path);
        match (found, key) {
            (true, _) => node.span,
            (false, Some(k)) => k.span,
            (false, None) => node.span,
        }
    }
}

/// Everything read from the sources: the objects, in input order, and the problems met.
#[derive(Debug, Default)]
pub struct Loaded {
    pub manifests: Vec<Manifest>,
    pub diagnostics: Vec<Diagnostic>,
    /// Objects written in an API version that was removed (`extensions/v1beta1` DaemonSets, ...), read as the
    /// current version. kubectl cannot apply them (each also has an `unknown-api-version` diagnostic), so they
    /// are not in `manifests`; a linter can still check what they would be once moved to the current version.
    pub removed: Vec<RemovedVersion>,
    /// The unknown fields behind the `unknown-field` diagnostics, with the fields that were expected there.
    pub unknown_fields: Vec<(Arc<str>, decode::UnknownField)>,
}

/// An object in a removed API version, read as the current version.
#[derive(Clone, Debug)]
pub struct RemovedVersion {
    pub manifest: Manifest,
    /// The version written, e.g. `extensions/v1beta1`.
    pub api_version: String,
    /// The Kubernetes release that removed it, e.g. `v1.16`.
    pub removed_in: &'static str,
}

/// Read every document of every source. Problems are reported per document; the rest is still read.
pub fn load(sources: &[Source]) -> Loaded {
    let mut out = Loaded::default();
    for src in sources {
        load_source(src, &mut out);
    }
    out
}

fn load_source(src: &Source, out: &mut Loaded) {
    let file: Arc<str> = Arc::from(src.name.as_str());
    if src.text.len() > yaml::MAX_FILE_BYTES {
        out.diagnostics.push(Diagnostic::error(
            "input-too-large",
            &file,
            Span::point(Pos { line: 1, col: 1 }),
            format!("file is {} bytes; kubeplan reads at most {} bytes per file", src.text.len(), yaml::MAX_FILE_BYTES),
        ));
        return;
    }
    let text = src.text.strip_prefix('\u{feff}').unwrap_or(&src.text);
    for chunk in yaml::split_documents(&file, text, &mut out.diagnostics) {
        match yaml::parse_chunk(&file, &chunk) {
            Ok(Some(tree)) => load_document(&file, Arc::new(tree), out),
            Ok(None) => {}
            Err(d) => out.diagnostics.push(d),
        }
    }
}

/// Read one document: a single object, or a list of them.
fn load_document(file: &Arc<str>, tree: Arc<Node>, out: &mut Loaded) {
    let span = tree.span;
    if !matches!(tree.value, node::Value::Map(_)) {
        out.diagnostics.push(Diagnostic::error(
            "not-an-object",
            file,
            span,
            format!("expected a Kubernetes object (a mapping with apiVersion and kind), found {}", tree.value.json_type()),
        ));
        return;
    }
    let kind = tree.get("kind").and_then(Node::as_str).unwrap_or("");
    let api_version = tree.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    if kind.is_empty() || api_version.is_empty() {
        let missing: Vec<&str> =
            [("apiVersion", api_version), ("kind", kind)].iter().filter(|(_, v)| v.is_empty()).map(|(k, _)| *k).collect();
        out.diagnostics.push(Diagnostic::error(
            "missing-type-meta",
            file,
            span,
            format!("error validating data: [{}]", missing.iter().map(|k| format!("{k} not set")).collect::<Vec<_>>().join(", ")),
        ));
        return;
    }
    if kind == "List" || (kind.ends_with("List") && tree.get("items").is_some()) {
        match tree.get("items").map(|n| &n.value) {
            Some(node::Value::Seq(items)) => {
                for item in items {
                    load_document(file, Arc::new(item.clone()), out);
                }
            }
            Some(node::Value::Null) | None => {}
            Some(_) => out.diagnostics.push(Diagnostic::error(
                "invalid-type",
                file,
                tree.get("items").map(|n| n.span).unwrap_or(span),
                "items of a List must be a sequence of objects",
            )),
        }
        return;
    }
    let kind_span = tree.get("kind").map(|n| n.span).unwrap_or(span);
    let Some(gk) = GroupKind::from_kind(kind) else {
        out.diagnostics.push(unknown_kind(file, kind_span, api_version, kind));
        return;
    };
    if let Err(d) = check_api_version(file, &tree, gk, api_version) {
        out.diagnostics.push(d);
        if let Some(removed_in) = removed_in(gk, api_version) {
            let written = api_version.to_owned();
            if let Ok((mut object, _)) = decode_object(gk, &tree) {
                if gk.namespaced() && object.meta().namespace.is_empty() {
                    object.meta_mut().namespace = "default".to_owned();
                }
                let manifest = Manifest { object, file: file.clone(), tree };
                out.removed.push(RemovedVersion { manifest, api_version: written, removed_in });
            }
        }
        return;
    }
    match decode_object(gk, &tree) {
        Ok((mut object, unknown)) => {
            for u in unknown {
                out.diagnostics.push(Diagnostic::warning(
                    "unknown-field",
                    file,
                    u.span,
                    format!("unknown field \"{}\": the API server drops it (kubectl --validate=strict refuses the object)", u.path),
                ));
                out.unknown_fields.push((file.clone(), u));
            }
            if gk.namespaced() && object.meta().namespace.is_empty() {
                object.meta_mut().namespace = "default".to_owned();
            }
            out.manifests.push(Manifest { object, file: file.clone(), tree });
        }
        Err(e) => out.diagnostics.push(Diagnostic::error(
            "invalid-type",
            file,
            e.span.unwrap_or(span),
            format!("{kind} in version \"{}\" cannot be handled as a {kind}: {}", version_of(api_version), e.message),
        )),
    }
}

fn version_of(api_version: &str) -> &str {
    api_version.rsplit('/').next().unwrap_or(api_version)
}

fn decode_object(gk: GroupKind, tree: &Node) -> Result<(Object, Vec<decode::UnknownField>), decode::DecodeError> {
    fn typed<T: DeserializeOwned>(
        tree: &Node,
        wrap: impl FnOnce(Box<T>) -> Object,
    ) -> Result<(Object, Vec<decode::UnknownField>), decode::DecodeError> {
        let (v, unknown) = decode::decode::<T>(tree)?;
        Ok((wrap(Box::new(v)), unknown.into_iter().filter(|u| u.path != "apiVersion" && u.path != "kind").collect()))
    }
    match gk {
        GroupKind::Node => typed(tree, Object::Node),
        GroupKind::Namespace => typed(tree, Object::Namespace),
        GroupKind::Pod => typed(tree, Object::Pod),
        GroupKind::Service => typed(tree, Object::Service),
        GroupKind::PriorityClass => typed(tree, Object::PriorityClass),
        GroupKind::DaemonSet => typed(tree, Object::DaemonSet),
        GroupKind::Deployment => typed(tree, Object::Deployment),
        GroupKind::ReplicaSet => typed(tree, Object::ReplicaSet),
        GroupKind::StatefulSet => typed(tree, Object::StatefulSet),
        GroupKind::ControllerRevision => typed(tree, Object::ControllerRevision),
        GroupKind::Job => typed(tree, Object::Job),
    }
}

/// API versions that served these kinds once and were removed; kubectl cannot map them on a v1.32 cluster.
fn removed_in(gk: GroupKind, api_version: &str) -> Option<&'static str> {
    match (gk, api_version) {
        (GroupKind::DaemonSet | GroupKind::Deployment | GroupKind::ReplicaSet, "extensions/v1beta1") => Some("v1.16"),
        (
            GroupKind::DaemonSet | GroupKind::Deployment | GroupKind::ReplicaSet | GroupKind::StatefulSet
            | GroupKind::ControllerRevision,
            "apps/v1beta2" | "apps/v1beta1",
        ) => Some("v1.16"),
        (GroupKind::PriorityClass, "scheduling.k8s.io/v1beta1" | "scheduling.k8s.io/v1alpha1") => Some("v1.22"),
        _ => None,
    }
}

fn check_api_version(file: &str, tree: &Node, gk: GroupKind, api_version: &str) -> Result<(), Diagnostic> {
    if api_version == gk.api_version() {
        return Ok(());
    }
    let span = tree.get("apiVersion").map(|n| n.span).unwrap_or(tree.span);
    let name = tree.get("metadata").and_then(|m| m.get("name")).and_then(Node::as_str).unwrap_or("");
    let hint = match removed_in(gk, api_version) {
        Some(v) => format!(" ({api_version} was removed in Kubernetes {v}; use {})", gk.api_version()),
        None => format!(" (use {})", gk.api_version()),
    };
    Err(Diagnostic::error(
        "unknown-api-version",
        file,
        span,
        format!(
            "resource mapping not found for name: {name:?} from {file:?}: no matches for kind {:?} in version {api_version:?}{hint}",
            gk.kind()
        ),
    ))
}

/// Built-in kinds kubeplan reads but does not model: they cannot change which pods exist or where they run.
const IGNORED_BUILTIN_KINDS: &[&str] = &[
    "ConfigMap", "Secret", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding",
    "Ingress", "IngressClass", "NetworkPolicy", "PodDisruptionBudget", "HorizontalPodAutoscaler", "CronJob",
    "PersistentVolumeClaim", "PersistentVolume", "StorageClass", "CustomResourceDefinition", "LimitRange",
    "ResourceQuota", "Endpoints", "EndpointSlice", "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "APIService",
    "Lease", "ReplicationController", "PodTemplate", "Event", "RuntimeClass", "CSIDriver", "CSINode",
    "VolumeAttachment", "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration",
];

fn unknown_kind(file: &str, span: Span, api_version: &str, kind: &str) -> Diagnostic {
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    let builtin_group = matches!(group, "" | "apps" | "batch" | "scheduling.k8s.io" | "extensions" | "policy")
        || group.ends_with(".k8s.io") && !group.contains("x-k8s");
    if IGNORED_BUILTIN_KINDS.contains(&kind) {
        return Diagnostic {
            severity: crate::diag::Severity::Info,
            ..Diagnostic::warning("ignored-kind", file, span, format!("{kind} is not modelled by kubeplan; ignored"))
        };
    }
    if builtin_group {
        let suggestion = GroupKind::ALL
            .iter()
            .map(|g| g.kind())
            .chain(IGNORED_BUILTIN_KINDS.iter().copied())
            .min_by_key(|k| strsim::levenshtein(&k.to_lowercase(), &kind.to_lowercase()))
            .filter(|k| strsim::levenshtein(&k.to_lowercase(), &kind.to_lowercase()) <= 2);
        let hint = suggestion.map(|s| format!("; did you mean {s:?}?")).unwrap_or_default();
        return Diagnostic::error(
            "unknown-kind",
            file,
            span,
            format!("no matches for kind {kind:?} in version {api_version:?}{hint}"),
        );
    }
    Diagnostic::warning(
        "unknown-kind",
        file,
        span,
        format!("kind {kind:?} ({api_version}) is not modelled by kubeplan; ignored"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_document_does_not_stop_the_others() {
        let text = "apiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\nkind: [\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n";
        let l = load(&[Source::new("m.yaml", text)]);
        assert_eq!(l.manifests.len(), 2);
        assert_eq!(l.diagnostics.len(), 1);
        assert_eq!(l.diagnostics[0].span.start.line, 5);
        assert_eq!(l.diagnostics[0].file, "m.yaml");
    }

    #[test]
    fn lists_expand_and_namespaces_default() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n";
        let l = load(&[Source::new("m.yaml", text)]);
        assert_eq!(l.manifests.len(), 1);
        assert_eq!(l.manifests[0].object.meta().namespace, "default");
    }

    #[test]
    fn unknown_and_removed_kinds_are_located() {
        let text = "apiVersion: apps/v1\nkind: DaemonSett\nmetadata: {name: a}\n---\napiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata: {name: b}\n";
        let l = load(&[Source::new("m.yaml", text)]);
        assert!(l.manifests.is_empty());
        assert_eq!(l.diagnostics[0].code, "unknown-kind");
        assert!(l.diagnostics[0].message.contains("did you mean \"DaemonSet\""));
        assert_eq!(l.diagnostics[0].span.start.line, 2);
        assert_eq!(l.diagnostics[1].code, "unknown-api-version");
        assert_eq!(l.diagnostics[1].span.start.line, 5);
        assert_eq!(l.removed.len(), 1);
        assert_eq!((l.removed[0].api_version.as_str(), l.removed[0].removed_in), ("extensions/v1beta1", "v1.16"));
        assert_eq!(l.removed[0].manifest.object.meta().name, "b");
    }

    #[test]
    fn wrong_types_are_located_errors() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: http\n";
        let l = load(&[Source::new("m.yaml", text)]);
        assert!(l.manifests.is_empty());
        let d = &l.diagnostics[0];
        assert_eq!((d.span.start.line, d.span.start.col), (8, 22));
        assert_eq!(
            d.message,
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
        );
    }
}
