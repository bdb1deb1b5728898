//! The plan as one JSON document (`--output json`), with the keys `../shared/conformance/README.md` lists and
//! a few more: `rollout` (what `kubectl rollout status` prints after each round, [`crate::rollout::RolloutLine`]),
//! `stalls` (rollouts that cannot finish, [`crate::rollout::Stall`]), `services` (each Service with what its
//! Endpoints would hold, [`ServiceEndpoints`]), `podDnsNames` (the pods a headless Service gives a DNS name),
//! `nodes` (each node's allocatable and what its pods request, [`NodeRecord`]), `daemonSetNodes` with verdicts
//! kept ([`DaemonSetNode`]), diagnostics, and notes on what a real cluster would choose differently.
//!
//! The document is a typed struct, [`PlanDocument`], so that the npm package's TypeScript types are generated
//! from it (with the `wasm` feature) rather than written a second time. Its objects' keys are sorted, as
//! [`serde_json::Value`]'s are: that is the byte order `kubeplan plan --output json` has always had, and the
//! order the WASM binding hands to JavaScript too ([`to_value`]). [`to_string`] prints the same bytes one
//! element at a time without the value tree ([`sorted_json`]).
//!
//! A [`Detail::Lean`] document (the npm package's `lean` option; the CLI always prints the full one) has the same
//! keys and types with less in them: each pod as lists and maps of pods read it ([`lean_pod`]), and placements
//! without their per-node score tables. It is for a view of the whole cluster, which asks for one pod's full
//! story when it shows it: at 1,000 nodes it is less than half the text (5.2 MB against 11.7 MB), and half the
//! time to read for JavaScript's `JSON.parse`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::api::apps_v1::{ControllerRevision, DaemonSet, DaemonSetStatus, Deployment, DeploymentStatus, ReplicaSet, ReplicaSetStatus, StatefulSet, StatefulSetStatus};
use crate::api::batch_v1::{Job, JobStatus};
use crate::api::core_v1::{Container, Pod, PodSpec, PodStatus};
use crate::api::meta_v1::ObjectMeta;
use crate::api::{controller_of, GroupKind, Object};
use crate::diag::Diagnostic;
use crate::facade::report::{Event, NodeList, Placement, Rejection, RolloutLine, ScoreTable, ServiceEndpoints, Stall, Step, Verdict, Warning};
use crate::facade::{Objects, PlanReport};
use crate::helpers::resources::Resource;
use crate::output::sorted_json;
use crate::output::summary::{node_allocations, NodeAllocation};

/// Everything a plan found, as `kubeplan plan --output json` prints it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PlanDocument {
    /// Whether the API server (or kubectl, in a step) refused anything.
    pub rejected: bool,
    pub rejections: Vec<Rejection>,
    /// The final pods, as the API server would return them.
    pub pods: Vec<Pod>,
    pub controller_revisions: Vec<ControllerRevision>,
    pub workloads: Vec<Workload>,
    pub events: Vec<Event>,
    /// The timeline: per phase and round, the ordered actions.
    pub steps: Vec<Step>,
    /// One record per scheduling decision.
    pub placements: Vec<PlacementRecord>,
    /// What `kubectl rollout status` would print after each round, per workload that changed.
    pub rollout: Vec<RolloutLine>,
    /// Rollouts that cannot finish: where and why.
    pub stalls: Vec<Stall>,
    /// Each input object as stored after defaulting and admission.
    pub defaulted_objects: Vec<DefaultedObject>,
    /// Every other stored object in its final state, as the API server returns it ([`api_objects`]).
    #[cfg_attr(feature = "wasm", tsify(type = "KubeObject[]"))]
    pub objects: Vec<Value>,
    /// Problems with the input itself, located.
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<String>,
    /// The scheduler's configuration as it runs it (v1, defaulted, the profiles' plugins merged), when a
    /// `KubeSchedulerConfiguration` document gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional, type = "Record<string, unknown>"))]
    pub scheduler_configuration: Option<Value>,
    /// What the API server warned the client about, in order.
    pub warnings: Vec<Warning>,
    /// Every Service, in namespace/name order, with the pods it selects and what its Endpoints would hold.
    pub services: Vec<ServiceEndpoints>,
    /// `namespace/name` → DNS name, for each pod a headless Service gives one
    /// (`web-0.nginx.default.svc.cluster.local`).
    pub pod_dns_names: BTreeMap<String, String>,
    /// Every node in name order with what its pods request of it ([`crate::output::summary::node_allocations`]).
    pub nodes: Vec<NodeRecord>,
    /// With verdicts kept: each node a DaemonSet runs no pod on and why, as its controller decided.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub daemon_set_nodes: Vec<DaemonSetNode>,
}

