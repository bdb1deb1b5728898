//! The Service REST storage's allocators (`pkg/registry/core/service/storage/alloc.go`, `ipallocator`,
//! `portallocator`): what `beginCreate` and `beginUpdate` do before the strategy runs. The IP family fields are
//! completed, cluster IPs and node ports allocated or checked, and a refusal returned with the allocator's
//! message.
//!
//! The model's cluster is single-stack IPv4 with the service CIDR 10.96.0.0/12 and node ports 30000-32767. A
//! real allocator picks free values at random; kubeplan takes them in order, cluster IPs from 10.96.1.1 and node
//! ports from 30086, each the first one no stored Service holds (the conformance model does the same, and its
//! check compares them as present, not by value).

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

use crate::api::core_v1::Service;

use super::validation::service::{is_headless, is_ipv6, needs_health_check, parse_ip, strings_value, validate_cluster_ips_related_fields};
use super::validation::{FieldError, Path};

/// The service CIDR, as `--service-cluster-ip-range` sets it.
pub const SERVICE_CIDR: &str = "10.96.0.0/12";
const CIDR_BASE: u32 = 0x0A60_0000; // 10.96.0.0
const CIDR_BITS: u32 = 12;
/// The first cluster IP kubeplan hands out.
const FIRST_CLUSTER_IP: u32 = 0x0A60_0101; // 10.96.1.1
/// `--service-node-port-range`, and the first node port kubeplan hands out.
pub const NODE_PORTS: (i32, i32) = (30000, 32767);
const FIRST_NODE_PORT: i32 = 30086;

/// The cluster IPs and node ports the stored Services hold.
#[derive(Clone, Debug, Default)]
pub struct Allocated {
    ips: BTreeSet<u32>,
    node_ports: BTreeSet<i32>,
}

impl Allocated {
    /// What `services` hold (the allocators' state is their union, as the repair controllers rebuild it).
    pub fn of<'a>(services: impl Iterator<Item = &'a Service>) -> Allocated {
        let mut a = Allocated::default();
        for svc in services {
            for ip in &svc.spec.cluster_ips {
                if let Some(IpAddr::V4(v4)) = parse_ip(ip) {
                    a.ips.insert(u32::from(v4));
                }
            }
            a.node_ports.extend(svc.spec.ports.iter().map(|p| p.node_port).filter(|p| *p != 0));
            if svc.spec.health_check_node_port != 0 {
                a.node_ports.insert(svc.spec.health_check_node_port);
            }
        }
        a
    }

    /// `AllocateNext` of the IP allocator: the first free address from 10.96.1.1 on.
    fn next_ip(&mut self) -> Option<u32> {
        let last = CIDR_BASE | ((1 << (32 - CIDR_BITS)) - 2);
        let ip = (FIRST_CLUSTER_IP..=last).find(|ip| !self.ips.contains(ip))?;
        self.ips.insert(ip);
        Some(ip)
    }

    /// `Allocate` of the IP allocator: the address must be in the range (not its network or broadcast address)
    /// and free.
    fn take_ip(&mut self, ip: u32) -> Result<(), String> {
        let size = 1u32 << (32 - CIDR_BITS);
        if ip & !(size - 1) != CIDR_BASE || ip == CIDR_BASE || ip == CIDR_BASE + size - 1 {
            return Err(format!(
                "the provided IP ({}) is not in the valid range. The range of valid IPs is {SERVICE_CIDR}",
                Ipv4Addr::from(ip)
            ));
        }
        if !self.ips.insert(ip) {
            return Err("provided IP is already allocated".to_owned());
        }
        Ok(())
    }

    /// `AllocateNext` of the node-port allocator.
    fn next_port(&mut self) -> Option<i32> {
        let port = (FIRST_NODE_PORT..=NODE_PORTS.1).chain(NODE_PORTS.0..FIRST_NODE_PORT).find(|p| !self.node_ports.contains(p))?;
        self.node_ports.insert(port);
        Some(port)
    }

    /// `Allocate` of the node-port allocator.
    fn take_port(&mut self, port: i32) -> Result<(), String> {
        if !(NODE_PORTS.0..=NODE_PORTS.1).contains(&port) {
            return Err(format!(
                "provided port is not in the valid range. The range of valid ports is {}-{}",
                NODE_PORTS.0, NODE_PORTS.1
            ));
        }
        if !self.node_ports.insert(port) {
            return Err("provided port is already allocated".to_owned());
        }
        Ok(())
    }
}

