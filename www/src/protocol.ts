// The messages between the page (main.ts) and the planner (worker.ts), typed once for both. The engine's data
// keeps the package's own types (`kubeplan`'s types.d.ts); what is declared here is only what the worker makes
// of them: the slim summary it sends so that what crosses to the page stays small for 10,000 nodes.

import type {
  Amounts,
  DaemonSetNode,
  Event as PlanEvent,
  Finding,
  InputFile,
  KubeplanError,
  NodeRecord,
  ObjectMeta,
  PlacementRecord,
  PlanDocument,
  PlanRequest,
  PodSpec,
  PodStatus,
  Step,
  Taint,
} from "kubeplan";
import type { WorkerClock } from "./timing.ts";

/** The plan's pods' requests (worker: pod-requests.ts; page: model.ts roundRequests): each distinct one once, and each pod's and workload's index into them. */
export interface PodRequests {
  /** A node's figures for one pod of each distinct request (`pods` is 1); null where the engine gave none. */
  shapes: (Amounts | null)[];
  /** For each of the plan's `pods`, in order, the index of its requests in `shapes`. */
  ofPod: number[];
  /** By top-level workload (`Kind/namespace/name`), the index of its pods' requests, when they all ask the same. */
  ofWorkload: Record<string, number>;
}

// ------------------------------------------------------------------ the summary

/**
 * A node as the page draws it. `resources` are the engine's figures for it (the plan's `nodes` entry, cpu in
 * millicores, memory in bytes), absent when the plan has none (a node a step deleted).
 */
export interface NodeSummary {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  unschedulable: boolean;
  /** The Ready condition's status: "True", "False" or "Unknown" (also when the node has none). */
  ready: string;
  resources?: Pick<NodeRecord, "allocatable" | "requested">;
  /**
   * On a timeline round's copy of the node (model.ts roundNodes): whether `resources.requested` is that round's
   * (false: the final state's, a pod's requests there being unknown).
   */
  atRound?: boolean;
}

/**
 * A pod with what the page reads of it: the lists need its name, controller, node, scheduler, phase and the
 * PodScheduled=False condition; its detail ("pod" answer) adds labels, images and every condition. Timeline
 * frames (model.ts) make pods of the same shape.
 */
export interface PodSummary {
  metadata: { name: string; namespace: string } & Pick<ObjectMeta, "ownerReferences" | "deletionTimestamp" | "labels">;
  spec: Pick<PodSpec, "nodeName" | "schedulerName" | "containers">;
  status: Pick<PodStatus, "phase" | "conditions">;
}

/**
 * A step without its actions: they are read only when the timeline is moved, and asked for then ("steps"). At
 * 1,000 nodes the actions are some 3,000 objects, and copying them to the page took a fifth of a re-plan's page
 * part.
 */
export type StepSummary = Omit<Step, "actions">;

/** A placement without its verdicts: the page reads only a Pending pod's message (verdicts come with "pod"). */
export type PlacementSummary = Omit<PlacementRecord, "scores" | "rejected">;

/** What `kubectl get` prints from a workload's spec, by `Kind/namespace/name`. */
export interface WorkloadSpec {
  /** A DaemonSet's node selector as `k=v,k2=v2`. */
  nodeSelector?: string;
  /** A Job's completions. */
  completions?: number;
}

/** The plan document as the page gets it (worker.ts `summarize`). */
export interface PlanSummary
  extends Omit<PlanDocument, "defaultedObjects" | "placements" | "pods" | "events" | "daemonSetNodes" | "nodes" | "steps"> {
  steps: StepSummary[];
  workloadSpecs: Record<string, WorkloadSpec>;
  nodes: NodeSummary[];
  /** The map's "group by" choices (map-model.ts `labelKeys`). */
  labelKeys: string[];
  pods: PodSummary[];
  /** The first events; `eventCount` says how many there are. */
  events: PlanEvent[];
  eventCount: number;
  placements: PlacementSummary[];
}

// ------------------------------------------------------------------ page → worker

/** Plan `request`, then lint `lintFiles`: answered under `id` (a RunAnswer) and `lintId` (a LintAnswer). */
export interface RunRequest {
  type: "run";
  id: number;
  lintId: number;
  request: PlanRequest;
  lintFiles: InputFile[];
}

/** What the page asks of the last plan once it is drawn. */
export type Question =
  | { type: "pod"; id: number; pod: string }
  | { type: "events"; id: number }
  | { type: "steps"; id: number }
  | { type: "ds-node"; id: number; daemonSet: string; node: string }
  | { type: "plan-text"; id: number }
  | { type: "requests"; id: number };

export type PageToWorker = RunRequest | Question;

// ------------------------------------------------------------------ worker → page

