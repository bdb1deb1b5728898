//! Pod resource requests (`component-helpers/resource/helpers.go:PodRequests`) and the scheduler's resource
//! arithmetic (`pkg/scheduler/framework/types.go:Resource`).
//!
//! A pod requests the sum of its containers and its restartable (sidecar) init containers, or the largest
//! "in flight" request of an ordinary init container (its request plus the sidecars started before it),
//! whichever is larger per resource; pod overhead is added on top.

use std::collections::BTreeMap;

use crate::api::core_v1::{Container, PodSpec};
use crate::api::Quantity;

pub const CPU: &str = "cpu";
pub const MEMORY: &str = "memory";
pub const EPHEMERAL_STORAGE: &str = "ephemeral-storage";
pub const PODS: &str = "pods";

/// `DefaultMilliCPURequest` and `DefaultMemoryRequest`: what the scheduler assumes for a container that requests
/// nothing, when it scores (never when it filters).
pub const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
pub const DEFAULT_MEMORY_REQUEST: i64 = 200 * 1024 * 1024;

/// Requests per resource name, in thousandths of a unit (exact: quantities are kept at milli precision).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MilliList(pub BTreeMap<String, i128>);

impl MilliList {
    fn from_requests(reqs: &BTreeMap<String, Quantity>) -> MilliList {
        MilliList(reqs.iter().map(|(k, q)| (k.clone(), milli(q))).collect())
    }

    fn add(&mut self, other: &MilliList) {
        for (k, v) in &other.0 {
            let e = self.0.entry(k.clone()).or_insert(0);
            *e = e.saturating_add(*v);
        }
    }

    fn max(&mut self, other: &MilliList) {
        for (k, v) in &other.0 {
            let e = self.0.entry(k.clone()).or_insert(*v);
            if *v > *e {
                *e = *v;
            }
        }
    }

    /// `applyNonMissing`: add the defaults for resources the container does not mention at all.
    fn with_defaults(mut self, defaults: &[(&str, i128)]) -> MilliList {
        for (k, v) in defaults {
            self.0.entry((*k).to_owned()).or_insert(*v);
        }
        self
    }

    pub fn get(&self, name: &str) -> i128 {
        self.0.get(name).copied().unwrap_or(0)
    }
}

fn milli(q: &Quantity) -> i128 {
    q.ceil_scaled(-3)
}

fn container_requests(c: &Container, defaults: Option<&[(&str, i128)]>) -> MilliList {
    let reqs = MilliList::from_requests(&c.resources.requests);
    match defaults {
        Some(d) => reqs.with_defaults(d),
        None => reqs,
    }
}

fn is_sidecar(c: &Container) -> bool {
    c.restart_policy.as_deref() == Some("Always")
}

/// `PodRequests` in milli-units; with `non_zero` the scheduler's non-zero defaults fill missing cpu/memory.
pub fn pod_requests(spec: &PodSpec, non_zero: bool) -> MilliList {
    let defaults_owned = [(CPU, i128::from(DEFAULT_MILLI_CPU_REQUEST)), (MEMORY, i128::from(DEFAULT_MEMORY_REQUEST) * 1000)];
    let defaults = non_zero.then_some(&defaults_owned[..]);
    let mut reqs = MilliList::default();
    for c in &spec.containers {
        reqs.add(&container_requests(c, defaults));
    }
    let mut sidecars = MilliList::default();
    let mut init_max = MilliList::default();
    for c in &spec.init_containers {
        let r = container_requests(c, defaults);
        if is_sidecar(c) {
            reqs.add(&r);
            sidecars.add(&r);
            init_max.max(&sidecars);
        } else {
            let mut in_flight = r;
            in_flight.add(&sidecars);
            init_max.max(&in_flight);
        }
    }
    reqs.max(&init_max);
    reqs.add(&MilliList::from_requests(&spec.overhead));
    reqs
}

/// `framework.Resource`: what the scheduler counts per node and per pod. CPU in millicores, the rest in units
/// (`Quantity.Value`, rounded up).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resource {
    pub milli_cpu: i64,
    pub memory: i64,
    pub ephemeral_storage: i64,
    pub allowed_pod_number: i64,
    pub scalar: BTreeMap<String, i64>,
}

