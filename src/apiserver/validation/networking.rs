//! Ingresses, IngressClasses and NetworkPolicies (`pkg/apis/networking/validation/validation.go`).

use crate::api::networking_v1::{
    HTTPIngressPath, Ingress, IngressBackend, IngressClass, IngressClassParametersReference, IngressSpec, NetworkPolicy,
    NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec,
};
use crate::api::IntOrString;

use super::core::is_valid_port_name;
use super::field::{BadValue, FieldError, Path};
use super::meta::{
    inclusive_range_error, is_dns1123_subdomain, name_is_dns1035_label, name_is_dns_label, name_is_dns_subdomain,
    regex_error, validate_immutable, validate_label_selector, validate_object_meta, validate_object_meta_update,
    SelectorOptions,
};
use super::service::{cidr_errors, parse_ip};

const INGRESS_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";

/// `IsWildcardDNS1123Subdomain`: `*.` followed by a DNS subdomain.
pub fn is_wildcard_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(super::meta::max_len_error(253));
    }
    let ok = value.strip_prefix("*.").is_some_and(|rest| is_dns1123_subdomain(rest).is_empty());
    if !ok {
        errs.push(regex_error(
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
            "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
            &["*.example.com"],
        ));
    }
    errs
}

/// A host as an Ingress rule or TLS entry names it: a wildcard subdomain when it holds `*`, else a subdomain.
fn host_errors(host: &str, path: &Path) -> Vec<FieldError> {
    let msgs = if host.contains('*') { is_wildcard_dns1123_subdomain(host) } else { is_dns1123_subdomain(host) };
    msgs.into_iter().map(|m| FieldError::invalid(path, host, m)).collect()
}

fn name_errors(f: fn(&str, bool) -> Vec<String>, value: &str, path: &Path) -> Vec<FieldError> {
    f(value, false).into_iter().map(|m| FieldError::invalid(path, value, m)).collect()
}

/// `ValidateIngressCreate`: the Ingress, and a class annotation that agrees with `ingressClassName`.
pub fn validate_ingress(ing: &Ingress) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&ing.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_ingress_spec(&ing.spec, &Path::new("spec"), false));
    if let (Some(annotation), Some(class)) = (ing.metadata.annotations.get(INGRESS_CLASS_ANNOTATION), &ing.spec.ingress_class_name) {
        if annotation != class {
            errs.push(FieldError::invalid(
                &Path::new("annotations").child(INGRESS_CLASS_ANNOTATION),
                annotation,
                "must match `ingressClassName` when both are specified",
            ));
        }
    }
    errs
}

/// `ValidateIngressUpdate`: as on create, but a TLS secret name or wildcard rule the stored object already has
/// wrong is tolerated.
pub fn validate_ingress_update(ing: &Ingress, old: &Ingress) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&ing.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_object_meta(&ing.metadata, true, name_is_dns_subdomain, &Path::new("metadata")));
    let lenient_secrets = old.spec.tls.iter().any(|t| !t.secret_name.is_empty() && !name_is_dns_subdomain(&t.secret_name, false).is_empty());
    let mut spec_errs = validate_ingress_spec(&ing.spec, &Path::new("spec"), false);
    if lenient_secrets {
        spec_errs.retain(|e| !e.field.ends_with(".secretName"));
    }
    errs.extend(spec_errs);
    errs
}