/// A node's allocatable and what the non-terminated pods bound to it request, as `kubectl describe node`'s
/// "Allocated resources" adds them up and the scheduler's `NodeInfo` counts them. Fields in key order, so that
/// the printer has nothing to put back in order ([`sorted_json`]).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct NodeRecord {
    pub allocatable: Amounts,
    pub name: String,
    /// `pods` here is how many pods are bound to the node.
    pub requested: Amounts,
}

/// Amounts of resources under the names of the scheduler's `framework.Resource`: cpu in millicores, memory and
/// ephemeral storage in bytes, pods as a count, extended resources (`nvidia.com/gpu`, `hugepages-2Mi`) by name.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct Amounts {
    pub ephemeral_storage: i64,
    pub memory: i64,
    pub milli_cpu: i64,
    pub pods: i64,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub scalar: BTreeMap<String, i64>,
}

impl From<&Resource> for Amounts {
    fn from(r: &Resource) -> Amounts {
        let Resource { milli_cpu, memory, ephemeral_storage, allowed_pod_number, scalar } = r;
        Amounts {
            ephemeral_storage: *ephemeral_storage,
            memory: *memory,
            milli_cpu: *milli_cpu,
            pods: *allowed_pod_number,
            scalar: scalar.clone(),
        }
    }
}

impl From<&NodeAllocation<'_>> for NodeRecord {
    fn from(n: &NodeAllocation<'_>) -> NodeRecord {
        NodeRecord {
            allocatable: Amounts::from(&n.allocatable),
            name: n.node.metadata.name.clone(),
            requested: Amounts::from(&n.requested),
        }
    }
}

/// A node a DaemonSet runs no pod on ([`crate::facade::report::Unsuitable`], as `NodeShouldRunDaemonPod` decided).
/// Fields in key order.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetNode {
    /// `namespace/name`.
    pub daemon_set: String,
    /// The reason in a sentence (`untolerated taint dedicated=gpu:NoSchedule`).
    pub message: String,
    pub node: String,
    #[cfg_attr(feature = "wasm", tsify(type = "\"NodeName\" | \"NodeAffinity\" | \"Taint\" | \"NamespaceSelector\" | \"NamespaceMissing\""))]
    pub reason: &'static str,
}

/// One record per workload: identity, labels and annotations, the pod count it asks for, and its status, as
/// `kubectl get ds,deploy,rs,sts,job` summarises them. For Jobs the pod count is `parallelism`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    #[cfg_attr(feature = "wasm", tsify(type = "\"DaemonSet\" | \"Deployment\" | \"ReplicaSet\" | \"StatefulSet\" | \"Job\""))]
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub generation: i64,
    pub owner_kind: Option<String>,
    pub owner_name: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub spec_replicas: Option<i32>,
    pub status: WorkloadStatus,
}

/// A workload's status, of the type its kind has.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(untagged)]
pub enum WorkloadStatus {
    DaemonSet(DaemonSetStatus),
    Deployment(DeploymentStatus),
    ReplicaSet(ReplicaSetStatus),
    StatefulSet(StatefulSetStatus),
    Job(JobStatus),
}

/// An input object as stored, with the phase that applied it. Stored objects carry their kind but, as Go's
/// typed objects hold them, no apiVersion.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct DefaultedObject {
    pub phase: String,
    #[cfg_attr(feature = "wasm", tsify(type = "KubeObject"))]
    pub object: Value,
}

/// The TypeScript type of a stored object of any kind kubeplan reads (only for the generated types: stored
/// objects travel as JSON values).
#[cfg(feature = "wasm")]
#[derive(Clone, Debug, Serialize, tsify::Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum KubeObject {
    Node(crate::api::core_v1::Node),
    Namespace(crate::api::core_v1::Namespace),
    Pod(Pod),
    Service(crate::api::core_v1::Service),
    PriorityClass(crate::api::scheduling_v1::PriorityClass),
    DaemonSet(crate::api::apps_v1::DaemonSet),
    Deployment(crate::api::apps_v1::Deployment),
    ReplicaSet(crate::api::apps_v1::ReplicaSet),
    StatefulSet(crate::api::apps_v1::StatefulSet),
    ControllerRevision(ControllerRevision),
    Job(crate::api::batch_v1::Job),
    Other(crate::api::RawJson),
}

/// One scheduling decision, as `placements` in the document: the scheduler's [`Placement`] field for field.
///
/// The fields are in the order of their JSON keys, and every map below them keeps its keys sorted, so the
/// printer ([`sorted_json`]) writes a record of hundreds of tied nodes and scores as it comes, with nothing to
/// put back in order.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PlacementRecord {
    pub examined_nodes: usize,
    pub feasible_nodes: usize,
    /// The failure message when no node fits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nominated_node: Option<String>,
    pub phase: String,
    /// `namespace/name`.
    pub pod: String,
    /// The scheduler profile that decided (the pod's `schedulerName`); omitted for `default-scheduler`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Why each rejected node was rejected (the first failing filter's reasons).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub rejected: BTreeMap<String, NodeVerdict>,
    pub round: u32,
    /// Weighted score per plugin and node, with `total`; only when more than one node was feasible.
    #[serde(skip_serializing_if = "ScoreTable::is_empty")]
    #[cfg_attr(feature = "wasm", tsify(optional, type = "Record<string, Record<string, number>>"))]
    pub scores: ScoreTable,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_node: Option<String>,
    /// Nodes that shared the top score; a real scheduler picks one of them at random.
    #[serde(skip_serializing_if = "NodeList::is_empty")]
    #[cfg_attr(feature = "wasm", tsify(optional, type = "string[]"))]
    pub tied_nodes: NodeList,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_score: Option<i64>,
}

