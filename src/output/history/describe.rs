//! A pod template as `kubectl describe` words it (`kubectl/pkg/describe/describe.go`: `DescribePodTemplate` and
//! the container, volume, label, annotation and toleration printers it uses), for `rollout history --revision`.
//!
//! kubectl writes this through its prefix writer straight into a buffer, not through a tabwriter: indentation is
//! two spaces per level and the tabs stay literal tabs. Characters that could drive a terminal (ESC, CR) are
//! escaped as kubectl escapes them.
//!
//! Where kubectl formats a Go pointer with `%v` (a projected volume's `optional`, a few legacy volume types'
//! secret references), it prints a memory address; kubeplan prints the value instead.

use std::fmt::Write;

use crate::api::core_v1::{Container, PodTemplateSpec, Probe, Toleration, TopologySpreadConstraint, Volume};
use crate::api::meta_v1::LabelSelector;
use crate::api::Quantity;

/// kubectl's prefix writer: `level` two-space indents, then the text, escaped for the terminal.
struct Writer {
    out: String,
}

impl Writer {
    fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.out.push_str("  ");
        }
        for c in text.chars() {
            match c {
                '\x1b' => self.out.push_str("^["),
                '\r' => self.out.push_str("\\r"),
                c => self.out.push(c),
            }
        }
    }
}

/// `describe.DescribePodTemplate`.
pub fn pod_template(t: &PodTemplateSpec) -> String {
    let mut w = Writer { out: String::new() };
    w.write(0, "Pod Template:\n");
    labels_multiline(&mut w, "  Labels", t.metadata.labels.iter());
    if !t.metadata.annotations.is_empty() {
        annotations_multiline(&mut w, "  Annotations", &t.metadata.annotations);
    }
    let spec = &t.spec;
    if !spec.service_account_name.is_empty() {
        w.write(1, &format!("Service Account:\t{}\n", spec.service_account_name));
    }
    if !spec.init_containers.is_empty() {
        containers(&mut w, "Init Containers", &spec.init_containers);
    }
    containers(&mut w, "Containers", &spec.containers);
    volumes(&mut w, &spec.volumes);
    topology_spread_constraints(&mut w, &spec.topology_spread_constraints);
    if !spec.priority_class_name.is_empty() {
        w.write(1, &format!("Priority Class Name:\t{}\n", spec.priority_class_name));
    }
    labels_multiline(&mut w, "  Node-Selectors", spec.node_selector.iter());
    tolerations_multiline(&mut w, "  Tolerations", &spec.tolerations);
    w.out
}

/// `printLabelsMultiline`: sorted `key=value` lines, the first after the title, the others after a tab.
fn labels_multiline<'a>(w: &mut Writer, title: &str, labels: impl Iterator<Item = (&'a String, &'a String)>) {
    w.write(0, &format!("{title}:\t"));
    let mut any = false;
    for (k, v) in labels {
        if any {
            w.write(0, "\t");
        }
        any = true;
        w.write(0, &format!("{k}={v}\n"));
    }
    if !any {
        w.write(0, "<none>\n");
    }
}

/// kubectl's longest annotation line before it is folded.
const MAX_ANNOTATION_LEN: usize = 140;

/// `printAnnotationsMultiline`: sorted `key: value` lines, skipping the last-applied configuration; long or
/// multi-line values go on their own lines, each cut at 138 bytes.
fn annotations_multiline(w: &mut Writer, title: &str, annotations: &std::collections::BTreeMap<String, String>) {
    w.write(0, &format!("{title}:\t"));
    let keys: Vec<&String> =
        annotations.keys().filter(|k| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration").collect();
    if keys.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    for (i, key) in keys.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let value = annotations[*key].strip_suffix('\n').unwrap_or(&annotations[*key]);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(0, &format!("{key}:\n"));
            for line in value.split('\n') {
                w.write(0, &format!("\t  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)));
            }
        } else {
            w.write(0, &format!("{key}: {value}\n"));
        }
    }
}

/// `shorten`: the first `max` bytes and `...` (kubectl cuts bytes; a cut inside a character is moved back to
/// the character's start so the text stays valid).
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// `printTolerationsMultilineWithIndent`, tolerations sorted by key.
fn tolerations_multiline(w: &mut Writer, title: &str, tolerations: &[Toleration]) {
    w.write(0, &format!("{title}:\t"));
    if tolerations.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let mut line = t.key.clone();
        if !t.value.is_empty() {
            let _ = write!(line, "={}", t.value);
        }
        if !t.effect.is_empty() {
            let _ = write!(line, ":{}", t.effect);
        }
        if t.operator == "Exists" && t.value.is_empty() {
            line.push_str(if !t.key.is_empty() || !t.effect.is_empty() { " op=Exists" } else { "op=Exists" });
        }
        if let Some(s) = t.toleration_seconds {
            let _ = write!(line, " for {s}s");
        }
        line.push('\n');
        w.write(0, &line);
    }
}

