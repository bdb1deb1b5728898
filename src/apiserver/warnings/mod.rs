//! What the API server warns a client about when it accepts an object: each kind's strategy's
//! `WarningsOnCreate` / `WarningsOnUpdate` (`pkg/registry/*/strategy.go`), which `rest.BeforeCreate` and
//! `rest.BeforeUpdate` add to the response once validation has passed. kubectl prints them as `Warning: …`; the
//! controllers' clients drop them.
//!
//! The helpers the strategies share live beside the kinds they read: [`pod`] (`pkg/api/pod/warnings.go`),
//! [`storage`] (`pkg/api/persistentvolumeclaim`, `pkg/api/persistentvolume`, `pkg/api/storage`), [`service`]
//! (`pkg/api/service/warnings.go`), [`secret`] (the TLS key pair check of `pkg/registry/core/secret`) and
//! [`node_labels`] (`pkg/api/node`).
//!
//! Where Go walks a map (a nodeSelector's keys), the order is random in a cluster; here it is the keys' order.

mod node_labels;
mod pod;
mod secret;
mod service;
mod storage;

use crate::api::batch_v1::JobSpec;
use crate::api::meta_v1::ObjectMeta;
use crate::api::Object;
use crate::apiserver::strategy::template_generation;
use crate::apiserver::validation::field::Path;
use crate::apiserver::validation::meta::is_dns1123_label;
use crate::go::fmt::quote;

/// `WarningsOnCreate` of the object's strategy. The object is the one about to be stored: defaulted, through
/// mutating admission and `PrepareForCreate`, and valid.
pub fn on_create(obj: &Object) -> Vec<String> {
    let template = Path::of(&["spec", "template"]);
    match obj {
        Object::Pod(p) => {
            let mut w = name_warning(&p.metadata, "this is used in the Pod's hostname");
            w.extend(pod::for_pod(&p.spec, &p.metadata));
            w
        }
        Object::Deployment(d) => with_name_warning(&d.metadata, pod::for_template(&template, &d.spec.template)),
        Object::ReplicaSet(r) => with_name_warning(&r.metadata, pod::for_template(&template, &r.spec.template)),
        Object::DaemonSet(d) => pod::for_template(&template, &d.spec.template),
        Object::StatefulSet(s) => {
            let mut w = pod::for_template(&template, &s.spec.template);
            let claims = Path::of(&["spec", "volumeClaimTemplates"]);
            for (i, claim) in s.spec.volume_claim_templates.iter().enumerate() {
                w.extend(storage::for_claim_spec(&claims.index(i), &claim.spec));
            }
            w
        }
        Object::Job(j) => with_name_warning(&j.metadata, job_spec(&Path::new("spec"), &j.spec)),
        Object::CronJob(c) => {
            let path = Path::of(&["spec", "jobTemplate", "spec"]);
            with_name_warning(&c.metadata, job_spec(&path, &c.spec.job_template.spec))
        }
        Object::ReplicationController(rc) => {
            let w = rc.spec.template.as_deref().map(|t| pod::for_template(&template, t)).unwrap_or_default();
            with_name_warning(&rc.metadata, w)
        }
        Object::PodTemplate(t) => pod::for_template(&Path::new("template"), &t.template),
        _ => on_create_or_update(obj),
    }
}

/// `WarningsOnUpdate` of the object's strategy; `old` is the stored object. Workloads warn about their pod
/// template only when the update changed their spec (a new `generation`; a DaemonSet: a new template
/// generation); a pod's update warns about nothing.
pub fn on_update(new: &Object, old: &Object) -> Vec<String> {
    let template = Path::of(&["spec", "template"]);
    let respecced = new.meta().generation != old.meta().generation;
    match (new, old) {
        (Object::Pod(_), _) => Vec::new(),
        (Object::Deployment(d), _) if respecced => pod::for_template(&template, &d.spec.template),
        (Object::ReplicaSet(r), _) if respecced => pod::for_template(&template, &r.spec.template),
        (Object::DaemonSet(d), Object::DaemonSet(o)) => {
            if template_generation(d) != template_generation(o) {
                pod::for_template(&template, &d.spec.template)
            } else {
                Vec::new()
            }
        }
        (Object::StatefulSet(s), _) => {
            let mut w = if respecced { pod::for_template(&template, &s.spec.template) } else { Vec::new() };
            // The update path names the claim's spec with a capital S (`Child("Spec")`), unlike create's.
            let claims = Path::of(&["spec", "volumeClaimTemplates"]);
            for (i, claim) in s.spec.volume_claim_templates.iter().enumerate() {
                w.extend(storage::for_claim_spec(&claims.index(i).child("Spec"), &claim.spec));
            }
            w
        }
        (Object::Job(j), _) if respecced => job_spec(&Path::new("spec"), &j.spec),
        (Object::CronJob(c), _) => {
            let path = Path::of(&["spec", "jobTemplate", "spec"]);
            let mut w = if respecced { job_spec(&path, &c.spec.job_template.spec) } else { Vec::new() };
            if c.spec.schedule.contains("TZ") {
                w.push(format!(
                    "cannot use TZ or CRON_TZ in {}, use timeZone instead, see \
                     https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
                    Path::new("spec").child("spec").child("schedule")
                ));
            }
            w
        }
        (Object::ReplicationController(rc), _) if respecced => {
            rc.spec.template.as_deref().map(|t| pod::for_template(&template, t)).unwrap_or_default()
        }
        (Object::PodTemplate(t), _) if respecced => pod::for_template(&Path::new("template"), &t.template),
        (Object::Ingress(_) | Object::EndpointSlice(_), _) => Vec::new(),
        _ => on_create_or_update(new),
    }
}

