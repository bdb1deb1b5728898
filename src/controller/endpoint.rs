//! What the endpoints controller would write for each Service, and the DNS names the cluster's DNS would serve
//! from it (`pkg/controller/endpoint/endpoints_controller.go`, `k8s.io/endpointslice/util`).
//!
//! The controller is not an actor of the model: nothing in a plan reads Endpoints, and creating them would add
//! objects the model's cluster does not hold. It is a view computed once at the end of a plan, over the store's
//! listers, as `syncService` would compute it then: which pods a Service selects, and which of them its
//! Endpoints would list as ready addresses, as not-ready addresses, or leave out and why.
//!
//! The model assigns no pod IPs. In a cluster the kubelet gives a pod its IP as it starts the pod's sandbox; the
//! model's kubelet starts a bound pod and makes it `Running` in one step, so a pod has an address here once it
//! is `Running` (or its status carries an IP). The cluster is single-stack, so the IP-family match of
//! `podToEndpointAddressForService` always succeeds.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::api::core_v1::{Pod, Service, ServicePort};
use crate::api::IntOrString;
use crate::cluster::Store;
use crate::helpers::pod::{is_pod_ready, is_pod_terminal};

/// The cluster domain the kubelet's DNS configuration and the cluster DNS use (kubeadm's and kind's default).
pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// `v1.ClusterIPNone`: a headless Service.
const CLUSTER_IP_NONE: &str = "None";

/// One Service and what its Endpoints would hold.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ServiceEndpoints {
    pub namespace: String,
    pub name: String,
    /// `spec.type` (`ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`).
    #[serde(rename = "type")]
    pub r#type: String,
    /// `spec.clusterIP` as allocated (`None` for a headless Service, empty for ExternalName).
    #[serde(rename = "clusterIP")]
    pub cluster_ip: String,
    pub ports: Vec<ServicePort>,
    /// `spec.selector` (empty: none).
    pub selector: BTreeMap<String, String>,
    /// `spec.publishNotReadyAddresses`: not-ready pods are listed as ready addresses.
    pub publish_not_ready_addresses: bool,
    /// The pods the selector selects in the Service's namespace, in name order, each with where the Endpoints
    /// list it. Empty when the controller computes nothing ([`Empty::NoSelector`], [`Empty::ExternalName`]).
    pub pods: Vec<SelectedPod>,
    /// Why the Endpoints hold no address at all, when they hold none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty: Option<Empty>,
}

/// A pod the Service selects, and where its Endpoints would list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct SelectedPod {
    pub pod: String,
    /// The pod's node (empty while it is unscheduled).
    pub node_name: String,
    pub endpoint: Listed,
    /// The address's `hostname` (`ShouldSetHostname`): the pod's `spec.hostname` when its `spec.subdomain`
    /// names this Service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// The container port each of the Service's ports reaches on this pod (`FindPort`), for the ports that
    /// resolve.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub target_ports: Vec<i32>,
}

/// Where the Endpoints list a selected pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum Listed {
    /// In `addresses`: the pod is Ready, or the Service publishes not-ready addresses.
    Ready,
    /// In `notReadyAddresses`.
    NotReady,
    /// Not listed.
    Omitted(Omission),
}

/// Why a selected pod is not in the Endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum Omission {
    /// Succeeded or Failed (`ShouldPodBeInEndpoints`).
    Terminal,
    /// No pod IP yet: unscheduled, or its kubelet has not started it (`ShouldPodBeInEndpoints`).
    NoAddress,
    /// Being deleted, and the Service does not publish not-ready addresses (`ShouldPodBeInEndpoints`).
    Terminating,
    /// None of the Service's ports resolves on the pod: a named `targetPort` no container port of the pod
    /// carries with that protocol (`FindPort`), or a Service with a cluster IP and no ports.
    NoPort,
}

/// Why a Service's Endpoints hold no address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum Empty {
    /// No `spec.selector`: the controller leaves the Endpoints to whoever writes them (user-managed).
    NoSelector,
    /// An ExternalName Service gets no endpoints from the controller.
    ExternalName,
    /// The selector matches no pod in the Service's namespace.
    SelectsNothing,
    /// It selects pods, but leaves every one of them out (see each pod's [`Omission`]).
    AllOmitted,
}

/// Every Service in the store, in namespace/name order, with what its Endpoints would hold.
pub fn all(store: &Store) -> Vec<ServiceEndpoints> {
    store.list::<Service>().map(|svc| sync_service(store, svc)).collect()
}

/// `syncService`: the pods the Service's selector selects in its namespace, each placed in the Endpoints'
/// addresses, not-ready addresses, or left out.
pub fn sync_service(store: &Store, svc: &Service) -> ServiceEndpoints {
    let pods = match skipped(svc) {
        Some(_) => Vec::new(),
        None => store.list_in::<Pod>(&svc.metadata.namespace).filter(|p| selects(svc, p)).map(|p| endpoint(svc, p)).collect(),
    };
    let empty = skipped(svc).or_else(|| why_empty(&pods));
    let spec = &svc.spec;
    ServiceEndpoints {
        namespace: svc.metadata.namespace.clone(),
        name: svc.metadata.name.clone(),
        r#type: spec.r#type.clone(),
        cluster_ip: spec.cluster_ip.clone(),
        ports: spec.ports.clone(),
        selector: spec.selector.clone(),
        publish_not_ready_addresses: spec.publish_not_ready_addresses,
        pods,
        empty,
    }
}

