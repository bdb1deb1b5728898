//! The Node, Namespace, Service and PriorityClass registry strategies (`pkg/registry/core/{node,namespace,
//! service}/strategy.go`, `pkg/registry/scheduling/priorityclass/strategy.go`).

use super::pod::drop_disabled_template_fields;
use crate::api::core_v1::{
    ConfigMap, Endpoints, LimitRange, Namespace, NamespaceStatus, Node, ObjectReference, PersistentVolume,
    PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, PersistentVolumeStatus, PodTemplate,
    ReplicationController, ResourceQuota, Secret, Service, ServiceAccount, ServiceStatus, TypedLocalObjectReference,
    TypedObjectReference,
};
use crate::api::scheduling_v1::PriorityClass;
use crate::apiserver::defaults::{features, service_externally_accessible, LABEL_METADATA_NAME};

/// The finalizer every Namespace is created with (`core.FinalizerKubernetes`).
pub const FINALIZER_KUBERNETES: &str = "kubernetes";

/// `nodeStrategy.PrepareForCreate`: nodes may set their status on create, but not the dynamic kubelet
/// config source or its status.
pub fn prepare_node_for_create(node: &mut Node) {
    drop_node_disabled_fields(node, None);
}

/// `nodeStrategy.PrepareForUpdate`: the status cannot change through the main resource.
pub fn prepare_node_for_update(new: &mut Node, old: &Node) {
    new.status = old.status.clone();
    drop_node_disabled_fields(new, Some(old));
}

/// The node strategy's `dropDisabledFields`.
fn drop_node_disabled_fields(node: &mut Node, old: Option<&Node>) {
    match old {
        None => {
            node.spec.config_source = None;
            node.status.config = None;
        }
        Some(o) if o.spec.config_source.is_none() => node.spec.config_source = None,
        Some(_) => {}
    }
    if !features::RECURSIVE_READ_ONLY_MOUNTS && !features::USER_NAMESPACES_SUPPORT {
        node.status.runtime_handlers.clear();
    }
    if !features::SUPPLEMENTAL_GROUPS_POLICY && !old.is_some_and(supplemental_groups_policy_in_use) {
        node.status.features = None;
    }
}

/// The node strategy's `supplementalGroupsPolicyInUse`: whether the node reports its features at all.
fn supplemental_groups_policy_in_use(node: &Node) -> bool {
    node.status.features.is_some()
}

/// `namespaceStrategy.PrepareForCreate`: status `Active`, and the `kubernetes` finalizer added when missing.
pub fn prepare_namespace_for_create(ns: &mut Namespace) {
    ns.status = NamespaceStatus { phase: "Active".to_owned(), ..NamespaceStatus::default() };
    if !ns.spec.finalizers.iter().any(|f| f == FINALIZER_KUBERNETES) {
        ns.spec.finalizers.push(FINALIZER_KUBERNETES.to_owned());
    }
}

/// `namespaceStrategy.PrepareForUpdate`: finalizers and status change only through their subresources.
pub fn prepare_namespace_for_update(new: &mut Namespace, old: &Namespace) {
    new.spec.finalizers = old.spec.finalizers.clone();
    new.status = old.status.clone();
}

/// `namespaceStrategy.Canonicalize`: the name label matches the final name (which a `generateName` namespace
/// only has after defaulting ran).
pub fn canonicalize_namespace(ns: &mut Namespace) {
    ns.metadata.labels.insert(LABEL_METADATA_NAME.to_owned(), ns.metadata.name.clone());
}

/// `svcStrategy.PrepareForCreate`: status cleared; `trafficDistribution` dropped only without its gate (on).
pub fn prepare_service_for_create(svc: &mut Service) {
    svc.status = ServiceStatus::default();
    if !features::SERVICE_TRAFFIC_DISTRIBUTION {
        svc.spec.traffic_distribution = None;
    }
}

/// `svcStrategy.PrepareForUpdate`: status kept, then `dropTypeDependentFields`.
pub fn prepare_service_for_update(new: &mut Service, old: &Service) {
    new.status = old.status.clone();
    if !features::SERVICE_TRAFFIC_DISTRIBUTION && old.spec.traffic_distribution.is_none() {
        new.spec.traffic_distribution = None;
    }
    drop_type_dependent_fields(new, old);
}

