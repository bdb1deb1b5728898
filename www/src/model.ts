// What the page draws, derived from the plan (no DOM here, so Node tests can check it): the grid's columns
// (top-level workloads), its cells (pods per node and workload), the Pending pods with their messages, the
// `kubectl get` rows, and the timeline's frames replayed from `steps`.

import type { Action, Amounts, DaemonSetStatus, DeploymentStatus, JobStatus, ReplicaSetStatus, RolloutLine, Stall, StallReason, StatefulSetStatus, Step, Taint, Workload } from "kubeplan";
import type { NodeSummary, PlacementSummary, PlanSummary, PodRequests, PodSummary, WorkloadSpec } from "./protocol.ts";

export const BARE = "Pod/(no controller)";

/** A taint as kubectl prints it: `key=value:effect`, or `key:effect` without a value. */
export function taintText(t: Taint): string {
  return `${t.key}${t.value ? "=" + t.value : ""}:${t.effect}`;
}

/** `Kind/namespace/name` of a workload. */
export const wkey = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

/** ReplicaSets owned by a Deployment map to the Deployment; everything else to itself. */
function ownerResolver(workloads: readonly Workload[] | undefined): (key: string) => string {
  const up = new Map<string, string>();
  for (const w of workloads ?? []) {
    if (w.ownerKind && w.ownerName) up.set(wkey(w.kind, w.namespace, w.name), wkey(w.ownerKind, w.namespace, w.ownerName));
  }
  return (key) => {
    let k = key;
    for (let i = 0, next = up.get(k); i < 4 && next !== undefined; i++, next = up.get(k)) k = next;
    return k;
  };
}

function podOwnerKey(pod: Pick<PodSummary, "metadata">): string {
  const ref = (pod.metadata?.ownerReferences ?? []).find((r) => r.controller) ?? pod.metadata?.ownerReferences?.[0];
  return ref ? wkey(ref.kind ?? "", pod.metadata.namespace || "default", ref.name ?? "") : BARE;
}

/** A pod's top-level workload (its grid column): `Kind/namespace/name` (a ReplicaSet's Deployment), or BARE. */
export function podWorkload(workloads: readonly Workload[] | undefined): (pod: Pick<PodSummary, "metadata">) => string {
  const top = ownerResolver(workloads);
  return (pod) => top(podOwnerKey(pod));
}

/** The state a pod is shown in: Running, Pending, Succeeded, Failed, Terminating. */
export function podState(pod: PodSummary): string {
  if (pod.metadata?.deletionTimestamp) return "Terminating";
  const phase = pod.status?.phase || "Pending";
  return phase;
}

/**
 * The scheduler's message for a pod left Pending, exactly as its PodScheduled condition carries it. Without one,
 * why the scheduler left it alone: no profile of its configuration (`schedulerConfiguration`, the plan's
 * effective KubeSchedulerConfiguration; the default configuration's one profile when absent) has its name.
 */
export interface PendingMessage {
  message: string;
  reason: string;
  /** Whether `message` is the scheduler's own (shown as it is) or the page's explanation. */
  fromScheduler: boolean;
}

export function pendingMessage(
  pod: PodSummary,
  placements: readonly PlacementSummary[] | undefined,
  schedulerConfiguration: Record<string, unknown> | undefined,
): PendingMessage {
  const cond = (pod.status?.conditions ?? []).find((c) => c.type === "PodScheduled" && c.status === "False");
  if (cond?.message) return { message: cond.message, reason: cond.reason ?? "", fromScheduler: true };
  const last = lastMessageOf(placements).get(`${pod.metadata.namespace}/${pod.metadata.name}`);
  if (last) return { message: last, reason: "Unschedulable", fromScheduler: true };
  const sched = pod.spec?.schedulerName || "default-scheduler";
  const profiles = profileNames(schedulerConfiguration);
  if (!profiles.includes(sched)) {
    return {
      message: `No message: spec.schedulerName is ${sched}, and no profile of the scheduler has that name (${profiles.join(", ")}); it leaves the pod alone.`,
      reason: "",
      fromScheduler: false,
    };
  }
  return { message: "Not scheduled yet.", reason: "", fromScheduler: false };
}

/** lastMessageOf's maps, by the placements they were made from. */
const messagesOf = new WeakMap<readonly PlacementSummary[], Map<string, string>>();

/** Each pod's last scheduling message in `placements`, by "ns/name": made once per list (a frame asks for thousands of pods). */
function lastMessageOf(placements: readonly PlacementSummary[] | undefined): Map<string, string> {
  if (!placements) return new Map();
  let last = messagesOf.get(placements);
  if (!last) {
    last = new Map();
    for (const p of placements) if (p.message) last.set(p.pod, p.message);
    messagesOf.set(placements, last);
  }
  return last;
}