/// `describeContainers` without statuses, under a two-space indent.
fn containers(w: &mut Writer, label: &str, list: &[Container]) {
    let none = if list.is_empty() { " <none>" } else { "" };
    w.write(0, &format!("  {label}:{none}\n"));
    for c in list {
        container_basic_info(w, c);
        container_command(w, c);
        resources(w, c);
        probes(w, c);
        if !c.env_from.is_empty() {
            env_from(w, c);
        }
        env(w, c);
        mounts(w, c);
    }
}

fn container_basic_info(w: &mut Writer, c: &Container) {
    w.write(1, &format!(" {}:\n", c.name));
    w.write(2, &format!("Image:\t{}\n", c.image));
    let ports: Vec<String> = c.ports.iter().map(|p| format!("{}/{}", p.container_port, p.protocol)).collect();
    let ports = ports.join(", ");
    if ports.contains(',') {
        w.write(2, &format!("Ports:\t{ports}\n"));
    } else {
        w.write(2, &format!("Port:\t{}\n", or_none(&ports)));
    }
    let host: Vec<String> = c.ports.iter().map(|p| format!("{}/{}", p.host_port, p.protocol)).collect();
    let host = host.join(", ");
    if host.contains(',') {
        w.write(2, &format!("Host Ports:\t{host}\n"));
    } else {
        w.write(2, &format!("Host Port:\t{}\n", or_none(&host)));
    }
    if let Some(sp) = c.security_context.as_deref().and_then(|s| s.seccomp_profile.as_deref()) {
        w.write(2, &format!("SeccompProfile:\t{}\n", sp.r#type));
        if sp.r#type == "Localhost" {
            w.write(3, &format!("LocalhostProfile:\t{}\n", sp.localhost_profile.as_deref().unwrap_or("")));
        }
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "<none>"
    } else {
        s
    }
}

fn container_command(w: &mut Writer, c: &Container) {
    for (title, list) in [("Command", &c.command), ("Args", &c.args)] {
        if list.is_empty() {
            continue;
        }
        w.write(2, &format!("{title}:\n"));
        for item in list {
            for line in item.split('\n') {
                w.write(3, &format!("{line}\n"));
            }
        }
    }
}

/// `describeResources`: limits, then requests, each sorted by resource name.
fn resources(w: &mut Writer, c: &Container) {
    for (title, list) in [("Limits", &c.resources.limits), ("Requests", &c.resources.requests)] {
        if list.is_empty() {
            continue;
        }
        w.write(2, &format!("{title}:\n"));
        for (name, q) in list {
            w.write(3, &format!("{name}:\t{q}\n"));
        }
    }
}

fn probes(w: &mut Writer, c: &Container) {
    for (title, probe) in
        [("Liveness", &c.liveness_probe), ("Readiness", &c.readiness_probe), ("Startup", &c.startup_probe)]
    {
        if let Some(p) = probe {
            w.write(2, &format!("{title}:\t{}\n", describe_probe(p)));
        }
    }
}

/// `DescribeProbe`.
pub fn describe_probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds, p.timeout_seconds, p.period_seconds, p.success_threshold, p.failure_threshold
    );
    if let Some(e) = &p.exec {
        return format!("exec [{}] {attrs}", e.command.join(" "));
    }
    if let Some(h) = &p.http_get {
        let port = h.port.to_string();
        let host = if port.is_empty() { h.host.clone() } else { join_host_port(&h.host, &port) };
        return format!("http-get {} {attrs}", url_string(&h.scheme.to_lowercase(), &host, &h.path));
    }
    if let Some(t) = &p.tcp_socket {
        return format!("tcp-socket {}:{} {attrs}", t.host, t.port);
    }
    if let Some(g) = &p.grpc {
        return format!("grpc <pod>:{} {} {attrs}", g.port, g.service.as_deref().unwrap_or(""));
    }
    format!("unknown {attrs}")
}

