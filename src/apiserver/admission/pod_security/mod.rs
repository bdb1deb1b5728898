//! PodSecurity (`plugin/pkg/admission/security/podsecurity` over `pod-security-admission/admission`): a
//! namespace's `pod-security.kubernetes.io/*` labels choose a Pod Security Standards level per mode. `enforce`
//! refuses pods that violate it; `warn` (which follows `enforce` unless set) warns the client about pods and
//! about the pod templates of workloads, whose pods enforcement would refuse later; `audit` only annotates the
//! audit log, which kubeplan does not model. The default configuration: privileged everywhere, no exemptions.
//!
//! Namespaces are checked too: labels that are not a level or version refuse the namespace, and raising a
//! namespace's enforce level warns about the existing pods that would now be refused.

pub mod api;
pub mod checks;
pub mod policy;

use std::collections::{BTreeMap, HashSet};

use crate::api::core_v1::{Namespace, Pod, PodSpec};
use crate::api::meta_v1::ObjectMeta;
use crate::api::Object;
use crate::go::fmt::quote;

use self::api::{policy_to_evaluate, Level, LevelVersion, Policy};
use self::policy::{evaluate, forbidden_detail, forbidden_reason, Violation};
use super::{Attributes, Context, Operation, Plugin, Reason, Refusal, ValidationInterface};

pub const PLUGIN_NAME: &str = "PodSecurity";
/// `defaultNamespaceMaxPodsToCheck`: how many existing pods a namespace update looks at.
const NAMESPACE_MAX_PODS_TO_CHECK: usize = 3000;

/// The plugin.
pub struct PodSecurity;

impl Plugin for PodSecurity {
    fn name(&self) -> &'static str {
        PLUGIN_NAME
    }
    fn handles(&self, operation: Operation) -> bool {
        matches!(operation, Operation::Create | Operation::Update)
    }
    fn validating(&self) -> Option<&dyn ValidationInterface> {
        Some(self)
    }
}

impl ValidationInterface for PodSecurity {
    fn validate(&self, a: &Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        match &*a.object {
            Object::Namespace(ns) => validate_namespace(a, ns, cx),
            Object::Pod(pod) => validate_pod(a, pod, cx),
            other => match template_of(other) {
                Some((meta, spec)) => {
                    validate_pod_controller(a, meta, spec, cx);
                    Ok(())
                }
                None => Ok(()),
            },
        }
    }
}

/// The pod template of a workload (`DefaultPodSpecExtractor`).
fn template_of(obj: &Object) -> Option<(&ObjectMeta, &PodSpec)> {
    let t = match obj {
        Object::DaemonSet(d) => &d.spec.template,
        Object::Deployment(d) => &d.spec.template,
        Object::ReplicaSet(r) => &r.spec.template,
        Object::StatefulSet(s) => &s.spec.template,
        Object::Job(j) => &j.spec.template,
        _ => return None,
    };
    Some((&t.metadata, &t.spec))
}

/// The policy of a request's namespace, and whether its labels were all valid.
fn namespace_policy(a: &Attributes<'_>, cx: &Context<'_>) -> (Policy, bool) {
    let empty = BTreeMap::new();
    let labels = cx.listers.namespace(a.namespace()).map_or(&empty, |ns| &ns.metadata.labels);
    let (policy, errs) = policy_to_evaluate(labels, Policy::DEFAULT);
    (policy, errs.is_empty())
}

/// `ValidateNamespace`.
fn validate_namespace(a: &Attributes<'_>, ns: &Namespace, cx: &mut Context<'_>) -> Result<(), Refusal> {
    let (new_policy, new_errs) = policy_to_evaluate(&ns.metadata.labels, Policy::DEFAULT);
    let invalid = |errors| Refusal {
        plugin: PLUGIN_NAME,
        reason: Reason::Invalid { kind: a.kind(), name: ns.metadata.name.clone(), errors },
    };
    let old = match (a.operation, a.old) {
        (Operation::Create, _) => return if new_errs.is_empty() { Ok(()) } else { Err(invalid(new_errs)) },
        (Operation::Update, Some(Object::Namespace(old))) => old,
        (Operation::Update, _) => return Ok(()),
    };
    let (old_policy, old_errs) = policy_to_evaluate(&old.metadata.labels, Policy::DEFAULT);
    if !new_errs.is_empty() && (old_errs.is_empty() || new_errs != old_errs) {
        return Err(invalid(new_errs));
    }
    let (new, old) = (new_policy.enforce, old_policy.enforce);
    let tightened = !(new == old
        || new.level == Level::Privileged
        || (new.version == old.version && new.level <= old.level));
    if tightened {
        let pods = cx.listers.pods(&ns.metadata.name);
        cx.warnings.extend(evaluate_pods_in_namespace(&ns.metadata.name, &pods, new));
    }
    Ok(())
}

