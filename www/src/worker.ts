// The planner, off the main thread: loads the engine once and answers the page's messages (typed in
// protocol.ts):
//
//   {id, lintId, type: "run", request, lintFiles} → {id, type: "result", summary, errors, clock}, then
//                                                   {id: lintId, type: "lint", findings, errors}
//   {id, type: "pod", pod: "ns/name"}             → {id, type: "pod", placements, pod} (every node's verdict and
//                                                   the pod's detail, last run)
//   {id, type: "events"}                          → {id, type: "events", events} (all of the last run's)
//   {id, type: "steps"}                           → {id, type: "steps", steps} (with their actions)
//   {id, type: "ds-node", daemonSet, node}        → {id, type: "ds-node", entry} (why no pod of it there)
//   {id, type: "requests"}                        → {id, type: "requests", shapes, ofPod, ofWorkload} (the
//                                                   pods' requests as the engine counts them: pod-requests.ts)
// A run's long lists, all the events and the steps with their actions may come first in {id, type: "part", key,
// items} messages (postParts).
// A run or lint overtaken by a newer run before it started is answered {id, type: "superseded"}.
//
// A run asks the engine for its lean document (the package's `lean` option: pods without their full spec and
// status, placements without score tables): at 1,000 nodes less than half the text of the full one, read in half
// the time. `summary` is that document with what the page does not draw left out (defaultedObjects become a node
// list carrying the engine's allocation figures, pods keep what the panels read, events the first 200), and only
// the placements that carry a message (every verdict comes with a "pod" request, from a full plan with verdicts),
// so that what crosses to the page stays small for 10,000 nodes. The lean document of the last run stays here.
//
// The input's plans are incremental (the package's `incremental` option): the engine parses only the documents
// that changed since the last one (an edit of the manifests leaves the nodes' thousand documents as they were
// read), a quarter of a 1,000-node plan's time. The warm-up plans are not, and leave what the engine keeps alone.

import init, { plan, planJson, lint, version } from "kubeplan";
import type { DaemonSet, Job, Node, NodeRecord, PlacementRecord, PlanDocument, PlanRequest, Pod } from "kubeplan";
import { labelKeys } from "./map-model.ts";
import { podRequests } from "./pod-requests.ts";
import { sharedNow } from "./timing.ts";
import { toJsonText } from "./protocol.ts";
import type {
  Answer,
  Answers,
  Failed,
  LintAnswer,
  NodeSummary,
  PageToWorker,
  PartKey,
  PartLists,
  PlacementSummary,
  PlanSummary,
  PodSummary,
  PostedPart,
  Question,
  RunAnswer,
  RunRequest,
  WorkerToPage,
  WorkloadSpec,
} from "./protocol.ts";

/**
 * The worker's global scope, as much of it as this file uses. The project is checked with the DOM lib (the
 * page's), where `self` is a Window; in this module it is a dedicated worker's scope, and what it posts is
 * the protocol's.
 */
declare const self: {
  readonly location: Location;
  postMessage(message: WorkerToPage): void;
  onmessage: ((event: MessageEvent<PageToWorker>) => void) | null;
};

const ready = init(new URL("kubeplan_bg.wasm", self.location.href)).then(() => {
  // Warm the engine up: the first plans run in the baseline compiler's code; a few small ones let the hot
  // functions tier up before the user's (possibly large) input arrives.
  const warm = `apiVersion: v1
kind: Node
metadata: {name: n1, labels: {kubernetes.io/hostname: n1}}
status: {capacity: {cpu: "4", memory: 8Gi, pods: "110"}, conditions: [{type: Ready, status: "True"}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: w}
spec:
  selector: {matchLabels: {app: w}}
  template:
    metadata: {labels: {app: w}}
    spec: {containers: [{name: c, image: x, resources: {requests: {cpu: 10m}}}]}
`;
  for (let i = 0; i < 3; i++) plan(warm);
});

