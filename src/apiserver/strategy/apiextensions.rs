//! CustomResourceDefinitions and the custom resources they define: the registry strategies
//! (`apiextensions-apiserver/pkg/registry/customresourcedefinition/strategy.go`, `.../customresource/strategy.go`),
//! the naming and establishing controllers that accept a definition's names (`pkg/controller/status`,
//! `pkg/controller/establish`), and which kinds and versions a definition serves.

use std::collections::BTreeSet;

use crate::api::apiextensions_v1::{
    CustomResourceDefinition, CustomResourceDefinitionCondition, CustomResourceDefinitionNames,
    CustomResourceDefinitionStatus,
};
use crate::api::{CustomResource, CustomResourceServing};

use super::{first_generation, next_generation_if, Strategy};

impl Strategy for CustomResourceDefinition {
    /// Status cleared, `generation: 1`, the storage version recorded as stored.
    fn prepare_for_create(&mut self) {
        self.status = CustomResourceDefinitionStatus::default();
        first_generation(&mut self.metadata);
        record_storage_version(self);
    }

    /// Status kept, `generation` bumped by a spec change, a new storage version recorded as stored.
    fn prepare_for_update(&mut self, old: &Self) {
        self.status = old.status.clone();
        next_generation_if(&mut self.metadata, &old.metadata, self.spec != old.spec);
        record_storage_version(self);
    }
}

/// The version marked `storage` joins `status.storedVersions` (once).
fn record_storage_version(crd: &mut CustomResourceDefinition) {
    if let Some(v) = crd.spec.versions.iter().find(|v| v.storage) {
        if !crd.status.stored_versions.contains(&v.name) {
            crd.status.stored_versions.push(v.name.clone());
        }
    }
}

impl Strategy for CustomResource {
    /// With the status subresource the status cannot be created through the main resource; `generation: 1`.
    fn prepare_for_create(&mut self) {
        if self.served.as_ref().is_some_and(|s| s.status_subresource) {
            self.content.remove("status");
        }
        first_generation(&mut self.metadata);
    }

    /// With the status subresource the stored status stays; any change outside `metadata` bumps `generation`.
    fn prepare_for_update(&mut self, old: &Self) {
        if self.served.as_ref().is_some_and(|s| s.status_subresource) {
            match old.content.get("status") {
                Some(status) => {
                    self.content.insert("status".to_owned(), status.clone());
                }
                None => {
                    self.content.remove("status");
                }
            }
        }
        next_generation_if(&mut self.metadata, &old.metadata, self.content != old.content);
    }
}

/// What the naming and establishing controllers make of a new definition: its names are accepted unless
/// another definition of the group already holds one of them, and it is established once they are
/// (`NamingConditionController.calculateNamesAndConditions`, `EstablishingController.sync`). kubeplan runs both at
/// once, as the definition is stored. `others` are the group's definitions already stored.
pub fn establish<'a>(crd: &mut CustomResourceDefinition, others: impl Iterator<Item = &'a CustomResourceDefinition>) {
    let (mut resources, mut kinds) = (BTreeSet::new(), BTreeSet::new());
    for o in others.filter(|o| o.spec.group == crd.spec.group && o.metadata.name != crd.metadata.name) {
        let n = &o.status.accepted_names;
        resources.extend([n.plural.clone(), n.singular.clone()].into_iter().chain(n.short_names.iter().cloned()));
        kinds.extend([n.kind.clone(), n.list_kind.clone()]);
    }
    let requested = crd.spec.names.clone();
    let mut accepted = CustomResourceDefinitionNames { categories: requested.categories.clone(), ..Default::default() };
    let mut conflict: Option<(&str, String)> = None;
    // Each check in Go's order; a later conflict's reason and message replace an earlier one's.
    let checks: [(&str, &BTreeSet<String>, &str, &mut String); 2] = [
        (&requested.plural, &resources, "PluralConflict", &mut accepted.plural),
        (&requested.singular, &resources, "SingularConflict", &mut accepted.singular),
    ];
    for (name, used, reason, slot) in checks {
        claim(name, used, reason, slot, &mut conflict);
    }
    let short_conflicts: Vec<String> =
        requested.short_names.iter().filter(|s| resources.contains(*s)).map(|s| in_use(s)).collect();
    match short_conflicts.len() {
        0 => accepted.short_names = requested.short_names.clone(),
        1 => conflict = Some(("ShortNamesConflict", short_conflicts[0].clone())),
        _ => conflict = Some(("ShortNamesConflict", format!("[{}]", short_conflicts.join(", ")))),
    }
    claim(&requested.kind, &kinds, "KindConflict", &mut accepted.kind, &mut conflict);
    claim(&requested.list_kind, &kinds, "ListKindConflict", &mut accepted.list_kind, &mut conflict);
    let crd_since = crd.metadata.creation_timestamp.clone();
    let condition = |r#type: &str, status: &str, reason: &str, message: &str| CustomResourceDefinitionCondition {
        r#type: r#type.to_owned(),
        status: status.to_owned(),
        last_transition_time: crd_since.clone(),
        reason: reason.to_owned(),
        message: message.to_owned(),
    };
    crd.status.accepted_names = accepted;
    crd.status.conditions = match conflict {
        None => vec![
            condition("NamesAccepted", "True", "NoConflicts", "no conflicts found"),
            condition("Established", "True", "InitialNamesAccepted", "the initial names have been accepted"),
        ],
        Some((reason, message)) => vec![
            condition("NamesAccepted", "False", reason, &message),
            condition("Established", "False", "NotAccepted", "not all names are accepted"),
        ],
    };
}

