//! Defaults of the networking.k8s.io group (`pkg/apis/networking/v1/defaults.go`).

use crate::api::networking_v1::{Ingress, IngressClass, NetworkPolicy};

/// `SetObjectDefaults_NetworkPolicy`: `policyTypes` is `[Ingress]`, plus `Egress` when egress rules are given;
/// every port's protocol is `TCP` unless given.
pub fn default_network_policy(np: &mut NetworkPolicy) {
    let spec = &mut np.spec;
    if spec.policy_types.is_empty() {
        spec.policy_types.push("Ingress".to_owned());
        if !spec.egress.is_empty() {
            spec.policy_types.push("Egress".to_owned());
        }
    }
    let ingress_ports = spec.ingress.iter_mut().flat_map(|r| r.ports.iter_mut());
    let egress_ports = spec.egress.iter_mut().flat_map(|r| r.ports.iter_mut());
    for port in ingress_ports.chain(egress_ports) {
        port.protocol.get_or_insert_with(|| "TCP".to_owned());
    }
}

/// `SetObjectDefaults_IngressClass`: parameters are cluster-scoped unless said otherwise.
pub fn default_ingress_class(ic: &mut IngressClass) {
    if let Some(p) = ic.spec.parameters.as_deref_mut() {
        p.scope.get_or_insert_with(|| "Cluster".to_owned());
    }
}

super::defaults_by! {
    NetworkPolicy => default_network_policy,
    IngressClass => default_ingress_class,
}

impl super::Defaults for Ingress {}