fn units(milli: i128) -> i64 {
    // ceil(milli / 1000)
    let v = if milli >= 0 { milli.saturating_add(999) / 1000 } else { milli / 1000 };
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

impl Resource {
    /// From a pod's requests.
    pub fn from_requests(reqs: &MilliList) -> Resource {
        let mut r = Resource::default();
        for (k, v) in &reqs.0 {
            r.set(k, *v);
        }
        r
    }

    /// From a node's allocatable (or capacity) list: `MilliValue` of cpu and `Value` of the rest, overflow as Go
    /// has it (`NewResource`).
    pub fn from_list(list: &BTreeMap<String, Quantity>) -> Resource {
        let mut r = Resource::default();
        for (k, q) in list {
            match k.as_str() {
                CPU => r.milli_cpu = q.milli_value(),
                MEMORY => r.memory = q.value(),
                EPHEMERAL_STORAGE => r.ephemeral_storage = q.value(),
                PODS => r.allowed_pod_number = q.value(),
                other if is_scalar_resource(other) => {
                    r.scalar.insert(other.to_owned(), q.value());
                }
                _ => {}
            }
        }
        r
    }

    fn set(&mut self, name: &str, milli: i128) {
        match name {
            CPU => self.milli_cpu = milli.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64,
            MEMORY => self.memory = units(milli),
            EPHEMERAL_STORAGE => self.ephemeral_storage = units(milli),
            PODS => self.allowed_pod_number = units(milli),
            other if is_scalar_resource(other) => {
                self.scalar.insert(other.to_owned(), units(milli));
            }
            _ => {}
        }
    }

    /// `Resource.Add`, wrapping as Go's int64 fields do.
    pub fn add(&mut self, other: &Resource) {
        self.combine(other, i64::wrapping_add);
    }

    /// `NodeInfo.update` with a negative sign, wrapping as Go's int64 fields do.
    pub fn sub(&mut self, other: &Resource) {
        self.combine(other, i64::wrapping_sub);
    }

    fn combine(&mut self, other: &Resource, op: fn(i64, i64) -> i64) {
        self.milli_cpu = op(self.milli_cpu, other.milli_cpu);
        self.memory = op(self.memory, other.memory);
        self.ephemeral_storage = op(self.ephemeral_storage, other.ephemeral_storage);
        self.allowed_pod_number = op(self.allowed_pod_number, other.allowed_pod_number);
        for (k, v) in &other.scalar {
            let e = self.scalar.entry(k.clone()).or_insert(0);
            *e = op(*e, *v);
        }
    }

    pub fn is_zero(&self) -> bool {
        self.milli_cpu == 0
            && self.memory == 0
            && self.ephemeral_storage == 0
            && self.scalar.values().all(|v| *v == 0)
    }

    /// The amount of a resource by name, in the unit the scheduler uses for it.
    pub fn get(&self, name: &str) -> i64 {
        match name {
            CPU => self.milli_cpu,
            MEMORY => self.memory,
            EPHEMERAL_STORAGE => self.ephemeral_storage,
            PODS => self.allowed_pod_number,
            other => self.scalar.get(other).copied().unwrap_or(0),
        }
    }
}

/// `v1helper.IsScalarResourceName`: extended resources, hugepages, `attachable-volumes-*` and native resources
/// under the `kubernetes.io/` prefix other than the four built-ins.
pub fn is_scalar_resource(name: &str) -> bool {
    name.starts_with("hugepages-")
        || name.starts_with("attachable-volumes-")
        || is_extended_resource(name)
        || (name.contains("kubernetes.io/") && !matches!(name, CPU | MEMORY | EPHEMERAL_STORAGE | PODS))
}

/// `v1helper.IsExtendedResourceName`: a fully qualified name outside the `kubernetes.io/` namespace.
pub fn is_extended_resource(name: &str) -> bool {
    if name.contains("kubernetes.io/") || name.starts_with("requests.") {
        return false;
    }
    match name.split_once('/') {
        Some((prefix, rest)) => !prefix.is_empty() && !rest.is_empty(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::ResourceRequirements;

    fn container(cpu: &str, sidecar: bool) -> Container {
        let mut c = Container::default();
        if !cpu.is_empty() {
            c.resources = ResourceRequirements {
                requests: [("cpu".to_string(), Quantity::parse(cpu).unwrap())].into_iter().collect(),
                ..Default::default()
            };
        }
        if sidecar {
            c.restart_policy = Some("Always".into());
        }
        c
    }

    #[test]
    fn init_containers_take_the_max_and_sidecars_add() {
        let spec = PodSpec {
            containers: vec![container("100m", false), container("200m", false)],
            init_containers: vec![container("500m", false)],
            ..Default::default()
        };
        assert_eq!(pod_requests(&spec, false).get(CPU), 500);
        let spec = PodSpec {
            containers: vec![container("100m", false)],
            init_containers: vec![container("50m", true), container("300m", false)],
            ..Default::default()
        };
        // sidecar adds 50m to the 100m; the later init container runs beside the sidecar: 300m + 50m.
        assert_eq!(pod_requests(&spec, false).get(CPU), 350);
    }

    #[test]
    fn non_zero_defaults_apply_only_to_missing_requests() {
        let spec = PodSpec { containers: vec![container("", false), container("0", false)], ..Default::default() };
        let r = Resource::from_requests(&pod_requests(&spec, true));
        assert_eq!(r.milli_cpu, 100, "an explicit 0 stays 0; a missing request counts 100m");
        assert_eq!(r.memory, 2 * DEFAULT_MEMORY_REQUEST);
        assert_eq!(Resource::from_requests(&pod_requests(&spec, false)).milli_cpu, 0);
    }

    #[test]
    fn scalar_resource_names() {
        assert!(is_scalar_resource("nvidia.com/gpu"));
        assert!(is_scalar_resource("hugepages-2Mi"));
        assert!(!is_scalar_resource("cpu"));
        assert!(!is_scalar_resource("bogus"));
    }
}
