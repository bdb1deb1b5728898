//! The rules: every finding's `rule` is one of these ids. Ids are stable: CI baselines, SARIF fingerprints and
//! editor settings refer to them.

use crate::diag::Severity;

/// Where a rule's findings come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Reading the files (YAML, types, kinds).
    Input,
    /// The API server: validation and admission, with its exact messages.
    ApiServer,
    /// Legal manifests that do not do what their authors expect.
    Trap,
    /// What the plan against `--nodes` shows.
    Cluster,
}

impl Origin {
    pub fn name(self) -> &'static str {
        match self {
            Origin::Input => "input",
            Origin::ApiServer => "api-server",
            Origin::Trap => "trap",
            Origin::Cluster => "cluster",
        }
    }
}

/// A rule: its id, default severity, a one-line summary and a longer help text.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub origin: Origin,
    pub summary: &'static str,
    pub help: &'static str,
}

const fn rule(id: &'static str, severity: Severity, origin: Origin, summary: &'static str, help: &'static str) -> Rule {
    Rule { id, severity, origin, summary, help }
}

use Origin::*;
use Severity::{Error, Warning};

/// Every rule, in documentation order.
pub const RULES: &[Rule] = &[
    // Input.
    rule("yaml-syntax", Error, Input, "The document is not valid YAML.", "kubectl splits a file on `---` lines and converts each document to JSON; a document that does not parse is refused, the others are still applied."),
    rule("yaml-limit", Error, Input, "The document exceeds a parsing budget (aliases, depth or size).", "Alias bombs, very deep nesting and huge documents are refused rather than expanded."),
    rule("input-too-large", Error, Input, "The file is larger than kubeplan reads.", "Split the file."),
    rule("not-an-object", Error, Input, "The document is not a mapping.", "A Kubernetes object is a mapping with apiVersion, kind and metadata."),
    rule("missing-type-meta", Error, Input, "apiVersion or kind is missing.", "kubectl refuses a document without apiVersion and kind: `error validating data: [apiVersion not set, kind not set]`."),
    rule("invalid-type", Error, Input, "A field has the wrong JSON type.", "The API server's decoder refuses the object with Go's `json: cannot unmarshal ...` message, naming the field."),
    rule("unknown-kind", Error, Input, "The kind is not served by the API.", "A misspelt built-in kind is an error (`no matches for kind`); kinds of other API groups (custom resources) are reported for information only."),
    rule("unknown-api-version", Error, Input, "The apiVersion does not serve this kind.", "kubectl cannot map the kind in this version: `resource mapping not found ... no matches for kind`."),
    rule("removed-api-version", Error, Input, "The apiVersion was removed from Kubernetes.", "`extensions/v1beta1`, `apps/v1beta1` and `apps/v1beta2` workloads were removed in v1.16; v1.32 serves only `apps/v1`. The object is still linted as `apps/v1`: moving it there can surface further errors (for example, `apps/v1` requires `spec.selector`)."),
    rule("unknown-field", Warning, Input, "The field does not exist in this object (an error with --strict).", "The API server drops unknown fields; kubectl's default strict field validation refuses the object. Usually a typo or a field at the wrong indentation."),
    // API server.
    rule("api-invalid", Error, ApiServer, "The API server rejects the value (`Invalid value`).", "Validation as the v1.32 API server runs it, after defaulting, with its exact message."),
    rule("api-required", Error, ApiServer, "The API server requires this field (`Required value`).", "Validation as the v1.32 API server runs it, after defaulting, with its exact message."),
    rule("api-unsupported", Error, ApiServer, "The value is not one the API server supports (`Unsupported value`).", "The message lists the supported values."),
    rule("api-forbidden", Error, ApiServer, "The API server forbids this field here (`Forbidden`).", "Validation as the v1.32 API server runs it, with its exact message."),
    rule("api-duplicate", Error, ApiServer, "The value duplicates another one (`Duplicate value`).", "Validation as the v1.32 API server runs it, with its exact message."),
    rule("api-too-long", Error, ApiServer, "The value is too long (`Too long`).", "Validation as the v1.32 API server runs it, with its exact message."),
    rule("api-too-many", Error, ApiServer, "The list has too many items (`Too many`).", "Validation as the v1.32 API server runs it, with its exact message."),
    rule("api-not-found", Error, ApiServer, "A referenced value does not exist (`Not found`).", "Validation as the v1.32 API server runs it, with its exact message."),
    rule("api-immutable", Error, ApiServer, "An update changes a field that cannot change (`field is immutable`).", "When the same object appears twice, the second is applied as an update of the first, as `kubectl apply` does; selectors and other immutable fields cannot change."),
    rule("api-internal", Error, ApiServer, "The API server reports an internal error for this field.", "Validation as the v1.32 API server runs it."),
    rule("api-admission", Error, ApiServer, "Admission refuses the pod (or every pod a workload creates).", "The Priority admission plugin refuses pods whose PriorityClass does not exist (built-in classes: system-node-critical, system-cluster-critical; others must be among the linted files) and pods that set `priority` themselves. For a workload, the controller's every pod creation fails with this message."),
    // Traps.
    rule("master-toleration-only", Warning, Trap, "Tolerates node-role.kubernetes.io/master but not node-role.kubernetes.io/control-plane.", "Since v1.24 control-plane nodes are tainted `node-role.kubernetes.io/control-plane:NoSchedule`; the `master` taint is gone. A workload meant to run on control-plane nodes must tolerate the new key."),
    rule("daemonset-no-resources", Warning, Trap, "A DaemonSet container has no resource requests or limits.", "It runs on every node with BestEffort QoS: the scheduler reserves nothing for it, and it is the first to be evicted under node pressure."),
    rule("surge-with-host-port", Warning, Trap, "maxSurge with a hostPort: the rolling update stalls.", "With maxSurge the DaemonSet controller starts the new pod before deleting the old one on the same node; the new pod needs the host port the old pod holds, stays Pending (`node(s) didn't have free ports for the requested pod ports`), and the old pod is never replaced."),
    rule("ondelete-update", Warning, Trap, "updateStrategy OnDelete: template changes do not replace running pods.", "With OnDelete the controller creates pods from the new template only when old pods are deleted by hand; until then old pods keep running the old template."),
    rule("statefulset-service-missing", Warning, Trap, "The StatefulSet's serviceName names no Service.", "A StatefulSet's pods get stable DNS names (`<pod>.<service>.<namespace>.svc`) only through a headless Service of that name, which must exist."),
    rule("statefulset-service-not-headless", Warning, Trap, "The StatefulSet's Service is not headless.", "The governing Service of a StatefulSet must have `clusterIP: None` for per-pod DNS records."),
    rule("unknown-scheduler", Warning, Trap, "No known scheduler serves this schedulerName.", "kube-scheduler only schedules pods whose schedulerName is `default-scheduler`; pods naming another scheduler stay Pending until that scheduler runs."),
    rule("openshift-namespace-node-selector", Warning, Trap, "On OpenShift the namespace's node selector also restricts this DaemonSet.", "OpenShift's DaemonSet controller honours the namespace annotation `openshift.io/node-selector` (or `scheduler.alpha.kubernetes.io/node-selector`, which wins): daemon pods run only on nodes matching it, and pods on other nodes are deleted. Annotate the namespace with `openshift.io/node-selector: \"\"` to run everywhere."),
    // Cluster (--nodes).
    rule("pods-pending", Error, Cluster, "Pods of this workload stay Pending on the given nodes.", "The plan against the --nodes cluster leaves these pods unscheduled; the message is the scheduler's, per node."),
    rule("daemonset-no-nodes", Warning, Cluster, "The DaemonSet runs on none of the given nodes.", "Every node is excluded by the DaemonSet's node selector or affinity, by an untolerated taint, or by the namespace's node selector."),
    rule("toleration-matches-no-taint", Warning, Cluster, "The toleration matches no taint on any of the given nodes.", "Often a misspelt key or value, or a taint that this cluster does not use."),
    rule("controller-failed-create", Error, Cluster, "The workload's controller fails to create pods.", "The controller records a FailedCreate event with the API server's refusal."),
];

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The description of a rule id, or a generic one for ids outside the table (from other input stages).
pub fn summary(id: &str) -> &'static str {
    find(id).map_or("A problem kubeplan found in the input.", |r| r.summary)
}
