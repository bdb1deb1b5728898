//! CustomResourceDefinitions (`apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go`) and the
//! custom resources they serve (`.../registry/customresource/validator.go`).
//!
//! Not modelled: the structural-schema, CEL and default checks of `openAPIV3Schema`, and a custom resource's
//! validation against its schema (kubeplan stores custom resources as written, as the conformance model does).

use std::collections::BTreeSet;

use crate::api::apiextensions_v1::{CustomResourceDefinition, CustomResourceDefinitionNames, CustomResourceDefinitionVersion};
use crate::api::CustomResource;
use crate::go::GoValue;

use super::field::{BadValue, FieldError, Path};
use super::meta::{
    is_dns1035_label, is_dns1123_subdomain, name_is_dns_subdomain, validate_immutable, validate_object_meta,
    validate_object_meta_update,
};
use super::service::strings_value;

const API_APPROVAL: &str = "api-approved.kubernetes.io";

/// `ValidateCustomResourceDefinition`.
pub fn validate_crd(crd: &CustomResourceDefinition) -> Vec<FieldError> {
    let required = format!("{}.{}", crd.spec.names.plural, crd.spec.group);
    let mut errs = validate_object_meta(&crd.metadata, false, name_is_dns_subdomain, &Path::new("metadata"));
    if crd.metadata.name != required && !crd.metadata.name.is_empty() {
        errs.push(FieldError::invalid(&Path::new("metadata").child("name"), &crd.metadata.name, "must be spec.names.plural+\".\"+spec.group"));
    }
    errs.extend(validate_spec(crd));
    errs.extend(validate_names(&crd.status.accepted_names, &Path::new("status").child("acceptedNames")));
    errs.extend(validate_stored_versions(crd));
    errs.extend(validate_api_approval(crd, None));
    errs
}

/// `ValidateCustomResourceDefinitionUpdate`: as on create, and the group, scope and (once established) the
/// names cannot change.
pub fn validate_crd_update(crd: &CustomResourceDefinition, old: &CustomResourceDefinition) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&crd.metadata, &old.metadata, &Path::new("metadata"));
    let spec = Path::new("spec");
    errs.extend(validate_spec(crd));
    errs.extend(validate_immutable(&crd.spec.group, &old.spec.group, || (&crd.spec.group).into(), &spec.child("group")));
    let established = old.status.conditions.iter().any(|c| c.r#type == "Established" && c.status == "True");
    if established {
        let plural = &crd.spec.names.plural;
        errs.extend(validate_immutable(plural, &old.spec.names.plural, || plural.into(), &spec.child("names").child("plural")));
        errs.extend(validate_immutable(&crd.spec.scope, &old.spec.scope, || (&crd.spec.scope).into(), &spec.child("scope")));
    }
    errs.extend(validate_names(&crd.status.accepted_names, &Path::new("status").child("acceptedNames")));
    errs.extend(validate_stored_versions(crd));
    errs.extend(validate_api_approval(crd, Some(old)));
    errs
}