/// Why the allocators refused a Service: field errors (an `Invalid` error) or an internal error's message.
#[derive(Clone, Debug, PartialEq)]
pub enum AllocError {
    Invalid(Vec<FieldError>),
    Internal(String),
}

/// `beginCreate`: `normalizeClusterIPs`, then `allocateCreate` (IP family fields, cluster IPs, node ports and the
/// health-check node port).
pub fn allocate_create(svc: &mut Service, allocated: &Allocated) -> Result<(), AllocError> {
    let mut a = allocated.clone();
    if !svc.spec.cluster_ip.is_empty() && svc.spec.cluster_ips.is_empty() {
        svc.spec.cluster_ips = vec![svc.spec.cluster_ip.clone()];
    }
    init_ip_family_fields(svc, None)?;
    alloc_cluster_ips(svc, &mut a)?;
    if matches!(svc.spec.r#type.as_str(), "NodePort" | "LoadBalancer") {
        init_node_ports(svc, &mut a)?;
    }
    if needs_health_check(svc) {
        alloc_health_check_port(svc, &mut a)?;
    }
    Ok(())
}

/// `beginUpdate`: the values the client left out are taken from the stored Service (`patchAllocatedValues`, so
/// that `kubectl apply` of a manifest without them keeps them), `normalizeClusterIPs`, then `allocateUpdate`.
pub fn allocate_update(svc: &mut Service, old: &Service, allocated: &Allocated) -> Result<(), AllocError> {
    let mut a = allocated.clone();
    patch_allocated_values(svc, old);
    normalize_cluster_ips_update(svc, old);
    init_ip_family_fields(svc, Some(old))?;
    if old.spec.r#type == "ExternalName" && svc.spec.r#type != "ExternalName" {
        alloc_cluster_ips(svc, &mut a)?;
    }
    let old_node_ports: BTreeSet<i32> = old.spec.ports.iter().map(|p| p.node_port).filter(|p| *p != 0).collect();
    if matches!(svc.spec.r#type.as_str(), "NodePort" | "LoadBalancer") {
        let allocate = should_allocate_node_ports(svc);
        for (i, p) in svc.spec.ports.iter_mut().enumerate() {
            if p.node_port == 0 && !allocate {
                continue;
            }
            if p.node_port != 0 {
                if !old_node_ports.contains(&p.node_port) {
                    a.take_port(p.node_port).map_err(|e| node_port_error(i, p.node_port, e))?;
                }
            } else {
                p.node_port = a.next_port().ok_or_else(|| AllocError::Internal("failed to allocate a nodePort: range is full".into()))?;
            }
        }
    }
    if !needs_health_check(old) && needs_health_check(svc) {
        alloc_health_check_port(svc, &mut a)?;
    }
    Ok(())
}

/// `shouldAllocateNodePorts`: NodePort Services, and LoadBalancers unless they opt out.
fn should_allocate_node_ports(svc: &Service) -> bool {
    svc.spec.r#type == "NodePort" || (svc.spec.r#type == "LoadBalancer" && svc.spec.allocate_load_balancer_node_ports.unwrap_or(true))
}

fn node_port_error(i: usize, port: i32, e: String) -> AllocError {
    AllocError::Invalid(vec![FieldError::invalid(&Path::new("spec").child("ports").index(i).child("nodePort"), port, e)])
}

