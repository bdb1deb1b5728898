//! The API server's write path as its clients meet it: create, update, update status, patch, delete.
//!
//! Create runs registry `PrepareForCreate`, defaulting, mutating admission (pods: Priority and
//! DefaultTolerationSeconds), validation, name generation and storage; update runs `PrepareForUpdate` and update
//! validation; a status update keeps what the status strategy keeps; a patch stores the object as sent. Every
//! write goes through [`Cluster::commit`], which holds the one `resourceVersion` rule. Deletion is immediate
//! (graceful termination is not modelled) and the only way objects leave the store: [`Cluster::delete`], with
//! the garbage collector's part for the dependents.

use crate::api::core_v1::Pod;
use crate::api::{GroupKind, Object};
use crate::apiserver::{admission, defaults, strategy, validation};

use super::error::ApiError;
use super::record::{Action, Op};
use super::Cluster;

/// Optimistic concurrency: whether a write is made against the `resourceVersion` of the copy the client read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Concurrency {
    /// The request carries the copy's `resourceVersion` (client-go's Update and UpdateStatus of an informer copy,
    /// a patch with a precondition): a stored object written since is a Conflict.
    Checked,
    /// The request applies to whatever is stored (a patch without precondition, the binding subresource, a
    /// user's `kubectl apply`).
    Unchecked,
}

/// What happens to the dependents of a deleted object (`metav1.DeletionPropagation`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Propagation {
    /// The garbage collector deletes them, and theirs in turn.
    Background,
    /// They stay, without their owner reference to the deleted object.
    Orphan,
}

impl Cluster {
    /// Create an object as the API server does: defaulting (at decoding), mutating admission, the system fields
    /// (UID, creation time), `PrepareForCreate`, name generation, validation, storage. A refused object takes
    /// no place on the logical clock.
    pub fn create(&mut self, mut obj: Object) -> Result<Object, ApiError> {
        let gk = obj.group_kind();
        defaults::default_object(&mut obj);
        if let Object::Pod(pod) = &mut obj {
            self.admit_pod(pod)?;
        }
        let clock = self.store.clock();
        let mut meta = std::mem::take(obj.meta_mut());
        self.store.stamp(&mut meta);
        *obj.meta_mut() = meta;
        strategy::prepare_for_create(&mut obj);
        let generated = obj.meta().name.is_empty() && !obj.meta().generate_name.is_empty();
        if generated {
            let name = self.names.peek(&obj.meta().generate_name);
            obj.meta_mut().name = name;
        }
        let refuse = |cluster: &mut Cluster, e: ApiError| {
            cluster.store.rewind(clock);
            Err(e)
        };
        let errors = validation::validate_create(&obj);
        if !errors.is_empty() {
            return refuse(self, ApiError::Invalid(validation::Invalid::new(&obj, errors)));
        }
        let (ns, name) = (obj.meta().namespace.clone(), obj.meta().name.clone());
        if self.store.exists(gk, &ns, &name) {
            return refuse(self, ApiError::AlreadyExists(format!("{} {:?} already exists", gk.resource_qualified(), name)));
        }
        if gk.namespaced() && !self.store.exists(GroupKind::Namespace, "", &ns) {
            return refuse(self, ApiError::NotFound(format!("namespaces {ns:?} not found")));
        }
        if generated {
            self.names.commit(&obj.meta().generate_name);
        }
        if let Object::Pod(pod) = &obj {
            self.rec.action(pod_action(Op::Create, pod));
        }
        // What is stored is read back through the decoder, which defaults again: a Job whose template had no
        // labels takes the ones its strategy just generated as its own. The response keeps the request's
        // defaulting, as the API server's create response does.
        let mut stored = obj.clone();
        defaults::default_object(&mut stored);
        self.store.put(stored);
        Ok(obj)
    }

    /// Pod admission: Priority, then DefaultTolerationSeconds.
    fn admit_pod(&self, pod: &mut Pod) -> Result<(), ApiError> {
        let classes = self.store.priority_classes();
        admission::admit_priority(pod, &classes).map_err(|f| {
            let name = if pod.metadata.name.is_empty() { &pod.metadata.generate_name } else { &pod.metadata.name };
            ApiError::Forbidden(format!("pods {name:?} is forbidden: {}", f.0))
        })?;
        admission::admit_default_toleration_seconds(pod);
        Ok(())
    }