/// `net.JoinHostPort`.
fn join_host_port(host: &str, port: &str) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `url.URL{Scheme, Host, Path}.String()`.
fn url_string(scheme: &str, host: &str, path: &str) -> String {
    let mut s = String::new();
    if !scheme.is_empty() {
        s.push_str(scheme);
        s.push(':');
    }
    if !scheme.is_empty() || !host.is_empty() {
        if !host.is_empty() || !path.is_empty() {
            s.push_str("//");
        }
        s.push_str(&escape(host, |c| is_unreserved(c) || "!$&'()*+,;=:[]<>\"".contains(c)));
    }
    let escaped = escape(path, |c| is_unreserved(c) || "$&+,/:;=@".contains(c));
    if !escaped.is_empty() && !escaped.starts_with('/') && !host.is_empty() {
        s.push('/');
    }
    s.push_str(&escaped);
    s
}

fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_.~".contains(c)
}

fn escape(s: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii() && keep(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// `describeContainerEnvFrom`.
fn env_from(w: &mut Writer, c: &Container) {
    w.write(2, "Environment Variables from:\n");
    for e in &c.env_from {
        let (from, name, optional) = if let Some(r) = &e.config_map_ref {
            ("ConfigMap", r.name.as_str(), r.optional.unwrap_or(false))
        } else if let Some(r) = &e.secret_ref {
            ("Secret", r.name.as_str(), r.optional.unwrap_or(false))
        } else {
            ("", "", false)
        };
        if e.prefix.is_empty() {
            w.write(3, &format!("{name}\t{from}\tOptional: {optional}\n"));
        } else {
            w.write(3, &format!("{name}\t{from} with prefix '{}'\tOptional: {optional}\n", e.prefix));
        }
    }
}

/// `describeContainerEnvVars` without a pod to resolve field references against.
fn env(w: &mut Writer, c: &Container) {
    let none = if c.env.is_empty() { "\t<none>" } else { "" };
    w.write(2, &format!("Environment:{none}\n"));
    for e in &c.env {
        let Some(from) = &e.value_from else {
            for (i, line) in e.value.split('\n').enumerate() {
                if i == 0 {
                    w.write(3, &format!("{}:\t{line}\n", e.name));
                } else {
                    w.write(3, &format!("\t{line}\n"));
                }
            }
            continue;
        };
        if let Some(f) = &from.field_ref {
            w.write(3, &format!("{}:\t ({}:{})\n", e.name, f.api_version, f.field_path));
        } else if let Some(r) = &from.resource_field_ref {
            let mut value = container_resource_value(&r.resource, &r.divisor, c).unwrap_or_default();
            if value == "0" && (r.resource == "limits.cpu" || r.resource == "limits.memory") {
                value = "node allocatable".into();
            }
            w.write(3, &format!("{}:\t{value} ({})\n", e.name, r.resource));
        } else if let Some(s) = &from.secret_key_ref {
            let optional = s.optional.unwrap_or(false);
            w.write(
                3,
                &format!("{}:\t<set to the key '{}' in secret '{}'>\tOptional: {optional}\n", e.name, s.key, s.name),
            );
        } else if let Some(m) = &from.config_map_key_ref {
            let optional = m.optional.unwrap_or(false);
            w.write(
                3,
                &format!(
                    "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {optional}\n",
                    e.name, m.key, m.name
                ),
            );
        }
    }
}

/// `resourcehelper.ExtractContainerResourceValue`: the container's request or limit divided by the divisor,
/// rounded up.
fn container_resource_value(resource: &str, divisor: &Quantity, c: &Container) -> Option<String> {
    let one = Quantity::parse("1").ok()?;
    let divisor = if divisor.is_zero() { &one } else { divisor };
    let (list, name) = match resource.split_once('.')? {
        ("limits", n) => (&c.resources.limits, n),
        ("requests", n) => (&c.resources.requests, n),
        _ => return None,
    };
    let standard = matches!(name, "cpu" | "memory" | "ephemeral-storage");
    if !standard && !name.starts_with("hugepages-") {
        return None;
    }
    let zero = Quantity::default();
    let q = list.get(name).unwrap_or(&zero);
    let v = if name == "cpu" {
        (q.milli_value() as f64 / divisor.milli_value() as f64).ceil()
    } else {
        (q.value() as f64 / divisor.value() as f64).ceil()
    };
    Some((v as i64).to_string())
}

/// `describeContainerVolumes`: mounts sorted by path, then devices.
fn mounts(w: &mut Writer, c: &Container) {
    let none = if c.volume_mounts.is_empty() { "\t<none>" } else { "" };
    w.write(2, &format!("Mounts:{none}\n"));
    let mut list: Vec<_> = c.volume_mounts.iter().collect();
    list.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
    for m in list {
        let mut flags = vec![if m.read_only { "ro".to_owned() } else { "rw".to_owned() }];
        if !m.sub_path.is_empty() {
            flags.push(format!("path={}", crate::go::fmt::quote(&m.sub_path)));
        }
        w.write(3, &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")));
    }
    if !c.volume_devices.is_empty() {
        w.write(2, &format!("Devices:{none}\n"));
        let mut list: Vec<_> = c.volume_devices.iter().collect();
        list.sort_by(|a, b| a.device_path.cmp(&b.device_path));
        for d in list {
            w.write(3, &format!("{} from {}\n", d.device_path, d.name));
        }
    }
}

/// `describeTopologySpreadConstraints`, sorted by topology key.
fn topology_spread_constraints(w: &mut Writer, list: &[TopologySpreadConstraint]) {
    if list.is_empty() {
        return;
    }
    let mut sorted: Vec<&TopologySpreadConstraint> = list.iter().collect();
    sorted.sort_by(|a, b| a.topology_key.cmp(&b.topology_key));
    w.write(0, "  Topology Spread Constraints:\t");
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, "  \t");
        }
        let mut line = format!("{}:{} when max skew {} is exceeded", t.topology_key, t.when_unsatisfiable, t.max_skew);
        if let Some(sel) = &t.label_selector {
            let _ = write!(line, " for selector {}", format_label_selector(sel));
        }
        line.push('\n');
        w.write(0, &line);
    }
}

