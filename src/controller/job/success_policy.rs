//! `success_policy.go`: `spec.successPolicy` for Indexed Jobs (the JobSuccessPolicy gate is on in v1.32).

use crate::api::batch_v1::SuccessPolicy;

use super::indexed::Intervals;

/// `matchSuccessPolicy`: the message of the first rule the succeeded indexes satisfy.
pub fn matches(policy: Option<&SuccessPolicy>, completions: i32, succeeded: &Intervals) -> Option<String> {
    let policy = policy?;
    if succeeded.is_empty() {
        return None;
    }
    for (index, rule) in policy.rules.iter().enumerate() {
        let met = if let Some(ixs) = rule.succeeded_indexes.as_deref() {
            let required = Intervals::parse(ixs, completions);
            if required.is_empty() {
                continue;
            }
            indexes_rule_met(&required, succeeded, rule.succeeded_count)
        } else {
            rule.succeeded_count.is_some_and(|c| succeeded.total() >= c)
        };
        if met {
            return Some(format!("Matched rules at index {index}"));
        }
    }
    None
}

/// `matchSucceededIndexesRule`: all required indexes succeeded, or at least `succeededCount` of them.
fn indexes_rule_met(required: &Intervals, succeeded: &Intervals, count: Option<i32>) -> bool {
    let contains: i32 = required
        .0
        .iter()
        .flat_map(|r| succeeded.0.iter().map(move |s| (r.last.min(s.last) - r.first.max(s.first) + 1).max(0)))
        .sum();
    contains == required.total() || count.is_some_and(|c| contains >= c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::batch_v1::SuccessPolicyRule;

    #[test]
    fn rules_match_by_indexes_or_count() {
        let done = Intervals::parse("0-2,5", 10);
        let policy = SuccessPolicy {
            rules: vec![
                SuccessPolicyRule { succeeded_indexes: Some("3-4".into()), succeeded_count: None },
                SuccessPolicyRule { succeeded_indexes: Some("1-6".into()), succeeded_count: Some(3) },
            ],
        };
        assert_eq!(matches(Some(&policy), 10, &done).as_deref(), Some("Matched rules at index 1"));
        let policy =
            SuccessPolicy { rules: vec![SuccessPolicyRule { succeeded_indexes: None, succeeded_count: Some(5) }] };
        assert_eq!(matches(Some(&policy), 10, &done), None);
        assert_eq!(matches(None, 10, &done), None);
    }
}
