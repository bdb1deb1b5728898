//! RuntimeClass (`plugin/pkg/admission/runtimeclass`): a pod that names a RuntimeClass takes the class's pod
//! overhead (which then counts in every fit, as `PodRequests` adds it) and its scheduling constraints (node
//! selector merged in, tolerations merged as `tolerations.MergeTolerations` does); a class that does not exist,
//! an overhead that differs from the class's, or a node selector that contradicts it refuses the pod.

use std::collections::BTreeMap;

use crate::api::core_v1::{Pod, Toleration};
use crate::api::node_v1::RuntimeClass as Class;
use crate::apiserver::validation::OwnedPath;

use super::{Attributes, Context, MutationInterface, Operation, Plugin, Refusal, ValidationInterface};

pub const PLUGIN_NAME: &str = "RuntimeClass";

/// The plugin.
pub struct RuntimeClass;

impl Plugin for RuntimeClass {
    fn name(&self) -> &'static str {
        PLUGIN_NAME
    }
    fn handles(&self, operation: Operation) -> bool {
        operation == Operation::Create
    }
    fn mutating(&self) -> Option<&dyn MutationInterface> {
        Some(self)
    }
    fn validating(&self) -> Option<&dyn ValidationInterface> {
        Some(self)
    }
}

impl MutationInterface for RuntimeClass {
    /// `Admit`: set the class's overhead, then its scheduling.
    fn admit(&self, a: &mut Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        let Some(pod) = a.pod() else { return Ok(()) };
        let Some(class) = class_of(pod, a, cx)? else { return Ok(()) };
        let forbid = |a: &Attributes<'_>, cause: String, field: &str| Refusal::forbidden(PLUGIN_NAME, a, cause, vec![OwnedPath::new(field)]);
        let overhead = class.overhead.as_ref().map(|o| &o.pod_fixed);
        if let Some(fixed) = overhead {
            if !pod.spec.overhead.is_empty() && pod.spec.overhead != *fixed {
                return Err(forbid(a, OVERHEAD_MISMATCH.to_owned(), "spec.overhead"));
            }
        }
        let scheduling = class.scheduling.as_deref();
        if let Some(s) = scheduling {
            if let Some((key, want, have)) = selector_conflict(&pod.spec.node_selector, &s.node_selector) {
                let cause = format!(
                    "conflict: runtimeClass.scheduling.nodeSelector[{key}] = {want}; pod.spec.nodeSelector[{key}] = {have}"
                );
                return Err(forbid(a, cause, &format!("spec.nodeSelector.{key}")));
            }
        }
        let pod = a.pod_mut().expect("a pod request");
        if let Some(fixed) = overhead {
            pod.spec.overhead = fixed.clone();
        }
        if let Some(s) = scheduling {
            pod.spec.node_selector.extend(s.node_selector.iter().map(|(k, v)| (k.clone(), v.clone())));
            pod.spec.tolerations = merge_tolerations(&pod.spec.tolerations, &s.tolerations);
        }
        Ok(())
    }
}

impl ValidationInterface for RuntimeClass {
    /// `Validate`: the pod's overhead is exactly its class's, and a pod without a class overhead has none.
    fn validate(&self, a: &Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        let Some(pod) = a.pod() else { return Ok(()) };
        let class = class_of(pod, a, cx)?;
        let cause = match class.as_ref().and_then(|c| c.overhead.as_ref()) {
            Some(o) if o.pod_fixed != pod.spec.overhead => OVERHEAD_MISMATCH,
            Some(_) => return Ok(()),
            None if !pod.spec.overhead.is_empty() => "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead",
            None => return Ok(()),
        };
        Err(Refusal::forbidden(PLUGIN_NAME, a, cause, vec![OwnedPath::new("spec.overhead")]))
    }
}

const OVERHEAD_MISMATCH: &str = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";

