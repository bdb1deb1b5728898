//! Defaults of the core group (`pkg/apis/core/v1/defaults.go` and the generated `zz_generated.defaults.go`).
//!
//! Two layers, as in Go:
//! - the hand-written `SetDefaults_<Type>` functions, one Rust function each (`default_pod_spec`,
//!   `default_container`, `default_probe`, …);
//! - the generated `SetObjectDefaults_<Kind>` walkers, which call those functions on every nested value and also
//!   apply the `+default=` markers of the Go types (ports' protocol, iSCSI interface, RBD pool, Azure disk, ScaleIO,
//!   gRPC service). Here they are [`default_pod`], [`default_pod_template`] and the kind functions.
//!
//! `SetDefaults_Pod` runs for Pods only. Templates (DaemonSet, Deployment, ReplicaSet, StatefulSet, Job) get only
//! `SetDefaults_PodSpec` and the nested defaults, so a template never gains `enableServiceLinks`, requests copied
//! from limits, or hostNetwork host ports: those appear on the Pods the controllers create.

use std::collections::BTreeMap;

use super::features;
use super::image::image_tag;
use crate::api::core_v1::{
    ConfigMap, Container, ContainerPort, Endpoints, EnvVar, EphemeralContainer, HTTPGetAction, Lifecycle, LimitRange,
    Namespace, Node, NodeStatus, ObjectFieldSelector, PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec,
    Pod, PodSpec, PodTemplate, PodTemplateSpec, Probe, ReplicationController, ResourceQuota, ResourceRequirements,
    Secret, Service, ServiceAccount, Volume, VolumeProjection,
};
use crate::api::{IntOrString, Quantity};

/// `v1.TerminationMessagePathDefault`.
pub const TERMINATION_MESSAGE_PATH_DEFAULT: &str = "/dev/termination-log";
/// `v1.DefaultTerminationGracePeriodSeconds`.
pub const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;
/// `v1.DefaultSchedulerName`.
pub const DEFAULT_SCHEDULER_NAME: &str = "default-scheduler";
/// Mode 0644, the default of secret, configMap, downwardAPI and projected volumes (`*VolumeSourceDefaultMode`).
pub const VOLUME_DEFAULT_MODE: i32 = 0o644;
/// One hour, the default lifetime of a projected service account token.
pub const SERVICE_ACCOUNT_TOKEN_EXPIRATION_SECONDS: i64 = 3600;
/// `v1.DefaultClientIPServiceAffinitySeconds`: three hours.
pub const DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS: i32 = 10800;
/// `v1.LabelMetadataName`: the label every named Namespace carries with its own name.
pub const LABEL_METADATA_NAME: &str = "kubernetes.io/metadata.name";

// ---------------------------------------------------------------------------------------------------------------
// Whole objects (the generated `SetObjectDefaults_*`)
// ---------------------------------------------------------------------------------------------------------------

/// `SetObjectDefaults_Pod`: `SetDefaults_Pod` first (so requests copied from limits are rounded like the rest),
/// then everything a pod spec gets, then the resource lists of the status.
pub fn default_pod(pod: &mut Pod) {
    default_pod_only(pod);
    default_pod_spec_tree(&mut pod.spec);
    for s in pod
        .status
        .init_container_statuses
        .iter_mut()
        .chain(pod.status.container_statuses.iter_mut())
        .chain(pod.status.ephemeral_container_statuses.iter_mut())
    {
        default_resource_list(&mut s.allocated_resources);
        if let Some(r) = s.resources.as_deref_mut() {
            default_resource_requirements(r);
        }
    }
}

/// The part of `SetObjectDefaults_DaemonSet` (and of every other workload's) that walks `spec.template`:
/// `SetDefaults_PodSpec` and the nested defaults, but not `SetDefaults_Pod`.
pub fn default_pod_template(template: &mut PodTemplateSpec) {
    default_pod_spec_tree(&mut template.spec);
}

