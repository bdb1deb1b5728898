//! VolumeBinding (`pkg/scheduler/framework/plugins/volumebinding`): a pod's PersistentVolumeClaims must exist
//! and be bound, or be bindable by scheduling the pod. kubeplan runs no PersistentVolume controller and no
//! provisioner, so a claim binds only if the input gives it bound; PreFilter then decides what a cluster
//! without them decides — a claim that is missing, lost, being deleted, or unbound with Immediate binding (or
//! no class) keeps the pod Pending, UnschedulableAndUnresolvable, so preemption does not try. Filter (matching
//! PersistentVolumes to WaitForFirstConsumer claims, a bound volume's node affinity) is not modelled: it
//! accepts every node. Scoring needs the VolumeCapacityPriority feature, off in v1.32, so PreScore skips.

use std::rc::Rc;

use crate::api::core_v1::Pod;
use crate::helpers::storage::{claim_is_for_pod, is_claim_fully_bound, is_delay_binding_mode, volume_claim};
use crate::scheduler::config::validation::validate_volume_binding_args;
use crate::scheduler::config::Args;
use crate::scheduler::framework::{
    CycleState, ExtensionPoint, FilterPlugin, Handle, Instance, Listers, NodeInfo, Plugin, PodInfo, PreFilterPlugin,
    PreFilterResult, PreScorePlugin, Reason, ScorePlugin, Status,
};

pub const NAME: &str = "VolumeBinding";

/// The claim phase the PV controller gives a claim whose volume disappeared.
const CLAIM_LOST: &str = "Lost";

pub struct VolumeBinding;

/// `New`: the arguments must be VolumeBindingArgs and valid (`ValidateVolumeBindingArgsWithOptions`). The bind
/// timeout they carry bounds PreBind's wait for the PV controller, which kubeplan does not run.
pub fn new(args: Option<&Args>) -> Result<Instance, String> {
    super::checked_args(
        args,
        "VolumeBindingArgs",
        |a| if let Args::VolumeBinding(x) = a { Some(x) } else { None },
        validate_volume_binding_args,
    )?;
    let p = Rc::new(VolumeBinding);
    Ok(Instance {
        pre_filter: Some(p.clone()),
        filter: Some(p.clone()),
        pre_score: Some(p.clone()),
        score: Some(p),
        other: &[ExtensionPoint::Reserve, ExtensionPoint::PreBind],
        ..Instance::new(NAME)
    })
}

impl Plugin for VolumeBinding {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl PreFilterPlugin for VolumeBinding {
    /// `PreFilter`: skip a pod without claims; refuse one whose claims cannot be used (`podHasPVCs`) or are
    /// unbound with immediate binding (`GetPodVolumeClaims`).
    fn pre_filter(&self, handle: &Handle<'_>, _: &mut CycleState, pod: &PodInfo) -> Result<PreFilterResult, Status> {
        let claims = usable_claims(handle.listers, &pod.pod).map_err(Status::unresolvable)?;
        if claims.is_empty() {
            return Err(Status::skip());
        }
        let mut unbound_immediate = Vec::new();
        for claim in claims {
            if is_claim_fully_bound(claim) {
                continue;
            }
            let delayed = is_delay_binding_mode(claim, |class| handle.listers.storage_class(class)).map_err(Status::error)?;
            // A claim that names its volume without a completed binding waits for the PV controller too.
            if !delayed || !claim.spec.volume_name.is_empty() {
                unbound_immediate.push(claim.metadata.name.clone());
            }
        }
        if unbound_immediate.is_empty() {
            Ok(None)
        } else {
            Err(Status::unresolvable(Reason::UnboundImmediateClaims(unbound_immediate)))
        }
    }
}

/// `podHasPVCs`: the claims of the pod's volumes, in volume order, each of which must exist, not be lost or
/// being deleted, and — for an ephemeral volume — belong to the pod. The first that fails is the reason.
fn usable_claims<'a>(
    listers: &'a dyn Listers,
    pod: &Pod,
) -> Result<Vec<&'a crate::api::core_v1::PersistentVolumeClaim>, Reason> {
    let namespace = &pod.metadata.namespace;
    let mut claims = Vec::new();
    for wanted in pod.spec.volumes.iter().filter_map(|v| volume_claim(pod, v)) {
        let Some(claim) = listers.persistent_volume_claim(namespace, &wanted.name) else {
            return Err(if wanted.ephemeral {
                Reason::EphemeralClaimNotCreated(wanted.name)
            } else {
                Reason::ClaimNotFound(wanted.name)
            });
        };
        if claim.status.phase == CLAIM_LOST {
            return Err(Reason::ClaimLost { claim: wanted.name, volume: claim.spec.volume_name.clone() });
        }
        if claim.metadata.deletion_timestamp.is_some() {
            return Err(Reason::ClaimBeingDeleted(wanted.name));
        }
        if wanted.ephemeral && !claim_is_for_pod(pod, claim) {
            return Err(Reason::EphemeralClaimNotOwned {
                namespace: namespace.clone(),
                claim: wanted.name,
                pod: pod.metadata.name.clone(),
            });
        }
        claims.push(claim);
    }
    Ok(claims)
}

impl FilterPlugin for VolumeBinding {
    /// Matching volumes to WaitForFirstConsumer claims and checking bound volumes' node affinity need
    /// PersistentVolumes, which kubeplan does not bind: every node passes.
    fn filter(&self, _: &CycleState, _: &PodInfo, _: &NodeInfo) -> Result<(), Status> {
        Ok(())
    }
}

impl PreScorePlugin for VolumeBinding {
    /// Scoring needs the VolumeCapacityPriority feature (off in v1.32): skip.
    fn pre_score(&self, _: &Handle<'_>, _: &mut CycleState, _: &PodInfo, _: &[&NodeInfo]) -> Result<(), Status> {
        Err(Status::skip())
    }
}

impl ScorePlugin for VolumeBinding {
    fn score(&self, _: &Handle<'_>, _: &CycleState, _: &PodInfo, _: &NodeInfo) -> Result<i64, Status> {
        Ok(0)
    }
}