/// `patchAllocatedValues`.
fn patch_allocated_values(svc: &mut Service, old: &Service) {
    let needs_ip = |s: &Service| s.spec.r#type != "ExternalName";
    if needs_ip(old) && needs_ip(svc) {
        if svc.spec.cluster_ip.is_empty() {
            svc.spec.cluster_ip = old.spec.cluster_ip.clone();
        }
        if svc.spec.cluster_ips.is_empty() && !old.spec.cluster_ips.is_empty() {
            svc.spec.cluster_ips = old.spec.cluster_ips.clone();
        }
    }
    if should_allocate_node_ports(old) && should_allocate_node_ports(svc) {
        let used = |s: &Service| s.spec.ports.iter().map(|p| p.node_port).filter(|p| *p != 0).collect::<BTreeSet<_>>();
        let both: BTreeSet<i32> = used(old).intersection(&used(svc)).copied().collect();
        for p in &mut svc.spec.ports {
            if p.node_port == 0 {
                let old_port = old.spec.ports.iter().rev().find(|o| o.name == p.name).map_or(0, |o| o.node_port);
                if !both.contains(&old_port) {
                    p.node_port = old_port;
                }
            }
        }
    }
    if needs_health_check(old) && needs_health_check(svc) && svc.spec.health_check_node_port == 0 {
        svc.spec.health_check_node_port = old.spec.health_check_node_port;
    }
}

/// `normalizeClusterIPs` on update.
fn normalize_cluster_ips_update(svc: &mut Service, old: &Service) {
    let (o, n) = (&old.spec, &mut svc.spec);
    if !o.cluster_ips.is_empty() && n.cluster_ips.is_empty() && o.cluster_ip == n.cluster_ip {
        n.cluster_ips = o.cluster_ips.clone();
    }
    if o.cluster_ip != n.cluster_ip {
        let same = o.cluster_ips == n.cluster_ips;
        if !o.cluster_ip.is_empty() && n.cluster_ip.is_empty() {
            if same {
                n.cluster_ips.clear();
            }
        } else if same {
            n.cluster_ips = vec![n.cluster_ip.clone()];
        }
    }
}

/// `initIPFamilyFields`: the policy defaults to the stored one, `RequireDualStack` for a headless Service without
/// a selector, else `SingleStack`; the families follow the cluster IPs, then the cluster's (IPv4 only).
fn init_ip_family_fields(svc: &mut Service, old: Option<&Service>) -> Result<(), AllocError> {
    if svc.spec.r#type == "ExternalName" {
        return Ok(());
    }
    if svc.spec.ip_family_policy.is_none() {
        svc.spec.ip_family_policy = Some(match old.and_then(|o| o.spec.ip_family_policy.clone()) {
            Some(p) => p,
            None if svc.spec.cluster_ip == "None" && svc.spec.selector.is_empty() => "RequireDualStack".to_owned(),
            None => "SingleStack".to_owned(),
        });
    }
    let related = validate_cluster_ips_related_fields(svc);
    if !related.is_empty() {
        return Err(AllocError::Invalid(related));
    }
    let spec_path = Path::new("spec");
    let policy = svc.spec.ip_family_policy.clone().unwrap_or_default();
    let mut errs = Vec::new();
    if let Some(old) = old {
        let reduced = |new: usize, old: usize| new < old;
        if policy == "SingleStack" {
            if old.spec.cluster_ips == svc.spec.cluster_ips && svc.spec.cluster_ips.len() > 1 {
                svc.spec.cluster_ips.truncate(1);
            }
            if old.spec.ip_families == svc.spec.ip_families && svc.spec.ip_families.len() > 1 {
                svc.spec.ip_families.truncate(1);
            }
        } else {
            if reduced(svc.spec.cluster_ips.len(), old.spec.cluster_ips.len()) && !svc.spec.cluster_ips.is_empty() {
                errs.push(FieldError::invalid(&spec_path.child("ipFamilyPolicy"), policy.as_str(), "must be 'SingleStack' to release the secondary cluster IP"));
            }
            if reduced(svc.spec.ip_families.len(), old.spec.ip_families.len()) && !svc.spec.ip_families.is_empty() {
                errs.push(FieldError::invalid(&spec_path.child("ipFamilyPolicy"), policy.as_str(), "must be 'SingleStack' to release the secondary IP family"));
            }
        }
    }
    if policy == "SingleStack" {
        if svc.spec.cluster_ips.len() == 2 {
            errs.push(FieldError::invalid(
                &spec_path.child("ipFamilyPolicy"),
                policy.as_str(),
                "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
            ));
        }
        if svc.spec.ip_families.len() == 2 {
            errs.push(FieldError::invalid(
                &spec_path.child("ipFamilyPolicy"),
                policy.as_str(),
                "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
            ));
        }
    }
    for (i, ip) in svc.spec.cluster_ips.clone().iter().enumerate() {
        if ip == "None" {
            break;
        }
        if i >= svc.spec.ip_families.len() {
            if is_ipv6(ip) {
                errs.push(FieldError::invalid(&spec_path.child("clusterIPs").index(i), strings_value(&svc.spec.cluster_ips), "IPv6 is not configured on this cluster"));
            } else {
                svc.spec.ip_families.push("IPv4".to_owned());
            }
        }
    }
    if !errs.is_empty() {
        return Err(AllocError::Invalid(errs));
    }
    if svc.spec.cluster_ip == "None" && svc.spec.selector.is_empty() {
        if svc.spec.ip_families.is_empty() {
            svc.spec.ip_families.push("IPv4".to_owned());
        }
        if svc.spec.ip_families.len() < 2 && policy != "SingleStack" {
            let other = if svc.spec.ip_families[0] == "IPv4" { "IPv6" } else { "IPv4" };
            svc.spec.ip_families.push(other.to_owned());
        }
        return Ok(());
    }
    if policy == "RequireDualStack" {
        errs.push(FieldError::invalid(&spec_path.child("ipFamilyPolicy"), policy.as_str(), "this cluster is not configured for dual-stack services"));
    }
    for (i, f) in svc.spec.ip_families.iter().enumerate() {
        if f != "IPv4" {
            errs.push(FieldError::invalid(&spec_path.child("ipFamilies").index(i), f, "not configured on this cluster"));
        }
    }
    if !errs.is_empty() {
        return Err(AllocError::Invalid(errs));
    }
    if svc.spec.ip_families.is_empty() {
        svc.spec.ip_families.push("IPv4".to_owned());
    }
    Ok(())
}