/// Why the scheduler rejected a node: the failing filter plugin and its reasons.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct NodeVerdict {
    pub plugin: &'static str,
    pub reasons: Vec<String>,
}

impl From<&Verdict> for NodeVerdict {
    fn from(v: &Verdict) -> NodeVerdict {
        let Verdict { plugin, reasons } = v;
        NodeVerdict { plugin, reasons: reasons.iter().map(ToString::to_string).collect() }
    }
}

impl From<&Placement> for PlacementRecord {
    /// Every field is named (no `..`), so a field added to [`Placement`] fails to compile here until the
    /// document carries it too.
    fn from(p: &Placement) -> PlacementRecord {
        let Placement {
            pod,
            profile,
            phase,
            round,
            selected_node,
            top_score,
            tied_nodes,
            scores,
            feasible_nodes,
            examined_nodes,
            message,
            rejected,
            nominated_node,
            // Views' typed forms of `message` and of the nodes PreFilter left out; the document has the message.
            pre_filter_nodes: _,
            reasons: _,
        } = p;
        PlacementRecord {
            pod: pod.clone(),
            profile: (**profile != *crate::scheduler::DEFAULT_SCHEDULER).then(|| profile.to_string()),
            phase: phase.clone(),
            round: *round,
            selected_node: selected_node.clone(),
            top_score: *top_score,
            tied_nodes: tied_nodes.clone(),
            scores: scores.clone(),
            feasible_nodes: *feasible_nodes,
            examined_nodes: *examined_nodes,
            message: message.clone(),
            rejected: rejected.iter().map(|(k, v)| (k.clone(), NodeVerdict::from(v))).collect(),
            nominated_node: nominated_node.clone(),
        }
    }
}

/// How much of each pod and placement a document carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Detail {
    /// Everything, as `kubeplan plan --output json` prints it.
    #[default]
    Full,
    /// Each pod as [`lean_pod`] has it, and placements without their score tables (their top score and tied
    /// nodes stay, and so do rejected nodes' verdicts).
    Lean,
}

/// A pod as a [`Detail::Lean`] document has it: who it is and whose (name, namespace, uid, labels, owners,
/// deletion), where and how it runs (node, scheduler, priority, each container's name, image and resources), and
/// how it stands (phase, reason, message, nominated node, conditions): what `kubectl get pods -o wide`, a pod's
/// owner and the scheduler's verdict on it need. Its volumes, tolerations, affinity and other defaults are left out.
pub fn lean_pod(p: &Pod) -> Pod {
    let (m, spec, status) = (&p.metadata, &p.spec, &p.status);
    Pod {
        kind: p.kind.clone(),
        api_version: p.api_version.clone(),
        metadata: ObjectMeta {
            name: m.name.clone(),
            namespace: m.namespace.clone(),
            uid: m.uid.clone(),
            labels: m.labels.clone(),
            owner_references: m.owner_references.clone(),
            deletion_timestamp: m.deletion_timestamp.clone(),
            ..Default::default()
        },
        spec: PodSpec {
            node_name: spec.node_name.clone(),
            scheduler_name: spec.scheduler_name.clone(),
            priority: spec.priority,
            containers: spec.containers.iter().map(lean_container).collect(),
            ..Default::default()
        },
        status: PodStatus {
            phase: status.phase.clone(),
            reason: status.reason.clone(),
            message: status.message.clone(),
            nominated_node_name: status.nominated_node_name.clone(),
            conditions: status.conditions.clone(),
            ..Default::default()
        },
    }
}

/// A container as [`lean_pod`] has it: its name, image and resources.
fn lean_container(c: &Container) -> Container {
    Container { name: c.name.clone(), image: c.image.clone(), resources: c.resources.clone(), ..Default::default() }
}

/// A pod of the document, at `detail`.
fn pod_at(p: &Pod, detail: Detail) -> Pod {
    match detail {
        Detail::Full => p.clone(),
        Detail::Lean => lean_pod(p),
    }
}

/// A placement of the document, at `detail`.
fn placement_at(p: &Placement, detail: Detail) -> PlacementRecord {
    let mut record = PlacementRecord::from(p);
    if detail == Detail::Lean {
        record.scores = ScoreTable::default();
    }
    record
}

