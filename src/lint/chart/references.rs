//! Objects the chart names but does not hold: a pod's ConfigMaps, Secrets, ServiceAccount and claims, a
//! HorizontalPodAutoscaler's target, an Ingress's backend Services and their ports.

use std::collections::BTreeMap;

use crate::api::autoscaling_v2::HorizontalPodAutoscaler;
use crate::api::core_v1::{Container, Service};
use crate::api::networking_v1::{Ingress, IngressBackend};
use crate::api::Object;
use crate::apiserver::admission::service_account::DEFAULT_SERVICE_ACCOUNT_NAME;
use crate::cluster::store::BUILTIN_NAMESPACES;
use crate::input::Manifest;

use super::{Chart, PodSource};
use crate::lint::{locate, suggest, Context, Edit, Finding, Related};

/// ConfigMaps the control plane publishes itself: `kube-root-ca.crt` in every namespace (the root CA
/// publisher), `extension-apiserver-authentication` in kube-system (kube-apiserver).
const PUBLISHED_CONFIG_MAPS: &[(Option<&str>, &str)] =
    &[(None, "kube-root-ca.crt"), (Some("kube-system"), "extension-apiserver-authentication")];

pub(super) fn check(chart: &Chart<'_>, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for p in &chart.pods {
        for r in pod_references(p) {
            missing_reference(chart, p, &r, out);
        }
    }
    for m in ctx.all() {
        match &m.object {
            Object::HorizontalPodAutoscaler(hpa) => autoscaler(chart, m, hpa, out),
            Object::Ingress(ing) => ingress(chart, m, ing, out),
            _ => {}
        }
    }
    missing_namespaces(chart, ctx, out);
}

/// Namespaces that objects of the input are in but that neither the input nor Kubernetes creates: the
/// NamespaceLifecycle admission plugin refuses every object in a namespace that does not exist
/// (`namespaces "x" not found`), as `kubeplan plan` does with the input as the whole cluster. One finding per
/// namespace, at the first object in it.
fn missing_namespaces(chart: &Chart<'_>, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut used: BTreeMap<&str, (&Manifest, usize)> = BTreeMap::new();
    for m in ctx.manifests {
        let ns = m.object.meta().namespace.as_str();
        if !m.object.group_kind().namespaced() || ns.is_empty() || ctx.namespaces.contains_key(ns) || BUILTIN_NAMESPACES.contains(&ns) {
            continue;
        }
        used.entry(ns).or_insert((m, 0)).1 += 1;
    }
    for (ns, (m, count)) in used {
        let objects = if count == 1 { "the object".to_owned() } else { format!("the {count} objects") };
        let refusal = format!("the API server refuses {objects} in it (namespaces {ns:?} not found)");
        let message = if chart.closed_world {
            format!("Namespace {ns:?} is not in the input, which is the whole cluster (--closed-world): {refusal}")
        } else {
            format!(
                "Namespace {ns:?} is not in the input; unless the cluster has it, {refusal}, as `kubeplan plan` does \
                 with the input as the whole cluster"
            )
        };
        out.push(Finding::at("namespace-not-in-input", m, "metadata.namespace", message).with_severity(chart.missing_severity()));
    }
}

/// The kinds of object a pod names in its namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Referenced {
    ConfigMap,
    Secret,
    ServiceAccount,
    PersistentVolumeClaim,
}

impl Referenced {
    fn kind(self) -> &'static str {
        match self {
            Referenced::ConfigMap => "ConfigMap",
            Referenced::Secret => "Secret",
            Referenced::ServiceAccount => "ServiceAccount",
            Referenced::PersistentVolumeClaim => "PersistentVolumeClaim",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Referenced::ConfigMap => "configmap-not-in-input",
            Referenced::Secret => "secret-not-in-input",
            Referenced::ServiceAccount => "serviceaccount-not-in-input",
            Referenced::PersistentVolumeClaim => "pvc-not-in-input",
        }
    }

    /// The resource as the kubelet's and the API server's `not found` messages name it.
    fn resource(self) -> &'static str {
        match self {
            Referenced::ConfigMap => "configmap",
            Referenced::Secret => "secret",
            Referenced::ServiceAccount => "serviceaccount",
            Referenced::PersistentVolumeClaim => "persistentvolumeclaim",
        }
    }
}

/// Where a pod uses the object, which decides what happens without it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Use {
    /// `env[].valueFrom` or `envFrom[]` of a container.
    Environment { container: String },
    /// A volume (or a source of a projected volume).
    Volume { volume: String },
    /// The pod's ServiceAccount.
    Account,
    /// A `persistentVolumeClaim` volume.
    Claim,
}

/// One reference of a pod to an object of its namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub kind: Referenced,
    pub name: String,
    /// The field path of the name, from the manifest's root.
    pub field: String,
    pub used: Use,
}

