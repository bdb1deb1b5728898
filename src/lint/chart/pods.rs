//! The pods a chart makes: each Pod, and the pods each workload's controller makes from its template, with the
//! labels those pods will carry. Selectors in a chart (Services, PodDisruptionBudgets, NetworkPolicies, pod
//! anti-affinity) are matched against these.
//!
//! A controller adds labels of its own to the template's: some with values known from the manifest (a Job's
//! `batch.kubernetes.io/job-name`, a StatefulSet's `statefulset.kubernetes.io/pod-name` per ordinal), some with
//! values only the cluster knows (hashes, UIDs). Matching is "could some pod of this template be selected":
//! an unknown value may be anything.

use std::collections::BTreeMap;

use crate::api::core_v1::{PodSpec, PodTemplateSpec};
use crate::api::labels::{Requirement, Selector};
use crate::api::Object;
use crate::apiserver::strategy::{CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL};
use crate::controller::daemonset::{HASH_LABEL, TEMPLATE_GENERATION_LABEL};
use crate::controller::deployment::util::POD_TEMPLATE_HASH_LABEL;
use crate::controller::job::indexed::COMPLETION_INDEX_KEY;
use crate::controller::statefulset::identity::{POD_INDEX_LABEL, POD_NAME_LABEL};
use crate::input::Manifest;

/// The value a label of a chart's pod will have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelValue {
    /// Written in the manifest, or derived from it.
    Is(String),
    /// `prefix` followed by an ordinal in `start..start + count` (a StatefulSet's pod names and indexes, an
    /// Indexed Job's completion indexes).
    Ordinal { prefix: String, start: i64, count: i64 },
    /// Chosen by the cluster (a hash, a UID, a generated name).
    Unknown,
}

impl LabelValue {
    /// Whether some pod's value is `v`.
    fn may_be(&self, v: &str) -> bool {
        match self {
            LabelValue::Is(x) => x == v,
            LabelValue::Ordinal { prefix, start, count } => v
                .strip_prefix(prefix.as_str())
                .filter(|n| !n.starts_with('+') && (n.len() == 1 || !n.starts_with('0')))
                .and_then(|n| n.parse::<i64>().ok())
                .is_some_and(|n| n >= *start && n < start + count),
            LabelValue::Unknown => true,
        }
    }

    /// Whether some pod's value is none of `vs`.
    fn may_avoid(&self, vs: &[String]) -> bool {
        match self {
            LabelValue::Is(x) => !vs.contains(x),
            LabelValue::Ordinal { count, .. } => (vs.iter().filter(|v| self.may_be(v)).count() as i64) < *count,
            LabelValue::Unknown => true,
        }
    }
}

/// The labels of a chart's pods.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodLabels(pub BTreeMap<String, LabelValue>);

impl PodLabels {
    fn written(labels: &BTreeMap<String, String>) -> PodLabels {
        PodLabels(labels.iter().map(|(k, v)| (k.clone(), LabelValue::Is(v.clone()))).collect())
    }

    fn add(&mut self, key: &str, value: LabelValue) {
        self.0.insert(key.to_owned(), value);
    }

    /// Whether some pod with these labels could satisfy the requirement.
    fn may_satisfy(&self, r: &Requirement) -> bool {
        match r {
            Requirement::In(k, vs) => self.0.get(k).is_some_and(|v| vs.iter().any(|x| v.may_be(x))),
            Requirement::NotIn(k, vs) => self.0.get(k).is_none_or(|v| v.may_avoid(vs)),
            Requirement::Exists(k) => self.0.contains_key(k),
            Requirement::DoesNotExist(k) => !self.0.contains_key(k),
        }
    }

    /// Whether some pod with these labels could be selected.
    pub fn may_match(&self, selector: &Selector) -> bool {
        match selector {
            Selector::Nothing => false,
            Selector::All(reqs) => reqs.iter().all(|r| self.may_satisfy(r)),
        }
    }

    /// The value written for `key`, if the manifest gives one.
    pub fn written_value(&self, key: &str) -> Option<&str> {
        match self.0.get(key) {
            Some(LabelValue::Is(v)) => Some(v),
            _ => None,
        }
    }
}

/// How many pods a template makes at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replicas {
    Count(i64),
    /// One per eligible node (a DaemonSet).
    PerNode,
}

/// The pods one manifest makes.
pub struct PodSource<'a> {
    pub manifest: &'a Manifest,
    pub namespace: &'a str,
    /// The field path of the pod's metadata and spec: `""` for a Pod, `spec.template` for most workloads.
    pub template_path: &'static str,
    pub spec: &'a PodSpec,
    pub labels: PodLabels,
    pub replicas: Replicas,
}

impl PodSource<'_> {
    /// The path of a field of the pod spec (`containers[0].ports`), from the manifest's root.
    pub fn spec_field(&self, field: &str) -> String {
        if self.template_path.is_empty() {
            format!("spec.{field}")
        } else {
            format!("{}.spec.{field}", self.template_path)
        }
    }

    /// The path of the pod's labels, from the manifest's root.
    pub fn labels_path(&self) -> String {
        if self.template_path.is_empty() {
            "metadata.labels".to_owned()
        } else {
            format!("{}.metadata.labels", self.template_path)
        }
    }
}