/// `metav1.FormatLabelSelector`: requirements sorted by key, `<none>` for an empty selector.
pub fn format_label_selector(sel: &LabelSelector) -> String {
    let mut reqs: Vec<(String, String)> =
        sel.match_labels.iter().map(|(k, v)| (k.clone(), format!("{k}={v}"))).collect();
    for e in &sel.match_expressions {
        let mut values = e.values.clone();
        values.sort();
        let text = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, values.join(",")),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            _ => return "<error>".into(),
        };
        reqs.push((e.key.clone(), text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    let s: Vec<String> = reqs.into_iter().map(|(_, t)| t).collect();
    if s.is_empty() {
        "<none>".into()
    } else {
        s.join(",")
    }
}

/// `describeVolumes`.
fn volumes(w: &mut Writer, list: &[Volume]) {
    if list.is_empty() {
        w.write(0, "  Volumes:\t<none>\n");
        return;
    }
    w.write(0, "  Volumes:\n");
    for v in list {
        w.write(1, &format!(" {}:\n", v.name));
        volume_source(w, v);
    }
}

fn volume_source(w: &mut Writer, v: &Volume) {
    let b = |x: bool| if x { "true" } else { "false" };
    if let Some(h) = &v.host_path {
        w.write(
            2,
            &format!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                h.path,
                h.r#type.as_deref().unwrap_or("<none>")
            ),
        );
    } else if let Some(e) = &v.empty_dir {
        let limit =
            e.size_limit.as_ref().filter(|q| q.sign() > 0).map(|q| q.to_string()).unwrap_or_else(|| "<unset>".into());
        w.write(
            2,
            &format!(
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{limit}\n",
                e.medium
            ),
        );
    } else if let Some(g) = &v.gce_persistent_disk {
        w.write(
            2,
            &format!(
                "Type:\tGCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)\n    PDName:\t{}\n    FSType:\t{}\n    Partition:\t{}\n    ReadOnly:\t{}\n",
                g.pd_name, g.fs_type, g.partition, b(g.read_only)
            ),
        );
    } else if let Some(a) = &v.aws_elastic_block_store {
        w.write(
            2,
            &format!(
                "Type:\tAWSElasticBlockStore (a Persistent Disk resource in AWS)\n    VolumeID:\t{}\n    FSType:\t{}\n    Partition:\t{}\n    ReadOnly:\t{}\n",
                a.volume_id, a.fs_type, a.partition, b(a.read_only)
            ),
        );
    } else if let Some(g) = &v.git_repo {
        w.write(
            2,
            &format!(
                "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n    Repository:\t{}\n    Revision:\t{}\n",
                g.repository, g.revision
            ),
        );
    } else if let Some(s) = &v.secret {
        w.write(
            2,
            &format!(
                "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                s.secret_name,
                b(s.optional.unwrap_or(false))
            ),
        );
    } else if let Some(c) = &v.config_map {
        w.write(
            2,
            &format!(
                "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                c.name,
                b(c.optional.unwrap_or(false))
            ),
        );
    } else if let Some(n) = &v.nfs {
        w.write(
            2,
            &format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                n.server,
                n.path,
                b(n.read_only)
            ),
        );
    } else if v.iscsi.is_some() {
        w.write(2, "Type:\tISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)\n");
    } else if let Some(g) = &v.glusterfs {
        w.write(
            2,
            &format!(
                "Type:\tGlusterfs (a Glusterfs mount on the host that shares a pod's lifetime)\n    EndpointsName:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                g.endpoints,
                g.path,
                b(g.read_only)
            ),
        );
    } else if let Some(c) = &v.persistent_volume_claim {
        w.write(
            2,
            &format!(
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                c.claim_name,
                b(c.read_only)
            ),
        );
    } else if v.ephemeral.is_some() {
        w.write(
            2,
            "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n",
        );
    } else if v.rbd.is_some() {
        w.write(2, "Type:\tRBD (a Rados Block Device mount on the host that shares a pod's lifetime)\n");
    } else if let Some(q) = &v.quobyte {
        w.write(
            2,
            &format!(
                "Type:\tQuobyte (a Quobyte mount on the host that shares a pod's lifetime)\n    Registry:\t{}\n    Volume:\t{}\n    ReadOnly:\t{}\n",
                q.registry,
                q.volume,
                b(q.read_only)
            ),
        );
    } else if let Some(d) = &v.downward_api {
        w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
        for item in &d.items {
            if let Some(f) = &item.field_ref {
                w.write(3, &format!("{} -> {}\n", f.field_path, item.path));
            }
            if let Some(r) = &item.resource_field_ref {
                w.write(3, &format!("{} -> {}\n", r.resource, item.path));
            }
        }
    } else if v.azure_disk.is_some() {
        w.write(2, "Type:\tAzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)\n");
    } else if let Some(s) = &v.vsphere_volume {
        w.write(
            2,
            &format!(
                "Type:\tvSphereVolume (a Persistent Disk resource in vSphere)\n    VolumePath:\t{}\n    FSType:\t{}\n    StoragePolicyName:\t{}\n",
                s.volume_path, s.fs_type, s.storage_policy_name
            ),
        );
    } else if v.cinder.is_some() {
        w.write(2, "Type:\tCinder (a Persistent Disk resource in OpenStack)\n");
    } else if let Some(p) = &v.photon_persistent_disk {
        w.write(
            2,
            &format!(
                "Type:\tPhotonPersistentDisk (a Persistent Disk resource in photon platform)\n    PdID:\t{}\n    FSType:\t{}\n",
                p.pd_id, p.fs_type
            ),
        );
    } else if let Some(p) = &v.portworx_volume {
        w.write(2, &format!("Type:\tPortworxVolume (a Portworx Volume resource)\n    VolumeID:\t{}\n", p.volume_id));
    } else if v.scale_io.is_some() {
        w.write(2, "Type:\tScaleIO (a persistent volume backed by a block device in ScaleIO)\n");
    } else if v.cephfs.is_some() {
        w.write(2, "Type:\tCephFS (a CephFS mount on the host that shares a pod's lifetime)\n");
    } else if let Some(s) = &v.storageos {
        w.write(
            2,
            &format!(
                "Type:\tStorageOS (a StorageOS Persistent Disk resource)\n    VolumeName:\t{}\n    VolumeNamespace:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                s.volume_name,
                s.volume_namespace,
                s.fs_type,
                b(s.read_only)
            ),
        );
    } else if let Some(f) = &v.fc {
        let lun = f.lun.map(|l| l.to_string()).unwrap_or_else(|| "<none>".into());
        w.write(
            2,
            &format!(
                "Type:\tFC (a Fibre Channel disk)\n    TargetWWNs:\t{}\n    LUN:\t{lun}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                f.target_ww_ns.join(", "),
                f.fs_type,
                b(f.read_only)
            ),
        );
    } else if let Some(a) = &v.azure_file {
        w.write(
            2,
            &format!(
                "Type:\tAzureFile (an Azure File Service mount on the host and bind mount to the pod)\n    SecretName:\t{}\n    ShareName:\t{}\n    ReadOnly:\t{}\n",
                a.secret_name,
                a.share_name,
                b(a.read_only)
            ),
        );
    } else if v.flex_volume.is_some() {
        w.write(
            2,
            "Type:\tFlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)\n",
        );
    } else if let Some(f) = &v.flocker {
        w.write(
            2,
            &format!(
                "Type:\tFlocker (a Flocker volume mounted by the Flocker agent)\n    DatasetName:\t{}\n    DatasetUUID:\t{}\n",
                f.dataset_name, f.dataset_uuid
            ),
        );
    } else if let Some(p) = &v.projected {
        w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
        for s in &p.sources {
            if let Some(sec) = &s.secret {
                w.write(
                    2,
                    &format!("SecretName:\t{}\n    SecretOptionalName:\t{}\n", sec.name, opt_bool(sec.optional)),
                );
            } else if s.downward_api.is_some() {
                w.write(2, "DownwardAPI:\ttrue\n");
            } else if let Some(cm) = &s.config_map {
                w.write(
                    2,
                    &format!("ConfigMapName:\t{}\n    ConfigMapOptional:\t{}\n", cm.name, opt_bool(cm.optional)),
                );
            } else if let Some(t) = &s.service_account_token {
                w.write(2, &format!("TokenExpirationSeconds:\t{}\n", t.expiration_seconds.unwrap_or(0)));
            }
        }
    } else if let Some(c) = &v.csi {
        w.write(
            2,
            &format!(
                "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                c.driver,
                c.fs_type.as_deref().unwrap_or(""),
                b(c.read_only.unwrap_or(false))
            ),
        );
        w.write(2, "VolumeAttributes:\t");
        if c.volume_attributes.is_empty() {
            w.write(0, "<none>\n");
        }
        for (i, (k, val)) in c.volume_attributes.iter().enumerate() {
            if i != 0 {
                w.write(2, "");
                w.write(2, "\t");
            }
            w.write(2, &format!("{}\n", shorten_plain(&format!("{k}={val}"))));
        }
    } else if let Some(i) = &v.image {
        w.write(
            2,
            &format!(
                "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
                i.reference, i.pull_policy
            ),
        );
    } else {
        w.write(1, "<unknown>\n");
    }
}

