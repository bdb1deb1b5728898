//! The options pod validation runs with, shared by the pod, template and volume validations.

/// `PodValidationOptions` as the registry strategies compute them at the v1.32 feature-gate defaults
/// (`pkg/api/pod/util.go:GetValidationOptionsFromPodSpecAndMeta`).
#[derive(Clone, Debug, Default)]
pub struct PodOptions {
    /// The pod-deletion-cost annotation need not be an int32 (only when the old object already had a bad one).
    pub allow_invalid_pod_deletion_cost: bool,
    pub allow_invalid_label_value_in_selector: bool,
    pub allow_indivisible_huge_pages_values: bool,
    pub allow_invalid_topology_spread_constraint_label_selector: bool,
    pub allow_non_local_projected_token_path: bool,
    pub allow_namespaced_sysctls_for_host_net_and_host_ipc: bool,
    /// The object is a Pod, not a template inside a workload.
    pub resource_is_pod: bool,
    /// `RelaxedEnvironmentVariableValidation` is beta and on in v1.32.
    pub allow_relaxed_environment_variable_validation: bool,
    pub allow_relaxed_dns_search_validation: bool,
    pub allow_pod_lifecycle_sleep_action_zero_value: bool,
}
