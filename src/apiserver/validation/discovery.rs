//! Endpoints (`pkg/apis/core/validation/validation.go`: `ValidateEndpoints`) and EndpointSlices
//! (`pkg/apis/discovery/validation/validation.go`). No endpoints controller runs in kubeplan: these are the
//! objects a chart writes by hand for a Service without a selector.

use std::collections::BTreeSet;

use crate::api::core_v1::{EndpointAddress, EndpointPort, Endpoints};
use crate::api::discovery_v1::EndpointSlice;

use super::meta::dns1123_label_errors;
use super::core::{ip_errors};
use super::field::{FieldError, Path};
use super::meta::{
    inclusive_range_error, is_dns1123_label, is_dns1123_subdomain, is_valid_label_value, name_is_dns_subdomain,
    validate_immutable, validate_labels, validate_object_meta, validate_object_meta_update, validate_qualified_name,
};
use super::service::{non_special_ip_errors, parse_ip};

const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];

/// `ValidateEndpoints`: each subset has addresses, valid and not special; ports named when several.
pub fn validate_endpoints(ep: &Endpoints) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&ep.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    for (i, ss) in ep.subsets.iter().enumerate() {
        let subsets = Path::new("subsets");
        let path = subsets.index(i);
        if ss.addresses.is_empty() && ss.not_ready_addresses.is_empty() {
            errs.push(FieldError::required(&path, "must specify `addresses` or `notReadyAddresses`"));
        }
        for (j, a) in ss.addresses.iter().enumerate() {
            errs.extend(validate_endpoint_address(a, &path.child("addresses").index(j)));
        }
        for (j, a) in ss.not_ready_addresses.iter().enumerate() {
            errs.extend(validate_endpoint_address(a, &path.child("notReadyAddresses").index(j)));
        }
        for (j, p) in ss.ports.iter().enumerate() {
            errs.extend(validate_endpoint_port(p, ss.ports.len() > 1, &path.child("ports").index(j)));
        }
    }
    errs
}

fn validate_endpoint_address(a: &EndpointAddress, path: &Path) -> Vec<FieldError> {
    let ip = path.child("ip");
    let mut errs = ip_errors(&a.ip, &ip);
    if !a.hostname.is_empty() {
        errs.extend(dns1123_label_errors(&a.hostname, &path.child("hostname")));
    }
    if let Some(node) = &a.node_name {
        errs.extend(name_is_dns_subdomain(node, false).into_iter().map(|m| FieldError::invalid(&path.child("nodeName"), node, m)));
    }
    errs.extend(non_special_ip_errors(&a.ip, &ip));
    errs
}

fn validate_endpoint_port(p: &EndpointPort, require_name: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if require_name && p.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    } else if !p.name.is_empty() {
        errs.extend(dns1123_label_errors(&p.name, &path.child("name")));
    }
    if !(1..=65535).contains(&p.port) {
        errs.push(FieldError::invalid(&path.child("port"), p.port, inclusive_range_error(1, 65535)));
    }
    match p.protocol.as_str() {
        "" => errs.push(FieldError::required(&path.child("protocol"), "")),
        proto if PROTOCOLS.contains(&proto) => {}
        proto => errs.push(FieldError::not_supported(&path.child("protocol"), proto, &PROTOCOLS)),
    }
    if let Some(ap) = &p.app_protocol {
        errs.extend(validate_qualified_name(ap, &path.child("appProtocol")));
    }
    errs
}

pub fn validate_endpoints_update(ep: &Endpoints, old: &Endpoints) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&ep.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_endpoints(ep));
    errs
}

/// `ValidateEndpointSlice`: a known address type, at most 1000 endpoints of 1–100 addresses of that type, and at
/// most 20000 uniquely named ports.
pub fn validate_endpoint_slice(es: &EndpointSlice) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&es.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    let address_type = Path::new("addressType");
    match es.address_type.as_str() {
        "" => errs.push(FieldError::required(&address_type, "")),
        "FQDN" | "IPv4" | "IPv6" => {}
        other => errs.push(FieldError::not_supported(&address_type, other, &["FQDN", "IPv4", "IPv6"])),
    }
    errs.extend(validate_slice_endpoints(es));
    errs.extend(validate_slice_ports(es));
    errs
}

