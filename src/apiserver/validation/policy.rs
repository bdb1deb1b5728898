//! PodDisruptionBudgets (`pkg/apis/policy/validation/validation.go`). The API server validates only the spec
//! here; the name is checked by the generic path-segment rule every object passes.

use crate::api::policy_v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use crate::api::IntOrString;
use crate::go::{GoValue, ToGo};

use super::apps::{not_more_than_100_percent, validate_positive_int_or_percent};
use super::field::{BadValue, FieldError, Path};
use super::meta::{validate_label_selector, SelectorOptions};

/// `ValidatePodDisruptionBudgetSpec`: one of `minAvailable` and `maxUnavailable`, each a non-negative int or a
/// percentage of at most 100%, a valid selector and a known unhealthy-pod eviction policy.
pub fn validate_pdb(pdb: &PodDisruptionBudget) -> Vec<FieldError> {
    let spec = &pdb.spec;
    let path = Path::new("spec");
    let mut errs = Vec::new();
    if spec.min_available.is_some() && spec.max_unavailable.is_some() {
        errs.push(FieldError::invalid(&path, spec_value(spec), "minAvailable and maxUnavailable cannot be both set"));
    }
    for (value, field) in [(&spec.min_available, "minAvailable"), (&spec.max_unavailable, "maxUnavailable")] {
        if let Some(v) = value {
            errs.extend(validate_positive_int_or_percent(v, &path.child(field)));
            errs.extend(not_more_than_100_percent(v, &path.child(field)));
        }
    }
    errs.extend(validate_label_selector(spec.selector.as_deref(), SelectorOptions::default(), &path.child("selector")));
    if let Some(p) = &spec.unhealthy_pod_eviction_policy {
        if !["AlwaysAllow", "IfHealthyBudget"].contains(&p.as_str()) {
            errs.push(FieldError::not_supported(&path.child("unhealthyPodEvictionPolicy"), p, &["AlwaysAllow", "IfHealthyBudget"]));
        }
    }
    errs
}

/// The spec as `%#v` prints it: its pointers as addresses.
fn spec_value(spec: &PodDisruptionBudgetSpec) -> BadValue {
    fn int_or_string(v: &Option<IntOrString>) -> GoValue<'_> {
        GoValue::ptr("*intstr.IntOrString", v.as_ref().map(|x| x.to_go()))
    }
    BadValue::go(&GoValue::Struct(
        "v1.PodDisruptionBudgetSpec",
        vec![
            ("MinAvailable", int_or_string(&spec.min_available)),
            ("Selector", GoValue::ptr("*v1.LabelSelector", spec.selector.as_deref().map(|s| s.to_go()))),
            ("MaxUnavailable", int_or_string(&spec.max_unavailable)),
            (
                "UnhealthyPodEvictionPolicy",
                GoValue::ptr(
                    "*v1.UnhealthyPodEvictionPolicyType",
                    spec.unhealthy_pod_eviction_policy.as_deref().map(|p| GoValue::Str("v1.UnhealthyPodEvictionPolicyType", p.into())),
                ),
            ),
        ],
    ))
}

super::validate_by!(PodDisruptionBudget, create: validate_pdb, update: validate_pdb_update);

fn validate_pdb_update(pdb: &PodDisruptionBudget, _old: &PodDisruptionBudget) -> Vec<FieldError> {
    validate_pdb(pdb)
}
