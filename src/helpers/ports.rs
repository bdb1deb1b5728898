//! Host ports (`pkg/scheduler/util.GetHostPorts`, `framework.HostPortInfo`): what the scheduler's NodePorts filter
//! and the kubelet's admission both check, a host port being usable by one pod per node.

use crate::api::core_v1::Pod;

/// A host port a pod uses: `(ip, protocol, port)` with Kubernetes' defaults filled in (`0.0.0.0`, `TCP`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostPort {
    pub ip: String,
    pub protocol: String,
    pub port: i32,
}

/// The host ports of a pod's regular containers (`schedutil.GetHostPorts`; init containers are ignored).
pub fn host_ports(pod: &Pod) -> Vec<HostPort> {
    let mut out = Vec::new();
    for c in &pod.spec.containers {
        for p in &c.ports {
            if p.host_port <= 0 {
                continue;
            }
            out.push(HostPort {
                ip: if p.host_ip.is_empty() { "0.0.0.0".into() } else { p.host_ip.clone() },
                protocol: if p.protocol.is_empty() { "TCP".into() } else { p.protocol.clone() },
                port: p.host_port,
            });
        }
    }
    out
}

/// `HostPortInfo.CheckConflict`: the same protocol and port on the same IP, or where either side is 0.0.0.0.
pub fn ports_conflict(used: &[HostPort], wanted: &HostPort) -> bool {
    used.iter().any(|u| {
        u.port == wanted.port
            && u.protocol == wanted.protocol
            && (u.ip == wanted.ip || u.ip == "0.0.0.0" || wanted.ip == "0.0.0.0")
    })
}
