//! `framework.Status`: the outcome of running a plugin — a code, the plugin that produced it, and the reasons —
//! with each reason a typed value ([`Reason`]) whose `Display` is the exact text kube-scheduler prints.
//!
//! Reasons are decided where a plugin rejects a node and only rendered by views: the FitError message, a
//! placement's per-node verdicts, `kubeplan explain`, lint findings. Nothing parses a message back.

use std::fmt;

/// `framework.Code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Success,
    Error,
    /// Preemption may help.
    Unschedulable,
    /// Preemption will not help.
    UnschedulableAndUnresolvable,
    /// The plugin has nothing to do for this pod (PreFilter, PreScore): its Filter or Score is skipped.
    Skip,
}

/// Why a plugin rejected a node (or, for the framework's own reasons, why the cycle stopped). Each variant is
/// one of the `ErrReason…` constants of the plugin named in its doc; `Display` prints it exactly.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// NodeUnschedulable: the node is cordoned and the pod does not tolerate it.
    NodeUnschedulable,
    /// NodeName: the pod names another node.
    NodeNameMismatch,
    /// TaintToleration: the first NoSchedule/NoExecute taint of the node the pod does not tolerate.
    UntoleratedTaint { key: String, value: String },
    /// NodeAffinity: the pod's nodeSelector or required node affinity does not match (`ErrReasonPod`).
    NodeAffinityMismatch,
    /// NodeAffinity: the profile's `addedAffinity` does not match (`errReasonEnforced`).
    EnforcedNodeAffinityMismatch,
    /// NodeAffinity PreFilter: the `metadata.name` terms name no node at all (`errReasonConflict`).
    NodeAffinityConflict,
    /// NodePorts: a host port the pod wants is taken.
    NodePortsConflict,
    /// NodeResourcesFit: the node already runs as many pods as it allows.
    TooManyPods,
    /// NodeResourcesFit: not enough of a resource is left (`Insufficient <name>`).
    InsufficientResource(String),
    /// PodTopologySpread: placing the pod here would exceed a constraint's maxSkew.
    TopologySpreadConstraintsMismatch,
    /// PodTopologySpread: the node lacks a constraint's topology key.
    TopologySpreadMissingLabel,
    /// InterPodAffinity: the pod's required affinity finds no matching pod in this topology.
    PodAffinityMismatch,
    /// InterPodAffinity: the pod's required anti-affinity matches a pod in this topology.
    PodAntiAffinityMismatch,
    /// InterPodAffinity: an existing pod's required anti-affinity matches the pod.
    ExistingPodsAntiAffinityMismatch,
    /// The framework: the PreFilter plugins that returned node sets left none in common (`RunPreFilterPlugins`).
    PreFilterNoCommonNodes(Vec<&'static str>),
    /// The framework: the node is not in the PreFilter plugins' node set (the status of every such node).
    NotInPreFilterResult(Vec<&'static str>),
    /// VolumeBinding PreFilter: a claim the pod uses is unbound and will not be bound by scheduling it (its class
    /// binds Immediately, it has no class, or it names its volume but the binding is not complete).
    /// The claims are kept for the views (which field to point at); the message does not name them.
    UnboundImmediateClaims(Vec<String>),
    /// VolumeBinding PreFilter: the pod names a PersistentVolumeClaim its namespace does not have.
    ClaimNotFound(String),
    /// VolumeBinding PreFilter: the claim of a generic ephemeral volume (`<pod>-<volume>`) does not exist yet.
    EphemeralClaimNotCreated(String),
    /// VolumeBinding PreFilter: an ephemeral volume's claim exists but is not controlled by the pod
    /// (`ephemeral.VolumeIsForPod`).
    EphemeralClaimNotOwned { namespace: String, claim: String, pod: String },
    /// VolumeBinding PreFilter: the claim's phase is `Lost` (its volume is gone).
    ClaimLost { claim: String, volume: String },
    /// VolumeBinding PreFilter: the claim is being deleted.
    ClaimBeingDeleted(String),
    /// DefaultPreemption: no lower-priority pod to evict on the node.
    NoPreemptionVictims,
    /// DefaultPreemption: evicting pods on the node would not let the pod fit.
    PreemptionNotHelpful,
    /// PreemptionPolicy `Never` forbids the pod to preempt.
    PreemptionPolicyNever,
    /// A pod on the nominated node is already being deleted for the pod.
    PreemptionTerminatingPod,
    /// An internal message (errors, parse failures, statuses of out-of-model plugins).
    Message(String),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NodeUnschedulable => f.write_str("node(s) were unschedulable"),
            Reason::NodeNameMismatch => f.write_str("node(s) didn't match the requested node name"),
            Reason::UntoleratedTaint { key, value } => write!(f, "node(s) had untolerated taint {{{key}: {value}}}"),
            Reason::NodeAffinityMismatch => f.write_str("node(s) didn't match Pod's node affinity/selector"),
            Reason::EnforcedNodeAffinityMismatch => f.write_str("node(s) didn't match scheduler-enforced node affinity"),
            Reason::NodeAffinityConflict => f.write_str("pod affinity terms conflict"),
            Reason::NodePortsConflict => f.write_str("node(s) didn't have free ports for the requested pod ports"),
            Reason::TooManyPods => f.write_str("Too many pods"),
            Reason::InsufficientResource(name) => write!(f, "Insufficient {name}"),
            Reason::TopologySpreadConstraintsMismatch => f.write_str("node(s) didn't match pod topology spread constraints"),
            Reason::TopologySpreadMissingLabel => {
                f.write_str("node(s) didn't match pod topology spread constraints (missing required label)")
            }
            Reason::PodAffinityMismatch => f.write_str("node(s) didn't match pod affinity rules"),
            Reason::PodAntiAffinityMismatch => f.write_str("node(s) didn't match pod anti-affinity rules"),
            Reason::ExistingPodsAntiAffinityMismatch => f.write_str("node(s) didn't satisfy existing pods anti-affinity rules"),
            Reason::PreFilterNoCommonNodes(plugins) if plugins.len() == 1 => {
                write!(f, "node(s) didn't satisfy plugin {}", plugins[0])
            }
            Reason::PreFilterNoCommonNodes(plugins) => {
                write!(f, "node(s) didn't satisfy plugin(s) [{}] simultaneously", plugins.join(" "))
            }
            Reason::NotInPreFilterResult(plugins) => write!(f, "node(s) didn't satisfy plugin(s) [{}]", plugins.join(" ")),
            Reason::UnboundImmediateClaims(_) => f.write_str("pod has unbound immediate PersistentVolumeClaims"),
            Reason::ClaimNotFound(claim) => write!(f, "persistentvolumeclaim {claim:?} not found"),
            Reason::EphemeralClaimNotCreated(claim) => {
                write!(f, "waiting for ephemeral volume controller to create the persistentvolumeclaim {claim:?}")
            }
            Reason::EphemeralClaimNotOwned { namespace, claim, pod } => {
                write!(f, "PVC {namespace}/{claim} was not created for pod {namespace}/{pod} (pod is not owner)")
            }
            Reason::ClaimLost { claim, volume } => {
                write!(f, "persistentvolumeclaim {claim:?} bound to non-existent persistentvolume {volume:?}")
            }
            Reason::ClaimBeingDeleted(claim) => write!(f, "persistentvolumeclaim {claim:?} is being deleted"),
            Reason::NoPreemptionVictims => f.write_str("No preemption victims found for incoming pod"),
            Reason::PreemptionNotHelpful => f.write_str("Preemption is not helpful for scheduling"),
            Reason::PreemptionPolicyNever => f.write_str("not eligible due to preemptionPolicy=Never."),
            Reason::PreemptionTerminatingPod => f.write_str("not eligible due to a terminating pod on the nominated node."),
            Reason::Message(m) => f.write_str(m),
        }
    }
}