/// Everything the generated walkers apply under a `PodSpec`: `SetDefaults_PodSpec`, volumes, init, regular and
/// ephemeral containers, overhead and pod-level resources.
pub fn default_pod_spec_tree(spec: &mut PodSpec) {
    default_pod_spec(spec);
    spec.volumes.iter_mut().for_each(default_volume);
    spec.init_containers.iter_mut().for_each(default_container);
    spec.containers.iter_mut().for_each(default_container);
    spec.ephemeral_containers.iter_mut().for_each(default_ephemeral_container);
    default_resource_list(&mut spec.overhead);
    if let Some(r) = spec.resources.as_deref_mut() {
        default_resource_list(&mut r.limits);
        default_resource_list(&mut r.requests);
    }
}

/// `SetObjectDefaults_Node`: allocatable from capacity, then both rounded.
///
/// Go tells a missing `allocatable` from an empty one; kubeplan's maps cannot, so an explicit `allocatable: {}`
/// is treated as missing.
pub fn default_node(node: &mut Node) {
    default_node_status(&mut node.status);
    default_resource_list(&mut node.status.capacity);
    default_resource_list(&mut node.status.allocatable);
}

/// `SetObjectDefaults_Namespace`: the name label and the `Active` phase.
pub fn default_namespace(ns: &mut Namespace) {
    if !ns.metadata.name.is_empty() {
        ns.metadata.labels.insert(LABEL_METADATA_NAME.to_owned(), ns.metadata.name.clone());
    }
    if ns.status.phase.is_empty() {
        ns.status.phase = "Active".to_owned();
    }
}

/// `SetObjectDefaults_Service`: `SetDefaults_Service`, then each port's protocol (already set there).
///
/// Only defaulting: the cluster IPs, `ipFamilies` and `ipFamilyPolicy` are chosen later by the Service REST
/// storage's allocators, and node ports by the node-port allocator; none of that happens here.
pub fn default_service(svc: &mut Service) {
    let spec = &mut svc.spec;
    if spec.session_affinity.is_empty() {
        spec.session_affinity = "None".to_owned();
    }
    if spec.session_affinity == "None" {
        spec.session_affinity_config = None;
    }
    if spec.session_affinity == "ClientIP" {
        let has_timeout = spec
            .session_affinity_config
            .as_ref()
            .and_then(|c| c.client_ip.as_ref())
            .is_some_and(|c| c.timeout_seconds.is_some());
        if !has_timeout {
            spec.session_affinity_config = Some(Box::new(crate::api::core_v1::SessionAffinityConfig {
                client_ip: Some(Box::new(crate::api::core_v1::ClientIPConfig {
                    timeout_seconds: Some(DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS),
                })),
            }));
        }
    }
    if spec.r#type.is_empty() {
        spec.r#type = "ClusterIP".to_owned();
    }
    for p in &mut spec.ports {
        if p.protocol.is_empty() {
            p.protocol = "TCP".to_owned();
        }
        let unset = matches!(&p.target_port, IntOrString::Int(0))
            || matches!(&p.target_port, IntOrString::String(s) if s.is_empty());
        if unset {
            p.target_port = IntOrString::Int(p.port);
        }
    }
    if service_externally_accessible(svc) && svc.spec.external_traffic_policy.is_empty() {
        svc.spec.external_traffic_policy = "Cluster".to_owned();
    }
    let spec = &mut svc.spec;
    if spec.internal_traffic_policy.is_none()
        && matches!(spec.r#type.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP")
    {
        spec.internal_traffic_policy = Some("Cluster".to_owned());
    }
    if spec.r#type == "LoadBalancer" {
        if spec.allocate_load_balancer_node_ports.is_none() {
            spec.allocate_load_balancer_node_ports = Some(true);
        }
        if features::LOAD_BALANCER_IP_MODE {
            for ing in &mut svc.status.load_balancer.ingress {
                if !ing.ip.is_empty() && ing.ip_mode.is_none() {
                    ing.ip_mode = Some("VIP".to_owned());
                }
            }
        }
    }
}

/// `service.ExternallyAccessible`: LoadBalancer and NodePort Services, and ClusterIP Services with external IPs.
pub fn service_externally_accessible(svc: &Service) -> bool {
    let t = svc.spec.r#type.as_str();
    t == "LoadBalancer" || t == "NodePort" || (t == "ClusterIP" && !svc.spec.external_ips.is_empty())
}

