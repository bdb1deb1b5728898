//! LimitRanges and ResourceQuotas (`pkg/apis/core/validation/validation.go`: `ValidateLimitRange`,
//! `ValidateResourceQuota` and their helpers).

use std::collections::{BTreeMap, BTreeSet};

use crate::api::core_v1::{LimitRange, LimitRangeItem, ResourceQuota, ResourceQuotaSpec};
use crate::api::Quantity;
use crate::go::{GoValue, ToGo};

use super::core::{is_overcommit_allowed, validate_container_resource_name, validate_resource_name, validate_resource_quantity_value};
use super::field::{BadValue, FieldError, Path};
use super::meta::{is_qualified_name, name_is_dns_subdomain, validate_object_meta, validate_object_meta_update, FIELD_IMMUTABLE};

/// `isInvalidQuotaResource`.
const INVALID_QUOTA_RESOURCE: &str = "must be a standard resource for quota";

/// `helper.IsStandardQuotaResourceName`.
fn is_standard_quota_resource(name: &str) -> bool {
    const STANDARD: &[&str] = &[
        "cpu",
        "memory",
        "ephemeral-storage",
        "requests.cpu",
        "requests.memory",
        "requests.storage",
        "requests.ephemeral-storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "pods",
        "resourcequotas",
        "services",
        "replicationcontrollers",
        "secrets",
        "persistentvolumeclaims",
        "configmaps",
        "services.nodeports",
        "services.loadbalancers",
    ];
    STANDARD.contains(&name) || name.starts_with("requests.hugepages-")
}

/// `IsResourceQuotaScopeValidForResource`: the pod scopes apply to pod counts and compute resources only,
/// `BestEffort` to pod counts only.
fn scope_valid_for_resource(scope: &str, resource: &str) -> bool {
    let pods = resource == "pods";
    let compute = ["cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory"].contains(&resource);
    match scope {
        "Terminating" | "NotTerminating" | "NotBestEffort" | "PriorityClass" | "CrossNamespacePodAffinity" => pods || compute,
        "BestEffort" => pods,
        _ => true,
    }
}

/// `IsStandardResourceQuotaScope`.
fn is_standard_scope(scope: &str) -> bool {
    ["Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity"].contains(&scope)
}

/// `[]core.ResourceQuotaScope{...}` as `%#v` prints it.
fn scopes_value(scopes: &[String]) -> BadValue {
    BadValue::go(&GoValue::slice("[]v1.ResourceQuotaScope", scopes.iter().map(|s| GoValue::Str("v1.ResourceQuotaScope", s.as_str().into()))))
}

/// `ValidateResourceQuotaResourceName`.
fn validate_quota_resource_name(name: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = validate_resource_name(name, path);
    if !name.contains('/') && !is_standard_quota_resource(name) {
        errs.push(FieldError::invalid(path, name, INVALID_QUOTA_RESOURCE));
    }
    errs
}

fn validate_quota_list(list: &BTreeMap<String, Quantity>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in list {
        let p = path.key(k);
        errs.extend(validate_quota_resource_name(k, &p));
        errs.extend(validate_resource_quantity_value(k, v, &p));
    }
    errs
}