/// `ValidatePod`: enforce, then warn.
fn validate_pod(a: &Attributes<'_>, pod: &Pod, cx: &mut Context<'_>) -> Result<(), Refusal> {
    let (policy, valid) = namespace_policy(a, cx);
    if valid && policy.fully_privileged() {
        return Ok(());
    }
    if let (Operation::Update, Some(Object::Pod(old))) = (a.operation, a.old) {
        if !is_significant_pod_update(pod, old) {
            return Ok(());
        }
    }
    let enforced = evaluate(policy.enforce, &pod.metadata, &pod.spec);
    if !enforced.is_empty() {
        let cause = format!("violates PodSecurity {}: {}", quote(&policy.enforce.to_string()), forbidden_detail(&enforced));
        return Err(Refusal::forbidden(PLUGIN_NAME, a, cause, fields_of(&enforced)));
    }
    warn(policy.warn, Some((policy.enforce, enforced)), &pod.metadata, &pod.spec, cx);
    Ok(())
}

/// `ValidatePodController`: a workload is never refused, but its template is checked against warn.
fn validate_pod_controller(a: &Attributes<'_>, meta: &ObjectMeta, spec: &PodSpec, cx: &mut Context<'_>) {
    let (policy, valid) = namespace_policy(a, cx);
    if valid && policy.warn.level == Level::Privileged && policy.audit.level == Level::Privileged {
        return;
    }
    warn(policy.warn, None, meta, spec, cx);
}

/// The warn mode of `EvaluatePod`, reusing the enforce result (`cached`) when warn asks for the same level and
/// version.
fn warn(
    warn: LevelVersion,
    cached: Option<(LevelVersion, Vec<Violation>)>,
    meta: &ObjectMeta,
    spec: &PodSpec,
    cx: &mut Context<'_>,
) {
    let result = match cached {
        Some((lv, result)) if lv == warn => result,
        _ => evaluate(warn, meta, spec),
    };
    if !result.is_empty() {
        cx.warnings.push(format!("would violate PodSecurity {}: {}", quote(&warn.to_string()), forbidden_detail(&result)));
    }
}

fn fields_of(violations: &[Violation]) -> Vec<crate::apiserver::validation::OwnedPath> {
    violations.iter().flat_map(|v| v.finding.fields.iter().cloned()).collect()
}

/// `isSignificantPodUpdate`: only a change of containers or their images is checked again.
fn is_significant_pod_update(pod: &Pod, old: &Pod) -> bool {
    let (s, o) = (&pod.spec, &old.spec);
    if s.containers.len() != o.containers.len() || s.init_containers.len() != o.init_containers.len() {
        return true;
    }
    let changed = |a: &[crate::api::core_v1::Container], b: &[crate::api::core_v1::Container]| {
        a.iter().zip(b).any(|(x, y)| x.image != y.image)
    };
    if changed(&s.containers, &o.containers) || changed(&s.init_containers, &o.init_containers) {
        return true;
    }
    s.ephemeral_containers.iter().any(|c| match o.ephemeral_containers.iter().find(|oc| oc.name == c.name) {
        None => true,
        Some(oc) => oc.image != c.image,
    })
}

/// `EvaluatePodsInNamespace`: the warnings for a namespace whose enforce level was raised to `enforce`: a
/// headline, then one line per distinct violation naming the first pod (by name) and how many others share it.
pub fn evaluate_pods_in_namespace(namespace: &str, pods: &[&Pod], enforce: LevelVersion) -> Vec<String> {
    let prioritized = prioritize_pods(pods);
    let total = prioritized.len();
    let checked = &prioritized[..total.min(NAMESPACE_MAX_PODS_TO_CHECK)];
    // Per distinct reason, in order of first appearance: the smallest pod name and the count.
    let mut seen: Vec<(String, String, usize)> = Vec::new();
    for pod in checked {
        let violations = evaluate(enforce, &pod.metadata, &pod.spec);
        if violations.is_empty() {
            continue;
        }
        let reason = forbidden_reason(&violations);
        match seen.iter_mut().find(|(r, _, _)| *r == reason) {
            Some((_, name, count)) => {
                if pod.metadata.name < *name {
                    *name = pod.metadata.name.clone();
                }
                *count += 1;
            }
            None => seen.push((reason, pod.metadata.name.clone(), 1)),
        }
    }
    let mut warnings = Vec::new();
    if checked.len() < total {
        warnings.push(format!(
            "new PodSecurity enforce level only checked against the first {} of {total} existing pods",
            checked.len()
        ));
    }
    if !seen.is_empty() {
        warnings.push(format!(
            "existing pods in namespace {} violate the new PodSecurity enforce level {}",
            quote(namespace),
            quote(&enforce.to_string())
        ));
    }
    let mut pod_warnings: Vec<String> = seen
        .into_iter()
        .map(|(reason, name, count)| match count {
            1 => format!("{name}: {reason}"),
            2 => format!("{name} (and 1 other pod): {reason}"),
            n => format!("{name} (and {} other pods): {reason}", n - 1),
        })
        .collect();
    pod_warnings.sort();
    warnings.extend(pod_warnings);
    warnings
}