/// The defaults of a StatefulSet's `volumeClaimTemplates[]` entry (from `SetObjectDefaults_StatefulSet`):
/// `SetDefaults_PersistentVolumeClaim`, `SetDefaults_PersistentVolumeClaimSpec` and the resource lists.
pub fn default_persistent_volume_claim(pvc: &mut PersistentVolumeClaim) {
    if pvc.status.phase.is_empty() {
        pvc.status.phase = "Pending".to_owned();
    }
    default_persistent_volume_claim_spec(&mut pvc.spec);
    default_resource_list(&mut pvc.status.capacity);
    default_resource_list(&mut pvc.status.allocated_resources);
}

// ---------------------------------------------------------------------------------------------------------------
// Hand-written `SetDefaults_*`
// ---------------------------------------------------------------------------------------------------------------

/// `SetDefaults_Pod`: what only a Pod (never a template) gets.
///
/// - each regular and init container's `requests` gains every limit it does not name (so a pod that sets only
///   limits is scheduled by them);
/// - `enableServiceLinks: true`;
/// - with `hostNetwork`, each regular and init container port's `hostPort` defaults to its `containerPort`.
///
/// The resize policy (InPlacePodVerticalScaling) and pod-level requests (PodLevelResources) are behind gates that
/// are off in v1.32; the first is written out for completeness, the second is not modelled.
pub fn default_pod_only(pod: &mut Pod) {
    for c in pod.spec.containers.iter_mut().chain(pod.spec.init_containers.iter_mut()) {
        requests_from_limits(&mut c.resources);
    }
    if features::IN_PLACE_POD_VERTICAL_SCALING {
        pod.spec.containers.iter_mut().for_each(default_resize_policy);
    }
    // `defaultPodRequests` (pod-level requests from the containers' and the pod's limits) runs only with
    // PodLevelResources, which is off in v1.32; `spec.resources` is then dropped on create anyway.
    if pod.spec.enable_service_links.is_none() {
        pod.spec.enable_service_links = Some(true);
    }
    if pod.spec.host_network {
        for c in pod.spec.containers.iter_mut().chain(pod.spec.init_containers.iter_mut()) {
            default_host_network_ports(&mut c.ports);
        }
    }
}

/// The loop of `SetDefaults_Pod` that copies each limit into `requests` when `requests` does not name it.
fn requests_from_limits(r: &mut ResourceRequirements) {
    for (name, q) in &r.limits {
        r.requests.entry(name.clone()).or_insert_with(|| q.clone());
    }
}

/// The InPlacePodVerticalScaling branch of `SetDefaults_Pod`: `NotRequired` resize policies for cpu and memory
/// requests. Unused while the gate is off.
fn default_resize_policy(c: &mut Container) {
    for res in ["cpu", "memory"] {
        if c.resources.requests.contains_key(res) && !c.resize_policy.iter().any(|p| p.resource_name == res) {
            c.resize_policy.push(crate::api::core_v1::ContainerResizePolicy {
                resource_name: res.to_owned(),
                restart_policy: "NotRequired".to_owned(),
            });
        }
    }
}

/// `defaultHostNetworkPorts`: with host networking a port is always a host port.
fn default_host_network_ports(ports: &mut [ContainerPort]) {
    for p in ports {
        if p.host_port == 0 {
            p.host_port = p.container_port;
        }
    }
}

