//! Pods and pod templates (`pkg/apis/core/validation/validation.go`): `ValidatePodTemplateSpec`,
//! `ValidatePodSpec`, containers, ports, environment, resources, probes and lifecycle handlers, security
//! contexts, tolerations, node and pod affinity, topology spread constraints, DNS settings, `ValidatePodCreate`
//! and `ValidatePodUpdate`.
//!
//! Kubernetes validates its internal types; kubeplan validates the v1 types and reports the JSON paths of v1,
//! which are the paths Kubernetes reports. Where the internal type moves a field (`hostNetwork`, `hostPID`,
//! `hostIPC` and `shareProcessNamespace` live in the internal pod security context), the rules follow the Go
//! code and the paths are those Go prints.

use std::collections::BTreeMap;

use crate::api::core_v1::{
    Affinity, Container, ContainerPort, EnvFromSource, EnvVar, HTTPGetAction, LifecycleHandler, NodeSelector,
    NodeSelectorRequirement, NodeSelectorTerm, Pod, PodAffinityTerm, PodSecurityContext, PodSpec, PodTemplateSpec,
    Probe, ResourceRequirements, SeccompProfile, AppArmorProfile, SecurityContext, Toleration,
    TopologySpreadConstraint, WeightedPodAffinityTerm, WindowsSecurityContextOptions,
};
use crate::api::meta_v1::{LabelSelector, ObjectMeta};
use crate::api::{IntOrString, Quantity};
use crate::go::{GoValue, ToGo};

use super::field::{BadValue, FieldError, Path};
use super::meta::{
    dns1123_label_errors, inclusive_range_error, is_dns1123_subdomain, is_dns1123_subdomain_with_underscore,
    is_qualified_name, is_valid_label_value, name_is_dns_label, name_is_dns_subdomain, regex_error,
    selector_has_invalid_label_value, validate_annotations, validate_label_name, validate_label_selector,
    validate_labels, validate_nonnegative, validate_object_meta, validate_object_meta_update, validate_qualified_name,
    SelectorOptions, IS_NOT_POSITIVE,
};
use super::volumes::{self, VolumeMap};
pub use super::pod_options::PodOptions;

impl PodOptions {
    /// The options for a pod spec being created (`old` is `None`) or updated.
    pub fn for_spec(old: Option<(&PodSpec, &ObjectMeta)>) -> PodOptions {
        let mut o = PodOptions { allow_relaxed_environment_variable_validation: true, ..PodOptions::default() };
        if let Some((old, old_meta)) = old {
            o.allow_relaxed_dns_search_validation = old
                .dns_config
                .as_ref()
                .is_some_and(|d| d.searches.iter().any(|s| s == "." || s.contains('_')));
            o.allow_invalid_label_value_in_selector = has_invalid_label_value_in_affinity(old);
            o.allow_invalid_topology_spread_constraint_label_selector =
                old.topology_spread_constraints.iter().any(|c| {
                    !validate_label_selector(c.label_selector.as_deref(), SelectorOptions::default(), &Path::new("")).is_empty()
                });
            o.allow_non_local_projected_token_path = volumes::has_non_local_projected_token_path(&old.volumes);
            o.allow_namespaced_sysctls_for_host_net_and_host_ipc = old
                .security_context
                .as_ref()
                .is_some_and(|sc| sc.sysctls.iter().any(|s| host_sysctl_error(&s.name, old, &Path::new("")).is_some()));
            o.allow_invalid_pod_deletion_cost = deletion_cost(&old_meta.annotations).is_err();
        }
        o
    }

    /// The options a workload strategy uses for its template (`GetValidationOptionsFromPodTemplate`).
    pub fn for_template(old: Option<&PodTemplateSpec>) -> PodOptions {
        PodOptions::for_spec(old.map(|t| (&t.spec, &t.metadata)))
    }
}

/// `hasInvalidLabelValueInAffinitySelector`.
fn has_invalid_label_value_in_affinity(spec: &PodSpec) -> bool {
    let Some(a) = &spec.affinity else { return false };
    let terms = |req: &[PodAffinityTerm], pref: &[WeightedPodAffinityTerm]| {
        req.iter().chain(pref.iter().map(|w| &w.pod_affinity_term)).any(|t| {
            selector_has_invalid_label_value(t.label_selector.as_deref())
                || selector_has_invalid_label_value(t.namespace_selector.as_deref())
        })
    };
    a.pod_affinity.as_ref().is_some_and(|p| {
        terms(&p.required_during_scheduling_ignored_during_execution, &p.preferred_during_scheduling_ignored_during_execution)
    }) || a.pod_anti_affinity.as_ref().is_some_and(|p| {
        terms(&p.required_during_scheduling_ignored_during_execution, &p.preferred_during_scheduling_ignored_during_execution)
    })
}

fn dns1123_subdomain_errors(value: &str, path: &Path) -> Vec<FieldError> {
    is_dns1123_subdomain(value).into_iter().map(|m| FieldError::invalid(path, value, m)).collect()
}

fn subdomain_name_errors(value: &str, path: &Path) -> Vec<FieldError> {
    name_is_dns_subdomain(value, false).into_iter().map(|m| FieldError::invalid(path, value, m)).collect()
}

/// `IsValidPortNum`.
fn is_valid_port_num(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) {
        Vec::new()
    } else {
        vec![inclusive_range_error(1, 65535)]
    }
}

/// `IsValidPortName`: an IANA service name.
pub fn is_valid_port_name(port: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if port.len() > 15 {
        errs.push(super::meta::max_len_error(15));
    }
    if port.is_empty() || !port.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_owned());
    }
    if !port.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_owned());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".to_owned());
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_owned());
    }
    errs
}

/// `IsValidIP` with `netutils.ParseIPSloppy` (IPv4 parts may carry leading zeros).
pub fn is_valid_ip(value: &str) -> bool {
    if value.parse::<std::net::Ipv6Addr>().is_ok() && value.contains(':') {
        return true;
    }
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|c| c.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n <= 255))
}