/// The report's document.
pub fn document(report: &PlanReport) -> PlanDocument {
    document_at(report, Detail::Full)
}

/// The report's document at `detail`.
pub fn document_at(report: &PlanReport, detail: Detail) -> PlanDocument {
    let o = report.objects();
    PlanDocument {
        rejected: report.rejected(),
        rejections: report.rejections().to_vec(),
        pods: o.list::<Pod>().map(|p| with_type_meta(pod_at(p, detail), GroupKind::Pod)).collect(),
        controller_revisions: o.list::<ControllerRevision>().map(revision_with_type_meta).collect(),
        workloads: workloads(o),
        events: report.events().to_vec(),
        steps: report.steps().to_vec(),
        placements: report.placements().iter().map(|p| placement_at(p, detail)).collect(),
        rollout: report.rollout().to_vec(),
        stalls: report.stalls().to_vec(),
        defaulted_objects: report.defaulted().iter().map(defaulted_object).collect(),
        objects: api_objects(report).collect(),
        diagnostics: report.diagnostics().to_vec(),
        notes: report.notes().to_vec(),
        scheduler_configuration: report.scheduler_configuration().map(|c| c.effective()),
        warnings: report.warnings().to_vec(),
        services: report.services().to_vec(),
        pod_dns_names: pod_dns_names(report),
        nodes: node_allocations(o).iter().map(NodeRecord::from).collect(),
        daemon_set_nodes: daemon_set_nodes(report).collect(),
    }
}

/// The document as a JSON value (objects with sorted keys).
pub fn to_value(report: &PlanReport) -> Value {
    to_value_at(report, Detail::Full)
}

/// The document at `detail` as a JSON value.
pub fn to_value_at(report: &PlanReport, detail: Detail) -> Value {
    serde_json::to_value(document_at(report, detail)).unwrap_or_default()
}

/// The document as `kubeplan plan --output json` prints it: pretty, keys sorted, a final newline.
///
/// The bytes are those of [`to_value`] printed pretty, but written one array element at a time, straight from
/// the report: a plan of 100,000 pods would otherwise hold the document, its JSON value tree and the text at once
/// (gigabytes). The fields are [`PlanDocument`]'s, in the key order of a JSON value's object (a test checks
/// that both agree).
pub fn to_string(report: &PlanReport) -> String {
    to_string_at(report, Detail::Full)
}

/// The document at `detail` printed as [`to_string`] prints it (the bytes of [`to_value_at`] printed pretty).
pub fn to_string_at(report: &PlanReport, detail: Detail) -> String {
    let mut doc = Document { text: Vec::new(), part: usize::MAX, sink: None };
    write_document(&mut doc, report, detail);
    // Every part of the text is serde_json's or ASCII, so the check cannot fail.
    String::from_utf8(doc.text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The bytes of [`to_string_at`] written to `sink` as they are made, in parts of about [`Document::PART`]: the
/// native CLI prints a plan of 100,000 pods (a gigabyte of text) without ever holding its text. An error of the
/// sink (a closed pipe: `kubeplan plan ... | head`) ends the writing and is returned.
pub fn write_to(report: &PlanReport, detail: Detail, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_in_parts(report, detail, sink, Document::PART)
}

/// [`write_to`] in parts of about `part` bytes.
fn write_in_parts(report: &PlanReport, detail: Detail, sink: &mut dyn std::io::Write, part: usize) -> std::io::Result<()> {
    let mut doc = Document { text: Vec::with_capacity(2 * part), part, sink: Some(Sink { out: sink, failed: None }) };
    write_document(&mut doc, report, detail);
    doc.hand_over();
    match doc.sink {
        Some(Sink { failed: Some(e), .. }) => Err(e),
        Some(Sink { out, .. }) => out.flush(),
        None => Ok(()),
    }
}

/// The document's text as it is written: whole ([`to_string_at`]), or handed to a sink after each array element
/// once it reaches [`Document::PART`] ([`write_to`]). Only whole elements are handed over, so each part is UTF-8
/// and an element that fails to print can still take itself back ([`write_with`]).
struct Document<'w> {
    text: Vec<u8>,
    /// How much text is kept before it is handed over.
    part: usize,
    sink: Option<Sink<'w>>,
}

struct Sink<'w> {
    out: &'w mut dyn std::io::Write,
    /// The sink's first error: nothing is written after it.
    failed: Option<std::io::Error>,
}

