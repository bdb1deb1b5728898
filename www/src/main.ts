// The page: editors on the left, results on the right; planning in a Web Worker, rerun shortly after each edit.

import type { EditorView } from "@codemirror/view";
import type { KubeplanError } from "kubeplan";
import { applyFix, createEditor, getText, revealPosition, setText, showProblems } from "./editors.ts";
import { EXAMPLES, exampleById } from "./examples.ts";
import { buildRequest, EDITORS, nodesTableNote, problemsByEditor, type EditorName, type Texts } from "./input.ts";
import { createGrid } from "./grid.ts";
import { createMap } from "./map.ts";
import { renderDaemonSetNode, renderEvents, renderRoundActions, renderPending, renderPodDetail, renderProblems, renderStatus } from "./panels.ts";
import { roundNodes, roundRequests, stallReasonLines, timelineFrameSteps, type Frame, type RoundRequests } from "./model.ts";
import { decodeShare, encodeShare } from "./share.ts";
import { download, h, fill } from "./dom.ts";
import { PLAN_FILES, planFile, type PlanFormat } from "./plan-file.ts";
import { readPart, readPodAnswer, readRunAnswer, type Answer, type Failed, type LintAnswer, type Part, type PageToWorker, type PlanSummary, type PodSummary, type Question, type RunAnswer, type RunRequest, type Superseded, type WorkerToPage } from "./protocol.ts";
import { measureRun, runParts, sharedNow } from "./timing.ts";
import { afterFrame, nextTask, slicer, stepsInTasks, SLICE_MS, type Pause } from "./tasks.ts";

const PLAY_MS = 700;

/** The page's element `id`: index.html has them all, so a missing one is a bug, said at once. */
function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el;
}

/** The page's element `id`, of the class that its use needs (an input, a select, a button). */
function $as<E extends HTMLElement>(id: string, type: { new (): E; prototype: E }): E {
  const el = $(id);
  if (!(el instanceof type)) throw new Error(`#${id} is not a ${type.name}`);
  return el;
}

// ------------------------------------------------------------------ state

/** A run's answer as the page shows it. */
interface Shown {
  run: number;
  /** When the answer's first message arrived, on the page's clock (the tests time the main thread from there). */
  arrivedAt: number;
  summary: PlanSummary | null;
  errors: KubeplanError[];
  /** The run's lint findings, once they come. */
  lint?: LintAnswer;
}

interface PageState {
  /** The last run asked for. */
  runId: number;
  /** The last run drawn. */
  shownRun: number;
  /** The worker's last answer. */
  result: Shown | null;
  /** The timeline's frames, replayed from the steps when first needed (see frames()). */
  framesCache: Frame[] | null;
  /** Index into the frames; frameCount() is the final state. */
  frame: number;
  /** The pods' requests, asked for with the frames: a round's nodes are drawn with that round's figures. */
  roundRequests: RoundRequests | null;
  /** The result whose pods' requests were asked for. */
  roundRequestsOf: Shown | null;
  playing: ReturnType<typeof setInterval> | null;
  /** The pod whose detail is shown, `namespace/name`. */
  selectedPod: string | null;
  /** The DaemonSet (`namespace/name`) and node whose missing pod the detail explains. */
  selectedDaemonSetNode: { daemonSet: string; node: string } | null;
  /** Only the view shown is drawn. */
  view: "map" | "grid";
  podRequest: number;
  /** The last edit not yet run, on the shared clock (timing.ts). */
  editedAt: number | undefined;
  /** True while the editors are filled programmatically. */
  loading: boolean;
}

const state: PageState = {
  runId: 0,
  shownRun: 0,
  result: null,
  framesCache: null,
  frame: 0,
  roundRequests: null,
  roundRequestsOf: null,
  playing: null,
  selectedPod: null,
  selectedDaemonSetNode: null,
  view: "map",
  podRequest: 0,
  editedAt: undefined,
  loading: false,
};

// ------------------------------------------------------------------ worker

/** A message of the worker's that answers one of the page's (every one but the parts that precede an answer), read. */
type Reply = RunAnswer | LintAnswer | Answer | Superseded | Failed;
/** A message for the worker before `ask` numbers it. */
type Unnumbered<M> = M extends unknown ? Omit<M, "id"> : never;