/// `allocClusterIPs`: none for ExternalName and headless Services; the requested address, or the next free one.
fn alloc_cluster_ips(svc: &mut Service, a: &mut Allocated) -> Result<(), AllocError> {
    if svc.spec.r#type == "ExternalName" || svc.spec.cluster_ips.first().is_some_and(|ip| ip == "None") {
        return Ok(());
    }
    let requested = svc.spec.cluster_ips.first().cloned().unwrap_or_default();
    let ip = if requested.is_empty() {
        let ip = a.next_ip().ok_or_else(|| AllocError::Internal("failed to allocate a serviceIP: range is full".into()))?;
        Ipv4Addr::from(ip).to_string()
    } else {
        let Some(IpAddr::V4(v4)) = parse_ip(&requested) else {
            return Err(AllocError::Internal(format!("failed to parse service IP {requested:?}")));
        };
        a.take_ip(u32::from(v4)).map_err(|e| {
            AllocError::Invalid(vec![FieldError::invalid(
                &Path::new("spec").child("clusterIPs"),
                strings_value(&svc.spec.cluster_ips),
                format!("failed to allocate IP {requested}: {e}"),
            )])
        })?;
        requested
    };
    if svc.spec.cluster_ips.is_empty() {
        svc.spec.cluster_ips.push(ip.clone());
    } else {
        svc.spec.cluster_ips[0] = ip.clone();
    }
    svc.spec.cluster_ip = ip;
    Ok(())
}

