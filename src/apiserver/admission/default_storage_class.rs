//! DefaultStorageClass (`plugin/pkg/admission/storage/storageclass/setdefault`): a new claim that names no class
//! (no `storageClassName`, not even `""`, and no beta annotation) gets the cluster's default StorageClass.

use crate::api::storage_v1::StorageClass;
use crate::helpers::storage::BETA_STORAGE_CLASS;

use super::{newest_default, Attributes, Context, MutationInterface, Operation, Plugin, Refusal};

pub const PLUGIN_NAME: &str = "DefaultStorageClass";
/// The annotation that marks the default class, and its beta form (`pkg/volume/util/storageclass.go`).
pub const IS_DEFAULT_CLASS: &str = "storageclass.kubernetes.io/is-default-class";
pub const BETA_IS_DEFAULT_CLASS: &str = "storageclass.beta.kubernetes.io/is-default-class";

/// The plugin.
pub struct DefaultStorageClass;

impl Plugin for DefaultStorageClass {
    fn name(&self) -> &'static str {
        PLUGIN_NAME
    }
    fn handles(&self, operation: Operation) -> bool {
        operation == Operation::Create
    }
    fn mutating(&self) -> Option<&dyn MutationInterface> {
        Some(self)
    }
}

impl MutationInterface for DefaultStorageClass {
    fn admit(&self, a: &mut Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
        let crate::api::Object::PersistentVolumeClaim(claim) = &mut *a.object else { return Ok(()) };
        if claim.spec.storage_class_name.is_some() || claim.metadata.annotations.contains_key(BETA_STORAGE_CLASS) {
            return Ok(());
        }
        if let Some(class) = default_class(&cx.listers.storage_classes()) {
            claim.spec.storage_class_name = Some(class.metadata.name.clone());
        }
        Ok(())
    }
}

/// `GetDefaultClass`: of the classes annotated default, the newest (by name among equals).
pub fn default_class<'a>(classes: &[&'a StorageClass]) -> Option<&'a StorageClass> {
    let is_default = |c: &&StorageClass| {
        let a = &c.metadata.annotations;
        [IS_DEFAULT_CLASS, BETA_IS_DEFAULT_CLASS].iter().any(|k| a.get(*k).is_some_and(|v| v == "true"))
    };
    newest_default(classes.iter().copied().filter(is_default), |c| &c.metadata)
}
