//! Priority (`plugin/pkg/admission/priority`): a pod's `priorityClassName` (or the global default class)
//! becomes its `priority` and `preemptionPolicy`; only one PriorityClass may be the global default.

use crate::api::core_v1::Pod;
use crate::api::scheduling_v1::PriorityClass;
use crate::api::Object;
use crate::apiserver::validation::OwnedPath;

use super::{Attributes, Context, MutationInterface, Operation, Plugin, Refusal, ValidationInterface};

pub const PLUGIN_NAME: &str = "Priority";

pub const SYSTEM_NODE_CRITICAL: &str = "system-node-critical";
pub const SYSTEM_CLUSTER_CRITICAL: &str = "system-cluster-critical";
/// The two classes every cluster has (`pkg/apis/scheduling/types.go`).
pub const SYSTEM_CRITICAL_PRIORITY: i32 = 2_000_000_000;
const PREEMPT_LOWER_PRIORITY: &str = "PreemptLowerPriority";

/// The classes every cluster has, as the API server's bootstrap creates them: name, value, description.
pub const SYSTEM_PRIORITY_CLASSES: [(&str, i32, &str); 2] = [
    (
        SYSTEM_NODE_CRITICAL,
        SYSTEM_CRITICAL_PRIORITY + 1000,
        "Used for system critical pods that must not be moved from their current node.",
    ),
    (
        SYSTEM_CLUSTER_CRITICAL,
        SYSTEM_CRITICAL_PRIORITY,
        "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
    ),
];

/// The priority a built-in class stands for.
pub fn builtin_priority_class(name: &str) -> Option<i32> {
    match name {
        SYSTEM_NODE_CRITICAL => Some(SYSTEM_CRITICAL_PRIORITY + 1000),
        SYSTEM_CLUSTER_CRITICAL => Some(SYSTEM_CRITICAL_PRIORITY),
        _ => None,
    }
}

/// The plugin.
pub struct Priority;

impl Plugin for Priority {
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

impl MutationInterface for Priority {
    /// `admitPod`: on create, resolve the class; on update, keep the stored priority when the request has none.
    fn admit(&self, a: &mut Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        let old = match a.old {
            Some(Object::Pod(p)) => Some(&**p),
            _ => None,
        };
        let operation = a.operation;
        let Some(pod) = a.pod_mut() else { return Ok(()) };
        match (operation, old) {
            (Operation::Update, Some(old)) => {
                pod.spec.priority = pod.spec.priority.or(old.spec.priority);
                if pod.spec.preemption_policy.is_none() {
                    pod.spec.preemption_policy = old.spec.preemption_policy.clone();
                }
                Ok(())
            }
            (Operation::Update, None) => Ok(()),
            (Operation::Create, _) => admit_priority(pod, &cx.listers.priority_classes())
                .map_err(|d| Refusal::forbidden(PLUGIN_NAME, a, d.to_string(), vec![d.field()])),
        }
    }
}

impl ValidationInterface for Priority {
    /// `validatePriorityClass`: a second global default is refused.
    fn validate(&self, a: &Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        let Object::PriorityClass(pc) = &*a.object else { return Ok(()) };
        if !pc.global_default {
            return Ok(());
        }
        match default_class(&cx.listers.priority_classes()) {
            Some(d) if a.operation == Operation::Create || d.metadata.name != pc.metadata.name => Err(Refusal::forbidden(
                PLUGIN_NAME,
                a,
                format!("PriorityClass {} is already marked as default. Only one default can exist", d.metadata.name),
                vec![OwnedPath::new("globalDefault")],
            )),
            _ => Ok(()),
        }
    }
}

/// Why the plugin refuses a pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denial {
    UnknownClass(String),
    PriorityMismatch { given: i32, computed: i32 },
    PolicyMismatch { given: String, computed: String },
}

impl Denial {
    /// The pod-spec field the refusal is about, relative to the spec.
    pub fn spec_field(&self) -> &'static str {
        match self {
            Denial::UnknownClass(_) => "priorityClassName",
            Denial::PriorityMismatch { .. } => "priority",
            Denial::PolicyMismatch { .. } => "preemptionPolicy",
        }
    }

    fn field(&self) -> OwnedPath {
        OwnedPath::new("spec").child(self.spec_field())
    }
}

impl std::fmt::Display for Denial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Denial::UnknownClass(name) => write!(f, "no PriorityClass with name {name} was found"),
            Denial::PriorityMismatch { given, computed } => write!(
                f,
                "the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {computed} from the given PriorityClass name"
            ),
            Denial::PolicyMismatch { given, computed } => write!(
                f,
                "the string value of PreemptionPolicy ({given}) must not be provided in pod spec; priority admission controller computed {computed} from the given PriorityClass name"
            ),
        }
    }
}

