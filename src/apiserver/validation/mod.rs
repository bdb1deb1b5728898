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

pub mod apps;
pub mod batch;
pub mod core;
pub mod field;
pub mod meta;
pub mod node;
mod pod_options;
pub mod scheduling;
pub mod volumes;

use crate::api::{GroupKind, Object};
use crate::go::fmt::quote;

pub use field::{aggregate, refine_with_source, BadValue, ErrorKind, FieldError, Path};

/// Validate an object being created (the strategy's `Validate`). Empty when the API server would accept it.
///
/// Kinds that kubeplan reads but whose validation is not modelled (Service, ControllerRevision) are accepted.
pub fn validate_create(obj: &Object) -> Vec<FieldError> {
    match obj {
        Object::Pod(p) => {
            let opts = core::PodOptions { resource_is_pod: true, ..core::PodOptions::for_spec(None) };
            core::validate_pod_create(p, &opts)
        }
        Object::DaemonSet(ds) => apps::validate_daemon_set(ds, &core::PodOptions::for_template(None)),
        Object::Deployment(d) => apps::validate_deployment(d, &core::PodOptions::for_template(None)),
        Object::ReplicaSet(rs) => apps::validate_replica_set(rs, &core::PodOptions::for_template(None)),
        Object::StatefulSet(ss) => apps::validate_stateful_set(ss, &core::PodOptions::for_template(None)),
        Object::Job(j) => batch::validate_job_create(j),
        Object::Node(n) => node::validate_node(n),
        Object::Namespace(ns) => node::validate_namespace(ns),
        Object::PriorityClass(pc) => scheduling::validate_priority_class(pc),
        Object::Service(_) | Object::ControllerRevision(_) => Vec::new(),
    }
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
    match (&new, old) {
        (Object::Pod(n), Object::Pod(o)) => {
            let opts = core::PodOptions { resource_is_pod: true, ..core::PodOptions::for_spec(Some((&o.spec, &o.metadata))) };
            core::validate_pod_update(n, o, &opts)
        }
        (Object::DaemonSet(n), Object::DaemonSet(o)) => apps::validate_daemon_set_update(n, o),
        (Object::Deployment(n), Object::Deployment(o)) => apps::validate_deployment_update(n, o),
        (Object::ReplicaSet(n), Object::ReplicaSet(o)) => apps::validate_replica_set_update(n, o),
        (Object::StatefulSet(n), Object::StatefulSet(o)) => apps::validate_stateful_set_update(n, o),
        (Object::Job(n), Object::Job(o)) => batch::validate_job_update(n, o),
        (Object::Node(n), Object::Node(o)) => node::validate_node_update(n, o),
        (Object::Namespace(n), Object::Namespace(o)) => {
            let mut errs = node::validate_namespace(n);
            errs.extend(node::validate_namespace_update(n, o));
            errs
        }
        (Object::PriorityClass(n), Object::PriorityClass(o)) => scheduling::validate_priority_class_update(n, o),
        _ => Vec::new(),
    }
}

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
    pub kind: GroupKind,
    pub name: String,
    pub errors: Vec<FieldError>,
}

impl Invalid {
    pub fn new(obj: &Object, errors: Vec<FieldError>) -> Invalid {
        Invalid { kind: obj.group_kind(), name: obj.meta().name.clone(), errors }
    }

    /// The same refusal with other field errors (one of them alone, or refined ones).
    pub fn with_errors(&self, errors: Vec<FieldError>) -> Invalid {
        Invalid { kind: self.kind, name: self.name.clone(), errors }
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
