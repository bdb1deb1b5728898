//! Which nodes should run a daemon pod (`NodeShouldRunDaemonPod`, and OpenShift's `nodeShouldRunDaemonPod`).

use crate::api::apps_v1::DaemonSet;
use crate::api::core_v1::{Namespace, Node};
use crate::api::labels::Selector;
use crate::cluster::Store;
use crate::helpers::node_affinity::RequiredNodeAffinity;
use crate::helpers::taints::{find_untolerated, is_no_schedule_or_no_execute, NO_EXECUTE};

/// The pod a DaemonSet would create on a node, reduced to what the should-run checks read: its template's
/// `nodeName`, its required node affinity and nodeSelector, and its tolerations with the daemon tolerations
/// added (`NewPod`). Built once per sync, checked against every node.
pub struct DaemonPod {
    node_name: String,
    affinity: RequiredNodeAffinity,
    tolerations: Vec<crate::api::core_v1::Toleration>,
}

impl DaemonPod {
    pub fn of(ds: &DaemonSet) -> DaemonPod {
        let template = &ds.spec.template.spec;
        let mut spec = crate::api::core_v1::PodSpec {
            tolerations: template.tolerations.clone(),
            host_network: template.host_network,
            ..Default::default()
        };
        super::add_daemon_tolerations(&mut spec);
        DaemonPod {
            node_name: template.node_name.clone(),
            affinity: RequiredNodeAffinity::of(template),
            tolerations: spec.tolerations,
        }
    }

    /// `NodeShouldRunDaemonPod`: `(shouldRun, shouldContinueRunning)` on `node`.
    ///
    /// - A template `nodeName` for another node, or a nodeSelector / required node affinity mismatch:
    ///   `(false, false)`.
    /// - An untolerated NoSchedule or NoExecute taint: `shouldRun` is false; pods keep running unless some
    ///   untolerated taint is NoExecute.
    /// - Otherwise `(true, true)`. PreferNoSchedule taints never matter here.
    pub fn should_run(&self, node: &Node) -> (bool, bool) {
        if !self.node_name.is_empty() && self.node_name != node.metadata.name {
            return (false, false);
        }
        if !self.affinity.matches(node) {
            return (false, false);
        }
        let taints = &node.spec.taints;
        if find_untolerated(taints, &self.tolerations, is_no_schedule_or_no_execute).is_none() {
            return (true, true);
        }
        let no_execute = find_untolerated(taints, &self.tolerations, |t| t.effect == NO_EXECUTE).is_some();
        (false, !no_execute)
    }
}

/// `NodeShouldRunDaemonPod` for one node (see [`DaemonPod::should_run`]).
pub fn node_should_run_daemon_pod(node: &Node, ds: &DaemonSet) -> (bool, bool) {
    DaemonPod::of(ds).should_run(node)
}

/// The controller's check, with OpenShift's patch (`nodeShouldRunDaemonPod`): a node that passes upstream must
/// also match the namespace's node selector (`scheduler.alpha.kubernetes.io/node-selector`, else
/// `openshift.io/node-selector`). A missing namespace matches nothing.
pub struct Placement<'a> {
    pub pod: DaemonPod,
    namespace: Option<&'a Namespace>,
}

impl<'a> Placement<'a> {
    pub fn new(store: &'a Store, ds: &DaemonSet) -> Placement<'a> {
        Placement { pod: DaemonPod::of(ds), namespace: store.get::<Namespace>("", &ds.metadata.namespace) }
    }

    pub fn should_run(&self, node: &Node) -> (bool, bool) {
        let (run, cont) = self.pod.should_run(node);
        if run && cont {
            match self.namespace {
                None => return (false, false),
                Some(ns) if !namespace_selector_matches(node, ns) => return (false, false),
                Some(_) => {}
            }
        }
        (run, cont)
    }
}

pub const KUBE_NODE_SELECTOR: &str = "scheduler.alpha.kubernetes.io/node-selector";
pub const OPENSHIFT_NODE_SELECTOR: &str = "openshift.io/node-selector";

/// `nodeSelectorMatches`: the Kubernetes annotation wins; otherwise the OpenShift project annotation applies.
/// Selectors that do not parse are ignored. No cluster-wide default selectors are configured.
fn namespace_selector_matches(node: &Node, ns: &Namespace) -> bool {
    let annotations = &ns.metadata.annotations;
    let annotation = annotations.get(KUBE_NODE_SELECTOR).or_else(|| annotations.get(OPENSHIFT_NODE_SELECTOR));
    match annotation.map(|s| Selector::parse(s)) {
        Some(Ok(selector)) => selector.matches(&node.metadata.labels),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::Taint;

    fn node(taints: &[(&str, &str)]) -> Node {
        let mut n = Node::default();
        n.metadata.name = "n".into();
        n.spec.taints = taints
            .iter()
            .map(|(k, e)| Taint { key: k.to_string(), effect: e.to_string(), ..Default::default() })
            .collect();
        n
    }

    #[test]
    fn taints_decide_run_and_continue() {
        let ds = DaemonSet::default();
        assert_eq!(node_should_run_daemon_pod(&node(&[]), &ds), (true, true));
        assert_eq!(node_should_run_daemon_pod(&node(&[("x", "NoSchedule")]), &ds), (false, true));
        assert_eq!(node_should_run_daemon_pod(&node(&[("x", "NoExecute")]), &ds), (false, false));
        assert_eq!(node_should_run_daemon_pod(&node(&[("x", "PreferNoSchedule")]), &ds), (true, true));
        // Cordoned and pressured nodes are tolerated by every daemon pod.
        assert_eq!(node_should_run_daemon_pod(&node(&[("node.kubernetes.io/unschedulable", "NoSchedule")]), &ds), (true, true));
        // network-unavailable only with hostNetwork.
        let tainted = node(&[("node.kubernetes.io/network-unavailable", "NoSchedule")]);
        assert_eq!(node_should_run_daemon_pod(&tainted, &ds), (false, true));
        let mut host = DaemonSet::default();
        host.spec.template.spec.host_network = true;
        assert_eq!(node_should_run_daemon_pod(&tainted, &host), (true, true));
    }

    #[test]
    fn kube_annotation_wins_over_openshift() {
        let mut n = node(&[]);
        n.metadata.labels.insert("role".into(), "infra".into());
        let mut ns = Namespace::default();
        ns.metadata.annotations.insert(OPENSHIFT_NODE_SELECTOR.into(), "role=app".into());
        assert!(!namespace_selector_matches(&n, &ns));
        ns.metadata.annotations.insert(KUBE_NODE_SELECTOR.into(), "role=infra".into());
        assert!(namespace_selector_matches(&n, &ns));
    }
}
