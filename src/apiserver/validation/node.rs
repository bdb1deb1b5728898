//! Nodes and namespaces (`pkg/apis/core/validation/validation.go:ValidateNode`, `ValidateNodeUpdate`,
//! `ValidateNamespace`).

use crate::api::core_v1::{Namespace, Node, Taint};
use crate::go::ToGo;

use super::core::{is_valid_ip, validate_resource_quantity_value, validate_taint_effect};
use super::field::{BadValue, FieldError, Path};
use super::meta::{
    is_qualified_name, is_valid_label_value, name_is_dns_label, name_is_dns_subdomain, validate_kube_finalizer_name,
    validate_label_name, validate_object_meta, validate_object_meta_update,
};

/// `ValidateNode`: metadata, taints (reported under `metadata.taints`, where Go puts them), capacity and
/// allocatable quantities, pod CIDRs.
pub fn validate_node(node: &Node) -> Vec<FieldError> {
    let meta = Path::new("metadata");
    let mut errs = validate_object_meta(&node.metadata, false, name_is_dns_subdomain, &meta);
    if !node.spec.taints.is_empty() {
        errs.extend(validate_node_taints(&node.spec.taints, &meta.child("taints")));
    }
    errs.extend(validate_node_resources(node));
    if !node.spec.pod_cidrs.is_empty() {
        let p = Path::of(&["spec", "podCIDRs"]);
        for (i, c) in node.spec.pod_cidrs.iter().enumerate() {
            if !is_valid_cidr(c) {
                errs.push(FieldError::invalid(&p.index(i), c, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
            }
        }
        if node.spec.pod_cidrs.len() > 1 {
            let v4 = node.spec.pod_cidrs.iter().filter(|c| !c.contains(':')).count();
            let dual = node.spec.pod_cidrs.len() == 2 && v4 == 1;
            if !dual {
                let list = crate::go::GoValue::slice(
                    "[]string",
                    node.spec.pod_cidrs.iter().map(|c| crate::go::GoValue::Str("string", c.as_str().into())),
                );
                errs.push(FieldError::invalid(&p, BadValue::go(&list), "may specify no more than one CIDR for each IP family"));
            }
            let mut seen: Vec<&str> = Vec::new();
            for (i, c) in node.spec.pod_cidrs.iter().enumerate() {
                if seen.contains(&c.as_str()) {
                    errs.push(FieldError::duplicate(&p.index(i), c));
                }
                seen.push(c);
            }
        }
    }
    errs
}

fn is_valid_cidr(c: &str) -> bool {
    let Some((ip, bits)) = c.split_once('/') else { return false };
    let max = if ip.contains(':') { 128 } else { 32 };
    is_valid_ip(ip) && bits.parse::<u32>().is_ok_and(|b| b <= max) && !bits.starts_with('+')
}

/// `validateNodeTaints`: keys, values, effects, and one taint per key and effect.
fn validate_node_taints(taints: &[Taint], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (i, t) in taints.iter().enumerate() {
        let idx = path.index(i);
        errs.extend(validate_label_name(&t.key, &idx.child("key")));
        let msgs = is_valid_label_value(&t.value);
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(&idx.child("value"), &t.value, msgs.join(";")));
        }
        errs.extend(validate_taint_effect(&t.effect, false, &idx.child("effect")));
        if seen.contains(&(t.effect.as_str(), t.key.as_str())) {
            let mut e = FieldError::duplicate(&idx, BadValue::go(&t.to_go()));
            e.detail = "taints must be unique by key and effect pair".to_owned();
            errs.push(e);
            continue;
        }
        seen.push((&t.effect, &t.key));
    }
    errs
}

/// `ValidateNodeResources`.
fn validate_node_resources(node: &Node) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in &node.status.capacity {
        errs.extend(validate_resource_quantity_value(k, v, &Path::new("status").child("capacity").child(k)));
    }
    for (k, v) in &node.status.allocatable {
        errs.extend(validate_resource_quantity_value(k, v, &Path::new("status").child("allocatable").child(k)));
    }
    errs
}