/// `ValidateIngressSpec`.
fn validate_ingress_spec(spec: &IngressSpec, path: &Path, _update: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if spec.rules.is_empty() && spec.default_backend.is_none() {
        let rules = BadValue::go(&crate::go::GoValue::Slice("[]v1.IngressRule", None));
        errs.push(FieldError::invalid(path, rules, "either `defaultBackend` or `rules` must be specified"));
    }
    if let Some(b) = &spec.default_backend {
        errs.extend(validate_backend(b, &path.child("defaultBackend")));
    }
    let rules = path.child("rules");
    for (i, rule) in spec.rules.iter().enumerate() {
        let rule_path = rules.index(i);
        if !rule.host.is_empty() {
            if parse_ip(&rule.host).is_some() {
                errs.push(FieldError::invalid(&rule_path.child("host"), &rule.host, "must be a DNS name, not an IP address"));
            }
            errs.extend(host_errors(&rule.host, &rule_path.child("host")));
        }
        if let Some(http) = &rule.http {
            let http_path = rule_path.child("http");
            if http.paths.is_empty() {
                errs.push(FieldError::required(&http_path.child("paths"), ""));
            }
            for (j, p) in http.paths.iter().enumerate() {
                errs.extend(validate_http_path(p, &http_path.child("paths").index(j)));
            }
        }
    }
    let tls_list = path.child("tls");
    for (i, tls) in spec.tls.iter().enumerate() {
        let tls_path = tls_list.index(i);
        for (j, host) in tls.hosts.iter().enumerate() {
            errs.extend(host_errors(host, &tls_path.child("hosts").index(j)));
        }
        if !tls.secret_name.is_empty() {
            errs.extend(name_errors(name_is_dns_subdomain, &tls.secret_name, &tls_path.child("secretName")));
        }
    }
    if let Some(class) = &spec.ingress_class_name {
        errs.extend(name_errors(name_is_dns_subdomain, class, &path.child("ingressClassName")));
    }
    errs
}

/// `validateHTTPIngressPath`: a path type, an absolute and clean path for `Exact` and `Prefix`, a backend.
fn validate_http_path(p: &HTTPIngressPath, path: &Path) -> Vec<FieldError> {
    let Some(path_type) = &p.path_type else {
        return vec![FieldError::required(&path.child("pathType"), "pathType must be specified")];
    };
    let mut errs = Vec::new();
    let value_path = path.child("path");
    match path_type.as_str() {
        "Exact" | "Prefix" => {
            if !p.path.starts_with('/') {
                errs.push(FieldError::invalid(&value_path, &p.path, "must be an absolute path"));
            }
            if !p.path.is_empty() {
                for seq in ["//", "/./", "/../", "%2f", "%2F"] {
                    if p.path.contains(seq) {
                        errs.push(FieldError::invalid(&value_path, &p.path, format!("must not contain '{seq}'")));
                    }
                }
                for suffix in ["/..", "/."] {
                    if p.path.ends_with(suffix) {
                        errs.push(FieldError::invalid(&value_path, &p.path, format!("cannot end with '{suffix}'")));
                    }
                }
            }
        }
        "ImplementationSpecific" => {
            if !p.path.is_empty() && !p.path.starts_with('/') {
                errs.push(FieldError::invalid(&value_path, &p.path, "must be an absolute path"));
            }
        }
        other => errs.push(FieldError::not_supported(&path.child("pathType"), other, &["Exact", "ImplementationSpecific", "Prefix"])),
    }
    errs.extend(validate_backend(&p.backend, &path.child("backend")));
    errs
}

/// `validateIngressBackend`: a resource or a Service (named as a Service is, with a port name or number).
fn validate_backend(b: &IngressBackend, path: &Path) -> Vec<FieldError> {
    match (&b.resource, &b.service) {
        (Some(_), Some(_)) => vec![FieldError::invalid(path, "", "cannot set both resource and service backends")],
        (Some(r), None) => validate_typed_reference(r.api_group.as_deref(), &r.kind, &r.name, &path.child("resource")),
        (None, Some(s)) => {
            let mut errs = Vec::new();
            let service = path.child("service");
            let name_path = service.child("name");
            if s.name.is_empty() {
                errs.push(FieldError::required(&name_path, ""));
            } else {
                errs.extend(name_errors(name_is_dns1035_label, &s.name, &name_path));
            }
            let port_path = service.child("port");
            match (s.port.name.is_empty(), s.port.number) {
                (false, n) if n != 0 => errs.push(FieldError::invalid(path, "", "cannot set both port name & port number")),
                (false, _) => errs.extend(is_valid_port_name(&s.port.name).into_iter().map(|m| FieldError::invalid(&port_path.child("name"), &s.port.name, m))),
                (true, 0) => errs.push(FieldError::required(path, "port name or number is required")),
                (true, n) if !(1..=65535).contains(&n) => {
                    errs.push(FieldError::invalid(&port_path.child("number"), n, inclusive_range_error(1, 65535)));
                }
                (true, _) => {}
            }
            errs
        }
        (None, None) => vec![FieldError::invalid(path, "", "resource or service backend is required")],
    }
}