// Then, once the first input is answered and while nothing is asked, a cluster of WARM_NODES nodes with a
// DaemonSet and a spread Deployment: the paths a large input takes (YAML of many nodes, the node tree, filters
// and scores over many nodes, the JSON writer) get compiled by the optimising tier before a large input needs
// them. In Chromium the first 1,000-node plan then takes about 0.9 s instead of 1.7 s.
const WARM_NODES = 300;
let warmed = false;
function warmLater() {
  if (warmed) return;
  setTimeout(() => {
    if (warmed || queuedRun || queuedLint) return warmLater();
    warmed = true;
    planJson(warmCluster(WARM_NODES));
  }, 100);
}

// And after a plan of at most REPLAY_MAX_NODES nodes that kept the engine REPLAY_MIN_MS or more, while nothing is
// asked: that input planned again (incremental: the same documents, so the engine's parse cache is left as the next
// edit wants it), at most REPLAYS times in the worker's life. Chromium's V8 moves a WebAssembly function to its
// optimising compiler only once the function has spent a tiering budget in the baseline compiler's code, and
// Chromium 156's budget is seven times Node 20's (V8's --wasm-tiering-budget: 13,000,000 against 1,800,000): after
// the warm cluster and the first large plan, part of a 1,000-node re-plan's hot code was still baseline code for the
// next few edits, and its recompilation took the machine's other core meanwhile. Planning the same input again moves
// that code up while the user reads the map. Measured on the 1,000-node example, 7 edits after the e2e test's 2 s
// pause, 3 interleaved runs each at load averages of 5 to 10: the engine's median 371 ms without, 304 ms with 4
// replays, 279 ms with 8; the renderer's compiler threads ran 95, 51 and 27 ms beside each edit's plan. The price:
// an edit that comes during a replay waits for it (once in the worker's life, within a second or two of the first
// large plan; with 8 replays under a load of 10 the e2e test's first edits waited up to 316 ms for them, hence 4). A
// plan of more nodes (10,000: seconds each) is not replayed: a core taken for that long stretched the page's
// main-thread tasks (the 10,000-node grid test). Nodes rather than milliseconds: the first 1,000-node plan, still in
// the baseline tier, takes about as long as a warm plan of 10,000.
const REPLAYS = 4;
const REPLAY_MIN_MS = 100;
const REPLAY_MAX_NODES = 2000;
let replays = 0;
let replayWanted = false;
let replayTimer = false;
function replayLater() {
  if (!replayWanted || replays >= REPLAYS || replayTimer) return;
  replayTimer = true;
  setTimeout(() => {
    replayTimer = false;
    if (!replayWanted || replays >= REPLAYS || !last) return;
    if (!warmed || queuedRun || queuedLint) return replayLater();
    replays++;
    planJson(last.request, { lean: true, incremental: true });
    replayLater();
  }, 150);
}

function warmCluster(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `warm-${i}`;
    docs.push(
      `{apiVersion: v1, kind: Node, metadata: {name: ${name}, labels: {kubernetes.io/hostname: ${name}, topology.kubernetes.io/zone: z${i % 3}}}${i % 7 === 0 ? ", spec: {taints: [{key: k, effect: NoSchedule}]}" : ""}, status: {capacity: {cpu: "4", memory: 8Gi, pods: "110"}, conditions: [{type: Ready, status: "True"}]}}`,
    );
  }
  docs.push(`{apiVersion: apps/v1, kind: DaemonSet, metadata: {name: d}, spec: {selector: {matchLabels: {a: d}}, template: {metadata: {labels: {a: d}}, spec: {containers: [{name: c, image: x, resources: {requests: {cpu: 10m}}}]}}}}`);
  docs.push(
    `{apiVersion: apps/v1, kind: Deployment, metadata: {name: w}, spec: {replicas: 10, selector: {matchLabels: {a: w}}, template: {metadata: {labels: {a: w}}, spec: {topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {a: w}}}], containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]}}}}`,
  );
  return docs.join("\n---\n");
}

/** The last run: its input, its lean plan, and its full plan with verdicts once one was asked for. */
interface LastRun {
  request: PlanRequest;
  doc: PlanDocument | null;
  verdictsDoc: PlanDocument | null;
}
let last: LastRun | null = null;