pub fn ip_errors(value: &str, path: &Path) -> Vec<FieldError> {
    if is_valid_ip(value) {
        Vec::new()
    } else {
        vec![FieldError::invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    }
}

/// `ValidatePodTemplateSpec`: the template's labels and annotations (at `…template.labels`, as Go's embedded
/// `ObjectMeta` puts them), its pod spec, and no ephemeral containers.
pub fn validate_pod_template_spec(t: &PodTemplateSpec, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = validate_labels(&t.metadata.labels, &path.child("labels"));
    errs.extend(validate_annotations(&t.metadata.annotations, &path.child("annotations")));
    errs.extend(validate_pod_specific_annotations(&t.metadata.annotations, &t.spec, &path.child("annotations"), opts));
    errs.extend(validate_pod_spec(&t.spec, None, &path.child("spec"), opts));
    errs.extend(validate_seccomp_annotations_and_fields(&t.metadata, &t.spec, &path.child("spec")));
    errs.extend(validate_apparmor_annotations_and_fields(&t.metadata, &t.spec, &path.child("spec")));
    if !t.spec.ephemeral_containers.is_empty() {
        errs.push(FieldError::forbidden(
            &path.child("spec").child("ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
    errs
}

/// `pod-deletion-cost` as `helper.GetDeletionCostFromPodAnnotations` reads it: an int32 without `+` or leading
/// zeros.
fn deletion_cost(annotations: &BTreeMap<String, String>) -> Result<i32, ()> {
    let Some(v) = annotations.get("controller.kubernetes.io/pod-deletion-cost") else { return Ok(0) };
    let b = v.as_bytes();
    let first_ok = !b.is_empty() && (b[0] == b'-' || v == "0" || (b'1'..=b'9').contains(&b[0]));
    if !first_ok {
        return Err(());
    }
    v.parse::<i32>().map_err(|_| ())
}

/// `ValidatePodSpecificAnnotations`: mirror-pod, tolerations, deletion-cost, seccomp and AppArmor annotations.
pub fn validate_pod_specific_annotations(
    annotations: &BTreeMap<String, String>,
    spec: &PodSpec,
    path: &Path,
    opts: &PodOptions,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(v) = annotations.get("kubernetes.io/config.mirror") {
        if spec.node_name.is_empty() {
            errs.push(FieldError::invalid(
                &path.key("kubernetes.io/config.mirror"),
                v,
                "must set spec.nodeName if mirror pod annotation is set",
            ));
        }
    }
    const TOLERATIONS_KEY: &str = "scheduler.alpha.kubernetes.io/tolerations";
    if let Some(v) = annotations.get(TOLERATIONS_KEY).filter(|v| !v.is_empty()) {
        match serde_json::from_str::<Vec<Toleration>>(v) {
            Ok(t) => {
                if !t.is_empty() {
                    errs.extend(validate_tolerations(&t, &path.child(TOLERATIONS_KEY)));
                }
            }
            Err(e) => errs.push(FieldError::invalid(path, TOLERATIONS_KEY, e.to_string())),
        }
    }
    if !opts.allow_invalid_pod_deletion_cost && deletion_cost(annotations).is_err() {
        let key = "controller.kubernetes.io/pod-deletion-cost";
        errs.push(FieldError::invalid(&path.key(key), annotations.get(key).map_or("", |s| s.as_str()), "must be a 32bit integer"));
    }
    // ValidateSeccompPodAnnotations
    const SECCOMP_POD: &str = "seccomp.security.alpha.kubernetes.io/pod";
    const SECCOMP_CONTAINER: &str = "container.seccomp.security.alpha.kubernetes.io/";
    if let Some(p) = annotations.get(SECCOMP_POD) {
        errs.extend(validate_seccomp_profile_annotation(p, &path.child(SECCOMP_POD)));
    }
    for (k, p) in annotations {
        if k.starts_with(SECCOMP_CONTAINER) {
            errs.extend(validate_seccomp_profile_annotation(p, &path.child(k)));
        }
    }
    // ValidateAppArmorPodAnnotations
    const APPARMOR_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";
    for (k, p) in annotations {
        let Some(container) = k.strip_prefix(APPARMOR_PREFIX) else { continue };
        if !all_containers(spec).any(|(c, _, _)| c.name == container) {
            errs.push(FieldError::invalid(&path.key(k), container, "container not found"));
        }
        if !(p.is_empty() || p == "runtime/default" || p == "unconfined" || p.starts_with("localhost/")) {
            errs.push(FieldError::invalid(&path.key(k), p, format!("invalid AppArmor profile name: {}", crate::go::fmt::quote(p))));
        }
    }
    errs
}

/// `ValidateSeccompProfile` for annotation values.
fn validate_seccomp_profile_annotation(p: &str, path: &Path) -> Vec<FieldError> {
    if p == "runtime/default" || p == "docker/default" || p == "unconfined" {
        return Vec::new();
    }
    if let Some(rest) = p.strip_prefix("localhost/") {
        return volumes::validate_local_descending_path(rest, path);
    }
    vec![FieldError::invalid(path, p, "must be a valid seccomp profile")]
}

/// Init containers, then regular containers, each with the field of its list and its index there
/// (`podshelper.VisitContainersWithPath`; ephemeral containers are never part of a valid create). The caller
/// makes the path, `spec_path.child(list).index(i)`, for it borrows the caller's path.
fn all_containers(spec: &PodSpec) -> impl Iterator<Item = (&Container, &'static str, usize)> {
    let init = spec.init_containers.iter().enumerate().map(|(i, c)| (c, "initContainers", i));
    init.chain(spec.containers.iter().enumerate().map(|(i, c)| (c, "containers", i)))
}

/// `ValidatePodSpec`.
pub fn validate_pod_spec(spec: &PodSpec, pod_meta: Option<&ObjectMeta>, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if spec.termination_grace_period_seconds.is_none() {
        errs.push(FieldError::required(&path.child("terminationGracePeriodSeconds"), ""));
    }
    let grace = spec.termination_grace_period_seconds;
    let (vols, verrs) = volumes::validate_volumes(&spec.volumes, pod_meta.map(|m| m.name.as_str()), &path.child("volumes"), opts);
    errs.extend(verrs);
    errs.extend(validate_containers(spec, &vols, grace, &path.child("containers"), opts));
    errs.extend(validate_init_containers(spec, &vols, grace, &path.child("initContainers"), opts));
    errs.extend(validate_pod_host_network_deps(spec, path, opts));
    errs.extend(validate_restart_policy(&spec.restart_policy, &path.child("restartPolicy")));
    errs.extend(validate_dns_policy(&spec.dns_policy, &path.child("dnsPolicy")));
    errs.extend(validate_labels(&spec.node_selector, &path.child("nodeSelector")));
    errs.extend(validate_pod_spec_security_context(spec, &path.child("securityContext"), opts));
    if let Some(a) = &spec.affinity {
        errs.extend(validate_affinity(a, opts, &path.child("affinity")));
    }
    errs.extend(validate_pod_dns_config(spec, &path.child("dnsConfig"), opts));
    for (i, g) in spec.readiness_gates.iter().enumerate() {
        errs.extend(validate_qualified_name(&g.condition_type, &path.child("readinessGates").index(i).child("conditionType")));
    }
    let mut seen_gates: Vec<&str> = Vec::new();
    let scheduling_gates = path.child("schedulingGates");
    for (i, g) in spec.scheduling_gates.iter().enumerate() {
        let p = scheduling_gates.index(i);
        errs.extend(validate_qualified_name(&g.name, &p));
        if seen_gates.contains(&g.name.as_str()) {
            errs.push(FieldError::duplicate(&p, &g.name));
        }
        seen_gates.push(&g.name);
    }
    errs.extend(validate_topology_spread_constraints(&spec.topology_spread_constraints, &path.child("topologySpreadConstraints"), opts));
    errs.extend(validate_windows_host_process_pod(spec, path));
    if !spec.service_account_name.is_empty() {
        errs.extend(subdomain_name_errors(&spec.service_account_name, &path.child("serviceAccountName")));
    }
    if !spec.node_name.is_empty() {
        errs.extend(subdomain_name_errors(&spec.node_name, &path.child("nodeName")));
    }
    if let Some(v) = spec.active_deadline_seconds {
        if !(1..=i64::from(i32::MAX)).contains(&v) {
            errs.push(FieldError::invalid(&path.child("activeDeadlineSeconds"), v, inclusive_range_error(1, i64::from(i32::MAX))));
        }
    }
    if !spec.hostname.is_empty() {
        errs.extend(dns1123_label_errors(&spec.hostname, &path.child("hostname")));
    }
    if !spec.subdomain.is_empty() {
        errs.extend(dns1123_label_errors(&spec.subdomain, &path.child("subdomain")));
    }
    if !spec.tolerations.is_empty() {
        errs.extend(validate_tolerations(&spec.tolerations, &path.child("tolerations")));
    }
    let host_aliases = path.child("hostAliases");
    for (i, h) in spec.host_aliases.iter().enumerate() {
        let p = host_aliases.index(i);
        errs.extend(ip_errors(&h.ip, &p.child("ip")));
        for (j, name) in h.hostnames.iter().enumerate() {
            errs.extend(dns1123_subdomain_errors(name, &p.child("hostnames").index(j)));
        }
    }
    if !spec.priority_class_name.is_empty() {
        errs.extend(subdomain_name_errors(&spec.priority_class_name, &path.child("priorityClassName")));
    }
    if let Some(rc) = &spec.runtime_class_name {
        errs.extend(subdomain_name_errors(rc, &path.child("runtimeClassName")));
    }
    if let Some(p) = &spec.preemption_policy {
        errs.extend(validate_preemption_policy(p, &path.child("preemptionPolicy")));
    }
    if !spec.overhead.is_empty() {
        let req = ResourceRequirements { limits: spec.overhead.clone(), ..ResourceRequirements::default() };
        errs.extend(validate_resource_requirements(&req, &path.child("overhead"), opts));
    }
    if let Some(os) = &spec.os {
        let os_path = path.child("os");
        if os.name.is_empty() {
            errs.push(FieldError::required(&os_path.child("name"), "cannot be empty"));
        } else if os.name != "linux" && os.name != "windows" {
            errs.push(FieldError::not_supported(&os_path, &os.name, &["linux", "windows"]));
        } else if os.name == "linux" {
            errs.extend(validate_linux(spec, path));
        } else {
            errs.extend(validate_windows(spec, path));
        }
    }
    errs
}

/// `validateRestartPolicy`.
fn validate_restart_policy(p: &str, path: &Path) -> Vec<FieldError> {
    match p {
        "Always" | "OnFailure" | "Never" => Vec::new(),
        "" => vec![FieldError::required(path, "")],
        _ => vec![FieldError::not_supported(path, p, &["Always", "OnFailure", "Never"])],
    }
}

/// `validateDNSPolicy`.
fn validate_dns_policy(p: &str, path: &Path) -> Vec<FieldError> {
    match p {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => Vec::new(),
        "" => vec![FieldError::required(path, "")],
        _ => vec![FieldError::not_supported(path, p, &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])],
    }
}

/// `ValidatePreemptionPolicy`.
pub fn validate_preemption_policy(p: &str, path: &Path) -> Vec<FieldError> {
    match p {
        "PreemptLowerPriority" | "Never" => Vec::new(),
        "" => vec![FieldError::required(path, "")],
        _ => vec![FieldError::not_supported(path, p, &["PreemptLowerPriority", "Never"])],
    }
}

/// `validateContainers`: at least one container, each valid, unique names, probes and lifecycle, no
/// container-level restart policy, and no host port used twice.
fn validate_containers(spec: &PodSpec, vols: &VolumeMap<'_>, grace: Option<i64>, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    if spec.containers.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let mut errs = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let p = path.index(i);
        errs.extend(validate_container_common(c, vols, &p, opts));
        if names.contains(&c.name.as_str()) {
            errs.push(FieldError::duplicate(&p.child("name"), &c.name));
        } else {
            names.push(&c.name);
        }
        if let Some(l) = &c.lifecycle {
            errs.extend(validate_lifecycle(l.post_start.as_deref(), l.pre_stop.as_deref(), grace, &p.child("lifecycle"), opts));
        }
        errs.extend(validate_liveness_or_startup_probe(c.liveness_probe.as_deref(), grace, &p.child("livenessProbe"), opts));
        errs.extend(validate_readiness_probe(c.readiness_probe.as_deref(), grace, &p.child("readinessProbe"), opts));
        errs.extend(validate_liveness_or_startup_probe(c.startup_probe.as_deref(), grace, &p.child("startupProbe"), opts));
        if c.restart_policy.is_some() {
            errs.push(FieldError::forbidden(&p.child("restartPolicy"), "may not be set for non-init containers"));
        }
    }
    errs.extend(check_host_port_conflicts(spec.containers.iter(), path));
    errs
}

/// `validateInitContainers`. Host ports are checked per init container, and Go reports them at index 0 of
/// `initContainers` whatever the container's index, because it checks a one-element list.
fn validate_init_containers(spec: &PodSpec, vols: &VolumeMap<'_>, grace: Option<i64>, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    for (i, c) in spec.init_containers.iter().enumerate() {
        let p = path.index(i);
        errs.extend(validate_container_common(c, vols, &p, opts));
        let mut restart_always = false;
        if let Some(rp) = &c.restart_policy {
            if rp != "Always" {
                errs.push(FieldError::not_supported(&p.child("restartPolicy"), rp, &["Always"]));
            }
            restart_always = rp == "Always";
        }
        if names.contains(&c.name.as_str()) {
            errs.push(FieldError::duplicate(&p.child("name"), &c.name));
        } else if !c.name.is_empty() {
            names.push(&c.name);
        }
        errs.extend(check_host_port_conflicts(std::iter::once(c), path));
        if restart_always {
            if let Some(l) = &c.lifecycle {
                errs.extend(validate_lifecycle(l.post_start.as_deref(), l.pre_stop.as_deref(), grace, &p.child("lifecycle"), opts));
            }
            errs.extend(validate_liveness_or_startup_probe(c.liveness_probe.as_deref(), grace, &p.child("livenessProbe"), opts));
            errs.extend(validate_readiness_probe(c.readiness_probe.as_deref(), grace, &p.child("readinessProbe"), opts));
            errs.extend(validate_liveness_or_startup_probe(c.startup_probe.as_deref(), grace, &p.child("startupProbe"), opts));
        } else {
            const MSG: &str = "may not be set for init containers without restartPolicy=Always";
            if c.lifecycle.is_some() {
                errs.push(FieldError::forbidden(&p.child("lifecycle"), MSG));
            }
            if c.liveness_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("livenessProbe"), MSG));
            }
            if c.readiness_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("readinessProbe"), MSG));
            }
            if c.startup_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("startupProbe"), MSG));
            }
        }
    }
    errs
}

