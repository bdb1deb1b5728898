//! `pod_failure_policy.go`: which rule of `spec.podFailurePolicy` a failed pod matches, and what that means.

use crate::api::batch_v1::{
    PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern,
};
use crate::api::core_v1::{ContainerStatus, Pod, PodCondition, PodStatus};

/// The outcome of `matchPodFailurePolicy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// With `FailJob`: the message the Job fails with.
    pub fail_job_message: Option<String>,
    /// Whether the failure counts towards the backoff limit (`Ignore` does not).
    pub count_failed: bool,
    /// The action of the matching rule, if any.
    pub action: Option<String>,
}

/// `matchPodFailurePolicy`: the first rule whose exit codes or pod conditions match decides. `FailIndex` applies
/// with the JobBackoffLimitPerIndex gate, on in v1.32.
pub fn matches(policy: &PodFailurePolicy, pod: &Pod) -> Match {
    let none = Match { fail_job_message: None, count_failed: true, action: None };
    for (index, rule) in policy.rules.iter().enumerate() {
        let matched = if let Some(req) = rule.on_exit_codes.as_deref() {
            on_exit_codes(&pod.status, req).map(|c| {
                let code = c.state.terminated.as_ref().map_or(0, |t| t.exit_code);
                format!(
                    "Container {} for pod {}/{} failed with exit code {} matching {} rule at index {}",
                    c.name, pod.metadata.namespace, pod.metadata.name, code, rule.action, index
                )
            })
        } else if !rule.on_pod_conditions.is_empty() {
            on_pod_conditions(&pod.status, &rule.on_pod_conditions).map(|c| {
                format!(
                    "Pod {}/{} has condition {} matching {} rule at index {}",
                    pod.metadata.namespace, pod.metadata.name, c.r#type, rule.action, index
                )
            })
        } else {
            None
        };
        let Some(message) = matched else { continue };
        let action = Some(rule.action.clone());
        match rule.action.as_str() {
            "Ignore" => return Match { fail_job_message: None, count_failed: false, action },
            "FailIndex" | "Count" => return Match { fail_job_message: None, count_failed: true, action },
            "FailJob" => return Match { fail_job_message: Some(message), count_failed: true, action },
            _ => {}
        }
    }
    none
}

/// `matchOnExitCodes`: a terminated container (regular first, then init) with a non-zero exit code the
/// requirement matches.
fn on_exit_codes<'a>(
    status: &'a PodStatus,
    req: &PodFailurePolicyOnExitCodesRequirement,
) -> Option<&'a ContainerStatus> {
    let find = |list: &'a [ContainerStatus]| {
        list.iter().find(|c| {
            let Some(t) = c.state.terminated.as_ref() else { return false };
            let name_ok = req.container_name.as_deref().is_none_or(|n| n == c.name);
            name_ok && t.exit_code != 0 && operator_matches(t.exit_code, req)
        })
    };
    find(&status.container_statuses).or_else(|| find(&status.init_container_statuses))
}

fn operator_matches(code: i32, req: &PodFailurePolicyOnExitCodesRequirement) -> bool {
    match req.operator.as_str() {
        "In" => req.values.contains(&code),
        "NotIn" => !req.values.contains(&code),
        _ => false,
    }
}

/// `matchOnPodConditions`: the first pod condition some pattern matches by type and status.
fn on_pod_conditions<'a>(
    status: &'a PodStatus,
    patterns: &[PodFailurePolicyOnPodConditionsPattern],
) -> Option<&'a PodCondition> {
    status.conditions.iter().find(|c| patterns.iter().any(|p| p.r#type == c.r#type && p.status == c.status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::batch_v1::PodFailurePolicyRule;
    use crate::api::core_v1::{ContainerState, ContainerStateTerminated};

    fn failed_pod(code: i32) -> Pod {
        let mut p = Pod::default();
        p.metadata.namespace = "ns".into();
        p.metadata.name = "p".into();
        p.status.phase = "Failed".into();
        p.status.container_statuses.push(ContainerStatus {
            name: "main".into(),
            state: ContainerState {
                terminated: Some(Box::new(ContainerStateTerminated { exit_code: code, ..Default::default() })),
                ..Default::default()
            },
            ..Default::default()
        });
        p
    }

    fn rule(action: &str, op: &str, values: &[i32]) -> PodFailurePolicyRule {
        PodFailurePolicyRule {
            action: action.into(),
            on_exit_codes: Some(Box::new(PodFailurePolicyOnExitCodesRequirement {
                container_name: None,
                operator: op.into(),
                values: values.to_vec(),
            })),
            on_pod_conditions: vec![],
        }
    }

    #[test]
    fn first_matching_rule_decides() {
        let policy = PodFailurePolicy { rules: vec![rule("Ignore", "In", &[42]), rule("FailJob", "NotIn", &[0, 1])] };
        let m = matches(&policy, &failed_pod(42));
        assert_eq!((m.count_failed, m.action.as_deref()), (false, Some("Ignore")));
        let m = matches(&policy, &failed_pod(3));
        assert_eq!(
            m.fail_job_message.as_deref(),
            Some("Container main for pod ns/p failed with exit code 3 matching FailJob rule at index 1")
        );
        let m = matches(&policy, &failed_pod(1));
        assert_eq!(m, Match { fail_job_message: None, count_failed: true, action: None });
    }
}
