//! The API server's admission chain as v1.32 runs it by default (`kube-apiserver --enable-admission-plugins`
//! left at its default, `pkg/kubeapiserver/options/plugins.go`).
//!
//! A plugin may change the object before the registry strategy and validation run (the mutating phase,
//! `admission.MutationInterface`) and may refuse it afterwards (the validating phase,
//! `admission.ValidationInterface`). [`CHAIN`] lists the plugins in their order; the API server runs every
//! mutating plugin of the chain in that order, then the strategy, then every validating plugin in that order
//! (`staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go` and `registry/generic/registry/store.go`).
//!
//! Plugins read the cluster through [`Listers`] (their informers' listers in Kubernetes) and answer with a typed
//! [`Refusal`] (which plugin, which fields, the cause), rendered into the API server's message only by its
//! `Display`.
//!
//! One module per plugin, named after it. Not modelled: webhooks and admission policies
//! (MutatingAdmissionWebhook, ValidatingAdmissionPolicy, ValidatingAdmissionWebhook), TaintNodesByCondition,
//! the certificate plugins, NodeRestriction (off by default) and the audit annotations plugins leave.

pub mod default_ingress_class;
pub mod default_storage_class;
pub mod default_toleration_seconds;
pub mod limit_ranger;
pub mod namespace_lifecycle;
pub mod pod_security;
pub mod priority;
pub mod resource_quota;
pub mod runtime_class;
pub mod service_account;
pub mod storage_object_in_use_protection;

use std::fmt;
use std::sync::Arc;

use crate::api::core_v1::{LimitRange, Namespace, Pod, PodSpec, ResourceQuota as Quota};
use crate::api::meta_v1::ObjectMeta;
use crate::api::networking_v1::IngressClass;
use crate::api::node_v1::RuntimeClass as RuntimeClassObject;
use crate::api::scheduling_v1::PriorityClass;
use crate::api::storage_v1::StorageClass;
use crate::api::{GroupKind, Object};
use crate::apiserver::validation::{aggregate, FieldError, OwnedPath};
use crate::apiserver::names::NameGenerator;

pub use default_ingress_class::DefaultIngressClass;
pub use default_storage_class::DefaultStorageClass;
pub use default_toleration_seconds::DefaultTolerationSeconds;
pub use limit_ranger::LimitRanger;
pub use namespace_lifecycle::NamespaceLifecycle;
pub use pod_security::PodSecurity;
pub use priority::Priority;
pub use resource_quota::ResourceQuota;
pub use runtime_class::RuntimeClass;
pub use service_account::ServiceAccount;
pub use storage_object_in_use_protection::StorageObjectInUseProtection;

/// The v1.32 default plugins kubeplan models, in the order the API server runs them
/// (`AllOrderedPlugins`, filtered by `DefaultOffAdmissionPlugins`). PersistentVolumeClaimResize has nothing to
/// do here: no claim is resized.
pub static CHAIN: &[&dyn Plugin] = &[
    &NamespaceLifecycle,
    &LimitRanger,
    &ServiceAccount,
    &PodSecurity,
    &Priority,
    &DefaultTolerationSeconds,
    &DefaultStorageClass,
    &StorageObjectInUseProtection,
    &RuntimeClass,
    &DefaultIngressClass,
    &ResourceQuota,
];

/// The plugins whose changes the conformance oracle reports with scheme defaulting (`defaultedObjects`).
pub static DEFAULTING: &[&dyn Plugin] = &[&Priority, &DefaultTolerationSeconds];

/// The operation a request performs (`admission.Operation`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
}

/// What a plugin sees of a request (`admission.Attributes`): the operation, the object as it stands at this
/// point of the chain and, on update, the stored object.
#[derive(Debug)]
pub struct Attributes<'a> {
    pub operation: Operation,
    pub object: &'a mut Object,
    pub old: Option<&'a Object>,
}

