//! Services (`pkg/apis/core/validation/validation.go`: `ValidateService`, `ValidateServiceUpdate`,
//! `ValidateServiceClusterIPsRelatedFields` and their helpers).

use std::collections::{BTreeSet, HashSet};

use crate::api::core_v1::{Service, ServicePort};
use crate::api::IntOrString;
use crate::go::{GoValue, ToGo};

use super::meta::dns1123_label_errors;
use super::core::{ip_errors, validate_port_num_or_name};
use super::field::{BadValue, FieldError, Path};
use super::meta::{
    inclusive_range_error, is_dns1123_subdomain, name_is_dns1035_label, validate_labels, validate_object_meta,
    validate_object_meta_update, validate_qualified_name,
};

/// `ports.KubeletPort`: a LoadBalancer may not expose it.
const KUBELET_PORT: i32 = 10250;
/// `core.MaxClientIPServiceAffinitySeconds`: one day.
const MAX_CLIENT_IP_AFFINITY_SECONDS: i32 = 86400;
const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];
const TOPOLOGY_MODE: &str = "service.kubernetes.io/topology-mode";
const TOPOLOGY_AWARE_HINTS: &str = "service.kubernetes.io/topology-aware-hints";
const LB_SOURCE_RANGES: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

/// `isHeadlessService`: exactly one cluster IP, `None`.
pub fn is_headless(svc: &Service) -> bool {
    svc.spec.cluster_ips.len() == 1 && svc.spec.cluster_ips[0] == "None"
}

/// `service.ExternallyAccessible`: LoadBalancer and NodePort Services, and ClusterIP Services with external IPs.
fn externally_accessible(svc: &Service) -> bool {
    crate::apiserver::defaults::service_externally_accessible(svc)
}

/// `service.NeedsHealthCheck`: a LoadBalancer with `externalTrafficPolicy: Local`.
pub fn needs_health_check(svc: &Service) -> bool {
    svc.spec.r#type == "LoadBalancer" && svc.spec.external_traffic_policy == "Local"
}

/// `[]string{...}` as `%#v` prints it.
pub fn strings_value(items: &[String]) -> BadValue {
    BadValue::go(&GoValue::slice("[]string", items.iter().map(|s| GoValue::Str("string", s.as_str().into()))))
}

