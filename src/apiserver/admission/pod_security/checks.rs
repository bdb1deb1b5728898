//! What a check of the Pod Security Standards is (`pod-security-admission/policy/checks.go`) and every check of
//! v1.32 (`check_*.go`), with the exact reasons and details the API server prints, and the fields that fail each.

use std::collections::BTreeSet;

use crate::api::core_v1::{ContainerPort, PodSpec, SecurityContext, Volume};
use crate::api::meta_v1::ObjectMeta;
use crate::apiserver::validation::OwnedPath;

use super::api::Level;

/// A check of a pod against one rule of the standards (`CheckPodFn`): `None` when the pod passes.
pub type CheckFn = fn(&ObjectMeta, &PodSpec) -> Option<Finding>;

/// What a failed check says: the short reason, the detail naming what failed, and the fields of the pod that
/// make it fail (for a linter to point at).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub reason: String,
    pub detail: String,
    pub fields: Vec<OwnedPath>,
}

/// One rule of the standards, in the versions it changed in (`Check`).
pub struct Check {
    pub id: &'static str,
    pub level: Level,
    /// Strictly increasing minimum minor versions of v1.
    pub versions: &'static [VersionedCheck],
}

/// The rule as it reads from `minimum` on; a restricted check may replace baseline checks (`OverrideCheckIDs`).
pub struct VersionedCheck {
    pub minimum: u32,
    pub check: CheckFn,
    pub overrides: &'static [&'static str],
}

impl Check {
    /// The version of the rule in force at minor version `v`, if the rule exists yet.
    pub(super) fn at(&self, v: u32) -> Option<&VersionedCheck> {
        self.versions.iter().rev().find(|c| c.minimum <= v)
    }
}

/// Every check, as `DefaultChecks` registers them.
pub static ALL: &[Check] = &[
    Check { id: "allowPrivilegeEscalation", level: Level::Restricted, versions: &[v(8, allow_privilege_escalation_1_8), v(25, allow_privilege_escalation_1_25)] },
    Check { id: "appArmorProfile", level: Level::Baseline, versions: &[v(0, app_armor_profile)] },
    Check { id: CAPABILITIES_BASELINE, level: Level::Baseline, versions: &[v(0, capabilities_baseline)] },
    Check {
        id: "capabilities_restricted",
        level: Level::Restricted,
        versions: &[
            VersionedCheck { minimum: 22, check: capabilities_restricted_1_22, overrides: &[CAPABILITIES_BASELINE] },
            VersionedCheck { minimum: 25, check: capabilities_restricted_1_25, overrides: &[CAPABILITIES_BASELINE] },
        ],
    },
    Check { id: "hostNamespaces", level: Level::Baseline, versions: &[v(0, host_namespaces)] },
    Check { id: HOST_PATH_VOLUMES, level: Level::Baseline, versions: &[v(0, host_path_volumes)] },
    Check { id: "hostPorts", level: Level::Baseline, versions: &[v(0, host_ports)] },
    Check { id: "privileged", level: Level::Baseline, versions: &[v(0, privileged)] },
    Check { id: "procMount", level: Level::Baseline, versions: &[v(0, proc_mount)] },
    Check {
        id: "restrictedVolumes",
        level: Level::Restricted,
        versions: &[VersionedCheck { minimum: 0, check: restricted_volumes, overrides: &[HOST_PATH_VOLUMES] }],
    },
    Check { id: "runAsNonRoot", level: Level::Restricted, versions: &[v(0, run_as_non_root)] },
    Check { id: "runAsUser", level: Level::Restricted, versions: &[v(23, run_as_user)] },
    Check { id: "seLinuxOptions", level: Level::Baseline, versions: &[v(0, se_linux_options_1_0), v(31, se_linux_options_1_31)] },
    Check { id: SECCOMP_BASELINE, level: Level::Baseline, versions: &[v(0, seccomp_profile_baseline_1_0), v(19, seccomp_profile_baseline_1_19)] },
    Check {
        id: "seccompProfile_restricted",
        level: Level::Restricted,
        versions: &[
            VersionedCheck { minimum: 19, check: seccomp_profile_restricted_1_19, overrides: &[SECCOMP_BASELINE] },
            VersionedCheck { minimum: 25, check: seccomp_profile_restricted_1_25, overrides: &[SECCOMP_BASELINE] },
        ],
    },
    Check {
        id: "sysctls",
        level: Level::Baseline,
        versions: &[v(0, sysctls_1_0), v(27, sysctls_1_27), v(29, sysctls_1_29), v(32, sysctls_1_32)],
    },
    Check { id: "windowsHostProcess", level: Level::Baseline, versions: &[v(0, windows_host_process)] },
];

