//! LimitRanger (`plugin/pkg/admission/limitranger`): the LimitRanges of a namespace give its new pods' containers
//! default requests and limits (mutating phase), then bound what pods and PersistentVolumeClaims may ask for
//! (validating phase, `min`, `max`, `maxLimitRequestRatio`).
//!
//! Defaults change scheduling: a request the plugin fills in counts in the scheduler's fit like a written one.

use crate::api::core_v1::{Container, LimitRange, LimitRangeItem, Pod, PodSpec};
use crate::api::{GroupKind, Object, Quantity};
use crate::apiserver::quota::pods;
use crate::apiserver::quota::resources::ResourceList;
use crate::apiserver::validation::{aggregate_messages, OwnedPath};

use super::{Attributes, Context, MutationInterface, Operation, Plugin, Refusal, ValidationInterface};

pub const PLUGIN_NAME: &str = "LimitRanger";
/// The annotation that lists what the plugin filled in (`limitRangerAnnotation`).
pub const ANNOTATION: &str = "kubernetes.io/limit-ranger";

const CONTAINER: &str = "Container";
const POD: &str = "Pod";
const CLAIM: &str = "PersistentVolumeClaim";

/// The plugin.
pub struct LimitRanger;

impl Plugin for LimitRanger {
    fn name(&self) -> &'static str {
        PLUGIN_NAME
    }
    fn handles(&self, _: Operation) -> bool {
        true
    }
    fn mutating(&self) -> Option<&dyn MutationInterface> {
        Some(self)
    }
    fn validating(&self) -> Option<&dyn ValidationInterface> {
        Some(self)
    }
}

/// `SupportsAttributes`: pods on create (an update of a pod is not its resize subresource, which kubeplan does
/// not model), claims on create and update.
fn supports(a: &Attributes<'_>) -> bool {
    match a.kind() {
        GroupKind::Pod => a.operation == Operation::Create,
        GroupKind::PersistentVolumeClaim => true,
        _ => false,
    }
}

impl MutationInterface for LimitRanger {
    /// `PodMutateLimitFunc` for each LimitRange of the namespace, in the lister's order.
    fn admit(&self, a: &mut Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        if !supports(a) {
            return Ok(());
        }
        let namespace = a.namespace().to_owned();
        let Some(pod) = a.pod_mut() else { return Ok(()) };
        for range in cx.listers.limit_ranges(&namespace) {
            merge_defaults(pod, &container_defaults(range));
        }
        Ok(())
    }
}

impl ValidationInterface for LimitRanger {
    /// `PodValidateLimitFunc` / `PersistentVolumeClaimValidateLimitFunc`: the first LimitRange the object breaks
    /// refuses it, with every constraint of that range it breaks.
    fn validate(&self, a: &Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        if !supports(a) {
            return Ok(());
        }
        for range in cx.listers.limit_ranges(a.namespace()) {
            let violations = match &*a.object {
                Object::Pod(p) => pod_violations(range, &p.spec),
                Object::PersistentVolumeClaim(c) => claim_violations(range, &c.spec.resources.requests),
                _ => return Ok(()),
            };
            if let Some(cause) = aggregate_messages(violations.iter().map(|v| v.message.clone())) {
                let fields = violations.into_iter().map(|v| v.field).collect();
                return Err(Refusal::forbidden(PLUGIN_NAME, a, cause, fields));
            }
        }
        Ok(())
    }
}

/// One broken constraint: the message and the field it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub message: String,
    pub field: OwnedPath,
}

/// The requests and limits a range's `Container` items default (`defaultContainerResourceRequirements`); a later
/// item overrides an earlier one's resource.
#[derive(Debug, Default)]
struct Defaults {
    requests: ResourceList,
    limits: ResourceList,
}

