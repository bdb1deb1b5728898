//! ReplicationControllers and PodTemplates (`pkg/apis/core/validation/validation.go`:
//! `ValidateReplicationController`, `ValidatePodTemplate` and their updates). No replication controller runs in
//! kubeplan; the objects are validated and stored.

use crate::api::core_v1::{PodTemplate, ReplicationController, ReplicationControllerSpec};

use super::core::{template_labels_value, validate_pod_template_spec, PodOptions};
use super::field::{FieldError, Path};
use super::meta::{name_is_dns_subdomain, validate_nonnegative, validate_object_meta, validate_object_meta_update};

/// `ValidateReplicationControllerSpec` with `ValidatePodTemplateSpecForRC`.
fn validate_rc_spec(spec: &ReplicationControllerSpec, old: Option<&ReplicationControllerSpec>, path: &Path) -> Vec<FieldError> {
    let mut errs = validate_nonnegative(i64::from(spec.min_ready_seconds), &path.child("minReadySeconds"));
    if spec.selector.is_empty() {
        errs.push(FieldError::required(&path.child("selector"), ""));
    }
    errs.extend(validate_nonnegative(i64::from(spec.replicas.unwrap_or(0)), &path.child("replicas")));
    let template_path = path.child("template");
    let Some(t) = spec.template.as_deref() else {
        errs.push(FieldError::required(&template_path, ""));
        return errs;
    };
    let matches = spec.selector.iter().all(|(k, v)| t.metadata.labels.get(k) == Some(v));
    if !spec.selector.is_empty() && !matches {
        errs.push(FieldError::invalid(
            &template_path.child("metadata").child("labels"),
            template_labels_value(t),
            "`selector` does not match template `labels`",
        ));
    }
    let opts = PodOptions::for_template(old.and_then(|o| o.template.as_deref()));
    errs.extend(validate_pod_template_spec(t, &template_path, &opts));
    if t.spec.restart_policy != "Always" {
        errs.push(FieldError::not_supported(&template_path.child("spec").child("restartPolicy"), &t.spec.restart_policy, &["Always"]));
    }
    if t.spec.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            &template_path.child("spec").child("activeDeadlineSeconds"),
            "activeDeadlineSeconds in ReplicationController is not Supported",
        ));
    }
    errs
}

pub fn validate_replication_controller(rc: &ReplicationController) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&rc.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_rc_spec(&rc.spec, None, &Path::new("spec")));
    errs
}

pub fn validate_replication_controller_update(rc: &ReplicationController, old: &ReplicationController) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&rc.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_rc_spec(&rc.spec, Some(&old.spec), &Path::new("spec")));
    errs
}

/// `ValidatePodTemplate`: the name is a pod name (a DNS subdomain) and the template a valid pod template.
pub fn validate_pod_template(pt: &PodTemplate) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&pt.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_pod_template_spec(&pt.template, &Path::new("template"), &PodOptions::for_template(None)));
    errs
}

pub fn validate_pod_template_update(pt: &PodTemplate, old: &PodTemplate) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&pt.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_pod_template_spec(&pt.template, &Path::new("template"), &PodOptions::for_template(Some(&old.template))));
    errs
}

super::validate_by!(ReplicationController, create: validate_replication_controller, update: validate_replication_controller_update);
super::validate_by!(PodTemplate, create: validate_pod_template, update: validate_pod_template_update);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selector_must_match_the_template() {
        let mut rc = ReplicationController::default();
        rc.metadata.name = "broken".into();
        rc.metadata.namespace = "default".into();
        rc.spec.selector.insert("app".into(), "a".into());
        let mut t = crate::api::core_v1::PodTemplateSpec::default();
        t.metadata.labels.insert("app".into(), "b".into());
        t.spec.containers.push(crate::api::core_v1::Container { name: "c".into(), image: "i".into(), ..Default::default() });
        rc.spec.template = Some(Box::new(t));
        let errs = validate_replication_controller(&rc);
        assert_eq!(
            errs[0].to_string(),
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`"
        );
    }
}