// The package types a stored object as unknown JSON (any kind may be stored); its `kind` says which it is.
const isKind = (o: unknown, kind: string): boolean => typeof o === "object" && o !== null && "kind" in o && o.kind === kind;
const isNode = (o: unknown): o is Node => isKind(o, "Node");
const isDaemonSet = (o: unknown): o is DaemonSet => isKind(o, "DaemonSet");
const isJob = (o: unknown): o is Job => isKind(o, "Job");

/**
 * A node as the page draws it, with the engine's figures for it (the plan's `nodes` entry: `{allocatable,
 * requested}`, cpu in millicores, memory in bytes) when the plan has them (not for a node a step deleted, nor
 * from an engine from before the plan had `nodes`).
 */
function nodeSummary(obj: Node, figures: NodeRecord | undefined): NodeSummary {
  const spec = obj.spec ?? {};
  const status = obj.status ?? {};
  const ready = (status.conditions ?? []).find((c) => c.type === "Ready");
  const node: NodeSummary = {
    name: obj.metadata?.name ?? "",
    labels: obj.metadata?.labels ?? {},
    taints: spec.taints ?? [],
    unschedulable: !!spec.unschedulable,
    ready: ready ? (ready.status ?? "") : "Unknown",
  };
  if (figures) node.resources = { allocatable: figures.allocatable, requested: figures.requested };
  return node;
}

/**
 * A pod with what the page's lists read of it: its name, controller, node, scheduler, phase, and the
 * PodScheduled=False condition that says why it is Pending. A defaulted pod is about 2.5 kB of JSON, mostly
 * volumes and tolerations no panel shows; 10,000 of them, or even their labels and conditions, copied to the
 * page would hold its main thread (decoding them, then collecting the garbage) for a long moment. The detail of
 * one pod comes with a "pod" request (podForDetail).
 */
function slimPod(p: Pod): PodSummary {
  const m = p.metadata ?? {};
  const spec = p.spec ?? {};
  const status = p.status ?? {};
  const ref = (m.ownerReferences ?? []).find((r) => r.controller) ?? m.ownerReferences?.[0];
  const pod: PodSummary = {
    metadata: { name: m.name ?? "", namespace: m.namespace ?? "", ownerReferences: ref ? [{ kind: ref.kind, name: ref.name, controller: true }] : [] },
    spec: {},
    status: { phase: status.phase },
  };
  if (m.deletionTimestamp) pod.metadata.deletionTimestamp = m.deletionTimestamp;
  if (spec.nodeName) pod.spec.nodeName = spec.nodeName;
  if (spec.schedulerName && spec.schedulerName !== "default-scheduler") pod.spec.schedulerName = spec.schedulerName;
  const unscheduled = (status.conditions ?? []).find((c) => c.type === "PodScheduled" && c.status === "False");
  if (unscheduled) pod.status.conditions = [unscheduled];
  return pod;
}

/** A pod as its detail shows it: labels, images, every condition (all in the lean document's pods). */
function podForDetail(p: Pod): PodSummary {
  const m = p.metadata ?? {};
  return {
    metadata: { name: m.name ?? "", namespace: m.namespace ?? "", labels: m.labels, ownerReferences: m.ownerReferences, deletionTimestamp: m.deletionTimestamp },
    spec: { nodeName: p.spec?.nodeName, schedulerName: p.spec?.schedulerName, containers: (p.spec?.containers ?? []).map(({ name, image }) => ({ name, image })) },
    status: { phase: p.status?.phase, conditions: (p.status?.conditions ?? []).map(({ type, status, reason, message }) => ({ type, status, reason, message })) },
  };
}

/** How many events the summary carries; the rest come on request ("events"). */
const EVENTS_SENT = 200;

/** `Kind/namespace/name`, as model.ts `wkey` keys a workload. */
const workloadKey = (kind: string, o: DaemonSet | Job) => `${kind}/${o.metadata?.namespace ?? "default"}/${o.metadata?.name}`;