const CAPABILITIES_BASELINE: &str = "capabilities_baseline";
const HOST_PATH_VOLUMES: &str = "hostPathVolumes";
const SECCOMP_BASELINE: &str = "seccompProfile_baseline";

const fn v(minimum: u32, check: CheckFn) -> VersionedCheck {
    VersionedCheck { minimum, check, overrides: &[] }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers (`helpers.go`, `visitor.go`)
// ---------------------------------------------------------------------------------------------------------------

/// What the checks read of a container, wherever it is: init, regular or ephemeral.
struct ContainerView<'a> {
    name: &'a str,
    path: OwnedPath,
    security_context: Option<&'a SecurityContext>,
    ports: &'a [ContainerPort],
}

/// `visitContainers`: init containers, containers, then ephemeral containers.
fn containers(spec: &PodSpec) -> Vec<ContainerView<'_>> {
    let root = OwnedPath::new("spec");
    let mut out = Vec::new();
    for (list, items) in [("initContainers", &spec.init_containers), ("containers", &spec.containers)] {
        for (i, c) in items.iter().enumerate() {
            out.push(ContainerView {
                name: &c.name,
                path: root.child(list).index(i),
                security_context: c.security_context.as_deref(),
                ports: &c.ports,
            });
        }
    }
    for (i, c) in spec.ephemeral_containers.iter().enumerate() {
        out.push(ContainerView {
            name: &c.name,
            path: root.child("ephemeralContainers").index(i),
            security_context: c.security_context.as_deref(),
            ports: &c.ports,
        });
    }
    out
}

fn sc_path(c: &ContainerView<'_>) -> OwnedPath {
    c.path.child("securityContext")
}

fn pod_sc_path() -> OwnedPath {
    OwnedPath::new("spec").child("securityContext")
}

/// `joinQuote`.
fn join_quote<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let inner: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("\"{}\"", inner.join("\", \""))
}

fn pluralize<'a>(singular: &'a str, plural: &'a str, count: usize) -> &'a str {
    if count == 1 {
        singular
    } else {
        plural
    }
}

/// `container "a"` / `containers "a", "b"`.
fn containers_phrase(names: &[&str]) -> String {
    format!("{} {}", pluralize("container", "containers", names.len()), join_quote(names))
}

fn finding(reason: &str, detail: String, fields: Vec<OwnedPath>) -> Option<Finding> {
    Some(Finding { reason: reason.to_owned(), detail, fields })
}

fn windows(spec: &PodSpec) -> bool {
    spec.os.as_ref().is_some_and(|os| os.name == "windows")
}

// ---------------------------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------------------------

fn allow_privilege_escalation_1_8(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let bad: Vec<_> = containers(spec)
        .into_iter()
        .filter(|c| c.security_context.and_then(|s| s.allow_privilege_escalation) != Some(false))
        .collect();
    if bad.is_empty() {
        return None;
    }
    let names: Vec<&str> = bad.iter().map(|c| c.name).collect();
    finding(
        "allowPrivilegeEscalation != false",
        format!("{} must set securityContext.allowPrivilegeEscalation=false", containers_phrase(&names)),
        bad.iter().map(|c| sc_path(c).child("allowPrivilegeEscalation")).collect(),
    )
}

fn allow_privilege_escalation_1_25(meta: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    if windows(spec) {
        return None;
    }
    allow_privilege_escalation_1_8(meta, spec)
}