/// `ValidateService`.
pub fn validate_service(svc: &Service) -> Vec<FieldError> {
    let meta = Path::new("metadata");
    let mut errs = validate_object_meta(&svc.metadata, true, name_is_dns1035_label, &meta);
    let annotations = &svc.metadata.annotations;
    if let (Some(mode), Some(hints)) = (annotations.get(TOPOLOGY_MODE), annotations.get(TOPOLOGY_AWARE_HINTS)) {
        if mode != hints {
            errs.push(FieldError::invalid(
                &meta.child("annotations").key(TOPOLOGY_MODE),
                mode,
                format!("must match annotations[{TOPOLOGY_AWARE_HINTS}] when both are specified"),
            ));
        }
    }
    let spec_path = Path::new("spec");
    let spec = &svc.spec;
    let headless = is_headless(svc);
    if spec.ports.is_empty() && !headless && spec.r#type != "ExternalName" {
        errs.push(FieldError::required(&spec_path.child("ports"), ""));
    }
    errs.extend(validate_type_specific(svc, &spec_path));
    let mut names = HashSet::new();
    for (i, p) in spec.ports.iter().enumerate() {
        errs.extend(validate_service_port(p, spec.ports.len() > 1, &mut names, &spec_path.child("ports").index(i)));
    }
    // A nil selector is not validated; kubeplan's empty maps stand for nil, and an empty one has nothing to check.
    errs.extend(validate_labels(&spec.selector, &spec_path.child("selector")));
    errs.extend(validate_session_affinity(svc, &spec_path));
    errs.extend(validate_cluster_ips_related_fields(svc));
    let external_ips = spec_path.child("externalIPs");
    for (i, ip) in spec.external_ips.iter().enumerate() {
        let path = external_ips.index(i);
        let invalid = ip_errors(ip, &path);
        if invalid.is_empty() {
            errs.extend(non_special_ip_errors(ip, &path));
        } else {
            errs.extend(invalid);
        }
    }
    match spec.r#type.as_str() {
        "" => errs.push(FieldError::required(&spec_path.child("type"), "")),
        "ClusterIP" | "ExternalName" | "LoadBalancer" | "NodePort" => {}
        other => errs.push(FieldError::not_supported(
            &spec_path.child("type"),
            other,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        )),
    }
    if spec.r#type == "ClusterIP" {
        for (i, p) in spec.ports.iter().enumerate() {
            if p.node_port != 0 {
                errs.push(FieldError::forbidden(
                    &spec_path.child("ports").index(i).child("nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    errs.extend(validate_unique_ports(spec.ports.as_slice(), &spec_path));
    errs.extend(validate_source_ranges(svc, &spec_path));
    if spec.allocate_load_balancer_node_ports.is_some() && spec.r#type != "LoadBalancer" {
        errs.push(FieldError::forbidden(
            &spec_path.child("allocateLoadBalancerNodePorts"),
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    if spec.r#type == "LoadBalancer" && spec.allocate_load_balancer_node_ports.is_none() {
        // Go names this field without its `spec.` parent.
        errs.push(FieldError::required(&Path::new("allocateLoadBalancerNodePorts"), ""));
    }
    errs.extend(validate_load_balancer_class(None, svc));
    errs.extend(validate_external_traffic_policy(svc));
    errs.extend(validate_internal_traffic_policy(svc));
    if let Some(td) = &spec.traffic_distribution {
        if td != "PreferClose" {
            errs.push(FieldError::not_supported(&spec_path.child("trafficDistribution"), td, &["PreferClose"]));
        }
    }
    errs
}

/// The checks that depend on the Service's type: the kubelet port, headless NodePort and LoadBalancer
/// Services, and what an ExternalName Service may not have.
fn validate_type_specific(svc: &Service, spec_path: &Path) -> Vec<FieldError> {
    let spec = &svc.spec;
    let mut errs = Vec::new();
    let headless_ip = || BadValue::Str(spec.cluster_ips.first().cloned().unwrap_or_default());
    match spec.r#type.as_str() {
        "LoadBalancer" => {
            for (i, p) in spec.ports.iter().enumerate() {
                if p.port == KUBELET_PORT {
                    errs.push(FieldError::invalid(
                        &spec_path.child("ports").index(i),
                        p.port,
                        format!("may not expose port {KUBELET_PORT} externally since it is used by kubelet"),
                    ));
                }
            }
            if is_headless(svc) {
                errs.push(FieldError::invalid(
                    &spec_path.child("clusterIPs").index(0),
                    headless_ip(),
                    "may not be set to 'None' for LoadBalancer services",
                ));
            }
        }
        "NodePort" if is_headless(svc) => errs.push(FieldError::invalid(
            &spec_path.child("clusterIPs").index(0),
            headless_ip(),
            "may not be set to 'None' for NodePort services",
        )),
        "ExternalName" => {
            if !spec.cluster_ips.is_empty() {
                errs.push(FieldError::forbidden(&spec_path.child("clusterIPs"), "may not be set for ExternalName services"));
            }
            if !spec.ip_families.is_empty() {
                errs.push(FieldError::forbidden(&spec_path.child("ipFamilies"), "may not be set for ExternalName services"));
            }
            if spec.ip_family_policy.is_some() {
                errs.push(FieldError::forbidden(&spec_path.child("ipFamilyPolicy"), "may not be set for ExternalName services"));
            }
            let cname = spec.external_name.strip_suffix('.').unwrap_or(&spec.external_name);
            if cname.is_empty() {
                errs.push(FieldError::required(&spec_path.child("externalName"), ""));
            } else {
                let path = spec_path.child("externalName");
                errs.extend(is_dns1123_subdomain(cname).into_iter().map(|m| FieldError::invalid(&path, cname, m)));
            }
        }
        _ => {}
    }
    errs
}

/// `validateServicePort`: names (required when there are several ports, DNS labels, unique), port number,
/// protocol, target port and application protocol.
fn validate_service_port(p: &ServicePort, require_name: bool, names: &mut HashSet<String>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if require_name && p.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    } else if !p.name.is_empty() {
        errs.extend(dns1123_label_errors(&p.name, &path.child("name")));
        if !names.insert(p.name.clone()) {
            errs.push(FieldError::duplicate(&path.child("name"), &p.name));
        }
    }
    if !(1..=65535).contains(&p.port) {
        errs.push(FieldError::invalid(&path.child("port"), p.port, inclusive_range_error(1, 65535)));
    }
    match p.protocol.as_str() {
        "" => errs.push(FieldError::required(&path.child("protocol"), "")),
        proto if PROTOCOLS.contains(&proto) => {}
        proto => errs.push(FieldError::not_supported(&path.child("protocol"), proto, &PROTOCOLS)),
    }
    errs.extend(validate_port_num_or_name(&p.target_port, &path.child("targetPort")));
    if let Some(ap) = &p.app_protocol {
        errs.extend(validate_qualified_name(ap, &path.child("appProtocol")));
    }
    errs
}

/// The session affinity and its client-IP configuration.
fn validate_session_affinity(svc: &Service, spec_path: &Path) -> Vec<FieldError> {
    let spec = &svc.spec;
    let path = spec_path.child("sessionAffinity");
    let mut errs = Vec::new();
    match spec.session_affinity.as_str() {
        "" => errs.push(FieldError::required(&path, "")),
        "ClientIP" | "None" => {}
        other => errs.push(FieldError::not_supported(&path, other, &["ClientIP", "None"])),
    }
    let config_path = spec_path.child("sessionAffinityConfig");
    match spec.session_affinity.as_str() {
        "ClientIP" => {
            let when = "when session affinity type is ClientIP";
            match spec.session_affinity_config.as_deref() {
                None => errs.push(FieldError::required(&config_path, when)),
                Some(c) => match c.client_ip.as_deref() {
                    None => errs.push(FieldError::required(&config_path.child("clientIP"), when)),
                    Some(ip) => {
                        let client_ip = config_path.child("clientIP");
                        let timeout_path = client_ip.child("timeoutSeconds");
                        match ip.timeout_seconds {
                            None => errs.push(FieldError::required(&timeout_path, when)),
                            Some(t) if t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS => errs.push(FieldError::invalid(
                                &timeout_path,
                                t,
                                format!("must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}"),
                            )),
                            Some(_) => {}
                        }
                    }
                },
            }
        }
        "None" if spec.session_affinity_config.is_some() => {
            errs.push(FieldError::forbidden(&config_path, "must not be set when session affinity is None"));
        }
        _ => {}
    }
    errs
}

/// Node ports (per protocol) and ports (per protocol and number) must be unique.
fn validate_unique_ports(ports: &[ServicePort], spec_path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut node_ports = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        if p.node_port != 0 && !node_ports.insert((p.protocol.clone(), p.node_port)) {
            errs.push(FieldError::duplicate(&spec_path.child("ports").index(i).child("nodePort"), p.node_port));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        if !seen.insert((p.protocol.clone(), p.port)) {
            errs.push(FieldError::duplicate(&spec_path.child("ports").index(i), protocol_port_value(p)));
        }
    }
    errs
}

/// The `core.ServicePort{Protocol, Port}` key Go reports a duplicate port with.
fn protocol_port_value(p: &ServicePort) -> BadValue {
    let zero_target = IntOrString::Int(0);
    BadValue::go(&GoValue::Struct(
        "v1.ServicePort",
        vec![
            ("Name", GoValue::Str("string", "".into())),
            ("Protocol", GoValue::Str("v1.Protocol", p.protocol.as_str().into())),
            ("AppProtocol", GoValue::ptr("*string", None)),
            ("Port", GoValue::Int("int32", i64::from(p.port))),
            ("TargetPort", zero_target.to_go()),
            ("NodePort", GoValue::Int("int32", 0)),
        ],
    ))
}

/// `loadBalancerSourceRanges`, or its older annotation: only for LoadBalancers, each a CIDR.
fn validate_source_ranges(svc: &Service, spec_path: &Path) -> Vec<FieldError> {
    let spec = &svc.spec;
    let mut errs = Vec::new();
    let not_lb = spec.r#type != "LoadBalancer";
    if !spec.load_balancer_source_ranges.is_empty() {
        // Go names the field with a capital L.
        let path = spec_path.child("LoadBalancerSourceRanges");
        if not_lb {
            errs.push(FieldError::forbidden(&path, "may only be used when `type` is 'LoadBalancer'"));
        }
        for (i, v) in spec.load_balancer_source_ranges.iter().enumerate() {
            errs.extend(cidr_errors(v.trim(), &path.index(i)));
        }
    } else if let Some(v) = svc.metadata.annotations.get(LB_SOURCE_RANGES) {
        let annotations = Path::of(&["metadata", "annotations"]);
        let path = annotations.key(LB_SOURCE_RANGES);
        if not_lb {
            errs.push(FieldError::forbidden(&path, "may only be used when `type` is 'LoadBalancer'"));
        }
        let v = v.trim();
        if !v.is_empty() {
            for cidr in v.split(',') {
                errs.extend(cidr_errors(cidr.trim(), &path));
            }
        }
    }
    errs
}

/// `IsValidCIDR` with `netutils.ParseCIDRSloppy`.
pub fn cidr_errors(value: &str, path: &Path) -> Vec<FieldError> {
    if is_valid_cidr(value) {
        Vec::new()
    } else {
        vec![FieldError::invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]
    }
}

fn is_valid_cidr(value: &str) -> bool {
    let Some((ip, bits)) = value.split_once('/') else { return false };
    let Ok(bits) = bits.parse::<u8>() else { return false };
    if !super::core::is_valid_ip(ip) || bits.to_string() != value.split_once('/').map_or("", |(_, b)| b) {
        return false;
    }
    bits <= if ip.contains(':') { 128 } else { 32 }
}

/// `validateLoadBalancerClassField`: immutable between LoadBalancers, a qualified name, only on LoadBalancers.
fn validate_load_balancer_class(old: Option<&Service>, svc: &Service) -> Vec<FieldError> {
    let path = Path::of(&["spec", "loadBalancerClass"]);
    let mut errs = Vec::new();
    let lb = |s: &Service| s.spec.r#type == "LoadBalancer";
    if let Some(old) = old {
        if lb(old) && lb(svc) && old.spec.load_balancer_class != svc.spec.load_balancer_class {
            errs.push(FieldError::invalid(&path, svc.spec.load_balancer_class.clone(), "may not change once set"));
        }
    }
    match (&svc.spec.load_balancer_class, lb(svc)) {
        (Some(class), true) => errs.extend(validate_qualified_name(class, &path)),
        (Some(_), false) => errs.push(FieldError::forbidden(&path, "may only be used when `type` is 'LoadBalancer'")),
        (None, _) => {}
    }
    errs
}

/// `validateServiceExternalTrafficPolicy`.
fn validate_external_traffic_policy(svc: &Service) -> Vec<FieldError> {
    let spec = &svc.spec;
    let path = Path::new("spec");
    let mut errs = Vec::new();
    let etp = spec.external_traffic_policy.as_str();
    if !externally_accessible(svc) {
        if !etp.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("externalTrafficPolicy"),
                etp,
                "may only be set for externally-accessible services",
            ));
        }
    } else if etp.is_empty() {
        errs.push(FieldError::required(&path.child("externalTrafficPolicy"), ""));
    } else if !matches!(etp, "Cluster" | "Local") {
        errs.push(FieldError::not_supported(&path.child("externalTrafficPolicy"), etp, &["Cluster", "Local"]));
    }
    let hc = spec.health_check_node_port;
    if !needs_health_check(svc) {
        if hc != 0 {
            errs.push(FieldError::invalid(
                &path.child("healthCheckNodePort"),
                hc,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            ));
        }
    } else if hc == 0 {
        errs.push(FieldError::required(&path.child("healthCheckNodePort"), ""));
    } else if !(1..=65535).contains(&hc) {
        errs.push(FieldError::invalid(&path.child("healthCheckNodePort"), hc, inclusive_range_error(1, 65535)));
    }
    errs
}

