//! ResourceQuota (`staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota`): the last validating plugin.
//! A new object is charged to every quota of its namespace that covers it; one it would take over a hard limit
//! is refused (`exceeded quota: …`), as is a pod whose containers do not state what a quota bounds (`must
//! specify …`). The charge is written to the quota's `status.used` at once (the plugin's `UpdateQuotaStatus`),
//! so that the next request sees it before the resource quota controller recounts.
//!
//! A quota the controller has not counted yet (no `status.hard`) covers nothing; one whose `status.used` lacks a
//! bounded resource refuses with `status unknown for quota`.

use crate::api::core_v1::ResourceQuota as Quota;
use crate::api::Object;
use crate::apiserver::quota::resources::{
    add, less_than_or_equal, mask, negative, pretty_print, pretty_print_names, remove_zeros, subtract_non_negative,
};
use crate::apiserver::quota::Evaluator;
use crate::apiserver::validation::OwnedPath;

use super::{Attributes, Context, Operation, Plugin, Refusal, ValidationInterface};

pub const PLUGIN_NAME: &str = "ResourceQuota";

/// The plugin.
pub struct ResourceQuota;

impl Plugin for ResourceQuota {
    fn name(&self) -> &'static str {
        PLUGIN_NAME
    }
    fn handles(&self, _: Operation) -> bool {
        true
    }
    fn validating(&self) -> Option<&dyn ValidationInterface> {
        Some(self)
    }
}

impl ValidationInterface for ResourceQuota {
    /// `Evaluate` and `CheckRequest` for one request: refuse it, or charge it to the quotas that cover it.
    fn validate(&self, a: &Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        let evaluator = Evaluator::of(a.kind());
        if a.operation == Operation::Update && !evaluator.handles_update() {
            return Ok(());
        }
        let quotas = cx.listers.resource_quotas(a.namespace());
        // Without quotas (and with no limited resources configured, the default) there is nothing to check
        // (`quotaEvaluator.checkAttributes`).
        if quotas.is_empty() {
            return Ok(());
        }
        let charged = check_request(&quotas, a, evaluator)?;
        cx.writes.extend(charged.into_iter().map(|q| Object::ResourceQuota(Box::new(q))));
        Ok(())
    }
}

/// `CheckRequest`: the quotas whose usage changes, with their new `status.used`; or the refusal.
fn check_request(quotas: &[&Quota], a: &Attributes<'_>, evaluator: Evaluator) -> Result<Vec<Quota>, Refusal> {
    let obj = &*a.object;
    let forbid = |cause: String, fields: Vec<OwnedPath>| Refusal::forbidden(PLUGIN_NAME, a, cause, fields);
    let mut covering = Vec::new();
    for quota in quotas.iter().copied() {
        if !evaluator.matches(quota, obj) {
            continue;
        }
        let hard: Vec<&str> = quota.status.hard.keys().map(String::as_str).collect();
        let restricted = evaluator.matching_resources(&hard);
        if let Err(cause) = evaluator.constraints(&restricted, obj) {
            let name = &quota.metadata.name;
            return Err(forbid(format!("failed quota: {name}: {cause}"), constraint_fields(obj)));
        }
        if restricted.iter().any(|r| !quota.status.used.contains_key(r)) {
            let cause =
                format!("status unknown for quota: {}, resources: {}", quota.metadata.name, pretty_print_names(&restricted));
            return Err(forbid(cause, Vec::new()));
        }
        covering.push(quota);
    }
    let mut delta = evaluator.usage(obj);
    let below_zero = negative(&delta);
    if !below_zero.is_empty() {
        return Err(forbid(format!("quota usage is negative for resource(s): {}", pretty_print_names(&below_zero)), Vec::new()));
    }
    if let Some(old) = a.old {
        delta = subtract_non_negative(&delta, &evaluator.usage(old));
    }
    let delta = remove_zeros(delta);
    if delta.is_empty() {
        return Ok(Vec::new());
    }
    let mut charged = Vec::new();
    for quota in covering {
        let (hard, used) = (&quota.status.hard, &quota.status.used);
        let requested = mask(&delta, hard.keys().map(String::as_str));
        let new_used = add(used, &requested);
        let (allowed, exceeded) = less_than_or_equal(&mask(&new_used, requested.keys().map(String::as_str)), hard);
        if !allowed {
            let over = || exceeded.iter().map(String::as_str);
            let cause = format!(
                "exceeded quota: {}, requested: {}, used: {}, limited: {}",
                quota.metadata.name,
                pretty_print(&mask(&requested, over())),
                pretty_print(&mask(used, over())),
                pretty_print(&mask(hard, over())),
            );
            return Err(forbid(cause, Vec::new()));
        }
        if !crate::apiserver::quota::resources::equals(&new_used, used) {
            let mut q = quota.clone();
            q.status.used = new_used;
            charged.push(q);
        }
    }
    Ok(charged)
}