/// `equalToAcceptedOrFresh` for a definition not yet accepted: a name nobody holds is taken.
fn claim<'r>(name: &str, used: &BTreeSet<String>, reason: &'r str, slot: &mut String, conflict: &mut Option<(&'r str, String)>) {
    if used.contains(name) {
        *conflict = Some((reason, in_use(name)));
    } else {
        *slot = name.to_owned();
    }
}

fn in_use(name: &str) -> String {
    format!("{} is already in use", crate::go::fmt::quote(name))
}

/// How a custom resource of `api_version` and `kind` is served, given the stored definitions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Serving {
    /// No definition has this group and kind (the cluster may have one kubeplan was not given).
    NoDefinition,
    /// A definition has the kind, but does not serve this version (or is not established).
    NotServed,
    Served(CustomResourceServing),
}

/// The established definition of `kind` in the group of `api_version`, and whether it serves that version.
pub fn serving<'a>(api_version: &str, kind: &str, crds: impl Iterator<Item = &'a CustomResourceDefinition>) -> Serving {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let Some(crd) = crds.into_iter().find(|c| c.spec.group == group && c.spec.names.kind == kind) else {
        return Serving::NoDefinition;
    };
    let established = crd.status.conditions.iter().any(|c| c.r#type == "Established" && c.status == "True");
    match crd.spec.versions.iter().find(|v| v.name == version && v.served) {
        Some(v) if established && crd.status.accepted_names.kind == kind => Serving::Served(CustomResourceServing {
            plural: crd.status.accepted_names.plural.clone(),
            namespaced: crd.spec.scope == "Namespaced",
            status_subresource: v.subresources.as_ref().is_some_and(|s| s.status.is_some()),
        }),
        _ => Serving::NotServed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::apiextensions_v1::CustomResourceDefinitionVersion;

    fn crd(plural: &str, kind: &str) -> CustomResourceDefinition {
        let mut c = CustomResourceDefinition::default();
        c.metadata.name = format!("{plural}.example.com");
        c.spec.group = "example.com".into();
        c.spec.scope = "Namespaced".into();
        c.spec.names = CustomResourceDefinitionNames {
            plural: plural.into(),
            singular: plural.trim_end_matches('s').into(),
            kind: kind.into(),
            list_kind: format!("{kind}List"),
            ..Default::default()
        };
        c.spec.versions = vec![
            CustomResourceDefinitionVersion { name: "v1".into(), served: true, storage: true, ..Default::default() },
            CustomResourceDefinitionVersion { name: "v1alpha1".into(), served: false, ..Default::default() },
        ];
        c
    }

    #[test]
    fn an_established_definition_serves_its_served_versions() {
        let mut a = crd("backups", "Backup");
        assert_eq!(serving("example.com/v1", "Backup", [&a].into_iter()), Serving::NotServed, "not yet established");
        establish(&mut a, std::iter::empty());
        assert_eq!(a.status.conditions[1].reason, "InitialNamesAccepted");
        assert!(matches!(serving("example.com/v1", "Backup", [&a].into_iter()), Serving::Served(s) if s.plural == "backups" && s.namespaced));
        assert_eq!(serving("example.com/v1alpha1", "Backup", [&a].into_iter()), Serving::NotServed);
        assert_eq!(serving("other.io/v1", "Backup", [&a].into_iter()), Serving::NoDefinition);
    }

    #[test]
    fn a_name_another_definition_holds_is_not_accepted() {
        let mut a = crd("backups", "Backup");
        establish(&mut a, std::iter::empty());
        let mut b = crd("backups", "Snapshot");
        b.metadata.name = "other.example.com".into();
        establish(&mut b, [&a].into_iter());
        assert_eq!(b.status.conditions[0].status, "False");
        assert_eq!(b.status.conditions[0].reason, "SingularConflict", "the last conflict found is reported");
        assert_eq!(b.status.conditions[0].message, "\"backup\" is already in use");
        assert_eq!(b.status.conditions[1].reason, "NotAccepted");
    }
}
