//! The Node, Namespace, Service and PriorityClass registry strategies (`pkg/registry/core/{node,namespace,
//! service}/strategy.go`, `pkg/registry/scheduling/priorityclass/strategy.go`).

use crate::api::core_v1::{Namespace, NamespaceStatus, Node, Service, ServiceStatus};
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
