//! Port names that resolve to nothing: a Service's named `targetPort` that a selected pod does not declare
//! (the endpoints controller leaves that pod out, `podutil.FindPort`), and a probe on a port name its container
//! does not declare (the kubelet cannot resolve it, `probe.ResolveContainerPort`, and the probe fails).

use crate::api::core_v1::{Container, ContainerPort, PodSpec, Probe, Service};
use crate::api::{IntOrString, Object};
use crate::input::Manifest;

use super::{owner, Chart, PodSource};
use crate::lint::{locate, suggest, Context, Edit, Finding};

pub(super) fn check(chart: &Chart<'_>, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in ctx.all() {
        if let Object::Service(s) = &m.object {
            service_target_ports(chart, m, s, out);
        }
    }
    for p in &chart.pods {
        probes(p, out);
    }
}

/// A protocol as defaulting leaves it: TCP when unset.
fn protocol(p: &str) -> &str {
    if p.is_empty() {
        "TCP"
    } else {
        p
    }
}

/// The ports `podutil.FindPort` searches for a named target port: every container's, then those of sidecars
/// (init containers with `restartPolicy: Always`).
fn endpoint_ports(spec: &PodSpec) -> impl Iterator<Item = &ContainerPort> {
    let sidecars = spec.init_containers.iter().filter(|c| c.restart_policy.as_deref() == Some("Always"));
    spec.containers.iter().chain(sidecars).flat_map(|c| c.ports.iter())
}

fn service_target_ports(chart: &Chart<'_>, m: &Manifest, s: &Service, out: &mut Vec<Finding>) {
    let Some(selector) = super::selectors::service_selector(s) else { return };
    let ns = s.metadata.namespace.as_str();
    let selected = chart.selected(Some(ns), &selector);
    for (i, port) in s.spec.ports.iter().enumerate() {
        let IntOrString::String(name) = &port.target_port else { continue };
        let proto = protocol(&port.protocol);
        let declares = |p: &PodSource<'_>| endpoint_ports(p.spec).any(|c| c.name == *name && protocol(&c.protocol) == proto);
        let lacking: Vec<&PodSource<'_>> = selected.iter().copied().filter(|p| !declares(p)).collect();
        let Some(first) = lacking.first() else { continue };
        let field = format!("spec.ports[{i}].targetPort");
        let other_protocol = endpoint_ports(first.spec).find(|c| c.name == *name).map(|c| protocol(&c.protocol));
        let why = match other_protocol {
            Some(other) => format!("declares port {name:?} as {other}, not {proto}"),
            None => format!("declares no {proto} port named {name:?}"),
        };
        let whom = match lacking.len() {
            1 => owner(first),
            n => format!("{} (and {} more selected workloads)", owner(first), n - 1),
        };
        let consequence = if lacking.len() == selected.len() {
            "so the Service has no endpoints for this port"
        } else {
            "so those pods are left out of the Service's endpoints for this port"
        };
        let message = format!("targetPort {name:?}: {whom}, selected by this Service, {why}, {consequence}");
        let f = Finding::at("service-target-port-undeclared", m, &field, message);
        out.push(with_port_fix(f, m, &field, name, endpoint_ports(first.spec).filter(|c| protocol(&c.protocol) == proto)));
    }
}

/// A fix naming a declared port instead: a close name, else the only port there is.
fn with_port_fix<'p>(f: Finding, m: &Manifest, field: &str, name: &str, ports: impl Iterator<Item = &'p ContainerPort>) -> Finding {
    let ports: Vec<&ContainerPort> = ports.collect();
    let names: Vec<&str> = ports.iter().map(|p| p.name.as_str()).filter(|n| !n.is_empty()).collect();
    let replacement = match suggest(name, &names) {
        Some(close) => close.to_owned(),
        None => match ports.as_slice() {
            [only] if !only.name.is_empty() => only.name.clone(),
            [only] => only.container_port.to_string(),
            _ => return f,
        },
    };
    let Some(span) = locate::value_span(m, field) else { return f };
    let edits = vec![Edit { file: m.file.to_string(), span, text: replacement.clone() }];
    f.with_fix(format!("use the declared port {replacement}"), edits)
}

/// Probes whose port is a name their container does not declare.
fn probes(p: &PodSource<'_>, out: &mut Vec<Finding>) {
    let lists: [(&str, &[Container]); 2] = [("containers", &p.spec.containers), ("initContainers", &p.spec.init_containers)];
    for (list, containers) in lists {
        for (i, c) in containers.iter().enumerate() {
            let probes = [
                ("livenessProbe", c.liveness_probe.as_deref(), "the container is restarted over and over"),
                ("readinessProbe", c.readiness_probe.as_deref(), "the pod never becomes ready"),
                ("startupProbe", c.startup_probe.as_deref(), "the container is restarted over and over"),
            ];
            for (kind, probe, consequence) in probes {
                let Some(probe) = probe else { continue };
                for (action, port) in probe_ports(probe) {
                    let IntOrString::String(name) = port else { continue };
                    // The kubelet's last resort: a number written as a string.
                    if c.ports.iter().any(|cp| cp.name == *name) || name.parse::<i64>().is_ok() {
                        continue;
                    }
                    let field = p.spec_field(&format!("{list}[{i}].{kind}.{action}.port"));
                    let message = format!(
                        "{kind} port {name:?}: container {:?} of {} declares no port named {name:?}; the kubelet \
                         cannot resolve it (port {name} not found), so the probe fails and {consequence}",
                        c.name,
                        owner(p)
                    );
                    let f = Finding::at("probe-port-undeclared", p.manifest, &field, message);
                    out.push(with_port_fix(f, p.manifest, &field, name, c.ports.iter()));
                }
            }
        }
    }
}

/// The ports a probe's handler connects to, with the handler's field name.
fn probe_ports(probe: &Probe) -> Vec<(&'static str, &IntOrString)> {
    let mut ports = Vec::new();
    if let Some(h) = &probe.http_get {
        ports.push(("httpGet", &h.port));
    }
    if let Some(t) = &probe.tcp_socket {
        ports.push(("tcpSocket", &t.port));
    }
    ports
}