fn container_defaults(range: &LimitRange) -> Defaults {
    let mut d = Defaults::default();
    for item in range.spec.limits.iter().filter(|i| i.r#type == CONTAINER) {
        d.requests.extend(item.default_request.iter().map(|(k, v)| (k.clone(), v.clone())));
        d.limits.extend(item.default.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    d
}

/// `mergePodResourceRequirements`: fill each container's and init container's missing requests and limits,
/// and say what was filled in the [`ANNOTATION`].
fn merge_defaults(pod: &mut Pod, defaults: &Defaults) {
    let mut notes = Vec::new();
    for c in &mut pod.spec.containers {
        merge_container(c, defaults, "container", &mut notes);
    }
    for c in &mut pod.spec.init_containers {
        merge_container(c, defaults, "init container", &mut notes);
    }
    if !notes.is_empty() {
        pod.metadata.annotations.insert(ANNOTATION.to_owned(), format!("LimitRanger plugin set: {}", notes.join("; ")));
    }
}

/// `mergeContainerResources`.
fn merge_container(c: &mut Container, defaults: &Defaults, what: &str, notes: &mut Vec<String>) {
    let fill = |list: &mut ResourceList, from: &ResourceList| -> Vec<String> {
        from.iter().filter(|(k, _)| !list.contains_key(*k)).map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>()
            .into_iter()
            .map(|(k, v)| {
                list.insert(k.clone(), v);
                k
            })
            .collect()
    };
    let requests = fill(&mut c.resources.requests, &defaults.requests);
    let limits = fill(&mut c.resources.limits, &defaults.limits);
    if !requests.is_empty() {
        notes.push(format!("{} request for {what} {}", requests.join(", "), c.name));
    }
    if !limits.is_empty() {
        notes.push(format!("{} limit for {what} {}", limits.join(", "), c.name));
    }
}

/// What a pod breaks of one range: each container and init container against the `Container` items, the pod's
/// totals against the `Pod` items.
pub fn pod_violations(range: &LimitRange, spec: &PodSpec) -> Vec<Violation> {
    let mut out = Vec::new();
    for item in &range.spec.limits {
        match item.r#type.as_str() {
            CONTAINER => {
                let containers = spec.containers.iter().enumerate().map(|(i, c)| (OwnedPath::new("spec").child("containers").index(i), c));
                let inits = spec.init_containers.iter().enumerate().map(|(i, c)| (OwnedPath::new("spec").child("initContainers").index(i), c));
                for (path, c) in containers.chain(inits) {
                    let at = path.child("resources");
                    check_item(item, CONTAINER, &c.resources.requests, &c.resources.limits, &at, &mut out);
                }
            }
            POD => {
                let requests = pod_totals(spec, |c| &c.resources.requests);
                let limits = pod_totals(spec, |c| &c.resources.limits);
                check_item(item, POD, &requests, &limits, &OwnedPath::new("spec").child("containers"), &mut out);
            }
            _ => {}
        }
    }
    out
}

/// The plugin's own `podRequests` / `podLimits`: the scheduler's aggregation, without overhead.
fn pod_totals(spec: &PodSpec, list: impl Fn(&Container) -> &ResourceList) -> ResourceList {
    pods::aggregate(spec, list)
}

/// What a claim breaks of one range's `PersistentVolumeClaim` items (`min` and `max` of its requests).
pub fn claim_violations(range: &LimitRange, requests: &ResourceList) -> Vec<Violation> {
    let at = OwnedPath::new("spec").child("resources").child("requests");
    let mut out = Vec::new();
    for item in range.spec.limits.iter().filter(|i| i.r#type == CLAIM) {
        let min = item.min.iter().map(|(name, e)| (name, min_constraint(CLAIM, name, e, requests, &ResourceList::new())));
        let max = item.max.iter().map(|(name, e)| (name, max_request_constraint(CLAIM, name, e, requests)));
        for (name, result) in min.chain(max) {
            if let Err(b) = result {
                out.push(Violation { message: b.message, field: at.key(name) });
            }
        }
    }
    out
}

/// The `min`, `max` and `maxLimitRequestRatio` of one item over one container's (or the pod's) requests and
/// limits, reported at `at` (`...resources`).
fn check_item(
    item: &LimitRangeItem,
    kind: &str,
    requests: &ResourceList,
    limits: &ResourceList,
    at: &OwnedPath,
    out: &mut Vec<Violation>,
) {
    let mut report = |result: Result<(), Broken>, name: &str| {
        if let Err(Broken { message, list }) = result {
            out.push(Violation { message, field: at.child(list.field()).key(name) });
        }
    };
    for (name, enforced) in &item.min {
        report(min_constraint(kind, name, enforced, requests, limits), name);
    }
    for (name, enforced) in &item.max {
        report(max_constraint(kind, name, enforced, requests, limits), name);
    }
    for (name, enforced) in &item.max_limit_request_ratio {
        report(ratio_constraint(kind, name, enforced, requests, limits), name);
    }
}

/// Which of a container's lists a broken constraint is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum List {
    Requests,
    Limits,
}

