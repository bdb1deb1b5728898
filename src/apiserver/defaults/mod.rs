//! API-server defaulting of v1.32: what the API server fills in when it decodes an object, before the registry
//! strategy ([`super::strategy`]) and admission run.
//!
//! One submodule per API group, mirroring `pkg/apis/<group>/v1/defaults.go` and the generated
//! `zz_generated.defaults.go` beside it. Gated branches read [`features`], which holds the v1.32 gate defaults.
//!
//! Defaulting is idempotent: running it twice changes nothing more, as the API server also defaults objects it
//! reads back from storage.

mod apps;
mod batch;
mod core;
pub mod features;
pub mod image;
mod scheduling;

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
pub use self::scheduling::default_priority_class;

use crate::api::Object;

/// Apply every default the API server applies when it decodes `obj` (the scheme's `Default`, which runs the
/// kind's `SetObjectDefaults_<Kind>`). ControllerRevisions have no defaults.
pub fn default_object(obj: &mut Object) {
    match obj {
        Object::Node(n) => default_node(n),
        Object::Namespace(ns) => default_namespace(ns),
        Object::Pod(p) => default_pod(p),
        Object::Service(s) => default_service(s),
        Object::PriorityClass(pc) => default_priority_class(pc),
        Object::DaemonSet(ds) => default_daemon_set(ds),
        Object::Deployment(d) => default_deployment(d),
        Object::ReplicaSet(rs) => default_replica_set(rs),
        Object::StatefulSet(ss) => default_stateful_set(ss),
        Object::ControllerRevision(_) => {}
        Object::Job(j) => default_job(j),
    }
}