/// `framework.Status`: a code, the reasons, and the plugin that produced it (empty for the framework's own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub code: Code,
    pub reasons: Vec<Reason>,
    pub plugin: &'static str,
}

impl Status {
    pub fn success() -> Status {
        Status { code: Code::Success, reasons: Vec::new(), plugin: "" }
    }

    /// A status with one reason. Plugins leave the plugin name empty: the framework sets it (`SetPlugin`).
    pub fn new(code: Code, reason: Reason) -> Status {
        Status { code, reasons: vec![reason], plugin: "" }
    }

    pub fn unschedulable(reason: Reason) -> Status {
        Status::new(Code::Unschedulable, reason)
    }

    pub fn unresolvable(reason: Reason) -> Status {
        Status::new(Code::UnschedulableAndUnresolvable, reason)
    }

    /// `framework.AsStatus`: an internal error.
    pub fn error(message: impl Into<String>) -> Status {
        Status::new(Code::Error, Reason::Message(message.into()))
    }

    /// A status with the `Skip` code: the plugin has nothing to do for this pod.
    pub fn skip() -> Status {
        Status { code: Code::Skip, reasons: Vec::new(), plugin: "" }
    }

    pub fn is_success(&self) -> bool {
        self.code == Code::Success
    }

    pub fn is_skip(&self) -> bool {
        self.code == Code::Skip
    }

    /// `Status.IsRejected`: unschedulable, resolvable or not.
    pub fn is_rejected(&self) -> bool {
        matches!(self.code, Code::Unschedulable | Code::UnschedulableAndUnresolvable)
    }

    /// `Status.Message`: the reasons joined with ", ".
    pub fn message(&self) -> String {
        let texts: Vec<String> = self.reasons.iter().map(Reason::to_string).collect();
        texts.join(", ")
    }

    /// `Status.WithPlugin`.
    pub fn with_plugin(mut self, plugin: &'static str) -> Status {
        self.plugin = plugin;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_print_kubernetes_texts() {
        let taint = Reason::UntoleratedTaint { key: "dedicated".into(), value: "infra".into() };
        assert_eq!(taint.to_string(), "node(s) had untolerated taint {dedicated: infra}");
        assert_eq!(Reason::InsufficientResource("cpu".into()).to_string(), "Insufficient cpu");
        assert_eq!(Reason::PreFilterNoCommonNodes(vec!["NodeAffinity"]).to_string(), "node(s) didn't satisfy plugin NodeAffinity");
        assert_eq!(
            Reason::PreFilterNoCommonNodes(vec!["A", "B"]).to_string(),
            "node(s) didn't satisfy plugin(s) [A B] simultaneously"
        );
        assert_eq!(Reason::NotInPreFilterResult(vec!["NodeAffinity"]).to_string(), "node(s) didn't satisfy plugin(s) [NodeAffinity]");
    }

    #[test]
    fn message_joins_reasons() {
        let s = Status {
            code: Code::Unschedulable,
            reasons: vec![Reason::TooManyPods, Reason::InsufficientResource("memory".into())],
            plugin: "NodeResourcesFit",
        };
        assert_eq!(s.message(), "Too many pods, Insufficient memory");
        assert!(s.is_rejected() && !s.is_success());
    }
}