fn validate_slice_endpoints(es: &EndpointSlice) -> Vec<FieldError> {
    let path = Path::new("endpoints");
    if es.endpoints.len() > 1000 {
        return vec![FieldError::too_many(&path, es.endpoints.len() as i64, 1000)];
    }
    let mut errs = Vec::new();
    for (i, e) in es.endpoints.iter().enumerate() {
        let endpoint = path.index(i);
        let addresses = endpoint.child("addresses");
        if e.addresses.is_empty() {
            errs.push(FieldError::required(&addresses, "must contain at least 1 address"));
        } else if e.addresses.len() > 100 {
            errs.push(FieldError::too_many(&addresses, e.addresses.len() as i64, 100));
        }
        for (j, a) in e.addresses.iter().enumerate() {
            let p = addresses.index(j);
            match es.address_type.as_str() {
                "IPv4" => {
                    if !matches!(parse_ip(a), Some(std::net::IpAddr::V4(_))) {
                        errs.push(FieldError::invalid(&p, a, "must be a valid IPv4 address"));
                    }
                    errs.extend(non_special_ip_errors(a, &p));
                }
                "IPv6" => {
                    if !matches!(parse_ip(a), Some(std::net::IpAddr::V6(_))) {
                        errs.push(FieldError::invalid(&p, a, "must be a valid IPv6 address"));
                    }
                    errs.extend(non_special_ip_errors(a, &p));
                }
                "FQDN" => errs.extend(fqdn_errors(a, &p)),
                _ => {}
            }
        }
        if let Some(node) = &e.node_name {
            let p = endpoint.child("nodeName");
            errs.extend(name_is_dns_subdomain(node, false).into_iter().map(|m| FieldError::invalid(&p, node, m)));
        }
        let topology = endpoint.child("deprecatedTopology");
        if e.deprecated_topology.len() > 16 {
            errs.push(FieldError::too_many(&topology, e.deprecated_topology.len() as i64, 16));
        }
        errs.extend(validate_labels(&e.deprecated_topology, &topology));
        if let Some(h) = &e.hostname {
            errs.extend(dns1123_label_errors(h, &endpoint.child("hostname")));
        }
        if let Some(hints) = &e.hints {
            let hints_path = endpoint.child("hints");
            let zones = hints_path.child("forZones");
            if hints.for_zones.len() > 8 {
                errs.push(FieldError::too_many(&zones, hints.for_zones.len() as i64, 8));
                continue;
            }
            let mut names = BTreeSet::new();
            for (j, z) in hints.for_zones.iter().enumerate() {
                let zone = zones.index(j);
                let p = zone.child("name");
                if !names.insert(z.name.clone()) {
                    errs.push(FieldError::duplicate(&p, &z.name));
                }
                errs.extend(is_valid_label_value(&z.name).into_iter().map(|m| FieldError::invalid(&p, &z.name, m)));
            }
        }
    }
    errs
}

/// `IsFullyQualifiedDomainName`.
fn fqdn_errors(name: &str, path: &Path) -> Vec<FieldError> {
    if name.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    let sub = is_dns1123_subdomain(name);
    if !sub.is_empty() {
        return vec![FieldError::invalid(path, name, sub.join(","))];
    }
    if name.split('.').count() < 2 {
        return vec![FieldError::invalid(path, name, "should be a domain with at least two segments separated by dots")];
    }
    for label in name.split('.') {
        let errs = is_dns1123_label(label);
        if !errs.is_empty() {
            return vec![FieldError::invalid(path, label, errs.join(","))];
        }
    }
    Vec::new()
}

fn validate_slice_ports(es: &EndpointSlice) -> Vec<FieldError> {
    let path = Path::new("ports");
    if es.ports.len() > 20000 {
        return vec![FieldError::too_many(&path, es.ports.len() as i64, 20000)];
    }
    let mut errs = Vec::new();
    let mut names = BTreeSet::new();
    for (i, p) in es.ports.iter().enumerate() {
        let idx = path.index(i);
        let name = p.name.clone().unwrap_or_default();
        if !name.is_empty() {
            errs.extend(dns1123_label_errors(&name, &idx.child("name")));
        }
        if !names.insert(name.clone()) {
            errs.push(FieldError::duplicate(&idx.child("name"), name));
        }
        match &p.protocol {
            None => errs.push(FieldError::required(&idx.child("protocol"), "")),
            Some(proto) if !PROTOCOLS.contains(&proto.as_str()) => {
                errs.push(FieldError::not_supported(&idx.child("protocol"), proto, &PROTOCOLS));
            }
            Some(_) => {}
        }
        if let Some(ap) = &p.app_protocol {
            errs.extend(validate_qualified_name(ap, &idx.child("appProtocol")));
        }
    }
    errs
}

/// `ValidateEndpointSliceUpdate`: the address type cannot change.
pub fn validate_endpoint_slice_update(es: &EndpointSlice, old: &EndpointSlice) -> Vec<FieldError> {
    let mut errs = validate_endpoint_slice(es);
    errs.extend(validate_immutable(&es.address_type, &old.address_type, || (&es.address_type).into(), &Path::new("addressType")));
    errs
}

super::validate_by!(Endpoints, create: validate_endpoints, update: validate_endpoints_update);
super::validate_by!(EndpointSlice, create: validate_endpoint_slice, update: validate_endpoint_slice_update);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::discovery_v1::Endpoint;

    #[test]
    fn addresses_must_be_of_the_slice_type_and_not_loopback() {
        let mut es = EndpointSlice { address_type: "IPv4".into(), ..Default::default() };
        es.metadata.name = "s".into();
        es.metadata.namespace = "default".into();
        es.endpoints.push(Endpoint { addresses: vec!["fd00::10".into(), "127.0.0.1".into()], ..Default::default() });
        let msgs: Vec<String> = validate_endpoint_slice(&es).iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "endpoints[0].addresses[0]: Invalid value: \"fd00::10\": must be a valid IPv4 address",
                "endpoints[0].addresses[1]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
            ]
        );
    }
}