/// `ValidateResourceQuotaSpec`: the hard limits, and the scopes (known, applicable to every limit, not
/// conflicting) or the scope selector.
fn validate_resource_quota_spec(spec: &ResourceQuotaSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = validate_quota_list(&spec.hard, &path.child("hard"));
    errs.extend(validate_scopes(spec, path));
    if let Some(sel) = &spec.scope_selector {
        let scope_selector = path.child("scopeSelector");
        let expr_path = scope_selector.child("matchExpressions");
        let mut seen = BTreeSet::new();
        for req in &sel.match_expressions {
            if !is_standard_scope(&req.scope_name) {
                errs.push(FieldError::invalid(&expr_path.child("scopeName"), &req.scope_name, "unsupported scope"));
            }
            for k in spec.hard.keys() {
                if is_standard_quota_resource(k) && !scope_valid_for_resource(&req.scope_name, k) {
                    errs.push(FieldError::invalid(&expr_path, BadValue::Omitted, "unsupported scope applied to resource"));
                }
            }
            if ["BestEffort", "NotBestEffort", "Terminating", "NotTerminating", "CrossNamespacePodAffinity"].contains(&req.scope_name.as_str())
                && req.operator != "Exists"
            {
                errs.push(FieldError::invalid(
                    &expr_path.child("operator"),
                    &req.operator,
                    "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
                ));
            }
            match req.operator.as_str() {
                "In" | "NotIn" if req.values.is_empty() => errs.push(FieldError::required(
                    &expr_path.child("values"),
                    "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
                )),
                "Exists" | "DoesNotExist" if !req.values.is_empty() => errs.push(FieldError::invalid(
                    &expr_path.child("values"),
                    super::service::strings_value(&req.values),
                    "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
                )),
                "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
                other => errs.push(FieldError::invalid(&expr_path.child("operator"), other, "not a valid selector operator")),
            }
            seen.insert(req.scope_name.clone());
        }
        if conflicting(&seen) {
            errs.push(FieldError::invalid(&expr_path, scopes_value(&spec.scopes), "conflicting scopes"));
        }
    }
    errs
}

/// `BestEffort` with `NotBestEffort`, or `Terminating` with `NotTerminating`.
fn conflicting(scopes: &BTreeSet<String>) -> bool {
    [("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating")]
        .iter()
        .any(|(a, b)| scopes.contains(*a) && scopes.contains(*b))
}

/// `validateResourceQuotaScopes`.
fn validate_scopes(spec: &ResourceQuotaSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if spec.scopes.is_empty() {
        return errs;
    }
    let scopes_path = path.child("scopes");
    let mut seen = BTreeSet::new();
    for scope in &spec.scopes {
        if !is_standard_scope(scope) {
            errs.push(FieldError::invalid(&scopes_path, scopes_value(&spec.scopes), "unsupported scope"));
        }
        for k in spec.hard.keys() {
            if is_standard_quota_resource(k) && !scope_valid_for_resource(scope, k) {
                errs.push(FieldError::invalid(&scopes_path, scopes_value(&spec.scopes), "unsupported scope applied to resource"));
            }
        }
        seen.insert(scope.clone());
    }
    if conflicting(&seen) {
        errs.push(FieldError::invalid(&scopes_path, scopes_value(&spec.scopes), "conflicting scopes"));
    }
    errs
}

/// `ValidateResourceQuota`.
pub fn validate_resource_quota(rq: &ResourceQuota) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&rq.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_resource_quota_spec(&rq.spec, &Path::new("spec")));
    let status = Path::new("status");
    errs.extend(validate_quota_list(&rq.status.hard, &status.child("hard")));
    errs.extend(validate_quota_list(&rq.status.used, &status.child("used")));
    errs
}

/// `ValidateResourceQuotaUpdate`: the spec, and scopes that stay the same set.
pub fn validate_resource_quota_update(rq: &ResourceQuota, old: &ResourceQuota) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&rq.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_resource_quota_spec(&rq.spec, &Path::new("spec")));
    let set = |s: &[String]| s.iter().cloned().collect::<BTreeSet<_>>();
    if set(&rq.spec.scopes) != set(&old.spec.scopes) {
        errs.push(FieldError::invalid(&Path::new("spec").child("scopes"), scopes_value(&rq.spec.scopes), FIELD_IMMUTABLE));
    }
    errs
}

/// `validateLimitRangeTypeName`: a qualified name, and a standard type unless it has a prefix.
fn validate_limit_type(t: &str, path: &Path) -> Vec<FieldError> {
    let errs: Vec<FieldError> = is_qualified_name(t).into_iter().map(|m| FieldError::invalid(path, t, m)).collect();
    if errs.is_empty() && !t.contains('/') && !["Pod", "Container", "PersistentVolumeClaim"].contains(&t) {
        return vec![FieldError::invalid(path, t, "must be a standard limit type or fully qualified")];
    }
    errs
}

