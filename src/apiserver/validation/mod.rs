//! API-server validation with Kubernetes' exact messages (`pkg/apis/*/validation` and the registry strategies'
//! `Validate`/`ValidateUpdate`, at the v1.32 feature-gate defaults).
//!
//! Objects are validated as the API server validates them: after defaulting and after the strategy's
//! `PrepareForCreate`/`PrepareForUpdate` (for a Job, after the selector and template labels were generated
//! for its UID). [`validate_create`] and [`validate_update`] return the field errors; [`invalid_message`]
//! turns them into the text of the API server's `Invalid` error, as `kubectl` prints it.
//!
//! Modules: [`field`] (the error type and its text), [`meta`] (object metadata, names, labels, selectors),
//! [`core`] (pods and pod templates), [`volumes`], [`node`] (nodes and namespaces), [`apps`], [`batch`],
//! [`scheduling`].
//!
//! Empty maps and lists: Go prints a map written as `{}` as `map[string]string{}` and a missing one as
//! `map[string]string(nil)`; kubeplan's types do not keep the difference, so callers holding the document an
//! object came from should pass the errors through [`refine_with_source`] with the manifest's tree before
//! rendering them.
//!
//! Not modelled: ephemeral-container fields beyond "not allowed here"; fields that v1.32 drops before
//! validation because their feature gate is off (`hostUsers`, `resizePolicy`, resource claims, image
//! volumes, `procMount`, `supplementalGroupsPolicy`, `seLinuxChangePolicy`, StatefulSet
//! `rollingUpdate.maxUnavailable`, cluster trust bundles); the `go-cmp` diff Go appends to a rejected pod
//! update; the DaemonSet template-generation rules (the strategy makes them unreachable); Services and
//! ControllerRevisions; status updates. Struct values that Go prints with `%#v` show kubeplan's v1 field
//! layout under internal type names, and pointers inside them as a fixed address.

pub mod apiextensions;
pub mod apps;
pub mod autoscaling;
pub mod batch;
pub mod config;
pub mod coordination;
pub mod core;
pub mod cron;
pub mod discovery;
pub mod field;
pub mod meta;
pub mod networking;
pub mod node;
mod pod_options;
pub mod policy;
pub mod quota;
pub mod rbac;
pub mod replication;
pub mod scheduling;
pub mod service;
pub mod storage;
mod time_zones;
pub mod volumes;

use crate::api::{with_object, with_objects, Object};
use crate::go::fmt::quote;

pub use field::{aggregate, aggregate_messages, refine_with_source, BadValue, ErrorKind, FieldError, OwnedPath, Path};

/// A kind's validation: its strategy's `Validate` and `ValidateUpdate`, with Kubernetes' messages. Kinds whose
/// validation is not modelled (ControllerRevision) keep the empty bodies.
pub trait Validate {
    /// `Validate`: the field errors of a new object; empty when the API server would accept it.
    fn validate(&self) -> Vec<FieldError> {
        Vec::new()
    }

    /// `ValidateUpdate`: the field errors of an update of `old` (the stored object) to `self`.
    fn validate_update(&self, _old: &Self) -> Vec<FieldError> {
        Vec::new()
    }
}

/// Validate an object being created (the strategy's `Validate`). Empty when the API server would accept it.
pub fn validate_create(obj: &Object) -> Vec<FieldError> {
    with_object!(obj, o => o.validate())
}

/// Validate an update of `old` to `new` (the strategy's `ValidateUpdate`).
///
/// As `rest.BeforeUpdate` does before validating, the new object keeps the stored UID and creation timestamp
/// when it has none, and always the stored generation. An update of one kind to another is not an update and
/// is accepted here.
pub fn validate_update(new: &Object, old: &Object) -> Vec<FieldError> {
    let mut new = new.clone();
    {
        let (m, o) = (new.meta_mut(), old.meta());
        if m.uid.is_empty() {
            m.uid = o.uid.clone();
        }
        if o.creation_timestamp != crate::api::Time::default() {
            m.creation_timestamp = o.creation_timestamp.clone();
        }
        if o.deletion_timestamp.is_some() {
            m.deletion_timestamp = o.deletion_timestamp.clone();
        }
        if o.deletion_grace_period_seconds.is_some() && m.deletion_grace_period_seconds.is_none() {
            m.deletion_grace_period_seconds = o.deletion_grace_period_seconds;
        }
        m.generation = o.generation;
    }
    with_objects!(&new, old, (n, o) => n.validate_update(o), else Vec::new())
}

