//! Leases (`pkg/apis/coordination/validation/validation.go`).

use crate::api::coordination_v1::{Lease, LeaseSpec};

use super::field::{FieldError, Path};
use super::meta::{name_is_dns_subdomain, validate_object_meta, validate_object_meta_update};

/// `ValidateLeaseSpec`: a positive duration, non-negative transitions, a preferred holder only with a strategy.
fn validate_lease_spec(spec: &LeaseSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(d) = spec.lease_duration_seconds.filter(|d| *d <= 0) {
        errs.push(FieldError::invalid(&path.child("leaseDurationSeconds"), d, "must be greater than 0"));
    }
    if let Some(t) = spec.lease_transitions.filter(|t| *t < 0) {
        errs.push(FieldError::invalid(&path.child("leaseTransitions"), t, "must be greater than or equal to 0"));
    }
    if let Some(s) = &spec.strategy {
        if !s.contains('/') && s != "OldestEmulationVersion" {
            errs.push(FieldError::not_supported(&path.child("strategy").child("strategy"), s, &["OldestEmulationVersion"]));
        } else if s.contains('/') {
            let strategy = path.child("strategy");
            let p = strategy.child("strategy");
            errs.extend(super::meta::is_qualified_name(s).into_iter().map(|m| FieldError::invalid(&p, s, m)));
        }
    }
    let holder = spec.preferred_holder.as_deref().is_some_and(|h| !h.is_empty());
    if holder && spec.strategy.as_deref().is_none_or(str::is_empty) {
        errs.push(FieldError::forbidden(&path.child("preferredHolder"), "may only be specified if `strategy` is defined"));
    }
    errs
}

pub fn validate_lease(lease: &Lease) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&lease.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_lease_spec(&lease.spec, &Path::new("spec")));
    errs
}

pub fn validate_lease_update(lease: &Lease, old: &Lease) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&lease.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_lease_spec(&lease.spec, &Path::new("spec")));
    errs
}

super::validate_by!(Lease, create: validate_lease, update: validate_lease_update);
