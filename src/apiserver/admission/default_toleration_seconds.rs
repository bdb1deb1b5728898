//! DefaultTolerationSeconds (`plugin/pkg/admission/defaulttolerationseconds`): a pod that does not already
//! tolerate the `not-ready` / `unreachable` NoExecute taints gets a 300-second toleration for each, so it is
//! evicted five minutes after its node fails rather than at once.

use crate::api::core_v1::{Pod, Toleration};

use super::{Attributes, Context, MutationInterface, Operation, Plugin, Refusal};

pub const PLUGIN_NAME: &str = "DefaultTolerationSeconds";

pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// `--default-not-ready-toleration-seconds` and `--default-unreachable-toleration-seconds`.
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;

/// The plugin.
pub struct DefaultTolerationSeconds;

impl Plugin for DefaultTolerationSeconds {
    fn name(&self) -> &'static str {
        PLUGIN_NAME
    }
    fn handles(&self, operation: Operation) -> bool {
        matches!(operation, Operation::Create | Operation::Update)
    }
    fn mutating(&self) -> Option<&dyn MutationInterface> {
        Some(self)
    }
}

impl MutationInterface for DefaultTolerationSeconds {
    fn admit(&self, a: &mut Attributes<'_>, _: &mut Context<'_>) -> Result<(), Refusal> {
        if let Some(pod) = a.pod_mut() {
            add_default_tolerations(pod);
        }
        Ok(())
    }
}

/// Add the tolerations the pod lacks: one that already matches the key (or every key) with the NoExecute
/// effect (or every effect) counts.
pub fn add_default_tolerations(pod: &mut Pod) {
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

    #[test]
    fn default_toleration_seconds_only_when_not_covered() {
        let mut pod = Pod::default();
        add_default_tolerations(&mut pod);
        assert_eq!(pod.spec.tolerations.len(), 2);
        assert_eq!(pod.spec.tolerations[0].toleration_seconds, Some(300));
        let mut pod = Pod::default();
        pod.spec.tolerations.push(Toleration { operator: "Exists".into(), ..Default::default() });
        add_default_tolerations(&mut pod);
        assert_eq!(pod.spec.tolerations.len(), 1);
        let mut pod = Pod::default();
        pod.spec.tolerations.push(Toleration { key: TAINT_UNREACHABLE.into(), effect: "NoExecute".into(), ..Default::default() });
        add_default_tolerations(&mut pod);
        assert_eq!(pod.spec.tolerations.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(), [TAINT_UNREACHABLE, TAINT_NOT_READY]);
    }
}
