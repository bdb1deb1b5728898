//! Defaults of the discovery.k8s.io group (`pkg/apis/discovery/v1/defaults.go`).

use crate::api::discovery_v1::EndpointSlice;

/// `SetObjectDefaults_EndpointSlice`: each port's name is `""` and its protocol `TCP` unless given.
pub fn default_endpoint_slice(es: &mut EndpointSlice) {
    for port in &mut es.ports {
        port.name.get_or_insert_with(String::new);
        port.protocol.get_or_insert_with(|| "TCP".to_owned());
    }
}

super::defaults_by! { EndpointSlice => default_endpoint_slice }