/// The Services `syncService` returns early for: ExternalName ones, and those without a selector. A stored
/// Service's empty selector is a nil one (the API server's storage keeps no empty map), so it counts as none.
fn skipped(svc: &Service) -> Option<Empty> {
    if svc.spec.r#type == "ExternalName" {
        Some(Empty::ExternalName)
    } else if svc.spec.selector.is_empty() {
        Some(Empty::NoSelector)
    } else {
        None
    }
}

/// `labels.Set(selector).AsSelectorPreValidated()`: every key of the selector, with its value.
fn selects(svc: &Service, pod: &Pod) -> bool {
    svc.spec.selector.iter().all(|(k, v)| pod.metadata.labels.get(k) == Some(v))
}

/// Why Endpoints over these selected pods hold no address, if they hold none.
fn why_empty(pods: &[SelectedPod]) -> Option<Empty> {
    if pods.is_empty() {
        Some(Empty::SelectsNothing)
    } else if pods.iter().all(|e| matches!(e.endpoint, Listed::Omitted(_))) {
        Some(Empty::AllOmitted)
    } else {
        None
    }
}

/// One selected pod as `syncService`'s loop treats it.
fn endpoint(svc: &Service, pod: &Pod) -> SelectedPod {
    let publish = svc.spec.publish_not_ready_addresses;
    let target_ports: Vec<i32> = svc.spec.ports.iter().filter_map(|port| find_port(pod, port)).collect();
    let endpoint = match omission(pod, publish) {
        Some(why) => Listed::Omitted(why),
        None if target_ports.is_empty() && !headless_without_ports(svc) => Listed::Omitted(Omission::NoPort),
        None if publish || is_pod_ready(pod) => Listed::Ready,
        None => Listed::NotReady,
    };
    SelectedPod {
        pod: pod.metadata.name.clone(),
        node_name: pod.spec.node_name.clone(),
        endpoint,
        hostname: should_set_hostname(pod, svc).then(|| pod.spec.hostname.clone()),
        target_ports,
    }
}

/// A headless Service may have no ports; its Endpoints then list each pod with no port.
fn headless_without_ports(svc: &Service) -> bool {
    svc.spec.ports.is_empty() && svc.spec.cluster_ip == CLUSTER_IP_NONE
}

/// `ShouldPodBeInEndpoints` (with `includeTerminating` = `publishNotReadyAddresses`), as the reason it says no.
fn omission(pod: &Pod, include_terminating: bool) -> Option<Omission> {
    if is_pod_terminal(pod) {
        Some(Omission::Terminal)
    } else if !has_address(pod) {
        Some(Omission::NoAddress)
    } else if !include_terminating && pod.metadata.deletion_timestamp.is_some() {
        Some(Omission::Terminating)
    } else {
        None
    }
}

/// Whether the pod has an IP: its status carries one, or (the model assigning none) its kubelet started it.
fn has_address(pod: &Pod) -> bool {
    !pod.status.pod_ip.is_empty() || !pod.status.pod_ips.is_empty() || pod.status.phase == "Running"
}

/// `podutil.FindPort`: a numeric `targetPort` as it is; a named one, the first container port of that name and
/// protocol (containers first, then restartable init containers, the sidecars).
fn find_port(pod: &Pod, port: &ServicePort) -> Option<i32> {
    let name = match &port.target_port {
        IntOrString::Int(n) => return Some(*n),
        IntOrString::String(name) => name,
    };
    let sidecars = pod.spec.init_containers.iter().filter(|c| c.restart_policy.as_deref() == Some("Always"));
    let mut ports = pod.spec.containers.iter().chain(sidecars).flat_map(|c| c.ports.iter());
    ports.find(|p| p.name == *name && p.protocol == port.protocol).map(|p| p.container_port)
}

/// `ShouldSetHostname`: the address carries the pod's hostname when the pod names this Service as its
/// subdomain.
fn should_set_hostname(pod: &Pod, svc: &Service) -> bool {
    !pod.spec.hostname.is_empty() && pod.spec.subdomain == svc.metadata.name && pod.metadata.namespace == svc.metadata.namespace
}

/// The pod's DNS name, `<hostname>.<subdomain>.<namespace>.svc.cluster.local`, when it has one: the kubelet
/// gives the pod that fully qualified name (`GeneratePodHostNameAndDomain`) when `spec.subdomain` is set, and
/// the cluster DNS serves it from the Endpoints' hostnames (`ShouldSetHostname`), which needs `spec.hostname`
/// and a headless Service named by the subdomain in the pod's namespace. The StatefulSet controller sets both
/// fields (`hostname` the pod's name, `subdomain` the set's `serviceName`).
pub fn pod_dns_name(store: &Store, pod: &Pod) -> Option<String> {
    let spec = &pod.spec;
    if spec.hostname.is_empty() || spec.subdomain.is_empty() {
        return None;
    }
    let ns = &pod.metadata.namespace;
    let svc = store.get::<Service>(ns, &spec.subdomain)?;
    (svc.spec.cluster_ip == CLUSTER_IP_NONE).then(|| format!("{}.{}.{ns}.svc.{CLUSTER_DOMAIN}", spec.hostname, spec.subdomain))
}