/// Every reference a pod makes that must resolve for it to run. References marked `optional: true` are left
/// out (the kubelet starts the container without them), and so are a StatefulSet's volumes that a claim
/// template replaces.
pub fn pod_references(p: &PodSource<'_>) -> Vec<Reference> {
    let spec = p.spec;
    let mut refs = Vec::new();
    let mut push = |kind, name: &str, field: String, used| {
        if !name.is_empty() {
            refs.push(Reference { kind, name: name.to_owned(), field, used });
        }
    };
    let (account_field, account) = if spec.service_account_name.is_empty() && !spec.service_account.is_empty() {
        ("serviceAccount", &spec.service_account)
    } else {
        ("serviceAccountName", &spec.service_account_name)
    };
    if account != DEFAULT_SERVICE_ACCOUNT_NAME {
        push(Referenced::ServiceAccount, account, p.spec_field(account_field), Use::Account);
    }
    let claimed: Vec<&str> = match &p.manifest.object {
        Object::StatefulSet(s) => s.spec.volume_claim_templates.iter().map(|c| c.metadata.name.as_str()).collect(),
        _ => Vec::new(),
    };
    for (i, v) in spec.volumes.iter().enumerate() {
        if claimed.contains(&v.name.as_str()) {
            continue;
        }
        let at = |f: &str| p.spec_field(&format!("volumes[{i}].{f}"));
        let used = || Use::Volume { volume: v.name.clone() };
        if let Some(c) = v.config_map.as_ref().filter(|c| c.optional != Some(true)) {
            push(Referenced::ConfigMap, &c.name, at("configMap.name"), used());
        }
        if let Some(s) = v.secret.as_ref().filter(|s| s.optional != Some(true)) {
            push(Referenced::Secret, &s.secret_name, at("secret.secretName"), used());
        }
        if let Some(c) = &v.persistent_volume_claim {
            push(Referenced::PersistentVolumeClaim, &c.claim_name, at("persistentVolumeClaim.claimName"), Use::Claim);
        }
        for (j, source) in v.projected.iter().flat_map(|pr| pr.sources.iter().enumerate()) {
            if let Some(c) = source.config_map.as_ref().filter(|c| c.optional != Some(true)) {
                push(Referenced::ConfigMap, &c.name, at(&format!("projected.sources[{j}].configMap.name")), used());
            }
            if let Some(s) = source.secret.as_ref().filter(|s| s.optional != Some(true)) {
                push(Referenced::Secret, &s.name, at(&format!("projected.sources[{j}].secret.name")), used());
            }
        }
    }
    let lists: [(&str, &[Container]); 2] = [("containers", &spec.containers), ("initContainers", &spec.init_containers)];
    for (list, containers) in lists {
        for (i, c) in containers.iter().enumerate() {
            let at = |f: String| p.spec_field(&format!("{list}[{i}].{f}"));
            let used = || Use::Environment { container: c.name.clone() };
            for (k, e) in c.env.iter().enumerate() {
                let Some(from) = &e.value_from else { continue };
                if let Some(r) = from.config_map_key_ref.as_ref().filter(|r| r.optional != Some(true)) {
                    push(Referenced::ConfigMap, &r.name, at(format!("env[{k}].valueFrom.configMapKeyRef.name")), used());
                }
                if let Some(r) = from.secret_key_ref.as_ref().filter(|r| r.optional != Some(true)) {
                    push(Referenced::Secret, &r.name, at(format!("env[{k}].valueFrom.secretKeyRef.name")), used());
                }
            }
            for (k, e) in c.env_from.iter().enumerate() {
                if let Some(r) = e.config_map_ref.as_ref().filter(|r| r.optional != Some(true)) {
                    push(Referenced::ConfigMap, &r.name, at(format!("envFrom[{k}].configMapRef.name")), used());
                }
                if let Some(r) = e.secret_ref.as_ref().filter(|r| r.optional != Some(true)) {
                    push(Referenced::Secret, &r.name, at(format!("envFrom[{k}].secretRef.name")), used());
                }
            }
        }
    }
    refs
}