function summarize(doc: PlanDocument | null): PlanSummary | null {
  if (!doc) return null;
  const figures = new Map((doc.nodes ?? []).map((n) => [n.name, n]));
  // Nodes in the order a person reads them: the final state of every Node the phases stored (a node deleted by a
  // step is gone from the cluster but its pods' history still names it, so it is kept, marked deleted).
  const nodes = new Map<string | undefined, NodeSummary>();
  for (const d of doc.defaultedObjects ?? []) {
    const o = d.object;
    if (isNode(o)) nodes.set(o.metadata?.name, nodeSummary(o, figures.get(o.metadata?.name ?? "")));
  }
  // What `kubectl get` prints from a workload's spec: a DaemonSet's node selector, a Job's completions.
  const workloadSpecs: Record<string, WorkloadSpec> = {};
  for (const d of doc.defaultedObjects ?? []) {
    const o = d.object;
    if (isDaemonSet(o)) {
      const sel = o.spec?.template?.spec?.nodeSelector ?? {};
      workloadSpecs[workloadKey("DaemonSet", o)] = { nodeSelector: Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(",") };
    } else if (isJob(o)) {
      workloadSpecs[workloadKey("Job", o)] = { completions: o.spec?.completions ?? 1 };
    }
  }
  const { defaultedObjects, placements, pods, events, daemonSetNodes, nodes: _figures, ...rest } = doc;
  const nodeList = [...nodes.values()];
  return {
    ...rest,
    // The steps' actions are read only when the timeline is moved ("steps" asks for them).
    steps: (doc.steps ?? []).map(({ actions: _, ...st }) => st),
    workloadSpecs,
    nodes: nodeList,
    // The map's "group by" choices, found here: a pass over every label of 10,000 nodes is not for the page.
    labelKeys: labelKeys(nodeList),
    pods: (pods ?? []).map(slimPod),
    events: (events ?? []).slice(0, EVENTS_SENT),
    eventCount: (events ?? []).length,
    placements: lastMessages(placements ?? []),
  };
}

/**
 * Each pod's last placement that carries a message, without its verdicts: the page reads a placement only for a
 * Pending pod's message (model.ts `pendingMessage`), and every verdict comes with a "pod" request. A pod the
 * scheduler tried in each of several rounds has a placement per try: 3,000 Pending pods on 200 nodes made 19,500
 * (5 MB of JSON), in order of the tries.
 */
function lastMessages(placements: readonly PlacementRecord[]): PlacementSummary[] {
  const last = new Map<string, PlacementSummary>();
  for (const { scores: _s, rejected: _r, ...p } of placements) {
    if (!p.message) continue;
    last.delete(p.pod); // kept in the order of each pod's last try
    last.set(p.pod, p);
  }
  return [...last.values()];
}

/**
 * The engine's plan document read from its text (null: the input could not be planned). Parsing the text here is
 * faster than the engine building the objects itself (`plan`: serde-wasm-bindgen makes one JavaScript call per
 * value): for 1,000 nodes about 350 ms + 35 ms against 500 ms.
 */
const readPlan = (text: string | null): PlanDocument | null => (text === null ? null : JSON.parse(text));

function run(msg: QueuedRun): RunAnswer {
  const started = sharedNow();
  const r = planJson(msg.request, { lean: true, incremental: true });
  const planned = sharedNow();
  const doc = readPlan(r.text);
  const parsed = sharedNow();
  last = { request: msg.request, doc, verdictsDoc: null };
  const summary = summarize(doc);
  if (summary && planned - started >= REPLAY_MIN_MS) replayWanted = summary.nodes.length <= REPLAY_MAX_NODES;
  const summarized = sharedNow();
  return {
    id: msg.id,
    type: "result",
    ok: r.ok,
    exitCode: r.exitCode,
    errors: r.errors,
    summary,
    // `sent` is set when the answer is posted.
    clock: { received: msg.received, started, planned, parsed, summarized, sent: summarized },
    version: version(),
  };
}

function runLint(msg: RunRequest): LintAnswer {
  const t0 = performance.now();
  const r = lint(msg.lintFiles);
  return { id: msg.lintId, type: "lint", findings: r.findings, errors: r.errors, ms: performance.now() - t0 };
}