/// `dropTypeDependentFields`: when an update changes the type so that an allocated value no longer applies
/// (cluster IPs for ExternalName, node ports off NodePort/LoadBalancer, the health-check node port, the
/// load-balancer fields, the external traffic policy) and the client left that value as it was, it is cleared
/// (to be released by the allocators). The load-balancer status goes with the LoadBalancer type.
fn drop_type_dependent_fields(new: &mut Service, old: &Service) {
    let needs_cluster_ip = |s: &Service| s.spec.r#type != "ExternalName";
    if needs_cluster_ip(old) && !needs_cluster_ip(new) {
        if old.spec.cluster_ip == new.spec.cluster_ip && old.spec.cluster_ips == new.spec.cluster_ips {
            new.spec.cluster_ip.clear();
            new.spec.cluster_ips.clear();
        }
        if old.spec.ip_families == new.spec.ip_families {
            new.spec.ip_families.clear();
        }
        if old.spec.ip_family_policy.as_deref().unwrap_or("") == new.spec.ip_family_policy.as_deref().unwrap_or("") {
            new.spec.ip_family_policy = None;
        }
    }
    let needs_node_port = |s: &Service| matches!(s.spec.r#type.as_str(), "NodePort" | "LoadBalancer");
    let node_ports = |s: &Service| s.spec.ports.iter().map(|p| p.node_port).filter(|p| *p != 0).collect::<Vec<_>>();
    if needs_node_port(old) && !needs_node_port(new) {
        let old_ports = node_ports(old);
        if node_ports(new).iter().all(|p| old_ports.contains(p)) {
            new.spec.ports.iter_mut().for_each(|p| p.node_port = 0);
        }
    }
    let needs_hc_node_port = |s: &Service| s.spec.r#type == "LoadBalancer" && s.spec.external_traffic_policy == "Local";
    if needs_hc_node_port(old)
        && !needs_hc_node_port(new)
        && old.spec.health_check_node_port == new.spec.health_check_node_port
    {
        new.spec.health_check_node_port = 0;
    }
    if old.spec.r#type == "LoadBalancer" && new.spec.r#type != "LoadBalancer" {
        if let (Some(o), Some(n)) =
            (old.spec.allocate_load_balancer_node_ports, new.spec.allocate_load_balancer_node_ports)
        {
            if o == n {
                new.spec.allocate_load_balancer_node_ports = None;
            }
        }
        if old.spec.load_balancer_class == new.spec.load_balancer_class {
            new.spec.load_balancer_class = None;
        }
    }
    if service_externally_accessible(old)
        && !service_externally_accessible(new)
        && old.spec.external_traffic_policy == new.spec.external_traffic_policy
    {
        new.spec.external_traffic_policy.clear();
    }
    if new.spec.r#type != "LoadBalancer" {
        new.status.load_balancer = Default::default();
    }
}

/// `priorityClassStrategy.PrepareForCreate`: `generation: 1`.
pub fn prepare_priority_class_for_create(pc: &mut PriorityClass) {
    pc.metadata.generation = 1;
}

// ---------------------------------------------------------------------------------------------------------------
// The other core kinds (`pkg/registry/core/<kind>/strategy.go`)
// ---------------------------------------------------------------------------------------------------------------

/// `strategy.PrepareForUpdate` of Secrets: an update without a type keeps the stored type.
fn prepare_secret_for_update(new: &mut Secret, old: &Secret) {
    if new.r#type.is_empty() {
        new.r#type = old.r#type.clone();
    }
}

/// `cleanSecretReferences`: a ServiceAccount's secret references keep only their names.
fn clean_secret_references(sa: &mut ServiceAccount) {
    for s in &mut sa.secrets {
        *s = ObjectReference { name: std::mem::take(&mut s.name), ..Default::default() };
    }
}

fn clean_secret_references_on_update(sa: &mut ServiceAccount, _old: &ServiceAccount) {
    clean_secret_references(sa);
}

/// `persistentvolumeclaimStrategy.PrepareForCreate`: status cleared, disabled fields dropped, the data source
/// kept for compatibility only when it is a claim or a snapshot, and `dataSource`/`dataSourceRef` made one.
fn prepare_pvc_for_create(pvc: &mut PersistentVolumeClaim) {
    pvc.status = PersistentVolumeClaimStatus::default();
    prepare_pvc_spec(&mut pvc.spec, None);
}

/// `persistentvolumeclaimStrategy.PrepareForUpdate`: status kept, then as on create.
fn prepare_pvc_for_update(new: &mut PersistentVolumeClaim, old: &PersistentVolumeClaim) {
    new.status = old.status.clone();
    prepare_pvc_spec(&mut new.spec, Some(&old.spec));
}

/// `pvcutil.DropDisabledFields`, `EnforceDataSourceBackwardsCompatibility` and `NormalizeDataSources`, at the
/// v1.32 gates (VolumeAttributesClass off, AnyVolumeDataSource on, CrossNamespaceVolumeDataSource off).
fn prepare_pvc_spec(spec: &mut PersistentVolumeClaimSpec, old: Option<&PersistentVolumeClaimSpec>) {
    if !features::VOLUME_ATTRIBUTES_CLASS && old.is_none_or(|o| o.volume_attributes_class_name.is_none()) {
        spec.volume_attributes_class_name = None;
    }
    let cross_namespace = spec.data_source_ref.as_ref().is_some_and(|r| r.namespace.as_deref().is_some_and(|n| !n.is_empty()));
    if cross_namespace && old.is_none_or(|o| o.data_source_ref.is_none()) {
        spec.data_source_ref = None;
    }
    let old_uses_data_source = old.is_some_and(|o| o.data_source.is_some() || o.data_source_ref.is_some());
    if !old_uses_data_source && spec.data_source_ref.is_none() && !spec.data_source.as_ref().is_some_and(is_claim_or_snapshot) {
        spec.data_source = None;
    }
    match (&spec.data_source, &spec.data_source_ref) {
        (Some(ds), None) => {
            spec.data_source_ref = Some(Box::new(TypedObjectReference {
                api_group: ds.api_group.clone(),
                kind: ds.kind.clone(),
                name: ds.name.clone(),
                namespace: None,
            }));
        }
        (None, Some(r)) if r.namespace.as_deref().unwrap_or("").is_empty() => {
            spec.data_source = Some(Box::new(TypedLocalObjectReference {
                api_group: r.api_group.clone(),
                kind: r.kind.clone(),
                name: r.name.clone(),
            }));
        }
        _ => {}
    }
}