    /// Update an object's spec and metadata (a user's apply, a controller's update), as the API server does:
    /// identity and server-owned metadata from the stored object, defaulting, `PrepareForUpdate`, update
    /// validation. Returns the object as stored.
    pub fn update(&mut self, mut obj: Object, concurrency: Concurrency) -> Result<Object, ApiError> {
        let old = self.current(&obj, concurrency)?;
        {
            let (om, nm) = (old.meta(), obj.meta_mut());
            nm.uid = om.uid.clone();
            nm.creation_timestamp = om.creation_timestamp.clone();
            nm.generation = om.generation;
            nm.resource_version = om.resource_version.clone();
            if nm.owner_references.is_empty() {
                nm.owner_references = om.owner_references.clone();
            }
        }
        defaults::default_object(&mut obj);
        strategy::prepare_for_update(&mut obj, &old);
        let errors = validation::validate_update(&obj, &old);
        if !errors.is_empty() {
            return Err(ApiError::Invalid(validation::Invalid::new(&obj, errors)));
        }
        Ok(self.commit(obj, &old, concurrency))
    }

    /// Update an object's status (the status subresource): what the kind's status strategy keeps (the spec, and
    /// for some kinds labels and owner references) comes from the stored object, as does the generation.
    /// Returns the object as stored.
    pub fn update_status(&mut self, mut obj: Object, concurrency: Concurrency) -> Result<Object, ApiError> {
        let old = self.current(&obj, concurrency)?;
        obj.meta_mut().generation = old.meta().generation;
        strategy::prepare_for_status_update(&mut obj, &old);
        Ok(self.commit(obj, &old, concurrency))
    }

    /// Patch an object: store it as sent, with no validation (the metadata and status patches of controllers
    /// and the kubelet, the scheduler's binding). Returns the object as stored.
    pub fn patch(&mut self, obj: Object, concurrency: Concurrency) -> Result<Object, ApiError> {
        let old = self.current(&obj, concurrency)?;
        Ok(self.commit(obj, &old, concurrency))
    }

    /// The stored object a write applies to: NotFound when there is none, Conflict when a checked write was made
    /// from a copy older than it.
    fn current(&self, obj: &Object, concurrency: Concurrency) -> Result<Object, ApiError> {
        let (kind, meta) = (obj.group_kind(), obj.meta());
        let stored = self.store.object(kind, &meta.namespace, &meta.name).ok_or_else(|| ApiError::not_found(kind, &meta.name))?;
        if concurrency == Concurrency::Checked && stored.meta().resource_version != meta.resource_version {
            return Err(ApiError::conflict(kind, &meta.name));
        }
        Ok(stored.clone())
    }

    /// Store the result of a write over `old`, unless it changes nothing. The one `resourceVersion` rule: a
    /// checked write that changes the object gives it a version newer than any handed out so far (the store's
    /// creation count plus its write count); an unchecked one keeps the stored version. (Creation takes the
    /// creation index, [`super::Store::stamp`].)
    fn commit(&mut self, mut obj: Object, old: &Object, concurrency: Concurrency) -> Object {
        obj.meta_mut().resource_version = old.meta().resource_version.clone();
        if obj == *old {
            return obj;
        }
        if concurrency == Concurrency::Checked {
            obj.meta_mut().resource_version = (self.store.created() + self.store.version()).to_string();
        }
        self.store.put(obj.clone());
        obj
    }

    /// Delete an object now (the only way objects leave the store): a pod's deletion is recorded, and its
    /// dependents are handled as `propagation` says. Returns the deleted object.
    ///
    /// The garbage collector's part (`pkg/controller/garbagecollector`) happens at once: with background
    /// propagation the dependents (every object with an owner reference to the deleted one, by kind, then
    /// namespace and name) are deleted too, and theirs in turn; with orphan propagation they only lose their
    /// owner reference.
    pub fn delete(&mut self, kind: GroupKind, namespace: &str, name: &str, propagation: Propagation) -> Result<Object, ApiError> {
        let removed = self.store.remove(kind, namespace, name).ok_or_else(|| ApiError::not_found(kind, name))?;
        if let Object::Pod(p) = &removed {
            self.rec.action(pod_action(Op::Delete, p));
        }
        let owner = &removed.meta().uid;
        for (kind, (namespace, name)) in self.store.dependents(owner) {
            match propagation {
                Propagation::Background => {
                    let _ = self.delete(kind, &namespace, &name, Propagation::Background);
                }
                Propagation::Orphan => {
                    let Some(mut dependent) = self.store.object(kind, &namespace, &name).cloned() else { continue };
                    dependent.meta_mut().owner_references.retain(|r| r.uid != *owner);
                    let _ = self.patch(dependent, Concurrency::Unchecked);
                }
            }
        }
        Ok(removed)
    }
}

/// The timeline entry for something that happened to a pod.
pub fn pod_action(op: Op, pod: &Pod) -> Action {
    Action {
        op,
        kind: "Pod",
        namespace: pod.metadata.namespace.clone(),
        name: pod.metadata.name.clone(),
        owner: crate::api::controller_of(&pod.metadata).map(|r| format!("{}/{}", r.kind, r.name)),
        node: (!pod.spec.node_name.is_empty()).then(|| pod.spec.node_name.clone()),
    }
}