const worker = new Worker("worker.js", { type: "module" });
const post = (msg: PageToWorker) => worker.postMessage(msg);
const pending = new Map<number, (reply: Reply, arrivedAt: number) => void>();
let nextId = 1;
/** Ask the worker about the last plan; the reply says by its `type` whether it is the answer or a failure. */
function ask(question: Unnumbered<Question>): Promise<Reply> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    post({ ...question, id });
  });
}
/** A run: the plan's answer first, the lint's later (both may be "superseded" by a newer run). */
function askRun(msg: Omit<RunRequest, "id" | "lintId">): { planned: Promise<{ reply: Reply; arrivedAt: number }>; linted: Promise<Reply> } {
  const id = nextId++;
  const lintId = nextId++;
  const planned = new Promise<{ reply: Reply; arrivedAt: number }>((resolve) => pending.set(id, (reply, arrivedAt) => resolve({ reply, arrivedAt })));
  const linted = new Promise<Reply>((resolve) => pending.set(lintId, resolve));
  post({ ...msg, id, lintId });
  return { planned, linted };
}
// A run's long lists, and every event or step when asked for, arrive first, in parts (worker.ts postParts), each
// decoded in a task of its own; the answer that follows gets them back. `arrivedAt` is when the first message of an
// answer arrived.
const parts = new Map<number, Part[]>();
const arrivedAt = new Map<number, number>();
worker.onmessage = (e: MessageEvent<WorkerToPage>) => {
  const posted = e.data;
  const first = arrivedAt.get(posted.id) ?? performance.now();
  arrivedAt.set(posted.id, first);
  if (posted.type === "part") {
    const part = readPart(posted);
    const received = parts.get(posted.id);
    if (received) received.push(part);
    else parts.set(posted.id, [part]);
    return;
  }
  const msg: Reply = posted.type === "result" ? readRunAnswer(posted) : posted.type === "pod" ? readPodAnswer(posted) : posted;
  const received = parts.get(msg.id);
  if (received && msg.type === "result" && msg.summary) putBack(msg.summary, received);
  if (received && msg.type === "events") msg.events = received.flatMap((p) => (p.key === "events" ? p.items : []));
  if (received && msg.type === "steps") msg.steps = received.flatMap((p) => (p.key === "fullSteps" ? p.items : []));
  parts.delete(msg.id);
  arrivedAt.delete(msg.id);
  const resolve = pending.get(msg.id);
  pending.delete(msg.id);
  resolve?.(msg, first);
};
/** Put a run's lists that came in parts back into its summary, each in the order its parts came. */
function putBack(summary: PlanSummary, received: readonly Part[]): void {
  const has = (key: Part["key"]) => received.some((p) => p.key === key);
  if (has("pods")) summary.pods = received.flatMap((p) => (p.key === "pods" ? p.items : []));
  if (has("nodes")) summary.nodes = received.flatMap((p) => (p.key === "nodes" ? p.items : []));
  if (has("steps")) summary.steps = received.flatMap((p) => (p.key === "steps" ? p.items : []));
}
worker.onerror = (e) => {
  setStatus("error", `The planner failed to start: ${e.message ?? "unknown error"}`);
};

// ------------------------------------------------------------------ editors

/**
 * An edit is planned at once, once the editor's update is done (the changes of one paste, keystroke or fix make one
 * run). No timer delays it: while the worker plans, the runs asked meanwhile wait in its queue, where each replaces
 * the one before, and the answer to a run overtaken by a newer one is not drawn.
 */
let runQueued = false;
function scheduleRun() {
  if (state.loading) return;
  state.editedAt = sharedNow();
  if (runQueued) return;
  runQueued = true;
  queueMicrotask(() => {
    runQueued = false;
    run();
  });
}

const editors: Record<EditorName, EditorView> = {
  manifests: createEditor($("ed-manifests"), { label: "Manifests (YAML)", onChange: scheduleRun }),
  update: createEditor($("ed-update"), { label: "Update (YAML, applied as --update)", onChange: scheduleRun }),
  steps: createEditor($("ed-steps"), { label: "Steps (YAML, as --steps)", onChange: scheduleRun }),
  scheduler: createEditor($("ed-scheduler"), { label: "Scheduler (KubeSchedulerConfiguration YAML, as kube-scheduler's --config)", onChange: scheduleRun }),
  nodes: createEditor($("ed-nodes"), { label: "Nodes (YAML or kubectl get nodes --show-labels)", onChange: scheduleRun }),
};

