//! ConfigMaps, Secrets and ServiceAccounts (`pkg/apis/core/validation/validation.go`: `ValidateConfigMap`,
//! `ValidateSecret`, `ValidateServiceAccount` and their updates).

use std::collections::BTreeMap;

use crate::api::core_v1::{ConfigMap, Secret, ServiceAccount};
use crate::api::Bytes;

use super::field::{FieldError, Path};
use super::meta::{
    max_len_error, name_is_dns_subdomain, regex_error, validate_immutable, validate_object_meta, validate_object_meta_update,
};

/// `core.MaxSecretSize`: what a ConfigMap's or a Secret's data may weigh in all.
const MAX_SECRET_SIZE: usize = 1024 * 1024;

/// `IsConfigMapKey`: at most 253 characters of `[-._a-zA-Z0-9]`, not `.` or `..`, not starting with `..`.
pub fn is_config_map_key(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push(max_len_error(253));
    }
    if key.is_empty() || !key.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_')) {
        errs.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    match key {
        "." => errs.push("must not be '.'".to_owned()),
        ".." => errs.push("must not be '..'".to_owned()),
        k if k.starts_with("..") => errs.push("must not start with '..'".to_owned()),
        _ => {}
    }
    errs
}

fn key_errors(key: &str, path: &Path) -> Vec<FieldError> {
    is_config_map_key(key).into_iter().map(|m| FieldError::invalid(&path.key(key), key, m)).collect()
}

/// `ValidateConfigMap`: keys of `data` and `binaryData` are config keys, no key in both, at most 1 MiB in all.
pub fn validate_config_map(cm: &ConfigMap) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&cm.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    let mut size = 0;
    let data = Path::new("data");
    for (k, v) in &cm.data {
        errs.extend(key_errors(k, &data));
        if cm.binary_data.contains_key(k) {
            errs.push(FieldError::invalid(&data.key(k), k, "duplicate of key present in binaryData"));
        }
        size += v.len();
    }
    let binary = Path::new("binaryData");
    for (k, v) in &cm.binary_data {
        errs.extend(key_errors(k, &binary));
        size += v.0.len();
    }
    if size > MAX_SECRET_SIZE {
        errs.push(FieldError::too_long(&Path::new(""), MAX_SECRET_SIZE as i64));
    }
    errs
}

/// `ValidateConfigMapUpdate`: an immutable ConfigMap stays immutable and keeps its data.
pub fn validate_config_map_update(cm: &ConfigMap, old: &ConfigMap) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&cm.metadata, &old.metadata, &Path::new("metadata"));
    if old.immutable == Some(true) {
        errs.extend(immutable_data(cm.immutable, &[("data", cm.data != old.data), ("binaryData", cm.binary_data != old.binary_data)]));
    }
    errs.extend(validate_config_map(cm));
    errs
}

/// The `immutable: true` rules: the flag cannot be cleared and the data fields cannot change.
fn immutable_data(immutable: Option<bool>, changed: &[(&str, bool)]) -> Vec<FieldError> {
    const MESSAGE: &str = "field is immutable when `immutable` is set";
    let mut errs = Vec::new();
    if immutable != Some(true) {
        errs.push(FieldError::forbidden(&Path::new("immutable"), MESSAGE));
    }
    for (field, changed) in changed {
        if *changed {
            errs.push(FieldError::forbidden(&Path::new(field), MESSAGE));
        }
    }
    errs
}

/// `ValidateSecret`: config keys, at most 1 MiB, and the keys each well-known type requires.
pub fn validate_secret(secret: &Secret) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&secret.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    let data = Path::new("data");
    let mut size = 0;
    for (k, v) in &secret.data {
        errs.extend(key_errors(k, &data));
        size += v.0.len();
    }
    if size > MAX_SECRET_SIZE {
        errs.push(FieldError::too_long(&data, MAX_SECRET_SIZE as i64));
    }
    errs.extend(validate_secret_type(secret, &data));
    errs
}