/// `validateIngressTypedLocalObjectReference`.
fn validate_typed_reference(api_group: Option<&str>, kind: &str, name: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(g) = api_group {
        errs.extend(is_dns1123_subdomain(g).into_iter().map(|m| FieldError::invalid(&path.child("apiGroup"), g, m)));
    }
    for (field, value) in [("kind", kind), ("name", name)] {
        if value.is_empty() {
            errs.push(FieldError::required(&path.child(field), format!("{field} is required")));
        } else {
            errs.extend(super::meta::name_is_path_segment(value, false).into_iter().map(|m| FieldError::invalid(&path.child(field), value, m)));
        }
    }
    errs
}

/// `IsDomainPrefixedPath`: `<DNS subdomain>/<path>`.
fn domain_prefixed_path_errors(value: &str, path: &Path) -> Vec<FieldError> {
    if value.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let Some((host, rest)) = value.split_once('/').filter(|(h, r)| !h.is_empty() && !r.is_empty()) else {
        return vec![FieldError::invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")")];
    };
    let mut errs: Vec<FieldError> = is_dns1123_subdomain(host).into_iter().map(|m| FieldError::invalid(path, host, m)).collect();
    let http_path_char = |c: char| c.is_ascii_alphanumeric() || "/-._~%!$&'()*+,;=:".contains(c);
    if !rest.chars().all(http_path_char) {
        errs.push(FieldError::invalid(path, rest, regex_error("must be a valid path", "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+", &[])));
    }
    errs
}

/// `ValidateIngressClass`: the controller, at most 250 characters and domain-prefixed, and the parameters.
pub fn validate_ingress_class(ic: &IngressClass) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&ic.metadata, false, name_is_dns_subdomain, &Path::new("metadata"));
    let spec = Path::new("spec");
    if ic.spec.controller.len() > 250 {
        errs.push(FieldError::too_long(&spec.child("controller"), 250));
    }
    errs.extend(domain_prefixed_path_errors(&ic.spec.controller, &spec.child("controller")));
    if let Some(p) = &ic.spec.parameters {
        errs.extend(validate_parameters(p, &spec.child("parameters")));
    }
    errs
}

/// `validateIngressClassParametersReference`.
fn validate_parameters(p: &IngressClassParametersReference, path: &Path) -> Vec<FieldError> {
    let mut errs = validate_typed_reference(p.api_group.as_deref(), &p.kind, &p.name, path);
    let Some(scope) = &p.scope else {
        errs.push(FieldError::required(&path.child("scope"), ""));
        return errs;
    };
    match scope.as_str() {
        "Namespace" => match &p.namespace {
            None => errs.push(FieldError::required(&path.child("namespace"), "`parameters.scope` is set to 'Namespace'")),
            Some(ns) => errs.extend(name_errors(name_is_dns_label, ns, &path.child("namespace"))),
        },
        "Cluster" => {
            if p.namespace.is_some() {
                errs.push(FieldError::forbidden(&path.child("namespace"), "`parameters.scope` is set to 'Cluster'"));
            }
        }
        other => errs.push(FieldError::not_supported(&path.child("scope"), other, &["Cluster", "Namespace"])),
    }
    errs
}

/// `ValidateIngressClassUpdate`: the controller cannot change.
pub fn validate_ingress_class_update(ic: &IngressClass, old: &IngressClass) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&ic.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_immutable(
        &ic.spec.controller,
        &old.spec.controller,
        || (&ic.spec.controller).into(),
        &Path::new("spec").child("controller"),
    ));
    errs.extend(validate_ingress_class(ic));
    errs
}

