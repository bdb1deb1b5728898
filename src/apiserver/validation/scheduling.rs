//! PriorityClasses (`pkg/apis/scheduling/validation/validation.go`).

use crate::api::scheduling_v1::PriorityClass;

use super::core::validate_preemption_policy;
use super::field::{FieldError, Path};
use super::meta::{name_is_dns_subdomain, validate_immutable, validate_object_meta, validate_object_meta_update};

/// `scheduling.HighestUserDefinablePriority`.
const HIGHEST_USER_DEFINABLE_PRIORITY: i32 = 1_000_000_000;

/// The built-in classes (`schedulingapiv1.SystemPriorityClasses`): name, value.
const SYSTEM_CLASSES: &[(&str, i32)] = &[("system-node-critical", 2_000_001_000), ("system-cluster-critical", 2_000_000_000)];

/// `IsKnownSystemPriorityClass`: the error says why a `system-` class is not one of the built-in ones.
fn known_system_class(name: &str, value: i32, global_default: bool) -> Result<(), String> {
    match SYSTEM_CLASSES.iter().find(|(n, _)| *n == name) {
        None => Err(format!("{name} is not a known system priority class")),
        Some((n, v)) if *v != value => Err(format!("value of {n} PriorityClass must be {v}")),
        Some((n, _)) if global_default => Err(format!("globalDefault of {n} PriorityClass must be false")),
        Some(_) => Ok(()),
    }
}

/// `ValidatePriorityClass`: names starting with `system-` are reserved, user values stay at or below one
/// billion, and the preemption policy is known.
pub fn validate_priority_class(pc: &PriorityClass) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&pc.metadata, false, name_is_dns_subdomain, &Path::new("metadata"));
    if pc.metadata.name.starts_with("system-") {
        if let Err(e) = known_system_class(&pc.metadata.name, pc.value, pc.global_default) {
            errs.push(FieldError::forbidden(
                &Path::new("metadata").child("name"),
                format!("priority class names with 'system-' prefix are reserved for system use only. error: {e}"),
            ));
        }
    } else if pc.value > HIGHEST_USER_DEFINABLE_PRIORITY {
        errs.push(FieldError::forbidden(
            &Path::new("value"),
            format!("maximum allowed value of a user defined priority is {HIGHEST_USER_DEFINABLE_PRIORITY}"),
        ));
    }
    if let Some(p) = &pc.preemption_policy {
        errs.extend(validate_preemption_policy(p, &Path::new("preemptionPolicy")));
    }
    errs
}

/// `ValidatePriorityClassUpdate`: the value and the preemption policy are immutable.
pub fn validate_priority_class_update(pc: &PriorityClass, old: &PriorityClass) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&pc.metadata, &old.metadata, &Path::new("metadata"));
    if pc.value != old.value {
        errs.push(FieldError::forbidden(&Path::new("value"), "may not be changed in an update."));
    }
    errs.extend(validate_immutable(
        &pc.preemption_policy,
        &old.preemption_policy,
        || pc.preemption_policy.clone().into(),
        &Path::new("preemptionPolicy"),
    ));
    errs
}
