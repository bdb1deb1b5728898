//! What the round trip between the v1 API and the API server's internal types changes
//! (`pkg/apis/core/v1/conversion.go`). kubeplan keeps v1 objects throughout, so the two directions are applied
//! where the API server converts: [`from_v1`] when it decodes a request, [`to_v1`] when it encodes what it
//! stores and returns.

use crate::api::core_v1::PodSpec;
use crate::api::Object;
use crate::apiserver::admission::pod_spec_mut;

/// Decoding: `serviceAccount` (deprecated) names the account when `serviceAccountName` does not.
pub fn from_v1(obj: &mut Object) {
    if let Some(spec) = pod_spec_mut(obj) {
        pod_spec_from_v1(spec);
    }
}

/// Encoding: `serviceAccount` always repeats `serviceAccountName`.
pub fn to_v1(obj: &mut Object) {
    if let Some(spec) = pod_spec_mut(obj) {
        pod_spec_to_v1(spec);
    }
}

/// `Convert_v1_PodSpec_To_core_PodSpec`'s alias rule.
pub fn pod_spec_from_v1(spec: &mut PodSpec) {
    if spec.service_account_name.is_empty() {
        spec.service_account_name = spec.service_account.clone();
    }
}

/// `Convert_core_PodSpec_To_v1_PodSpec`'s alias rule.
pub fn pod_spec_to_v1(spec: &mut PodSpec) {
    spec.service_account = spec.service_account_name.clone();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deprecated_alias_fills_in_and_follows_the_name() {
        let mut spec = PodSpec { service_account: "old".into(), ..Default::default() };
        pod_spec_from_v1(&mut spec);
        assert_eq!(spec.service_account_name, "old");
        let mut spec = PodSpec { service_account: "old".into(), service_account_name: "new".into(), ..Default::default() };
        pod_spec_from_v1(&mut spec);
        pod_spec_to_v1(&mut spec);
        assert_eq!((spec.service_account_name.as_str(), spec.service_account.as_str()), ("new", "new"));
    }
}