/**
 * The last input's plan as `kubeplan plan --output json` prints it, byte for byte (planned again on request rather
 * than kept: downloads are rare and the text of a large plan is tens of MB).
 */
function planText(msg: { id: number }): Answers["plan-text"] {
  if (!last) return { id: msg.id, type: "plan-text", text: null };
  return { id: msg.id, type: "plan-text", text: planJson(last.request, { incremental: true }).text };
}

/** The last run's steps with their actions (the summary's steps have none). */
function allSteps(msg: { id: number }): Answers["steps"] {
  return { id: msg.id, type: "steps", steps: last?.doc?.steps ?? [] };
}

/** Every event of the last run (the summary carries the first EVENTS_SENT). */
function allEvents(msg: { id: number }): Answers["events"] {
  return { id: msg.id, type: "events", events: last?.doc?.events ?? [] };
}

/**
 * Why a DaemonSet runs no pod on a node: its `daemonSetNodes` entry in the plan made with verdicts (the engine
 * writes them only there), or null when the plan has none for it.
 */
function daemonSetNode(msg: { id: number; daemonSet: string; node: string }): Answers["ds-node"] {
  if (!last?.doc) return { id: msg.id, type: "ds-node", entry: null };
  const doc = verdictsDoc(last, last.doc);
  const entry = (doc.daemonSetNodes ?? []).find((e) => e.daemonSet === msg.daemonSet && e.node === msg.node) ?? null;
  return { id: msg.id, type: "ds-node", entry };
}

/** The last run's plan made with verdicts (`doc`, its plan without, when that one fails). */
function verdictsDoc(run: LastRun, doc: PlanDocument): PlanDocument {
  // The plan without verdicts keeps rejected nodes only for some decisions: ask again with every verdict, once.
  run.verdictsDoc ??= readPlan(planJson(run.request, { verdicts: true, incremental: true }).text) ?? doc;
  return run.verdictsDoc;
}

function podDetail(msg: { id: number; pod: string }): Answers["pod"] {
  if (!last?.doc) return { id: msg.id, type: "pod", placements: [] };
  const placements = (verdictsDoc(last, last.doc).placements ?? []).filter((p) => p.pod === msg.pod);
  const pod = (last.doc.pods ?? []).find((p) => `${p.metadata?.namespace}/${p.metadata?.name}` === msg.pod);
  return { id: msg.id, type: "pod", placements, pod: pod ? podForDetail(pod) : null };
}

// Runs are coalesced: while one is being planned, newer ones queue up, and only the newest is planned (the page
// ignores answers to older ones anyway); its lint runs after the plan is answered, unless a newer run came.
/**
 * A run waiting to be planned, with the ids of the runs and lints it overtook (answered "superseded") and when
 * it came (the shared clock, timing.ts).
 */
type QueuedRun = RunRequest & { superseded: number[]; received: number };
let queuedRun: QueuedRun | null = null;
let queuedLint: QueuedRun | null = null;
let draining = false;

function drain() {
  if (draining) return;
  draining = true;
  setTimeout(async () => {
    draining = false;
    await ready;
    if (queuedRun) {
      const msg = queuedRun;
      queuedRun = null;
      // The lint of the run answered last, if still waiting, is overtaken too (this run came while it was planned).
      if (queuedLint) msg.superseded.push(queuedLint.lintId);
      for (const stale of msg.superseded) self.postMessage({ id: stale, type: "superseded" });
      postInParts(safely(msg, run));
      queuedLint = msg.lintFiles?.length ? msg : null;
      if (queuedLint || queuedRun) drain();
    } else if (queuedLint) {
      const msg = queuedLint;
      queuedLint = null;
      self.postMessage(safely({ id: msg.lintId }, () => runLint(msg)));
    }
    if (!queuedRun && !queuedLint) {
      warmLater();
      replayLater();
    }
  }, 0);
}

/** Items per "part" message. */
const PART = 1000;