/// `validateCustomResourceDefinitionSpec`, without the schema's structural checks.
fn validate_spec(crd: &CustomResourceDefinition) -> Vec<FieldError> {
    let spec = &crd.spec;
    let path = Path::new("spec");
    let mut errs = Vec::new();
    let group = path.child("group");
    if spec.group.is_empty() {
        errs.push(FieldError::required(&group, ""));
    } else if let msgs @ [_, ..] = is_dns1123_subdomain(&spec.group).as_slice() {
        errs.push(FieldError::invalid(&group, &spec.group, msgs.join(",")));
    } else if !spec.group.contains('.') {
        errs.push(FieldError::invalid(&group, &spec.group, "should be a domain with at least one dot"));
    }
    errs.extend(enum_string(&path.child("scope"), &spec.scope, &["Cluster", "Namespaced"], true));
    let versions = path.child("versions");
    for (i, v) in spec.versions.iter().enumerate() {
        if v.schema.as_ref().is_none_or(|s| s.open_apiv3_schema.is_none()) {
            errs.push(FieldError::required(&versions.index(i).child("schema").child("openAPIV3Schema"), "schemas are required"));
        }
    }
    let mut names = BTreeSet::new();
    let mut unique = true;
    for (i, v) in spec.versions.iter().enumerate() {
        unique &= names.insert(v.name.clone());
        let msgs = is_dns1035_label(&v.name);
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(&versions.index(i).child("name"), &v.name, msgs.join(",")));
        }
        if v.deprecation_warning.as_deref().is_some_and(|w| w.len() > 256) {
            errs.push(FieldError::invalid(
                &versions.index(i).child("deprecationWarning"),
                v.deprecation_warning.clone(),
                "must not exceed 256 characters",
            ));
        }
    }
    if !unique {
        errs.push(FieldError::invalid(&versions, versions_value(&spec.versions), "must contain unique version names"));
    }
    if spec.versions.iter().filter(|v| v.storage).count() != 1 {
        errs.push(FieldError::invalid(&versions, versions_value(&spec.versions), "must have exactly one version marked as storage version"));
    }
    let names_path = path.child("names");
    for (value, field) in [
        (&spec.names.plural, "plural"),
        (&spec.names.singular, "singular"),
        (&spec.names.kind, "kind"),
        (&spec.names.list_kind, "listKind"),
    ] {
        if value.is_empty() {
            errs.push(FieldError::required(&names_path.child(field), ""));
        }
    }
    errs.extend(validate_names(&spec.names, &names_path));
    if let Some(c) = &spec.conversion {
        let conversion = path.child("conversion");
        errs.extend(enum_string(&conversion.child("strategy"), &c.strategy, &["None", "Webhook"], true));
        if c.strategy == "Webhook" {
            match c.webhook.as_ref().and_then(|w| w.client_config.as_ref()) {
                None => errs.push(FieldError::required(&conversion.child("webhookClientConfig"), "required when strategy is set to Webhook")),
                Some(cc) if cc.url.is_some() == cc.service.is_some() => {
                    errs.push(FieldError::required(&conversion.child("webhookClientConfig"), "exactly one of url or service is required"));
                }
                Some(_) => {}
            }
        }
    }
    errs
}

/// `validateEnumStrings`.
fn enum_string(path: &Path, value: &str, accepted: &[&str], required: bool) -> Vec<FieldError> {
    match value {
        "" if required => vec![FieldError::required(path, "")],
        "" => Vec::new(),
        v if accepted.contains(&v) => Vec::new(),
        v => vec![FieldError::not_supported(path, v, accepted)],
    }
}

/// `ValidateCustomResourceDefinitionNames`: DNS-1035 labels (the kinds in lower case), kind and list kind apart.
fn validate_names(names: &CustomResourceDefinitionNames, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let label = |value: &str, field: &str, shown: &str, prefix: &str, errs: &mut Vec<FieldError>| {
        let msgs = is_dns1035_label(value);
        if !shown.is_empty() && !msgs.is_empty() {
            errs.push(FieldError::invalid(&path.child(field), shown, format!("{prefix}{}", msgs.join(","))));
        }
    };
    label(&names.plural, "plural", &names.plural, "", &mut errs);
    label(&names.singular, "singular", &names.singular, "", &mut errs);
    let mixed = "may have mixed case, but should otherwise match: ";
    label(&names.kind.to_lowercase(), "kind", &names.kind, mixed, &mut errs);
    label(&names.list_kind.to_lowercase(), "listKind", &names.list_kind, mixed, &mut errs);
    for (i, s) in names.short_names.iter().enumerate() {
        let msgs = is_dns1035_label(s);
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(&path.child("shortNames").index(i), s, msgs.join(",")));
        }
    }
    if !names.kind.is_empty() && names.kind == names.list_kind {
        errs.push(FieldError::invalid(&path.child("listKind"), &names.list_kind, "kind and listKind may not be the same"));
    }
    for (i, c) in names.categories.iter().enumerate() {
        let msgs = is_dns1035_label(c);
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(&path.child("categories").index(i), c, msgs.join(",")));
        }
    }
    errs
}

/// `ValidateCustomResourceDefinitionStoredVersions`.
fn validate_stored_versions(crd: &CustomResourceDefinition) -> Vec<FieldError> {
    let stored = &crd.status.stored_versions;
    let path = Path::of(&["status", "storedVersions"]);
    if stored.is_empty() {
        return vec![FieldError::invalid(&path, strings_value(stored), "must have at least one stored version")];
    }
    let mut errs = Vec::new();
    let mut unlisted: Vec<(usize, &String)> = stored.iter().enumerate().collect();
    for v in &crd.spec.versions {
        let listed = stored.contains(&v.name);
        if v.storage && !listed {
            errs.push(FieldError::invalid(&path, strings_value(stored), format!("must have the storage version {}", v.name)));
        }
        unlisted.retain(|(_, s)| **s != v.name);
    }
    for (i, v) in unlisted {
        errs.push(FieldError::invalid(&path.index(i), v, "must appear in spec.versions"));
    }
    errs
}