/// `validateServiceInternalTrafficFieldsValue`.
fn validate_internal_traffic_policy(svc: &Service) -> Vec<FieldError> {
    let path = Path::of(&["spec", "internalTrafficPolicy"]);
    match svc.spec.internal_traffic_policy.as_deref() {
        None if matches!(svc.spec.r#type.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP") => {
            vec![FieldError::required(&path, "")]
        }
        Some(p) if !matches!(p, "Cluster" | "Local") => vec![FieldError::not_supported(&path, p, &["Cluster", "Local"])],
        _ => Vec::new(),
    }
}

/// `ValidateNonSpecialIP`: not unspecified, loopback, link-local or link-local multicast.
pub fn non_special_ip_errors(value: &str, path: &Path) -> Vec<FieldError> {
    let Some(ip) = parse_ip(value) else {
        return vec![FieldError::invalid(path, value, "must be a valid IP address")];
    };
    let mut errs = Vec::new();
    if ip.is_unspecified() {
        errs.push(FieldError::invalid(path, value, format!("may not be unspecified ({value})")));
    }
    if ip.is_loopback() {
        errs.push(FieldError::invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
    }
    let link_local = match ip {
        std::net::IpAddr::V4(v4) => v4.is_link_local(),
        std::net::IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    };
    if link_local {
        errs.push(FieldError::invalid(path, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
    }
    let link_local_multicast = match ip {
        std::net::IpAddr::V4(v4) => v4.octets()[..3] == [224, 0, 0],
        std::net::IpAddr::V6(v6) => (v6.segments()[0] & 0xff0f) == 0xff02,
    };
    if link_local_multicast {
        errs.push(FieldError::invalid(path, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
    }
    errs
}

/// `netutils.ParseIPSloppy`: IPv4 parts may carry leading zeros (read as decimal).
pub fn parse_ip(value: &str) -> Option<std::net::IpAddr> {
    if value.contains(':') {
        return value.parse::<std::net::Ipv6Addr>().ok().map(std::net::IpAddr::V6);
    }
    if !super::core::is_valid_ip(value) {
        return None;
    }
    let parts: Vec<u8> = value.split('.').filter_map(|p| p.parse::<u16>().ok()).filter_map(|n| u8::try_from(n).ok()).collect();
    (parts.len() == 4).then(|| std::net::IpAddr::V4(std::net::Ipv4Addr::new(parts[0], parts[1], parts[2], parts[3])))
}

/// `netutils.IsIPv6String`.
pub fn is_ipv6(value: &str) -> bool {
    matches!(parse_ip(value), Some(std::net::IpAddr::V6(_)))
}

/// `ValidateServiceClusterIPsRelatedFields`: `clusterIP` and `clusterIPs` agree, the families and the policy are
/// known, the IPs are valid (`None` only alone), at most two and of different families, each of its family.
pub fn validate_cluster_ips_related_fields(svc: &Service) -> Vec<FieldError> {
    let spec = &svc.spec;
    if spec.r#type == "ExternalName" {
        return Vec::new();
    }
    let spec_path = Path::new("spec");
    let ips_path = spec_path.child("clusterIPs");
    let mut errs = Vec::new();
    if !spec.cluster_ip.is_empty() {
        match spec.cluster_ips.first() {
            None => errs.push(FieldError::required(&ips_path, "")),
            Some(first) if *first != spec.cluster_ip => {
                errs.push(FieldError::invalid(&ips_path, strings_value(&spec.cluster_ips), "first value must match `clusterIP`"));
            }
            Some(_) => {}
        }
    } else if !spec.cluster_ips.is_empty() {
        errs.push(FieldError::invalid(
            &ips_path,
            strings_value(&spec.cluster_ips),
            "must be empty when `clusterIP` is not specified",
        ));
    }
    let mut seen = BTreeSet::new();
    let ip_families = spec_path.child("ipFamilies");
    for (i, family) in spec.ip_families.iter().enumerate() {
        let path = ip_families.index(i);
        if !matches!(family.as_str(), "IPv4" | "IPv6") {
            errs.push(FieldError::not_supported(&path, family, &["IPv4", "IPv6"]));
        }
        if !seen.insert(family.clone()) {
            errs.push(FieldError::duplicate(&path, family));
        }
    }
    if let Some(policy) = &spec.ip_family_policy {
        if !matches!(policy.as_str(), "PreferDualStack" | "RequireDualStack" | "SingleStack") {
            errs.push(FieldError::not_supported(
                &spec_path.child("ipFamilyPolicy"),
                policy,
                &["PreferDualStack", "RequireDualStack", "SingleStack"],
            ));
        }
    }
    let mut invalid_ips = false;
    for (i, ip) in spec.cluster_ips.iter().enumerate() {
        if i == 0 && ip == "None" {
            if spec.cluster_ips.len() > 1 {
                invalid_ips = true;
                errs.push(FieldError::invalid(&ips_path, strings_value(&spec.cluster_ips), "'None' must be the first and only value"));
            }
            continue;
        }
        let bad = ip_errors(ip, &ips_path.index(i));
        invalid_ips |= !bad.is_empty();
        errs.extend(bad);
    }
    if spec.cluster_ips.len() > 2 {
        errs.push(FieldError::invalid(&ips_path, strings_value(&spec.cluster_ips), "may only hold up to 2 values"));
    }
    if invalid_ips {
        return errs;
    }
    if spec.cluster_ips.len() > 1 {
        let v6 = spec.cluster_ips.iter().filter(|ip| is_ipv6(ip)).count();
        if spec.cluster_ips.len() != 2 || v6 != 1 {
            errs.push(FieldError::invalid(
                &ips_path,
                strings_value(&spec.cluster_ips),
                "may specify no more than one IP for each IP family",
            ));
        }
    }
    if !is_headless(svc) {
        for (i, (ip, family)) in spec.cluster_ips.iter().zip(&spec.ip_families).enumerate() {
            let wanted = match family.as_str() {
                "IPv4" if is_ipv6(ip) => "IPv4",
                "IPv6" if !is_ipv6(ip) => "IPv6",
                _ => continue,
            };
            errs.push(FieldError::invalid(
                &ips_path.index(i),
                ip,
                format!("expected an {wanted} value as indicated by `ipFamilies[{i}]`"),
            ));
        }
    }
    errs
}

/// `ValidateServiceUpdate`: metadata, cluster IPs and families that may only be added or released (not changed),
/// the load-balancer class, the health-check node port, then everything `ValidateService` checks.
pub fn validate_service_update(svc: &Service, old: &Service) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&svc.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_cluster_ips_update(old, svc));
    errs.extend(validate_ip_families_update(old, svc));
    errs.extend(validate_load_balancer_class(Some(old), svc));
    if needs_health_check(old) && needs_health_check(svc) && svc.spec.health_check_node_port != old.spec.health_check_node_port {
        errs.push(FieldError::forbidden(&Path::new("spec").child("healthCheckNodePort"), "field is immutable"));
    }
    errs.extend(validate_service(svc));
    errs
}

/// `validateUpgradeDowngradeClusterIPs`.
fn validate_cluster_ips_update(old: &Service, svc: &Service) -> Vec<FieldError> {
    if svc.spec.r#type == "ExternalName" || old.spec.r#type == "ExternalName" || (is_headless(old) && is_headless(svc)) {
        return Vec::new();
    }
    let (new_ips, old_ips) = (&svc.spec.cluster_ips, &old.spec.cluster_ips);
    let path = Path::of(&["spec", "clusterIPs"]);
    let value = || strings_value(new_ips);
    let mut errs = Vec::new();
    if old_ips.len() == new_ips.len() {
        for (i, ip) in old_ips.iter().enumerate() {
            if *ip != new_ips[i] {
                errs.push(FieldError::invalid(&path.index(i), value(), "may not change once set"));
            }
        }
    } else if old_ips.len() > new_ips.len() {
        if new_ips.is_empty() {
            errs.push(FieldError::invalid(&path.index(0), value(), "primary clusterIP can not be unset"));
        }
        if !old_ips.is_empty() && !new_ips.is_empty() && new_ips[0] != old_ips[0] {
            errs.push(FieldError::invalid(&path.index(0), value(), "may not change once set"));
        }
        if new_ips.len() == 1 && svc.spec.ip_family_policy.as_deref() != Some("SingleStack") {
            errs.push(FieldError::invalid(
                &Path::new("spec").child("ipFamilyPolicy"),
                svc.spec.ip_family_policy.clone(),
                "must be set to 'SingleStack' when releasing the secondary clusterIP",
            ));
        }
    } else if !old_ips.is_empty() && new_ips[0] != old_ips[0] {
        errs.push(FieldError::invalid(&path.index(0), value(), "may not change once set"));
    }
    errs
}

/// `validateUpgradeDowngradeIPFamilies`.
fn validate_ip_families_update(old: &Service, svc: &Service) -> Vec<FieldError> {
    if svc.spec.r#type == "ExternalName" || old.spec.r#type == "ExternalName" || is_headless(old) || is_headless(svc) {
        return Vec::new();
    }
    let (new_f, old_f) = (&svc.spec.ip_families, &old.spec.ip_families);
    let ip_families = Path::of(&["spec", "ipFamilies"]);
    let path = ip_families.index(0);
    let mut errs = Vec::new();
    if old_f.len() == new_f.len() {
        for (i, f) in old_f.iter().enumerate() {
            if *f != new_f[i] {
                errs.push(FieldError::invalid(&path, strings_value(new_f), "may not change once set"));
            }
        }
    } else if old_f.len() > new_f.len() {
        if svc.spec.cluster_ips.is_empty() {
            errs.push(FieldError::invalid(&path, strings_value(new_f), "primary ipFamily can not be unset"));
        }
        if !new_f.is_empty() && new_f[0] != old_f[0] {
            errs.push(FieldError::invalid(&path, strings_value(&svc.spec.cluster_ips), "may not change once set"));
        }
        if new_f.len() == 1 && svc.spec.ip_family_policy.as_deref() != Some("SingleStack") {
            errs.push(FieldError::invalid(
                &Path::new("spec").child("ipFamilyPolicy"),
                svc.spec.ip_family_policy.clone(),
                "must be set to 'SingleStack' when releasing the secondary ipFamily",
            ));
        }
    } else if !old_f.is_empty() && !new_f.is_empty() && new_f[0] != old_f[0] {
        errs.push(FieldError::invalid(&path, strings_value(&svc.spec.cluster_ips), "may not change once set"));
    }
    errs
}