/// A CSI volume attribute line, cut at 140 bytes with `...`.
fn shorten_plain(line: &str) -> String {
    if line.len() > MAX_ANNOTATION_LEN {
        let mut end = MAX_ANNOTATION_LEN;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &line[..end])
    } else {
        line.to_owned()
    }
}

/// A `*bool` as kubeplan prints it where kubectl prints the pointer: the value, or `<nil>`.
fn opt_bool(v: Option<bool>) -> String {
    v.map(|b| b.to_string()).unwrap_or_else(|| "<nil>".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(yaml: &str) -> PodTemplateSpec {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn minimal_template_as_kubectl_prints_it() {
        let t = template(
            "metadata: {labels: {app: web, tier: fe}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1\n    ports: [{containerPort: 80, protocol: TCP}]\n",
        );
        assert_eq!(
            pod_template(&t),
            "Pod Template:\n  Labels:\tapp=web\n\ttier=fe\n  Containers:\n   web:\n    Image:\tnginx:1\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n"
        );
    }

    #[test]
    fn resources_env_mounts_volumes_tolerations() {
        let t = template(concat!(
            "metadata: {labels: {app: a}, annotations: {kubernetes.io/change-cause: 'kubectl set image ds/a a=b'}}\n",
            "spec:\n",
            "  serviceAccountName: sa\n",
            "  priorityClassName: high\n",
            "  nodeSelector: {disk: ssd}\n",
            "  tolerations: [{key: b, operator: Exists, effect: NoSchedule}, {operator: Exists}, {key: a, operator: Equal, value: x, effect: NoExecute, tolerationSeconds: 30}]\n",
            "  containers:\n",
            "  - name: a\n",
            "    image: b\n",
            "    command: [sh, -c]\n",
            "    args: ['echo 1']\n",
            "    resources: {limits: {memory: 128Mi}, requests: {cpu: 100m, memory: 64Mi}}\n",
            "    env: [{name: X, value: '1'}, {name: P, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.name}}}, {name: L, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}]\n",
            "    volumeMounts: [{name: data, mountPath: /data}, {name: cfg, mountPath: /cfg, readOnly: true, subPath: x}]\n",
            "    readinessProbe: {httpGet: {path: /healthz, port: 8080, scheme: HTTP}, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3}\n",
            "  volumes: [{name: data, emptyDir: {}}, {name: cfg, configMap: {name: c}}]\n",
        ));
        let expected = concat!(
            "Pod Template:\n",
            "  Labels:\tapp=a\n",
            "  Annotations:\tkubernetes.io/change-cause: kubectl set image ds/a a=b\n",
            "  Service Account:\tsa\n",
            "  Containers:\n",
            "   a:\n",
            "    Image:\tb\n",
            "    Port:\t<none>\n",
            "    Host Port:\t<none>\n",
            "    Command:\n      sh\n      -c\n",
            "    Args:\n      echo 1\n",
            "    Limits:\n      memory:\t128Mi\n",
            "    Requests:\n      cpu:\t100m\n      memory:\t64Mi\n",
            "    Readiness:\thttp-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3\n",
            "    Environment:\n      X:\t1\n      P:\t (v1:metadata.name)\n      L:\tnode allocatable (limits.cpu)\n",
            "    Mounts:\n      /cfg from cfg (ro,path=\"x\")\n      /data from data (rw)\n",
            "  Volumes:\n",
            "   data:\n    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t\n    SizeLimit:\t<unset>\n",
            "   cfg:\n    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\tc\n    Optional:\tfalse\n",
            "  Priority Class Name:\thigh\n",
            "  Node-Selectors:\tdisk=ssd\n",
            "  Tolerations:\top=Exists\n\ta=x:NoExecute for 30s\n\tb:NoSchedule op=Exists\n",
        );
        assert_eq!(pod_template(&t), expected);
    }

    #[test]
    fn label_selector_text() {
        let sel: LabelSelector = serde_saphyr::from_str(
            "{matchLabels: {b: '1'}, matchExpressions: [{key: a, operator: In, values: [y, x]}, {key: c, operator: DoesNotExist}]}",
        )
        .unwrap();
        assert_eq!(format_label_selector(&sel), "a in (x,y),b=1,!c");
        assert_eq!(format_label_selector(&LabelSelector::default()), "<none>");
    }
}