/**
 * The scheduler names of a KubeSchedulerConfiguration's profiles (the package types it as a plain JSON object):
 * the default configuration's one profile when there is no configuration.
 */
function profileNames(config: Record<string, unknown> | undefined): string[] {
  const profiles: unknown = config?.["profiles"];
  if (!Array.isArray(profiles)) return ["default-scheduler"];
  return profiles.map((p: unknown) => (typeof p === "object" && p !== null && "schedulerName" in p ? String(p.schedulerName) : ""));
}

/** A grid column: a top-level workload, or the pods no controller owns (`BARE`). */
export interface Column {
  key: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * A row's node: one of the summary's, or one a pod's `spec.nodeName` names that the input does not have
 * (`missing`, with no figures or conditions).
 */
export type GridNode =
  | (NodeSummary & { missing?: undefined })
  | { name: string; missing: true; labels: Record<string, string>; taints: Taint[]; unschedulable?: undefined; ready?: undefined; resources?: undefined };

/** A node's pods by column key. */
export interface Row {
  node: GridNode;
  cells: Map<string, PodSummary[]>;
}

export interface Grid {
  columns: Column[];
  rows: Row[];
  /** The pods with no node, by column key. */
  pending: Map<string, PodSummary[]>;
}

/** `Kind/namespace/name` back into a column (names have no "/", the key's first two do). */
function column(key: string): Column {
  const [kind = "", namespace = "", name = ""] = key.split("/");
  return { key, kind, namespace, name };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The grid: `{columns: [{key, kind, namespace, name}], rows: [{node, cells: Map(columnKey → pods[])}], pending:
 * Map(columnKey → pods[])}`. Rows follow the node list (name order); pods on a node that is not in the list (a
 * nodeName naming no node) get a row of their own, marked missing.
 */
export function buildGrid(
  summary: Pick<PlanSummary, "workloads" | "nodes" | "pods"> | null | undefined,
  pods: readonly PodSummary[] = summary?.pods ?? [],
): Grid {
  const top = ownerResolver(summary?.workloads);
  const columns = new Map<string, Column>();
  for (const w of summary?.workloads ?? []) {
    const k = top(wkey(w.kind, w.namespace, w.name));
    if (!columns.has(k)) columns.set(k, column(k));
  }
  const nodes = [...(summary?.nodes ?? [])].sort(byName);
  const rowOf = new Map(nodes.map((n): [string, Row] => [n.name, { node: n, cells: new Map() }]));
  const pending = new Map<string, PodSummary[]>();
  for (const pod of pods) {
    const col = top(podOwnerKey(pod));
    if (!columns.has(col)) columns.set(col, col === BARE ? { key: col, kind: "Pod", namespace: "", name: "(no controller)" } : column(col));
    const nodeName = pod.spec?.nodeName;
    let cells = pending;
    if (nodeName) {
      let row = rowOf.get(nodeName);
      if (!row) rowOf.set(nodeName, (row = { node: { name: nodeName, missing: true, labels: {}, taints: [] }, cells: new Map() }));
      cells = row.cells;
    }
    const list = cells.get(col);
    if (list) list.push(pod);
    else cells.set(col, [pod]);
  }
  // Bare pods last; workloads in kind order as kubectl get lists them, then namespace/name.
  const order: Partial<Record<string, number>> = { DaemonSet: 0, Deployment: 1, ReplicaSet: 2, StatefulSet: 3, Job: 4, Pod: 9 };
  const cols = [...columns.values()].sort(
    (a, b) => (order[a.kind] ?? 5) - (order[b.kind] ?? 5) || (a.namespace + "/" + a.name).localeCompare(b.namespace + "/" + b.name),
  );
  const rows = [...rowOf.values()].sort((a, b) => byName(a.node, b.node));
  return { columns: cols, rows, pending };
}

/** The grids made, by the pods they place (a summary's, or a timeline frame's) and the summary they came with. */
const grids = new WeakMap<readonly PodSummary[], { summary: object | null | undefined; grid: Grid }>();

/**
 * buildGrid, made once for a summary and its pods: the map and the grid share it, and draw again (a filter, a
 * switch between them) without making it again. The grid is not to be changed.
 */
export function sharedGrid(summary: Pick<PlanSummary, "workloads" | "nodes" | "pods"> | null | undefined, pods: readonly PodSummary[] = summary?.pods ?? []): Grid {
  const made = grids.get(pods);
  if (made && made.summary === summary) return made.grid;
  const grid = buildGrid(summary, pods);
  grids.set(pods, { summary, grid });
  return grid;
}

/** A row of the grid as drawn: a node's (`key` its name), or the Pending pods' (`node` null, `key` ""). */
export interface GridItem {
  key: string;
  node: GridNode | null;
  cells: Map<string, PodSummary[]>;
}

/**
 * The grid's rows that the filters keep, in the order drawn: the Pending pods' first (when there are any), then
 * each node whose name contains `filter` (trimmed) and, with `onlyUsed`, that has pods. `hidden` counts the
 * nodes left out.
 */
export function gridItems(grid: Grid, filter: string, onlyUsed: boolean): { items: GridItem[]; hidden: number } {
  const needle = filter.trim();
  const items: GridItem[] = grid.pending.size ? [{ key: "", node: null, cells: grid.pending }] : [];
  for (const row of grid.rows) {
    if ((needle && !row.node.name.includes(needle)) || (onlyUsed && row.cells.size === 0)) continue;
    items.push({ key: row.node.name, node: row.node, cells: row.cells });
  }
  const shown = items.length - (grid.pending.size ? 1 : 0);
  return { items, hidden: grid.rows.length - shown };
}

/** The rows drawn, `first` to `end` (excluded), and the heights of the rows above and below them (spacers). */
export interface GridWindow {
  first: number;
  end: number;
  before: number;
  after: number;
}

/**
 * Which of `count` rows to draw: those that reach into `top - overscan` to `bottom + overscan` (pixels from the
 * first row's top), `max` of them at most. `height(i)` is row i's height, measured or estimated.
 */
export function gridWindow(count: number, height: (i: number) => number, top: number, bottom: number, { overscan, max }: { overscan: number; max: number }): GridWindow {
  let y = 0;
  let first = 0;
  while (first < count - 1 && y + height(first) <= top - overscan) y += height(first++);
  const before = y;
  let end = first;
  while (end < count && end - first < max && (end === first || y < bottom + overscan)) y += height(end++);
  let after = 0;
  for (let i = end; i < count; i++) after += height(i);
  return { first, end, before, after };
}

/** Each workload kind's status type. */
interface StatusOf {
  DaemonSet: DaemonSetStatus;
  Deployment: DeploymentStatus;
  ReplicaSet: ReplicaSetStatus;
  StatefulSet: StatefulSetStatus;
  Job: JobStatus;
}

/** A workload whose `status` has the type of its `kind`: a union discriminated by `kind`. */
type KindedWorkload = { [K in keyof StatusOf]: Omit<Workload, "kind" | "status"> & { kind: K; status: StatusOf[K] } }[keyof StatusOf];

/**
 * The package types `status` as the union of every kind's status, apart from `kind`; the engine writes the one of
 * the workload's kind (types.d.ts: "of the type its kind has"), which this says to TypeScript.
 */
const kinded = (w: Workload) => w as KindedWorkload;

/** A `kubectl get` table. */
export interface StatusTable {
  title: string;
  header: string[];
  rows: string[][];
}

/** The `kubectl get` tables, as kubeplan's table output prints them (no AGE: a plan has no clock). */
export function statusTables(summary: Pick<PlanSummary, "workloads" | "workloadSpecs"> | null | undefined): StatusTable[] {
  const ds: string[][] = [];
  const deploy: string[][] = [];
  const rs: string[][] = [];
  const sts: string[][] = [];
  const jobs: string[][] = [];
  const specs = summary?.workloadSpecs ?? {};
  const n = (v: number | undefined) => String(v ?? 0);
  for (const w of (summary?.workloads ?? []).map(kinded)) {
    const spec: WorkloadSpec = specs[wkey(w.kind, w.namespace, w.name)] ?? {};
    if (w.kind === "DaemonSet") {
      ds.push([w.namespace, `daemonset.apps/${w.name}`, n(w.status.desiredNumberScheduled), n(w.status.currentNumberScheduled), n(w.status.numberReady), n(w.status.updatedNumberScheduled), n(w.status.numberAvailable), spec.nodeSelector || "<none>"]);
    } else if (w.kind === "Deployment") {
      deploy.push([w.namespace, `deployment.apps/${w.name}`, `${n(w.status.readyReplicas)}/${w.specReplicas ?? 1}`, n(w.status.updatedReplicas), n(w.status.availableReplicas)]);
    } else if (w.kind === "ReplicaSet") {
      rs.push([w.namespace, `replicaset.apps/${w.name}`, String(w.specReplicas ?? 1), n(w.status.replicas), n(w.status.readyReplicas)]);
    } else if (w.kind === "StatefulSet") {
      sts.push([w.namespace, `statefulset.apps/${w.name}`, `${n(w.status.readyReplicas)}/${w.specReplicas ?? 1}`]);
    } else if (w.kind === "Job") {
      const conds = w.status.conditions ?? [];
      const done = conds.some((c) => c.type === "Complete" && c.status === "True");
      const failed = conds.some((c) => c.type === "Failed" && c.status === "True");
      jobs.push([w.namespace, `job.batch/${w.name}`, done ? "Complete" : failed ? "Failed" : "Running", `${n(w.status.succeeded)}/${spec.completions ?? 1}`]);
    }
  }
  return [
    { title: "kubectl get ds", header: ["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR"], rows: ds },
    { title: "kubectl get deploy", header: ["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE"], rows: deploy },
    { title: "kubectl get rs", header: ["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY"], rows: rs },
    { title: "kubectl get sts", header: ["NAMESPACE", "NAME", "READY"], rows: sts },
    { title: "kubectl get jobs", header: ["NAMESPACE", "NAME", "STATUS", "COMPLETIONS"], rows: jobs },
  ].filter((t) => t.rows.length);
}

/** kubectl's tabwriter: columns padded to the widest cell plus three spaces. */
export function tabwrite(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => String(r[c] ?? "").length)));
  return all.map((r) => r.map((cell, c) => (c + 1 < r.length ? String(cell).padEnd((widths[c] ?? 0) + 3) : String(cell))).join("").trimEnd()).join("\n");
}