/// Where a pod's `must specify` refusal points: its containers' resources.
fn constraint_fields(obj: &Object) -> Vec<OwnedPath> {
    let Object::Pod(p) = obj else { return Vec::new() };
    let containers = (0..p.spec.containers.len()).map(|i| OwnedPath::new("spec").child("containers").index(i));
    let inits = (0..p.spec.init_containers.len()).map(|i| OwnedPath::new("spec").child("initContainers").index(i));
    containers.chain(inits).map(|c| c.child("resources")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::Container;
    use crate::api::Quantity;
    use crate::apiserver::admission::testing::{pod, Fake};
    use crate::apiserver::quota::resources::ResourceList;
    use crate::apiserver::names::NameGenerator;

    fn list(items: &[(&str, &str)]) -> ResourceList {
        items.iter().map(|(k, v)| ((*k).to_owned(), Quantity::parse(v).unwrap())).collect()
    }

    fn quota(name: &str, hard: &[(&str, &str)], used: &[(&str, &str)]) -> Quota {
        let mut q = Quota::default();
        q.metadata.namespace = "ns".into();
        q.metadata.name = name.into();
        q.spec.hard = list(hard);
        q.status.hard = list(hard);
        q.status.used = list(used);
        q
    }

    fn pod_requesting(cpu: &str) -> Object {
        let mut obj = pod("ns", "p");
        if let Object::Pod(p) = &mut obj {
            let p = std::sync::Arc::make_mut(p);
            p.spec.containers = vec![Container { name: "app".into(), ..Default::default() }];
            p.spec.containers[0].resources.requests = list(&[("cpu", cpu)]);
        }
        obj
    }

    fn validate(fake: &Fake, obj: &mut Object) -> (Result<(), String>, Vec<Object>) {
        let mut names = NameGenerator::default();
        let mut cx = Context::new(fake, &mut names);
        let a = Attributes { operation: Operation::Create, object: obj, old: None };
        let r = ResourceQuota.validate(&a, &mut cx).map_err(|r| r.to_string());
        (r, cx.writes)
    }

    #[test]
    fn a_pod_within_the_quota_is_charged_to_its_status() {
        let fake = Fake { quotas: vec![quota("compute", &[("requests.cpu", "1")], &[("requests.cpu", "600m")])], ..Fake::default() };
        let (r, writes) = validate(&fake, &mut pod_requesting("300m"));
        assert_eq!(r, Ok(()));
        let Object::ResourceQuota(q) = &writes[0] else { panic!("{writes:?}") };
        assert_eq!(q.status.used["requests.cpu"].to_string(), "900m");
    }

    #[test]
    fn a_pod_over_the_quota_is_refused_with_what_it_asked_and_what_is_used() {
        let fake = Fake { quotas: vec![quota("compute", &[("requests.cpu", "1")], &[("requests.cpu", "900m")])], ..Fake::default() };
        let (r, writes) = validate(&fake, &mut pod_requesting("300m"));
        assert_eq!(
            r.unwrap_err(),
            "pods \"p\" is forbidden: exceeded quota: compute, requested: requests.cpu=300m, used: requests.cpu=900m, limited: requests.cpu=1"
        );
        assert!(writes.is_empty());
    }

    #[test]
    fn a_quota_not_counted_yet_covers_nothing_and_one_without_usage_refuses() {
        let mut uncounted = quota("pods", &[("pods", "1")], &[]);
        uncounted.status = Default::default();
        let fake = Fake { quotas: vec![uncounted], ..Fake::default() };
        assert_eq!(validate(&fake, &mut pod_requesting("1")).0, Ok(()));

        let fake = Fake { quotas: vec![quota("pods", &[("pods", "1")], &[])], ..Fake::default() };
        assert_eq!(validate(&fake, &mut pod_requesting("1")).0.unwrap_err(), "pods \"p\" is forbidden: status unknown for quota: pods, resources: pods");
    }

    #[test]
    fn a_limits_quota_requires_every_container_to_state_limits() {
        let fake = Fake { quotas: vec![quota("limits", &[("limits.cpu", "4")], &[("limits.cpu", "0")])], ..Fake::default() };
        assert_eq!(
            validate(&fake, &mut pod_requesting("1")).0.unwrap_err(),
            "pods \"p\" is forbidden: failed quota: limits: must specify limits.cpu for: app"
        );
    }
}
