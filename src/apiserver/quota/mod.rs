//! Resource quota's evaluators (`pkg/quota/v1/evaluator/core`, `staging/src/k8s.io/apiserver/pkg/quota/v1`):
//! what an object uses of a quota, which quotas it falls under, and a namespace's total usage. Shared by the
//! ResourceQuota admission plugin (which charges each new object) and the resource quota controller (which
//! recounts).

pub mod pods;
pub mod resources;

use crate::api::core_v1::{PersistentVolumeClaim, ResourceQuota, ScopedResourceSelectorRequirement, Service};
use crate::api::labels::{Labels, Requirement};
use crate::api::QuantityFormat as Format;
use crate::api::{GroupKind, Object, Quantity};

use resources::{add, intersection, ResourceList};

/// The quota resource that counts objects of a kind (`ObjectCountQuotaResourceNameFor`): `count/pods`,
/// `count/deployments.apps`.
pub fn count_name(kind: GroupKind) -> String {
    format!("count/{}", kind.resource_qualified())
}

/// The pre-`count/` names some kinds are still counted by (`legacyObjectCountAliases`).
fn legacy_alias(kind: GroupKind) -> Option<&'static str> {
    Some(match kind {
        GroupKind::ConfigMap => "configmaps",
        GroupKind::ResourceQuota => "resourcequotas",
        GroupKind::ReplicationController => "replicationcontrollers",
        GroupKind::Secret => "secrets",
        _ => return None,
    })
}

/// `storageClassSuffix`: claims and storage are also counted per class (`<class>.storageclass.storage.k8s.io/…`).
const STORAGE_CLASS_SUFFIX: &str = ".storageclass.storage.k8s.io/";
const CLAIM_RESOURCES: &[&str] = &["persistentvolumeclaims", "requests.storage"];
const SERVICE_RESOURCES: &[&str] = &["services", "services.loadbalancers", "services.nodeports"];

fn one() -> Quantity {
    Quantity::from_int(1, Format::DecimalSI)
}

/// `quota.Evaluator`, one per kind: the pod, service and claim evaluators, and the object count evaluator of
/// every other kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evaluator {
    Pods,
    Services,
    PersistentVolumeClaims,
    ObjectCount(GroupKind),
}

impl Evaluator {
    /// The evaluator of a kind (the registry's, or the object count evaluator admission adds for any other).
    pub fn of(kind: GroupKind) -> Evaluator {
        match kind {
            GroupKind::Pod => Evaluator::Pods,
            GroupKind::Service => Evaluator::Services,
            GroupKind::PersistentVolumeClaim => Evaluator::PersistentVolumeClaims,
            k => Evaluator::ObjectCount(k),
        }
    }

    pub fn kind(self) -> GroupKind {
        match self {
            Evaluator::Pods => GroupKind::Pod,
            Evaluator::Services => GroupKind::Service,
            Evaluator::PersistentVolumeClaims => GroupKind::PersistentVolumeClaim,
            Evaluator::ObjectCount(k) => k,
        }
    }

    /// `Handles`: pods and counted objects are charged on create only; services and claims on update too.
    pub fn handles_update(self) -> bool {
        matches!(self, Evaluator::Services | Evaluator::PersistentVolumeClaims)
    }

    /// `MatchingResources`: the names of `names` this evaluator accounts.
    pub fn matching_resources<S: AsRef<str>>(self, names: &[S]) -> Vec<String> {
        let count = count_name(self.kind());
        match self {
            Evaluator::Pods => pods::matching_resources(names),
            Evaluator::Services => {
                let mut own: Vec<&str> = SERVICE_RESOURCES.to_vec();
                own.push(&count);
                intersection(names, &own)
            }
            Evaluator::PersistentVolumeClaims => names
                .iter()
                .map(AsRef::as_ref)
                .filter(|n| {
                    *n == count
                        || CLAIM_RESOURCES.contains(n)
                        || CLAIM_RESOURCES.iter().any(|r| n.ends_with(&format!("{STORAGE_CLASS_SUFFIX}{r}")))
                })
                .map(str::to_owned)
                .collect(),
            Evaluator::ObjectCount(kind) => {
                let own: Vec<&str> = std::iter::once(count.as_str()).chain(legacy_alias(kind)).collect();
                intersection(names, &own)
            }
        }
    }

    /// The evaluator's `MatchesScopeFunc`: only pods fall in scopes.
    pub fn matches_scope(self, selector: &ScopedResourceSelectorRequirement, obj: &Object) -> bool {
        match (self, obj) {
            (Evaluator::Pods, Object::Pod(p)) => pod_matches_scope(selector, &p.spec),
            _ => false,
        }
    }

    /// `generic.Matches`: the quota bounds something this evaluator accounts and the object is in all of its
    /// scopes.
    pub fn matches(self, quota: &ResourceQuota, obj: &Object) -> bool {
        let hard: Vec<&str> = quota.status.hard.keys().map(String::as_str).collect();
        !self.matching_resources(&hard).is_empty() && scope_selectors(quota).iter().all(|s| self.matches_scope(s, obj))
    }

    /// `Constraints`: what the object must state for a quota bounding `required` (pods: their containers'
    /// requests and limits).
    pub fn constraints<S: AsRef<str>>(self, required: &[S], obj: &Object) -> Result<(), String> {
        match (self, obj) {
            (Evaluator::Pods, Object::Pod(p)) => pods::constraints(required, &p.spec),
            _ => Ok(()),
        }
    }