/// `SetDefaults_PodSpec`: the defaults shared by Pods and every pod template (they take part in template hashes).
pub fn default_pod_spec(spec: &mut PodSpec) {
    if spec.dns_policy.is_empty() {
        spec.dns_policy = "ClusterFirst".to_owned();
    }
    if spec.restart_policy.is_empty() {
        spec.restart_policy = "Always".to_owned();
    }
    if spec.security_context.is_none() {
        spec.security_context = Some(Box::default());
    }
    if spec.termination_grace_period_seconds.is_none() {
        spec.termination_grace_period_seconds = Some(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    }
    if spec.scheduler_name.is_empty() {
        spec.scheduler_name = DEFAULT_SCHEDULER_NAME.to_owned();
    }
}

/// `SetDefaults_Container` and the generated defaults under a container (ports, env, resources, probes,
/// lifecycle handlers).
pub fn default_container(c: &mut Container) {
    default_image_pull_policy(&c.image, &mut c.image_pull_policy);
    default_termination_message(&mut c.termination_message_path, &mut c.termination_message_policy);
    default_container_parts(
        &mut c.ports,
        &mut c.env,
        &mut c.resources,
        [&mut c.liveness_probe, &mut c.readiness_probe, &mut c.startup_probe],
        &mut c.lifecycle,
    );
}

/// `SetDefaults_EphemeralContainer` (which is `SetDefaults_Container` on the common part) and the generated
/// defaults under it.
pub fn default_ephemeral_container(c: &mut EphemeralContainer) {
    default_image_pull_policy(&c.image, &mut c.image_pull_policy);
    default_termination_message(&mut c.termination_message_path, &mut c.termination_message_policy);
    default_container_parts(
        &mut c.ports,
        &mut c.env,
        &mut c.resources,
        [&mut c.liveness_probe, &mut c.readiness_probe, &mut c.startup_probe],
        &mut c.lifecycle,
    );
}

/// The `imagePullPolicy` rule of `SetDefaults_Container`: `Always` when the image's tag is `latest` (which a
/// reference without tag or digest parses to), else `IfNotPresent` (digest-only and unparsable references too).
pub fn default_image_pull_policy(image: &str, policy: &mut String) {
    if policy.is_empty() {
        *policy = if image_tag(image) == "latest" { "Always" } else { "IfNotPresent" }.to_owned();
    }
}

/// The termination-message rules of `SetDefaults_Container`.
fn default_termination_message(path: &mut String, policy: &mut String) {
    if path.is_empty() {
        *path = TERMINATION_MESSAGE_PATH_DEFAULT.to_owned();
    }
    if policy.is_empty() {
        *policy = "File".to_owned();
    }
}

/// What the generated walkers do under any kind of container.
fn default_container_parts(
    ports: &mut [ContainerPort],
    env: &mut [EnvVar],
    resources: &mut ResourceRequirements,
    probes: [&mut Option<Box<Probe>>; 3],
    lifecycle: &mut Option<Box<Lifecycle>>,
) {
    for p in ports {
        if p.protocol.is_empty() {
            p.protocol = "TCP".to_owned();
        }
    }
    for e in env {
        if let Some(f) = e.value_from.as_deref_mut().and_then(|v| v.field_ref.as_deref_mut()) {
            default_object_field_selector(f);
        }
    }
    default_resource_requirements(resources);
    for p in probes.into_iter().flatten() {
        default_probe(p);
    }
    if let Some(l) = lifecycle.as_deref_mut() {
        for h in [l.post_start.as_deref_mut(), l.pre_stop.as_deref_mut()].into_iter().flatten() {
            if let Some(g) = h.http_get.as_deref_mut() {
                default_http_get_action(g);
            }
        }
    }
}

/// `SetDefaults_ResourceList` on both lists of a `ResourceRequirements`.
fn default_resource_requirements(r: &mut ResourceRequirements) {
    default_resource_list(&mut r.limits);
    default_resource_list(&mut r.requests);
}

/// `SetDefaults_ResourceList`: every quantity rounded up to milli precision (`1.0001` becomes `1001m`).
pub fn default_resource_list(list: &mut BTreeMap<String, Quantity>) {
    for q in list.values_mut() {
        q.round_up(-3);
    }
}

/// `SetDefaults_Probe` and the generated defaults of its handler: thresholds and period, `path: /` and
/// `scheme: HTTP` for HTTP probes, `service: ""` for gRPC probes.
pub fn default_probe(p: &mut Probe) {
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
    if let Some(g) = p.http_get.as_deref_mut() {
        default_http_get_action(g);
    }
    if let Some(g) = p.grpc.as_deref_mut() {
        if g.service.is_none() {
            g.service = Some(String::new());
        }
    }
}

/// `SetDefaults_HTTPGetAction`.
pub fn default_http_get_action(a: &mut HTTPGetAction) {
    if a.path.is_empty() {
        a.path = "/".to_owned();
    }
    if a.scheme.is_empty() {
        a.scheme = "HTTP".to_owned();
    }
}

/// `SetDefaults_ObjectFieldSelector`: field references are to `v1` fields unless they say otherwise.
pub fn default_object_field_selector(f: &mut ObjectFieldSelector) {
    if f.api_version.is_empty() {
        f.api_version = "v1".to_owned();
    }
}

/// `SetDefaults_Volume` and the generated defaults of each volume source.
///
/// - a volume with no source becomes `emptyDir: {}`;
/// - `hostPath.type: ""`;
/// - `defaultMode: 420` (0644) for secret, configMap, downwardAPI and projected volumes;
/// - downward API field references get `apiVersion: v1`, service account tokens `expirationSeconds: 3600`;
/// - iSCSI `iscsiInterface: default`; RBD `pool: rbd`, `user: admin`, `keyring: /etc/ceph/keyring`;
///   Azure disk `cachingMode: ReadWrite`, `fsType: ext4`, `readOnly: false`, `kind: Shared`;
///   ScaleIO `storageMode: ThinProvisioned`, `fsType: xfs`;
/// - an ephemeral volume's claim template gets the claim spec defaults.
pub fn default_volume(v: &mut Volume) {
    if !has_volume_source(v) {
        v.empty_dir = Some(Box::default());
    }
    if features::IMAGE_VOLUME {
        if let Some(img) = v.image.as_deref_mut() {
            default_image_pull_policy(&img.reference, &mut img.pull_policy);
        }
    }
    if let Some(h) = v.host_path.as_deref_mut() {
        if h.r#type.is_none() {
            h.r#type = Some(String::new());
        }
    }
    if let Some(s) = v.secret.as_deref_mut() {
        s.default_mode.get_or_insert(VOLUME_DEFAULT_MODE);
    }
    if let Some(i) = v.iscsi.as_deref_mut() {
        if i.iscsi_interface.is_empty() {
            i.iscsi_interface = "default".to_owned();
        }
    }
    if let Some(r) = v.rbd.as_deref_mut() {
        if r.pool.is_empty() {
            r.pool = "rbd".to_owned();
        }
        if r.user.is_empty() {
            r.user = "admin".to_owned();
        }
        if r.keyring.is_empty() {
            r.keyring = "/etc/ceph/keyring".to_owned();
        }
    }
    if let Some(d) = v.downward_api.as_deref_mut() {
        d.default_mode.get_or_insert(VOLUME_DEFAULT_MODE);
        for item in &mut d.items {
            if let Some(f) = item.field_ref.as_deref_mut() {
                default_object_field_selector(f);
            }
        }
    }
    if let Some(c) = v.config_map.as_deref_mut() {
        c.default_mode.get_or_insert(VOLUME_DEFAULT_MODE);
    }
    if let Some(a) = v.azure_disk.as_deref_mut() {
        a.caching_mode.get_or_insert_with(|| "ReadWrite".to_owned());
        a.fs_type.get_or_insert_with(|| "ext4".to_owned());
        a.read_only.get_or_insert(false);
        a.kind.get_or_insert_with(|| "Shared".to_owned());
    }
    if let Some(p) = v.projected.as_deref_mut() {
        p.default_mode.get_or_insert(VOLUME_DEFAULT_MODE);
        p.sources.iter_mut().for_each(default_volume_projection);
    }
    if let Some(s) = v.scale_io.as_deref_mut() {
        if s.storage_mode.is_empty() {
            s.storage_mode = "ThinProvisioned".to_owned();
        }
        if s.fs_type.is_empty() {
            s.fs_type = "xfs".to_owned();
        }
    }
    if let Some(t) = v.ephemeral.as_deref_mut().and_then(|e| e.volume_claim_template.as_deref_mut()) {
        default_persistent_volume_claim_spec(&mut t.spec);
    }
}

