//! The in-tree plugins of v1.32 (`pkg/scheduler/framework/plugins`), each in the module named after it and
//! built by name from the [`crate::scheduler::registry`]. Which of them a profile runs, where and with what
//! weight is data: the default set is [`crate::scheduler::config::defaults::default_plugins`].

pub mod default_binder;
pub mod default_preemption;
pub mod image_locality;
pub mod inter_pod_affinity;
pub mod node_affinity;
pub mod node_name;
pub mod node_ports;
pub mod node_unschedulable;
pub mod noderesources;
pub mod pod_topology_spread;
pub mod queue_sort;
pub mod scheduling_gates;
pub mod taint_toleration;
pub mod volume_binding;
pub mod volumes;

use crate::apiserver::validation::{FieldError, Path};

use super::config::{Args, ConfigError};

/// A plugin's arguments as its factory takes them: of the plugin's kind (`pick`), and valid — kube-scheduler's
/// plugins validate their arguments again when they are built, with no field path, so an error reads
/// `scoringStrategy.type: …` under `initializing plugin "NodeResourcesFit"`.
pub fn checked_args<'a, T>(
    args: Option<&'a Args>,
    kind: &str,
    pick: fn(&Args) -> Option<&T>,
    validate: fn(&Path, &T) -> Vec<FieldError>,
) -> Result<&'a T, String> {
    let a = args.and_then(pick).ok_or_else(|| format!("want args to be of type {kind}"))?;
    match ConfigError::from_field_errors(&validate(&Path::default(), a)) {
        Some(e) => Err(e.message),
        None => Ok(a),
    }
}