/// `validateContainerCommon`: name, image, termination message policy, ports, environment, mounts, devices,
/// pull policy, resources and security context. (The resize policy is dropped before validation:
/// `InPlacePodVerticalScaling` is off in v1.32.)
fn validate_container_common(c: &Container, vols: &VolumeMap<'_>, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name_path = path.child("name");
    if c.name.is_empty() {
        errs.push(FieldError::required(&name_path, ""));
    } else {
        errs.extend(dns1123_label_errors(&c.name, &name_path));
    }
    if c.image.is_empty() {
        errs.push(FieldError::required(&path.child("image"), ""));
    }
    match c.termination_message_policy.as_str() {
        "File" | "FallbackToLogsOnError" => {}
        "" => errs.push(FieldError::required(&path.child("terminationMessagePolicy"), "")),
        other => errs.push(FieldError::not_supported(&path.child("terminationMessagePolicy"), other, &["File", "FallbackToLogsOnError"])),
    }
    errs.extend(validate_container_ports(&c.ports, &path.child("ports")));
    errs.extend(validate_env(&c.env, &path.child("env"), opts));
    errs.extend(validate_env_from(&c.env_from, &path.child("envFrom"), opts));
    errs.extend(volumes::validate_volume_mounts(c, vols, &path.child("volumeMounts")));
    errs.extend(volumes::validate_volume_devices(c, vols, &path.child("volumeDevices")));
    match c.image_pull_policy.as_str() {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => errs.push(FieldError::required(&path.child("imagePullPolicy"), "")),
        other => errs.push(FieldError::not_supported(&path.child("imagePullPolicy"), other, &["Always", "IfNotPresent", "Never"])),
    }
    errs.extend(validate_resource_requirements(&c.resources, &path.child("resources"), opts));
    if let Some(sc) = &c.security_context {
        errs.extend(validate_security_context(sc, &path.child("securityContext")));
    }
    errs
}

/// `validateContainerPorts`.
fn validate_container_ports(ports: &[ContainerPort], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let idx = path.index(i);
        if !port.name.is_empty() {
            let msgs = is_valid_port_name(&port.name);
            if !msgs.is_empty() {
                errs.extend(msgs.into_iter().map(|m| FieldError::invalid(&idx.child("name"), &port.name, m)));
            } else if names.contains(&port.name.as_str()) {
                errs.push(FieldError::duplicate(&idx.child("name"), &port.name));
            } else {
                names.push(&port.name);
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(&idx.child("containerPort"), ""));
        } else {
            errs.extend(
                is_valid_port_num(i64::from(port.container_port))
                    .into_iter()
                    .map(|m| FieldError::invalid(&idx.child("containerPort"), port.container_port, m)),
            );
        }
        if port.host_port != 0 {
            errs.extend(
                is_valid_port_num(i64::from(port.host_port))
                    .into_iter()
                    .map(|m| FieldError::invalid(&idx.child("hostPort"), port.host_port, m)),
            );
        }
        match port.protocol.as_str() {
            "" => errs.push(FieldError::required(&idx.child("protocol"), "")),
            "SCTP" | "TCP" | "UDP" => {}
            other => errs.push(FieldError::not_supported(&idx.child("protocol"), other, &["SCTP", "TCP", "UDP"])),
        }
    }
    errs
}

/// `AccumulateUniqueHostPorts`: a host port may be used once per protocol and host IP across the containers.
fn check_host_port_conflicts<'a>(containers: impl Iterator<Item = &'a Container>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (ci, c) in containers.enumerate() {
        for (pi, port) in c.ports.iter().enumerate() {
            if port.host_port == 0 {
                continue;
            }
            let key = format!("{}/{}/{}", port.protocol, port.host_ip, port.host_port);
            if seen.contains(&key) {
                errs.push(FieldError::duplicate(&path.index(ci).child("ports").index(pi).child("hostPort"), key));
            } else {
                seen.push(key);
            }
        }
    }
    errs
}

/// `IsEnvVarName` (strict) or `IsRelaxedEnvVarName` (printable ASCII other than `=`).
fn env_var_name_errors(name: &str, relaxed: bool) -> Vec<String> {
    if relaxed {
        let mut errs = Vec::new();
        if name.is_empty() {
            errs.push(format!("environment variable name {}", super::meta::empty_error()));
        }
        if name.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
            errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='".to_owned());
        }
        return errs;
    }
    let mut errs = Vec::new();
    let b = name.as_bytes();
    let ok = !b.is_empty()
        && (b[0].is_ascii_alphabetic() || matches!(b[0], b'-' | b'.' | b'_'))
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'));
    if !ok {
        errs.push(regex_error(
            "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
            "[-._a-zA-Z][-._a-zA-Z0-9]*",
            &["my.env-name", "MY_ENV.NAME", "MyEnvName1"],
        ));
    }
    errs.extend(ch_dir_prefix(name));
    errs
}

/// `hasChDirPrefix`.
fn ch_dir_prefix(v: &str) -> Option<String> {
    match v {
        "." => Some("must not be '.'".into()),
        ".." => Some("must not be '..'".into()),
        _ if v.starts_with("..") => Some("must not start with '..'".into()),
        _ => None,
    }
}

/// `IsConfigMapKey`.
fn config_map_key_errors(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push(super::meta::max_len_error(253));
    }
    if key.is_empty() || !key.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_')) {
        errs.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    errs.extend(ch_dir_prefix(key));
    errs
}

/// `ValidateEnv` and `validateEnvVarValueFrom`.
fn validate_env(vars: &[EnvVar], path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, ev) in vars.iter().enumerate() {
        let idx = path.index(i);
        if ev.name.is_empty() {
            errs.push(FieldError::required(&idx.child("name"), ""));
        } else {
            errs.extend(
                env_var_name_errors(&ev.name, opts.allow_relaxed_environment_variable_validation)
                    .into_iter()
                    .map(|m| FieldError::invalid(&idx.child("name"), &ev.name, m)),
            );
        }
        let Some(from) = &ev.value_from else { continue };
        let vp = idx.child("valueFrom");
        let mut n = 0;
        if let Some(f) = &from.field_ref {
            n += 1;
            errs.extend(volumes::validate_object_field_selector(f, volumes::ENV_FIELD_PATHS, &vp.child("fieldRef")));
        }
        if let Some(r) = &from.resource_field_ref {
            n += 1;
            errs.extend(volumes::validate_resource_field_selector(r, &vp.child("resourceFieldRef"), false));
        }
        if let Some(c) = &from.config_map_key_ref {
            n += 1;
            errs.extend(validate_key_selector(&c.name, &c.key, &vp.child("configMapKeyRef")));
        }
        if let Some(s) = &from.secret_key_ref {
            n += 1;
            errs.extend(validate_key_selector(&s.name, &s.key, &vp.child("secretKeyRef")));
        }
        if n == 0 {
            errs.push(FieldError::invalid(&vp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        } else if !ev.value.is_empty() {
            errs.push(FieldError::invalid(&vp, "", "may not be specified when `value` is not empty"));
        } else if n > 1 {
            errs.push(FieldError::invalid(&vp, "", "may not have more than one field specified at a time"));
        }
    }
    errs
}

/// `validateConfigMapKeySelector` / `validateSecretKeySelector`.
fn validate_key_selector(name: &str, key: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = subdomain_name_errors(name, &path.child("name"));
    if key.is_empty() {
        errs.push(FieldError::required(&path.child("key"), ""));
    } else {
        errs.extend(config_map_key_errors(key).into_iter().map(|m| FieldError::invalid(&path.child("key"), key, m)));
    }
    errs
}

/// `ValidateEnvFrom`.
fn validate_env_from(vars: &[EnvFromSource], path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, ev) in vars.iter().enumerate() {
        let idx = path.index(i);
        if !ev.prefix.is_empty() {
            errs.extend(
                env_var_name_errors(&ev.prefix, opts.allow_relaxed_environment_variable_validation)
                    .into_iter()
                    .map(|m| FieldError::invalid(&idx.child("prefix"), &ev.prefix, m)),
            );
        }
        let mut n = 0;
        let mut source = |name: &str, p: Path, errs: &mut Vec<FieldError>| {
            n += 1;
            if name.is_empty() {
                errs.push(FieldError::required(&p.child("name"), ""));
            } else {
                errs.extend(name_is_dns_subdomain(name, true).into_iter().map(|m| FieldError::invalid(&p.child("name"), name, m)));
            }
        };
        if let Some(c) = &ev.config_map_ref {
            source(&c.name, idx.child("configMapRef"), &mut errs);
        }
        if let Some(s) = &ev.secret_ref {
            source(&s.name, idx.child("secretRef"), &mut errs);
        }
        if n == 0 {
            errs.push(FieldError::invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
        } else if n > 1 {
            errs.push(FieldError::invalid(path, "", "may not have more than one field specified at a time"));
        }
    }
    errs
}

/// Resource names of the Kubernetes domain that quotas know (`helper.standardResources`).
const STANDARD_RESOURCES: &[&str] = &[
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "storage",
    "requests.storage",
    "services.nodeports",
    "services.loadbalancers",
];

/// `helper.IsNativeResource`: unprefixed or in `kubernetes.io/`.
fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// `helper.IsExtendedResourceName`.
fn is_extended_resource_name(name: &str) -> bool {
    if is_native_resource(name) || name.starts_with("requests.") {
        return false;
    }
    is_qualified_name(&format!("requests.{name}")).is_empty()
}

/// `helper.IsIntegerResourceName`.
pub fn is_integer_resource_name(name: &str) -> bool {
    const INTEGER: &[&str] = &[
        "pods",
        "resourcequotas",
        "services",
        "replicationcontrollers",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "services.nodeports",
        "services.loadbalancers",
    ];
    INTEGER.contains(&name) || is_extended_resource_name(name)
}

/// `validateResourceName`: a qualified name, and a standard one unless it has a prefix.
pub fn validate_resource_name(name: &str, path: &Path) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = is_qualified_name(name).into_iter().map(|m| FieldError::invalid(path, name, m)).collect();
    if errs.is_empty()
        && !name.contains('/')
        && !(STANDARD_RESOURCES.contains(&name) || name.starts_with("hugepages-") || name.starts_with("requests.hugepages-"))
    {
        errs.push(FieldError::invalid(path, name, "must be a standard resource type or fully qualified"));
    }
    errs
}

/// `helper.IsOvercommitAllowed`: native resources other than huge pages.
pub fn is_overcommit_allowed(name: &str) -> bool {
    is_native_resource(name) && !name.starts_with("hugepages-")
}

/// `validateContainerResourceName`.
pub fn validate_container_resource_name(name: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = validate_resource_name(name, path);
    if !name.contains('/') {
        if !(["cpu", "memory", "ephemeral-storage"].contains(&name) || name.starts_with("hugepages-")) {
            errs.push(FieldError::invalid(path, name, "must be a standard resource for containers"));
        }
    } else if !is_native_resource(name) && !is_extended_resource_name(name) {
        errs.push(FieldError::invalid(path, name, "doesn't follow extended resource name standard"));
    }
    errs
}