/// `prepareObjects`: the class the pod names, if it names one; a class that does not exist refuses the pod.
fn class_of(pod: &Pod, a: &Attributes<'_>, cx: &Context<'_>) -> Result<Option<Class>, Refusal> {
    let Some(name) = &pod.spec.runtime_class_name else { return Ok(None) };
    match cx.listers.runtime_class(name) {
        Some(class) => Ok(Some(class.clone())),
        None => Err(Refusal::forbidden(
            PLUGIN_NAME,
            a,
            format!("pod rejected: RuntimeClass {name:?} not found"),
            vec![OwnedPath::new("spec.runtimeClassName")],
        )),
    }
}

/// The first key (in key order, where Go walks a map at random) whose value the pod sets differently from the
/// class: `(key, class value, pod value)`.
fn selector_conflict<'a>(
    pod: &'a BTreeMap<String, String>,
    class: &'a BTreeMap<String, String>,
) -> Option<(&'a str, &'a str, &'a str)> {
    class.iter().find_map(|(k, want)| pod.get(k).filter(|have| *have != want).map(|have| (k.as_str(), want.as_str(), have.as_str())))
}

/// `tolerations.MergeTolerations`: the pod's tolerations then the class's, leaving out any that another one
/// already covers (of two equal ones, the first stays).
pub fn merge_tolerations(first: &[Toleration], second: &[Toleration]) -> Vec<Toleration> {
    let all: Vec<&Toleration> = first.iter().chain(second).collect();
    let mut merged: Vec<Toleration> = Vec::new();
    for (i, t) in all.iter().enumerate() {
        let covered_before = merged.iter().any(|m| is_superset(m, t));
        let covered_after = all[i + 1..].iter().any(|later| *later != *t && is_superset(later, t));
        if !covered_before && !covered_after {
            merged.push((*t).clone());
        }
    }
    merged
}

