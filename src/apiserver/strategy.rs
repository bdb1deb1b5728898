//! Registry strategies: what the API server sets on create and update beyond defaulting
//! (`pkg/registry/*/strategy.go`: status reset, generation, DaemonSet template generation, Job selectors and
//! labels, fields of disabled features), framed by the generic `rest.BeforeCreate` / `rest.BeforeUpdate` steps
//! that touch the object (generation carried over on update, `Canonicalize`).
//!
//! Call order, as in the API server: the caller decodes the object, runs
//! [`default_object`](super::defaults::default_object), stamps `metadata.uid` and `metadata.creationTimestamp`
//! on create (`rest.FillObjectMetaSystemFields`), then calls [`prepare_for_create`] or [`prepare_for_update`].
//! On update `old` is the stored object (already defaulted and prepared) and `new` the client's object after
//! defaulting; merging a patch into the stored object is the caller's business.

mod apiextensions;
mod apps;
mod batch;
mod core;
mod networking;
mod pod;
mod storage;

pub use self::apps::{
    prepare_daemon_set_for_create, prepare_daemon_set_for_update, prepare_deployment_for_create,
    prepare_deployment_for_update, prepare_replica_set_for_create, prepare_replica_set_for_update,
    prepare_stateful_set_for_create, prepare_stateful_set_for_update, template_generation,
    DEPRECATED_TEMPLATE_GENERATION,
};
pub use self::batch::{
    generate_job_selector, prepare_job_for_create, prepare_job_for_update, CONTROLLER_UID_LABEL, JOB_NAME_LABEL,
    LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL,
};
pub use self::core::{
    canonicalize_namespace, prepare_namespace_for_create, prepare_namespace_for_update, prepare_node_for_create,
    prepare_node_for_update, prepare_priority_class_for_create, prepare_service_for_create, prepare_service_for_update,
    FINALIZER_KUBERNETES,
};
pub use self::pod::{
    compute_pod_qos, drop_disabled_pod_fields, drop_disabled_pod_spec_fields, drop_disabled_pod_status_fields,
    drop_disabled_template_fields, prepare_pod_for_create, prepare_pod_for_update, APPARMOR_ANNOTATION_KEY_PREFIX,
    SCHEDULING_GATED_MESSAGE,
};

use crate::api::meta_v1::ObjectMeta;
use crate::api::{with_object, with_objects, Held, Object};

pub use self::apiextensions::{establish, serving, Serving};

/// A kind's registry strategy (`rest.RESTCreateStrategy` and `rest.RESTUpdateStrategy`): what the API server
/// sets on create and update beyond defaulting. Kinds whose strategy changes nothing keep the empty bodies.
pub trait Strategy {
    /// `PrepareForCreate`.
    fn prepare_for_create(&mut self) {}
    /// `PrepareForUpdate`: `old` is the stored object.
    fn prepare_for_update(&mut self, _old: &Self) {}
    /// `Canonicalize`, run after both.
    fn canonicalize(&mut self) {}
}

/// `PrepareForCreate` of the object's strategy, then its `Canonicalize` (as `rest.BeforeCreate` runs them).
///
/// The caller assigns `metadata.name` (from `generateName`), `metadata.uid` and `metadata.creationTimestamp`
/// first, as the API server does before `BeforeCreate`: a Job's selector needs the uid (without it the selector is
/// left for [`generate_job_selector`] to add later), a Namespace's name label the final name, and a gated pod's
/// `SchedulingGated` condition takes the creation time as its transition time.
pub fn prepare_for_create(obj: &mut Object) {
    with_object!(obj, o => {
        let o = o.to_mut();
        o.prepare_for_create();
        o.canonicalize();
    })
}

/// `rest.BeforeUpdate` with the object's strategy: `new.generation` starts from `old`'s (clients cannot set
/// it), `PrepareForUpdate` runs (status kept, generation bumped per the kind's rules), a missing uid and the
/// creation and deletion timestamps come from `old`, and `Canonicalize` runs.
///
/// When `new` and `old` are of different kinds (which the API server never sees), only the metadata steps run.
pub fn prepare_for_update(new: &mut Object, old: &Object) {
    new.meta_mut().generation = old.meta().generation;
    with_objects!(&mut *new, old, (n, o) => n.to_mut().prepare_for_update(o), else ());
    carry_over_system_metadata(new, old);
    with_object!(new, o => o.to_mut().canonicalize())
}

/// The strategies that bump `generation` on every change of the spec: `generation: 1` on create, `+1` on an
/// update whose `changed` holds.
fn first_generation(meta: &mut ObjectMeta) {
    meta.generation = 1;
}