fn app_armor_profile(meta: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let allowed_type = |t: &str| matches!(t, "RuntimeDefault" | "Localhost");
    let mut setters: Vec<String> = Vec::new();
    let mut values = BTreeSet::new();
    let mut fields = Vec::new();
    if let Some(p) = spec.security_context.as_ref().and_then(|s| s.app_armor_profile.as_ref()) {
        if !allowed_type(&p.r#type) {
            setters.push("pod".into());
            values.insert(p.r#type.clone());
            fields.push(pod_sc_path().child("appArmorProfile").child("type"));
        }
    }
    let mut bad = Vec::new();
    for c in containers(spec) {
        if let Some(p) = c.security_context.and_then(|s| s.app_armor_profile.as_ref()) {
            if !allowed_type(&p.r#type) {
                bad.push(c.name);
                values.insert(p.r#type.clone());
                fields.push(sc_path(&c).child("appArmorProfile").child("type"));
            }
        }
    }
    if !bad.is_empty() {
        setters.push(containers_phrase(&bad));
    }
    let mut values: Vec<String> = values.into_iter().collect();
    let mut annotations: Vec<String> = meta
        .annotations
        .iter()
        .filter(|(k, v)| {
            k.starts_with("container.apparmor.security.beta.kubernetes.io/")
                && !(v.is_empty() || *v == "runtime/default" || v.starts_with("localhost/"))
        })
        .map(|(k, v)| {
            fields.push(OwnedPath::new("metadata").child("annotations").key(k));
            format!("{k}={}", crate::go::fmt::quote(v))
        })
        .collect();
    if !annotations.is_empty() {
        annotations.sort();
        setters.push(pluralize("annotation", "annotations", annotations.len()).to_owned());
        values.extend(annotations);
    }
    if setters.is_empty() {
        return None;
    }
    finding(
        pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", values.len()),
        format!("{} must not set AppArmor profile type to {}", setters.join(" and "), join_quote(&values)),
        fields,
    )
}

/// The capabilities a baseline container may add.
const CAPABILITIES_ALLOWED: [&str; 13] = [
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP",
    "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
];

fn capabilities_baseline(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let mut bad = Vec::new();
    let mut caps = BTreeSet::new();
    let mut fields = Vec::new();
    for c in containers(spec) {
        let Some(add) = c.security_context.and_then(|s| s.capabilities.as_ref()).map(|c| &c.add) else { continue };
        let mut valid = true;
        for (i, cap) in add.iter().enumerate() {
            if !CAPABILITIES_ALLOWED.contains(&cap.as_str()) {
                valid = false;
                caps.insert(cap.as_str());
                fields.push(sc_path(&c).child("capabilities").child("add").index(i));
            }
        }
        if !valid {
            bad.push(c.name);
        }
    }
    if bad.is_empty() {
        return None;
    }
    let caps: Vec<&str> = caps.into_iter().collect();
    finding(
        "non-default capabilities",
        format!("{} must not include {} in securityContext.capabilities.add", containers_phrase(&bad), join_quote(&caps)),
        fields,
    )
}

fn capabilities_restricted_1_22(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let mut missing_drop_all = Vec::new();
    let mut adding = Vec::new();
    let mut forbidden = BTreeSet::new();
    let mut fields = Vec::new();
    for c in containers(spec) {
        let Some(caps) = c.security_context.and_then(|s| s.capabilities.as_ref()) else {
            missing_drop_all.push(c.name);
            fields.push(sc_path(&c).child("capabilities").child("drop"));
            continue;
        };
        if !caps.drop.iter().any(|d| d == "ALL") {
            missing_drop_all.push(c.name);
            fields.push(sc_path(&c).child("capabilities").child("drop"));
        }
        let mut added = false;
        for (i, cap) in caps.add.iter().enumerate() {
            if cap != "NET_BIND_SERVICE" {
                added = true;
                forbidden.insert(cap.as_str());
                fields.push(sc_path(&c).child("capabilities").child("add").index(i));
            }
        }
        if added {
            adding.push(c.name);
        }
    }
    let mut details = Vec::new();
    if !missing_drop_all.is_empty() {
        details.push(format!(r#"{} must set securityContext.capabilities.drop=["ALL"]"#, containers_phrase(&missing_drop_all)));
    }
    if !adding.is_empty() {
        let caps: Vec<&str> = forbidden.into_iter().collect();
        details.push(format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers_phrase(&adding),
            join_quote(&caps)
        ));
    }
    if details.is_empty() {
        return None;
    }
    finding("unrestricted capabilities", details.join("; "), fields)
}

fn capabilities_restricted_1_25(meta: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    if windows(spec) {
        return None;
    }
    capabilities_restricted_1_22(meta, spec)
}

fn host_namespaces(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let set = [("hostNetwork", spec.host_network), ("hostPID", spec.host_pid), ("hostIPC", spec.host_ipc)];
    let on: Vec<&str> = set.iter().filter(|(_, on)| *on).map(|(name, _)| *name).collect();
    if on.is_empty() {
        return None;
    }
    let detail = on.iter().map(|n| format!("{n}=true")).collect::<Vec<_>>().join(", ");
    finding("host namespaces", detail, on.iter().map(|n| OwnedPath::new("spec").child(n)).collect())
}

fn host_path_volumes(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let bad: Vec<(usize, &Volume)> = spec.volumes.iter().enumerate().filter(|(_, v)| v.host_path.is_some()).collect();
    if bad.is_empty() {
        return None;
    }
    let names: Vec<&str> = bad.iter().map(|(_, v)| v.name.as_str()).collect();
    finding(
        "hostPath volumes",
        format!("{} {}", pluralize("volume", "volumes", names.len()), join_quote(&names)),
        bad.iter().map(|(i, _)| OwnedPath::new("spec").child("volumes").index(*i).child("hostPath")).collect(),
    )
}

fn host_ports(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let mut bad = Vec::new();
    let mut ports = BTreeSet::new();
    let mut fields = Vec::new();
    for c in containers(spec) {
        let mut valid = true;
        for (i, p) in c.ports.iter().enumerate() {
            if p.host_port != 0 {
                valid = false;
                ports.insert(p.host_port.to_string());
                fields.push(c.path.child("ports").index(i).child("hostPort"));
            }
        }
        if !valid {
            bad.push(c.name);
        }
    }
    if bad.is_empty() {
        return None;
    }
    // Sorted as strings, as `sets.String` lists them.
    let ports: Vec<String> = ports.into_iter().collect();
    finding(
        "hostPort",
        format!(
            "{} {} {} {}",
            containers_phrase(&bad),
            pluralize("uses", "use", bad.len()),
            pluralize("hostPort", "hostPorts", ports.len()),
            ports.join(", ")
        ),
        fields,
    )
}

fn privileged(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let bad: Vec<_> =
        containers(spec).into_iter().filter(|c| c.security_context.and_then(|s| s.privileged) == Some(true)).collect();
    if bad.is_empty() {
        return None;
    }
    let names: Vec<&str> = bad.iter().map(|c| c.name).collect();
    finding(
        "privileged",
        format!("{} must not set securityContext.privileged=true", containers_phrase(&names)),
        bad.iter().map(|c| sc_path(c).child("privileged")).collect(),
    )
}

fn proc_mount(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let mut bad = Vec::new();
    let mut types = BTreeSet::new();
    let mut fields = Vec::new();
    for c in containers(spec) {
        if let Some(t) = c.security_context.and_then(|s| s.proc_mount.as_deref()) {
            if t != "Default" {
                bad.push(c.name);
                types.insert(t);
                fields.push(sc_path(&c).child("procMount"));
            }
        }
    }
    if bad.is_empty() {
        return None;
    }
    let types: Vec<&str> = types.into_iter().collect();
    finding(
        "procMount",
        format!("{} must not set securityContext.procMount to {}", containers_phrase(&bad), join_quote(&types)),
        fields,
    )
}

/// The volume type a restricted pod may not use, by the first source set, as `restrictedVolumes_1_0` names it;
/// `None` for the allowed types.
fn restricted_volume_type(v: &Volume) -> Option<&'static str> {
    if v.config_map.is_some()
        || v.csi.is_some()
        || v.downward_api.is_some()
        || v.empty_dir.is_some()
        || v.ephemeral.is_some()
        || v.persistent_volume_claim.is_some()
        || v.projected.is_some()
        || v.secret.is_some()
    {
        return None;
    }
    let types: [(bool, &str); 21] = [
        (v.host_path.is_some(), "hostPath"),
        (v.gce_persistent_disk.is_some(), "gcePersistentDisk"),
        (v.aws_elastic_block_store.is_some(), "awsElasticBlockStore"),
        (v.git_repo.is_some(), "gitRepo"),
        (v.nfs.is_some(), "nfs"),
        (v.iscsi.is_some(), "iscsi"),
        (v.glusterfs.is_some(), "glusterfs"),
        (v.rbd.is_some(), "rbd"),
        (v.flex_volume.is_some(), "flexVolume"),
        (v.cinder.is_some(), "cinder"),
        (v.cephfs.is_some(), "cephfs"),
        (v.flocker.is_some(), "flocker"),
        (v.fc.is_some(), "fc"),
        (v.azure_file.is_some(), "azureFile"),
        (v.vsphere_volume.is_some(), "vsphereVolume"),
        (v.quobyte.is_some(), "quobyte"),
        (v.azure_disk.is_some(), "azureDisk"),
        (v.photon_persistent_disk.is_some(), "photonPersistentDisk"),
        (v.portworx_volume.is_some(), "portworxVolume"),
        (v.scale_io.is_some(), "scaleIO"),
        (v.storageos.is_some(), "storageos"),
    ];
    Some(types.iter().find(|(set, _)| *set).map_or("unknown", |(_, name)| name))
}

fn restricted_volumes(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let mut bad = Vec::new();
    let mut types = BTreeSet::new();
    let mut fields = Vec::new();
    for (i, vol) in spec.volumes.iter().enumerate() {
        if let Some(t) = restricted_volume_type(vol) {
            bad.push(vol.name.as_str());
            types.insert(t);
            let at = OwnedPath::new("spec").child("volumes").index(i);
            fields.push(if t == "unknown" { at } else { at.child(t) });
        }
    }
    if bad.is_empty() {
        return None;
    }
    let types: Vec<&str> = types.into_iter().collect();
    finding(
        "restricted volume types",
        format!(
            "{} {} {} {} {}",
            pluralize("volume", "volumes", bad.len()),
            join_quote(&bad),
            pluralize("uses", "use", bad.len()),
            pluralize("restricted volume type", "restricted volume types", types.len()),
            join_quote(&types)
        ),
        fields,
    )
}

fn run_as_non_root(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let mut setters: Vec<String> = Vec::new();
    let mut fields = Vec::new();
    let mut pod_non_root = false;
    match spec.security_context.as_ref().and_then(|s| s.run_as_non_root) {
        Some(false) => {
            setters.push("pod".into());
            fields.push(pod_sc_path().child("runAsNonRoot"));
        }
        Some(true) => pod_non_root = true,
        None => {}
    }
    let (mut explicit, mut implicit) = (Vec::new(), Vec::new());
    let mut implicit_fields = Vec::new();
    for c in containers(spec) {
        match c.security_context.and_then(|s| s.run_as_non_root) {
            Some(false) => {
                explicit.push(c.name);
                fields.push(sc_path(&c).child("runAsNonRoot"));
            }
            Some(true) => {}
            None if !pod_non_root => {
                implicit.push(c.name);
                implicit_fields.push(sc_path(&c).child("runAsNonRoot"));
            }
            None => {}
        }
    }
    if !explicit.is_empty() {
        setters.push(containers_phrase(&explicit));
    }
    if !setters.is_empty() {
        return finding(
            "runAsNonRoot != true",
            format!("{} must not set securityContext.runAsNonRoot=false", setters.join(" and ")),
            fields,
        );
    }
    if implicit.is_empty() {
        return None;
    }
    finding(
        "runAsNonRoot != true",
        format!("pod or {} must set securityContext.runAsNonRoot=true", containers_phrase(&implicit)),
        implicit_fields,
    )
}

fn run_as_user(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let mut setters: Vec<String> = Vec::new();
    let mut fields = Vec::new();
    if spec.security_context.as_ref().and_then(|s| s.run_as_user) == Some(0) {
        setters.push("pod".into());
        fields.push(pod_sc_path().child("runAsUser"));
    }
    let mut bad = Vec::new();
    for c in containers(spec) {
        if c.security_context.and_then(|s| s.run_as_user) == Some(0) {
            bad.push(c.name);
            fields.push(sc_path(&c).child("runAsUser"));
        }
    }
    if !bad.is_empty() {
        setters.push(containers_phrase(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    finding("runAsUser=0", format!("{} must not set runAsUser=0", setters.join(" and ")), fields)
}

fn se_linux_options(spec: &PodSpec, allowed_types: &[&str]) -> Option<Finding> {
    let mut bad_types = BTreeSet::new();
    let (mut set_user, mut set_role) = (false, false);
    let mut fields = Vec::new();
    let mut valid = |opts: &crate::api::core_v1::SELinuxOptions, at: OwnedPath| {
        let mut ok = true;
        if !allowed_types.contains(&opts.r#type.as_str()) {
            ok = false;
            bad_types.insert(opts.r#type.clone());
            fields.push(at.child("type"));
        }
        if !opts.user.is_empty() {
            ok = false;
            set_user = true;
            fields.push(at.child("user"));
        }
        if !opts.role.is_empty() {
            ok = false;
            set_role = true;
            fields.push(at.child("role"));
        }
        ok
    };
    let mut setters: Vec<String> = Vec::new();
    if let Some(o) = spec.security_context.as_ref().and_then(|s| s.se_linux_options.as_ref()) {
        if !valid(o, pod_sc_path().child("seLinuxOptions")) {
            setters.push("pod".into());
        }
    }
    let mut bad = Vec::new();
    for c in containers(spec) {
        if let Some(o) = c.security_context.and_then(|s| s.se_linux_options.as_ref()) {
            if !valid(o, sc_path(&c).child("seLinuxOptions")) {
                bad.push(c.name);
            }
        }
    }
    if !bad.is_empty() {
        setters.push(containers_phrase(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    let mut data = Vec::new();
    if !bad_types.is_empty() {
        let types: Vec<String> = bad_types.into_iter().collect();
        data.push(format!("{} {}", pluralize("type", "types", types.len()), join_quote(&types)));
    }
    if set_user {
        data.push("user may not be set".to_owned());
    }
    if set_role {
        data.push("role may not be set".to_owned());
    }
    finding(
        "seLinuxOptions",
        format!("{} set forbidden securityContext.seLinuxOptions: {}", setters.join(" and "), data.join("; ")),
        fields,
    )
}

fn se_linux_options_1_0(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    se_linux_options(spec, &["", "container_t", "container_init_t", "container_kvm_t"])
}

fn se_linux_options_1_31(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    se_linux_options(spec, &["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"])
}

const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

fn valid_seccomp(t: &str) -> bool {
    matches!(t, "Localhost" | "RuntimeDefault")
}

fn seccomp_profile_baseline_1_0(meta: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let valid_annotation = |v: &str| v == "runtime/default" || v == "docker/default" || v.starts_with("localhost/");
    let mut forbidden = BTreeSet::new();
    let mut fields = Vec::new();
    let keys = std::iter::once(SECCOMP_POD_ANNOTATION.to_owned())
        .chain(containers(spec).into_iter().map(|c| format!("{SECCOMP_CONTAINER_ANNOTATION_PREFIX}{}", c.name)));
    for key in keys {
        if let Some(v) = meta.annotations.get(&key) {
            if !valid_annotation(v) {
                forbidden.insert(format!("{key}={}", crate::go::fmt::quote(v)));
                fields.push(OwnedPath::new("metadata").child("annotations").key(&key));
            }
        }
    }
    if forbidden.is_empty() {
        return None;
    }
    let list: Vec<String> = forbidden.into_iter().collect();
    finding(
        "seccompProfile",
        format!("forbidden {} {}", pluralize("annotation", "annotations", list.len()), list.join(", ")),
        fields,
    )
}

/// The pod and containers that set a seccomp profile type other than RuntimeDefault or Localhost, and the
/// containers that set none while the pod sets no valid one.
struct SeccompUse<'a> {
    setters: Vec<String>,
    values: BTreeSet<String>,
    fields: Vec<OwnedPath>,
    implicit: Vec<&'a str>,
    implicit_fields: Vec<OwnedPath>,
}

fn seccomp_use(spec: &PodSpec) -> SeccompUse<'_> {
    let mut u = SeccompUse {
        setters: Vec::new(),
        values: BTreeSet::new(),
        fields: Vec::new(),
        implicit: Vec::new(),
        implicit_fields: Vec::new(),
    };
    let mut pod_set = false;
    if let Some(p) = spec.security_context.as_ref().and_then(|s| s.seccomp_profile.as_ref()) {
        if valid_seccomp(&p.r#type) {
            pod_set = true;
        } else {
            u.setters.push("pod".into());
            u.values.insert(p.r#type.clone());
            u.fields.push(pod_sc_path().child("seccompProfile").child("type"));
        }
    }
    let mut explicit = Vec::new();
    for c in containers(spec) {
        match c.security_context.and_then(|s| s.seccomp_profile.as_ref()) {
            Some(p) if !valid_seccomp(&p.r#type) => {
                explicit.push(c.name);
                u.values.insert(p.r#type.clone());
                u.fields.push(sc_path(&c).child("seccompProfile").child("type"));
            }
            Some(_) => {}
            None if !pod_set => {
                u.implicit.push(c.name);
                u.implicit_fields.push(sc_path(&c).child("seccompProfile"));
            }
            None => {}
        }
    }
    if !explicit.is_empty() {
        u.setters.push(containers_phrase(&explicit));
    }
    u
}

fn seccomp_explicit_finding(u: &SeccompUse<'_>) -> Option<Finding> {
    if u.setters.is_empty() {
        return None;
    }
    let values: Vec<&String> = u.values.iter().collect();
    finding(
        "seccompProfile",
        format!("{} must not set securityContext.seccompProfile.type to {}", u.setters.join(" and "), join_quote(&values)),
        u.fields.clone(),
    )
}

fn seccomp_profile_baseline_1_19(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    seccomp_explicit_finding(&seccomp_use(spec))
}

fn seccomp_profile_restricted_1_19(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let u = seccomp_use(spec);
    if let Some(f) = seccomp_explicit_finding(&u) {
        return Some(f);
    }
    if u.implicit.is_empty() {
        return None;
    }
    finding(
        "seccompProfile",
        format!(
            r#"pod or {} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#,
            containers_phrase(&u.implicit)
        ),
        u.implicit_fields,
    )
}

fn seccomp_profile_restricted_1_25(meta: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    if windows(spec) {
        return None;
    }
    seccomp_profile_restricted_1_19(meta, spec)
}

const SYSCTLS_1_0: [&str; 5] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
];
const SYSCTLS_1_27: [&str; 1] = ["net.ipv4.ip_local_reserved_ports"];
const SYSCTLS_1_29: [&str; 4] =
    ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];
const SYSCTLS_1_32: [&str; 2] = ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];

fn sysctls(spec: &PodSpec, allowed: &[&[&str]]) -> Option<Finding> {
    let list = spec.security_context.as_ref().map(|s| s.sysctls.as_slice()).unwrap_or_default();
    let bad: Vec<(usize, &str)> = list
        .iter()
        .enumerate()
        .filter(|(_, s)| !allowed.iter().any(|set| set.contains(&s.name.as_str())))
        .map(|(i, s)| (i, s.name.as_str()))
        .collect();
    if bad.is_empty() {
        return None;
    }
    finding(
        "forbidden sysctls",
        bad.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", "),
        bad.iter().map(|(i, _)| pod_sc_path().child("sysctls").index(*i).child("name")).collect(),
    )
}

fn sysctls_1_0(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    sysctls(spec, &[&SYSCTLS_1_0])
}

fn sysctls_1_27(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    sysctls(spec, &[&SYSCTLS_1_0, &SYSCTLS_1_27])
}

fn sysctls_1_29(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    sysctls(spec, &[&SYSCTLS_1_0, &SYSCTLS_1_27, &SYSCTLS_1_29])
}

fn sysctls_1_32(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    sysctls(spec, &[&SYSCTLS_1_0, &SYSCTLS_1_27, &SYSCTLS_1_29, &SYSCTLS_1_32])
}

fn windows_host_process(_: &ObjectMeta, spec: &PodSpec) -> Option<Finding> {
    let mut setters: Vec<String> = Vec::new();
    let mut fields = Vec::new();
    if spec.security_context.as_ref().and_then(|s| s.windows_options.as_ref()).and_then(|w| w.host_process) == Some(true) {
        setters.push("pod".into());
        fields.push(pod_sc_path().child("windowsOptions").child("hostProcess"));
    }
    let mut bad = Vec::new();
    for c in containers(spec) {
        if c.security_context.and_then(|s| s.windows_options.as_ref()).and_then(|w| w.host_process) == Some(true) {
            bad.push(c.name);
            fields.push(sc_path(&c).child("windowsOptions").child("hostProcess"));
        }
    }
    if !bad.is_empty() {
        setters.push(containers_phrase(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    finding(
        "hostProcess",
        format!("{} must not set securityContext.windowsOptions.hostProcess=true", setters.join(" and ")),
        fields,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::{Capabilities, Container, HostPathVolumeSource, PodSecurityContext, SeccompProfile, Sysctl};

    fn spec_with(containers: Vec<Container>) -> PodSpec {
        PodSpec { containers, ..Default::default() }
    }

    fn container(name: &str, sc: Option<SecurityContext>) -> Container {
        Container { name: name.into(), security_context: sc.map(Box::new), ..Default::default() }
    }

    fn detail(f: Option<Finding>) -> String {
        f.map(|f| format!("{} ({})", f.reason, f.detail)).unwrap_or_default()
    }

    #[test]
    fn capabilities_are_listed_sorted_and_containers_in_order() {
        let caps = |add: &[&str]| SecurityContext {
            capabilities: Some(Box::new(Capabilities { add: add.iter().map(|s| s.to_string()).collect(), drop: vec![] })),
            ..Default::default()
        };
        let spec = spec_with(vec![container("a", Some(caps(&["SYS_TIME", "NET_ADMIN", "CHOWN"]))), container("b", Some(caps(&["NET_ADMIN"])))]);
        assert_eq!(
            detail(capabilities_baseline(&ObjectMeta::default(), &spec)),
            r#"non-default capabilities (containers "a", "b" must not include "NET_ADMIN", "SYS_TIME" in securityContext.capabilities.add)"#
        );
        assert_eq!(
            detail(capabilities_restricted_1_22(&ObjectMeta::default(), &spec)),
            r#"unrestricted capabilities (containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b" must not include "CHOWN", "NET_ADMIN", "SYS_TIME" in securityContext.capabilities.add)"#
        );
    }

    #[test]
    fn host_ports_are_sorted_as_strings() {
        let mut c = container("app", None);
        for p in [9090, 10250, 8080] {
            c.ports.push(ContainerPort { host_port: p, container_port: p, ..Default::default() });
        }
        assert_eq!(
            detail(host_ports(&ObjectMeta::default(), &spec_with(vec![c]))),
            r#"hostPort (container "app" uses hostPorts 10250, 8080, 9090)"#
        );
    }

    #[test]
    fn run_as_non_root_explicit_false_wins_over_missing() {
        let mut spec = spec_with(vec![
            container("a", Some(SecurityContext { run_as_non_root: Some(false), ..Default::default() })),
            container("b", None),
        ]);
        assert_eq!(
            detail(run_as_non_root(&ObjectMeta::default(), &spec)),
            r#"runAsNonRoot != true (container "a" must not set securityContext.runAsNonRoot=false)"#
        );
        spec.containers.remove(0);
        assert_eq!(
            detail(run_as_non_root(&ObjectMeta::default(), &spec)),
            r#"runAsNonRoot != true (pod or container "b" must set securityContext.runAsNonRoot=true)"#
        );
        spec.security_context = Some(Box::new(PodSecurityContext { run_as_non_root: Some(true), ..Default::default() }));
        assert_eq!(run_as_non_root(&ObjectMeta::default(), &spec), None);
    }

    #[test]
    fn seccomp_pod_level_covers_containers() {
        let mut spec = spec_with(vec![container("a", None)]);
        assert!(seccomp_profile_restricted_1_19(&ObjectMeta::default(), &spec).is_some());
        spec.security_context = Some(Box::new(PodSecurityContext {
            seccomp_profile: Some(Box::new(SeccompProfile { r#type: "RuntimeDefault".into(), localhost_profile: None })),
            ..Default::default()
        }));
        assert_eq!(seccomp_profile_restricted_1_19(&ObjectMeta::default(), &spec), None);
        spec.containers[0].security_context = Some(Box::new(SecurityContext {
            seccomp_profile: Some(Box::new(SeccompProfile { r#type: "Unconfined".into(), localhost_profile: None })),
            ..Default::default()
        }));
        assert_eq!(
            detail(seccomp_profile_baseline_1_19(&ObjectMeta::default(), &spec)),
            r#"seccompProfile (container "a" must not set securityContext.seccompProfile.type to "Unconfined")"#
        );
    }

    #[test]
    fn sysctls_follow_the_version() {
        let mut spec = spec_with(vec![container("a", None)]);
        spec.security_context = Some(Box::new(PodSecurityContext {
            sysctls: vec![Sysctl { name: "net.ipv4.tcp_keepalive_time".into(), value: "60".into() }],
            ..Default::default()
        }));
        assert_eq!(detail(sysctls_1_27(&ObjectMeta::default(), &spec)), "forbidden sysctls (net.ipv4.tcp_keepalive_time)");
        assert_eq!(sysctls_1_29(&ObjectMeta::default(), &spec), None);
    }

    #[test]
    fn volumes_name_their_types() {
        let mut spec = spec_with(vec![container("a", None)]);
        spec.volumes.push(Volume { name: "logs".into(), host_path: Some(Box::new(HostPathVolumeSource::default())), ..Default::default() });
        spec.volumes.push(Volume { name: "weird".into(), ..Default::default() });
        assert_eq!(detail(host_path_volumes(&ObjectMeta::default(), &spec)), r#"hostPath volumes (volume "logs")"#);
        assert_eq!(
            detail(restricted_volumes(&ObjectMeta::default(), &spec)),
            r#"restricted volume types (volumes "logs", "weird" use restricted volume types "hostPath", "unknown")"#
        );
    }
}