/**
 * A stalled rollout's reasons in sentences, the reasons of pods stuck for the same cause said once: each is a
 * sentence about one pod ("pod web-x is Pending: 0/200 nodes are available: ..."), and 3,000 Pending pods of one
 * Deployment made a line of 600 KB, laid out in one frame of the page for hundreds of milliseconds.
 */
export function stallReasonLines(reasons: readonly StallReason[]): string[] {
  const alike = new Map<string, { first: StallReason; count: number }>();
  for (const r of reasons) {
    const cause = `${r.reason}\u0000${r.schedulerMessage ?? r.message}`;
    const seen = alike.get(cause);
    if (seen) seen.count++;
    else alike.set(cause, { first: r, count: 1 });
  }
  return [...alike.values()].map(({ first, count }) => (count > 1 ? `${first.message} (and ${count - 1} other pod${count === 2 ? "" : "s"} alike)` : first.message));
}

/** The cluster after one round of the timeline. */
export interface Frame {
  phase: string;
  round: number;
  actions: Action[];
  pods: PodSummary[];
  rollout: RolloutLine[];
  stalls: Stall[];
}

/**
 * The timeline's frames: one per (phase, round) in `steps`, each with the pods as they stand after it, replayed
 * from the actions (create, bind, running, succeeded, delete). `rollout` lines (kubectl rollout status after each
 * round) and `stalls`, when the plan has them, are attached to their frame.
 */