/// The kinds whose strategy warns alike on create and update.
fn on_create_or_update(obj: &Object) -> Vec<String> {
    match obj {
        Object::Secret(s) => secret::warnings(s),
        Object::Service(s) => service::warnings(s),
        Object::PersistentVolumeClaim(c) => storage::for_claim(c),
        Object::PersistentVolume(v) => storage::for_volume(v),
        Object::StorageClass(c) => storage::for_class(c),
        Object::Node(n) => node_fields(n),
        Object::Ingress(i) => ingress_class_annotation(&i.metadata, i.spec.ingress_class_name.is_some()),
        Object::EndpointSlice(e) if e.address_type == "FQDN" => {
            vec![format!("{}: FQDN endpoints are deprecated", Path::new("spec").child("addressType"))]
        }
        _ => Vec::new(),
    }
}

/// The workloads' warning about a name that is a DNS subdomain but not a DNS label: it becomes part of pod names
/// and hostnames.
fn with_name_warning(meta: &ObjectMeta, rest: Vec<String>) -> Vec<String> {
    let mut w = name_warning(meta, "this is used in Pod names and hostnames");
    w.extend(rest);
    w
}

fn name_warning(meta: &ObjectMeta, use_: &str) -> Vec<String> {
    let msgs = is_dns1123_label(&meta.name);
    if msgs.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "metadata.name: {use_}, which can result in surprising behavior; a DNS label is recommended: [{}]",
        msgs.join(" ")
    )]
}

/// `job.WarningsForJobSpec`: an Indexed Job too large for its completed indexes to be tracked, then its pod
/// template's warnings.
fn job_spec(path: &Path, spec: &JobSpec) -> Vec<String> {
    const COMPLETIONS_SOFT_LIMIT: i32 = 100_000;
    const PARALLELISM_SOFT_LIMIT: i32 = 10_000;
    let mut w = Vec::new();
    if spec.completion_mode.as_deref() == Some("Indexed")
        && spec.completions.unwrap_or(0) > COMPLETIONS_SOFT_LIMIT
        && spec.parallelism.unwrap_or(0) > PARALLELISM_SOFT_LIMIT
    {
        w.push(format!(
            "{path}: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than \
             10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail"
        ));
    }
    w.extend(pod::for_template(&path.child("template"), &spec.template));
    w
}

/// The Node strategy's `fieldIsDeprecatedWarnings`.
fn node_fields(node: &crate::api::core_v1::Node) -> Vec<String> {
    let mut w = Vec::new();
    if node.spec.config_source.is_some() {
        w.push("spec.configSource: the feature is removed".to_owned());
    }
    if !node.spec.external_id.is_empty() {
        w.push("spec.externalID: this field is deprecated, and is unused by Kubernetes".to_owned());
    }
    w
}

/// The Ingress strategy's create warning: the `kubernetes.io/ingress.class` annotation without
/// `spec.ingressClassName`.
fn ingress_class_annotation(meta: &ObjectMeta, has_class_name: bool) -> Vec<String> {
    const ANNOTATION: &str = "kubernetes.io/ingress.class";
    if meta.annotations.contains_key(ANNOTATION) && !has_class_name {
        vec![format!("annotation {} is deprecated, please use 'spec.ingressClassName' instead", quote(ANNOTATION))]
    } else {
        Vec::new()
    }
}