function texts(): Record<EditorName, string> {
  const out: Texts = {};
  for (const k of EDITORS) out[k] = getText(editors[k]);
  return { manifests: "", update: "", steps: "", scheduler: "", nodes: "", ...out };
}

function setTexts(t: Texts) {
  state.loading = true;
  try {
    for (const k of EDITORS) setText(editors[k], t[k] ?? "");
  } finally {
    state.loading = false;
  }
  // Show the tab that has something beyond the manifests, so an example's steps are seen.
  updateTabMarks();
}

// Tabs over the manifests / update / steps editors.
const tabs = [...document.querySelectorAll<HTMLElement>("#input-tabs [role=tab]")];
/** The editor a tab shows (its `data-editor`). */
const tabEditor = (tab: HTMLElement) => EDITORS.find((k) => k === tab.dataset.editor);
function selectTab(tab: HTMLElement | undefined) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls") ?? "").hidden = !on;
  }
}
tabs.forEach((t, i) => {
  t.addEventListener("click", () => selectTab(t));
  t.addEventListener("keydown", (e) => {
    const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    const next = tabs[(i + d + tabs.length) % tabs.length];
    if (d && next) {
      selectTab(next);
      next.focus();
    }
  });
});
function updateTabMarks() {
  for (const t of tabs) {
    const k = tabEditor(t);
    const has = k !== undefined && getText(editors[k]).trim() !== "";
    const mark = t.querySelector(".mark");
    if (mark) mark.textContent = k !== "manifests" && has ? " •" : "";
  }
}

// ------------------------------------------------------------------ running

function setStatus(kind: string, text: string) {
  const el = $("status");
  el.dataset.state = kind;
  el.textContent = text;
}

async function run() {
  const id = ++state.runId;
  const edited = state.editedAt;
  state.editedAt = undefined;
  const asked = sharedNow();
  const t = texts();
  updateTabMarks();
  const { request, lintFiles } = buildRequest(t);
  const started = performance.now();
  setStatus("planning", "Planning…");
  const { planned, linted } = askRun({ type: "run", request, lintFiles });
  const posted = sharedNow();
  const { reply, arrivedAt } = await planned;
  if (id !== state.runId || reply.type === "superseded") return; // a newer run is under way
  if (reply.type !== "result" && reply.type !== "failed") return; // no other message answers a run
  const planAnswer = reply.type === "result" ? reply : null;
  const result: Shown = { run: id, arrivedAt, summary: planAnswer?.summary ?? null, errors: planAnswer?.errors ?? [] };
  linted.then((l) => {
    if (id !== state.runId || l.type !== "lint") return;
    result.lint = l;
    // Before the result is drawn (its drawing waits a task), the findings are drawn with it.
    if (state.result === result) showAllProblems();
  });
  const received = performance.now();
  // Drawn in slices of this task's time and later ones' (tasks.ts).
  const pause = slicer();
  await pause();
  if (id !== state.runId) return;
  const drawing = sharedNow();
  state.result = result;
  $("nodes-kind").textContent = nodesTableNote(result);
  if (!(await draw(id, pause))) return; // a newer run came while this one was drawn
  const drawn = performance.now();
  const clock = { edited, asked, posted, arrived: performance.timeOrigin + arrivedAt, drawing, drawn: performance.timeOrigin + drawn };
  measureRun(id, runParts(clock, planAnswer?.clock ?? null));
  const s = result.summary;
  const el = $("status");
  el.dataset.run = String(id);
  el.dataset.totalMs = String(Math.round(drawn - started));
  const engineMs = planAnswer ? planAnswer.clock.planned - planAnswer.clock.started : 0;
  el.dataset.planMs = String(Math.round(engineMs));
  // When the answer's first message arrived, on the page's clock (the tests time the main thread from there).
  el.dataset.arrivedAt = String(result.arrivedAt);
  if (reply.type === "failed") {
    setStatus("error", `The planner failed: ${reply.message}`);
    return;
  }
  const pods = s?.pods?.length ?? 0;
  const pendingPods = (s?.pods ?? []).filter((p) => !p.spec?.nodeName).length;
  setStatus(
    reply.exitCode === 2 ? "unusable" : "done",
    `${reply.exitCode === 2 ? "Unusable input. " : reply.exitCode === 1 ? "Some objects refused. " : ""}` +
      `${s?.nodes?.length ?? 0} nodes, ${pods} pod${pods === 1 ? "" : "s"}, ${pendingPods} Pending. ` +
      `Planned in ${Math.round(engineMs)} ms, shown ${Math.round(drawn - started)} ms after the request (drawing ${Math.round(drawn - received)} ms).`,
  );
  if (reply.version) $("version").textContent = reply.version;
}