impl Document<'_> {
    /// Large enough that a part is one `write` of the sink, small enough to be nothing beside the plan.
    const PART: usize = 1 << 20;

    /// Hand the text written so far to the sink once there is a part of it.
    fn spill(&mut self) {
        if self.text.len() >= self.part {
            self.hand_over();
        }
    }

    /// Hand the text written so far to the sink, if there is one; after the sink failed, drop it.
    fn hand_over(&mut self) {
        let Some(sink) = &mut self.sink else { return };
        if sink.failed.is_none() {
            if let Err(e) = sink.out.write_all(&self.text) {
                sink.failed = Some(e);
            }
        }
        self.text.clear();
    }

    /// Whether nothing more can be written: the rest of the document need not be made.
    fn closed(&self) -> bool {
        self.sink.as_ref().is_some_and(|s| s.failed.is_some())
    }
}

/// Write the whole document into `doc`, its fields in key order.
fn write_document(doc: &mut Document<'_>, report: &PlanReport, detail: Detail) {
    let o = report.objects();
    type Field<'a> = (&'static str, Box<dyn Fn(&mut Document<'_>) + 'a>);
    let mut fields: Vec<Field<'_>> = vec![
        ("rejected", Box::new(|doc| write_value(&mut doc.text, &report.rejected(), 1))),
        ("rejections", Box::new(|doc| write_array(doc, report.rejections().iter()))),
        ("pods", Box::new(|doc| write_elements(doc, o.list::<Pod>(), |out, p| write_pod(out, p, detail)))),
        ("controllerRevisions", Box::new(|doc| write_array(doc, o.list::<ControllerRevision>().map(revision_with_type_meta)))),
        ("workloads", Box::new(|doc| write_array(doc, workloads(o).iter()))),
        ("events", Box::new(|doc| write_array(doc, report.events().iter()))),
        ("steps", Box::new(|doc| write_array(doc, report.steps().iter()))),
        ("placements", Box::new(|doc| write_array(doc, report.placements().iter().map(|p| placement_at(p, detail))))),
        ("rollout", Box::new(|doc| write_array(doc, report.rollout().iter()))),
        ("stalls", Box::new(|doc| write_array(doc, report.stalls().iter()))),
        ("defaultedObjects", Box::new(|doc| write_array(doc, report.defaulted().iter().map(defaulted_object)))),
        ("objects", Box::new(|doc| write_array(doc, api_objects(report)))),
        ("diagnostics", Box::new(|doc| write_array(doc, report.diagnostics().iter()))),
        ("notes", Box::new(|doc| write_array(doc, report.notes().iter()))),
        ("warnings", Box::new(|doc| write_array(doc, report.warnings().iter()))),
        ("services", Box::new(|doc| write_array(doc, report.services().iter()))),
        ("podDnsNames", Box::new(|doc| write_value(&mut doc.text, &pod_dns_names(report), 1))),
        ("nodes", Box::new(|doc| write_array(doc, node_allocations(o).iter().map(NodeRecord::from)))),
    ];
    if daemon_set_nodes(report).next().is_some() {
        fields.push(("daemonSetNodes", Box::new(|doc| write_array(doc, daemon_set_nodes(report)))));
    }
    if let Some(config) = report.scheduler_configuration() {
        fields.push(("schedulerConfiguration", Box::new(move |doc| write_value(&mut doc.text, &config.effective(), 1))));
    }
    fields.sort_by_key(|(name, _)| *name);
    doc.text.extend_from_slice(b"{\n");
    for (i, (name, write)) in fields.iter().enumerate() {
        if doc.closed() {
            return;
        }
        if i > 0 {
            doc.text.extend_from_slice(b",\n");
        }
        doc.text.extend_from_slice(b"  ");
        doc.text.extend_from_slice(serde_json::to_string(name).unwrap_or_default().as_bytes());
        doc.text.extend_from_slice(b": ");
        write(doc);
    }
    doc.text.extend_from_slice(b"\n}\n");
}

/// With verdicts kept, every DaemonSet's skipped nodes: DaemonSets in namespace/name order, then nodes in name
/// order. Without, nothing: a DaemonSet selecting a tenth of 100,000 nodes would add 90,000 rows to every plan.
fn daemon_set_nodes(report: &PlanReport) -> impl Iterator<Item = DaemonSetNode> + '_ {
    let keep = report.keeps_verdicts();
    let daemonsets = report.objects().entries::<DaemonSet>().filter(move |_| keep);
    daemonsets.flat_map(move |(key, ds)| {
        let name = format!("{}/{}", ds.metadata.namespace, ds.metadata.name);
        report.daemonset_unsuitable(key).into_iter().flatten().map(move |(node, why)| DaemonSetNode {
            daemon_set: name.clone(),
            message: why.to_string(),
            node: node.clone(),
            reason: why.reason(),
        })
    })
}

/// The pods' DNS names by `namespace/name`, for the pods that have one (a map, so its keys sort).
fn pod_dns_names(report: &PlanReport) -> BTreeMap<String, String> {
    let pods = report.objects().list::<Pod>();
    pods.filter_map(|p| Some((format!("{}/{}", p.metadata.namespace, p.metadata.name), report.pod_dns_name(p)?))).collect()
}