super::validate_by!(Service, create: validate_service, update: validate_service_update);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::defaults::default_service;

    fn service(yaml_ports: &[(i32, &str)]) -> Service {
        let mut s = Service::default();
        s.metadata.name = "web".into();
        s.metadata.namespace = "default".into();
        for (port, protocol) in yaml_ports {
            s.spec.ports.push(ServicePort { port: *port, protocol: (*protocol).into(), ..Default::default() });
        }
        default_service(&mut s);
        s.spec.cluster_ip = "10.96.1.1".into();
        s.spec.cluster_ips = vec!["10.96.1.1".into()];
        s.spec.ip_families = vec!["IPv4".into()];
        s.spec.ip_family_policy = Some("SingleStack".into());
        s
    }

    fn messages(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn ports_out_of_range_and_unknown_protocols_are_refused() {
        let s = service(&[(99999, "TCP")]);
        assert_eq!(
            messages(&validate_service(&s)),
            [
                "spec.ports[0].port: Invalid value: 99999: must be between 1 and 65535, inclusive",
                "spec.ports[0].targetPort: Invalid value: 99999: must be between 1 and 65535, inclusive",
            ]
        );
        let s = service(&[(7, "ICMP")]);
        assert_eq!(messages(&validate_service(&s)), ["spec.ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""]);
    }

    #[test]
    fn several_ports_need_names_and_a_cluster_ip_service_no_node_port() {
        let mut s = service(&[(80, "TCP"), (443, "TCP")]);
        s.spec.ports[1].node_port = 30080;
        assert_eq!(
            messages(&validate_service(&s)),
            [
                "spec.ports[0].name: Required value",
                "spec.ports[1].name: Required value",
                "spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
            ]
        );
    }

    #[test]
    fn a_changed_cluster_ip_is_refused_on_update() {
        let old = service(&[(80, "TCP")]);
        let mut new = old.clone();
        new.spec.cluster_ip = "10.96.1.2".into();
        new.spec.cluster_ips = vec!["10.96.1.2".into()];
        assert_eq!(
            messages(&validate_service_update(&new, &old)),
            ["spec.clusterIPs[0]: Invalid value: []string{\"10.96.1.2\"}: may not change once set"]
        );
    }

    #[test]
    fn cidrs_and_special_ips() {
        assert!(is_valid_cidr("10.0.0.0/8") && is_valid_cidr("2001:db8::/64"));
        assert!(!is_valid_cidr("10.0.0.0/33") && !is_valid_cidr("10.0.0.0") && !is_valid_cidr("10.0.0.0/+8"));
        assert_eq!(non_special_ip_errors("127.0.0.1", &Path::new("x")).len(), 1);
        assert_eq!(non_special_ip_errors("8.8.8.8", &Path::new("x")).len(), 0);
    }
}