export function timelineFrames(summary: TimelineInput): Frame[] {
  const steps = timelineFrameSteps(summary);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

type TimelineInput = { steps?: readonly Step[]; rollout?: readonly RolloutLine[]; stalls?: readonly Stall[] } | null | undefined;

/**
 * How many actions timelineFrameSteps replays between two of its steps. A round can hold ten thousand actions (a
 * DaemonSet's pods at 10,000 nodes, created, then bound), and a step per round made a task of a whole round.
 */
const ACTIONS_PER_STEP = 1000;

/**
 * timelineFrames in steps, one per round replayed and one every ACTIONS_PER_STEP actions within a round, for
 * tasks.ts `stepsInTasks` to run a slice per task: at 10,000 nodes the 36 rounds' frames copy some 330,000 pods.
 */
export function* timelineFrameSteps(summary: TimelineInput): Generator<void, Frame[], void> {
  const frames: Frame[] = [];
  const pods = new Map<string, PodSummary>(); // ns/name → pod-like object the grid can draw
  const rollout = summary?.rollout ?? [];
  const stalls = summary?.stalls ?? [];
  let replayed = 0;
  for (const step of summary?.steps ?? []) {
    for (const a of step.actions ?? []) {
      if (++replayed % ACTIONS_PER_STEP === 0) yield;
      if (a.kind !== "Pod") continue;
      const key = `${a.namespace}/${a.name}`;
      if (a.op === "delete") {
        pods.delete(key);
        continue;
      }
      let p = pods.get(key);
      if (!p) {
        const [ownerKind, ownerName] = (a.owner ?? "").split("/");
        const created: PodSummary = {
          metadata: {
            name: a.name,
            namespace: a.namespace,
            ownerReferences: a.owner ? [{ kind: ownerKind, name: ownerName, controller: true }] : [],
          },
          spec: {},
          status: { phase: "Pending" },
        };
        p = created;
      }
      p = { ...p, spec: { ...p.spec }, status: { ...p.status } };
      if (a.node) p.spec.nodeName = a.node;
      if (a.op === "running") p.status.phase = "Running";
      if (a.op === "succeeded") p.status.phase = "Succeeded";
      if (a.op === "failed") p.status.phase = "Failed";
      pods.set(key, p);
    }
    frames.push({
      phase: step.phase,
      round: step.round,
      actions: step.actions ?? [],
      pods: [...pods.values()],
      rollout: rollout.filter((r) => r.phase === step.phase && r.round === step.round),
      stalls: stalls.filter((s) => s.phase === step.phase && s.round === step.round),
    });
    yield;
  }
  return frames;
}

// ------------------------------------------------------------------ a round's figures

/** The pods' requests as the engine counts them (the worker's pod-requests.ts), by pod and by workload. */
export interface RoundRequests {
  /** By `namespace/name`: the plan's pods. */
  byPod: Map<string, Amounts>;
  /** By top-level workload: for a pod gone by the final state whose workload's pods all ask the same. */
  byWorkload: Map<string, Amounts>;
  /** A pod's top-level workload (podWorkload). */
  workloadOf: (pod: PodSummary) => string;
}

const NOTHING: Amounts = { ephemeralStorage: 0, memory: 0, milliCpu: 0, pods: 0 };

function addAmounts(a: Amounts, b: Amounts): Amounts {
  const sum: Amounts = { ephemeralStorage: a.ephemeralStorage + b.ephemeralStorage, memory: a.memory + b.memory, milliCpu: a.milliCpu + b.milliCpu, pods: a.pods + b.pods };
  if (a.scalar || b.scalar) {
    const scalar = { ...a.scalar };
    for (const [name, v] of Object.entries(b.scalar ?? {})) scalar[name] = (scalar[name] ?? 0) + v;
    sum.scalar = scalar;
  }
  return sum;
}

/**
 * The nodes as they stand at a round of the timeline: each node's requested is the sum of the requests of the
 * round's pods bound to it that have not ended (not Succeeded or Failed), the rule of the engine's `nodes` for the
 * final state, and `atRound` true. Where a pod's requests are not known, the node keeps its final figures
 * (`atRound` false).
 */
export function roundNodes(nodes: readonly NodeSummary[], pods: readonly PodSummary[], requests: RoundRequests): NodeSummary[] {
  const requested = new Map<string, Amounts | null>(); // null: a pod's requests unknown
  for (const pod of pods) {
    const node = pod.spec.nodeName;
    const phase = pod.status.phase;
    if (!node || phase === "Succeeded" || phase === "Failed" || requested.get(node) === null) continue;
    const asks = requests.byPod.get(`${pod.metadata.namespace}/${pod.metadata.name}`) ?? requests.byWorkload.get(requests.workloadOf(pod));
    requested.set(node, asks ? addAmounts(requested.get(node) ?? NOTHING, asks) : null);
  }
  return nodes.map((n) => {
    const sum = requested.get(n.name);
    if (!n.resources || sum === null) return { ...n, atRound: false };
    return { ...n, resources: { allocatable: n.resources.allocatable, requested: sum ?? NOTHING }, atRound: true };
  });
}

/** The worker's answer (pod-requests.ts) as lookups by pod and workload, for `summary`'s pods. */
export function roundRequests(summary: Pick<PlanSummary, "pods" | "workloads">, answer: PodRequests): RoundRequests {
  const shape = (i: number | undefined) => (i === undefined ? null : answer.shapes[i] ?? null);
  const byPod = new Map<string, Amounts>();
  summary.pods.forEach((p, i) => {
    const asks = shape(answer.ofPod[i]);
    if (asks) byPod.set(`${p.metadata.namespace}/${p.metadata.name}`, asks);
  });
  const byWorkload = new Map<string, Amounts>();
  for (const [workload, i] of Object.entries(answer.ofWorkload)) {
    const asks = shape(i);
    if (asks) byWorkload.set(workload, asks);
  }
  return { byPod, byWorkload, workloadOf: podWorkload(summary.workloads) };
}