function showAllProblems() {
  // Which run's lint findings are shown (the tests wait on it).
  if (state.result?.lint) $("problems").dataset.lintRun = String(state.result.run);
  const problems = problemsByEditor(state.result);
  for (const k of EDITORS) showProblems(editors[k], problems[k]);
  // The texts the problems were found in: a fix applies only to the text it was made for.
  const docs = { manifests: editors.manifests.state.doc, update: editors.update.state.doc, steps: editors.steps.state.doc, scheduler: editors.scheduler.state.doc, nodes: editors.nodes.state.doc };
  renderProblems($("problems"), state.result?.summary, problems, {
    onGoto: (editor, line, column) => {
      showEditor(editor);
      revealPosition(editors[editor], line, column);
    },
    onFix: (editor, fix) => {
      showEditor(editor);
      applyFix(editors[editor], docs[editor], fix);
    },
  });
}

/** Bring an editor's tab forward (the nodes editor has none: it is always shown). */
function showEditor(editor: EditorName) {
  const tab = tabs.find((t) => tabEditor(t) === editor);
  if (tab) selectTab(tab);
}

/**
 * Draw run `id`'s results, in steps with a `pause` between them: for 10,000 nodes each step takes tens of
 * milliseconds, and one task of them all would freeze the page. Resolves false when a newer run started meanwhile
 * (it draws its own).
 */
async function draw(id: number, pause: Pause): Promise<boolean> {
  const result = state.result;
  const s = result?.summary;
  const started = performance.now();
  showAllProblems();
  // The frames are replayed when the timeline is first moved: the final state needs none of them, and for
  // 10,000 nodes replaying them makes tens of thousands of objects while the page is drawn.
  state.framesCache = null;
  state.roundRequests = null;
  state.frame = frameCount();
  stopPlaying();
  drawTimeline();
  await pause();
  if (id !== state.runId) return false;
  await drawFrame(pause);
  // A draw that took more than two tasks' time so far (a large plan: at 10,000 nodes about 100 ms, at 1,000 about
  // 20) is paced by frames from here: the panels below the map come after a frame has shown the map, the events'
  // rows a part per frame, so that no frame styles and lays out them all with the map (200 rows, some 1,600
  // elements: 20 to 90 ms on a busy machine, on top of the map's frame). A smaller plan is drawn without waiting.
  const paced = performance.now() - started > 2 * SLICE_MS;
  if (paced) await afterFrame();
  else await pause();
  if (id !== state.runId) return false;
  renderPending($("pending"), s, selectPod);
  renderStatus($("workloads"), s);
  fill($("notes"), (s?.notes ?? []).map((n) => h("li", null, n)));
  await renderEvents($("events"), s, { onAll: allEvents, pause: paced ? afterFrame : undefined });
  if (id !== state.runId) return false;
  // Keep the selected pod's detail if it still exists.
  if (state.selectedPod && !(s?.pods ?? []).some((p) => `${p.metadata.namespace}/${p.metadata.name}` === state.selectedPod)) state.selectedPod = null;
  if (state.selectedDaemonSetNode) showDaemonSetNode(state.selectedDaemonSetNode.daemonSet, state.selectedDaemonSetNode.node);
  else showDetail();
  return true;
}

/** Every event, asked of the worker (the summary carries the first 200). */
async function allEvents() {
  const run = state.runId;
  const answer = await ask({ type: "events" });
  if (run !== state.runId || answer.type !== "events") return;
  renderEvents($("events"), { eventCount: answer.events.length, events: answer.events }, { all: true });
}

const map = createMap($("map"), { onPod: selectPod, onDaemonSetNode: showDaemonSetNode });
const grid = createGrid($("grid"), { onPod: selectPod, onDaemonSetNode: showDaemonSetNode });