/// `ValidateNetworkPolicySpec`: selectors, ports, peers and at most the two policy types.
fn validate_network_policy_spec(spec: &NetworkPolicySpec, path: &Path) -> Vec<FieldError> {
    let opts = SelectorOptions::default();
    let mut errs = validate_label_selector(Some(&spec.pod_selector), opts, &path.child("podSelector"));
    let ingress = path.child("ingress");
    for (i, rule) in spec.ingress.iter().enumerate() {
        let rule_path = ingress.index(i);
        for (j, port) in rule.ports.iter().enumerate() {
            errs.extend(validate_policy_port(port, &rule_path.child("ports").index(j)));
        }
        for (j, peer) in rule.from.iter().enumerate() {
            errs.extend(validate_peer(peer, &rule_path.child("from").index(j)));
        }
    }
    let egress = path.child("egress");
    for (i, rule) in spec.egress.iter().enumerate() {
        let rule_path = egress.index(i);
        for (j, port) in rule.ports.iter().enumerate() {
            errs.extend(validate_policy_port(port, &rule_path.child("ports").index(j)));
        }
        for (j, peer) in rule.to.iter().enumerate() {
            errs.extend(validate_peer(peer, &rule_path.child("to").index(j)));
        }
    }
    if spec.policy_types.len() > 2 {
        errs.push(FieldError::invalid(
            &path.child("policyTypes"),
            super::service::strings_value(&spec.policy_types),
            "may not specify more than two policyTypes",
        ));
        return errs;
    }
    for (i, t) in spec.policy_types.iter().enumerate() {
        if !["Ingress", "Egress"].contains(&t.as_str()) {
            errs.push(FieldError::not_supported(&path.child("policyTypes").index(i), t, &["Ingress", "Egress"]));
        }
    }
    errs
}

/// `ValidateNetworkPolicyPort`.
fn validate_policy_port(port: &NetworkPolicyPort, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(proto) = &port.protocol {
        if !["TCP", "UDP", "SCTP"].contains(&proto.as_str()) {
            errs.push(FieldError::not_supported(&path.child("protocol"), proto, &["TCP", "UDP", "SCTP"]));
        }
    }
    match (&port.port, port.end_port) {
        (Some(IntOrString::Int(p)), end) => {
            if !(1..=65535).contains(p) {
                errs.push(FieldError::invalid(&path.child("port"), *p, inclusive_range_error(1, 65535)));
            }
            if let Some(end) = end {
                if end < *p {
                    errs.push(FieldError::invalid(&path.child("endPort"), *p, "must be greater than or equal to `port`"));
                }
                if !(1..=65535).contains(&end) {
                    errs.push(FieldError::invalid(&path.child("endPort"), end, inclusive_range_error(1, 65535)));
                }
            }
        }
        (Some(IntOrString::String(name)), end) => {
            if let Some(end) = end {
                errs.push(FieldError::invalid(&path.child("endPort"), end, "may not be specified when `port` is non-numeric"));
            }
            errs.extend(is_valid_port_name(name).into_iter().map(|m| FieldError::invalid(&path.child("port"), name, m)));
        }
        (None, Some(end)) => {
            errs.push(FieldError::invalid(&path.child("endPort"), end, "may not be specified when `port` is not specified"));
        }
        (None, None) => {}
    }
    errs
}

