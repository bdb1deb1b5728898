//! API-server defaulting of v1.32: what the API server fills in when it decodes an object, before the registry
//! strategy ([`super::strategy`]) and admission run.
//!
//! One submodule per API group, mirroring `pkg/apis/<group>/v1/defaults.go` and the generated
//! `zz_generated.defaults.go` beside it. Gated branches read [`features`], which holds the v1.32 gate defaults.
//!
//! Defaulting is idempotent: running it twice changes nothing more, as the API server also defaults objects it
//! reads back from storage.

mod apiextensions;
mod apps;
mod autoscaling;
mod batch;
mod core;
mod discovery;
pub mod features;
pub mod image;
mod networking;
mod rbac;
mod scheduling;
mod storage;

pub use self::apps::{
    default_daemon_set, default_deployment, default_replica_set, default_stateful_set, set_defaults_daemon_set,
    set_defaults_deployment, set_defaults_replica_set, set_defaults_stateful_set, DEFAULT_PROGRESS_DEADLINE_SECONDS,
    DEFAULT_REVISION_HISTORY_LIMIT,
};
pub use self::batch::{default_job, set_defaults_job};
pub use self::core::{
    default_container, default_ephemeral_container, default_http_get_action, default_image_pull_policy,
    default_namespace, default_node, default_node_status, default_object_field_selector,
    default_persistent_volume_claim, default_persistent_volume_claim_spec, default_pod, default_pod_only,
    default_pod_spec, default_pod_spec_tree, default_pod_template, default_probe, default_resource_list,
    default_service, default_volume, service_externally_accessible, DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS,
    DEFAULT_SCHEDULER_NAME, DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS, LABEL_METADATA_NAME,
    SERVICE_ACCOUNT_TOKEN_EXPIRATION_SECONDS, TERMINATION_MESSAGE_PATH_DEFAULT, VOLUME_DEFAULT_MODE,
};
pub use self::rbac::RBAC_GROUP;
pub use self::scheduling::default_priority_class;

use crate::api::{with_object, Object};

/// A kind's defaulting: the scheme's `Default`, which runs the generated `SetObjectDefaults_<Kind>` (the kind's
/// `SetDefaults_*` functions and those of every nested type). Kinds without defaults keep the empty body.
pub trait Defaults {
    fn set_defaults(&mut self) {}
}

/// Apply every default the API server applies when it decodes `obj`.
pub fn default_object(obj: &mut Object) {
    with_object!(obj, o => crate::api::Held::to_mut(o).set_defaults())
}

/// `impl Defaults for Type { fn set_defaults(&mut self) { function(self) } }`, for kinds whose defaulting is a
/// function of its own.
macro_rules! defaults_by {
    ($($t:ty => $f:path),* $(,)?) => {
        $(impl $crate::apiserver::defaults::Defaults for $t {
            fn set_defaults(&mut self) {
                $f(self)
            }
        })*
    };
}
pub(crate) use defaults_by;

defaults_by! {
    crate::api::core_v1::Node => default_node,
    crate::api::core_v1::Namespace => default_namespace,
    crate::api::core_v1::Pod => default_pod,
    crate::api::core_v1::Service => default_service,
    crate::api::scheduling_v1::PriorityClass => default_priority_class,
    crate::api::apps_v1::DaemonSet => default_daemon_set,
    crate::api::apps_v1::Deployment => default_deployment,
    crate::api::apps_v1::ReplicaSet => default_replica_set,
    crate::api::apps_v1::StatefulSet => default_stateful_set,
    crate::api::batch_v1::Job => default_job,
}

impl Defaults for crate::api::apps_v1::ControllerRevision {}
impl Defaults for crate::api::policy_v1::PodDisruptionBudget {}
impl Defaults for crate::api::coordination_v1::Lease {}
impl Defaults for crate::api::node_v1::RuntimeClass {}
/// A custom resource's defaults are its schema's, which kubeplan does not apply.
impl Defaults for crate::api::CustomResource {}