fn next_generation_if(meta: &mut ObjectMeta, old: &ObjectMeta, changed: bool) {
    if changed {
        meta.generation = old.generation + 1;
    }
}

/// `impl Strategy for Type` from functions: `create: f` (`PrepareForCreate`), `update: g` (`PrepareForUpdate`).
macro_rules! strategy_by {
    ($t:ty $(, create: $c:path)? $(, update: $u:path)? $(,)?) => {
        impl $crate::apiserver::strategy::Strategy for $t {
            $(fn prepare_for_create(&mut self) {
                $c(self)
            })?
            $(fn prepare_for_update(&mut self, old: &Self) {
                $u(self, old)
            })?
        }
    };
}
pub(crate) use strategy_by;

strategy_by!(crate::api::core_v1::Node, create: prepare_node_for_create, update: prepare_node_for_update);
strategy_by!(crate::api::core_v1::Pod, create: prepare_pod_for_create, update: prepare_pod_for_update);
strategy_by!(crate::api::core_v1::Service, create: prepare_service_for_create, update: prepare_service_for_update);
strategy_by!(crate::api::scheduling_v1::PriorityClass, create: prepare_priority_class_for_create);
strategy_by!(crate::api::apps_v1::DaemonSet, create: prepare_daemon_set_for_create, update: prepare_daemon_set_for_update);
strategy_by!(crate::api::apps_v1::Deployment, create: prepare_deployment_for_create, update: prepare_deployment_for_update);
strategy_by!(crate::api::apps_v1::ReplicaSet, create: prepare_replica_set_for_create, update: prepare_replica_set_for_update);
strategy_by!(crate::api::apps_v1::StatefulSet, create: prepare_stateful_set_for_create, update: prepare_stateful_set_for_update);
strategy_by!(crate::api::batch_v1::Job, create: prepare_job_for_create, update: prepare_job_for_update);

impl Strategy for crate::api::core_v1::Namespace {
    fn prepare_for_create(&mut self) {
        prepare_namespace_for_create(self);
    }
    fn prepare_for_update(&mut self, old: &Self) {
        prepare_namespace_for_update(self, old);
    }
    fn canonicalize(&mut self) {
        canonicalize_namespace(self);
    }
}

impl Strategy for crate::api::apps_v1::ControllerRevision {}

/// The metadata steps of `rest.BeforeUpdate` after `PrepareForUpdate`.
fn carry_over_system_metadata(new: &mut Object, old: &Object) {
    let (om, nm) = (old.meta(), new.meta_mut());
    if nm.uid.is_empty() {
        nm.uid = om.uid.clone();
    }
    if !om.creation_timestamp.is_zero() {
        nm.creation_timestamp = om.creation_timestamp.clone();
    }
    if om.deletion_timestamp.as_ref().is_some_and(|t| !t.is_zero()) {
        nm.deletion_timestamp = om.deletion_timestamp.clone();
    }
    if om.deletion_grace_period_seconds.is_some() && nm.deletion_grace_period_seconds.is_none() {
        nm.deletion_grace_period_seconds = om.deletion_grace_period_seconds;
    }
}

/// `PrepareForUpdate` of the kind's status strategy (`pkg/registry/*/strategy.go`, `*StatusStrategy`): a status
/// update cannot change the spec; a Deployment's cannot change its labels either, and a pod's cannot change its
/// owner references or set a deletion time, and keeps its QoS class.
pub fn prepare_for_status_update(new: &mut Object, old: &Object) {
    match (&mut *new, old) {
        (Object::Node(n), Object::Node(o)) => n.to_mut().spec = o.spec.clone(),
        (Object::Namespace(n), Object::Namespace(o)) => n.spec = o.spec.clone(),
        (Object::Pod(n), Object::Pod(o)) => {
            let n = n.to_mut();
            n.spec = o.spec.clone();
            n.metadata.deletion_timestamp = None;
            n.metadata.owner_references = o.metadata.owner_references.clone();
            if n.status.qos_class.is_empty() {
                n.status.qos_class = o.status.qos_class.clone();
            }
        }
        (Object::Service(n), Object::Service(o)) => n.spec = o.spec.clone(),
        (Object::DaemonSet(n), Object::DaemonSet(o)) => n.spec = o.spec.clone(),
        (Object::Deployment(n), Object::Deployment(o)) => {
            n.spec = o.spec.clone();
            n.metadata.labels = o.metadata.labels.clone();
        }
        (Object::ReplicaSet(n), Object::ReplicaSet(o)) => n.spec = o.spec.clone(),
        (Object::StatefulSet(n), Object::StatefulSet(o)) => n.spec = o.spec.clone(),
        (Object::Job(n), Object::Job(o)) => n.spec = o.spec.clone(),
        _ => {}
    }
}