    /// `Usage`: what the object uses.
    pub fn usage(self, obj: &Object) -> ResourceList {
        match (self, obj) {
            (Evaluator::Pods, Object::Pod(p)) => pods::usage(p),
            (Evaluator::Services, Object::Service(s)) => service_usage(s),
            (Evaluator::PersistentVolumeClaims, Object::PersistentVolumeClaim(c)) => claim_usage(c),
            (e, _) => {
                let names = std::iter::once(count_name(e.kind())).chain(legacy_alias(e.kind()).map(str::to_owned));
                names.map(|n| (n, one())).collect()
            }
        }
    }

    /// `UsageStats` (`generic.CalculateUsageStats`): the usage of the namespace's `objects` in the quota's
    /// scopes, starting from a zero for each of `resources`.
    pub fn usage_stats<'a>(
        self,
        objects: impl IntoIterator<Item = &'a Object>,
        quota: &ResourceQuota,
        resources: &[String],
    ) -> ResourceList {
        let mut used: ResourceList = resources.iter().map(|r| (r.clone(), Quantity::default())).collect();
        let selectors = scope_selectors(quota);
        for obj in objects {
            if selectors.iter().all(|s| self.matches_scope(s, obj)) {
                used = add(&used, &self.usage(obj));
            }
        }
        used
    }
}

/// A quota's `scopes` (as `Exists` requirements) followed by its `scopeSelector` (`getScopeSelectorsFromQuota`).
pub fn scope_selectors(quota: &ResourceQuota) -> Vec<ScopedResourceSelectorRequirement> {
    let scopes = quota.spec.scopes.iter().map(|s| ScopedResourceSelectorRequirement {
        scope_name: s.clone(),
        operator: "Exists".to_owned(),
        values: Vec::new(),
    });
    let selected = quota.spec.scope_selector.iter().flat_map(|s| s.match_expressions.iter().cloned());
    scopes.chain(selected).collect()
}

/// `podMatchesScopeFunc`.
fn pod_matches_scope(selector: &ScopedResourceSelectorRequirement, spec: &crate::api::core_v1::PodSpec) -> bool {
    match selector.scope_name.as_str() {
        "Terminating" => pods::is_terminating(spec),
        "NotTerminating" => !pods::is_terminating(spec),
        "BestEffort" => pods::is_best_effort(spec),
        "NotBestEffort" => !pods::is_best_effort(spec),
        "PriorityClass" if selector.operator == "Exists" => !spec.priority_class_name.is_empty(),
        "PriorityClass" => {
            // `podMatchesSelector`: the requirement over the one-label set `{PriorityClass: <class>}`.
            let key = selector.scope_name.clone();
            let labels: Labels = (!spec.priority_class_name.is_empty())
                .then(|| (key.clone(), spec.priority_class_name.clone()))
                .into_iter()
                .collect();
            let requirement = match selector.operator.as_str() {
                "In" => Requirement::In(key, selector.values.clone()),
                "NotIn" => Requirement::NotIn(key, selector.values.clone()),
                "DoesNotExist" => Requirement::DoesNotExist(key),
                _ => return false,
            };
            requirement.matches(&labels)
        }
        "CrossNamespacePodAffinity" => pods::uses_cross_namespace_affinity(spec),
        _ => false,
    }
}

/// The service evaluator's `Usage`: the service, and the node ports and load balancer its type needs.
fn service_usage(svc: &Service) -> ResourceList {
    let ports = svc.spec.ports.len() as i64;
    let node_ports = match svc.spec.r#type.as_str() {
        "NodePort" => ports,
        "LoadBalancer" if svc.spec.allocate_load_balancer_node_ports == Some(false) => {
            svc.spec.ports.iter().filter(|p| p.node_port != 0).count() as i64
        }
        "LoadBalancer" => ports,
        _ => 0,
    };
    let balancers = i64::from(svc.spec.r#type == "LoadBalancer");
    ResourceList::from([
        (count_name(GroupKind::Service), one()),
        ("services".to_owned(), one()),
        ("services.loadbalancers".to_owned(), Quantity::from_int(balancers, Format::DecimalSI)),
        ("services.nodeports".to_owned(), Quantity::from_int(node_ports, Format::DecimalSI)),
    ])
}

/// The claim evaluator's `Usage`: the claim and its storage request (rounded up to a whole byte), also per class.
fn claim_usage(claim: &PersistentVolumeClaim) -> ResourceList {
    let class = crate::helpers::storage::claim_class(claim);
    let per_class = |r: &str| format!("{class}{STORAGE_CLASS_SUFFIX}{r}");
    let mut usage = ResourceList::from([
        ("persistentvolumeclaims".to_owned(), one()),
        (count_name(GroupKind::PersistentVolumeClaim), one()),
    ]);
    if !class.is_empty() {
        usage.insert(per_class("persistentvolumeclaims"), one());
    }
    if let Some(request) = claim.spec.resources.requests.get("storage") {
        let mut rounded = request.clone();
        let storage = if rounded.round_up(0) { request.clone() } else { rounded };
        usage.insert("requests.storage".to_owned(), storage.clone());
        if !class.is_empty() {
            usage.insert(per_class("requests.storage"), storage);
        }
    }
    usage
}