impl List {
    fn field(self) -> &'static str {
        match self {
            List::Requests => "requests",
            List::Limits => "limits",
        }
    }
}

/// A constraint's failure: the plugin's message and the list at fault.
#[derive(Debug)]
struct Broken {
    message: String,
    list: List,
}

fn broken(list: List, message: String) -> Result<(), Broken> {
    Err(Broken { message, list })
}

/// `requestLimitEnforcedValues`: compare in thousandths unless a value is too large for them, then in units.
fn comparable(values: [Option<&Quantity>; 3]) -> [i64; 3] {
    let zero = Quantity::default();
    let units = values.map(|q| q.unwrap_or(&zero).value());
    if units.iter().all(|v| *v <= MAX_MILLI_VALUE) {
        values.map(|q| q.unwrap_or(&zero).milli_value())
    } else {
        units
    }
}

/// `resource.MaxMilliValue`: the largest value whose thousandths fit an int64.
const MAX_MILLI_VALUE: i64 = i64::MAX / 1000;

/// `minConstraint`.
fn min_constraint(kind: &str, name: &str, enforced: &Quantity, requests: &ResourceList, limits: &ResourceList) -> Result<(), Broken> {
    let (req, lim) = (requests.get(name), limits.get(name));
    let [r, l, e] = comparable([req, lim, Some(enforced)]);
    let Some(req) = req else {
        return broken(List::Requests, format!("minimum {name} usage per {kind} is {enforced}.  No request is specified"));
    };
    if r < e {
        return broken(List::Requests, format!("minimum {name} usage per {kind} is {enforced}, but request is {req}"));
    }
    match lim {
        Some(lim) if l < e => broken(List::Limits, format!("minimum {name} usage per {kind} is {enforced}, but limit is {lim}")),
        _ => Ok(()),
    }
}

/// `maxRequestConstraint` (claims: only requests).
fn max_request_constraint(kind: &str, name: &str, enforced: &Quantity, requests: &ResourceList) -> Result<(), Broken> {
    let req = requests.get(name);
    let [r, _, e] = comparable([req, None, Some(enforced)]);
    match req {
        None => broken(List::Requests, format!("maximum {name} usage per {kind} is {enforced}.  No request is specified")),
        Some(req) if r > e => broken(List::Requests, format!("maximum {name} usage per {kind} is {enforced}, but request is {req}")),
        Some(_) => Ok(()),
    }
}

/// `maxConstraint`.
fn max_constraint(kind: &str, name: &str, enforced: &Quantity, requests: &ResourceList, limits: &ResourceList) -> Result<(), Broken> {
    let (req, lim) = (requests.get(name), limits.get(name));
    let [r, l, e] = comparable([req, lim, Some(enforced)]);
    let Some(lim) = lim else {
        return broken(List::Limits, format!("maximum {name} usage per {kind} is {enforced}.  No limit is specified"));
    };
    if l > e {
        return broken(List::Limits, format!("maximum {name} usage per {kind} is {enforced}, but limit is {lim}"));
    }
    match req {
        Some(req) if r > e => broken(List::Requests, format!("maximum {name} usage per {kind} is {enforced}, but request is {req}")),
        _ => Ok(()),
    }
}

