//! Admission plugins that change pods: Priority (`plugin/pkg/admission/priority`) and DefaultTolerationSeconds
//! (`plugin/pkg/admission/defaulttolerationseconds`). ServiceAccount, LimitRanger, ResourceQuota, PodSecurity and
//! webhooks are not modelled.

use std::collections::BTreeMap;

use crate::api::core_v1::{Pod, Toleration};
use crate::api::scheduling_v1::PriorityClass;

pub const SYSTEM_NODE_CRITICAL: &str = "system-node-critical";
pub const SYSTEM_CLUSTER_CRITICAL: &str = "system-cluster-critical";
/// The two classes every cluster has (`pkg/apis/scheduling/types.go`).
pub const SYSTEM_CRITICAL_PRIORITY: i32 = 2_000_000_000;

/// The priority a built-in class stands for.
pub fn builtin_priority_class(name: &str) -> Option<i32> {
    match name {
        SYSTEM_NODE_CRITICAL => Some(SYSTEM_CRITICAL_PRIORITY + 1000),
        SYSTEM_CLUSTER_CRITICAL => Some(SYSTEM_CRITICAL_PRIORITY),
        _ => None,
    }
}

/// Why admission refused a pod: the text after `pods "<name>" is forbidden: `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forbidden(pub String);

/// The Priority plugin: resolve `priorityClassName` (or the global default class) into `priority` and
/// `preemptionPolicy`; refuse unknown classes and a client-set priority that disagrees.
pub fn admit_priority(pod: &mut Pod, classes: &BTreeMap<String, PriorityClass>) -> Result<(), Forbidden> {
    let spec = &mut pod.spec;
    let (priority, policy) = if spec.priority_class_name.is_empty() {
        match default_class(classes) {
            Some(pc) => {
                spec.priority_class_name = pc.metadata.name.clone();
                (pc.value, pc.preemption_policy.clone())
            }
            None => (0, Some("PreemptLowerPriority".to_owned())),
        }
    } else if let Some(pc) = classes.get(&spec.priority_class_name) {
        (pc.value, pc.preemption_policy.clone().or_else(|| Some("PreemptLowerPriority".to_owned())))
    } else if let Some(p) = builtin_priority_class(&spec.priority_class_name) {
        (p, Some("PreemptLowerPriority".to_owned()))
    } else {
        return Err(Forbidden(format!("no PriorityClass with name {} was found", spec.priority_class_name)));
    };
    if let Some(p) = spec.priority {
        if p != priority {
            return Err(Forbidden(format!(
                "the integer value of priority ({p}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name"
            )));
        }
    }
    spec.priority = Some(priority);
    if let (Some(want), Some(have)) = (&policy, &spec.preemption_policy) {
        if want != have {
            return Err(Forbidden(format!(
                "the string value of PreemptionPolicy ({have}) must not be provided in pod spec; priority admission controller computed {want} from the given PriorityClass name"
            )));
        }
    }
    spec.preemption_policy = policy;
    Ok(())
}

/// The global default class: among classes with `globalDefault`, the one with the lowest value.
fn default_class(classes: &BTreeMap<String, PriorityClass>) -> Option<&PriorityClass> {
    classes.values().filter(|pc| pc.global_default).min_by_key(|pc| pc.value)
}

pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// `--default-not-ready-toleration-seconds` and `--default-unreachable-toleration-seconds`.
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;

/// DefaultTolerationSeconds: a pod that does not already tolerate `not-ready` / `unreachable` NoExecute taints
/// gets a 300-second toleration for each, so it is evicted five minutes after its node fails.
pub fn admit_default_toleration_seconds(pod: &mut Pod) {
    let covers = |key: &str| {
        pod.spec
            .tolerations
            .iter()
            .any(|t| (t.key == key || t.key.is_empty()) && (t.effect == "NoExecute" || t.effect.is_empty()))
    };
    let (not_ready, unreachable) = (covers(TAINT_NOT_READY), covers(TAINT_UNREACHABLE));
    for (key, present) in [(TAINT_NOT_READY, not_ready), (TAINT_UNREACHABLE, unreachable)] {
        if !present {
            pod.spec.tolerations.push(Toleration {
                key: key.to_owned(),
                operator: "Exists".to_owned(),
                effect: "NoExecute".to_owned(),
                toleration_seconds: Some(DEFAULT_TOLERATION_SECONDS),
                ..Default::default()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(name: &str, value: i32, global: bool) -> PriorityClass {
        let mut pc = PriorityClass { value, global_default: global, ..Default::default() };
        pc.metadata.name = name.into();
        pc
    }

    #[test]
    fn priority_from_class_default_and_builtin() {
        let mut classes = BTreeMap::new();
        let mut pod = Pod::default();
        admit_priority(&mut pod, &classes).unwrap();
        assert_eq!(pod.spec.priority, Some(0));
        assert_eq!(pod.spec.preemption_policy.as_deref(), Some("PreemptLowerPriority"));

        classes.insert("low".into(), class("low", 10, true));
        classes.insert("lower".into(), class("lower", 5, true));
        let mut pod = Pod::default();
        admit_priority(&mut pod, &classes).unwrap();
        assert_eq!((pod.spec.priority, pod.spec.priority_class_name.as_str()), (Some(5), "lower"));

        let mut pod = Pod::default();
        pod.spec.priority_class_name = SYSTEM_NODE_CRITICAL.into();
        admit_priority(&mut pod, &classes).unwrap();
        assert_eq!(pod.spec.priority, Some(2_000_001_000));
    }

    #[test]
    fn unknown_class_and_mismatched_priority_are_forbidden() {
        let mut pod = Pod::default();
        pod.spec.priority_class_name = "nope".into();
        assert_eq!(admit_priority(&mut pod, &BTreeMap::new()).unwrap_err().0, "no PriorityClass with name nope was found");
        let mut pod = Pod::default();
        pod.spec.priority = Some(7);
        assert!(admit_priority(&mut pod, &BTreeMap::new()).unwrap_err().0.starts_with("the integer value of priority (7)"));
    }

    #[test]
    fn default_toleration_seconds_only_when_not_covered() {
        let mut pod = Pod::default();
        admit_default_toleration_seconds(&mut pod);
        assert_eq!(pod.spec.tolerations.len(), 2);
        assert_eq!(pod.spec.tolerations[0].toleration_seconds, Some(300));
        let mut pod = Pod::default();
        pod.spec.tolerations.push(Toleration { operator: "Exists".into(), ..Default::default() });
        admit_default_toleration_seconds(&mut pod);
        assert_eq!(pod.spec.tolerations.len(), 1);
    }
}
