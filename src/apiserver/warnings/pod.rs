//! Warnings about a pod or a workload's pod template (`pkg/api/pod/warnings.go`,
//! `warningsForPodSpecAndMeta`): deprecated node labels, annotations and volume plugins, overlapping volume
//! paths, duplicates that `kubectl apply` would drop, fractional bytes, ports that clash, negative grace periods
//! and null label selectors.
//!
//! Not modelled: the AppArmor annotation warning a bare pod gets while its strategy copies the annotation into
//! the field (`applyAppArmorVersionSkew`).

use std::collections::{BTreeSet, HashMap};

use super::node_labels;
use super::storage::{fractional_bytes, for_claim_spec};
use crate::api::core_v1::{
    Container, ContainerPort, KeyToPath, PodAffinityTerm, PodSpec, PodTemplateSpec, Volume, WeightedPodAffinityTerm,
};
use crate::api::meta_v1::ObjectMeta;
use crate::apiserver::strategy::APPARMOR_ANNOTATION_KEY_PREFIX;
use crate::apiserver::validation::field::Path;
use crate::go::fmt::quote;

const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// `GetWarningsForPod`.
pub fn for_pod(spec: &PodSpec, meta: &ObjectMeta) -> Vec<String> {
    Warner::new(&Path::default(), false).run(spec, meta)
}

/// `GetWarningsForPodTemplate`, the template at `path`.
pub fn for_template(path: &Path, template: &PodTemplateSpec) -> Vec<String> {
    Warner::new(path, true).run(&template.spec, &template.metadata)
}

struct Warner<'a> {
    /// The paths of the pod's `spec` and `metadata`: at the root for a pod, under the template's path for a
    /// workload. Copy them out (`let spec_path = self.spec;`) to extend them while `self.out` grows.
    spec: Path<'a>,
    metadata: Path<'a>,
    template: bool,
    out: Vec<String>,
}