/**
 * Post a run's answer, its long lists first in parts of about PART items: the page decodes each message in a
 * task of its own, and one message of 10,000 pods would hold its main thread for hundreds of milliseconds.
 * Each part is `{id, type: "part", key, items}`; the answer that follows has those lists empty and names them
 * in `parts`, and the page puts them back. Summaries and parts go as JSON text (protocol.ts `JsonText`).
 */
function postInParts(answer: RunAnswer | Failed): void {
  if (answer.type !== "result") {
    self.postMessage(answer);
    return;
  }
  answer.clock.sent = sharedNow();
  const s = answer.summary;
  const parts: PartKey[] = [];
  for (const key of ["pods", "nodes", "steps"] as const) {
    if (s && postParts(answer.id, key, s[key])) {
      s[key] = [];
      parts.push(key);
    }
  }
  self.postMessage({ ...answer, parts, summary: toJsonText(s) });
}

/**
 * Post the answer to a question. Every event (18,000 at 10,000 nodes) and the steps with their actions come in
 * parts, as a run's long lists do: one message of them all held the page's main thread for some 300 ms while it
 * was decoded. A pod's decisions, a verdict per node, go as JSON text (protocol.ts `PostedPodAnswer`).
 */
function postAnswer(a: Answer | Failed): void {
  if (a.type === "events" && postParts(a.id, "events", a.events)) self.postMessage({ ...a, events: [], parts: ["events"] });
  else if (a.type === "steps" && postParts(a.id, "fullSteps", a.steps, (s) => 1 + (s.actions?.length ?? 0))) self.postMessage({ ...a, steps: [], parts: ["fullSteps"] });
  else if (a.type === "pod") self.postMessage({ ...a, placements: toJsonText(a.placements) });
  else self.postMessage(a);
}

/**
 * `list` posted under `id` and `key` in parts of about PART items (by `weight`: a step weighs its actions), as JSON
 * text, if it weighs more than a part; true if it was.
 */
function postParts<K extends PartKey>(id: number, key: K, list: PartLists[K], weight: (item: PartLists[K][number]) => number = () => 1): boolean {
  const parts = inParts<PartLists[K][number]>(list, weight);
  if (parts.length <= 1) return false;
  for (const items of parts) self.postMessage({ id, type: "part", key, items: toJsonText(items) } as PostedPart);
  return true;
}

/** `list` cut into consecutive slices of about PART by `weight`. */
function inParts<T>(list: readonly T[], weight: (item: T) => number): T[][] {
  const out: T[][] = [];
  let start = 0;
  let sum = 0;
  list.forEach((item, i) => {
    sum += weight(item);
    if (sum >= PART || i === list.length - 1) {
      out.push(list.slice(start, i + 1));
      start = i + 1;
      sum = 0;
    }
  });
  return out;
}

/** What the page asks of the last plan once it is drawn. */
function answer(q: Question): Answer {
  switch (q.type) {
    case "pod":
      return podDetail(q);
    case "steps":
      return allSteps(q);
    case "events":
      return allEvents(q);
    case "ds-node":
      return daemonSetNode(q);
    case "plan-text":
      return planText(q);
    case "requests":
      return { id: q.id, type: "requests", ...podRequests(last?.doc ?? null) };
  }
}

/** `fn(msg)`, or a "failed" answer under `msg.id` saying what the engine threw. */
function safely<M extends { id: number }, A>(msg: M, fn: (msg: M) => A): A | Failed {
  try {
    return fn(msg);
  } catch (err) {
    return { id: msg.id, type: "failed", message: err instanceof Error ? err.message : String(err) };
  }
}

self.onmessage = async (e) => {
  const msg = e.data;
  if (msg.type === "run") {
    const received = sharedNow();
    const superseded = queuedRun ? [queuedRun.id, queuedRun.lintId, ...queuedRun.superseded] : [];
    if (queuedLint) superseded.push(queuedLint.lintId);
    queuedLint = null;
    queuedRun = { ...msg, superseded, received };
    drain();
  } else {
    await ready;
    postAnswer(safely(msg, answer));
  }
};
