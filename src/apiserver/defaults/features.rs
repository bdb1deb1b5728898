//! The feature gates that defaulting and the registry strategies consult, at their v1.32 default values
//! (`pkg/features/versioned_kube_features.go`, the entry for version 1.32 of each gate).
//!
//! kubeplan models a cluster with every gate at its default; these constants make each gated branch of the Go code
//! visible in the Rust code instead of silently leaving it out.

/// `InPlacePodVerticalScaling`: alpha, off. Would default container `resizePolicy` and keep it on create.
pub const IN_PLACE_POD_VERTICAL_SCALING: bool = false;
/// `InPlacePodVerticalScalingAllocatedStatus`: alpha, off. Keeps `status.containerStatuses[].allocatedResources`.
pub const IN_PLACE_POD_VERTICAL_SCALING_ALLOCATED_STATUS: bool = false;
/// `PodLevelResources`: alpha, off. Would default and keep `spec.resources` (pod-level requests and limits).
pub const POD_LEVEL_RESOURCES: bool = false;
/// `ImageVolume`: alpha, off. Would default `volumes[].image.pullPolicy` and keep image volumes.
pub const IMAGE_VOLUME: bool = false;
/// `LoadBalancerIPMode`: GA, on. Defaults `status.loadBalancer.ingress[].ipMode` of LoadBalancer Services.
pub const LOAD_BALANCER_IP_MODE: bool = true;
/// `MaxUnavailableStatefulSet`: alpha, off. StatefulSet `rollingUpdate.maxUnavailable` is neither defaulted nor kept.
pub const MAX_UNAVAILABLE_STATEFUL_SET: bool = false;
/// `StatefulSetAutoDeletePVC`: GA, on. Defaults `persistentVolumeClaimRetentionPolicy`.
pub const STATEFUL_SET_AUTO_DELETE_PVC: bool = true;
/// `StatefulSetStartOrdinal`: GA, on. Keeps `spec.ordinals`.
pub const STATEFUL_SET_START_ORDINAL: bool = true;
/// `JobPodReplacementPolicy`: beta, on. Defaults and keeps `spec.podReplacementPolicy`.
pub const JOB_POD_REPLACEMENT_POLICY: bool = true;
/// `JobManagedBy`: beta, on. Keeps `spec.managedBy`.
pub const JOB_MANAGED_BY: bool = true;
/// `JobSuccessPolicy`: beta, on. Keeps `spec.successPolicy`.
pub const JOB_SUCCESS_POLICY: bool = true;
/// `JobBackoffLimitPerIndex`: beta, on. Keeps `backoffLimitPerIndex`, `maxFailedIndexes` and `FailIndex` rules.
pub const JOB_BACKOFF_LIMIT_PER_INDEX: bool = true;
/// `UserNamespacesSupport`: beta, off. `spec.hostUsers` is dropped.
pub const USER_NAMESPACES_SUPPORT: bool = false;
/// `SupplementalGroupsPolicy`: alpha, off. `securityContext.supplementalGroupsPolicy` is dropped.
pub const SUPPLEMENTAL_GROUPS_POLICY: bool = false;
/// `ProcMountType`: beta, off. A container's `securityContext.procMount` is forced to `Default`.
pub const PROC_MOUNT_TYPE: bool = false;
/// `NodeInclusionPolicyInPodTopologySpread`: beta, on.
pub const NODE_INCLUSION_POLICY_IN_POD_TOPOLOGY_SPREAD: bool = true;
/// `MatchLabelKeysInPodTopologySpread`: beta, on.
pub const MATCH_LABEL_KEYS_IN_POD_TOPOLOGY_SPREAD: bool = true;
/// `MatchLabelKeysInPodAffinity`: beta, on. Pod creation merges `matchLabelKeys` into the affinity selectors.
pub const MATCH_LABEL_KEYS_IN_POD_AFFINITY: bool = true;
/// `DynamicResourceAllocation`: beta, off. `resourceClaims` and container `resources.claims` are dropped.
pub const DYNAMIC_RESOURCE_ALLOCATION: bool = false;
/// `ClusterTrustBundleProjection`: alpha, off. Projected `clusterTrustBundle` sources are dropped.
pub const CLUSTER_TRUST_BUNDLE_PROJECTION: bool = false;
/// `SidecarContainers`: beta, on. Init containers keep `restartPolicy`.
pub const SIDECAR_CONTAINERS: bool = true;
/// `RecursiveReadOnlyMounts`: beta, on. Volume mounts keep `recursiveReadOnly`.
pub const RECURSIVE_READ_ONLY_MOUNTS: bool = true;
/// `PodLifecycleSleepAction`: beta, on. Lifecycle handlers keep `sleep`.
pub const POD_LIFECYCLE_SLEEP_ACTION: bool = true;
/// `SELinuxChangePolicy`: alpha, off. `securityContext.seLinuxChangePolicy` is dropped.
pub const SE_LINUX_CHANGE_POLICY: bool = false;
/// `ResourceHealthStatus`: alpha, off. `containerStatuses[].allocatedResourcesStatus` is dropped.
pub const RESOURCE_HEALTH_STATUS: bool = false;
/// `ServiceTrafficDistribution`: beta, on. Services keep `spec.trafficDistribution`.
pub const SERVICE_TRAFFIC_DISTRIBUTION: bool = true;
/// `SELinuxMountReadWriteOncePod`: beta, on. Defaults and keeps a CSIDriver's `seLinuxMount`.
pub const SELINUX_MOUNT_READ_WRITE_ONCE_POD: bool = true;
/// `CoordinatedLeaderElection`: alpha, off. A Lease's `strategy` and `preferredHolder` are dropped.
pub const COORDINATED_LEADER_ELECTION: bool = false;
/// `VolumeAttributesClass`: beta, off. A claim's or volume's `volumeAttributesClassName` is dropped.
pub const VOLUME_ATTRIBUTES_CLASS: bool = false;