/// `initNodePorts`: a port asked for is taken (once per service port number), the others allocated when the
/// type allocates node ports.
fn init_node_ports(svc: &mut Service, a: &mut Allocated) -> Result<(), AllocError> {
    let allocate = should_allocate_node_ports(svc);
    let mut by_port: Vec<(i32, i32)> = Vec::new();
    let requested: Vec<(i32, i32)> = svc.spec.ports.iter().map(|p| (p.port, p.node_port)).collect();
    for (i, p) in svc.spec.ports.iter_mut().enumerate() {
        if p.node_port == 0 && !allocate {
            continue;
        }
        match by_port.iter().find(|(port, _)| *port == p.port).map(|(_, np)| *np) {
            None => {
                let wanted = requested.iter().skip(i).find(|(port, np)| *port == p.port && *np != 0).map(|(_, np)| *np);
                let np = match wanted {
                    Some(np) => {
                        a.take_port(np).map_err(|e| node_port_error(i, np, e))?;
                        np
                    }
                    None => a.next_port().ok_or_else(|| AllocError::Internal("failed to allocate a nodePort: range is full".into()))?,
                };
                p.node_port = np;
                by_port.push((p.port, np));
            }
            Some(np) if p.node_port != np => {
                if p.node_port == 0 {
                    p.node_port = np;
                } else {
                    a.take_port(p.node_port).map_err(|e| node_port_error(i, p.node_port, e))?;
                }
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// `allocHealthCheckNodePort`.
fn alloc_health_check_port(svc: &mut Service, a: &mut Allocated) -> Result<(), AllocError> {
    let hc = svc.spec.health_check_node_port;
    if hc != 0 {
        a.take_port(hc).map_err(|e| AllocError::Internal(format!("failed to allocate requested HealthCheck NodePort {hc}: {e}")))?;
    } else {
        svc.spec.health_check_node_port =
            a.next_port().ok_or_else(|| AllocError::Internal("failed to allocate a HealthCheck NodePort 0: range is full".into()))?;
    }
    Ok(())
}

/// Whether a Service holds a cluster IP (not ExternalName, not headless).
pub fn has_cluster_ip(svc: &Service) -> bool {
    svc.spec.r#type != "ExternalName" && !is_headless(svc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::ServicePort;

    fn service(t: &str) -> Service {
        let mut s = Service::default();
        s.metadata.name = "web".into();
        s.spec.r#type = t.into();
        s.spec.selector.insert("app".into(), "web".into());
        s.spec.ports.push(ServicePort { port: 80, protocol: "TCP".into(), ..Default::default() });
        s
    }

    #[test]
    fn addresses_and_ports_are_taken_in_order() {
        let mut a = service("NodePort");
        allocate_create(&mut a, &Allocated::default()).unwrap();
        assert_eq!((a.spec.cluster_ip.as_str(), a.spec.ports[0].node_port), ("10.96.1.1", 30086));
        assert_eq!(a.spec.ip_families, ["IPv4"]);
        assert_eq!(a.spec.ip_family_policy.as_deref(), Some("SingleStack"));
        let mut b = service("NodePort");
        allocate_create(&mut b, &Allocated::of([&a].into_iter())).unwrap();
        assert_eq!((b.spec.cluster_ip.as_str(), b.spec.ports[0].node_port), ("10.96.1.2", 30087));
    }

    #[test]
    fn requests_outside_the_ranges_are_refused() {
        let mut s = service("ClusterIP");
        s.spec.cluster_ip = "10.0.0.10".into();
        let Err(AllocError::Invalid(e)) = allocate_create(&mut s, &Allocated::default()) else { panic!() };
        assert_eq!(
            e[0].to_string(),
            "spec.clusterIPs: Invalid value: []string{\"10.0.0.10\"}: failed to allocate IP 10.0.0.10: the provided IP (10.0.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12"
        );
        let mut s = service("NodePort");
        s.spec.ports[0].node_port = 80;
        let Err(AllocError::Invalid(e)) = allocate_create(&mut s, &Allocated::default()) else { panic!() };
        assert_eq!(
            e[0].to_string(),
            "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"
        );
    }

    #[test]
    fn headless_services_get_no_address() {
        let mut s = service("ClusterIP");
        s.spec.cluster_ip = "None".into();
        allocate_create(&mut s, &Allocated::default()).unwrap();
        assert_eq!(s.spec.cluster_ips, ["None"]);
        assert_eq!(s.spec.ip_families, ["IPv4"]);
        s.spec.selector.clear();
        s.spec.ip_family_policy = None;
        s.spec.ip_families.clear();
        allocate_create(&mut s, &Allocated::default()).unwrap();
        assert_eq!(s.spec.ip_families, ["IPv4", "IPv6"], "headless without a selector defaults to dual-stack");
    }

    #[test]
    fn an_update_without_the_allocated_values_keeps_them() {
        let mut old = service("NodePort");
        allocate_create(&mut old, &Allocated::default()).unwrap();
        let mut new = service("NodePort");
        allocate_update(&mut new, &old, &Allocated::of([&old].into_iter())).unwrap();
        assert_eq!((new.spec.cluster_ip.as_str(), new.spec.ports[0].node_port), ("10.96.1.1", 30086));
    }
}