/// Resolve `priorityClassName` (or the global default class) into `priority` and `preemptionPolicy`; refuse
/// unknown classes and a client-set priority or policy that disagrees.
pub fn admit_priority(pod: &mut Pod, classes: &[&PriorityClass]) -> Result<(), Denial> {
    let spec = &mut pod.spec;
    let (priority, policy) = if spec.priority_class_name.is_empty() {
        match default_class(classes) {
            Some(pc) => {
                spec.priority_class_name = pc.metadata.name.clone();
                (pc.value, pc.preemption_policy.clone())
            }
            None => (0, Some(PREEMPT_LOWER_PRIORITY.to_owned())),
        }
    } else if let Some(pc) = classes.iter().find(|pc| pc.metadata.name == spec.priority_class_name) {
        (pc.value, pc.preemption_policy.clone().or_else(|| Some(PREEMPT_LOWER_PRIORITY.to_owned())))
    } else if let Some(p) = builtin_priority_class(&spec.priority_class_name) {
        (p, Some(PREEMPT_LOWER_PRIORITY.to_owned()))
    } else {
        return Err(Denial::UnknownClass(spec.priority_class_name.clone()));
    };
    if let Some(given) = spec.priority {
        if given != priority {
            return Err(Denial::PriorityMismatch { given, computed: priority });
        }
    }
    spec.priority = Some(priority);
    if let (Some(want), Some(have)) = (&policy, &spec.preemption_policy) {
        if want != have {
            return Err(Denial::PolicyMismatch { given: have.clone(), computed: want.clone() });
        }
    }
    spec.preemption_policy = policy;
    Ok(())
}

/// The global default class: among classes with `globalDefault`, the one with the lowest value (the first in
/// the listing's order among equals).
fn default_class<'a>(classes: &[&'a PriorityClass]) -> Option<&'a PriorityClass> {
    classes.iter().copied().filter(|pc| pc.global_default).min_by_key(|pc| pc.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::admission::testing::{pod, Fake};
    use crate::apiserver::names::NameGenerator;

    fn class(name: &str, value: i32, global: bool) -> PriorityClass {
        let mut pc = PriorityClass { value, global_default: global, ..Default::default() };
        pc.metadata.name = name.into();
        pc
    }

    #[test]
    fn priority_from_class_default_and_builtin() {
        let mut pod = Pod::default();
        admit_priority(&mut pod, &[]).unwrap();
        assert_eq!(pod.spec.priority, Some(0));
        assert_eq!(pod.spec.preemption_policy.as_deref(), Some("PreemptLowerPriority"));

        let (low, lower) = (class("low", 10, true), class("lower", 5, true));
        let classes = [&low, &lower];
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
        let d = admit_priority(&mut pod, &[]).unwrap_err();
        assert_eq!(d.to_string(), "no PriorityClass with name nope was found");
        assert_eq!(d.spec_field(), "priorityClassName");
        let mut pod = Pod::default();
        pod.spec.priority = Some(7);
        assert!(admit_priority(&mut pod, &[]).unwrap_err().to_string().starts_with("the integer value of priority (7)"));
    }

    #[test]
    fn the_refusal_names_the_pod_and_the_field() {
        let fake = Fake::default();
        let mut names = NameGenerator::default();
        let mut cx = Context::new(&fake, &mut names);
        let mut obj = pod("default", "p");
        if let Object::Pod(p) = &mut obj {
            let p = std::sync::Arc::make_mut(p);
            p.spec.priority_class_name = "gold".into();
        }
        let mut a = Attributes { operation: Operation::Create, object: &mut obj, old: None };
        let r = Priority.admit(&mut a, &mut cx).unwrap_err();
        assert_eq!(r.to_string(), r#"pods "p" is forbidden: no PriorityClass with name gold was found"#);
        assert_eq!(r.fields(), [OwnedPath::new("spec.priorityClassName")]);
    }

    #[test]
    fn a_second_global_default_is_refused() {
        let mut fake = Fake::default();
        fake.priority_classes.insert("a".into(), class("a", 1, true));
        let mut names = NameGenerator::default();
        let mut cx = Context::new(&fake, &mut names);
        let mut obj = Object::PriorityClass(Box::new(class("b", 2, true)));
        let a = Attributes { operation: Operation::Create, object: &mut obj, old: None };
        let r = Priority.validate(&a, &mut cx).unwrap_err();
        assert_eq!(
            r.to_string(),
            r#"priorityclasses.scheduling.k8s.io "b" is forbidden: PriorityClass a is already marked as default. Only one default can exist"#
        );
        // Updating the default class itself is fine.
        let mut obj = Object::PriorityClass(Box::new(class("a", 3, true)));
        let a = Attributes { operation: Operation::Update, object: &mut obj, old: None };
        assert!(Priority.validate(&a, &mut cx).is_ok());
    }
}
