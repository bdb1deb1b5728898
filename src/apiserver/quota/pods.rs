//! The pod evaluator of quota (`pkg/quota/v1/evaluator/core/pods.go`): what a pod uses, which quota scopes it
//! falls in, and which resources a quota forces its containers to state.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::core_v1::{Container, Pod, PodSpec};
use crate::api::QuantityFormat as Format;
use crate::api::Quantity;

use super::resources::{add, ResourceList};

/// `count/pods`, the object count of pods.
pub const COUNT: &str = "count/pods";

/// The resources the pod evaluator accounts (`podResources`), besides the hugepages and extended ones.
const RESOURCES: &[&str] = &[
    COUNT,
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
];

const HUGE_PAGES: &str = "hugepages-";
const REQUESTS: &str = "requests.";

/// The resources a quota bounding them makes every container state (`validationSet`).
const STATED: &[&str] = &["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];

/// `helper.IsNativeResource`: no domain, or a `kubernetes.io/` one.
fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// `helper.IsExtendedResourceName`: a resource a device plugin or the operator defines (`example.com/gpu`).
fn is_extended(name: &str) -> bool {
    !is_native(name) && !name.starts_with(REQUESTS)
}

/// `MatchingResources`: the names of `names` this evaluator accounts.
pub fn matching_resources<S: AsRef<str>>(names: &[S]) -> Vec<String> {
    let mut result = super::resources::intersection(names, RESOURCES);
    for name in names.iter().map(AsRef::as_ref) {
        let prefixed = name.starts_with(HUGE_PAGES) || name.starts_with(&format!("{REQUESTS}{HUGE_PAGES}"));
        let extended = !is_native(name) && name.starts_with(REQUESTS);
        if prefixed || extended {
            result.push(name.to_owned());
        }
    }
    result
}

/// `resourcehelper.PodRequests` / `PodLimits` over one of a container's lists: the containers' and sidecars'
/// sum, or the largest in-flight need of an ordinary init container (its own plus the sidecars started before
/// it), whichever is larger per resource (`AggregateContainerRequests` / `AggregateContainerLimits`).
pub fn aggregate(spec: &PodSpec, list: impl Fn(&Container) -> &ResourceList) -> ResourceList {
    let mut total = ResourceList::new();
    for c in &spec.containers {
        total = add(&total, list(c));
    }
    let mut sidecars = ResourceList::new();
    let mut init_max = ResourceList::new();
    for c in &spec.init_containers {
        let in_flight = if c.restart_policy.as_deref() == Some("Always") {
            total = add(&total, list(c));
            sidecars = add(&sidecars, list(c));
            sidecars.clone()
        } else {
            add(list(c), &sidecars)
        };
        max_into(&mut init_max, &in_flight);
    }
    max_into(&mut total, &init_max);
    total
}

/// `maxResourceList`: raise each resource of `list` to `other`'s where that is larger.
fn max_into(list: &mut ResourceList, other: &ResourceList) {
    for (name, q) in other {
        if list.get(name).is_none_or(|v| q.cmp_value(v).is_gt()) {
            list.insert(name.clone(), q.clone());
        }
    }
}

/// `resourcehelper.PodRequests`: what the pod requests, overhead included.
pub fn pod_requests(spec: &PodSpec) -> ResourceList {
    add(&aggregate(spec, |c| &c.resources.requests), &spec.overhead)
}

/// `resourcehelper.PodLimits`: what the pod is limited to; overhead counts only where a limit is set.
pub fn pod_limits(spec: &PodSpec) -> ResourceList {
    let mut limits = aggregate(spec, |c| &c.resources.limits);
    for (name, q) in &spec.overhead {
        if let Some(v) = limits.get_mut(name).filter(|v| !v.is_zero()) {
            v.add(q);
        }
    }
    limits
}

/// `podComputeUsageHelper`: the quota resources a set of requests and limits uses.
fn compute_usage(requests: &ResourceList, limits: &ResourceList) -> ResourceList {
    let mut usage = ResourceList::new();
    usage.insert("pods".into(), Quantity::from_int(1, Format::DecimalSI));
    for name in ["cpu", "memory", "ephemeral-storage"] {
        if let Some(q) = requests.get(name) {
            usage.insert(name.into(), q.clone());
            usage.insert(format!("{REQUESTS}{name}"), q.clone());
        }
        if let Some(q) = limits.get(name) {
            usage.insert(format!("limits.{name}"), q.clone());
        }
    }
    for (name, q) in requests {
        if name.starts_with(HUGE_PAGES) {
            usage.insert(name.clone(), q.clone());
            usage.insert(format!("{REQUESTS}{name}"), q.clone());
        }
        if is_extended(name) {
            usage.insert(format!("{REQUESTS}{name}"), q.clone());
        }
    }
    usage
}

/// `QuotaV1Pod`: a pod that has finished uses nothing but its object count (deletion is immediate here, so a
/// terminating pod is never seen).
fn uses_compute(pod: &Pod) -> bool {
    !matches!(pod.status.phase.as_str(), "Failed" | "Succeeded")
}

/// `PodUsageFunc`: what the pod counts against a quota.
pub fn usage(pod: &Pod) -> ResourceList {
    let count = ResourceList::from([(COUNT.to_owned(), Quantity::from_int(1, Format::DecimalSI))]);
    if !uses_compute(pod) {
        return count;
    }
    add(&count, &compute_usage(&pod_requests(&pod.spec), &pod_limits(&pod.spec)))
}

/// `Constraints`: when a matching quota bounds cpu or memory requests or limits, every container must state
/// them. The message names each missing resource with its containers (`must specify limits.cpu for: nginx;
/// limits.memory for: nginx`).
pub fn constraints<S: AsRef<str>>(required: &[S], spec: &PodSpec) -> Result<(), String> {
    let required: BTreeSet<&str> = required.iter().map(AsRef::as_ref).filter(|r| STATED.contains(r)).collect();
    let mut missing: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in spec.containers.iter().chain(&spec.init_containers) {
        let stated = compute_usage(&c.resources.requests, &c.resources.limits);
        for r in required.iter().filter(|r| !stated.contains_key(**r)) {
            missing.entry(r).or_default().insert(&c.name);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let parts: Vec<String> = missing
        .iter()
        .map(|(r, names)| format!("{r} for: {}", names.iter().copied().collect::<Vec<_>>().join(",")))
        .collect();
    Err(format!("must specify {}", parts.join("; ")))
}

/// `isTerminating`: an `activeDeadlineSeconds` bounds the pod's life.
pub fn is_terminating(spec: &PodSpec) -> bool {
    spec.active_deadline_seconds.is_some_and(|s| s >= 0)
}

/// `qos.GetPodQOS(pod) == BestEffort`: no container requests or limits cpu or memory.
pub fn is_best_effort(spec: &PodSpec) -> bool {
    let states = |list: &ResourceList| list.iter().any(|(k, q)| (k == "cpu" || k == "memory") && !q.is_zero());
    !spec.containers.iter().chain(&spec.init_containers).any(|c| states(&c.resources.requests) || states(&c.resources.limits))
}

/// `usesCrossNamespacePodAffinity`: a pod (anti-)affinity term that names namespaces or selects them.
pub fn uses_cross_namespace_affinity(spec: &PodSpec) -> bool {
    let Some(affinity) = &spec.affinity else { return false };
    let cross = |t: &crate::api::core_v1::PodAffinityTerm| !t.namespaces.is_empty() || t.namespace_selector.is_some();
    let terms = |required: &[crate::api::core_v1::PodAffinityTerm],
                 preferred: &[crate::api::core_v1::WeightedPodAffinityTerm]| {
        required.iter().any(cross) || preferred.iter().any(|w| cross(&w.pod_affinity_term))
    };
    affinity.pod_affinity.as_ref().is_some_and(|a| {
        terms(&a.required_during_scheduling_ignored_during_execution, &a.preferred_during_scheduling_ignored_during_execution)
    }) || affinity.pod_anti_affinity.as_ref().is_some_and(|a| {
        terms(&a.required_during_scheduling_ignored_during_execution, &a.preferred_during_scheduling_ignored_during_execution)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::Container;

    fn list(items: &[(&str, &str)]) -> ResourceList {
        items.iter().map(|(k, v)| ((*k).to_owned(), Quantity::parse(v).unwrap())).collect()
    }

    fn container(name: &str, requests: &[(&str, &str)], limits: &[(&str, &str)]) -> Container {
        let mut c = Container { name: name.into(), ..Default::default() };
        c.resources.requests = list(requests);
        c.resources.limits = list(limits);
        c
    }

    #[test]
    fn a_running_pod_uses_its_requests_and_limits_a_finished_one_only_its_count() {
        let mut pod = Pod::default();
        pod.spec.containers = vec![
            container("a", &[("cpu", "300m"), ("memory", "256Mi")], &[("cpu", "1")]),
            container("b", &[("cpu", "200m")], &[]),
        ];
        let used = usage(&pod);
        let shown: Vec<String> = used.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            shown,
            [
                "count/pods=1",
                "cpu=500m",
                "limits.cpu=1",
                "memory=256Mi",
                "pods=1",
                "requests.cpu=500m",
                "requests.memory=256Mi"
            ]
        );
        pod.status.phase = "Succeeded".into();
        assert_eq!(usage(&pod).keys().collect::<Vec<_>>(), ["count/pods"]);
    }

    #[test]
    fn an_init_container_counts_by_its_peak_not_its_sum() {
        let mut spec = PodSpec::default();
        spec.containers = vec![container("app", &[("cpu", "100m")], &[])];
        spec.init_containers = vec![container("migrate", &[("cpu", "500m")], &[])];
        assert_eq!(pod_requests(&spec)["cpu"].to_string(), "500m");
    }

    #[test]
    fn a_bounded_resource_must_be_stated_by_every_container() {
        let mut spec = PodSpec::default();
        spec.containers = vec![container("nginx", &[("cpu", "100m")], &[]), container("side", &[], &[("cpu", "1")])];
        let required = ["limits.cpu", "limits.memory", "pods"];
        assert_eq!(
            constraints(&required, &spec).unwrap_err(),
            "must specify limits.cpu for: nginx; limits.memory for: nginx,side"
        );
        assert!(constraints(&["pods"], &spec).is_ok());
    }

    #[test]
    fn scopes_read_the_spec() {
        let mut spec = PodSpec::default();
        spec.containers = vec![container("a", &[], &[])];
        assert!(is_best_effort(&spec) && !is_terminating(&spec));
        spec.active_deadline_seconds = Some(30);
        spec.containers[0].resources.requests = list(&[("memory", "1Mi")]);
        assert!(!is_best_effort(&spec) && is_terminating(&spec));
    }

    #[test]
    fn matching_resources_know_hugepages_and_extended_requests() {
        let names = ["requests.cpu", "hugepages-2Mi", "requests.example.com/gpu", "services", "count/pods"];
        assert_eq!(matching_resources(&names), ["count/pods", "requests.cpu", "hugepages-2Mi", "requests.example.com/gpu"]);
    }
}