export interface RunAnswer {
  type: "result";
  id: number;
  ok: boolean;
  exitCode: 0 | 1 | 2;
  errors: KubeplanError[];
  /** null when the input could not be planned at all (see `errors`). */
  summary: PlanSummary | null;
  /** When the worker received, planned, summarized and sent the run (timing.ts). */
  clock: WorkerClock;
  version: string;
  /** The summary's lists sent before in Part messages (empty here until the page puts them back). */
  parts?: PartKey[];
}

export interface LintAnswer {
  type: "lint";
  id: number;
  findings: Finding[];
  errors: KubeplanError[];
  ms: number;
}

/** The answer to each question, by its type. */
export interface Answers {
  /** Every decision about the pod with every node's verdict, and its detail (null: no such pod). */
  pod: { type: "pod"; id: number; placements: PlacementRecord[]; pod?: PodSummary | null };
  /** Every event; past a part's count they come before in Part messages, `events` empty here and `parts` saying so. */
  events: { type: "events"; id: number; events: PlanEvent[]; parts?: ["events"] };
  /** The steps with their actions; past a part's count of actions they come before in Part messages ("fullSteps"). */
  steps: { type: "steps"; id: number; steps: Step[]; parts?: ["fullSteps"] };
  /** Why the DaemonSet runs no pod on the node; null when the plan gives no reason. */
  "ds-node": { type: "ds-node"; id: number; entry: DaemonSetNode | null };
  /** The plan as `kubeplan plan --output json` prints it; null when there is none. */
  "plan-text": { type: "plan-text"; id: number; text: string | null };
  /** The pods' requests as the engine counts them (pod-requests.ts), for the timeline's bars. */
  requests: { type: "requests"; id: number } & PodRequests;
}
export type Answer = Answers[keyof Answers];

/** A run or lint overtaken by a newer run before it started. */
export interface Superseded {
  type: "superseded";
  id: number;
}

/** The engine threw (it should not: its results carry its errors). */
export interface Failed {
  type: "failed";
  id: number;
  message: string;
}

/** The lists that may come in parts, by key: the summary's, every event ("events"), the steps with their actions ("steps"'s answer). */
export interface PartLists {
  pods: PlanSummary["pods"];
  nodes: PlanSummary["nodes"];
  steps: PlanSummary["steps"];
  events: PlanEvent[];
  fullSteps: Step[];
}
export type PartKey = keyof PartLists;

/** Part of a long list, ahead of the answer it is of (worker.ts postParts). */
export type Part = { [K in PartKey]: { type: "part"; id: number; key: K; items: PartLists[K] } }[PartKey];

/**
 * A value that crosses from the worker to the page as its JSON text. A summary is thousands of small objects
 * (1,000 nodes with their labels, 940 pods), and postMessage's structured clone of them cost about three times
 * `JSON.stringify` in the worker and `JSON.parse` on the page (31 ms against 10 in Node; in Chromium the page
 * decoded the clone in 9 to 17 ms of a 1,000-node re-plan): a string crosses as one copy.
 */
export type JsonText<T> = string & { readonly __jsonOf?: T };

export const toJsonText = <T>(value: T): JsonText<T> => JSON.stringify(value) as JsonText<T>;
export const fromJsonText = <T>(text: JsonText<T>): T => JSON.parse(text) as T;

/** A run's answer as posted: its summary as JSON text. */
export type PostedRunAnswer = Omit<RunAnswer, "summary"> & { summary: JsonText<PlanSummary | null> };

/** A part as posted: its items as JSON text. */
export type PostedPart = { [K in PartKey]: { type: "part"; id: number; key: K; items: JsonText<PartLists[K]> } }[PartKey];

/**
 * A pod's answer as posted: its decisions as JSON text. A Pending pod at 10,000 nodes has a verdict per node for each
 * try (20,000 small objects for two), whose structured clone took 129 ms of the page's main thread to decode.
 */
export type PostedPodAnswer = Omit<Answers["pod"], "placements"> & { placements: JsonText<PlacementRecord[]> };

/** What the worker posts. */
export type WorkerToPage = PostedRunAnswer | PostedPodAnswer | LintAnswer | Exclude<Answer, Answers["pod"]> | Superseded | Failed | PostedPart;

/** A posted run answer read back. */
export const readRunAnswer = (posted: PostedRunAnswer): RunAnswer => ({ ...posted, summary: fromJsonText(posted.summary) });

/** A posted pod answer read back. */
export const readPodAnswer = (posted: PostedPodAnswer): Answers["pod"] => ({ ...posted, placements: fromJsonText(posted.placements) });

/** A posted part read back. */
export const readPart = (posted: PostedPart): Part => ({ ...posted, items: JSON.parse(posted.items) }) as Part;