impl Attributes<'_> {
    pub fn kind(&self) -> GroupKind {
        self.object.group_kind()
    }

    pub fn namespace(&self) -> &str {
        &self.object.meta().namespace
    }

    /// The pod of a pod request.
    pub fn pod(&self) -> Option<&Pod> {
        match &*self.object {
            Object::Pod(p) => Some(p),
            _ => None,
        }
    }

    pub fn pod_mut(&mut self) -> Option<&mut Pod> {
        match self.object {
            Object::Pod(p) => Some(Arc::make_mut(p)),
            _ => None,
        }
    }

    /// The name a refusal names the object by: its name, or its `generateName` before a name was generated
    /// (`admission.NewForbidden` via `extractResourceName`).
    pub fn name_for_errors(&self) -> String {
        let meta = self.object.meta();
        if meta.name.is_empty() {
            meta.generate_name.clone()
        } else {
            meta.name.clone()
        }
    }
}

/// What plugins read from the cluster: the listers of the informers Kubernetes gives them
/// (`SetExternalKubeInformerFactory`). Implemented by the API server's store.
pub trait Listers {
    fn namespace(&self, name: &str) -> Option<&Namespace>;
    fn priority_classes(&self) -> Vec<&PriorityClass>;
    /// The pods of a namespace.
    fn pods<'a>(&'a self, namespace: &'a str) -> Vec<&'a Pod>;
    /// The ServiceAccount `namespace/name`, as the ServiceAccount plugin reads it.
    fn service_account(&self, namespace: &str, name: &str) -> Option<service_account::Account>;
    /// The LimitRanges of a namespace, in name order.
    fn limit_ranges<'a>(&'a self, namespace: &'a str) -> Vec<&'a LimitRange>;
    /// The ResourceQuotas of a namespace, in name order.
    fn resource_quotas<'a>(&'a self, namespace: &'a str) -> Vec<&'a Quota>;
    fn storage_classes(&self) -> Vec<&StorageClass>;
    fn ingress_classes(&self) -> Vec<&IngressClass>;
    fn runtime_class(&self, name: &str) -> Option<&RuntimeClassObject>;
}

/// Everything a plugin may use besides the request: the listers, the API server's name generator and the
/// warnings the response will carry.
pub struct Context<'a> {
    pub listers: &'a dyn Listers,
    /// `names.SimpleNameGenerator`, for names plugins generate (the ServiceAccount plugin's token volume). It
    /// counts per prefix like the generator of `metadata.generateName`, but on its own: kubeplan keeps the two
    /// apart so that a volume name never moves a pod name.
    pub names: &'a mut NameGenerator,
    /// Warnings for the client (`warning.AddWarning`), in the order plugins added them.
    pub warnings: Vec<String>,
    /// Status writes of other objects the request makes once admitted (ResourceQuota's charge to `status.used`).
    pub writes: Vec<Object>,
}

impl<'a> Context<'a> {
    pub fn new(listers: &'a dyn Listers, names: &'a mut NameGenerator) -> Context<'a> {
        Context { listers, names, warnings: Vec::new(), writes: Vec::new() }
    }
}

/// An admission plugin (`admission.Interface`): its name, the operations it handles, and its phases.
pub trait Plugin: Sync {
    /// The name `--enable-admission-plugins` knows it by.
    fn name(&self) -> &'static str;
    /// `Handles`: whether the plugin looks at requests of this operation at all.
    fn handles(&self, operation: Operation) -> bool;
    /// The plugin's mutating phase, if it has one.
    fn mutating(&self) -> Option<&dyn MutationInterface> {
        None
    }
    /// The plugin's validating phase, if it has one.
    fn validating(&self) -> Option<&dyn ValidationInterface> {
        None
    }
}