/// `validateAPIApproval`: a definition in a protected group (`k8s.io`, `kubernetes.io` and their subdomains)
/// carries the approval annotation, with a URL or a reason starting with `unapproved`.
fn validate_api_approval(crd: &CustomResourceDefinition, old: Option<&CustomResourceDefinition>) -> Vec<FieldError> {
    let group = crd.spec.group.as_str();
    let protected = group == "k8s.io" || group.ends_with(".k8s.io") || group == "kubernetes.io" || group.ends_with(".kubernetes.io");
    if !protected {
        return Vec::new();
    }
    let state = |c: &CustomResourceDefinition| approval_state(c.metadata.annotations.get(API_APPROVAL).map_or("", String::as_str));
    let new_state = state(crd);
    if old.is_some_and(|o| state(o) == new_state) {
        return Vec::new();
    }
    let annotations = Path::of(&["metadata", "annotations"]);
    let path = annotations.key(API_APPROVAL);
    let value = crd.metadata.annotations.get(API_APPROVAL).cloned().unwrap_or_default();
    match new_state {
        Approval::Approved | Approval::Bypassed => Vec::new(),
        Approval::Missing => vec![FieldError::required(
            &path,
            format!("protected groups must have approval annotation {API_APPROVAL:?}, see https://github.com/kubernetes/enhancements/pull/1111"),
        )],
        Approval::Invalid => vec![FieldError::invalid(
            &path,
            value,
            format!("protected groups must have approval annotation {API_APPROVAL:?} with either a URL or a reason starting with \"unapproved\", see https://github.com/kubernetes/enhancements/pull/1111"),
        )],
    }
}

#[derive(PartialEq)]
enum Approval {
    Missing,
    Bypassed,
    Approved,
    Invalid,
}

/// `GetAPIApprovalState`.
fn approval_state(annotation: &str) -> Approval {
    if annotation.is_empty() {
        return Approval::Missing;
    }
    if annotation.starts_with("unapproved") {
        return Approval::Bypassed;
    }
    // `url.ParseRequestURI` with a scheme and a host.
    let approved = annotation.split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !rest.split(['/', '?', '#']).next().unwrap_or("").is_empty()
            && !annotation.contains(' ')
    });
    if approved {
        Approval::Approved
    } else {
        Approval::Invalid
    }
}

/// The versions as the internal type holds them, printed with `%#v`. The v1 conversion moves a schema (and
/// subresources, and printer columns) shared by every version to the top level, leaving the versions' own nil.
fn versions_value(versions: &[CustomResourceDefinitionVersion]) -> BadValue {
    let all_same = |f: &dyn Fn(&CustomResourceDefinitionVersion) -> String| versions.windows(2).all(|w| f(&w[0]) == f(&w[1]));
    let hoist_schema = all_same(&|v| format!("{:?}", v.schema));
    let hoist_subresources = all_same(&|v| format!("{:?}", v.subresources));
    let hoist_columns = all_same(&|v| format!("{:?}", v.additional_printer_columns));
    let version = |v: &CustomResourceDefinitionVersion| -> GoValue<'static> {
        let ptr = |t: &'static str, present: bool| GoValue::ptr(t, present.then(|| GoValue::Struct(&t[1..], Vec::new())));
        GoValue::Struct(
            "apiextensions.CustomResourceDefinitionVersion",
            vec![
                ("Name", GoValue::Str("string", v.name.clone().into())),
                ("Served", GoValue::Bool("bool", v.served)),
                ("Storage", GoValue::Bool("bool", v.storage)),
                ("Deprecated", GoValue::Bool("bool", v.deprecated)),
                ("DeprecationWarning", GoValue::ptr("*string", v.deprecation_warning.clone().map(|w| GoValue::Str("string", w.into())))),
                ("Schema", ptr("*apiextensions.CustomResourceValidation", !hoist_schema && v.schema.is_some())),
                ("Subresources", ptr("*apiextensions.CustomResourceSubresources", !hoist_subresources && v.subresources.is_some())),
                (
                    "AdditionalPrinterColumns",
                    GoValue::Slice(
                        "[]apiextensions.CustomResourceColumnDefinition",
                        (!hoist_columns && !v.additional_printer_columns.is_empty()).then(|| {
                            v.additional_printer_columns.iter().map(|_| GoValue::Struct("apiextensions.CustomResourceColumnDefinition", Vec::new())).collect()
                        }),
                    ),
                ),
                ("SelectableFields", GoValue::Slice("[]apiextensions.SelectableField", None)),
            ],
        )
    };
    BadValue::go(&GoValue::slice("[]apiextensions.CustomResourceDefinitionVersion", versions.iter().map(version)))
}