/// `limitRequestRatioConstraint`: limit / request at most `enforced` (compared in thousandths when it fits).
fn ratio_constraint(kind: &str, name: &str, enforced: &Quantity, requests: &ResourceList, limits: &ResourceList) -> Result<(), Broken> {
    let (req, lim) = (requests.get(name), limits.get(name));
    let [r, l, _] = comparable([req, lim, Some(enforced)]);
    if req.is_none() || r == 0 {
        let m = format!("{name} max limit to request ratio per {kind} is {enforced}, but no request is specified or request is 0");
        return broken(List::Requests, m);
    }
    if lim.is_none() || l == 0 {
        let m = format!("{name} max limit to request ratio per {kind} is {enforced}, but no limit is specified or limit is 0");
        return broken(List::Limits, m);
    }
    let observed = l as f64 / r as f64;
    let (scaled, max) = if enforced.value() <= MAX_MILLI_VALUE {
        (observed * 1000.0, enforced.milli_value() as f64)
    } else {
        (observed, enforced.value() as f64)
    };
    if scaled > max {
        let m = format!("{name} max limit to request ratio per {kind} is {enforced}, but provided ratio is {observed:.6}");
        return broken(List::Limits, m);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::admission::testing::{pod, Fake};
    use crate::apiserver::names::NameGenerator;

    fn list(items: &[(&str, &str)]) -> ResourceList {
        items.iter().map(|(k, v)| ((*k).to_owned(), Quantity::parse(v).unwrap())).collect()
    }

    fn range(items: Vec<LimitRangeItem>) -> LimitRange {
        let mut r = LimitRange::default();
        r.metadata.namespace = "ns".into();
        r.metadata.name = "limits".into();
        r.spec.limits = items;
        r
    }

    fn container_item() -> LimitRangeItem {
        LimitRangeItem { r#type: CONTAINER.into(), ..Default::default() }
    }

    fn admit(fake: &Fake, obj: &mut Object) -> Result<(), String> {
        let mut names = NameGenerator::default();
        let mut cx = Context::new(fake, &mut names);
        let mut a = Attributes { operation: Operation::Create, object: obj, old: None };
        LimitRanger.admit(&mut a, &mut cx).map_err(|r| r.to_string())?;
        LimitRanger.validate(&a, &mut cx).map_err(|r| r.to_string())
    }

    #[test]
    fn defaults_fill_only_what_a_container_leaves_out_and_are_annotated() {
        let mut item = container_item();
        item.default = list(&[("cpu", "2"), ("memory", "512Mi")]);
        item.default_request = list(&[("cpu", "1500m"), ("memory", "256Mi")]);
        let fake = Fake { limit_ranges: vec![range(vec![item])], ..Fake::default() }.with_namespace("ns");
        let mut obj = pod("ns", "p");
        if let Object::Pod(p) = &mut obj {
            let p = std::sync::Arc::make_mut(p);
            p.spec.containers[0].name = "app".into();
            p.spec.containers[0].resources.requests = list(&[("memory", "300Mi")]);
        }
        admit(&fake, &mut obj).unwrap();
        let Object::Pod(p) = &obj else { unreachable!() };
        let r = &p.spec.containers[0].resources;
        assert_eq!(r.requests, list(&[("cpu", "1500m"), ("memory", "300Mi")]));
        assert_eq!(r.limits, list(&[("cpu", "2"), ("memory", "512Mi")]));
        assert_eq!(
            p.metadata.annotations[ANNOTATION],
            "LimitRanger plugin set: cpu request for container app; cpu, memory limit for container app"
        );
    }

    #[test]
    fn max_min_and_ratio_refuse_with_the_plugins_messages() {
        let mut item = container_item();
        item.max = list(&[("cpu", "1")]);
        let fake = Fake { limit_ranges: vec![range(vec![item])], ..Fake::default() }.with_namespace("ns");
        let mut obj = pod("ns", "big");
        if let Object::Pod(p) = &mut obj {
            let p = std::sync::Arc::make_mut(p);
            p.spec.containers[0].resources.limits = list(&[("cpu", "2")]);
        }
        assert_eq!(admit(&fake, &mut obj).unwrap_err(), "pods \"big\" is forbidden: maximum cpu usage per Container is 1, but limit is 2");

        let mut item = container_item();
        item.max_limit_request_ratio = list(&[("cpu", "4")]);
        let fake = Fake { limit_ranges: vec![range(vec![item])], ..Fake::default() }.with_namespace("ns");
        let mut obj = pod("ns", "bursty");
        if let Object::Pod(p) = &mut obj {
            let p = std::sync::Arc::make_mut(p);
            p.spec.containers[0].resources.requests = list(&[("cpu", "100m")]);
            p.spec.containers[0].resources.limits = list(&[("cpu", "1")]);
        }
        assert_eq!(
            admit(&fake, &mut obj).unwrap_err(),
            "pods \"bursty\" is forbidden: cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000"
        );
    }

    #[test]
    fn claims_are_bounded_by_their_storage_request() {
        let item = LimitRangeItem {
            r#type: CLAIM.into(),
            min: list(&[("storage", "1Gi")]),
            max: list(&[("storage", "20Gi")]),
            ..Default::default()
        };
        let r = range(vec![item]);
        let too_small = claim_violations(&r, &list(&[("storage", "500Mi")]));
        assert_eq!(too_small[0].message, "minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi");
        assert_eq!(too_small[0].field.as_str(), "spec.resources.requests[storage]");
        assert!(claim_violations(&r, &list(&[("storage", "10Gi")])).is_empty());
    }
}
