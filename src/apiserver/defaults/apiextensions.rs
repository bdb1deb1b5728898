//! Defaults of the apiextensions.k8s.io group (`apiextensions-apiserver/pkg/apis/apiextensions/v1/defaults.go`).

use crate::api::apiextensions_v1::{CustomResourceConversion, CustomResourceDefinition};

/// `SetObjectDefaults_CustomResourceDefinition`: the singular name is the lower-case kind, the list kind the kind
/// and `List`, conversion `None`; the storage version is the first stored version when none is recorded; a
/// conversion webhook's Service port is 443.
pub fn default_custom_resource_definition(crd: &mut CustomResourceDefinition) {
    let names = &mut crd.spec.names;
    if names.singular.is_empty() {
        names.singular = names.kind.to_lowercase();
    }
    if names.list_kind.is_empty() && !names.kind.is_empty() {
        names.list_kind = format!("{}List", names.kind);
    }
    let conversion = crd
        .spec
        .conversion
        .get_or_insert_with(|| Box::new(CustomResourceConversion { strategy: "None".to_owned(), webhook: None }));
    if let Some(service) = conversion.webhook.as_deref_mut().and_then(|w| w.client_config.as_deref_mut()).and_then(|c| c.service.as_deref_mut()) {
        service.port.get_or_insert(443);
    }
    if crd.status.stored_versions.is_empty() {
        if let Some(v) = crd.spec.versions.iter().find(|v| v.storage) {
            crd.status.stored_versions.push(v.name.clone());
        }
    }
}

super::defaults_by! { CustomResourceDefinition => default_custom_resource_definition }
