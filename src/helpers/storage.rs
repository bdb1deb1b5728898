//! `k8s.io/component-helpers/storage`: what a claim asks for (`volume.GetPersistentVolumeClaimClass`,
//! `IsDelayBindingMode`) and the claim behind a generic ephemeral volume (`ephemeral.VolumeClaimName`). The
//! quota evaluators and the scheduler's VolumeBinding read claims through them, as in Kubernetes.

use crate::api::core_v1::{PersistentVolumeClaim, Pod, Volume};
use crate::api::storage_v1::StorageClass;

/// The deprecated annotation that names a claim's class; it wins over `spec.storageClassName`.
pub const BETA_STORAGE_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

/// The annotation the PV controller sets on a claim once its binding to `spec.volumeName` is complete.
pub const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";

/// `StorageClass.volumeBindingMode` that delays binding until a pod using the claim is scheduled.
pub const WAIT_FOR_FIRST_CONSUMER: &str = "WaitForFirstConsumer";

/// `GetPersistentVolumeClaimClass`: the class a claim asks for (`""` for none).
pub fn claim_class(claim: &PersistentVolumeClaim) -> &str {
    if let Some(class) = claim.metadata.annotations.get(BETA_STORAGE_CLASS) {
        return class;
    }
    claim.spec.storage_class_name.as_deref().unwrap_or("")
}

/// `IsDelayBindingMode`: whether the claim's class (looked up by `class_of`) binds when a consumer is
/// scheduled. No class, or a class that does not exist, binds immediately; a class without a binding mode (which
/// the API server's defaulting never leaves) is an error naming it.
pub fn is_delay_binding_mode<'a>(
    claim: &PersistentVolumeClaim,
    class_of: impl FnOnce(&str) -> Option<&'a StorageClass>,
) -> Result<bool, String> {
    let name = claim_class(claim);
    if name.is_empty() {
        return Ok(false);
    }
    let Some(class) = class_of(name) else { return Ok(false) };
    match class.volume_binding_mode.as_deref() {
        Some(mode) => Ok(mode == WAIT_FOR_FIRST_CONSUMER),
        None => Err(format!("VolumeBindingMode not set for StorageClass {name:?}")),
    }
}

/// `isPVCFullyBound` (the scheduler's binder): named a volume, and the PV controller finished the binding.
pub fn is_claim_fully_bound(claim: &PersistentVolumeClaim) -> bool {
    !claim.spec.volume_name.is_empty() && claim.metadata.annotations.contains_key(BIND_COMPLETED)
}

/// The claim a pod's volume uses, if it uses one: the named claim, or for a generic ephemeral volume the claim
/// the ephemeral volume controller makes for it (`VolumeClaimName`: `<pod>-<volume>`).
pub fn volume_claim(pod: &Pod, volume: &Volume) -> Option<VolumeClaim> {
    if let Some(source) = &volume.persistent_volume_claim {
        return Some(VolumeClaim { name: source.claim_name.clone(), ephemeral: false });
    }
    volume
        .ephemeral
        .as_ref()
        .map(|_| VolumeClaim { name: format!("{}-{}", pod.metadata.name, volume.name), ephemeral: true })
}

/// A claim a pod's volume names, and whether it belongs to a generic ephemeral volume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeClaim {
    pub name: String,
    pub ephemeral: bool,
}

/// `ephemeral.VolumeIsForPod`: the claim of an ephemeral volume must be controlled by the pod.
pub fn claim_is_for_pod(pod: &Pod, claim: &PersistentVolumeClaim) -> bool {
    claim.metadata.namespace == pod.metadata.namespace
        && crate::api::controller_of(&claim.metadata).is_some_and(|owner| owner.uid == pod.metadata.uid)
}