/// The generated defaults of one projected volume source: downward API field references and service account
/// token lifetimes (`SetDefaults_ServiceAccountTokenProjection`).
fn default_volume_projection(s: &mut VolumeProjection) {
    if let Some(d) = s.downward_api.as_deref_mut() {
        for item in &mut d.items {
            if let Some(f) = item.field_ref.as_deref_mut() {
                default_object_field_selector(f);
            }
        }
    }
    if let Some(t) = s.service_account_token.as_deref_mut() {
        t.expiration_seconds.get_or_insert(SERVICE_ACCOUNT_TOKEN_EXPIRATION_SECONDS);
    }
}

/// `ptr.AllPtrFieldsNil(&VolumeSource)` negated: whether the volume names any source.
fn has_volume_source(v: &Volume) -> bool {
    v.host_path.is_some()
        || v.empty_dir.is_some()
        || v.gce_persistent_disk.is_some()
        || v.aws_elastic_block_store.is_some()
        || v.git_repo.is_some()
        || v.secret.is_some()
        || v.nfs.is_some()
        || v.iscsi.is_some()
        || v.glusterfs.is_some()
        || v.persistent_volume_claim.is_some()
        || v.rbd.is_some()
        || v.flex_volume.is_some()
        || v.cinder.is_some()
        || v.cephfs.is_some()
        || v.flocker.is_some()
        || v.downward_api.is_some()
        || v.fc.is_some()
        || v.azure_file.is_some()
        || v.config_map.is_some()
        || v.vsphere_volume.is_some()
        || v.quobyte.is_some()
        || v.azure_disk.is_some()
        || v.photon_persistent_disk.is_some()
        || v.projected.is_some()
        || v.portworx_volume.is_some()
        || v.scale_io.is_some()
        || v.storageos.is_some()
        || v.csi.is_some()
        || v.ephemeral.is_some()
        || v.image.is_some()
}

