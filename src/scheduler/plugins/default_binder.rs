//! DefaultBinder: binds the pod to the chosen node through the API server. The scheduler performs the binding
//! itself ([`crate::scheduler`]); the plugin is registered so that a profile's Bind point is checked as
//! kube-scheduler checks it (every profile needs a bind plugin).

use crate::scheduler::config::Args;
use crate::scheduler::framework::{ExtensionPoint, Instance};

pub const NAME: &str = "DefaultBinder";

pub fn new(_: Option<&Args>) -> Result<Instance, String> {
    Ok(Instance { other: &[ExtensionPoint::Bind], ..Instance::new(NAME) })
}