impl<'a> Warner<'a> {
    fn new(base: &'a Path<'a>, template: bool) -> Warner<'a> {
        Warner { spec: base.child("spec"), metadata: base.child("metadata"), template, out: Vec::new() }
    }

    fn run(mut self, spec: &PodSpec, meta: &ObjectMeta) -> Vec<String> {
        self.node_labels(spec);
        self.annotations(meta);
        self.volumes(spec);
        self.duplicates(spec);
        self.overhead(spec);
        if spec.security_context.as_ref().and_then(|s| s.seccomp_profile.as_ref()).is_none()
            && meta.annotations.contains_key(SECCOMP_POD_ANNOTATION)
        {
            self.seccomp_annotation(SECCOMP_POD_ANNOTATION);
        }
        let pod_app_armor = spec.security_context.as_ref().is_some_and(|s| s.app_armor_profile.is_some());
        let spec_path = self.spec;
        for (c, list, i) in containers(spec) {
            let list_path = spec_path.child(list);
            self.container(c, &list_path.index(i), meta, pod_app_armor);
        }
        self.ports(spec);
        if spec.termination_grace_period_seconds.is_some_and(|s| s < 0) {
            let path = spec_path.child("terminationGracePeriodSeconds");
            self.out.push(format!("{path}: must be >= 0; negative values are invalid and will be treated as 1"));
        }
        self.pod_affinity(spec);
        self.out
    }

    /// The path of the pod's annotation `key`, as a warning prints it.
    fn annotation_path(&self, key: &str) -> String {
        self.metadata.child("annotations").key(key).render()
    }

    /// Deprecated node labels in the nodeSelector, node affinity and topology spread constraints; spread
    /// constraints without a label selector.
    fn node_labels(&mut self, spec: &PodSpec) {
        let spec_path = self.spec;
        let selector = spec_path.child("nodeSelector");
        for key in spec.node_selector.keys() {
            if let Some(msg) = node_labels::deprecated(key) {
                self.out.push(format!("{}: {msg}", selector.key(key)));
            }
        }
        if let Some(node) = spec.affinity.as_ref().and_then(|a| a.node_affinity.as_ref()) {
            let affinity_path = spec_path.child("affinity");
            let affinity = affinity_path.child("nodeAffinity");
            if let Some(required) = &node.required_during_scheduling_ignored_during_execution {
                let required_path = affinity.child("requiredDuringSchedulingIgnoredDuringExecution");
                let terms = required_path.child("nodeSelectorTerms");
                for (i, term) in required.node_selector_terms.iter().enumerate() {
                    self.out.extend(node_labels::for_selector_term(term, &terms.index(i)));
                }
            }
            let preferred = affinity.child("preferredDuringSchedulingIgnoredDuringExecution");
            for (i, term) in node.preferred_during_scheduling_ignored_during_execution.iter().enumerate() {
                let term_path = preferred.index(i);
                let path = term_path.child("preference");
                self.out.extend(node_labels::for_selector_term(&term.preference, &path));
            }
        }
        let constraints = spec_path.child("topologySpreadConstraints");
        for (i, c) in spec.topology_spread_constraints.iter().enumerate() {
            let constraint = constraints.index(i);
            if let Some(msg) = node_labels::deprecated(&c.topology_key) {
                let path = constraint.child("topologyKey");
                self.out.push(format!("{path}: {} is {msg}", c.topology_key));
            }
            if c.label_selector.is_none() {
                let path = constraint.child("labelSelector");
                self.out.push(format!("{path}: a null labelSelector results in matching no pod"));
            }
        }
    }

    fn annotations(&mut self, meta: &ObjectMeta) {
        const DEPRECATED: [(&str, &str); 3] = [
            ("scheduler.alpha.kubernetes.io/critical-pod", r#"non-functional in v1.16+; use the "priorityClassName" field instead"#),
            ("security.alpha.kubernetes.io/sysctls", r#"non-functional in v1.11+; use the "sysctls" field instead"#),
            ("security.alpha.kubernetes.io/unsafe-sysctls", r#"non-functional in v1.11+; use the "sysctls" field instead"#),
        ];
        for (key, msg) in DEPRECATED {
            if meta.annotations.contains_key(key) {
                let path = self.annotation_path(key);
                self.out.push(format!("{path}: {msg}"));
            }
        }
    }

    /// Deprecated and removed volume plugins, an ephemeral volume's claim spec, then overlapping paths.
    fn volumes(&mut self, spec: &PodSpec) {
        let spec_path = self.spec;
        let volumes = spec_path.child("volumes");
        for (i, v) in spec.volumes.iter().enumerate() {
            let path = volumes.index(i);
            let (early, late) = deprecated_plugins(v);
            for (field, msg) in early {
                self.out.push(format!("{}: {msg}", path.child(field)));
            }
            if let Some(template) = v.ephemeral.as_ref().and_then(|e| e.volume_claim_template.as_ref()) {
                let ephemeral = path.child("ephemeral");
                let claim_template = ephemeral.child("volumeClaimTemplate");
                let claim = claim_template.child("spec");
                self.out.extend(for_claim_spec(&claim, &template.spec));
            }
            for (field, msg) in late {
                self.out.push(format!("{}: {msg}", path.child(field)));
            }
        }
        self.out.extend(overlapping_paths(&spec.volumes));
    }

    /// Duplicate host alias IPs and image pull secret names, and pull secrets without a name.
    fn duplicates(&mut self, spec: &PodSpec) {
        if spec.host_aliases.len() > 1 {
            let spec_path = self.spec;
            let path = spec_path.child("hostAliases");
            for i in repeated(spec.host_aliases.iter().map(|a| a.ip.as_str())) {
                let ip = &spec.host_aliases[i].ip;
                self.out.push(format!("{}: duplicate ip {}", path.index(i).child("ip"), quote(ip)));
            }
        }
        let spec_path = self.spec;
        let secrets = spec_path.child("imagePullSecrets");
        if spec.image_pull_secrets.len() > 1 {
            for i in repeated(spec.image_pull_secrets.iter().map(|s| s.name.as_str())) {
                let name = &spec.image_pull_secrets[i].name;
                self.out.push(format!("{}: duplicate name {}", secrets.index(i).child("name"), quote(name)));
            }
        }
        for (i, s) in spec.image_pull_secrets.iter().enumerate() {
            if s.name.is_empty() {
                self.out.push(format!("{}: invalid empty name \"\"", secrets.index(i).child("name")));
            }
        }
    }

    fn overhead(&mut self, spec: &PodSpec) {
        let spec_path = self.spec;
        let path = spec_path.child("overhead");
        for resource in ["memory", "ephemeral-storage"] {
            self.out.extend(fractional_bytes(&path, &spec.overhead, resource));
        }
    }

    fn seccomp_annotation(&mut self, key: &str) {
        let path = self.annotation_path(key);
        self.out.push(format!(r#"{path}: non-functional in v1.27+; use the "seccompProfile" field instead"#));
    }

    /// One container's warnings: seccomp and AppArmor annotations without their fields, fractional bytes, and
    /// environment variables that hide an earlier one.
    fn container(&mut self, c: &Container, path: &Path, meta: &ObjectMeta, pod_app_armor: bool) {
        if c.security_context.as_ref().and_then(|s| s.seccomp_profile.as_ref()).is_none() {
            let key = format!("{SECCOMP_CONTAINER_ANNOTATION_PREFIX}{}", c.name);
            if meta.annotations.contains_key(&key) {
                self.seccomp_annotation(&key);
            }
        }
        let has_app_armor = pod_app_armor || c.security_context.as_ref().is_some_and(|s| s.app_armor_profile.is_some());
        if self.template && !has_app_armor {
            let key = format!("{APPARMOR_ANNOTATION_KEY_PREFIX}{}", c.name);
            if meta.annotations.contains_key(&key) {
                let path = self.annotation_path(&key);
                self.out.push(format!(r#"{path}: deprecated since v1.30; use the "appArmorProfile" field instead"#));
            }
        }
        let resources = path.child("resources");
        for (resource, list, quantities) in [
            ("memory", "limits", &c.resources.limits),
            ("memory", "requests", &c.resources.requests),
            ("ephemeral-storage", "limits", &c.resources.limits),
            ("ephemeral-storage", "requests", &c.resources.requests),
        ] {
            self.out.extend(fractional_bytes(&resources.child(list), quantities, resource));
        }
        self.env(c, path);
    }

    /// An environment variable defined again in a way `kubectl apply`'s merge may drop: with `valueFrom`, as a
    /// reference to itself, or with a value that does not build on the earlier one.
    fn env(&mut self, c: &Container, path: &Path) {
        if c.env.len() < 2 {
            return;
        }
        let mut seen = BTreeSet::new();
        for (i, e) in c.env.iter().enumerate() {
            if seen.insert(e.name.as_str()) {
                continue;
            }
            let reference = format!("$({})", e.name);
            if e.value_from.is_some() || e.value == reference || !e.value.contains(&reference) {
                self.out.push(format!(
                    "{}: hides previous definition of {}, which may be dropped when using apply",
                    path.child("env").index(i),
                    quote(&e.name)
                ));
            }
        }
    }

    /// Ports of all containers that clash: exactly the same, overlapping (one without a host port), or
    /// ambiguous (same host port, one with a host IP and one without); and a host IP without a host port.
    fn ports(&mut self, spec: &PodSpec) {
        let spec_path = self.spec;
        let port_path = |list: &str, c: usize, i: usize| {
            let list_path = spec_path.child(list);
            let container = list_path.index(c);
            let ports = container.child("ports");
            ports.index(i).render()
        };
        let mut seen: HashMap<(i32, &str), Vec<(&str, usize, usize, &ContainerPort)>> = HashMap::new();
        for (c, list, ci) in containers(spec) {
            for (i, port) in c.ports.iter().enumerate() {
                if !port.host_ip.is_empty() && port.host_port == 0 {
                    self.out.push(format!("{}: hostIP set without hostPort: {}", port_path(list, ci, i), go_port(port)));
                }
                let others = seen.entry((port.container_port, port.protocol.as_str())).or_default();
                for &(other_list, other_c, other_i, other) in others.iter() {
                    if let Some(how) = clash(port, other) {
                        let (here, there) = (port_path(list, ci, i), port_path(other_list, other_c, other_i));
                        self.out.push(format!("{here}: {how} port definition with {there}"));
                    }
                }
                others.push((list, ci, i, port));
            }
        }
    }

    fn pod_affinity(&mut self, spec: &PodSpec) {
        let Some(affinity) = &spec.affinity else { return };
        let spec_path = self.spec;
        let path = spec_path.child("affinity");
        let kinds = [
            ("podAffinity", affinity.pod_affinity.as_ref().map(|a| (&a.required_during_scheduling_ignored_during_execution, &a.preferred_during_scheduling_ignored_during_execution))),
            ("podAntiAffinity", affinity.pod_anti_affinity.as_ref().map(|a| (&a.required_during_scheduling_ignored_during_execution, &a.preferred_during_scheduling_ignored_during_execution))),
        ];
        for (name, terms) in kinds {
            let Some((required, preferred)) = terms else { continue };
            let base = path.child(name);
            self.null_selectors(required, &base.child("requiredDuringSchedulingIgnoredDuringExecution"));
            self.null_weighted_selectors(preferred, &base.child("preferredDuringSchedulingIgnoredDuringExecution"));
        }
    }

    fn null_selectors(&mut self, terms: &[PodAffinityTerm], path: &Path) {
        for (i, t) in terms.iter().enumerate() {
            if t.label_selector.is_none() {
                let term = path.index(i);
                let at = term.child("labelSelector");
                self.out.push(format!("{at}: a null labelSelector results in matching no pod"));
            }
        }
    }

    fn null_weighted_selectors(&mut self, terms: &[WeightedPodAffinityTerm], path: &Path) {
        for (i, t) in terms.iter().enumerate() {
            if t.pod_affinity_term.label_selector.is_none() {
                let weighted = path.index(i);
                let term = weighted.child("podAffinityTerm");
                let at = term.child("labelSelector");
                self.out.push(format!("{at}: a null labelSelector results in matching no pod"));
            }
        }
    }
}

/// The containers, init containers first, each with the field of its list and its index there
/// (`pods.VisitContainersWithPath`; the caller makes the path, which borrows its own). Ephemeral containers
/// cannot be set on create or in a template, so they never reach these warnings.
fn containers(spec: &PodSpec) -> impl Iterator<Item = (&Container, &'static str, usize)> {
    let init = spec.init_containers.iter().enumerate().map(|(i, c)| (c, "initContainers", i));
    init.chain(spec.containers.iter().enumerate().map(|(i, c)| (c, "containers", i)))
}

/// The indexes of items equal to an earlier one.
fn repeated<'a>(items: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let mut seen = BTreeSet::new();
    items.enumerate().filter(|(_, item)| !seen.insert(*item)).map(|(i, _)| i).collect()
}

/// How two ports with the same container port and protocol clash, if they do.
fn clash(port: &ContainerPort, other: &ContainerPort) -> Option<&'static str> {
    if port.host_ip == other.host_ip && port.host_port == other.host_port {
        Some("duplicate")
    } else if port.host_port == 0 || other.host_port == 0 {
        Some("overlapping")
    } else if port.host_port == other.host_port && (port.host_ip.is_empty() != other.host_ip.is_empty()) {
        Some("dangerously ambiguous")
    } else {
        None
    }
}

/// A port as Go's `%+v` prints the internal `api.ContainerPort`.
fn go_port(p: &ContainerPort) -> String {
    format!(
        "{{Name:{} HostPort:{} ContainerPort:{} Protocol:{} HostIP:{}}}",
        p.name, p.host_port, p.container_port, p.protocol, p.host_ip
    )
}

/// The volume plugins of `v` that are deprecated or gone, as (field, warning): those Go checks before an
/// ephemeral volume's claim template, and those after.
type Plugins = Vec<(&'static str, &'static str)>;

fn deprecated_plugins(v: &Volume) -> (Plugins, Plugins) {
    let early = [
        (v.photon_persistent_disk.is_some(), "photonPersistentDisk", "deprecated in v1.11, non-functional in v1.16+"),
        (v.git_repo.is_some(), "gitRepo", "deprecated in v1.11"),
        (v.scale_io.is_some(), "scaleIO", "deprecated in v1.16, non-functional in v1.22+"),
        (v.flocker.is_some(), "flocker", "deprecated in v1.22, non-functional in v1.25+"),
        (v.storageos.is_some(), "storageOS", "deprecated in v1.22, non-functional in v1.25+"),
        (v.quobyte.is_some(), "quobyte", "deprecated in v1.22, non-functional in v1.25+"),
        (v.glusterfs.is_some(), "glusterfs", "deprecated in v1.25, non-functional in v1.26+"),
    ];
    let late = [
        (v.cephfs.is_some(), "cephfs", "deprecated in v1.28, non-functional in v1.31+"),
        (v.rbd.is_some(), "rbd", "deprecated in v1.28, non-functional in v1.31+"),
    ];
    let set = |list: &[(bool, &'static str, &'static str)]| list.iter().filter(|p| p.0).map(|&(_, f, m)| (f, m)).collect();
    (set(&early), set(&late))
}

/// A mapped path and where it came from (`pathAndSource`), printed `"path" (source)`.
#[derive(Clone, PartialEq)]
struct Mapped {
    path: String,
    source: String,
}

impl std::fmt::Display for Mapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.source.is_empty() {
            f.write_str(&quote(&self.path))
        } else {
            write!(f, "{} ({})", quote(&self.path), self.source)
        }
    }
}

/// `warningsForOverlappingVirtualPaths`: within one ConfigMap, Secret, DownwardAPI or projected volume, two
/// items written to the same path, or one under the other.
fn overlapping_paths(volumes: &[Volume]) -> Vec<String> {
    let mut out = Vec::new();
    let warn = |name: &str, what: &str, body: String| format!("volume {} ({what}): overlapping paths: {body}", quote(name));
    for v in volumes {
        if let Some(items) = v.config_map.as_ref().map(|c| (&c.items, format!("ConfigMap {}", quote(&c.name)))) {
            for body in overlaps_within(key_paths(items.0, "")) {
                out.push(warn(&v.name, &items.1, body));
            }
        }
        if let Some(items) = v.secret.as_ref().map(|s| (&s.items, format!("Secret {}", quote(&s.secret_name)))) {
            for body in overlaps_within(key_paths(items.0, "")) {
                out.push(warn(&v.name, &items.1, body));
            }
        }
        if let Some(d) = &v.downward_api {
            let paths = d.items.iter().map(|i| Mapped { path: i.path.clone(), source: String::new() }).collect();
            for body in overlaps_within(paths) {
                out.push(warn(&v.name, "DownwardAPI", body));
            }
        }
        if let Some(p) = &v.projected {
            projected_overlaps(&v.name, p, &mut out);
        }
    }
    out
}

/// The projected volume's part of [`overlapping_paths`], across its sources. As in Go, a source that maps
/// no paths (a ConfigMap or Secret without items) reuses the previous source's paths.
fn projected_overlaps(name: &str, volume: &crate::api::core_v1::ProjectedVolumeSource, out: &mut Vec<String>) {
    let mut source_paths: Vec<Mapped> = Vec::new();
    let mut all: Vec<Mapped> = Vec::new();
    for source in &volume.sources {
        if source.config_map.is_none()
            && source.secret.is_none()
            && source.downward_api.is_none()
            && source.service_account_token.is_none()
            && source.cluster_trust_bundle.is_none()
        {
            out.push(format!("volume {} (Projected) has no sources provided", quote(name)));
            continue;
        }
        if let Some(c) = source.config_map.as_ref().filter(|c| !c.items.is_empty()) {
            source_paths = key_paths(&c.items, &format!("ConfigMap {}", quote(&c.name)));
        } else if let Some(s) = source.secret.as_ref().filter(|s| !s.items.is_empty()) {
            source_paths = key_paths(&s.items, &format!("Secret {}", quote(&s.name)));
        } else if let Some(d) = source.downward_api.as_ref().filter(|d| !d.items.is_empty()) {
            source_paths = d.items.iter().map(|i| Mapped { path: i.path.clone(), source: "DownwardAPI".into() }).collect();
        } else if let Some(t) = &source.service_account_token {
            source_paths = vec![Mapped { path: t.path.clone(), source: "ServiceAccountToken".into() }];
        } else if let Some(b) = &source.cluster_trust_bundle {
            let name = b.name.as_deref().or(b.signer_name.as_deref()).unwrap_or_default();
            source_paths = vec![Mapped { path: b.path.clone(), source: format!("ClusterTrustBundle {}", quote(name)) }];
        }
        for mut ps in source_paths.iter().cloned() {
            ps.path = ps.path.trim_end_matches('/').to_owned();
            for c in collisions(&all, &ps) {
                out.push(format!("volume {} (Projected): overlapping paths: {ps} with {c}", quote(name)));
            }
            all.push(ps);
        }
    }
}

fn key_paths(items: &[KeyToPath], source: &str) -> Vec<Mapped> {
    items.iter().map(|i| Mapped { path: i.path.clone(), source: source.to_owned() }).collect()
}

/// `checkVolumeMappingForOverlap`.
fn overlaps_within(paths: Vec<Mapped>) -> Vec<String> {
    let mut out = Vec::new();
    let mut all: Vec<Mapped> = Vec::new();
    for mut ps in paths {
        ps.path = ps.path.trim_end_matches('/').to_owned();
        for c in collisions(&all, &ps) {
            out.push(format!("{ps} with {c}"));
        }
        all.push(ps);
    }
    out
}

/// `checkForOverlap`: the earlier paths equal to `needle`, or one a directory of the other.
fn collisions<'a>(haystack: &'a [Mapped], needle: &Mapped) -> Vec<&'a Mapped> {
    if needle.path.is_empty() {
        return Vec::new();
    }
    let under = |a: &str, b: &str| format!("{a}/").starts_with(&format!("{b}/"));
    haystack
        .iter()
        .filter(|item| !item.path.is_empty())
        .filter(|item| *item == needle || under(&item.path, &needle.path) || under(&needle.path, &item.path))
        .collect()
}