/// `dataSourceIsPvcOrSnapshot`.
fn is_claim_or_snapshot(ds: &Box<TypedLocalObjectReference>) -> bool {
    let group = ds.api_group.as_deref().unwrap_or("");
    (ds.kind == "PersistentVolumeClaim" && group.is_empty()) || (ds.kind == "VolumeSnapshot" && group == "snapshot.storage.k8s.io")
}

/// `persistentvolumeStrategy.PrepareForCreate`: status cleared to phase `Pending` (its transition time is a clock
/// kubeplan does not keep), the volume attributes class dropped (its gate is off).
fn prepare_pv_for_create(pv: &mut PersistentVolume) {
    pv.status = PersistentVolumeStatus { phase: "Pending".to_owned(), ..Default::default() };
    if !features::VOLUME_ATTRIBUTES_CLASS {
        pv.spec.volume_attributes_class_name = None;
    }
}

/// `persistentvolumeStrategy.PrepareForUpdate`: status kept.
fn prepare_pv_for_update(new: &mut PersistentVolume, old: &PersistentVolume) {
    new.status = old.status.clone();
    if !features::VOLUME_ATTRIBUTES_CLASS && old.spec.volume_attributes_class_name.is_none() {
        new.spec.volume_attributes_class_name = None;
    }
}

/// `resourcequotaStrategy.PrepareForCreate`: status cleared (the quota controller fills it).
fn prepare_resource_quota_for_create(rq: &mut ResourceQuota) {
    rq.status = Default::default();
}

/// `resourcequotaStrategy.PrepareForUpdate`: status kept.
fn prepare_resource_quota_for_update(new: &mut ResourceQuota, old: &ResourceQuota) {
    new.status = old.status.clone();
}

/// `rcStrategy.PrepareForCreate`: status cleared, `generation: 1`, disabled template fields dropped.
fn prepare_rc_for_create(rc: &mut ReplicationController) {
    rc.status = Default::default();
    super::first_generation(&mut rc.metadata);
    if let Some(t) = rc.spec.template.as_deref_mut() {
        drop_disabled_template_fields(t, None);
    }
}

/// `rcStrategy.PrepareForUpdate`: status kept, `generation` bumped by a spec change.
fn prepare_rc_for_update(new: &mut ReplicationController, old: &ReplicationController) {
    new.status = old.status.clone();
    if let Some(t) = new.spec.template.as_deref_mut() {
        drop_disabled_template_fields(t, old.spec.template.as_deref());
    }
    super::next_generation_if(&mut new.metadata, &old.metadata, new.spec != old.spec);
}

/// `podTemplateStrategy.PrepareForCreate`: `generation: 1`, disabled template fields dropped.
fn prepare_pod_template_for_create(pt: &mut PodTemplate) {
    super::first_generation(&mut pt.metadata);
    drop_disabled_template_fields(&mut pt.template, None);
}

/// `podTemplateStrategy.PrepareForUpdate`: `generation` bumped by a template change.
fn prepare_pod_template_for_update(new: &mut PodTemplate, old: &PodTemplate) {
    drop_disabled_template_fields(&mut new.template, Some(&old.template));
    super::next_generation_if(&mut new.metadata, &old.metadata, new.template != old.template);
}

super::strategy_by!(Secret, update: prepare_secret_for_update);
super::strategy_by!(ServiceAccount, create: clean_secret_references, update: clean_secret_references_on_update);
super::strategy_by!(PersistentVolumeClaim, create: prepare_pvc_for_create, update: prepare_pvc_for_update);
super::strategy_by!(PersistentVolume, create: prepare_pv_for_create, update: prepare_pv_for_update);
super::strategy_by!(ResourceQuota, create: prepare_resource_quota_for_create, update: prepare_resource_quota_for_update);
super::strategy_by!(ReplicationController, create: prepare_rc_for_create, update: prepare_rc_for_update);
super::strategy_by!(PodTemplate, create: prepare_pod_template_for_create, update: prepare_pod_template_for_update);

impl super::Strategy for ConfigMap {}
impl super::Strategy for Endpoints {}
impl super::Strategy for LimitRange {}
