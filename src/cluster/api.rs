//! The API server's write path as its clients meet it: create, update, update status, patch, delete.
//!
//! Create decodes (defaulting), runs the mutating phase of admission, stamps the system fields, generates the
//! name, runs the registry strategy and its validation, then the validating phase of admission, and stores;
//! update runs defaulting, mutating admission, `PrepareForUpdate`, update validation and validating admission;
//! a status update keeps what the status strategy keeps; a patch stores the object as sent. Every
//! write takes a new `resourceVersion` from the store ([`super::Store::put`]). Deletion is immediate
//! (graceful termination is not modelled) and the only way objects leave the store: [`Cluster::delete`], with
//! the garbage collector's part for the dependents.

use std::sync::Arc;

use crate::api::apiextensions_v1::CustomResourceDefinition;
use crate::api::core_v1::{LimitRange, Namespace, Pod, PodSpec, PodStatus, ResourceQuota, Service, ServiceAccount};
use crate::api::networking_v1::IngressClass;
use crate::api::node_v1::RuntimeClass;
use crate::api::storage_v1::StorageClass;
use crate::api::scheduling_v1::PriorityClass;
use crate::api::meta_v1::ObjectMeta;
use crate::api::{GroupKind, Object};
use crate::apiserver::admission::{self, service_account, Attributes, Operation, Refusal};
use crate::apiserver::names::NameGenerator;
use crate::apiserver::warnings as apiserver_warnings;
use crate::apiserver::{conversion, defaults, service_alloc, strategy, validation};

use super::error::ApiError;
use super::record::{Action, Op};
use super::store::Store;
use super::Key;
use super::Cluster;

/// The informers' listers admission plugins read, over the store.
impl admission::Listers for Store {
    fn namespace(&self, name: &str) -> Option<&Namespace> {
        self.get::<Namespace>("", name)
    }

    fn priority_classes(&self) -> Vec<&PriorityClass> {
        self.list::<PriorityClass>().collect()
    }

    fn pods<'a>(&'a self, namespace: &'a str) -> Vec<&'a Pod> {
        self.list_in::<Pod>(namespace).collect()
    }

    /// A stored ServiceAccount; the `default` one of an existing namespace is there even where no ServiceAccount
    /// controller runs (lint's cluster), as the controller makes it the moment the namespace exists.
    fn service_account(&self, namespace: &str, name: &str) -> Option<service_account::Account> {
        match self.get::<ServiceAccount>(namespace, name) {
            Some(sa) => Some(service_account::Account::of(sa)),
            None => (name == service_account::DEFAULT_SERVICE_ACCOUNT_NAME
                && self.exists(GroupKind::Namespace, "", namespace))
            .then(service_account::Account::default_account),
        }
    }

    fn limit_ranges<'a>(&'a self, namespace: &'a str) -> Vec<&'a LimitRange> {
        self.list_in::<LimitRange>(namespace).collect()
    }

    fn resource_quotas<'a>(&'a self, namespace: &'a str) -> Vec<&'a ResourceQuota> {
        self.list_in::<ResourceQuota>(namespace).collect()
    }

    fn storage_classes(&self) -> Vec<&StorageClass> {
        self.list::<StorageClass>().collect()
    }

    fn ingress_classes(&self) -> Vec<&IngressClass> {
        self.list::<IngressClass>().collect()
    }

    fn runtime_class(&self, name: &str) -> Option<&RuntimeClass> {
        self.get::<RuntimeClass>("", name)
    }
}

/// What a create answers its client with.
#[derive(Clone, Copy)]
enum Answer {
    /// The created object, as the API server's response carries it.
    Object,
    /// Its name only (for [`Cluster::create_unread`]).
    Name,
}

/// A create's answer ([`Answer`]).
enum Created {
    Response(Object),
    Name(String),
}

