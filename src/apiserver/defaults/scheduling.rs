//! Defaults of the scheduling group (`pkg/apis/scheduling/v1/defaults.go`).

use crate::api::scheduling_v1::PriorityClass;

/// `SetDefaults_PriorityClass`: a PriorityClass preempts lower priorities unless it says `Never`.
pub fn default_priority_class(pc: &mut PriorityClass) {
    pc.preemption_policy.get_or_insert_with(|| "PreemptLowerPriority".to_owned());
}