/**
 * Draw the frame shown (the final state, or a round of the timeline) in the view shown, map or grid; `pause`
 * between the steps of a draw this is part of.
 */
async function drawFrame(pause?: Pause) {
  const s = state.result?.summary;
  const final = state.frame >= frameCount();
  const f = final ? null : frames()[state.frame];
  const shown = roundSummary(s, f);
  const opts = {
    pods: f ? f.pods : s?.pods,
    onPod: selectPod,
    onDaemonSetNode: showDaemonSetNode,
    selected: state.selectedPod,
    filter: $as("node-filter", HTMLInputElement).value,
    onlyUsed: $as("only-used", HTMLInputElement).checked,
    final,
    pause,
  };
  // The other view is emptied rather than kept: it would be drawn again for every change it does not show.
  if (state.view === "map") {
    grid.clear();
    await map.draw(shown, opts);
  } else {
    grid.draw(shown, opts);
  }
}

/** Each round's summary, its nodes with that round's figures (roundNodes), made once per frame. */
const roundSummaries = new WeakMap<Frame, PlanSummary>();
function roundSummary(s: PlanSummary | null | undefined, f: Frame | null | undefined): PlanSummary | null | undefined {
  if (!s || !f || !state.roundRequests) return s;
  let round = roundSummaries.get(f);
  if (!round) roundSummaries.set(f, (round = { ...s, nodes: roundNodes(s.nodes, f.pods, state.roundRequests) }));
  return round;
}

function showView(view: "map" | "grid") {
  state.view = view;
  for (const b of document.querySelectorAll<HTMLElement>(".view-switch button")) b.setAttribute("aria-pressed", b.dataset.view === view ? "true" : "false");
  $("map").hidden = view !== "map";
  $("grid").hidden = view !== "grid";
  drawFrame();
}
$("view-map").addEventListener("click", () => showView("map"));
$("view-grid").addEventListener("click", () => showView("grid"));

// ------------------------------------------------------------------ pod detail

function findPod(key: string): PodSummary | null {
  return (state.result?.summary?.pods ?? []).find((p) => `${p.metadata.namespace}/${p.metadata.name}` === key) ?? null;
}

function selectPod(key: string) {
  state.selectedPod = key;
  state.selectedDaemonSetNode = null;
  grid.select(key);
  for (const b of document.querySelectorAll<HTMLElement>("#grid button.pod, #map button.pod-chip")) {
    const on = b.dataset.pod === key;
    b.classList.toggle("selected", on);
    b.setAttribute("aria-pressed", on ? "true" : "false");
  }
  showDetail();
  $("detail").scrollIntoView?.({ block: "nearest" });
}

async function showDetail() {
  const key = state.selectedPod;
  const el = $("detail");
  if (!key) {
    renderPodDetail(el, null);
    return;
  }
  // A pod deleted during the rollout is still in the timeline, not in the final pods.
  if (!findPod(key)) {
    await loadFrames();
    if (state.selectedPod !== key) return;
  }
  const pod = findPod(key) ?? framePod(key);
  renderPodDetail(el, pod, null, state.result?.summary?.nodes);
  const req = ++state.podRequest;
  const answer = await ask({ type: "pod", pod: key });
  if (req !== state.podRequest || state.selectedPod !== key) return;
  // The worker's copy of the pod has its labels, images and conditions (the summary's has only what lists need).
  const detail = answer.type === "pod" ? answer : null;
  renderPodDetail(el, detail?.pod ?? pod, detail?.placements ?? [], state.result?.summary?.nodes);
}

/** Why a DaemonSet runs no pod on a node, as the engine says it (its plan with verdicts has daemonSetNodes). */
async function showDaemonSetNode(daemonSet: string, node: string) {
  state.selectedPod = null;
  state.selectedDaemonSetNode = { daemonSet, node };
  grid.select(null);
  for (const b of document.querySelectorAll("#grid button.pod[aria-pressed=true], #map button.pod-chip[aria-pressed=true]")) {
    b.classList.remove("selected");
    b.setAttribute("aria-pressed", "false");
  }
  const el = $("detail");
  renderDaemonSetNode(el, daemonSet, node, undefined);
  const req = ++state.podRequest;
  const answer = await ask({ type: "ds-node", daemonSet, node });
  if (req !== state.podRequest) return;
  renderDaemonSetNode(el, daemonSet, node, answer.type === "ds-node" ? answer.entry : null);
  el.scrollIntoView?.({ block: "nearest" });
}