/// `ValidateResourceQuantityValue`: not negative, and whole for integer resources (whose error shows the Go
/// `resource.Quantity` struct, as Go prints a non-pointer quantity with `%#v`).
pub fn validate_resource_quantity_value(name: &str, q: &Quantity, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if q.sign() < 0 {
        errs.push(FieldError::invalid(path, q.to_string(), super::meta::IS_NEGATIVE));
    }
    if is_integer_resource_name(name) && q.milli_value() % 1000 != 0 {
        errs.push(FieldError::invalid(path, BadValue::go(&q.to_go()), "must be an integer"));
    }
    errs
}

/// A huge-page quantity must be a whole multiple of its page size (`IsHugePageResourceValueDivisible`).
fn huge_page_error(name: &str, q: &Quantity, opts: &PodOptions) -> Option<String> {
    let size = name.strip_prefix("hugepages-")?;
    if opts.allow_indivisible_huge_pages_values {
        return None;
    }
    let divisible = match Quantity::parse(size) {
        Ok(page) if page.sign() > 0 && page.milli_value() % 1000 == 0 => q.value() % page.value() == 0,
        _ => false,
    };
    (!divisible).then(|| format!("{q} is not positive integer multiple of {name}"))
}

/// `validateResourceRequirements` with `validateContainerResourceName`: names, quantities, requests no more
/// than limits (equal for resources that cannot be overcommitted), and huge pages only with cpu or memory.
/// (Resource claims are dropped before validation: `DynamicResourceAllocation` is off in v1.32.)
pub fn validate_resource_requirements(r: &ResourceRequirements, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let lim_path = path.child("limits");
    let req_path = path.child("requests");
    let (mut lim_cpu_mem, mut req_cpu_mem, mut lim_huge, mut req_huge) = (false, false, false, false);
    for (name, q) in &r.limits {
        let p = lim_path.key(name);
        errs.extend(validate_container_resource_name(name, &p));
        errs.extend(validate_resource_quantity_value(name, q, &p));
        if name.starts_with("hugepages-") {
            lim_huge = true;
            if let Some(m) = huge_page_error(name, q, opts) {
                errs.push(FieldError::invalid(&p, q.to_string(), m));
            }
        }
        lim_cpu_mem |= name == "cpu" || name == "memory";
    }
    for (name, q) in &r.requests {
        let p = req_path.key(name);
        errs.extend(validate_container_resource_name(name, &p));
        errs.extend(validate_resource_quantity_value(name, q, &p));
        let overcommit = is_native_resource(name) && !name.starts_with("hugepages-");
        match r.limits.get(name) {
            Some(limit) => {
                let ord = q.cmp_value(limit);
                if ord != std::cmp::Ordering::Equal && !overcommit {
                    errs.push(FieldError::invalid(&req_path, q.to_string(), format!("must be equal to {name} limit of {limit}")));
                } else if ord == std::cmp::Ordering::Greater {
                    errs.push(FieldError::invalid(&req_path, q.to_string(), format!("must be less than or equal to {name} limit of {limit}")));
                }
            }
            None if !overcommit => errs.push(FieldError::required(&lim_path, "Limit must be set for non overcommitable resources")),
            None => {}
        }
        if name.starts_with("hugepages-") {
            req_huge = true;
            if let Some(m) = huge_page_error(name, q, opts) {
                errs.push(FieldError::invalid(&p, q.to_string(), m));
            }
        }
        req_cpu_mem |= name == "cpu" || name == "memory";
    }
    if !lim_cpu_mem && !req_cpu_mem && (req_huge || lim_huge) {
        errs.push(FieldError::forbidden(path, "HugePages require cpu or memory"));
    }
    errs
}

/// The handler fields probes and lifecycle hooks share (`commonHandler`).
struct Handler<'a> {
    exec: Option<&'a crate::api::core_v1::ExecAction>,
    http_get: Option<&'a HTTPGetAction>,
    tcp_port: Option<&'a IntOrString>,
    grpc_port: Option<i32>,
    sleep: Option<i64>,
}

/// `validateHandler`: exactly one handler, each valid.
fn validate_handler(h: &Handler<'_>, grace: Option<i64>, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut n = 0;
    const MORE: &str = "may not specify more than 1 handler type";
    if let Some(e) = h.exec {
        n += 1;
        if e.command.is_empty() {
            errs.push(FieldError::required(&path.child("exec").child("command"), ""));
        }
    }
    if let Some(g) = h.http_get {
        if n > 0 {
            errs.push(FieldError::forbidden(&path.child("httpGet"), MORE));
        } else {
            n += 1;
            let p = path.child("httpGet");
            if g.path.is_empty() {
                errs.push(FieldError::required(&p.child("path"), ""));
            }
            errs.extend(validate_port_num_or_name(&g.port, &p.child("port")));
            if g.scheme != "HTTP" && g.scheme != "HTTPS" {
                errs.push(FieldError::not_supported(&p.child("scheme"), &g.scheme, &["HTTP", "HTTPS"]));
            }
            for header in &g.http_headers {
                let b = header.name.as_bytes();
                if b.is_empty() || !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-') {
                    errs.push(FieldError::invalid(
                        &p.child("httpHeaders"),
                        &header.name,
                        regex_error("a valid HTTP header must consist of alphanumeric characters or '-'", "[-A-Za-z0-9]+", &["X-Header-Name"]),
                    ));
                }
            }
        }
    }
    if let Some(port) = h.tcp_port {
        if n > 0 {
            errs.push(FieldError::forbidden(&path.child("tcpSocket"), MORE));
        } else {
            n += 1;
            errs.extend(validate_port_num_or_name(port, &path.child("tcpSocket").child("port")));
        }
    }
    if let Some(port) = h.grpc_port {
        if n > 0 {
            errs.push(FieldError::forbidden(&path.child("grpc"), MORE));
        } else {
            n += 1;
            errs.extend(validate_port_num_or_name(&IntOrString::Int(port), &path.child("grpc").child("port")));
        }
    }
    if let Some(seconds) = h.sleep {
        if n > 0 {
            errs.push(FieldError::forbidden(&path.child("sleep"), MORE));
        } else {
            n += 1;
            if let Some(g) = grace {
                if opts.allow_pod_lifecycle_sleep_action_zero_value {
                    if seconds < 0 || seconds > g {
                        errs.push(FieldError::invalid(
                            &path.child("sleep"),
                            seconds,
                            format!("must be non-negative and less than terminationGracePeriodSeconds ({g})"),
                        ));
                    }
                } else if seconds <= 0 || seconds > g {
                    errs.push(FieldError::invalid(
                        &path.child("sleep"),
                        seconds,
                        format!("must be greater than 0 and less than terminationGracePeriodSeconds ({g}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep."),
                    ));
                }
            }
        }
    }
    if n == 0 {
        errs.push(FieldError::required(path, "must specify a handler type"));
    }
    errs
}

/// `ValidatePortNumOrName`.
pub fn validate_port_num_or_name(port: &IntOrString, path: &Path) -> Vec<FieldError> {
    match port {
        IntOrString::Int(i) => is_valid_port_num(i64::from(*i)).into_iter().map(|m| FieldError::invalid(path, *i, m)).collect(),
        IntOrString::String(s) => is_valid_port_name(s).into_iter().map(|m| FieldError::invalid(path, s, m)).collect(),
    }
}

/// `validateLifecycle`.
fn validate_lifecycle(
    post_start: Option<&LifecycleHandler>,
    pre_stop: Option<&LifecycleHandler>,
    grace: Option<i64>,
    path: &Path,
    opts: &PodOptions,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (name, h) in [("postStart", post_start), ("preStop", pre_stop)] {
        if let Some(h) = h {
            let handler = Handler {
                exec: h.exec.as_deref(),
                http_get: h.http_get.as_deref(),
                tcp_port: h.tcp_socket.as_ref().map(|t| &t.port),
                grpc_port: None,
                sleep: h.sleep.as_ref().map(|s| s.seconds),
            };
            errs.extend(validate_handler(&handler, grace, &path.child(name), opts));
        }
    }
    errs
}

/// `validateProbe`: one handler, non-negative timings, a positive probe-level grace period.
fn validate_probe(p: &Probe, grace: Option<i64>, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let handler = Handler {
        exec: p.exec.as_deref(),
        http_get: p.http_get.as_deref(),
        tcp_port: p.tcp_socket.as_ref().map(|t| &t.port),
        grpc_port: p.grpc.as_ref().map(|g| g.port),
        sleep: None,
    };
    let mut errs = validate_handler(&handler, grace, path, opts);
    errs.extend(validate_nonnegative(i64::from(p.initial_delay_seconds), &path.child("initialDelaySeconds")));
    errs.extend(validate_nonnegative(i64::from(p.timeout_seconds), &path.child("timeoutSeconds")));
    errs.extend(validate_nonnegative(i64::from(p.period_seconds), &path.child("periodSeconds")));
    errs.extend(validate_nonnegative(i64::from(p.success_threshold), &path.child("successThreshold")));
    errs.extend(validate_nonnegative(i64::from(p.failure_threshold), &path.child("failureThreshold")));
    if let Some(g) = p.termination_grace_period_seconds.filter(|g| *g <= 0) {
        errs.push(FieldError::invalid(&path.child("terminationGracePeriodSeconds"), g, "must be greater than 0"));
    }
    errs
}

/// `validateLivenessProbe` / `validateStartupProbe`: success threshold 1.
fn validate_liveness_or_startup_probe(p: Option<&Probe>, grace: Option<i64>, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let Some(p) = p else { return Vec::new() };
    let mut errs = validate_probe(p, grace, path, opts);
    if p.success_threshold != 1 {
        errs.push(FieldError::invalid(&path.child("successThreshold"), p.success_threshold, "must be 1"));
    }
    errs
}

/// `validateReadinessProbe`: no probe-level grace period.
fn validate_readiness_probe(p: Option<&Probe>, grace: Option<i64>, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let Some(p) = p else { return Vec::new() };
    let mut errs = validate_probe(p, grace, path, opts);
    if let Some(g) = p.termination_grace_period_seconds {
        errs.push(FieldError::invalid(&path.child("terminationGracePeriodSeconds"), g, "must not be set for readinessProbes"));
    }
    errs
}

/// `IsValidUserID` / `IsValidGroupID`: 0 to 2147483647.
fn id_errors(id: i64, path: &Path) -> Vec<FieldError> {
    if (0..=i64::from(i32::MAX)).contains(&id) {
        Vec::new()
    } else {
        vec![FieldError::invalid(path, id, inclusive_range_error(0, i64::from(i32::MAX)))]
    }
}

