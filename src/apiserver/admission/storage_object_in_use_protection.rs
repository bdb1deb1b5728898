//! StorageObjectInUseProtection (`plugin/pkg/admission/storage/storageobjectinuseprotection`): every new
//! PersistentVolume and PersistentVolumeClaim carries the protection finalizer, which keeps it while a pod uses
//! it.

use crate::api::Object;

use super::{Attributes, Context, MutationInterface, Operation, Plugin, Refusal};

pub const PLUGIN_NAME: &str = "StorageObjectInUseProtection";
pub const PVC_PROTECTION_FINALIZER: &str = "kubernetes.io/pvc-protection";
pub const PV_PROTECTION_FINALIZER: &str = "kubernetes.io/pv-protection";

/// The plugin.
pub struct StorageObjectInUseProtection;

impl Plugin for StorageObjectInUseProtection {
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

impl MutationInterface for StorageObjectInUseProtection {
    fn admit(&self, a: &mut Attributes<'_>, _: &mut Context<'_>) -> Result<(), Refusal> {
        let finalizer = match &*a.object {
            Object::PersistentVolumeClaim(_) => PVC_PROTECTION_FINALIZER,
            Object::PersistentVolume(_) => PV_PROTECTION_FINALIZER,
            _ => return Ok(()),
        };
        let finalizers = &mut a.object.meta_mut().finalizers;
        if !finalizers.iter().any(|f| f == finalizer) {
            finalizers.push(finalizer.to_owned());
        }
        Ok(())
    }
}
