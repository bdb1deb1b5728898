//! Which nodes should run a daemon pod (`NodeShouldRunDaemonPod`, and OpenShift's `nodeShouldRunDaemonPod`).

use crate::api::apps_v1::DaemonSet;
use crate::api::core_v1::{Namespace, Node, Taint};
use crate::api::labels::Selector;
use crate::cluster::Store;
use crate::helpers::node_affinity::RequiredNodeAffinity;
use crate::helpers::taints::{find_untolerated, is_no_schedule_or_no_execute, NO_EXECUTE};

/// Why the controller runs no daemon pod on a node: what `NodeShouldRunDaemonPod` (or OpenShift's namespace
/// check) decided on, recorded for the views ([`super::Views::unsuitable`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Unsuitable {
    /// The template's `nodeName` names another node.
    NodeName(String),
    /// The template's nodeSelector or required node affinity does not match the node.
    NodeAffinity,
    /// The first NoSchedule or NoExecute taint of the node that the daemon pod does not tolerate.
    Taint(Taint),
    /// The namespace's node selector (`scheduler.alpha.kubernetes.io/node-selector`, else OpenShift's
    /// `openshift.io/node-selector`) does not match the node.
    NamespaceSelector(String),
    /// The DaemonSet's namespace does not exist: it matches no node.
    NamespaceMissing,
}

impl Unsuitable {
    /// The kind of reason, as a word: the variant's name (`Taint`), for views that group or colour by it.
    pub fn reason(&self) -> &'static str {
        match self {
            Unsuitable::NodeName(_) => "NodeName",
            Unsuitable::NodeAffinity => "NodeAffinity",
            Unsuitable::Taint(_) => "Taint",
            Unsuitable::NamespaceSelector(_) => "NamespaceSelector",
            Unsuitable::NamespaceMissing => "NamespaceMissing",
        }
    }
}

/// The reason in a sentence, as lint and the plan's `daemonSetNodes` give it. The DaemonSet controller records
/// no event for a node it skips, so these are kubeplan's words, in the scheduler's where it has some.
impl std::fmt::Display for Unsuitable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unsuitable::NodeName(name) => write!(f, "spec.nodeName is {name:?}"),
            Unsuitable::NodeAffinity => f.write_str("node(s) didn't match the DaemonSet's node selector/affinity"),
            Unsuitable::Taint(t) => write!(f, "untolerated taint {t}"),
            Unsuitable::NamespaceSelector(sel) => write!(f, "the namespace's node selector {sel:?} does not match"),
            Unsuitable::NamespaceMissing => f.write_str("its namespace does not exist"),
        }
    }
}

/// `NodeShouldRunDaemonPod`'s answer for one node.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// `(true, true)`: the node runs a daemon pod.
    Run,
    /// `shouldRun` is false, for this reason; `keep_running` is `shouldContinueRunning` (a pod already there
    /// stays, unless an untolerated taint is NoExecute or the node no longer matches at all).
    Unsuitable { why: Unsuitable, keep_running: bool },
}

impl Verdict {
    /// `(shouldRun, shouldContinueRunning)`.
    pub fn pair(&self) -> (bool, bool) {
        match self {
            Verdict::Run => (true, true),
            Verdict::Unsuitable { keep_running, .. } => (false, *keep_running),
        }
    }
}

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
        self.verdict(node).pair()
    }

    /// [`DaemonPod::should_run`] with its reason.
    pub fn verdict(&self, node: &Node) -> Verdict {
        if !self.node_name.is_empty() && self.node_name != node.metadata.name {
            let why = Unsuitable::NodeName(self.node_name.clone());
            return Verdict::Unsuitable { why, keep_running: false };
        }
        if !self.affinity.matches(node) {
            return Verdict::Unsuitable { why: Unsuitable::NodeAffinity, keep_running: false };
        }
        let taints = &node.spec.taints;
        let Some(taint) = find_untolerated(taints, &self.tolerations, is_no_schedule_or_no_execute) else {
            return Verdict::Run;
        };
        let no_execute = find_untolerated(taints, &self.tolerations, |t| t.effect == NO_EXECUTE).is_some();
        Verdict::Unsuitable { why: Unsuitable::Taint(taint.clone()), keep_running: !no_execute }
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
        self.verdict(node).pair()
    }

    /// [`Placement::should_run`] with its reason.
    pub fn verdict(&self, node: &Node) -> Verdict {
        let verdict = self.pod.verdict(node);
        if verdict != Verdict::Run {
            return verdict;
        }
        let why = match self.namespace {
            None => Unsuitable::NamespaceMissing,
            Some(ns) => match namespace_selector(ns).filter(|(_, s)| !s.matches(&node.metadata.labels)) {
                Some((text, _)) => Unsuitable::NamespaceSelector(text.to_owned()),
                None => return Verdict::Run,
            },
        };
        Verdict::Unsuitable { why, keep_running: false }
    }
}

pub const KUBE_NODE_SELECTOR: &str = "scheduler.alpha.kubernetes.io/node-selector";
pub const OPENSHIFT_NODE_SELECTOR: &str = "openshift.io/node-selector";

/// The namespace's node selector as `nodeSelectorMatches` reads it: the Kubernetes annotation wins; otherwise
/// the OpenShift project annotation applies. A selector that does not parse is ignored. No cluster-wide default
/// selectors are configured.
fn namespace_selector(ns: &Namespace) -> Option<(&str, Selector)> {
    let annotations = &ns.metadata.annotations;
    let text = annotations.get(KUBE_NODE_SELECTOR).or_else(|| annotations.get(OPENSHIFT_NODE_SELECTOR))?;
    Some((text, Selector::parse(text).ok()?))
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
        let matches = |ns: &Namespace| namespace_selector(ns).map(|(text, s)| (text.to_owned(), s.matches(&n.metadata.labels)));
        assert_eq!(matches(&ns), None, "no selector: every node");
        ns.metadata.annotations.insert(OPENSHIFT_NODE_SELECTOR.into(), "role=app".into());
        assert_eq!(matches(&ns), Some(("role=app".into(), false)));
        ns.metadata.annotations.insert(KUBE_NODE_SELECTOR.into(), "role=infra".into());
        assert_eq!(matches(&ns), Some(("role=infra".into(), true)));
    }

    #[test]
    fn the_verdict_names_the_first_reason_the_checks_meet() {
        let mut ds = DaemonSet::default();
        let n = node(&[("a", "PreferNoSchedule"), ("b", "NoSchedule"), ("c", "NoExecute")]);
        let first_untolerated = n.spec.taints[1].clone();
        let pod = DaemonPod::of(&ds);
        assert_eq!(pod.verdict(&n), Verdict::Unsuitable { why: Unsuitable::Taint(first_untolerated), keep_running: false });
        ds.spec.template.spec.node_selector.insert("disk".into(), "ssd".into());
        let not_here = |why| Verdict::Unsuitable { why, keep_running: false };
        assert_eq!(DaemonPod::of(&ds).verdict(&n), not_here(Unsuitable::NodeAffinity), "the selector comes before the taints");
        ds.spec.template.spec.node_name = "other".into();
        assert_eq!(DaemonPod::of(&ds).verdict(&n), not_here(Unsuitable::NodeName("other".into())), "and nodeName before it");
    }
}