/// Append `value` printed pretty with its objects' keys sorted, as it would be at nesting `depth` of a larger
/// document, straight from its `Serialize` ([`sorted_json`]): the bytes of `to_value` printed pretty.
fn write_value<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T, depth: usize) {
    write_with(out, value, depth, &[]);
}

/// [`write_value`] with `extra` entries added to the value's object ([`sorted_json::write`]). The value is printed
/// in place at the end of the document (a buffer of its own per element cost a chain of reallocations and a copy
/// of every element's text); a value that cannot be printed leaves nothing behind.
fn write_with<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T, depth: usize, extra: &[(&str, &str)]) {
    let start = out.len();
    if sorted_json::write(out, value, depth, extra).is_err() {
        out.truncate(start);
    }
}

/// Append a top-level field's array, one element at a time.
fn write_array<T: Serialize>(doc: &mut Document<'_>, items: impl Iterator<Item = T>) {
    write_elements(doc, items, |out, item| write_value(out, &item, 2));
}

/// Append a top-level field's array, each element printed by `write`, the text handed over between elements.
fn write_elements<T>(doc: &mut Document<'_>, items: impl Iterator<Item = T>, mut write: impl FnMut(&mut Vec<u8>, T)) {
    let mut empty = true;
    for item in items {
        if doc.closed() {
            return;
        }
        doc.text.extend_from_slice(if empty { b"[\n    " } else { b",\n    " });
        write(&mut doc.text, item);
        doc.spill();
        empty = false;
    }
    doc.text.extend_from_slice(if empty { b"[]" } else { b"\n  ]" });
}

/// The stored objects that are not pods, workloads, ControllerRevisions, Events or Nodes, each as the API server
/// returns it: the bootstrap's PriorityClasses and namespaces, and every object the input or a controller made,
/// except the `default` ServiceAccounts the ServiceAccount controller makes (unless the input wrote one).
pub fn api_objects(report: &PlanReport) -> impl Iterator<Item = Value> + '_ {
    let s = report.objects();
    let in_other_facets = |kind: &GroupKind| {
        matches!(
            kind,
            GroupKind::Node
                | GroupKind::Pod
                | GroupKind::DaemonSet
                | GroupKind::Deployment
                | GroupKind::ReplicaSet
                | GroupKind::StatefulSet
                | GroupKind::Job
                | GroupKind::ControllerRevision
        )
    };
    GroupKind::BUILTIN
        .iter()
        .filter(move |k| !in_other_facets(k))
        .flat_map(move |k| s.objects_of(*k))
        .chain(s.custom_resources())
        .filter(|o| !controller_made_default_account(report, o))
        .map(|o| in_version_written(report, o))
}

/// The object in the version the input wrote it in: an autoscaling/v1 HorizontalPodAutoscaler is stored as v2
/// and read back as v1.
fn in_version_written(report: &PlanReport, o: &Object) -> Value {
    match (o, report.applied_version(o)) {
        (Object::HorizontalPodAutoscaler(hpa), Some("autoscaling/v1")) => {
            let mut v = serde_json::to_value(crate::api::conversion::hpa_to_v1(hpa)).unwrap_or(Value::Null);
            if let Some(m) = v.as_object_mut() {
                m.insert("apiVersion".into(), "autoscaling/v1".into());
                m.insert("kind".into(), "HorizontalPodAutoscaler".into());
            }
            v
        }
        _ => o.to_json(),
    }
}

/// A `default` ServiceAccount the input did not write: the ServiceAccount controller's own.
fn controller_made_default_account(report: &PlanReport, o: &Object) -> bool {
    matches!(o, Object::ServiceAccount(sa) if sa.metadata.name == "default") && report.applied_version(o).is_none()
}

fn revision_with_type_meta(r: &ControllerRevision) -> ControllerRevision {
    let mut r = r.clone();
    r.kind = GroupKind::ControllerRevision.kind().into();
    r.api_version = GroupKind::ControllerRevision.api_version().into();
    r
}

/// An input object as stored, as the document lists it: as JSON with its kind but, as Go's typed objects hold
/// them, no apiVersion.
fn defaulted_object((phase, o): &(String, Object)) -> DefaultedObject {
    let mut object = o.to_json();
    if let Some(m) = object.as_object_mut() {
        m.remove("apiVersion");
    }
    DefaultedObject { phase: phase.clone(), object }
}

/// A stored pod as the API server returns it (with its kind and apiVersion), as a JSON value: the type meta is
/// set in the value rather than on a copy of the pod (the document lists every pod).
/// The `apiVersion` and `kind` a pod is printed with (stored objects do not carry them).
fn pod_type_meta() -> [(&'static str, &'static str); 2] {
    [("apiVersion", GroupKind::Pod.api_version()), ("kind", GroupKind::Pod.kind())]
}

