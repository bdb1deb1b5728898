//! `GetWarningsForService` (`pkg/api/service/warnings.go`): a deprecated annotation, addresses that validation
//! still accepts but Go's strict parser (`net/netip`) will not, IPv6 addresses not written canonically, and
//! fields the Service's type ignores.

use std::net::Ipv6Addr;

use crate::api::core_v1::Service;
use crate::apiserver::validation::field::Path;
use crate::go::fmt::quote;

const TOPOLOGY_AWARE_HINTS: &str = "service.kubernetes.io/topology-aware-hints";
const TOPOLOGY_MODE: &str = "service.kubernetes.io/topology-mode";

pub fn warnings(svc: &Service) -> Vec<String> {
    let spec = Path::new("spec");
    let s = &svc.spec;
    let mut w = Vec::new();
    if svc.metadata.annotations.contains_key(TOPOLOGY_AWARE_HINTS) {
        w.push(format!("annotation {TOPOLOGY_AWARE_HINTS} is deprecated, please use {TOPOLOGY_MODE} instead"));
    }
    // `helper.IsServiceIPSet`: a cluster IP that is neither empty nor `None`.
    if !s.cluster_ip.is_empty() && s.cluster_ip != "None" {
        let ips = spec.child("clusterIPs");
        w.extend(s.cluster_ips.iter().enumerate().filter_map(|(i, ip)| address(&ips.index(i), ip)));
    }
    let external = spec.child("externalIPs");
    w.extend(s.external_ips.iter().enumerate().filter_map(|(i, ip)| address(&external.index(i), ip)));
    if !s.load_balancer_ip.is_empty() {
        w.extend(address(&spec.child("loadBalancerIP"), &s.load_balancer_ip));
    }
    let ranges = spec.child("loadBalancerSourceRanges");
    w.extend(s.load_balancer_source_ranges.iter().enumerate().filter_map(|(i, c)| prefix(&ranges.index(i), c)));
    if s.r#type == "ExternalName" && !s.external_ips.is_empty() {
        w.push(r#"spec.externalIPs is ignored when spec.type is "ExternalName""#.to_owned());
    }
    if s.r#type != "ExternalName" && !s.external_name.is_empty() {
        w.push(r#"spec.externalName is ignored when spec.type is not "ExternalName""#.to_owned());
    }
    w
}

/// `getWarningsForIP`.
fn address(path: &Path, text: &str) -> Option<String> {
    if let Err(e) = strict_address(text) {
        return Some(format!("{path}: IP address was accepted, but will be invalid in a future Kubernetes release: {e}"));
    }
    let canonical = non_canonical_v6(text)?;
    Some(format!(
        "{path}: IPv6 address {} is not in RFC 5952 canonical format ({}), which may cause controller apply-loops",
        quote(text),
        quote(&canonical)
    ))
}

/// `getWarningsForCIDR`.
fn prefix(path: &Path, text: &str) -> Option<String> {
    let error = |msg: String| format!("netip.ParsePrefix({}): {msg}", quote(text));
    let (addr, bits) = text.rsplit_once('/')?;
    let problem = match strict_address(addr) {
        Err(e) => Some(error(e)),
        // Go's prefix length takes no sign and no leading zero.
        Ok(()) if bits.len() > 1 && !bits.starts_with(|c: char| ('1'..='9').contains(&c)) => {
            Some(error(format!("bad bits after slash: {}", quote(bits))))
        }
        Ok(()) => None,
    };
    if let Some(e) = problem {
        return Some(format!("{path}: IP prefix was accepted, but will be invalid in a future Kubernetes release: {e}"));
    }
    let canonical = format!("{}/{bits}", non_canonical_v6(addr)?);
    Some(format!(
        "{path}: IPv6 prefix {} is not in RFC 5952 canonical format ({}), which may cause controller apply-loops",
        quote(text),
        quote(&canonical)
    ))
}

/// What `netip.ParseAddr` refuses of an address that validation's lenient parser accepted: IPv4 octets with a
/// leading zero (`010.0.0.1`). Validation has refused anything else already.
fn strict_address(text: &str) -> Result<(), String> {
    let dotted = text.rsplit(':').next().unwrap_or(text);
    let leading_zero = dotted.contains('.') && dotted.split('.').any(|o| o.len() > 1 && o.starts_with('0'));
    if leading_zero {
        return Err(format!("ParseAddr({}): IPv4 field has octet with leading zero", quote(text)));
    }
    Ok(())
}

/// The canonical text of an IPv6 address written otherwise (`2001:DB8::0:1` → `2001:db8::1`). Rust's `Display`
/// of an IPv6 address follows RFC 5952 as Go's `netip.Addr.String` does.
fn non_canonical_v6(text: &str) -> Option<String> {
    let ip: Ipv6Addr = text.parse().ok()?;
    let canonical = ip.to_string();
    (canonical != text).then_some(canonical)
}