/// `admission.MutationInterface`: may change the object, or refuse it, before the strategy runs.
pub trait MutationInterface {
    fn admit(&self, a: &mut Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal>;
}

/// `admission.ValidationInterface`: may refuse the object, after the strategy validated it.
pub trait ValidationInterface {
    fn validate(&self, a: &Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal>;
}

/// Run the mutating phase of every plugin of `chain` ([`CHAIN`] for a request), in order; the first refusal
/// ends it.
pub fn admit(chain: &[&dyn Plugin], a: &mut Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
    let operation = a.operation;
    for plugin in chain.iter().filter(|p| p.handles(operation)) {
        if let Some(m) = plugin.mutating() {
            m.admit(a, cx)?;
        }
    }
    Ok(())
}

/// Run the validating phase of every plugin of `chain`, in order; the first refusal ends it.
pub fn validate(chain: &[&dyn Plugin], a: &Attributes<'_>, cx: &mut Context<'_>) -> Result<(), Refusal> {
    for plugin in chain.iter().filter(|p| p.handles(a.operation)) {
        if let Some(v) = plugin.validating() {
            v.validate(a, cx)?;
        }
    }
    Ok(())
}

/// A plugin's refusal, as the plugin decided it. `Display` renders the API server's message.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The plugin that refused.
    pub plugin: &'static str,
    pub reason: Reason,
}

/// The status a refusal carries.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// `admission.NewForbidden`: `<resource> "<name>" is forbidden: <cause>`. `fields` are the fields of the
    /// object that caused the refusal (for a linter to point at), most specific first.
    Forbidden { resource: String, name: String, cause: String, fields: Vec<OwnedPath> },
    /// `errors.NewNotFound`: `<resource> "<name>" not found`, about another object the request needs.
    NotFound { resource: &'static str, name: String },
    /// `errors.NewInvalid`: `<Kind> "<name>" is invalid: <field errors>`.
    Invalid { kind: GroupKind, name: String, errors: Vec<FieldError> },
}

impl Refusal {
    /// `admission.NewForbidden(a, cause)` by `plugin`, caused by `fields` of the object.
    pub fn forbidden(plugin: &'static str, a: &Attributes<'_>, cause: impl Into<String>, fields: Vec<OwnedPath>) -> Refusal {
        Refusal {
            plugin,
            reason: Reason::Forbidden {
                resource: a.object.resource_qualified(),
                name: a.name_for_errors(),
                cause: cause.into(),
                fields,
            },
        }
    }

    /// Why, without the object's name: the same cause refuses each retry of a controller under a new name.
    pub fn cause(&self) -> String {
        match &self.reason {
            Reason::Forbidden { cause, .. } => cause.clone(),
            Reason::NotFound { resource, name } => format!("{resource} {name:?} not found"),
            Reason::Invalid { errors, .. } => aggregate(errors).unwrap_or_default(),
        }
    }

    /// The same refusal of an object named `name` (how a controller's pod would be named in the message).
    pub fn naming(mut self, name: &str) -> Refusal {
        if let Reason::Forbidden { name: n, .. } | Reason::Invalid { name: n, .. } = &mut self.reason {
            *n = name.to_owned();
        }
        self
    }

    /// The fields of the object that caused the refusal.
    pub fn fields(&self) -> &[OwnedPath] {
        match &self.reason {
            Reason::Forbidden { fields, .. } => fields,
            Reason::NotFound { .. } | Reason::Invalid { .. } => &[],
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            Reason::Forbidden { resource, name, cause, .. } => write!(f, "{resource} {name:?} is forbidden: {cause}"),
            Reason::NotFound { resource, name } => write!(f, "{resource} {name:?} not found"),
            Reason::Invalid { kind, name, errors } => match aggregate(errors) {
                Some(a) => write!(f, "{kind} {name:?} is invalid: {a}"),
                None => write!(f, "{kind} {name:?} is invalid"),
            },
        }
    }
}

/// Of the classes marked default, the newest, by name among equally new ones: how DefaultStorageClass
/// (`util.GetDefaultClass`) and DefaultIngressClass (`getDefaultClass`) choose when several are marked.
pub fn newest_default<'a, T>(classes: impl Iterator<Item = &'a T>, meta: impl Fn(&T) -> &ObjectMeta) -> Option<&'a T> {
    classes.min_by(|a, b| {
        let (a, b) = (meta(a), meta(b));
        b.creation_timestamp.cmp(&a.creation_timestamp).then_with(|| a.name.cmp(&b.name))
    })
}