/// The data each built-in Secret type must carry.
fn validate_secret_type(secret: &Secret, data: &Path) -> Vec<FieldError> {
    let has = |k: &str| secret.data.contains_key(k);
    let required = |k: &str| FieldError::required(&data.key(k), "");
    match secret.r#type.as_str() {
        "kubernetes.io/service-account-token" => {
            let key = "kubernetes.io/service-account.name";
            if secret.metadata.annotations.get(key).is_none_or(|v| v.is_empty()) {
                return vec![FieldError::required(&Path::new("metadata").child("annotations").key(key), "")];
            }
            Vec::new()
        }
        "kubernetes.io/dockercfg" => json_errors(&secret.data, ".dockercfg", data),
        "kubernetes.io/dockerconfigjson" => json_errors(&secret.data, ".dockerconfigjson", data),
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => vec![required("username"), required("password")],
        "kubernetes.io/ssh-auth" if secret.data.get("ssh-privatekey").is_none_or(|v| v.0.is_empty()) => {
            vec![required("ssh-privatekey")]
        }
        "kubernetes.io/tls" => ["tls.crt", "tls.key"].into_iter().filter(|k| !has(k)).map(required).collect(),
        _ => Vec::new(),
    }
}

/// A docker configuration key must be there and hold a JSON object.
fn json_errors(data: &BTreeMap<String, Bytes>, key: &str, path: &Path) -> Vec<FieldError> {
    match data.get(key) {
        None => vec![FieldError::required(&path.key(key), "")],
        Some(v) => match crate::go::json::unmarshal_object_error(&v.0) {
            Some(e) => vec![FieldError::invalid(&path.key(key), "<secret contents redacted>", e)],
            None => Vec::new(),
        },
    }
}

/// `ValidateSecretUpdate`: the type cannot change, an immutable Secret keeps its data.
pub fn validate_secret_update(secret: &Secret, old: &Secret) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&secret.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_immutable(&secret.r#type, &old.r#type, || (&secret.r#type).into(), &Path::new("type")));
    if old.immutable == Some(true) {
        errs.extend(immutable_data(secret.immutable, &[("data", secret.data != old.data)]));
    }
    errs.extend(validate_secret(secret));
    errs
}

/// `ValidateServiceAccount`: only its metadata.
pub fn validate_service_account(sa: &ServiceAccount) -> Vec<FieldError> {
    validate_object_meta(&sa.metadata, true, name_is_dns_subdomain, &Path::new("metadata"))
}

pub fn validate_service_account_update(sa: &ServiceAccount, old: &ServiceAccount) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&sa.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_service_account(sa));
    errs
}

super::validate_by!(ConfigMap, create: validate_config_map, update: validate_config_map_update);
super::validate_by!(Secret, create: validate_secret, update: validate_secret_update);
super::validate_by!(ServiceAccount, create: validate_service_account, update: validate_service_account_update);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_keys() {
        assert!(is_config_map_key("nginx.conf").is_empty());
        assert_eq!(
            is_config_map_key("bad key"),
            ["a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]
        );
        assert_eq!(is_config_map_key("..x"), ["must not start with '..'"]);
    }

    #[test]
    fn an_immutable_config_map_keeps_its_data() {
        let mut old = ConfigMap { immutable: Some(true), ..Default::default() };
        old.metadata.name = "flags".into();
        old.metadata.namespace = "default".into();
        old.data.insert("A".into(), "1".into());
        let mut new = old.clone();
        new.data.insert("A".into(), "2".into());
        let msgs: Vec<String> = validate_config_map_update(&new, &old).iter().map(ToString::to_string).collect();
        assert_eq!(msgs, ["data: Forbidden: field is immutable when `immutable` is set"]);
    }

    #[test]
    fn typed_secrets_need_their_keys() {
        let mut s = Secret { r#type: "kubernetes.io/tls".into(), ..Default::default() };
        s.metadata.name = "tls".into();
        s.metadata.namespace = "default".into();
        let msgs: Vec<String> = validate_secret(&s).iter().map(ToString::to_string).collect();
        assert_eq!(msgs, ["data[tls.crt]: Required value", "data[tls.key]: Required value"]);
    }
}