/// A custom resource: its metadata as any object's (a DNS-subdomain name), and a namespace exactly when the kind
/// is namespaced.
pub fn validate_custom_resource(cr: &CustomResource) -> Vec<FieldError> {
    let namespaced = cr.served.as_ref().is_none_or(|s| s.namespaced);
    let mut errs = validate_object_meta(&cr.metadata, namespaced, name_is_dns_subdomain, &Path::new("metadata"));
    if !namespaced && !cr.metadata.namespace.is_empty() {
        errs.push(FieldError::forbidden(&Path::new("metadata").child("namespace"), "not allowed on this type"));
    }
    errs
}

pub fn validate_custom_resource_update(cr: &CustomResource, old: &CustomResource) -> Vec<FieldError> {
    validate_object_meta_update(&cr.metadata, &old.metadata, &Path::new("metadata"))
}

super::validate_by!(CustomResourceDefinition, create: validate_crd, update: validate_crd_update);
super::validate_by!(CustomResource, create: validate_custom_resource, update: validate_custom_resource_update);

#[cfg(test)]
mod tests {
    use super::*;

    fn crd(name: &str, storage: bool) -> CustomResourceDefinition {
        let mut c = CustomResourceDefinition::default();
        c.metadata.name = name.into();
        c.spec.group = "example.com".into();
        c.spec.scope = "Namespaced".into();
        c.spec.names = CustomResourceDefinitionNames {
            plural: "gadgets".into(),
            singular: "gadget".into(),
            kind: "Gadget".into(),
            list_kind: "GadgetList".into(),
            ..Default::default()
        };
        c.spec.versions.push(CustomResourceDefinitionVersion {
            name: "v1".into(),
            served: true,
            storage,
            schema: Some(Box::new(crate::api::apiextensions_v1::CustomResourceValidation {
                open_apiv3_schema: Some(crate::api::RawJson(serde_json::json!({"type": "object"}))),
            })),
            ..Default::default()
        });
        let mut o = crate::api::Object::CustomResourceDefinition(Box::new(c));
        crate::apiserver::defaults::default_object(&mut o);
        crate::apiserver::strategy::prepare_for_create(&mut o);
        match o {
            crate::api::Object::CustomResourceDefinition(c) => *c,
            _ => unreachable!(),
        }
    }

    #[test]
    fn the_name_is_plural_dot_group_and_one_version_is_stored() {
        let msgs: Vec<String> = validate_crd(&crd("gadget.example.com", true)).iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs[0], "metadata.name: Invalid value: \"gadget.example.com\": must be spec.names.plural+\".\"+spec.group");
        let msgs: Vec<String> = validate_crd(&crd("gadgets.example.com", false)).iter().map(|e| e.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{apiextensions.CustomResourceDefinitionVersion{Name:\"v1\", Served:true, Storage:false, Deprecated:false, DeprecationWarning:(*string)(nil), Schema:(*apiextensions.CustomResourceValidation)(nil), Subresources:(*apiextensions.CustomResourceSubresources)(nil), AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil), SelectableFields:[]apiextensions.SelectableField(nil)}}: must have exactly one version marked as storage version",
                "status.storedVersions: Invalid value: []string(nil): must have at least one stored version",
            ]
        );
    }

    #[test]
    fn protected_groups_need_approval() {
        assert!(approval_state("https://github.com/kubernetes/enhancements/pull/1111") == Approval::Approved);
        assert!(approval_state("unapproved, experimental") == Approval::Bypassed);
        assert!(approval_state("yes") == Approval::Invalid);
    }
}