/// `ValidateNode` then `ValidateNodeUpdate`: pod CIDRs and provider ID may only be set once, addresses are
/// unique.
pub fn validate_node_update(node: &Node, old: &Node) -> Vec<FieldError> {
    let mut errs = validate_node(node);
    let meta = Path::new("metadata");
    errs.extend(validate_object_meta_update(&node.metadata, &old.metadata, &meta));
    errs.extend(validate_node_resources(node));
    let mut seen = Vec::new();
    for (i, a) in node.status.addresses.iter().enumerate() {
        if seen.contains(&a) {
            errs.push(FieldError::duplicate(&Path::new("status").child("addresses").index(i), BadValue::go(&a.to_go())));
        }
        seen.push(a);
    }
    const CIDR_MSG: &str = "node updates may not change podCIDR except from \"\" to valid";
    if !old.spec.pod_cidrs.is_empty() {
        let p = Path::of(&["spec", "podCIDRs"]);
        if old.spec.pod_cidrs.len() != node.spec.pod_cidrs.len() {
            errs.push(FieldError::forbidden(&p, CIDR_MSG));
        } else {
            for (o, n) in old.spec.pod_cidrs.iter().zip(&node.spec.pod_cidrs) {
                if o != n {
                    errs.push(FieldError::forbidden(&p, CIDR_MSG));
                }
            }
        }
    }
    if !old.spec.provider_id.is_empty() && old.spec.provider_id != node.spec.provider_id {
        errs.push(FieldError::forbidden(
            &Path::new("spec").child("providerID"),
            "node updates may not change providerID except from \"\" to valid",
        ));
    }
    if !node.spec.taints.is_empty() {
        errs.extend(validate_node_taints(&node.spec.taints, &meta.child("taints")));
    }
    if node.spec.external_id != old.spec.external_id {
        errs.push(FieldError::forbidden(&Path::new("spec").child("externalID"), "may not be updated"));
    }
    errs
}

/// `ValidateNamespace`: a DNS-label name and known or qualified finalizers.
pub fn validate_namespace(ns: &Namespace) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&ns.metadata, false, name_is_dns_label, &Path::new("metadata"));
    let p = Path::of(&["spec", "finalizers"]);
    for f in &ns.spec.finalizers {
        errs.extend(is_qualified_name(f).into_iter().map(|m| FieldError::invalid(&p, f, m)));
        errs.extend(validate_kube_finalizer_name(f, &p));
    }
    errs
}

/// `ValidateNamespaceUpdate`.
pub fn validate_namespace_update(ns: &Namespace, old: &Namespace) -> Vec<FieldError> {
    validate_object_meta_update(&ns.metadata, &old.metadata, &Path::new("metadata"))
}

/// `ValidateRuntimeClass` (`pkg/apis/node/validation`): the handler is a DNS label; the pod overhead, node
/// selector and tolerations are valid.
pub fn validate_runtime_class(rc: &crate::api::node_v1::RuntimeClass) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&rc.metadata, false, super::meta::name_is_dns_subdomain, &Path::new("metadata"));
    let handler = Path::new("handler");
    errs.extend(super::meta::name_is_dns_label(&rc.handler, false).into_iter().map(|m| FieldError::invalid(&handler, &rc.handler, m)));
    if let Some(o) = &rc.overhead {
        let path = Path::of(&["overhead", "limits"]);
        for (k, q) in &o.pod_fixed {
            errs.extend(super::core::validate_container_resource_name(k, &path.key(k)));
            errs.extend(validate_resource_quantity_value(k, q, &path.key(k)));
        }
    }
    if let Some(s) = &rc.scheduling {
        let path = Path::new("scheduling");
        errs.extend(super::meta::validate_labels(&s.node_selector, &path.child("nodeSelector")));
        errs.extend(super::core::validate_tolerations(&s.tolerations, &path.child("tolerations")));
    }
    errs
}

/// `ValidateRuntimeClassUpdate`: the handler cannot change.
pub fn validate_runtime_class_update(rc: &crate::api::node_v1::RuntimeClass, old: &crate::api::node_v1::RuntimeClass) -> Vec<FieldError> {
    let mut errs = validate_runtime_class(rc);
    errs.extend(validate_object_meta_update(&rc.metadata, &old.metadata, &Path::new("metadata")));
    errs.extend(super::meta::validate_immutable(&rc.handler, &old.handler, || (&rc.handler).into(), &Path::new("handler")));
    errs
}

super::validate_by!(crate::api::node_v1::RuntimeClass, create: validate_runtime_class, update: validate_runtime_class_update);