function framePod(key: string): PodSummary {
  const all = frames();
  for (let i = all.length - 1; i >= 0; i--) {
    const p = all[i]?.pods.find((x) => `${x.metadata.namespace}/${x.metadata.name}` === key);
    if (p) return p;
  }
  const [namespace = "", name = ""] = key.split("/");
  return { metadata: { name, namespace }, spec: {}, status: {} };
}

// ------------------------------------------------------------------ timeline

/**
 * The timeline's frames: one per (phase, round) of the plan's steps, each with the pods as they stand; empty
 * until loadFrames has made them.
 */
function frames(): Frame[] {
  return state.framesCache ?? [];
}

/**
 * Replay the frames, once per result. The summary's steps come without their actions: they are asked for here,
 * when the timeline is first moved.
 */
async function loadFrames() {
  const result = state.result;
  if (state.framesCache || !result) return;
  loadRoundRequests(result);
  const answer = await ask({ type: "steps" });
  if (state.result !== result || answer.type !== "steps") return;
  // The rounds are replayed a slice per task: at 10,000 nodes their frames copy some 330,000 pods.
  const made = await stepsInTasks(timelineFrameSteps({ ...result.summary, steps: answer.steps }));
  if (state.result === result) state.framesCache ??= made;
}

/**
 * Ask the worker for the pods' requests, once per result, and draw the round shown again with its figures when
 * they come (until then its bars are the final state's, and say so).
 */
async function loadRoundRequests(result: Shown) {
  const summary = result.summary;
  if (!summary || state.roundRequestsOf === result) return;
  state.roundRequestsOf = result;
  const answer = await ask({ type: "requests" });
  if (state.result !== result || answer.type !== "requests") return;
  state.roundRequests = roundRequests(summary, answer);
  if (state.frame < frameCount()) drawFrame();
}
const frameCount = () => state.result?.summary?.steps?.length ?? 0;

function drawTimeline() {
  const n = frameCount();
  const slider = $as("tl-slider", HTMLInputElement);
  slider.max = String(n);
  slider.value = String(state.frame);
  slider.disabled = n === 0;
  for (const id of ["tl-first", "tl-prev", "tl-play", "tl-next", "tl-last"]) $as(id, HTMLButtonElement).disabled = n === 0;
  const final = state.frame >= n;
  const f = final ? null : frames()[state.frame];
  $("tl-label").textContent = n === 0 ? "Nothing happened." : !f ? `Final state (after ${n} round${n === 1 ? "" : "s"})` : `${f.phase}, round ${f.round} (${state.frame + 1} of ${n})`;
  fill($("tl-actions"), f ? renderRoundActions(f.actions) : null);
  const lines = f ? f.rollout : state.result?.summary?.rollout?.filter((r) => r.phase === state.result?.summary?.steps?.at(-1)?.phase) ?? [];
  const stalls = f ? f.stalls : state.result?.summary?.stalls ?? [];
  fill(
    $("tl-rollout"),
    lines?.length ? [h("h4", null, "kubectl rollout status"), h("pre", { class: "kubectl" }, lines.map((l) => `${l.resource ?? l.kind + "/" + l.name}: ${l.message}`).join("\n"))] : null,
    stalls?.length ? [h("h4", null, "Stalled rollouts"), h("ul", null, stalls.map((s) => h("li", null, `${s.resource ?? s.kind + "/" + s.name}: ${s.status ?? ""} `, stallReasonLines(s.reasons ?? []).join("; "))))] : null,
  );
}

async function goFrame(i: number) {
  const frame = Math.max(0, Math.min(frameCount(), i));
  if (frame < frameCount()) await loadFrames();
  if (frame < frameCount() && !state.framesCache) return; // a newer result came meanwhile
  state.frame = frame;
  drawTimeline();
  // The round's actions (up to thousands of rows) are laid out in a task of their own, before its figures and
  // the map: at 10,000 nodes the two in one task took over 100 ms.
  await nextTask();
  if (state.frame === frame) drawFrame();
}