/// `SetDefaults_PersistentVolumeClaimSpec` (`volumeMode: Filesystem`) and the rounding of its resource lists.
pub fn default_persistent_volume_claim_spec(spec: &mut PersistentVolumeClaimSpec) {
    spec.volume_mode.get_or_insert_with(|| "Filesystem".to_owned());
    default_resource_list(&mut spec.resources.limits);
    default_resource_list(&mut spec.resources.requests);
}

/// `SetDefaults_NodeStatus`: a node that reports only its capacity can allocate all of it.
pub fn default_node_status(status: &mut NodeStatus) {
    if status.allocatable.is_empty() && !status.capacity.is_empty() {
        status.allocatable = status.capacity.clone();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The other core kinds
// ---------------------------------------------------------------------------------------------------------------

/// `SetObjectDefaults_ConfigMap`: `SetDefaults_ConfigMap` makes a nil `data` empty, which JSON does not show.
pub fn default_config_map(_cm: &mut ConfigMap) {}

/// `SetObjectDefaults_Secret`: `type: Opaque` unless given. Also the v1 conversion
/// (`Convert_v1_Secret_To_core_Secret`): every `stringData` entry overwrites the `data` entry of its key, and
/// `stringData` itself is not stored.
pub fn default_secret(secret: &mut Secret) {
    if secret.r#type.is_empty() {
        secret.r#type = "Opaque".to_owned();
    }
    for (k, v) in std::mem::take(&mut secret.string_data) {
        secret.data.insert(k, crate::api::Bytes(v.into_bytes()));
    }
}

/// `SetObjectDefaults_Endpoints`: each port's protocol is `TCP` unless given.
pub fn default_endpoints(ep: &mut Endpoints) {
    for port in ep.subsets.iter_mut().flat_map(|s| s.ports.iter_mut()) {
        if port.protocol.is_empty() {
            port.protocol = "TCP".to_owned();
        }
    }
}

/// `SetObjectDefaults_PersistentVolume`: phase `Pending`, reclaim policy `Retain`, `volumeMode: Filesystem`, the
/// capacity rounded, and the `+default` markers of the volume sources it can hold.
pub fn default_persistent_volume(pv: &mut PersistentVolume) {
    if pv.status.phase.is_empty() {
        pv.status.phase = "Pending".to_owned();
    }
    if pv.spec.persistent_volume_reclaim_policy.is_empty() {
        pv.spec.persistent_volume_reclaim_policy = "Retain".to_owned();
    }
    pv.spec.volume_mode.get_or_insert_with(|| "Filesystem".to_owned());
    default_resource_list(&mut pv.spec.capacity);
    let src = &mut pv.spec;
    if let Some(h) = src.host_path.as_deref_mut() {
        h.r#type.get_or_insert_with(String::new);
    }
    if let Some(rbd) = src.rbd.as_deref_mut() {
        default_str(&mut rbd.pool, "rbd");
        default_str(&mut rbd.user, "admin");
        default_str(&mut rbd.keyring, "/etc/ceph/keyring");
    }
    if let Some(iscsi) = src.iscsi.as_deref_mut() {
        default_str(&mut iscsi.iscsi_interface, "default");
    }
    if let Some(az) = src.azure_disk.as_deref_mut() {
        az.caching_mode.get_or_insert_with(|| "ReadWrite".to_owned());
        az.fs_type.get_or_insert_with(|| "ext4".to_owned());
        az.read_only.get_or_insert(false);
        az.kind.get_or_insert_with(|| "Shared".to_owned());
    }
    if let Some(sio) = src.scale_io.as_deref_mut() {
        default_str(&mut sio.storage_mode, "ThinProvisioned");
        default_str(&mut sio.fs_type, "xfs");
    }
}

fn default_str(field: &mut String, value: &str) {
    if field.is_empty() {
        *field = value.to_owned();
    }
}

/// `SetObjectDefaults_LimitRange`: for `Container` limits, the default limit comes from `max`, the default
/// request from the default limit, then from `min`; every list is rounded.
pub fn default_limit_range(lr: &mut LimitRange) {
    for item in &mut lr.spec.limits {
        if item.r#type == "Container" {
            for (k, v) in &item.max {
                item.default.entry(k.clone()).or_insert_with(|| v.clone());
            }
            for (k, v) in &item.default {
                item.default_request.entry(k.clone()).or_insert_with(|| v.clone());
            }
            for (k, v) in &item.min {
                item.default_request.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        for list in [&mut item.max, &mut item.min, &mut item.default, &mut item.default_request, &mut item.max_limit_request_ratio] {
            default_resource_list(list);
        }
    }
}

/// `SetObjectDefaults_ResourceQuota`: the hard limits and the status lists rounded.
pub fn default_resource_quota(rq: &mut ResourceQuota) {
    default_resource_list(&mut rq.spec.hard);
    default_resource_list(&mut rq.status.hard);
    default_resource_list(&mut rq.status.used);
}

/// `SetObjectDefaults_ReplicationController`: with a template, the selector and the controller's labels come
/// from the template's labels when unset; `replicas: 1`; then the template defaults.
pub fn default_replication_controller(rc: &mut ReplicationController) {
    if let Some(t) = rc.spec.template.as_deref() {
        if !t.metadata.labels.is_empty() {
            if rc.spec.selector.is_empty() {
                rc.spec.selector = t.metadata.labels.clone();
            }
            if rc.metadata.labels.is_empty() {
                rc.metadata.labels = t.metadata.labels.clone();
            }
        }
    }
    rc.spec.replicas.get_or_insert(1);
    if let Some(t) = rc.spec.template.as_deref_mut() {
        default_pod_template(t);
    }
}

/// `SetObjectDefaults_PodTemplate`: the template defaults.
pub fn default_pod_template_object(pt: &mut PodTemplate) {
    default_pod_template(&mut pt.template);
}

super::defaults_by! {
    ConfigMap => default_config_map,
    Secret => default_secret,
    Endpoints => default_endpoints,
    PersistentVolume => default_persistent_volume,
    PersistentVolumeClaim => default_persistent_volume_claim,
    LimitRange => default_limit_range,
    ResourceQuota => default_resource_quota,
    ReplicationController => default_replication_controller,
    PodTemplate => default_pod_template_object,
}

impl super::Defaults for ServiceAccount {}