impl Created {
    /// The response of a create asked for [`Answer::Object`].
    fn into_response(self) -> Object {
        match self {
            Created::Response(obj) => obj,
            Created::Name(_) => unreachable!("a create answered with the object it was asked for"),
        }
    }
}

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
    /// Create an object as the API server does: decoding (defaulting), the mutating phase of admission, the
    /// system fields (UID, creation time), name generation, `PrepareForCreate` and validation, the validating
    /// phase of admission, storage. A refused object takes no place on the logical clock; a generated name is
    /// used up once validating admission has seen it, refused or not.
    pub fn create(&mut self, obj: Object) -> Result<Object, ApiError> {
        self.create_stamped(obj, None, None, Answer::Object).map(Created::into_response)
    }

    /// [`Cluster::create`] for a client that reads nothing of the response but the created object's name (the
    /// controllers creating pods, thousands a round): the same write, without the copy of the object the
    /// response would be.
    pub fn create_unread(&mut self, obj: Object) -> Result<String, ApiError> {
        match self.create_stamped(obj, None, None, Answer::Name)? {
            Created::Name(name) => Ok(name),
            Created::Response(obj) => Ok(obj.meta().name.clone()),
        }
    }

    /// Create an object that one of the cluster's own controllers makes together with another, at the same
    /// moment (the ServiceAccount controller's `default` account with its namespace): it takes `with`'s creation
    /// time and the UID `uid` of its maker's series, and no place on the logical clock.
    pub fn create_beside(&mut self, obj: Object, with: &ObjectMeta, uid: String) -> Result<Object, ApiError> {
        self.create_stamped(obj, Some((with.creation_timestamp.clone(), uid)), None, Answer::Object)
            .map(Created::into_response)
    }

    /// The create path. `warnings` collects the response's warnings for a client that prints them (kubectl);
    /// without it (the controllers' clients, which drop them) the strategy's warnings are not computed.
    fn create_stamped(
        &mut self,
        mut obj: Object,
        beside: Option<(crate::api::Time, String)>,
        mut warnings: Option<&mut Vec<String>>,
        answer: Answer,
    ) -> Result<Created, ApiError> {
        defaults::default_object(&mut obj);
        conversion::from_v1(&mut obj);
        self.admit(Operation::Create, &mut obj, None, warnings.as_deref_mut())?;
        let clock = self.store.clock();
        let mut meta = std::mem::take(obj.meta_mut());
        match beside {
            None => self.store.stamp(&mut meta),
            Some((created, uid)) => {
                meta.uid = uid;
                meta.creation_timestamp = created;
                meta.resource_version = self.store.created().to_string();
            }
        }
        *obj.meta_mut() = meta;
        let refuse = |cluster: &mut Cluster, e: ApiError| {
            cluster.store.rewind(clock);
            Err(e)
        };
        if let Object::Service(svc) = &mut obj {
            let allocated = service_alloc::Allocated::of(self.store.list::<Service>());
            if let Err(e) = service_alloc::allocate_create(svc, &allocated) {
                let e = allocation_error(&Object::Service(svc.clone()), e);
                return refuse(self, e);
            }
        }
        strategy::prepare_for_create(&mut obj);
        let generated = obj.meta().name.is_empty() && !obj.meta().generate_name.is_empty();
        if generated {
            let name = self.names.peek(&obj.meta().generate_name);
            obj.meta_mut().name = name;
        }
        let mut errors = validation::validate_create(&obj);
        if errors.is_empty() {
            errors = validation::meta::validate_object_meta_accessor(obj.meta(), obj.namespaced());
        }
        if !errors.is_empty() {
            return refuse(self, ApiError::Invalid(validation::Invalid::new(&obj, errors)));
        }
        if generated {
            self.names.commit(&obj.meta().generate_name);
        }
        if let Some(w) = warnings.as_deref_mut() {
            w.extend(apiserver_warnings::on_create(&obj));
        }
        if let Err(r) = self.validate_admission(Operation::Create, &mut obj, None, warnings) {
            return refuse(self, r.into());
        }
        if self.store.find(&obj).is_some() {
            let message = format!("{} {:?} already exists", obj.resource_qualified(), obj.meta().name);
            return refuse(self, ApiError::AlreadyExists(message));
        }
        conversion::to_v1(&mut obj);
        if let Object::Pod(pod) = &obj {
            self.rec.action(pod_action(Op::Create, pod));
        }
        // What is stored is read back through the decoder, which defaults again: a Job whose template had no
        // labels takes the ones its strategy just generated as its own. The response keeps the request's
        // defaulting, as the API server's create response does.
        let (mut stored, response) = match answer {
            Answer::Object => (obj.clone(), Some(obj)),
            Answer::Name => (obj, None),
        };
        defaults::default_object(&mut stored);
        if let Object::CustomResourceDefinition(crd) = &mut stored {
            // The naming and establishing controllers accept the names at once.
            strategy::establish(crd, self.store.list::<CustomResourceDefinition>());
        }
        let stored = self.store.put(stored).meta();
        Ok(match response {
            Some(mut obj) => {
                obj.meta_mut().resource_version.clone_from(&stored.resource_version);
                Created::Response(obj)
            }
            None => Created::Name(stored.name.clone()),
        })
    }

    /// A client's create (kubectl, for the input and the steps): [`Cluster::create`], with the warnings of the
    /// response recorded, as kubectl prints them.
    pub fn create_as_client(&mut self, obj: Object) -> Result<Object, ApiError> {
        let about = obj.obj_ref();
        let mut warnings = Vec::new();
        let result = self.create_stamped(obj, None, Some(&mut warnings), Answer::Object).map(Created::into_response);
        self.rec.warnings_about(&about, warnings);
        result
    }

    /// A client's update (`kubectl apply`, `set image`, `rollout undo`: unchecked), with the warnings of the
    /// response recorded.
    pub fn update_as_client(&mut self, obj: Object) -> Result<Object, ApiError> {
        let about = obj.obj_ref();
        let mut warnings = Vec::new();
        let result = self.update_warned(obj, Concurrency::Unchecked, Some(&mut warnings));
        self.rec.warnings_about(&about, warnings);
        result
    }

    /// The mutating phase of the admission chain.
    fn admit(
        &mut self,
        operation: Operation,
        obj: &mut Object,
        old: Option<&Object>,
        warnings: Option<&mut Vec<String>>,
    ) -> Result<(), Refusal> {
        let mut cx = admission::Context::new(&self.store, &mut self.volume_names);
        let result = admission::admit(admission::CHAIN, &mut Attributes { operation, object: obj, old }, &mut cx);
        if let Some(w) = warnings {
            w.append(&mut cx.warnings);
        }
        result
    }

    /// The validating phase of the admission chain.
    fn validate_admission(
        &mut self,
        operation: Operation,
        obj: &mut Object,
        old: Option<&Object>,
        warnings: Option<&mut Vec<String>>,
    ) -> Result<(), Refusal> {
        let mut cx = admission::Context::new(&self.store, &mut self.volume_names);
        let result = admission::validate(admission::CHAIN, &Attributes { operation, object: obj, old }, &mut cx);
        if let Some(w) = warnings {
            w.append(&mut cx.warnings);
        }
        let writes = std::mem::take(&mut cx.writes);
        if result.is_ok() {
            // ResourceQuota's charge, written before the object is stored (`UpdateQuotaStatus`).
            for w in writes {
                let _ = self.update_status(w, Concurrency::Checked);
            }
        }
        result
    }

    /// An input object as the conformance oracle's `defaultedObjects` reports it: decoded, through the
    /// admission plugins that only default ([`admission::DEFAULTING`]) and its strategy, under the identity its
    /// create gave it. The other plugins' changes (the token volume, LimitRange defaults) show in the stored
    /// object instead.
    pub fn defaulted_view(&self, input: &Object, created: &Object) -> Object {
        let mut obj = input.clone();
        defaults::default_object(&mut obj);
        conversion::from_v1(&mut obj);
        let mut names = NameGenerator::default();
        let mut cx = admission::Context::new(&self.store, &mut names);
        let a = &mut Attributes { operation: Operation::Create, object: &mut obj, old: None };
        if admission::admit(admission::DEFAULTING, a, &mut cx).is_err() {
            return created.clone();
        }
        {
            let (m, c) = (obj.meta_mut(), created.meta());
            m.name = c.name.clone();
            m.uid = c.uid.clone();
            m.creation_timestamp = c.creation_timestamp.clone();
            m.resource_version = c.resource_version.clone();
        }
        strategy::prepare_for_create(&mut obj);
        conversion::to_v1(&mut obj);
        obj
    }

    /// Update an object's spec and metadata (a user's apply, a controller's update), as the API server does:
    /// identity and server-owned metadata from the stored object, defaulting, `PrepareForUpdate`, update
    /// validation. Returns the object as stored.
    pub fn update(&mut self, obj: Object, concurrency: Concurrency) -> Result<Object, ApiError> {
        self.update_warned(obj, concurrency, None)
    }

    /// [`Cluster::update`], adding the warnings of the response to `warnings` when the client prints them.
    fn update_warned(
        &mut self,
        mut obj: Object,
        concurrency: Concurrency,
        mut warnings: Option<&mut Vec<String>>,
    ) -> Result<Object, ApiError> {
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
        if let (Object::Service(svc), Object::Service(old_svc)) = (&mut obj, &old) {
            let others = self.store.list::<Service>().filter(|s| s.metadata.uid != old_svc.metadata.uid);
            if let Err(e) = service_alloc::allocate_update(svc, old_svc, &service_alloc::Allocated::of(others)) {
                return Err(allocation_error(&Object::Service(svc.clone()), e));
            }
        }
        conversion::from_v1(&mut obj);
        self.admit(Operation::Update, &mut obj, Some(&old), warnings.as_deref_mut())?;
        strategy::prepare_for_update(&mut obj, &old);
        let errors = validation::validate_update(&obj, &old);
        if !errors.is_empty() {
            return Err(ApiError::Invalid(validation::Invalid::new(&obj, errors)));
        }
        if let Some(w) = warnings.as_deref_mut() {
            w.extend(apiserver_warnings::on_update(&obj, &old));
        }
        self.validate_admission(Operation::Update, &mut obj, Some(&old), warnings)?;
        conversion::to_v1(&mut obj);
        Ok(self.commit(obj).clone())
    }

    /// Update an object's status (the status subresource): what the kind's status strategy keeps (the spec, and
    /// for some kinds labels and owner references) comes from the stored object, as does the generation.
    /// Returns the object as stored.
    pub fn update_status(&mut self, mut obj: Object, concurrency: Concurrency) -> Result<&Object, ApiError> {
        let old = self.stored(&obj, concurrency)?;
        obj.meta_mut().generation = old.meta().generation;
        strategy::prepare_for_status_update(&mut obj, old);
        Ok(self.commit(obj))
    }

    /// Patch an object: store it as sent, with no validation (the metadata and status patches of controllers
    /// and the kubelet, the scheduler's binding). Returns the object as stored.
    pub fn patch(&mut self, obj: Object, concurrency: Concurrency) -> Result<&Object, ApiError> {
        self.stored(&obj, concurrency)?;
        Ok(self.commit(obj))
    }

    /// Write the spec and status of the pod at `key` through `change`, in place when no reader shares the stored
    /// pod ([`super::Store::update_pod`]). For the binding, which sets what `pods/binding` sets
    /// (`BindingREST.setPodNodeAndMetadata`) and nothing else; a write through [`Cluster::patch`] would need the
    /// new pod beside the stored one, a copy of it. NotFound when the pod is gone.
    pub fn update_pod(&mut self, key: &Key, change: impl FnOnce(&mut PodSpec, &mut PodStatus)) -> Result<&Arc<Pod>, ApiError> {
        self.store.update_pod(key, change).ok_or_else(|| ApiError::not_found(&GroupKind::Pod.resource_qualified(), &key.1))
    }

    /// [`Cluster::update_pod`], storing the changed pod as a new object ([`super::Store::rewrite_pod`]): the
    /// kubelet's status writes.
    pub fn rewrite_pod(&mut self, key: &Key, change: impl FnOnce(&mut PodSpec, &mut PodStatus)) -> Result<&Arc<Pod>, ApiError> {
        self.store.rewrite_pod(key, change).ok_or_else(|| ApiError::not_found(&GroupKind::Pod.resource_qualified(), &key.1))
    }

    /// The stored object a write applies to: NotFound when there is none, Conflict when a checked write was made
    /// from a copy older than it.
    fn stored(&self, obj: &Object, concurrency: Concurrency) -> Result<&Object, ApiError> {
        let meta = obj.meta();
        let stored = self.store.find(obj).ok_or_else(|| ApiError::not_found(&obj.resource_qualified(), &meta.name))?;
        if concurrency == Concurrency::Checked && stored.meta().resource_version != meta.resource_version {
            return Err(ApiError::conflict(&obj.resource_qualified(), &meta.name));
        }
        Ok(stored)
    }

    /// [`Cluster::stored`], as a copy the write can be prepared against while the cluster is written.
    fn current(&self, obj: &Object, concurrency: Concurrency) -> Result<Object, ApiError> {
        self.stored(obj, concurrency).cloned()
    }

    /// Store the result of a write over the stored object, unless it changes nothing; what is stored (and
    /// returned) takes the store's next revision as its `resourceVersion` ([`super::Store::put_changed`]). The
    /// stored object is compared in place, never copied: a pod is written several times in its life.
    fn commit(&mut self, obj: Object) -> &Object {
        self.store.put_changed(obj)
    }

    /// Delete an object now (the only way objects leave the store): a pod's deletion is recorded, and its
    /// dependents are handled as `propagation` says. Returns the deleted object.
    ///
    /// The garbage collector's part (`pkg/controller/garbagecollector`) happens at once: with background
    /// propagation the dependents (every object with an owner reference to the deleted one, by kind, then
    /// namespace and name) are deleted too, and theirs in turn; with orphan propagation they only lose their
    /// owner reference.
    pub fn delete(&mut self, kind: GroupKind, namespace: &str, name: &str, propagation: Propagation) -> Result<Object, ApiError> {
        let removed =
            self.store.remove(kind, namespace, name).ok_or_else(|| ApiError::not_found(&kind.resource_qualified(), name))?;
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

/// A Service allocator's refusal as the API server returns it.
fn allocation_error(svc: &Object, e: service_alloc::AllocError) -> ApiError {
    match e {
        service_alloc::AllocError::Invalid(errors) => ApiError::Invalid(validation::Invalid::new(svc, errors)),
        service_alloc::AllocError::Internal(m) => ApiError::Internal(m),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::Node;

    fn version(obj: &Object) -> u64 {
        obj.meta().resource_version.parse().expect("a numeric resourceVersion")
    }

    fn node(name: &str) -> Object {
        let mut n = Node::default();
        n.metadata.name = name.into();
        Object::Node(n.into())
    }

    /// The API server's storage: every write is a new etcd revision, so a client's copy goes stale whatever
    /// verb changed the object since, and a write that changes nothing is no write.
    #[test]
    fn every_write_takes_a_newer_resource_version_and_stales_earlier_copies() {
        let mut c = Cluster::new();
        let a = c.create(node("a")).expect("created");
        let b = c.create(node("b")).expect("created");
        assert!(version(&b) > version(&a));
        assert_eq!(c.store().object(GroupKind::Node, "", "a").map(version), Some(version(&a)));

        let mut labelled = a.clone();
        labelled.meta_mut().labels.insert("x".into(), "y".into());
        let patched = c.patch(labelled, Concurrency::Unchecked).expect("patched").clone();
        assert!(version(&patched) > version(&b), "an unchecked write is a revision too");

        let mut stale = a.clone();
        stale.meta_mut().labels.insert("z".into(), "w".into());
        assert!(matches!(c.update(stale, Concurrency::Checked), Err(ApiError::Conflict(_))));

        let same = c.patch(patched.clone(), Concurrency::Checked).expect("no change").clone();
        assert_eq!(version(&same), version(&patched), "a write that changes nothing keeps the version");
    }
}
