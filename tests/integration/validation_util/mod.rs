//! Test support for the validation tests: the few API-server defaults and strategy steps that validation
//! messages depend on, applied the way `pkg/apis/*/v1/defaults.go` and `PrepareForCreate` apply them, and small
//! loaders. (kubeplan's own defaulting lives in `apiserver::defaults`; these tests must not depend on it.)

#![allow(dead_code)]

use kubeplan::api::apps_v1::{RollingUpdateDaemonSet, RollingUpdateDeployment, RollingUpdateStatefulSetStrategy};
use kubeplan::api::core_v1::{Container, PodSecurityContext, PodSpec, Probe};
use kubeplan::api::meta_v1::LabelSelector;
use kubeplan::api::{IntOrString, Object};
use kubeplan::apiserver::validation::{self, FieldError};
use kubeplan::input::{load, Manifest, Source};

/// `SetDefaults_Container` and the generated container defaults.
fn default_container(c: &mut Container) {
    if c.termination_message_path.is_empty() {
        c.termination_message_path = "/dev/termination-log".into();
    }
    if c.termination_message_policy.is_empty() {
        c.termination_message_policy = "File".into();
    }
    if c.image_pull_policy.is_empty() {
        c.image_pull_policy = if image_tag_is_latest(&c.image) { "Always" } else { "IfNotPresent" }.into();
    }
    for p in &mut c.ports {
        if p.protocol.is_empty() {
            p.protocol = "TCP".into();
        }
    }
    for e in &mut c.env {
        if let Some(f) = e.value_from.as_mut().and_then(|v| v.field_ref.as_mut()) {
            if f.api_version.is_empty() {
                f.api_version = "v1".into();
            }
        }
    }
    for probe in [&mut c.liveness_probe, &mut c.readiness_probe, &mut c.startup_probe].into_iter().flatten() {
        default_probe(probe);
    }
}

/// `ParseImageName`: no tag and no digest reads as `latest`.
fn image_tag_is_latest(image: &str) -> bool {
    if image.contains('@') {
        return false;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        Some((_, tag)) => tag == "latest",
        None => true,
    }
}

fn default_probe(p: &mut Probe) {
    if p.timeout_seconds == 0 {
        p.timeout_seconds = 1;
    }
    if p.period_seconds == 0 {
        p.period_seconds = 10;
    }
    if p.success_threshold == 0 {
        p.success_threshold = 1;
    }
    if p.failure_threshold == 0 {
        p.failure_threshold = 3;
    }
    if let Some(h) = &mut p.http_get {
        if h.path.is_empty() {
            h.path = "/".into();
        }
        if h.scheme.is_empty() {
            h.scheme = "HTTP".into();
        }
    }
}

/// `SetDefaults_PodSpec` and the container defaults.
pub fn default_pod_spec(s: &mut PodSpec) {
    if s.dns_policy.is_empty() {
        s.dns_policy = "ClusterFirst".into();
    }
    if s.restart_policy.is_empty() {
        s.restart_policy = "Always".into();
    }
    if s.security_context.is_none() {
        s.security_context = Some(Box::new(PodSecurityContext::default()));
    }
    if s.termination_grace_period_seconds.is_none() {
        s.termination_grace_period_seconds = Some(30);
    }
    if s.scheduler_name.is_empty() {
        s.scheduler_name = "default-scheduler".into();
    }
    for c in s.init_containers.iter_mut().chain(s.containers.iter_mut()) {
        default_container(c);
    }
    for v in &mut s.volumes {
        let none = v.host_path.is_none()
            && v.secret.is_none()
            && v.config_map.is_none()
            && v.persistent_volume_claim.is_none()
            && v.projected.is_none()
            && v.downward_api.is_none()
            && v.nfs.is_none()
            && v.csi.is_none()
            && v.ephemeral.is_none();
        if v.empty_dir.is_none() && none {
            v.empty_dir = Some(Default::default());
        }
    }
}

fn int(i: i32) -> Option<IntOrString> {
    Some(IntOrString::Int(i))
}

fn pct(s: &str) -> Option<IntOrString> {
    Some(IntOrString::String(s.into()))
}