/// `validateSeccompProfileField`.
fn validate_seccomp_profile(sp: Option<&SeccompProfile>, path: &Path) -> Vec<FieldError> {
    let Some(sp) = sp else { return Vec::new() };
    let mut errs = Vec::new();
    match sp.r#type.as_str() {
        "Localhost" | "RuntimeDefault" | "Unconfined" => {}
        "" => errs.push(FieldError::required(&path.child("type"), "type is required when seccompProfile is set")),
        other => errs.push(FieldError::not_supported(&path.child("type"), other, &["Localhost", "RuntimeDefault", "Unconfined"])),
    }
    if sp.r#type == "Localhost" {
        match &sp.localhost_profile {
            None => errs.push(FieldError::required(&path.child("localhostProfile"), "must be set when seccomp type is Localhost")),
            Some(p) => errs.extend(volumes::validate_local_descending_path(p, &path.child("localhostProfile"))),
        }
    } else if sp.localhost_profile.is_some() {
        errs.push(FieldError::invalid(&path.child("localhostProfile"), BadValue::go(&sp.to_go()), "can only be set when seccomp type is Localhost"));
    }
    errs
}

/// `ValidateAppArmorProfileField`.
fn validate_apparmor_profile(p: Option<&AppArmorProfile>, path: &Path) -> Vec<FieldError> {
    let Some(p) = p else { return Vec::new() };
    let mut errs = Vec::new();
    let lp = path.child("localhostProfile");
    match p.r#type.as_str() {
        "Localhost" => match &p.localhost_profile {
            None => errs.push(FieldError::required(&lp, "must be set when AppArmor type is Localhost")),
            Some(prof) => {
                let trimmed = prof.trim();
                if trimmed != prof {
                    errs.push(FieldError::invalid(&lp, prof, "must not be padded with whitespace"));
                } else if trimmed.is_empty() {
                    errs.push(FieldError::required(&lp, "must be set when AppArmor type is Localhost"));
                }
                if prof.len() > 4095 {
                    errs.push(FieldError::too_long(&lp, 4095));
                }
            }
        },
        "RuntimeDefault" | "Unconfined" => {
            if let Some(prof) = &p.localhost_profile {
                errs.push(FieldError::invalid(&lp, prof, "can only be set when AppArmor type is Localhost"));
            }
        }
        "" => errs.push(FieldError::required(&path.child("type"), "type is required when appArmorProfile is set")),
        other => errs.push(FieldError::not_supported(&path.child("type"), other, &["Localhost", "RuntimeDefault", "Unconfined"])),
    }
    errs
}