function stopPlaying() {
  if (state.playing) clearInterval(state.playing);
  state.playing = null;
  $("tl-play").textContent = "▶ Play";
  $("tl-play").setAttribute("aria-pressed", "false");
}

$("tl-first").onclick = () => (stopPlaying(), goFrame(0));
$("tl-prev").onclick = () => (stopPlaying(), goFrame(state.frame - 1));
$("tl-next").onclick = () => (stopPlaying(), goFrame(state.frame + 1));
$("tl-last").onclick = () => (stopPlaying(), goFrame(frameCount()));
const slider = $as("tl-slider", HTMLInputElement);
slider.oninput = () => (stopPlaying(), goFrame(Number(slider.value)));
$("tl-play").onclick = () => {
  if (state.playing) return stopPlaying();
  if (state.frame >= frameCount()) goFrame(0);
  $("tl-play").textContent = "⏸ Pause";
  $("tl-play").setAttribute("aria-pressed", "true");
  state.playing = setInterval(() => {
    if (state.frame >= frameCount()) return stopPlaying();
    goFrame(state.frame + 1);
  }, PLAY_MS);
};
$("node-filter").addEventListener("input", () => drawFrame());
$("only-used").addEventListener("change", () => drawFrame());

// ------------------------------------------------------------------ examples and sharing

const select = $as("examples", HTMLSelectElement);
for (const ex of EXAMPLES) select.appendChild(h("option", { value: ex.id }, ex.title));

function loadExample(id: string) {
  const ex = exampleById(id) ?? EXAMPLES[0];
  select.value = ex.id;
  $("example-description").textContent = ex.description;
  setTexts({ manifests: ex.manifests, nodes: ex.nodes, update: ex.update ?? "", steps: ex.steps ?? "", scheduler: ex.scheduler ?? "" });
  selectTab(tabs[0]);
  state.selectedPod = null;
  return run();
}

select.addEventListener("change", () => {
  history.replaceState(null, "", `#example=${encodeURIComponent(select.value)}`);
  loadExample(select.value);
});

$("share").addEventListener("click", async () => {
  const frag = await encodeShare(texts());
  history.replaceState(null, "", `#${frag}`);
  const out = $as("share-link", HTMLInputElement);
  out.value = location.href;
  out.hidden = false;
  out.select();
  try {
    await navigator.clipboard.writeText(location.href);
    $("share-note").textContent = `Link copied (${location.href.length} characters).`;
  } catch {
    $("share-note").textContent = `Copy the link above (${location.href.length} characters).`;
  }
});

// The plan as a file: the worker's `planJson` text, the same bytes as `kubeplan plan FILES --output json`, or as YAML.
async function downloadPlan(format: PlanFormat) {
  const note = $("share-note");
  const { name } = PLAN_FILES[format];
  // A large plan takes seconds to plan again, and its YAML more (in workers): said meanwhile.
  note.textContent = `Making ${name}…`;
  const answer = await ask({ type: "plan-text" });
  if (answer.type !== "plan-text" || answer.text === null) {
    note.textContent = "No plan to download: the input could not be planned.";
    return;
  }
  try {
    download(await planFile(answer.text, format), name);
    note.textContent = `Downloaded ${name}.`;
  } catch (e) {
    note.textContent = `Could not make ${name}: ${e instanceof Error ? e.message : String(e)}`;
  }
}
for (const b of document.querySelectorAll<HTMLButtonElement>(".download-plan button")) {
  const format = b.dataset.format === "yaml" ? "yaml" : "json";
  b.addEventListener("click", () => downloadPlan(format));
}

async function fromLocation() {
  const hash = location.hash;
  if (hash.startsWith("#v1=")) {
    try {
      const t = await decodeShare(hash);
      select.value = "";
      $("example-description").textContent = "From a shared link.";
      setTexts(t ?? {});
      selectTab(tabs[0]);
      return run();
    } catch (e) {
      $("share-note").textContent = `Could not open the shared link: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const m = /^#example=(.+)$/.exec(hash);
  return loadExample(m?.[1] ? decodeURIComponent(m[1]) : EXAMPLES[0].id);
}

window.addEventListener("hashchange", () => {
  // Our own replaceState does not fire this; a pasted link does.
  fromLocation();
});

fromLocation();