/// `validateLimitRangeResourceName`: container names for Pod and Container limits, any resource otherwise.
fn validate_limit_resource(limit_type: &str, name: &str, path: &Path) -> Vec<FieldError> {
    match limit_type {
        "Pod" | "Container" => validate_container_resource_name(name, path),
        _ => validate_resource_name(name, path),
    }
}

/// `ValidateLimitRange`.
pub fn validate_limit_range(lr: &LimitRange) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&lr.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    let limits = Path::of(&["spec", "limits"]);
    let mut types = BTreeSet::new();
    for (i, item) in lr.spec.limits.iter().enumerate() {
        let path = limits.index(i);
        errs.extend(validate_limit_type(&item.r#type, &path.child("type")));
        if !types.insert(item.r#type.clone()) {
            errs.push(FieldError::duplicate(&path.child("type"), &item.r#type));
        }
        errs.extend(validate_limit_item(item, &path));
    }
    errs
}

/// One item of a LimitRange: resource names, Pod items without defaults, storage bounds for claims, and the
/// order min <= default request <= default <= max, with a ratio between 1 and max/min.
fn validate_limit_item(item: &LimitRangeItem, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let t = item.r#type.as_str();
    let mut keys = BTreeSet::new();
    let mut names = |list: &BTreeMap<String, Quantity>, field: &str, errs: &mut Vec<FieldError>| {
        for k in list.keys() {
            errs.extend(validate_limit_resource(t, k, &path.child(field).key(k)));
            keys.insert(k.clone());
        }
    };
    names(&item.max, "max", &mut errs);
    names(&item.min, "min", &mut errs);
    if t == "Pod" {
        if !item.default.is_empty() {
            errs.push(FieldError::forbidden(&path.child("default"), "may not be specified when `type` is 'Pod'"));
        }
        if !item.default_request.is_empty() {
            errs.push(FieldError::forbidden(&path.child("defaultRequest"), "may not be specified when `type` is 'Pod'"));
        }
    } else {
        names(&item.default, "default", &mut errs);
        names(&item.default_request, "defaultRequest", &mut errs);
    }
    if t == "PersistentVolumeClaim" && !item.min.contains_key("storage") && !item.max.contains_key("storage") {
        errs.push(FieldError::required(
            &path.child("limits"),
            "either minimum or maximum storage value is required, but neither was provided",
        ));
    }
    names(&item.max_limit_request_ratio, "maxLimitRequestRatio", &mut errs);
    let (defaults, requests) = if t == "Pod" { (BTreeMap::new(), BTreeMap::new()) } else { (item.default.clone(), item.default_request.clone()) };
    for k in &keys {
        errs.extend(validate_limit_order(k, item.min.get(k), item.max.get(k), defaults.get(k), requests.get(k), item.max_limit_request_ratio.get(k), path));
    }
    errs
}

/// The bounds of one resource of a LimitRange item.
fn validate_limit_order(
    k: &str,
    min: Option<&Quantity>,
    max: Option<&Quantity>,
    default: Option<&Quantity>,
    request: Option<&Quantity>,
    ratio: Option<&Quantity>,
    path: &Path,
) -> Vec<FieldError> {
    use std::cmp::Ordering::{Greater, Less};
    let mut errs = Vec::new();
    let invalid = |field: &str, value: &Quantity, message: String| {
        FieldError::invalid(&path.child(field).key(k), BadValue::go(&value.to_go()), message)
    };
    if let (Some(min), Some(max)) = (min, max) {
        if min.cmp_value(max) == Greater {
            errs.push(invalid("min", min, format!("min value {min} is greater than max value {max}")));
        }
    }
    if let Some(req) = request {
        if let Some(min) = min.filter(|m| m.cmp_value(req) == Greater) {
            errs.push(invalid("defaultRequest", req, format!("min value {min} is greater than default request value {req}")));
        }
        if let Some(max) = max.filter(|m| req.cmp_value(m) == Greater) {
            errs.push(invalid("defaultRequest", req, format!("default request value {req} is greater than max value {max}")));
        }
        if let Some(def) = default.filter(|d| req.cmp_value(d) == Greater) {
            errs.push(invalid("defaultRequest", req, format!("default request value {req} is greater than default limit value {def}")));
        }
    }
    if let Some(def) = default {
        if let Some(min) = min.filter(|m| m.cmp_value(def) == Greater) {
            errs.push(invalid("default", min, format!("min value {min} is greater than default value {def}")));
        }
        // Go shows the max as the bad value here.
        if let Some(max) = max.filter(|m| def.cmp_value(m) == Greater) {
            errs.push(invalid("default", max, format!("default value {def} is greater than max value {max}")));
        }
    }
    if let Some(ratio) = ratio {
        if ratio.cmp_value(&Quantity::from_int(1, crate::api::QuantityFormat::DecimalSI)) == Less {
            errs.push(invalid("maxLimitRequestRatio", ratio, format!("ratio {ratio} is less than 1")));
        }
        if let (Some(min), Some(max)) = (min, max) {
            let limit = ratio_limit(ratio, min, max);
            if limit.0 > limit.1 {
                errs.push(invalid("maxLimitRequestRatio", ratio, format!("ratio {ratio} is greater than max/min = {:.6}", limit.1)));
            }
        }
    }
    if !is_overcommit_allowed(k) {
        if let (Some(def), Some(req)) = (default, request) {
            if def.cmp_value(req) != std::cmp::Ordering::Equal {
                errs.push(invalid("defaultRequest", req, format!("default value {def} must equal to defaultRequest value {req} in {k}")));
            }
        }
    }
    errs
}

/// The ratio and max/min as Go compares them: in milli-units when all three fit, else in units.
fn ratio_limit(ratio: &Quantity, min: &Quantity, max: &Quantity) -> (f64, f64) {
    const MAX_MILLI: i64 = i64::MAX / 1000;
    let (mut r, mut lo, mut hi) = (ratio.value() as f64, min.value(), max.value());
    if ratio.value() < MAX_MILLI && lo < MAX_MILLI && hi < MAX_MILLI {
        r = ratio.milli_value() as f64 / 1000.0;
        lo = min.milli_value();
        hi = max.milli_value();
    }
    (r, hi as f64 / lo as f64)
}

pub fn validate_limit_range_update(lr: &LimitRange, old: &LimitRange) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&lr.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_limit_range(lr));
    errs
}

super::validate_by!(LimitRange, create: validate_limit_range, update: validate_limit_range_update);
super::validate_by!(ResourceQuota, create: validate_resource_quota, update: validate_resource_quota_update);

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap()
    }

    #[test]
    fn a_best_effort_quota_may_only_count_pods() {
        let mut rq = ResourceQuota::default();
        rq.metadata.name = "bad".into();
        rq.metadata.namespace = "default".into();
        rq.spec.hard.insert("pods".into(), q("-1"));
        rq.spec.hard.insert("requests.cpu".into(), q("1"));
        rq.spec.scopes = vec!["BestEffort".into()];
        let msgs: Vec<String> = validate_resource_quota(&rq).iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "spec.hard[pods]: Invalid value: \"-1\": must be greater than or equal to 0",
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\"}: unsupported scope applied to resource",
            ]
        );
    }

    #[test]
    fn defaults_must_sit_between_min_and_max() {
        let mut item = LimitRangeItem { r#type: "Container".into(), ..Default::default() };
        item.max.insert("cpu".into(), q("2"));
        item.default.insert("cpu".into(), q("4"));
        item.default_request.insert("cpu".into(), q("5"));
        let msgs: Vec<String> = validate_limit_item(&item, &Path::new("spec").child("limits").index(0)).iter().map(|e| e.detail.clone()).collect();
        assert_eq!(
            msgs,
            [
                "default request value 5 is greater than max value 2",
                "default request value 5 is greater than default limit value 4",
                "default value 4 is greater than max value 2",
            ]
        );
    }
}