/// `validateWindowsSecurityContextOptions` (the common cases: credential-spec names and user names).
fn validate_windows_options(w: Option<&WindowsSecurityContextOptions>, path: &Path) -> Vec<FieldError> {
    let Some(w) = w else { return Vec::new() };
    let mut errs = Vec::new();
    if let Some(n) = &w.gmsa_credential_spec_name {
        errs.extend(is_dns1123_subdomain(n).into_iter().map(|m| FieldError::invalid(&path.child("gmsaCredentialSpecName"), n, m)));
    }
    if let Some(s) = &w.gmsa_credential_spec {
        if s.is_empty() {
            errs.push(FieldError::invalid(&path.child("gmsaCredentialSpec"), s, "gmsaCredentialSpec cannot be an empty string"));
        } else if s.len() > 64 * 1024 {
            errs.push(FieldError::invalid(&path.child("gmsaCredentialSpec"), s, "gmsaCredentialSpec size must be under 64 KiB"));
        }
    }
    if let Some(u) = &w.run_as_user_name {
        let p = path.child("runAsUserName");
        if u.is_empty() {
            errs.push(FieldError::invalid(&p, u, "runAsUserName cannot be an empty string"));
        } else if u.chars().any(|c| c.is_control()) {
            errs.push(FieldError::invalid(&p, u, "runAsUserName cannot contain control characters"));
        } else if u.split('\\').count() > 2 {
            errs.push(FieldError::invalid(&p, u, "runAsUserName cannot contain more than one backslash"));
        } else {
            let (domain, user) = u.split_once('\\').map_or(("", u.as_str()), |(d, us)| (d, us));
            if domain.len() >= 256 {
                errs.push(FieldError::invalid(&p, u, "runAsUserName's Domain length must be under 256 characters"));
            }
            if user.is_empty() {
                errs.push(FieldError::invalid(&p, u, "runAsUserName's User cannot be empty"));
            } else if user.len() > 104 {
                errs.push(FieldError::invalid(&p, u, "runAsUserName's User length must not be longer than 104 characters"));
            }
            if !user.is_empty() && user.chars().all(|c| c == '.' || c == ' ') {
                errs.push(FieldError::invalid(&p, u, "runAsUserName's User cannot contain only periods or spaces"));
            }
            if user.chars().any(|c| "\"/\\:;|=,+*?<>@[]".contains(c)) {
                errs.push(FieldError::invalid(&p, u, r#"runAsUserName's User cannot contain the following characters: "/\:;|=,+*?<>@[]"#));
            }
        }
    }
    errs
}

/// `ValidateSecurityContext` of a container. Privileged containers are allowed, as on clusters started with
/// `--allow-privileged=true` (every common distribution); `procMount` is dropped before validation
/// (`ProcMountType` is off in v1.32).
fn validate_security_context(sc: &SecurityContext, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(u) = sc.run_as_user {
        errs.extend(id_errors(u, &path.child("runAsUser")));
    }
    if let Some(g) = sc.run_as_group {
        errs.extend(id_errors(g, &path.child("runAsGroup")));
    }
    errs.extend(validate_seccomp_profile(sc.seccomp_profile.as_deref(), &path.child("seccompProfile")));
    if sc.allow_privilege_escalation == Some(false) {
        if sc.privileged == Some(true) {
            errs.push(FieldError::invalid(path, BadValue::go(&sc.to_go()), "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
        }
        if let Some(caps) = &sc.capabilities {
            for c in &caps.add {
                if c == "CAP_SYS_ADMIN" {
                    errs.push(FieldError::invalid(
                        path,
                        BadValue::go(&sc.to_go()),
                        "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
                    ));
                }
            }
        }
    }
    errs.extend(validate_windows_options(sc.windows_options.as_deref(), &path.child("windowsOptions")));
    errs.extend(validate_apparmor_profile(sc.app_armor_profile.as_deref(), &path.child("appArmorProfile")));
    errs
}

/// The kernel namespace of a sysctl (`sysctl.GetNamespace`): `Net`, `IPC` or neither.
fn sysctl_namespace(name: &str) -> Option<&'static str> {
    let normalized = match (name.find('/'), name.find('.')) {
        (Some(s), Some(d)) if s < d => name.chars().map(|c| if c == '/' { '.' } else if c == '.' { '/' } else { c }).collect(),
        (Some(_), None) => name.replace('/', "."),
        _ => name.to_owned(),
    };
    let n = normalized.split('*').next().unwrap_or("");
    const IPC: &[&str] = &[
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
        "kernel.shm",
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.msg",
    ];
    if IPC.contains(&n) {
        Some("IPC")
    } else if n.starts_with("net.") {
        Some("Net")
    } else if n.starts_with("fs.mqueue.") {
        Some("IPC")
    } else {
        None
    }
}

/// `ValidateHostSysctl`: namespaced sysctls are refused for pods sharing that namespace with the host.
fn host_sysctl_error(name: &str, spec: &PodSpec, path: &Path) -> Option<FieldError> {
    match sysctl_namespace(name) {
        Some("Net") if spec.host_network => Some(FieldError::invalid(path, name, "may not be specified when 'hostNetwork' is true")),
        Some("IPC") if spec.host_ipc => Some(FieldError::invalid(path, name, "may not be specified when 'hostIPC' is true")),
        _ => None,
    }
}

/// `IsValidSysctlName`: at most 253 characters of `[a-z0-9]([-_a-z0-9]*[a-z0-9])?` segments joined by `.` or
/// `/`.
fn is_valid_sysctl_name(name: &str) -> bool {
    name.len() <= 253
        && name.split(['.', '/']).all(|seg| {
            let b = seg.as_bytes();
            let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
            !b.is_empty() && alnum(b[0]) && alnum(b[b.len() - 1]) && b.iter().all(|&c| alnum(c) || c == b'-' || c == b'_')
        })
}

/// `validatePodSpecSecurityContext`, with the host namespaces the internal type keeps there.
fn validate_pod_spec_security_context(spec: &PodSpec, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let default = PodSecurityContext::default();
    let sc = spec.security_context.as_deref().unwrap_or(&default);
    if let Some(g) = sc.fs_group {
        errs.extend(id_errors(g, &path.child("fsGroup")));
    }
    if let Some(u) = sc.run_as_user {
        errs.extend(id_errors(u, &path.child("runAsUser")));
    }
    if let Some(g) = sc.run_as_group {
        errs.extend(id_errors(g, &path.child("runAsGroup")));
    }
    for (i, g) in sc.supplemental_groups.iter().enumerate() {
        errs.extend(id_errors(*g, &path.child("supplementalGroups").index(i)));
    }
    if spec.share_process_namespace == Some(true) && spec.host_pid {
        errs.push(FieldError::invalid(&path.child("shareProcessNamespace"), true, "ShareProcessNamespace and HostPID cannot both be enabled"));
    }
    let mut names: Vec<&str> = Vec::new();
    let sysctls = path.child("sysctls");
    for (i, s) in sc.sysctls.iter().enumerate() {
        let sysctl = sysctls.index(i);
        let p = sysctl.child("name");
        if s.name.is_empty() {
            errs.push(FieldError::required(&p, ""));
        } else if !is_valid_sysctl_name(&s.name) {
            errs.push(FieldError::invalid(
                &p,
                &s.name,
                "must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$",
            ));
        } else if names.contains(&s.name.as_str()) {
            errs.push(FieldError::duplicate(&p, &s.name));
        }
        if !opts.allow_namespaced_sysctls_for_host_net_and_host_ipc {
            errs.extend(host_sysctl_error(&s.name, spec, &p));
        }
        names.push(&s.name);
    }
    if let Some(p) = &sc.fs_group_change_policy {
        if p != "OnRootMismatch" && p != "Always" {
            errs.push(FieldError::not_supported(&path.child("fsGroupChangePolicy"), p, &["Always", "OnRootMismatch"]));
        }
    }
    errs.extend(validate_seccomp_profile(sc.seccomp_profile.as_deref(), &path.child("seccompProfile")));
    errs.extend(validate_windows_options(sc.windows_options.as_deref(), &path.child("windowsOptions")));
    errs.extend(validate_apparmor_profile(sc.app_armor_profile.as_deref(), &path.child("appArmorProfile")));
    errs
}

/// `validatePodHostNetworkDeps`: with `hostNetwork`, a host port must equal its container port (a template
/// may leave it 0; a Pod's is defaulted to the container port).
fn validate_pod_host_network_deps(spec: &PodSpec, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if !spec.host_network {
        return errs;
    }
    for (i, c) in spec.containers.iter().enumerate() {
        for (j, port) in c.ports.iter().enumerate() {
            let (hp, cp) = (port.host_port, port.container_port);
            if (opts.resource_is_pod || hp != 0) && hp != cp {
                errs.push(FieldError::invalid(
                    &path.child("containers").index(i).child("ports").index(j).child("hostPort"),
                    hp,
                    "must match `containerPort` when `hostNetwork` is true",
                ));
            }
        }
    }
    errs
}

/// `validateAffinity`: node affinity, pod affinity and anti-affinity.
fn validate_affinity(a: &Affinity, opts: &PodOptions, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(na) = &a.node_affinity {
        let p = path.child("nodeAffinity");
        if let Some(req) = &na.required_during_scheduling_ignored_during_execution {
            errs.extend(validate_node_selector(req, true, &p.child("requiredDuringSchedulingIgnoredDuringExecution")));
        }
        let pp = p.child("preferredDuringSchedulingIgnoredDuringExecution");
        for (i, t) in na.preferred_during_scheduling_ignored_during_execution.iter().enumerate() {
            if t.weight <= 0 || t.weight > 100 {
                errs.push(FieldError::invalid(&pp.index(i).child("weight"), t.weight, "must be in the range 1-100"));
            }
            errs.extend(validate_node_selector_term(&t.preference, true, &pp.index(i).child("preference")));
        }
    }
    let allow = opts.allow_invalid_label_value_in_selector;
    if let Some(pa) = &a.pod_affinity {
        let p = path.child("podAffinity");
        errs.extend(validate_pod_affinity_terms(&pa.required_during_scheduling_ignored_during_execution, allow, &p.child("requiredDuringSchedulingIgnoredDuringExecution")));
        errs.extend(validate_weighted_terms(&pa.preferred_during_scheduling_ignored_during_execution, allow, &p.child("preferredDuringSchedulingIgnoredDuringExecution")));
    }
    if let Some(pa) = &a.pod_anti_affinity {
        let p = path.child("podAntiAffinity");
        errs.extend(validate_pod_affinity_terms(&pa.required_during_scheduling_ignored_during_execution, allow, &p.child("requiredDuringSchedulingIgnoredDuringExecution")));
        errs.extend(validate_weighted_terms(&pa.preferred_during_scheduling_ignored_during_execution, allow, &p.child("preferredDuringSchedulingIgnoredDuringExecution")));
    }
    errs
}

/// `ValidateNodeSelector`: at least one term, each valid.
pub fn validate_node_selector(ns: &NodeSelector, allow_invalid_label_value: bool, path: &Path) -> Vec<FieldError> {
    let terms = path.child("nodeSelectorTerms");
    if ns.node_selector_terms.is_empty() {
        return vec![FieldError::required(&terms, "must have at least one node selector term")];
    }
    ns.node_selector_terms
        .iter()
        .enumerate()
        .flat_map(|(i, t)| validate_node_selector_term(t, allow_invalid_label_value, &terms.index(i)))
        .collect()
}

/// `ValidateNodeSelectorTerm`.
pub fn validate_node_selector_term(t: &NodeSelectorTerm, allow_invalid_label_value: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (j, r) in t.match_expressions.iter().enumerate() {
        errs.extend(validate_node_selector_requirement(r, allow_invalid_label_value, &path.child("matchExpressions").index(j)));
    }
    for (j, r) in t.match_fields.iter().enumerate() {
        errs.extend(validate_node_field_selector_requirement(r, &path.child("matchFields").index(j)));
    }
    errs
}

/// `ValidateNodeSelectorRequirement`.
fn validate_node_selector_requirement(r: &NodeSelectorRequirement, allow_invalid_label_value: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match r.operator.as_str() {
        "In" | "NotIn" => {
            if r.values.is_empty() {
                errs.push(FieldError::required(&path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
            }
        }
        "Exists" | "DoesNotExist" => {
            if !r.values.is_empty() {
                errs.push(FieldError::forbidden(&path.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
            }
        }
        "Gt" | "Lt" => {
            if r.values.len() != 1 {
                errs.push(FieldError::required(&path.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
            }
        }
        op => errs.push(FieldError::invalid(&path.child("operator"), op, "not a valid selector operator")),
    }
    errs.extend(validate_label_name(&r.key, &path.child("key")));
    if !allow_invalid_label_value {
        for (i, v) in r.values.iter().enumerate() {
            errs.extend(is_valid_label_value(v).into_iter().map(|m| FieldError::invalid(&path.child("values").index(i), v, m)));
        }
    }
    errs
}

/// `ValidateNodeFieldSelectorRequirement`: only `metadata.name`, with `In`/`NotIn` and a single value.
fn validate_node_field_selector_requirement(r: &NodeSelectorRequirement, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match r.operator.as_str() {
        "In" | "NotIn" => {
            if r.values.len() != 1 {
                errs.push(FieldError::required(
                    &path.child("values"),
                    "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                ));
            }
        }
        op => errs.push(FieldError::invalid(&path.child("operator"), op, "not a valid selector operator")),
    }
    if r.key != "metadata.name" {
        errs.push(FieldError::invalid(&path.child("key"), &r.key, "not a valid field selector key"));
    } else {
        for (i, v) in r.values.iter().enumerate() {
            errs.extend(subdomain_name_errors(v, &path.child("values").index(i)));
        }
    }
    errs
}

fn validate_pod_affinity_terms(terms: &[PodAffinityTerm], allow: bool, path: &Path) -> Vec<FieldError> {
    terms.iter().enumerate().flat_map(|(i, t)| validate_pod_affinity_term(t, allow, &path.index(i))).collect()
}

/// `validateWeightedPodAffinityTerms`.
fn validate_weighted_terms(terms: &[WeightedPodAffinityTerm], allow: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (j, t) in terms.iter().enumerate() {
        if t.weight <= 0 || t.weight > 100 {
            errs.push(FieldError::invalid(&path.index(j).child("weight"), t.weight, "must be in the range 1-100"));
        }
        errs.extend(validate_pod_affinity_term(&t.pod_affinity_term, allow, &path.index(j).child("podAffinityTerm")));
    }
    errs
}

/// `validatePodAffinityTerm`: selectors, namespaces (reported at `.namespace`, as Go does), label keys and a
/// topology key.
fn validate_pod_affinity_term(t: &PodAffinityTerm, allow: bool, path: &Path) -> Vec<FieldError> {
    let so = SelectorOptions { allow_invalid_label_value: allow };
    let mut errs = validate_label_selector(t.label_selector.as_deref(), so, &path.child("labelSelector"));
    errs.extend(validate_label_selector(t.namespace_selector.as_deref(), so, &path.child("namespaceSelector")));
    for name in &t.namespaces {
        errs.extend(name_is_dns_label(name, false).into_iter().map(|m| FieldError::invalid(&path.child("namespace"), name, m)));
    }
    errs.extend(validate_match_label_keys_and_mismatch(path, &t.match_label_keys, &t.mismatch_label_keys, t.label_selector.as_deref()));
    if t.topology_key.is_empty() {
        errs.push(FieldError::required(&path.child("topologyKey"), "can not be empty"));
    }
    errs.extend(validate_label_name(&t.topology_key, &path.child("topologyKey")));
    errs
}

/// `validateLabelKeys`.
fn validate_label_keys(path: &Path, keys: &[String], sel: Option<&LabelSelector>) -> Vec<FieldError> {
    if keys.is_empty() {
        return Vec::new();
    }
    if sel.is_none() {
        return vec![FieldError::forbidden(path, "must not be specified when labelSelector is not set")];
    }
    keys.iter().enumerate().flat_map(|(i, k)| validate_label_name(k, &path.index(i))).collect()
}

/// `validateMatchLabelKeysAndMismatchLabelKeys`.
fn validate_match_label_keys_and_mismatch(path: &Path, match_keys: &[String], mismatch_keys: &[String], sel: Option<&LabelSelector>) -> Vec<FieldError> {
    let mut errs = validate_label_keys(&path.child("matchLabelKeys"), match_keys, sel);
    errs.extend(validate_label_keys(&path.child("mismatchLabelKeys"), mismatch_keys, sel));
    if let Some(sel) = sel {
        let mut seen: Vec<&str> = sel.match_labels.keys().map(String::as_str).collect();
        for e in &sel.match_expressions {
            if let Some(i) = match_keys.iter().rposition(|k| *k == e.key) {
                if seen.contains(&e.key.as_str()) {
                    errs.push(FieldError::invalid(&path.index(i), &e.key, "exists in both matchLabelKeys and labelSelector"));
                }
            }
            seen.push(&e.key);
        }
    }
    for (i, k) in match_keys.iter().enumerate() {
        if mismatch_keys.contains(k) {
            errs.push(FieldError::invalid(&path.child("matchLabelKeys").index(i), k, "exists in both matchLabelKeys and mismatchLabelKeys"));
        }
    }
    errs
}

/// `validateTopologySpreadConstraints`.
fn validate_topology_spread_constraints(cs: &[TopologySpreadConstraint], path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, c) in cs.iter().enumerate() {
        let p = path.index(i);
        if c.max_skew <= 0 {
            errs.push(FieldError::invalid(&p.child("maxSkew"), c.max_skew, IS_NOT_POSITIVE));
        }
        if c.topology_key.is_empty() {
            errs.push(FieldError::required(&p.child("topologyKey"), "can not be empty"));
        }
        if c.when_unsatisfiable != "DoNotSchedule" && c.when_unsatisfiable != "ScheduleAnyway" {
            errs.push(FieldError::not_supported(&p.child("whenUnsatisfiable"), &c.when_unsatisfiable, &["DoNotSchedule", "ScheduleAnyway"]));
        }
        if cs[i + 1..].iter().any(|o| o.topology_key == c.topology_key && o.when_unsatisfiable == c.when_unsatisfiable) {
            errs.push(FieldError::duplicate(
                &p.child("{topologyKey, whenUnsatisfiable}"),
                format!("{{{}, {}}}", c.topology_key, c.when_unsatisfiable),
            ));
        }
        if let Some(md) = c.min_domains {
            if md <= 0 {
                errs.push(FieldError::invalid(&p.child("minDomains"), md, IS_NOT_POSITIVE));
            }
            if c.when_unsatisfiable != "DoNotSchedule" {
                errs.push(FieldError::invalid(
                    &p.child("minDomains"),
                    md,
                    format!("can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {}", c.when_unsatisfiable),
                ));
            }
        }
        for (name, policy) in [("nodeAffinityPolicy", &c.node_affinity_policy), ("nodeTaintsPolicy", &c.node_taints_policy)] {
            if let Some(v) = policy.as_deref().filter(|v| *v != "Ignore" && *v != "Honor") {
                errs.push(FieldError::not_supported(&p.child(name), v, &["Honor", "Ignore"]));
            }
        }
        if !c.match_label_keys.is_empty() {
            let mkp = p.child("matchLabelKeys");
            let mut keys: Vec<&str> = Vec::new();
            match c.label_selector.as_deref() {
                Some(sel) => {
                    keys.extend(sel.match_labels.keys().map(String::as_str));
                    keys.extend(sel.match_expressions.iter().map(|e| e.key.as_str()));
                }
                None => errs.push(FieldError::forbidden(&mkp, "must not be specified when labelSelector is not set")),
            }
            for (j, k) in c.match_label_keys.iter().enumerate() {
                errs.extend(validate_label_name(k, &mkp.index(j)));
                if keys.contains(&k.as_str()) {
                    errs.push(FieldError::invalid(&mkp.index(j), k, "exists in both matchLabelKeys and labelSelector"));
                }
            }
        }
        if !opts.allow_invalid_topology_spread_constraint_label_selector {
            errs.extend(validate_label_selector(c.label_selector.as_deref(), SelectorOptions::default(), &p.child("labelSelector")));
        }
    }
    errs
}

/// `validatePodDNSConfig`.
fn validate_pod_dns_config(spec: &PodSpec, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if spec.dns_policy == "None" {
        match &spec.dns_config {
            None => return vec![FieldError::required(path, "must provide `dnsConfig` when `dnsPolicy` is None")],
            Some(c) if c.nameservers.is_empty() => {
                return vec![FieldError::required(&path.child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None")]
            }
            _ => {}
        }
    }
    let Some(c) = &spec.dns_config else { return errs };
    let strings = |v: &[String]| BadValue::go(&GoValue::slice("[]string", v.iter().map(|s| GoValue::Str("string", s.as_str().into()))));
    if c.nameservers.len() > 3 {
        errs.push(FieldError::invalid(&path.child("nameservers"), strings(&c.nameservers), "must not have more than 3 nameservers"));
    }
    for (i, ns) in c.nameservers.iter().enumerate() {
        errs.extend(ip_errors(ns, &path.child("nameservers").index(i)));
    }
    if c.searches.len() > 32 {
        errs.push(FieldError::invalid(&path.child("searches"), strings(&c.searches), "must not have more than 32 search paths"));
    }
    if c.searches.join(" ").len() > 2048 {
        errs.push(FieldError::invalid(
            &path.child("searches"),
            strings(&c.searches),
            "must not have more than 2048 characters (including spaces) in the search list",
        ));
    }
    let searches = path.child("searches");
    for (i, s) in c.searches.iter().enumerate() {
        let p = searches.index(i);
        if opts.allow_relaxed_dns_search_validation {
            if s != "." {
                let t = s.strip_suffix('.').unwrap_or(s);
                errs.extend(is_dns1123_subdomain_with_underscore(t).into_iter().map(|m| FieldError::invalid(&p, t, m)));
            }
        } else {
            let t = s.strip_suffix('.').unwrap_or(s);
            errs.extend(dns1123_subdomain_errors(t, &p));
        }
    }
    for (i, o) in c.options.iter().enumerate() {
        if o.name.is_empty() {
            errs.push(FieldError::required(&path.child("options").index(i), "must not be empty"));
        }
    }
    errs
}

/// `validateWindowsHostProcessPod`.
fn validate_windows_host_process_pod(spec: &PodSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let pod_hp = spec.security_context.as_ref().and_then(|s| s.windows_options.as_ref()).and_then(|w| w.host_process);
    let (mut count, mut hp_count) = (0, 0);
    for (c, list, i) in all_containers(spec) {
        let list_path = path.child(list);
        let ctr = list_path.index(i);
        count += 1;
        let c_hp = c.security_context.as_ref().and_then(|s| s.windows_options.as_ref()).and_then(|w| w.host_process);
        if let (Some(p), Some(ch)) = (pod_hp, c_hp) {
            if p != ch {
                errs.push(FieldError::invalid(
                    &ctr.child("securityContext").child("windowsOptions").child("hostProcess"),
                    ch,
                    format!("pod hostProcess value must be identical if both are specified, was {p}"),
                ));
            }
        }
        if c_hp == Some(true) || (c_hp.is_none() && pod_hp == Some(true)) {
            hp_count += 1;
        }
    }
    if hp_count > 0 {
        if hp_count != count {
            errs.push(FieldError::invalid(path, "", "If pod contains any hostProcess containers then all containers must be HostProcess containers"));
        }
        if !spec.host_network {
            errs.push(FieldError::invalid(&path.child("hostNetwork"), false, "hostNetwork must be true if pod contains any hostProcess containers"));
        }
    }
    errs
}

/// `validateLinux`: no Windows options.
fn validate_linux(spec: &PodSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    const MSG: &str = "windows options cannot be set for a linux pod";
    if spec.security_context.as_ref().is_some_and(|s| s.windows_options.is_some()) {
        errs.push(FieldError::forbidden(&path.child("securityContext").child("windowsOptions"), MSG));
    }
    for (c, list, i) in all_containers(spec) {
        let list_path = path.child(list);
        let ctr = list_path.index(i);
        if c.security_context.as_ref().is_some_and(|s| s.windows_options.is_some()) {
            errs.push(FieldError::forbidden(&ctr.child("securityContext").child("windowsOptions"), MSG));
        }
    }
    errs
}

/// `validateWindows`: no Linux-only security settings.
fn validate_windows(spec: &PodSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    const MSG: &str = "cannot be set for a windows pod";
    let scp = path.child("securityContext");
    if let Some(sc) = &spec.security_context {
        let checks: [(&Path, &str, bool); 9] = [
            (&scp, "appArmorProfile", sc.app_armor_profile.is_some()),
            (&scp, "seLinuxOptions", sc.se_linux_options.is_some()),
            (path, "hostPID", spec.host_pid),
            (path, "hostIPC", spec.host_ipc),
            (&scp, "seccompProfile", sc.seccomp_profile.is_some()),
            (&scp, "fsGroup", sc.fs_group.is_some()),
            (&scp, "fsGroupChangePolicy", sc.fs_group_change_policy.is_some()),
            (&scp, "sysctls", !sc.sysctls.is_empty()),
            (path, "shareProcessNamespace", spec.share_process_namespace.is_some()),
        ];
        for (base, name, set) in checks {
            if set {
                errs.push(FieldError::forbidden(&base.child(name), MSG));
            }
        }
        for (name, set) in [
            ("runAsUser", sc.run_as_user.is_some()),
            ("runAsGroup", sc.run_as_group.is_some()),
            ("supplementalGroups", !sc.supplemental_groups.is_empty()),
        ] {
            if set {
                errs.push(FieldError::forbidden(&scp.child(name), MSG));
            }
        }
    }
    for (c, list, i) in all_containers(spec) {
        let list_path = path.child(list);
        let ctr = list_path.index(i);
        let Some(sc) = &c.security_context else { continue };
        let p = ctr.child("securityContext");
        for (name, set) in [
            ("appArmorProfile", sc.app_armor_profile.is_some()),
            ("seLinuxOptions", sc.se_linux_options.is_some()),
            ("seccompProfile", sc.seccomp_profile.is_some()),
            ("capabilities", sc.capabilities.is_some()),
            ("readOnlyRootFilesystem", sc.read_only_root_filesystem.is_some()),
            ("privileged", sc.privileged.is_some()),
            ("allowPrivilegeEscalation", sc.allow_privilege_escalation.is_some()),
            ("procMount", sc.proc_mount.is_some()),
            ("runAsUser", sc.run_as_user.is_some()),
            ("runAsGroup", sc.run_as_group.is_some()),
        ] {
            if set {
                errs.push(FieldError::forbidden(&p.child(name), MSG));
            }
        }
    }
    errs
}

/// `ValidateTolerations`.
pub fn validate_tolerations(ts: &[Toleration], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, t) in ts.iter().enumerate() {
        let idx = path.index(i);
        if !t.key.is_empty() {
            errs.extend(validate_label_name(&t.key, &idx.child("key")));
        }
        if t.key.is_empty() && t.operator != "Exists" {
            errs.push(FieldError::invalid(
                &idx.child("operator"),
                &t.operator,
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && t.effect != "NoExecute" {
            errs.push(FieldError::invalid(&idx.child("effect"), &t.effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
        }
        match t.operator.as_str() {
            "Equal" | "" => {
                let msgs = is_valid_label_value(&t.value);
                if !msgs.is_empty() {
                    errs.push(FieldError::invalid(&idx.child("operator"), &t.value, msgs.join(";")));
                }
            }
            "Exists" => {
                if !t.value.is_empty() {
                    errs.push(FieldError::invalid(&idx.child("operator"), &t.value, "value must be empty when `operator` is 'Exists'"));
                }
            }
            op => errs.push(FieldError::not_supported(&idx.child("operator"), op, &["Equal", "Exists"])),
        }
        if !t.effect.is_empty() {
            errs.extend(validate_taint_effect(&t.effect, true, &idx.child("effect")));
        }
    }
    errs
}

/// `validateTaintEffect`.
pub fn validate_taint_effect(effect: &str, allow_empty: bool, path: &Path) -> Vec<FieldError> {
    if !allow_empty && effect.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    match effect {
        "NoSchedule" | "PreferNoSchedule" | "NoExecute" => Vec::new(),
        _ => vec![FieldError::not_supported(path, effect, &["NoSchedule", "PreferNoSchedule", "NoExecute"])],
    }
}

/// `validateSeccompAnnotationsAndFields`: where both the deprecated annotation and the field are set, they
/// must agree.
fn validate_seccomp_annotations_and_fields(meta: &ObjectMeta, spec: &PodSpec, spec_path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(sp) = spec.security_context.as_ref().and_then(|s| s.seccomp_profile.as_deref()) {
        if let Some(a) = meta.annotations.get("seccomp.security.alpha.kubernetes.io/pod") {
            errs.extend(seccomp_mismatch(a, sp, &spec_path.child("securityContext").child("seccompProfile")));
        }
    }
    for (c, list, i) in all_containers(spec) {
        let list_path = spec_path.child(list);
        let ctr = list_path.index(i);
        let Some(sp) = c.security_context.as_ref().and_then(|s| s.seccomp_profile.as_deref()) else { continue };
        if let Some(a) = meta.annotations.get(&format!("container.seccomp.security.alpha.kubernetes.io/{}", c.name)) {
            errs.extend(seccomp_mismatch(a, sp, &ctr.child("securityContext").child("seccompProfile")));
        }
    }
    errs
}

/// `validateSeccompAnnotationsAndFieldsMatch`.
fn seccomp_mismatch(annotation: &str, sp: &SeccompProfile, path: &Path) -> Option<FieldError> {
    const TYPE_MSG: &str = "seccomp type in annotation and field must match";
    match sp.r#type.as_str() {
        "Unconfined" if annotation != "unconfined" => Some(FieldError::forbidden(&path.child("type"), TYPE_MSG)),
        "RuntimeDefault" if annotation != "runtime/default" && annotation != "docker/default" => {
            Some(FieldError::forbidden(&path.child("type"), TYPE_MSG))
        }
        "Localhost" => match annotation.strip_prefix("localhost/") {
            None => Some(FieldError::forbidden(&path.child("type"), TYPE_MSG)),
            Some(p) if sp.localhost_profile.as_deref() != Some(p) => {
                Some(FieldError::forbidden(&path.child("localhostProfile"), "seccomp profile in annotation and field must match"))
            }
            _ => None,
        },
        _ => None,
    }
}

/// `validateAppArmorAnnotationsAndFieldsMatchOnCreate`.
fn validate_apparmor_annotations_and_fields(meta: &ObjectMeta, spec: &PodSpec, spec_path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if spec.os.as_ref().is_some_and(|o| o.name == "windows") {
        return errs;
    }
    let pod_profile = spec.security_context.as_ref().and_then(|s| s.app_armor_profile.as_deref());
    for (c, list, i) in all_containers(spec) {
        let list_path = spec_path.child(list);
        let ctr = list_path.index(i);
        let profile = c.security_context.as_ref().and_then(|s| s.app_armor_profile.as_deref()).or(pod_profile);
        let Some(profile) = profile else { continue };
        let Some(a) = meta.annotations.get(&format!("container.apparmor.security.beta.kubernetes.io/{}", c.name)) else { continue };
        let security_context = ctr.child("securityContext");
        let p = security_context.child("appArmorProfile");
        const TYPE_MSG: &str = "apparmor type in annotation and field must match";
        match profile.r#type.as_str() {
            "Unconfined" if a != "unconfined" => errs.push(FieldError::forbidden(&p.child("type"), TYPE_MSG)),
            "RuntimeDefault" if a != "runtime/default" => errs.push(FieldError::forbidden(&p.child("type"), TYPE_MSG)),
            "Localhost" => match a.strip_prefix("localhost/") {
                None => errs.push(FieldError::forbidden(&p.child("type"), TYPE_MSG)),
                Some(x) if profile.localhost_profile.as_deref() != Some(x) => {
                    errs.push(FieldError::forbidden(&p.child("localhostProfile"), "apparmor profile in annotation and field must match"))
                }
                _ => {}
            },
            _ => {}
        }
    }
    errs
}

/// `validatePodMetadataAndSpec`.
fn validate_pod_metadata_and_spec(pod: &Pod, opts: &PodOptions) -> Vec<FieldError> {
    let meta_path = Path::new("metadata");
    let spec_path = Path::new("spec");
    let mut errs = validate_object_meta(&pod.metadata, true, name_is_dns_subdomain, &meta_path);
    errs.extend(validate_pod_specific_annotations(&pod.metadata.annotations, &pod.spec, &meta_path.child("annotations"), opts));
    errs.extend(validate_pod_spec(&pod.spec, Some(&pod.metadata), &spec_path, opts));
    if pod.spec.service_account_name.is_empty() {
        for (vi, v) in pod.spec.volumes.iter().enumerate() {
            let Some(p) = &v.projected else { continue };
            for (si, s) in p.sources.iter().enumerate() {
                if s.service_account_token.is_some() {
                    errs.push(FieldError::forbidden(
                        &spec_path.child("volumes").index(vi).child("projected").child("sources").index(si).child("serviceAccountToken"),
                        "must not be specified when serviceAccountName is not set",
                    ));
                }
            }
        }
    }
    for (name, list) in [("containers", &pod.spec.containers), ("initContainers", &pod.spec.init_containers)] {
        for (i, c) in list.iter().enumerate() {
            if c.image.trim() != c.image {
                errs.push(FieldError::invalid(&spec_path.child(name).index(i).child("image"), &c.image, "must not have leading or trailing whitespace"));
            }
        }
    }
    errs
}

/// `ValidatePodCreate`.
pub fn validate_pod_create(pod: &Pod, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = validate_pod_metadata_and_spec(pod, opts);
    let spec_path = Path::new("spec");
    if !pod.spec.ephemeral_containers.is_empty() {
        errs.push(FieldError::forbidden(&spec_path.child("ephemeralContainers"), "cannot be set on create"));
    }
    if !pod.spec.node_name.is_empty() && !pod.spec.scheduling_gates.is_empty() {
        errs.push(FieldError::forbidden(&spec_path.child("nodeName"), "cannot be set until all schedulingGates have been cleared"));
    }
    errs.extend(validate_seccomp_annotations_and_fields(&pod.metadata, &pod.spec, &spec_path));
    errs.extend(validate_apparmor_annotations_and_fields(&pod.metadata, &pod.spec, &spec_path));
    errs
}

/// The fields a pod update may change, as the message lists them (`updatablePodSpecFields`).
const UPDATABLE_POD_SPEC_FIELDS: &str = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// `ValidatePodUpdate`. The final "may not change fields" error carries a `go-cmp` diff in Go, whose text is
/// deliberately unstable; kubeplan's message ends after the list of updatable fields.
pub fn validate_pod_update(new: &Pod, old: &Pod, opts: &PodOptions) -> Vec<FieldError> {
    let meta_path = Path::new("metadata");
    let spec_path = Path::new("spec");
    let mut errs = validate_object_meta_update(&new.metadata, &old.metadata, &meta_path);
    errs.extend(validate_pod_metadata_and_spec(new, opts));
    let ann = meta_path.child("annotations");
    for (k, v) in &old.metadata.annotations {
        if new.metadata.annotations.get(k) == Some(v) {
            continue;
        }
        if k.starts_with("container.apparmor.security.beta.kubernetes.io/") {
            errs.push(FieldError::forbidden(&ann.key(k), "may not remove or update AppArmor annotations"));
        }
        if k == "kubernetes.io/config.mirror" {
            errs.push(FieldError::forbidden(&ann.key(k), "may not remove or update mirror pod annotation"));
        }
    }
    for k in new.metadata.annotations.keys() {
        if old.metadata.annotations.contains_key(k) {
            continue;
        }
        if k.starts_with("container.apparmor.security.beta.kubernetes.io/") {
            errs.push(FieldError::forbidden(&ann.key(k), "may not add AppArmor annotations"));
        }
        if k == "kubernetes.io/config.mirror" {
            errs.push(FieldError::forbidden(&ann.key(k), "may not add mirror pod annotation"));
        }
    }
    errs.extend(validate_pod_specific_annotations(&new.metadata.annotations, &new.spec, &ann, opts));
    for (name, n, o) in [
        ("containers", &new.spec.containers, &old.spec.containers),
        ("initContainers", &new.spec.init_containers, &old.spec.init_containers),
    ] {
        let p = spec_path.child(name);
        if n.len() != o.len() {
            errs.push(FieldError::forbidden(&p, "pod updates may not add or remove containers"));
            return errs;
        }
        for (i, c) in n.iter().enumerate() {
            if c.image.is_empty() {
                errs.push(FieldError::required(&p.index(i).child("image"), ""));
            }
            if c.image.trim() != c.image {
                errs.push(FieldError::invalid(&p.index(i).child("image"), &c.image, "must not have leading or trailing whitespace"));
            }
        }
    }
    let adp = spec_path.child("activeDeadlineSeconds");
    match (new.spec.active_deadline_seconds, old.spec.active_deadline_seconds) {
        (Some(n), o) => {
            if !(0..=i64::from(i32::MAX)).contains(&n) {
                errs.push(FieldError::invalid(&adp, n, inclusive_range_error(0, i64::from(i32::MAX))));
                return errs;
            }
            if o.is_some_and(|o| o < n) {
                errs.push(FieldError::invalid(&adp, n, "must be less than or equal to previous value"));
                return errs;
            }
        }
        (None, Some(_)) => errs.push(FieldError::invalid(&adp, BadValue::Null, "must not update from a positive integer to nil value")),
        (None, None) => {}
    }
    // Only additions to tolerations (tolerationSeconds may change).
    let tp = spec_path.child("tolerations");
    let kept = old.spec.tolerations.iter().all(|o| {
        new.spec.tolerations.iter().any(|n| Toleration { toleration_seconds: n.toleration_seconds, ..o.clone() } == *n)
    });
    if kept {
        errs.extend(validate_tolerations(&new.spec.tolerations, &tp));
    } else {
        errs.push(FieldError::forbidden(&tp, "existing toleration can not be modified except its tolerationSeconds"));
    }
    // Only deletions of scheduling gates.
    for (i, g) in new.spec.scheduling_gates.iter().enumerate() {
        if !old.spec.scheduling_gates.iter().any(|o| o.name == g.name) {
            errs.push(FieldError::forbidden(
                &spec_path.child("schedulingGates").index(i).child("name"),
                format!("only deletion is allowed, but found new scheduling gate '{}'", g.name),
            ));
        }
    }
    // Everything else is immutable.
    let mut munged = new.spec.clone();
    for (c, o) in munged.containers.iter_mut().zip(&old.spec.containers) {
        c.image = o.image.clone();
    }
    for (c, o) in munged.init_containers.iter_mut().zip(&old.spec.init_containers) {
        c.image = o.image.clone();
    }
    munged.active_deadline_seconds = old.spec.active_deadline_seconds;
    munged.scheduling_gates = old.spec.scheduling_gates.clone();
    munged.tolerations = old.spec.tolerations.clone();
    if old.spec.termination_grace_period_seconds.is_some_and(|g| g < 0) && munged.termination_grace_period_seconds == Some(1) {
        munged.termination_grace_period_seconds = old.spec.termination_grace_period_seconds;
    }
    if !old.spec.scheduling_gates.is_empty() {
        munged.node_selector = old.spec.node_selector.clone();
        let old_na = old.spec.affinity.as_ref().and_then(|a| a.node_affinity.clone());
        match (&mut munged.affinity, &old.spec.affinity) {
            (None, _) if old_na.is_some() => munged.affinity = Some(Box::new(Affinity { node_affinity: old_na, ..Affinity::default() })),
            (Some(a), None) if a.pod_affinity.is_none() && a.pod_anti_affinity.is_none() => munged.affinity = None,
            (Some(a), _) => a.node_affinity = old_na,
            _ => {}
        }
    }
    if munged != old.spec {
        errs.push(FieldError::forbidden(&spec_path, format!("pod updates may not change fields other than {UPDATABLE_POD_SPEC_FIELDS}")));
    }
    errs
}

/// The labels of a pod template as the bad value of a selector mismatch.
pub fn template_labels_value(t: &PodTemplateSpec) -> BadValue {
    super::meta::labels_value(&t.metadata.labels)
}