/// `ValidateNetworkPolicyPeer`: a pod selector, a namespace selector or an IP block, the block alone.
fn validate_peer(peer: &NetworkPolicyPeer, path: &Path) -> Vec<FieldError> {
    let opts = SelectorOptions::default();
    let mut errs = Vec::new();
    let mut peers = 0;
    if let Some(s) = &peer.pod_selector {
        peers += 1;
        errs.extend(validate_label_selector(Some(s), opts, &path.child("podSelector")));
    }
    if let Some(s) = &peer.namespace_selector {
        peers += 1;
        errs.extend(validate_label_selector(Some(s), opts, &path.child("namespaceSelector")));
    }
    if let Some(b) = &peer.ip_block {
        peers += 1;
        let block = path.child("ipBlock");
        if b.cidr.is_empty() {
            errs.push(FieldError::required(&block.child("cidr"), ""));
        } else {
            let bad = cidr_errors(&b.cidr, &block.child("cidr"));
            let valid = bad.is_empty();
            errs.extend(bad);
            if valid {
                let except_list = block.child("except");
                for (i, except) in b.except.iter().enumerate() {
                    let p = except_list.index(i);
                    let bad = cidr_errors(except, &p);
                    if bad.is_empty() && !strict_subset(except, &b.cidr) {
                        errs.push(FieldError::invalid(&p, except, "must be a strict subset of `cidr`"));
                    }
                    errs.extend(bad);
                }
            }
        }
    }
    if peers == 0 {
        errs.push(FieldError::required(path, "must specify a peer"));
    } else if peers > 1 && peer.ip_block.is_some() {
        errs.push(FieldError::forbidden(path, "may not specify both ipBlock and another peer"));
    }
    errs
}

/// Whether CIDR `inner` lies strictly inside `outer` (its address inside, its prefix longer).
fn strict_subset(inner: &str, outer: &str) -> bool {
    let parse = |c: &str| -> Option<(u128, u32, bool)> {
        let (ip, bits) = c.split_once('/')?;
        let bits: u32 = bits.parse().ok()?;
        match parse_ip(ip)? {
            // An IPv4 address in the top 32 bits, its prefix length unchanged.
            std::net::IpAddr::V4(v4) => Some((u128::from(u32::from(v4)) << 96, bits, false)),
            std::net::IpAddr::V6(v6) => Some((u128::from(v6), bits, true)),
        }
    };
    let (Some((i_ip, i_bits, i6)), Some((o_ip, o_bits, o6))) = (parse(inner), parse(outer)) else { return false };
    if i6 != o6 {
        return false;
    }
    let mask = |bits: u32| if bits == 0 { 0 } else { u128::MAX << (128 - bits.min(128)) };
    (i_ip & mask(o_bits)) == (o_ip & mask(o_bits)) && o_bits < i_bits
}

pub fn validate_network_policy(np: &NetworkPolicy) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&np.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_network_policy_spec(&np.spec, &Path::new("spec")));
    errs
}

pub fn validate_network_policy_update(np: &NetworkPolicy, old: &NetworkPolicy) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&np.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_network_policy_spec(&np.spec, &Path::new("spec")));
    errs
}

super::validate_by!(Ingress, create: validate_ingress, update: validate_ingress_update);
super::validate_by!(IngressClass, create: validate_ingress_class, update: validate_ingress_class_update);
super::validate_by!(NetworkPolicy, create: validate_network_policy, update: validate_network_policy_update);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_controller_must_be_a_domain_prefixed_path() {
        let errs = domain_prefixed_path_errors("traefik", &Path::new("spec").child("controller"));
        assert_eq!(errs[0].to_string(), "spec.controller: Invalid value: \"traefik\": must be a domain-prefixed path (such as \"acme.io/foo\")");
        assert!(domain_prefixed_path_errors("k8s.io/ingress-nginx", &Path::new("c")).is_empty());
    }

    #[test]
    fn wildcards_only_in_front() {
        assert!(is_wildcard_dns1123_subdomain("*.example.com").is_empty());
        assert_eq!(is_wildcard_dns1123_subdomain("app.*.example.com").len(), 1);
    }

    #[test]
    fn except_blocks_lie_inside_the_cidr() {
        assert!(strict_subset("10.0.1.0/24", "10.0.0.0/16"));
        assert!(!strict_subset("10.0.0.0/16", "10.0.0.0/16"));
        assert!(!strict_subset("10.1.0.0/24", "10.0.0.0/16"));
    }
}