/// The ServiceAccounts pods of the input run as that the input does not hold, as (namespace, name), in input
/// order and once each. Lint's own API server assumes the cluster holds them, so that admission does not refuse
/// the pods for them a second time: `serviceaccount-not-in-input` reports them, at the severity the world asks.
pub fn assumed_service_accounts<'a>(ctx: &Context<'a>) -> Vec<(&'a str, String)> {
    let defined: std::collections::HashSet<(&str, &str)> = ctx
        .all()
        .filter_map(|m| match &m.object {
            Object::ServiceAccount(sa) => Some((sa.metadata.namespace.as_str(), sa.metadata.name.as_str())),
            _ => None,
        })
        .collect();
    let mut assumed: Vec<(&'a str, String)> = Vec::new();
    for p in ctx.all().filter_map(super::pod_source) {
        for r in pod_references(&p).into_iter().filter(|r| r.kind == Referenced::ServiceAccount) {
            let key = (p.namespace, r.name);
            if !defined.contains(&(key.0, key.1.as_str())) && !assumed.contains(&key) {
                assumed.push(key);
            }
        }
    }
    assumed
}

/// Whether the control plane makes this object in every cluster.
fn made_by_kubernetes(kind: Referenced, namespace: &str, name: &str) -> bool {
    match kind {
        Referenced::ConfigMap => {
            PUBLISHED_CONFIG_MAPS.iter().any(|(ns, n)| *n == name && ns.is_none_or(|ns| ns == namespace))
        }
        Referenced::ServiceAccount => name == DEFAULT_SERVICE_ACCOUNT_NAME,
        _ => false,
    }
}

fn missing_reference(chart: &Chart<'_>, p: &PodSource<'_>, r: &Reference, out: &mut Vec<Finding>) {
    let ns = p.namespace;
    if made_by_kubernetes(r.kind, ns, &r.name) || chart.get("", r.kind.kind(), ns, &r.name).is_some() {
        return;
    }
    let not_found = format!("{} {:?} not found", r.kind.resource(), r.name);
    let consequence = match &r.used {
        Use::Environment { container } => {
            format!("container {container:?} cannot start (CreateContainerConfigError: {not_found})")
        }
        Use::Volume { volume } => format!("the pod cannot start (MountVolume.SetUp failed for volume {volume:?}: {not_found})"),
        Use::Account => format!(
            "the API server refuses {} (error looking up service account {ns}/{}: {not_found})",
            if p.template_path.is_empty() { "the pod" } else { "every pod of the workload" },
            r.name
        ),
        Use::Claim => format!("the pod stays Pending ({not_found})"),
    };
    let kind = r.kind.kind();
    let message = if chart.closed_world {
        format!("{kind} {:?} is not in the input, which is the whole cluster (--closed-world): {consequence}", r.name)
    } else {
        format!("{kind} {:?} is not in the input; unless the cluster has it in namespace {ns:?}, {consequence}", r.name)
    };
    let f = Finding::at(r.kind.rule(), p.manifest, &r.field, message).with_severity(chart.missing_severity());
    let names = chart.names_of("", kind, ns);
    out.push(match suggest(&r.name, &names) {
        Some(close) => rename_fix(f, p.manifest, &r.field, close),
        None => f,
    });
}

/// A fix renaming the reference at `field` to `name`.
fn rename_fix(f: Finding, m: &Manifest, field: &str, name: &str) -> Finding {
    let Some(span) = locate::value_span(m, field) else { return f };
    let text = crate::lint::traps::yaml_scalar(name);
    f.with_fix(format!("use {name:?}"), vec![Edit { file: m.file.to_string(), span, text }])
}

/// The workload an autoscaler scales must be in the input; its `minReplicas` above the workload's written
/// `replicas` is noted: the autoscaler raises the workload at once, and each apply of the chart lowers it again.
fn autoscaler(chart: &Chart<'_>, m: &Manifest, hpa: &HorizontalPodAutoscaler, out: &mut Vec<Finding>) {
    let target = &hpa.spec.scale_target_ref;
    let ns = hpa.metadata.namespace.as_str();
    let group = target.api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let Some(workload) = chart.get(group, &target.kind, ns, &target.name) else {
        let message = format!(
            "scaleTargetRef {} {:?} ({}): no such object in namespace {ns:?} in the input, so the \
             HorizontalPodAutoscaler has nothing to scale (FailedGetScale)",
            target.kind, target.name, target.api_version
        );
        let field = "spec.scaleTargetRef.name";
        let f = Finding::at("hpa-target-missing", m, field, message);
        let names = chart.names_of(group, &target.kind, ns);
        out.push(match suggest(&target.name, &names) {
            Some(close) => rename_fix(f, m, field, close),
            None => f,
        });
        return;
    };
    let replicas = match &workload.object {
        Object::Deployment(d) => d.spec.replicas,
        Object::StatefulSet(s) => s.spec.replicas,
        Object::ReplicaSet(r) => r.spec.replicas,
        Object::ReplicationController(rc) => rc.spec.replicas,
        _ => None,
    };
    let min = hpa.spec.min_replicas.unwrap_or(1);
    let Some(replicas) = replicas.filter(|r| *r < min && *r > 0) else { return };
    let message = format!(
        "minReplicas {min} exceeds {}'s replicas {replicas}: the HorizontalPodAutoscaler scales it to {min} at once, \
         and every apply of the chart sets it back to {replicas} until the autoscaler scales it again",
        format_args!("{} {:?}", target.kind, target.name)
    );
    let mut f = Finding::at("hpa-min-above-replicas", m, "spec.minReplicas", message);
    f.related.push(Related {
        file: workload.file.to_string(),
        span: locate::field_span(workload, "spec.replicas"),
        message: format!("replicas of {} {:?}", target.kind, target.name),
    });
    let edits = locate::value_span(workload, "spec.replicas")
        .map(|span| vec![Edit { file: workload.file.to_string(), span, text: min.to_string() }])
        .unwrap_or_default();
    out.push(f.with_fix(
        format!("leave replicas out of {} {:?} (the autoscaler owns it), or set it to {min}", target.kind, target.name),
        edits,
    ));
}

/// Every backend of an Ingress must name a Service of its namespace, and a port that Service has.
fn ingress(chart: &Chart<'_>, m: &Manifest, ing: &Ingress, out: &mut Vec<Finding>) {
    let mut backends: Vec<(String, &IngressBackend)> = Vec::new();
    if let Some(b) = &ing.spec.default_backend {
        backends.push(("spec.defaultBackend".to_owned(), b));
    }
    for (i, rule) in ing.spec.rules.iter().enumerate() {
        for (j, path) in rule.http.iter().flat_map(|h| h.paths.iter().enumerate()) {
            backends.push((format!("spec.rules[{i}].http.paths[{j}].backend"), &path.backend));
        }
    }
    let ns = ing.metadata.namespace.as_str();
    for (path, backend) in backends {
        let Some(svc) = &backend.service else { continue };
        let Some(target) = chart.get("", "Service", ns, &svc.name) else {
            let field = format!("{path}.service.name");
            let message = format!(
                "backend Service {:?} is not in namespace {ns:?} in the input: the Ingress controller answers \
                 this path with 503 Service Unavailable",
                svc.name
            );
            let f = Finding::at("ingress-service-missing", m, &field, message);
            let names = chart.names_of("", "Service", ns);
            out.push(match suggest(&svc.name, &names) {
                Some(close) => rename_fix(f, m, &field, close),
                None => f,
            });
            continue;
        };
        let Object::Service(s) = &target.object else { continue };
        service_port(m, &path, svc, s, target, out);
    }
}

fn service_port(
    m: &Manifest,
    path: &str,
    svc: &crate::api::networking_v1::IngressServiceBackend,
    s: &Service,
    target: &Manifest,
    out: &mut Vec<Finding>,
) {
    let port = &svc.port;
    let (found, field, wanted) = if !port.name.is_empty() {
        (s.spec.ports.iter().any(|p| p.name == port.name), format!("{path}.service.port.name"), format!("{:?}", port.name))
    } else {
        (s.spec.ports.iter().any(|p| p.port == port.number), format!("{path}.service.port.number"), port.number.to_string())
    };
    if found || (s.spec.ports.is_empty() && s.spec.r#type == "ExternalName") {
        return;
    }
    let declared: Vec<String> = s
        .spec
        .ports
        .iter()
        .map(|p| if p.name.is_empty() { p.port.to_string() } else { format!("{} ({:?})", p.port, p.name) })
        .collect();
    let message = format!(
        "backend port {wanted}: Service {:?} has no such port (its ports: {}); the Ingress controller answers this \
         path with 503 Service Unavailable",
        svc.name,
        if declared.is_empty() { "none".to_owned() } else { declared.join(", ") }
    );
    let mut f = Finding::at("ingress-service-port-missing", m, &field, message);
    f.related.push(Related {
        file: target.file.to_string(),
        span: locate::field_span(target, "spec.ports"),
        message: format!("the ports of Service {:?}", svc.name),
    });
    let replacement = match s.spec.ports.as_slice() {
        [only] if !port.name.is_empty() && !only.name.is_empty() => Some(only.name.clone()),
        [only] if port.name.is_empty() => Some(only.port.to_string()),
        _ => None,
    };
    out.push(match (replacement, locate::value_span(m, &field)) {
        (Some(text), Some(span)) => {
            f.with_fix(format!("use the Service's port {text}"), vec![Edit { file: m.file.to_string(), span, text }])
        }
        _ => f,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_control_plane_publishes_the_root_ca_everywhere_and_the_default_account() {
        assert!(made_by_kubernetes(Referenced::ConfigMap, "apps", "kube-root-ca.crt"));
        assert!(made_by_kubernetes(Referenced::ConfigMap, "kube-system", "extension-apiserver-authentication"));
        assert!(!made_by_kubernetes(Referenced::ConfigMap, "apps", "extension-apiserver-authentication"));
        assert!(made_by_kubernetes(Referenced::ServiceAccount, "apps", "default"));
        assert!(!made_by_kubernetes(Referenced::Secret, "apps", "default"));
    }
}