/// `impl Validate for Type` from functions: `create: f` (`Validate`), `update: g` (`ValidateUpdate`).
macro_rules! validate_by {
    ($t:ty $(, create: $c:path)? $(, update: $u:path)? $(,)?) => {
        impl $crate::apiserver::validation::Validate for $t {
            $(fn validate(&self) -> Vec<$crate::apiserver::validation::FieldError> {
                $c(self)
            })?
            $(fn validate_update(&self, old: &Self) -> Vec<$crate::apiserver::validation::FieldError> {
                $u(self, old)
            })?
        }
    };
}
pub(crate) use validate_by;

impl Validate for crate::api::core_v1::Pod {
    fn validate(&self) -> Vec<FieldError> {
        let opts = core::PodOptions { resource_is_pod: true, ..core::PodOptions::for_spec(None) };
        core::validate_pod_create(self, &opts)
    }

    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        let opts = core::PodOptions { resource_is_pod: true, ..core::PodOptions::for_spec(Some((&old.spec, &old.metadata))) };
        core::validate_pod_update(self, old, &opts)
    }
}

/// The workloads validate their templates as templates, with no old template to relax the rules on create.
macro_rules! validate_workload {
    ($t:ty, $create:path, $update:path) => {
        impl Validate for $t {
            fn validate(&self) -> Vec<FieldError> {
                $create(self, &core::PodOptions::for_template(None))
            }

            fn validate_update(&self, old: &Self) -> Vec<FieldError> {
                $update(self, old)
            }
        }
    };
}

validate_workload!(crate::api::apps_v1::DaemonSet, apps::validate_daemon_set, apps::validate_daemon_set_update);
validate_workload!(crate::api::apps_v1::Deployment, apps::validate_deployment, apps::validate_deployment_update);
validate_workload!(crate::api::apps_v1::ReplicaSet, apps::validate_replica_set, apps::validate_replica_set_update);
validate_workload!(crate::api::apps_v1::StatefulSet, apps::validate_stateful_set, apps::validate_stateful_set_update);
validate_by!(crate::api::batch_v1::Job, create: batch::validate_job_create, update: batch::validate_job_update);
validate_by!(crate::api::core_v1::Node, create: node::validate_node, update: node::validate_node_update);
validate_by!(
    crate::api::scheduling_v1::PriorityClass,
    create: scheduling::validate_priority_class,
    update: scheduling::validate_priority_class_update,
);

impl Validate for crate::api::core_v1::Namespace {
    fn validate(&self) -> Vec<FieldError> {
        node::validate_namespace(self)
    }

    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        let mut errs = node::validate_namespace(self);
        errs.extend(node::validate_namespace_update(self, old));
        errs
    }
}

impl Validate for crate::api::apps_v1::ControllerRevision {}

/// The API server's full error text for `errors` on `obj` (`apierrors.NewInvalid`):
/// `<Kind>.<group> "<name>" is invalid: <errors>`, the errors deduplicated and, when more than one remains,
/// bracketed and comma-separated.
pub fn invalid_message(obj: &Object, errors: &[FieldError]) -> String {
    Invalid::new(obj, errors.to_vec()).to_string()
}

/// A refusal by validation as data (`apierrors.NewInvalid`): the kind and name refused and every field error,
/// so that views point at the fields rather than parse the message. Displays as the API server's message.
#[derive(Clone, Debug, PartialEq)]
pub struct Invalid {
    /// `Kind.group` (`DaemonSet.apps`, `Backup.example.com`), as the message names it.
    pub kind: String,
    pub name: String,
    pub errors: Vec<FieldError>,
}

impl Invalid {
    pub fn new(obj: &Object, errors: Vec<FieldError>) -> Invalid {
        Invalid { kind: obj.qualified_kind(), name: obj.meta().name.clone(), errors }
    }

    /// The same refusal with other field errors (one of them alone, or refined ones).
    pub fn with_errors(&self, errors: Vec<FieldError>) -> Invalid {
        Invalid { kind: self.kind.clone(), name: self.name.clone(), errors }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = quote(&self.name);
        match aggregate(&self.errors) {
            None => write!(f, "{} {name} is invalid", self.kind),
            Some(a) => write!(f, "{} {name} is invalid: {a}", self.kind),
        }
    }
}