/// Append a stored pod at `detail`, with its type meta (the full pod is printed as it is stored, not copied).
fn write_pod(out: &mut Vec<u8>, p: &Pod, detail: Detail) {
    match detail {
        Detail::Full => write_with(out, p, 2, &pod_type_meta()),
        Detail::Lean => write_with(out, &lean_pod(p), 2, &pod_type_meta()),
    }
}

fn with_type_meta(mut p: Pod, gk: GroupKind) -> Pod {
    p.kind = gk.kind().into();
    p.api_version = gk.api_version().into();
    p
}

fn workloads(o: Objects<'_>) -> Vec<Workload> {
    let mut out = Vec::new();
    let mut push = |kind: &'static str, meta: &ObjectMeta, spec_replicas: Option<i32>, status: WorkloadStatus| {
        let owner = controller_of(meta);
        out.push(Workload {
            kind,
            namespace: meta.namespace.clone(),
            name: meta.name.clone(),
            generation: meta.generation,
            owner_kind: owner.map(|o| o.kind.clone()),
            owner_name: owner.map(|o| o.name.clone()),
            labels: meta.labels.clone(),
            annotations: meta.annotations.clone(),
            spec_replicas,
            status,
        });
    };
    for d in o.list::<DaemonSet>() {
        push("DaemonSet", &d.metadata, None, WorkloadStatus::DaemonSet(d.status.clone()));
    }
    for d in o.list::<Deployment>() {
        push("Deployment", &d.metadata, d.spec.replicas, WorkloadStatus::Deployment(d.status.clone()));
    }
    for r in o.list::<ReplicaSet>() {
        push("ReplicaSet", &r.metadata, r.spec.replicas, WorkloadStatus::ReplicaSet(r.status.clone()));
    }
    for st in o.list::<StatefulSet>() {
        push("StatefulSet", &st.metadata, st.spec.replicas, WorkloadStatus::StatefulSet(st.status.clone()));
    }
    for j in o.list::<Job>() {
        push("Job", &j.metadata, j.spec.parallelism, WorkloadStatus::Job(j.status.clone()));
    }
    out
}