/// `prioritizePods`: pods without a controller and the first pod of each controller, then the other pods of
/// controllers already seen (whose templates are the same).
fn prioritize_pods<'p>(pods: &[&'p Pod]) -> Vec<&'p Pod> {
    let mut first = Vec::new();
    let mut duplicates = Vec::new();
    let mut controllers = HashSet::new();
    for &pod in pods {
        match pod.metadata.owner_references.iter().find(|r| r.controller == Some(true)) {
            Some(r) if !controllers.insert(r.uid.as_str()) => duplicates.push(pod),
            _ => first.push(pod),
        }
    }
    first.extend(duplicates);
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::{Container, SecurityContext};
    use crate::api::meta_v1::OwnerReference;
    use crate::apiserver::admission::testing::{pod, Fake};
    use crate::apiserver::names::NameGenerator;

    fn labelled(fake: &mut Fake, ns: &str, labels: &[(&str, &str)]) {
        let n = fake.namespaces.entry(ns.into()).or_default();
        n.metadata.name = ns.into();
        n.metadata.labels = labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    }

    fn privileged_pod(ns: &str, name: &str) -> Object {
        let mut obj = pod(ns, name);
        if let Object::Pod(p) = &mut obj {
            let p = std::sync::Arc::make_mut(p);
            p.spec.containers[0] = Container {
                name: "app".into(),
                security_context: Some(Box::new(SecurityContext { privileged: Some(true), ..Default::default() })),
                ..Default::default()
            };
        }
        obj
    }

    fn run(fake: &Fake, obj: &mut Object, old: Option<&Object>) -> (Result<(), String>, Vec<String>) {
        let mut names = NameGenerator::default();
        let mut cx = Context::new(fake, &mut names);
        let operation = if old.is_some() { Operation::Update } else { Operation::Create };
        let a = Attributes { operation, object: obj, old };
        let r = PodSecurity.validate(&a, &mut cx).map_err(|r| r.to_string());
        (r, cx.warnings)
    }

    #[test]
    fn enforce_refuses_and_warn_warns() {
        let mut fake = Fake::default();
        labelled(&mut fake, "strict", &[(api::ENFORCE_LEVEL_LABEL, "baseline")]);
        labelled(&mut fake, "loose", &[(api::WARN_LEVEL_LABEL, "baseline")]);
        let (r, w) = run(&fake, &mut privileged_pod("strict", "p"), None);
        assert_eq!(
            r,
            Err(r#"pods "p" is forbidden: violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)"#.into())
        );
        assert!(w.is_empty());
        let (r, w) = run(&fake, &mut privileged_pod("loose", "p"), None);
        assert_eq!(r, Ok(()));
        assert_eq!(w, [r#"would violate PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)"#]);
    }

    #[test]
    fn templates_are_warned_about_with_the_enforce_level() {
        let mut fake = Fake::default();
        labelled(&mut fake, "strict", &[(api::ENFORCE_LEVEL_LABEL, "baseline")]);
        let Object::Pod(p) = privileged_pod("strict", "x") else { unreachable!() };
        let mut d = crate::api::apps_v1::Deployment::default();
        d.metadata.namespace = "strict".into();
        d.metadata.name = "web".into();
        d.spec.template.spec = p.spec.clone();
        let (r, w) = run(&fake, &mut Object::Deployment(Box::new(d)), None);
        assert_eq!(r, Ok(()));
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with(r#"would violate PodSecurity "baseline:latest": privileged"#));
    }

    #[test]
    fn invalid_labels_refuse_the_namespace() {
        let mut ns = Namespace::default();
        ns.metadata.name = "odd".into();
        ns.metadata.labels.insert(api::ENFORCE_LEVEL_LABEL.into(), "strict".into());
        let (r, _) = run(&Fake::default(), &mut Object::Namespace(Box::new(ns)), None);
        assert_eq!(
            r,
            Err(r#"Namespace "odd" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted"#.into())
        );
    }

    #[test]
    fn raising_enforce_warns_about_existing_pods() {
        let mut fake = Fake::default();
        labelled(&mut fake, "legacy", &[]);
        for (name, owner) in [("b-1", "rs"), ("a-1", "rs"), ("solo", "")] {
            let Object::Pod(p) = privileged_pod("legacy", name) else { unreachable!() };
            let mut p = std::sync::Arc::unwrap_or_clone(p);
            if !owner.is_empty() {
                p.metadata.owner_references.push(OwnerReference { uid: owner.into(), controller: Some(true), ..Default::default() });
            }
            fake.pods.push(p);
        }
        let old = Object::Namespace(Box::new(fake.namespaces["legacy"].clone()));
        let mut new = fake.namespaces["legacy"].clone();
        new.metadata.labels.insert(api::ENFORCE_LEVEL_LABEL.into(), "baseline".into());
        let (r, w) = run(&fake, &mut Object::Namespace(Box::new(new)), Some(&old));
        assert_eq!(r, Ok(()));
        assert_eq!(
            w,
            [
                r#"existing pods in namespace "legacy" violate the new PodSecurity enforce level "baseline:latest""#,
                "a-1 (and 2 other pods): privileged",
            ]
        );
    }
}