/// The pod spec an object carries: a pod's, or a workload's template's.
pub fn pod_spec_mut(obj: &mut Object) -> Option<&mut PodSpec> {
    Some(match obj {
        Object::Pod(p) => &mut Arc::make_mut(p).spec,
        Object::DaemonSet(d) => &mut d.spec.template.spec,
        Object::Deployment(d) => &mut d.spec.template.spec,
        Object::ReplicaSet(r) => &mut r.spec.template.spec,
        Object::StatefulSet(s) => &mut s.spec.template.spec,
        Object::Job(j) => &mut j.spec.template.spec,
        _ => return None,
    })
}

#[cfg(test)]
pub(crate) mod testing {
    //! A cluster for plugin tests: namespaces, classes and accounts in maps.

    use std::collections::BTreeMap;

    use super::*;

    #[derive(Default)]
    pub struct Fake {
        pub namespaces: BTreeMap<String, Namespace>,
        pub priority_classes: BTreeMap<String, PriorityClass>,
        pub accounts: BTreeMap<(String, String), service_account::Account>,
        pub pods: Vec<Pod>,
        pub limit_ranges: Vec<LimitRange>,
        pub quotas: Vec<Quota>,
        pub storage_classes: Vec<StorageClass>,
        pub ingress_classes: Vec<IngressClass>,
        pub runtime_classes: Vec<RuntimeClassObject>,
    }

    impl Fake {
        pub fn with_namespace(mut self, name: &str) -> Fake {
            let mut ns = Namespace::default();
            ns.metadata.name = name.into();
            self.namespaces.insert(name.into(), ns);
            self
        }
    }

    impl Listers for Fake {
        fn namespace(&self, name: &str) -> Option<&Namespace> {
            self.namespaces.get(name)
        }
        fn priority_classes(&self) -> Vec<&PriorityClass> {
            self.priority_classes.values().collect()
        }
        fn pods<'a>(&'a self, namespace: &'a str) -> Vec<&'a Pod> {
            self.pods.iter().filter(|p| p.metadata.namespace == namespace).collect()
        }
        fn service_account(&self, namespace: &str, name: &str) -> Option<service_account::Account> {
            self.accounts.get(&(namespace.to_owned(), name.to_owned())).cloned()
        }
        fn limit_ranges<'a>(&'a self, namespace: &'a str) -> Vec<&'a LimitRange> {
            self.limit_ranges.iter().filter(|r| r.metadata.namespace == namespace).collect()
        }
        fn resource_quotas<'a>(&'a self, namespace: &'a str) -> Vec<&'a Quota> {
            self.quotas.iter().filter(|q| q.metadata.namespace == namespace).collect()
        }
        fn storage_classes(&self) -> Vec<&StorageClass> {
            self.storage_classes.iter().collect()
        }
        fn ingress_classes(&self) -> Vec<&IngressClass> {
            self.ingress_classes.iter().collect()
        }
        fn runtime_class(&self, name: &str) -> Option<&RuntimeClassObject> {
            self.runtime_classes.iter().find(|c| c.metadata.name == name)
        }
    }

    pub fn pod(namespace: &str, name: &str) -> Object {
        let mut p = Pod::default();
        p.metadata.namespace = namespace.into();
        p.metadata.name = name.into();
        p.spec.containers.push(Default::default());
        Object::Pod(Arc::new(p))
    }
}