#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::input::Source;
    use crate::facade::{plan, PlanRequest};

    #[test]
    fn streamed_text_is_the_json_value_printed_pretty() {
        let p = two_node_plan();
        assert!(!p.placements().is_empty() && p.rejected());
        let expected = serde_json::to_string_pretty(&to_value(&p)).unwrap() + "\n";
        assert_eq!(to_string(&p), expected);
    }

    /// Two nodes of 1 CPU; a Deployment of three 600m pods (one stays Pending), a DaemonSet, a refused Pod.
    fn two_node_plan() -> PlanReport {
        let node = |n: &str| {
            format!("apiVersion: v1\nkind: Node\nmetadata: {{name: {n}, labels: {{kubernetes.io/hostname: {n}}}}}\nstatus: {{capacity: {{cpu: '1', memory: 1Gi, pods: '110'}}, conditions: [{{type: Ready, status: 'True'}}]}}\n---\n")
        };
        let workloads = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: 'w:1', resources: {requests: {cpu: 600m}}}]\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: a, image: 'a:1'}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec: {containers: []}\n";
        let input = node("n1") + &node("n2") + workloads;
        plan(PlanRequest { manifests: vec![Source::new("in.yaml", input)], ..Default::default() })
    }

    /// A sink that keeps each part written to it, and fails every write after `fail_after` parts.
    #[derive(Default)]
    struct Parts {
        parts: Vec<Vec<u8>>,
        fail_after: Option<usize>,
    }

    impl std::io::Write for Parts {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.fail_after.is_some_and(|n| self.parts.len() >= n) {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            self.parts.push(bytes.to_vec());
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_document_written_in_parts_is_the_text_cut_between_elements() {
        let p = two_node_plan();
        let whole = to_string(&p);
        let mut sink = Parts::default();
        write_in_parts(&p, Detail::Full, &mut sink, 256).unwrap();
        assert!(sink.parts.len() > 5, "{} parts", sink.parts.len());
        assert_eq!(sink.parts.concat(), whole.as_bytes());
        // Each part ends where an element of a top-level array ends, so each is text on its own.
        for part in &sink.parts[..sink.parts.len() - 1] {
            assert!(std::str::from_utf8(part).is_ok());
            assert!(part.ends_with(b"}") || part.ends_with(b"\""), "{:?}", String::from_utf8_lossy(&part[part.len() - 20..]));
        }
    }

    #[test]
    fn a_sink_that_fails_ends_the_document() {
        let p = two_node_plan();
        let mut sink = Parts { fail_after: Some(2), ..Default::default() };
        let err = write_in_parts(&p, Detail::Full, &mut sink, 256).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
        assert_eq!(sink.parts.len(), 2);
        assert!(to_string(&p).as_bytes().starts_with(&sink.parts.concat()));
    }

    #[test]
    fn a_lean_document_is_the_full_one_with_pods_cut_down_and_no_score_tables() {
        let p = two_node_plan();
        let (full, lean) = (to_value(&p), to_value_at(&p, Detail::Lean));
        assert_eq!(to_string_at(&p, Detail::Lean), serde_json::to_string_pretty(&lean).unwrap() + "\n");
        let keys = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        assert_eq!(keys(&lean), keys(&full));
        for key in keys(&full).iter().filter(|k| !["pods", "placements"].contains(&k.as_str())) {
            assert_eq!(lean[key], full[key], "{key}");
        }
        // Placements: the same records without their score tables (the full document has some: two nodes were
        // feasible for the Deployment's first pods).
        let mut placements = full["placements"].clone();
        let scored = placements.as_array_mut().unwrap().iter_mut().filter_map(|r| r.as_object_mut().unwrap().remove("scores")).count();
        assert!(scored > 0);
        assert_eq!(lean["placements"], placements);
        // Pods: in the same order, each with only these fields, as the full pod has them; containers with their
        // names, images and resources. One is Pending (no node, its PodScheduled condition saying why).
        let kept = [
            ("metadata", &["labels", "name", "namespace", "ownerReferences", "uid", "deletionTimestamp"][..]),
            ("spec", &["containers", "nodeName", "priority", "schedulerName"]),
            ("status", &["conditions", "message", "nominatedNodeName", "phase", "reason"]),
        ];
        let (pods, full_pods) = (lean["pods"].as_array().unwrap(), full["pods"].as_array().unwrap());
        assert_eq!(pods.len(), 5);
        assert_eq!(pods.iter().filter(|p| p["spec"]["nodeName"].is_null()).count(), 1);
        for (pod, full_pod) in pods.iter().zip(full_pods) {
            assert_eq!(keys(pod), ["apiVersion", "kind", "metadata", "spec", "status"]);
            assert_eq!((&pod["apiVersion"], &pod["kind"]), (&full_pod["apiVersion"], &full_pod["kind"]));
            for (part, fields) in kept {
                assert!(keys(&pod[part]).iter().all(|k| fields.contains(&k.as_str())), "{part}: {:?}", keys(&pod[part]));
                for field in fields.iter().filter(|f| **f != "containers") {
                    assert_eq!(pod[part][field], full_pod[part][field], "{part}.{field}");
                }
            }
            let containers: Vec<Value> = full_pod["spec"]["containers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| json!({"name": c["name"], "image": c["image"], "resources": c["resources"]}))
                .collect();
            assert_eq!(pod["spec"]["containers"], Value::Array(containers));
        }
    }

    /// Two nodes, one tainted; a DaemonSet that tolerates nothing and a Deployment, both with requests.
    fn tainted_cluster(verdicts: bool) -> PlanReport {
        let input = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec: {taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}\nstatus: {capacity: {cpu: '1', memory: 1Gi, pods: '110'}}\n---\n\
            apiVersion: v1\nkind: Node\nmetadata: {name: n2}\nstatus: {capacity: {cpu: '2', memory: 2Gi, pods: '20', nvidia.com/gpu: '1'}}\n---\n\
            apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: a, image: 'a:1', resources: {requests: {cpu: 100m, memory: 64Mi}}}]\n---\n\
            apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: 'w:1', resources: {requests: {cpu: 600m, memory: 100Mi}}}]\n";
        let options = crate::facade::PlanOptions { verdicts, ..Default::default() };
        plan(PlanRequest { manifests: vec![Source::new("in.yaml", input)], options, ..Default::default() })
    }

    #[test]
    fn nodes_say_what_the_pods_bound_to_them_request() {
        let doc = to_value(&tainted_cluster(false));
        let amounts = |cpu: i64, mem: i64, pods: i64| json!({"ephemeralStorage": 0, "memory": mem, "milliCpu": cpu, "pods": pods});
        let mut n2_allocatable = amounts(2000, 2 << 30, 20);
        n2_allocatable["scalar"] = json!({"nvidia.com/gpu": 1});
        assert_eq!(
            doc["nodes"],
            json!([
                {"name": "n1", "allocatable": amounts(1000, 1 << 30, 110), "requested": amounts(0, 0, 0)},
                {"name": "n2", "allocatable": n2_allocatable, "requested": amounts(1300, (64 + 200) << 20, 3)},
            ])
        );
        assert!(doc.get("daemonSetNodes").is_none(), "only with verdicts kept");
    }

    #[test]
    fn with_verdicts_a_daemonset_says_why_it_skips_a_node() {
        let p = tainted_cluster(true);
        let doc = to_value(&p);
        assert_eq!(
            doc["daemonSetNodes"],
            json!([{"daemonSet": "default/agent", "message": "untolerated taint dedicated=gpu:NoSchedule", "node": "n1", "reason": "Taint"}])
        );
        assert_eq!(to_string(&p), serde_json::to_string_pretty(&doc).unwrap() + "\n");
    }
}