/// Apply the defaults and the create-time strategy steps validation depends on.
pub fn default_object(obj: &mut Object) {
    match obj {
        Object::Pod(p) => {
            let p = std::sync::Arc::make_mut(p);
            default_pod_spec(&mut p.spec);
            if p.spec.host_network {
                for c in p.spec.init_containers.iter_mut().chain(p.spec.containers.iter_mut()) {
                    for port in &mut c.ports {
                        if port.host_port == 0 {
                            port.host_port = port.container_port;
                        }
                    }
                }
            }
            for c in p.spec.init_containers.iter_mut().chain(p.spec.containers.iter_mut()) {
                for (k, v) in c.resources.limits.clone() {
                    c.resources.requests.entry(k).or_insert(v);
                }
            }
        }
        Object::DaemonSet(ds) => {
            default_pod_spec(&mut ds.spec.template.spec);
            let s = &mut ds.spec.update_strategy;
            if s.r#type.is_empty() {
                s.r#type = "RollingUpdate".into();
            }
            if s.r#type == "RollingUpdate" {
                let ru = s.rolling_update.get_or_insert_with(|| Box::new(RollingUpdateDaemonSet::default()));
                if ru.max_unavailable.is_none() {
                    ru.max_unavailable = int(1);
                }
                if ru.max_surge.is_none() {
                    ru.max_surge = int(0);
                }
            }
            ds.spec.revision_history_limit.get_or_insert(10);
        }
        Object::Deployment(d) => {
            default_pod_spec(&mut d.spec.template.spec);
            d.spec.replicas.get_or_insert(1);
            let s = &mut d.spec.strategy;
            if s.r#type.is_empty() {
                s.r#type = "RollingUpdate".into();
            }
            if s.r#type == "RollingUpdate" {
                let ru = s.rolling_update.get_or_insert_with(|| Box::new(RollingUpdateDeployment::default()));
                if ru.max_unavailable.is_none() {
                    ru.max_unavailable = pct("25%");
                }
                if ru.max_surge.is_none() {
                    ru.max_surge = pct("25%");
                }
            }
            d.spec.revision_history_limit.get_or_insert(10);
            d.spec.progress_deadline_seconds.get_or_insert(600);
        }
        Object::ReplicaSet(rs) => {
            default_pod_spec(&mut rs.spec.template.spec);
            rs.spec.replicas.get_or_insert(1);
        }
        Object::StatefulSet(ss) => {
            default_pod_spec(&mut ss.spec.template.spec);
            if ss.spec.pod_management_policy.is_empty() {
                ss.spec.pod_management_policy = "OrderedReady".into();
            }
            let s = &mut ss.spec.update_strategy;
            if s.r#type.is_empty() {
                s.r#type = "RollingUpdate".into();
                s.rolling_update.get_or_insert_with(|| Box::new(RollingUpdateStatefulSetStrategy::default()));
            }
            if let Some(ru) = &mut s.rolling_update {
                ru.partition.get_or_insert(0);
            }
            ss.spec.replicas.get_or_insert(1);
            ss.spec.revision_history_limit.get_or_insert(10);
        }
        Object::Job(j) => {
            default_pod_spec(&mut j.spec.template.spec);
            if j.spec.completions.is_none() && j.spec.parallelism.is_none() {
                j.spec.completions = Some(1);
            }
            j.spec.parallelism.get_or_insert(1);
            j.spec.backoff_limit.get_or_insert(6);
            j.spec.completion_mode.get_or_insert_with(|| "NonIndexed".into());
            j.spec.suspend.get_or_insert(false);
            j.spec.manual_selector.get_or_insert(false);
            let replacement = if j.spec.pod_failure_policy.is_some() { "Failed" } else { "TerminatingOrFailed" };
            j.spec.pod_replacement_policy.get_or_insert_with(|| replacement.into());
            // The API server's UID and the strategy's generateSelector.
            if j.metadata.uid.is_empty() {
                j.metadata.uid = format!("uid-{}", j.metadata.name);
            }
            if j.spec.manual_selector != Some(true) {
                let uid = j.metadata.uid.clone();
                let name = j.metadata.name.clone();
                let labels = &mut j.spec.template.metadata.labels;
                for k in ["job-name", "batch.kubernetes.io/job-name"] {
                    labels.entry(k.into()).or_insert_with(|| name.clone());
                }
                for k in ["controller-uid", "batch.kubernetes.io/controller-uid"] {
                    labels.entry(k.into()).or_insert_with(|| uid.clone());
                }
                let sel = j.spec.selector.get_or_insert_with(|| Box::new(LabelSelector::default()));
                sel.match_labels.entry("batch.kubernetes.io/controller-uid".into()).or_insert(uid);
            }
        }
        Object::PriorityClass(pc) => {
            pc.preemption_policy.get_or_insert_with(|| "PreemptLowerPriority".into());
        }
        _ => {}
    }
}

/// Load every manifest of a YAML text; panics on any load diagnostic of error severity.
pub fn load_text(name: &str, text: &str) -> Vec<Manifest> {
    let loaded = load(&[Source::new(name, text)]);
    for d in &loaded.diagnostics {
        assert!(d.severity != kubeplan::diag::Severity::Error, "{name}: {}", d.message);
    }
    loaded.manifests
}

/// A single object from YAML, defaulted.
pub fn object(yaml: &str) -> Object {
    let mut m = load_text("test.yaml", yaml);
    assert_eq!(m.len(), 1, "expected one object");
    let mut o = m.remove(0).object;
    default_object(&mut o);
    o
}

/// The errors `validate_create` reports for a manifest after defaulting, refined with its document.
pub fn create_errors(m: &Manifest) -> Vec<FieldError> {
    let mut o = m.object.clone();
    default_object(&mut o);
    let mut errs = validation::validate_create(&o);
    validation::refine_with_source(&mut errs, &m.tree);
    errs
}

/// The error strings of `validate_create` for one YAML object.
pub fn errors(yaml: &str) -> Vec<String> {
    validation::validate_create(&object(yaml)).iter().map(ToString::to_string).collect()
}

/// The full API-server message for one YAML object, or `None` when it is valid.
pub fn message(yaml: &str) -> Option<String> {
    let m = load_text("test.yaml", yaml);
    assert_eq!(m.len(), 1);
    let errs = create_errors(&m[0]);
    (!errs.is_empty()).then(|| validation::invalid_message(&m[0].object, &errs))
}