/// The pods `m` makes, if it is a Pod or a workload with a pod template.
pub fn pod_source(m: &Manifest) -> Option<PodSource<'_>> {
    let meta = m.object.meta();
    let name = meta.name.as_str();
    let one = |n: Option<i32>| Replicas::Count(i64::from(n.unwrap_or(1)));
    let (path, template, labels, replicas): (&'static str, &PodTemplateSpec, PodLabels, Replicas) = match &m.object {
        Object::Pod(p) => {
            return Some(PodSource {
                manifest: m,
                namespace: &meta.namespace,
                template_path: "",
                spec: &p.spec,
                labels: PodLabels::written(&p.metadata.labels),
                replicas: Replicas::Count(1),
            })
        }
        Object::Deployment(d) => {
            let mut l = PodLabels::written(&d.spec.template.metadata.labels);
            l.add(POD_TEMPLATE_HASH_LABEL, LabelValue::Unknown);
            ("spec.template", &d.spec.template, l, one(d.spec.replicas))
        }
        Object::ReplicaSet(r) => {
            ("spec.template", &r.spec.template, PodLabels::written(&r.spec.template.metadata.labels), one(r.spec.replicas))
        }
        Object::ReplicationController(rc) => {
            let t = rc.spec.template.as_deref()?;
            ("spec.template", t, PodLabels::written(&t.metadata.labels), one(rc.spec.replicas))
        }
        Object::DaemonSet(d) => {
            let mut l = PodLabels::written(&d.spec.template.metadata.labels);
            l.add(HASH_LABEL, LabelValue::Unknown);
            l.add(TEMPLATE_GENERATION_LABEL, LabelValue::Unknown);
            ("spec.template", &d.spec.template, l, Replicas::PerNode)
        }
        Object::StatefulSet(s) => {
            let count = i64::from(s.spec.replicas.unwrap_or(1));
            let start = s.spec.ordinals.as_ref().map_or(0, |o| i64::from(o.start));
            let mut l = PodLabels::written(&s.spec.template.metadata.labels);
            l.add(HASH_LABEL, LabelValue::Unknown);
            l.add(POD_NAME_LABEL, LabelValue::Ordinal { prefix: format!("{name}-"), start, count });
            l.add(POD_INDEX_LABEL, LabelValue::Ordinal { prefix: String::new(), start, count });
            ("spec.template", &s.spec.template, l, Replicas::Count(count))
        }
        Object::Job(j) => {
            let mut l = PodLabels::written(&j.spec.template.metadata.labels);
            job_labels(&mut l, &j.spec, LabelValue::Is(name.to_owned()));
            ("spec.template", &j.spec.template, l, one(j.spec.parallelism))
        }
        Object::CronJob(c) => {
            let spec = &c.spec.job_template.spec;
            let mut l = PodLabels::written(&spec.template.metadata.labels);
            job_labels(&mut l, spec, LabelValue::Unknown);
            ("spec.jobTemplate.spec.template", &spec.template, l, one(spec.parallelism))
        }
        _ => return None,
    };
    Some(PodSource { manifest: m, namespace: &meta.namespace, template_path: path, spec: &template.spec, labels, replicas })
}

/// The labels the Job strategy adds to the template when it generates the selector (`manualSelector` unset),
/// and the completion index of an Indexed Job's pods.
fn job_labels(l: &mut PodLabels, spec: &crate::api::batch_v1::JobSpec, job_name: LabelValue) {
    if spec.manual_selector != Some(true) {
        l.add(CONTROLLER_UID_LABEL, LabelValue::Unknown);
        l.add(LEGACY_CONTROLLER_UID_LABEL, LabelValue::Unknown);
        l.add(JOB_NAME_LABEL, job_name.clone());
        l.add(LEGACY_JOB_NAME_LABEL, job_name);
    }
    if spec.completion_mode.as_deref() == Some("Indexed") {
        let count = i64::from(spec.completions.unwrap_or(1));
        l.add(COMPLETION_INDEX_KEY, LabelValue::Ordinal { prefix: String::new(), start: 0, count });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req_in(k: &str, v: &str) -> Requirement {
        Requirement::In(k.into(), vec![v.into()])
    }

    #[test]
    fn ordinals_match_only_the_pods_a_statefulset_makes() {
        let v = LabelValue::Ordinal { prefix: "web-".into(), start: 0, count: 3 };
        assert!(v.may_be("web-0") && v.may_be("web-2"));
        assert!(!v.may_be("web-3") && !v.may_be("web-01") && !v.may_be("db-0") && !v.may_be("web-+1"));
        assert!(v.may_avoid(&["web-0".into(), "web-1".into()]));
        assert!(!v.may_avoid(&["web-0".into(), "web-1".into(), "web-2".into()]));
    }

    #[test]
    fn unknown_values_may_be_anything_but_must_exist() {
        let mut l = PodLabels::written(&[("app".to_owned(), "web".to_owned())].into());
        l.add(POD_TEMPLATE_HASH_LABEL, LabelValue::Unknown);
        assert!(l.may_match(&Selector::All(vec![req_in("app", "web"), req_in(POD_TEMPLATE_HASH_LABEL, "abc")])));
        assert!(!l.may_match(&Selector::All(vec![req_in("app", "db")])));
        assert!(!l.may_match(&Selector::All(vec![Requirement::DoesNotExist(POD_TEMPLATE_HASH_LABEL.into())])));
        assert!(!l.may_match(&Selector::Nothing));
        assert!(l.may_match(&Selector::All(Vec::new())));
    }
}
