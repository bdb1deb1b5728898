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
use Severity::{Error, Info, Warning};

/// Every rule, in documentation order.
pub const RULES: &[Rule] = &[
    // Input.
    rule("yaml-syntax", Error, Input, "The document is not valid YAML.", "kubectl splits a file on `---` lines and converts each document to JSON; a document that does not parse is refused, and `kubectl apply` reads no further in that file (`not-applied`); other files are still applied."),
    rule("yaml-limit", Error, Input, "The document exceeds a parsing budget (aliases, depth or size).", "Alias bombs, very deep nesting and huge documents are refused rather than expanded."),
    rule("invalid-encoding", Warning, Input, "The file holds bytes that are not text.", "kubectl reads a file as UTF-8 (or UTF-16 after a byte order mark) and each ill-formed sequence as U+FFFD; a name or value holding one is then refused, elsewhere it goes unnoticed. Often a file saved in Latin-1."),
    rule("input-too-large", Error, Input, "The file is larger than kubeplan reads.", "Split the file."),
    rule("not-an-object", Error, Input, "The document is not a mapping.", "A Kubernetes object is a mapping with apiVersion, kind and metadata."),
    rule("missing-type-meta", Error, Input, "apiVersion or kind is missing.", "kubectl refuses a document without apiVersion and kind: `error validating data: [apiVersion not set, kind not set]`."),
    rule("invalid-type", Error, Input, "A field has the wrong JSON type.", "The API server's decoder refuses the object with Go's `json: cannot unmarshal ...` message, naming the field."),
    rule("unknown-kind", Error, Input, "The kind is not served by the API.", "kubectl cannot map a kind that no built-in API group serves in this version (`no matches for kind`): usually a misspelt kind. Kinds of other API groups are custom resources (`crd-not-in-input`)."),
    rule("crd-not-in-input", Warning, Input, "A custom resource whose CustomResourceDefinition is not in the input.", "The kind belongs to a CustomResourceDefinition that is not among the files: the cluster may have it, so the object is not refused, but kubeplan cannot check it. Apply the definition first (kubectl maps a kind only once its definition is established)."),
    rule("unknown-api-version", Error, Input, "The apiVersion does not serve this kind.", "kubectl cannot map the kind in this version: `resource mapping not found ... no matches for kind`."),
    rule("namespace-mismatch", Error, Input, "The object names a namespace other than the one given with -n.", "With `-n NS` (`--namespace`), kubectl puts namespaced objects that name no namespace in NS and refuses one that names another: `the namespace from the provided object \"A\" does not match the namespace \"B\". You must pass '--namespace=A' to perform this operation.` The other objects are applied."),
    rule("removed-api-version", Error, Input, "The apiVersion was removed from Kubernetes.", "`extensions/v1beta1`, `apps/v1beta1` and `apps/v1beta2` workloads were removed in v1.16; v1.32 serves only `apps/v1`. The object is still linted as `apps/v1`: moving it there can surface further errors (for example, `apps/v1` requires `spec.selector`)."),
    rule("scheduler-config", Error, Input, "kube-scheduler refuses the KubeSchedulerConfiguration.", "A `kubescheduler.config.k8s.io/v1` KubeSchedulerConfiguration among the files is the scheduler's `--config` file: it is decoded strictly, defaulted and validated as kube-scheduler v1.32 does, and its profiles are built; each error is reported at its field with kube-scheduler's message. kube-scheduler would not start; a plan runs on the default configuration instead. Only one configuration may be given."),
    rule("ignored-kind", Info, Input, "A kind that kubeplan does not model.", "Kinds kubeplan knows but does not simulate (webhook configurations, RBAC, ...) are read and left out of the plan; the cluster would apply them."),
    rule("nodes-table", Error, Input, "A line of `kubectl get nodes` output that cannot be read.", "Nodes may be given as the text `kubectl get nodes --show-labels` prints (also with `-o wide`): a label that is not `key=value`, or a node listed twice, is refused at its line; the other lines are read."),
    rule("nodes-table-read", Info, Input, "The file was read as `kubectl get nodes` output.", "The table shows no capacity, so each node is given cpu 4, memory 8Gi and 110 pods; its STATUS gives the Ready condition and the taints a cluster adds (cordoned, not ready, unreachable)."),
    rule("not-applied", Info, Input, "`plan` applies nothing after a document that does not parse, in the same file.", "kubectl stops reading a file at the first document it cannot decode (`error parsing FILE`), so the documents after it are not applied; a bad `---` line also takes the document it ends. `lint` still checks them."),
    rule("unknown-field", Error, Input, "The field does not exist in this object, or is written twice.", "kubectl's default strict field validation (`--validate=strict`) has the API server refuse an object with an unknown or duplicate field (`strict decoding error: unknown field \"spec.x\"`). Usually a typo or a field at the wrong indentation."),
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
    rule("api-warning", Warning, ApiServer, "The API server accepts the object but warns about it (kubectl prints `Warning: …`).", "Each kind's strategy warns about what still works but should change: deprecated node labels, annotations and volume plugins, environment variables or ports that `kubectl apply` may drop or that clash, fractional byte quantities, a TLS Secret whose data is no PEM key pair, names that are not DNS labels; PodSecurity warns about workload templates that its enforce level would refuse and about pods its warn level would. The texts are the API server's, as kubectl prints them."),
    rule("api-admission", Error, ApiServer, "Admission refuses the pod (or every pod a workload creates).", "The Priority admission plugin refuses pods whose PriorityClass does not exist (built-in classes: system-node-critical, system-cluster-critical; others must be among the linted files) and pods that set `priority` themselves. For a workload, the controller's every pod creation fails with this message."),
    // Traps.
    rule("master-toleration-only", Warning, Trap, "Tolerates node-role.kubernetes.io/master but not node-role.kubernetes.io/control-plane.", "Since v1.24 control-plane nodes are tainted `node-role.kubernetes.io/control-plane:NoSchedule`; the `master` taint is gone. A workload meant to run on control-plane nodes must tolerate the new key."),
    rule("daemonset-no-resources", Warning, Trap, "A DaemonSet container has no resource requests or limits.", "It runs on every node with BestEffort QoS: the scheduler reserves nothing for it, and it is the first to be evicted under node pressure; a system-node-critical or system-cluster-critical pod is never evicted by the kubelet, so the node's other pods are evicted in its place."),
    rule("surge-with-host-port", Warning, Trap, "maxSurge with a hostPort: the rolling update stalls.", "With maxSurge the DaemonSet controller starts the new pod before deleting the old one on the same node; the new pod needs the host port the old pod holds, stays Pending (`node(s) didn't have free ports for the requested pod ports`), and the old pod is never replaced."),
    rule("ondelete-update", Warning, Trap, "updateStrategy OnDelete: template changes do not replace running pods.", "With OnDelete the controller creates pods from the new template only when old pods are deleted by hand; until then old pods keep running the old template."),
    rule("statefulset-service-missing", Warning, Trap, "The StatefulSet's serviceName names no Service.", "A StatefulSet's pods get stable DNS names (`<pod>.<service>.<namespace>.svc`) only through a headless Service of that name, which must exist."),
    rule("statefulset-service-not-headless", Warning, Trap, "The StatefulSet's Service is not headless.", "The governing Service of a StatefulSet must have `clusterIP: None` for per-pod DNS records."),
    rule("unknown-scheduler", Warning, Trap, "No known scheduler serves this schedulerName.", "kube-scheduler only schedules pods whose schedulerName is `default-scheduler`; pods naming another scheduler stay Pending until that scheduler runs."),
    rule("openshift-namespace-node-selector", Warning, Trap, "On OpenShift the namespace's node selector also restricts this DaemonSet.", "OpenShift's DaemonSet controller honours the namespace annotation `openshift.io/node-selector` (or `scheduler.alpha.kubernetes.io/node-selector`, which wins): daemon pods run only on nodes matching it, and pods on other nodes are deleted. Annotate the namespace with `openshift.io/node-selector: \"\"` to run everywhere."),
    // Chart: references between the objects of the input.
    rule("service-selects-nothing", Warning, Trap, "The Service's selector matches no pod of the input.", "The endpoints controller gives a Service the ready pods its selector matches in its namespace; when no Pod or workload template of the input (nor a custom resource whose operator makes pods with its labels) has the selector's labels, the Service has no endpoints and its connections are refused. Usually a label typo, or a selector naming a label the template does not set."),
    rule("service-target-port-undeclared", Warning, Trap, "A named targetPort that a selected pod's containers do not declare.", "A Service's `targetPort` given by name is looked up in each selected pod's container ports (and sidecars'), by name and protocol (`podutil.FindPort`); a pod that declares no such port is left out of the Service's endpoints for that port."),
    rule("probe-port-undeclared", Warning, Trap, "A probe's port is a name its container does not declare.", "The kubelet resolves a probe's named port among the container's own ports (`probe.ResolveContainerPort`); an undeclared name fails every probe: a liveness or startup probe restarts the container over and over, a readiness probe keeps the pod unready."),
    rule("anti-affinity-misses-replicas", Warning, Trap, "Required pod anti-affinity that matches neither the workload's own pods nor any other.", "Required anti-affinity is how a workload spreads its replicas over nodes or zones: the term's selector must match the workload's own pod labels. A selector that matches none of them, nor any other pod of the input, keeps nothing apart."),
    rule("pdb-selects-nothing", Warning, Trap, "The PodDisruptionBudget selects no pod of the input.", "A PodDisruptionBudget protects the pods its selector matches in its namespace (a missing selector matches none, in policy/v1); selecting nothing, it protects nothing from drains and evictions."),
    rule("network-policy-selects-nothing", Warning, Trap, "The NetworkPolicy's podSelector matches no pod of the input.", "A NetworkPolicy applies to the pods its podSelector matches in its namespace (an empty selector: all of them); a selector that matches no pod leaves the traffic it means to restrict unrestricted."),
    rule("hpa-target-missing", Warning, Trap, "The HorizontalPodAutoscaler's scaleTargetRef is not in the input.", "The autoscaler scales the object its `scaleTargetRef` names (apiVersion, kind, name) in its own namespace; without it the autoscaler reports FailedGetScale and scales nothing."),
    rule("hpa-min-above-replicas", Info, Trap, "The HorizontalPodAutoscaler's minReplicas exceeds the workload's replicas.", "The autoscaler raises the workload to minReplicas at once; each `kubectl apply` of the chart writes the lower `replicas` back. Leave `replicas` out of a workload an autoscaler owns."),
    rule("ingress-service-missing", Warning, Trap, "An Ingress backend names a Service that is not in the input.", "An Ingress routes to Services of its own namespace; a backend Service that does not exist gets 503 answers from the Ingress controller."),
    rule("ingress-service-port-missing", Warning, Trap, "An Ingress backend names a port its Service does not have.", "`backend.service.port.number` must be one of the Service's `ports[].port` (not the target port), `port.name` one of its port names."),
    rule("configmap-not-in-input", Info, Trap, "A pod needs a ConfigMap that is not in the input.", "A ConfigMap a pod reads (env, envFrom, a volume, a projected volume) without `optional: true` must exist in its namespace, or the container does not start (CreateContainerConfigError) or the volume does not mount. The cluster may hold it, so this is a note; with `--closed-world` (the input is the whole cluster) it is an error. `kube-root-ca.crt`, which Kubernetes publishes in every namespace, always exists."),
    rule("secret-not-in-input", Info, Trap, "A pod needs a Secret that is not in the input.", "A Secret a pod reads (env, envFrom, a volume, a projected volume) without `optional: true` must exist in its namespace, or the container does not start or the volume does not mount. The cluster may hold it, so this is a note; with `--closed-world` it is an error."),
    rule("serviceaccount-not-in-input", Info, Trap, "A pod runs as a ServiceAccount that is not in the input.", "The ServiceAccount admission plugin refuses a pod whose ServiceAccount does not exist (`error looking up service account`). Every namespace has `default`; other accounts the cluster may hold, so this is a note; with `--closed-world` it is an error."),
    rule("namespace-not-in-input", Info, Trap, "Objects are in a namespace that is not in the input.", "The NamespaceLifecycle admission plugin refuses every object in a namespace that does not exist (`namespaces \"x\" not found`); `kubeplan plan`, which takes the input as the whole cluster, refuses them. The cluster may hold the namespace, so this is a note; with `--closed-world` it is an error. The built-in namespaces (`default`, `kube-system`, `kube-public`, `kube-node-lease`) always exist."),
    rule("pvc-not-in-input", Info, Trap, "A pod mounts a PersistentVolumeClaim that is not in the input.", "A pod whose claim does not exist stays Pending (`persistentvolumeclaim \"x\" not found`). A StatefulSet's volumeClaimTemplates make their own claims. The cluster may hold it, so this is a note; with `--closed-world` it is an error."),
    // Cluster (--nodes).
    rule("pods-pending", Error, Cluster, "Pods of this workload stay Pending on the given nodes.", "The plan against the --nodes cluster leaves these pods unscheduled; the message is the scheduler's, per node."),
    rule("daemonset-no-nodes", Warning, Cluster, "The DaemonSet runs on none of the given nodes.", "Every node is excluded by the DaemonSet's node selector or affinity, by an untolerated taint, or by the namespace's node selector."),
    rule("toleration-matches-no-taint", Warning, Cluster, "The toleration matches no taint on any of the given nodes.", "Often a misspelt key or value, or a taint that this cluster does not use."),
    rule("well-known-toleration-matches-no-taint", Info, Cluster, "A toleration of a dedicated-node taint that none of the given nodes has.", "Add-ons tolerate the taints of dedicated nodes (node roles such as `node-role.kubernetes.io/control-plane` or the retired `master`, and `CriticalAddonsOnly`) in case a cluster has them; on these nodes the toleration does nothing. A precaution, not a mistake."),
    rule("budget", Error, Cluster, "The plan would cost more than kubeplan's budget; part of it was left out.", "A workload asking for more pods than the budget (--max-pods), more input objects than --max-objects, or a phase running past --max-rounds is cut where it enters the plan, and the rest is planned."),
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