/// `isSuperset`: whether toleration `ss` tolerates everything `t` does.
fn is_superset(ss: &Toleration, t: &Toleration) -> bool {
    if ss == t {
        return true;
    }
    let matches_all_keys = ss.key.is_empty() && ss.operator == "Exists";
    if t.key != ss.key && !matches_all_keys {
        return false;
    }
    if t.effect != ss.effect && !ss.effect.is_empty() {
        return false;
    }
    if ss.effect == "NoExecute" {
        if let Some(limit) = ss.toleration_seconds {
            if t.toleration_seconds.is_none_or(|s| s > limit) {
                return false;
            }
        }
    }
    match ss.operator.as_str() {
        "Equal" | "" => t.operator == "Equal" && t.value == ss.value,
        "Exists" => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::node_v1::{Overhead, Scheduling};
    use crate::api::{Object, Quantity};
    use crate::apiserver::admission::testing::{pod, Fake};
    use crate::apiserver::admission::{admit, validate};
    use crate::apiserver::names::NameGenerator;

    fn class(name: &str, overhead: Option<&str>, scheduling: Option<Scheduling>) -> Class {
        let mut c = Class { handler: "runsc".into(), scheduling: scheduling.map(Box::new), ..Default::default() };
        c.metadata.name = name.into();
        c.overhead = overhead.map(|cpu| Box::new(Overhead { pod_fixed: [("cpu".to_owned(), Quantity::parse(cpu).unwrap())].into() }));
        c
    }

    fn toleration(key: &str, operator: &str, effect: &str) -> Toleration {
        Toleration { key: key.into(), operator: operator.into(), effect: effect.into(), ..Default::default() }
    }

    fn named(mut obj: Object, class: &str) -> Object {
        if let Object::Pod(p) = &mut obj {
            let p = std::sync::Arc::make_mut(p);
            p.spec.runtime_class_name = Some(class.into());
        }
        obj
    }

    /// Both phases of the plugin, as the chain runs them.
    fn run(fake: &Fake, obj: &mut Object) -> Result<(), String> {
        let mut names = NameGenerator::default();
        let mut cx = Context::new(fake, &mut names);
        let mut a = Attributes { operation: Operation::Create, object: obj, old: None };
        admit(&[&RuntimeClass], &mut a, &mut cx).map_err(|r| r.to_string())?;
        validate(&[&RuntimeClass], &a, &mut cx).map_err(|r| r.to_string())
    }

    fn spec(obj: &Object) -> &crate::api::core_v1::PodSpec {
        match obj {
            Object::Pod(p) => &p.spec,
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_missing_class_refuses_the_pod() {
        let fake = Fake::default().with_namespace("default");
        let mut p = named(pod("default", "p"), "gvisor");
        assert_eq!(run(&fake, &mut p).unwrap_err(), "pods \"p\" is forbidden: pod rejected: RuntimeClass \"gvisor\" not found");
    }

    #[test]
    fn the_class_overhead_and_scheduling_are_set() {
        let scheduling = Scheduling {
            node_selector: [("sandbox".to_owned(), "true".to_owned())].into(),
            tolerations: vec![toleration("sandbox", "Exists", "NoSchedule")],
        };
        let fake = Fake { runtime_classes: vec![class("gvisor", Some("250m"), Some(scheduling))], ..Default::default() };
        let mut p = named(pod("default", "p"), "gvisor");
        run(&fake, &mut p).unwrap();
        let s = spec(&p);
        assert_eq!(s.overhead.get("cpu").map(Quantity::milli_value), Some(250));
        assert_eq!(s.node_selector.get("sandbox").map(String::as_str), Some("true"));
        assert_eq!(s.tolerations, vec![toleration("sandbox", "Exists", "NoSchedule")]);
    }

    #[test]
    fn a_contradicting_node_selector_or_overhead_refuses_the_pod() {
        let scheduling = Scheduling { node_selector: [("sandbox".to_owned(), "true".to_owned())].into(), ..Default::default() };
        let fake = Fake { runtime_classes: vec![class("gvisor", Some("250m"), Some(scheduling))], ..Default::default() };
        let mut p = named(pod("default", "p"), "gvisor");
        if let Object::Pod(pod) = &mut p {
            let pod = std::sync::Arc::make_mut(pod);
            pod.spec.node_selector.insert("sandbox".into(), "false".into());
        }
        assert_eq!(
            run(&fake, &mut p).unwrap_err(),
            "pods \"p\" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[sandbox] = true; \
             pod.spec.nodeSelector[sandbox] = false"
        );
        let mut p = named(pod("default", "p"), "gvisor");
        if let Object::Pod(pod) = &mut p {
            let pod = std::sync::Arc::make_mut(pod);
            pod.spec.overhead.insert("cpu".into(), Quantity::parse("100m").unwrap());
        }
        assert_eq!(run(&fake, &mut p).unwrap_err(), format!("pods \"p\" is forbidden: {OVERHEAD_MISMATCH}"));
    }

    #[test]
    fn an_overhead_without_a_class_overhead_is_refused() {
        let fake = Fake::default();
        let mut p = pod("default", "p");
        if let Object::Pod(pod) = &mut p {
            let pod = std::sync::Arc::make_mut(pod);
            pod.spec.overhead.insert("cpu".into(), Quantity::parse("100m").unwrap());
        }
        assert_eq!(
            run(&fake, &mut p).unwrap_err(),
            "pods \"p\" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead"
        );
    }

    #[test]
    fn merging_drops_tolerations_another_covers() {
        let pod_side = vec![toleration("a", "Exists", "NoSchedule"), toleration("b", "Equal", "")];
        let class_side = vec![toleration("a", "Exists", ""), toleration("b", "Equal", "")];
        // `a/NoSchedule` is covered by the class's `a` for every effect; the two equal `b`s keep the first.
        assert_eq!(merge_tolerations(&pod_side, &class_side), vec![toleration("b", "Equal", ""), toleration("a", "Exists", "")]);
        let everything = vec![toleration("", "Exists", "")];
        assert_eq!(merge_tolerations(&pod_side, &everything), everything);
    }
}
