//! Taints and tolerations (`api/core/v1/toleration.go`, `component-helpers/scheduling/corev1/helpers.go`).

use std::fmt;

use crate::api::core_v1::{Taint, Toleration};

pub const NO_SCHEDULE: &str = "NoSchedule";
pub const PREFER_NO_SCHEDULE: &str = "PreferNoSchedule";
pub const NO_EXECUTE: &str = "NoExecute";

/// `Taint.ToString`: `key=value:effect`, or `key:effect` without a value, as kubectl prints taints.
impl fmt::Display for Taint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}:{}", self.key, self.effect)
        } else {
            write!(f, "{}={}:{}", self.key, self.value, self.effect)
        }
    }
}

/// `Toleration.ToleratesTaint`: an empty effect or key matches any; `Exists` ignores the value; an empty
/// operator means `Equal`; any other operator tolerates nothing. `tolerationSeconds` plays no part.
pub fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    if !t.effect.is_empty() && t.effect != taint.effect {
        return false;
    }
    if !t.key.is_empty() && t.key != taint.key {
        return false;
    }
    match t.operator.as_str() {
        "" | "Equal" => t.value == taint.value,
        "Exists" => true,
        _ => false,
    }
}

/// `TolerationsTolerateTaint`.
pub fn tolerated(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| tolerates(t, taint))
}

/// `FindMatchingUntoleratedTaint`: the first taint (in node order) that passes `include` and is not tolerated.
pub fn find_untolerated<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    include: impl Fn(&Taint) -> bool,
) -> Option<&'a Taint> {
    taints.iter().filter(|t| include(t)).find(|t| !tolerated(tolerations, t))
}

/// Effects that keep pods off a node: `NoSchedule` and `NoExecute`.
pub fn is_no_schedule_or_no_execute(t: &Taint) -> bool {
    t.effect == NO_SCHEDULE || t.effect == NO_EXECUTE
}

/// `Toleration.MatchToleration`: same key, operator, value and effect.
pub fn same_toleration(a: &Toleration, b: &Toleration) -> bool {
    a.key == b.key && a.effect == b.effect && a.operator == b.operator && a.value == b.value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(k: &str, v: &str, e: &str) -> Taint {
        Taint { key: k.into(), value: v.into(), effect: e.into(), ..Default::default() }
    }

    fn tol(k: &str, op: &str, v: &str, e: &str) -> Toleration {
        Toleration { key: k.into(), operator: op.into(), value: v.into(), effect: e.into(), ..Default::default() }
    }

    #[test]
    fn toleration_rules() {
        let t = taint("dedicated", "infra", NO_SCHEDULE);
        assert!(tolerates(&tol("dedicated", "Equal", "infra", NO_SCHEDULE), &t));
        assert!(tolerates(&tol("dedicated", "", "infra", ""), &t), "empty operator is Equal, empty effect matches all");
        assert!(!tolerates(&tol("dedicated", "Equal", "other", NO_SCHEDULE), &t));
        assert!(tolerates(&tol("dedicated", "Exists", "", NO_SCHEDULE), &t));
        assert!(tolerates(&tol("", "Exists", "", ""), &t), "empty key with Exists tolerates everything");
        assert!(!tolerates(&tol("dedicated", "Exists", "", NO_EXECUTE), &t));
        assert!(!tolerates(&tol("dedicated", "Bogus", "infra", NO_SCHEDULE), &t));
    }

    #[test]
    fn first_untolerated_taint_in_node_order() {
        let taints = [taint("a", "", PREFER_NO_SCHEDULE), taint("b", "1", NO_SCHEDULE), taint("c", "", NO_EXECUTE)];
        let found = find_untolerated(&taints, &[], is_no_schedule_or_no_execute).unwrap();
        assert_eq!(found.key, "b");
        let found = find_untolerated(&taints, &[tol("b", "Exists", "", "")], is_no_schedule_or_no_execute).unwrap();
        assert_eq!(found.key, "c");
    }
}
