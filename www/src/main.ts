// The page: editors on the left, results on the right; planning in a Web Worker, rerun shortly after each edit.

import { applyFix, createEditor, getText, revealPosition, setText, showProblems } from "./editors.js";
import { EXAMPLES, exampleById } from "./examples.js";
import { buildRequest, nodesTableNote, problemsByEditor } from "./input.js";
import { renderGrid } from "./grid.js";
import { createMap } from "./map.js";
import { renderDaemonSetNode, renderEvents, renderPending, renderPodDetail, renderProblems, renderStatus } from "./panels.js";
import { timelineFrames } from "./model.js";
import { decodeShare, encodeShare } from "./share.js";
import { h, fill } from "./dom.js";

const DEBOUNCE_MS = 250;
const PLAY_MS = 700;
const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ state

const state = {
  runId: 0, // last run asked for
  shownRun: 0, // last run drawn
  result: null, // the worker's last answer
  framesCache: null, // the timeline's frames, replayed from the steps when first needed (see frames())
  frame: 0, // index into the frames; frameCount() = the final state
  playing: null,
  selectedPod: null,
  selectedDaemonSetNode: null, // {daemonSet: "ns/name", node} whose missing pod the detail explains
  view: "map", // "map" or "grid": only the view shown is drawn
  podRequest: 0,
  startedAt: 0,
  loading: false, // true while editors are filled programmatically
};

// ------------------------------------------------------------------ worker

const worker = new Worker("worker.js", { type: "module" });
const pending = new Map();
let nextId = 1;
function ask(msg) {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ ...msg, id });
  });
}
/** A run: the plan's answer first, the lint's later (both may be "superseded" by a newer run). */
function askRun(msg) {
  const id = nextId++;
  const lintId = nextId++;
  const planned = new Promise((resolve) => pending.set(id, resolve));
  const linted = new Promise((resolve) => pending.set(lintId, resolve));
  worker.postMessage({ ...msg, id, lintId });
  return { planned, linted };
}
// A run's long lists arrive first, in parts (worker.js postInParts), each decoded in a task of its own; the answer
// that follows gets them back. `arrivedAt` is when the first message of an answer arrived.
const parts = new Map(); // id → {key: [items, items, ...]}
const arrivedAt = new Map();
worker.onmessage = (e) => {
  const msg = e.data;
  if (!arrivedAt.has(msg.id)) arrivedAt.set(msg.id, performance.now());
  if (msg.type === "part") {
    if (!parts.has(msg.id)) parts.set(msg.id, {});
    (parts.get(msg.id)[msg.key] ??= []).push(msg.items);
    return;
  }
  for (const [key, lists] of Object.entries(parts.get(msg.id) ?? {})) msg.summary[key] = lists.flat();
  parts.delete(msg.id);
  msg.arrivedAt = arrivedAt.get(msg.id);
  arrivedAt.delete(msg.id);
  const resolve = pending.get(msg.id);
  pending.delete(msg.id);
  resolve?.(msg);
};
worker.onerror = (e) => {
  setStatus("error", `The planner failed to start: ${e.message ?? "unknown error"}`);
};

// ------------------------------------------------------------------ editors

const editors = {};
let timer = null;
function scheduleRun() {
  if (state.loading) return;
  clearTimeout(timer);
  setStatus("typing", "Waiting for you to stop typing…");
  timer = setTimeout(run, DEBOUNCE_MS);
}

editors.manifests = createEditor($("ed-manifests"), { label: "Manifests (YAML)", onChange: scheduleRun });
editors.update = createEditor($("ed-update"), { label: "Update (YAML, applied as --update)", onChange: scheduleRun });
editors.steps = createEditor($("ed-steps"), { label: "Steps (YAML, as --steps)", onChange: scheduleRun });
editors.scheduler = createEditor($("ed-scheduler"), { label: "Scheduler (KubeSchedulerConfiguration YAML, as kube-scheduler's --config)", onChange: scheduleRun });
editors.nodes = createEditor($("ed-nodes"), { label: "Nodes (YAML or kubectl get nodes --show-labels)", onChange: scheduleRun });

function texts() {
  return Object.fromEntries(Object.entries(editors).map(([k, v]) => [k, getText(v)]));
}

function setTexts(t) {
  state.loading = true;
  try {
    for (const k of Object.keys(editors)) setText(editors[k], t[k] ?? "");
  } finally {
    state.loading = false;
  }
  // Show the tab that has something beyond the manifests, so an example's steps are seen.
  updateTabMarks();
}

// Tabs over the manifests / update / steps editors.
const tabs = [...document.querySelectorAll("#input-tabs [role=tab]")];
function selectTab(tab) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
}
tabs.forEach((t, i) => {
  t.addEventListener("click", () => selectTab(t));
  t.addEventListener("keydown", (e) => {
    const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (d) {
      const next = tabs[(i + d + tabs.length) % tabs.length];
      selectTab(next);
      next.focus();
    }
  });
});
function updateTabMarks() {
  for (const t of tabs) {
    const k = t.dataset.editor;
    const has = getText(editors[k]).trim() !== "";
    t.querySelector(".mark").textContent = k !== "manifests" && has ? " •" : "";
  }
}

// ------------------------------------------------------------------ running

function setStatus(kind, text) {
  const el = $("status");
  el.dataset.state = kind;
  el.textContent = text;
}

async function run() {
  clearTimeout(timer);
  const id = ++state.runId;
  const t = texts();
  updateTabMarks();
  const { request, lintFiles } = buildRequest(t);
  const started = performance.now();
  setStatus("planning", "Planning…");
  const { planned, linted } = askRun({ type: "run", request, lintFiles });
  const result = await planned;
  if (id !== state.runId || result.type === "superseded") return; // a newer run is under way
  result.run = id;
  linted.then((l) => {
    if (id !== state.runId || l.type !== "lint") return;
    result.lint = l;
    // Before the result is drawn (its drawing waits a task), the findings are drawn with it.
    if (state.result === result) showAllProblems();
  });
  const received = performance.now();
  // Drawn from the next task on: decoding a large answer is a task's worth of work already.
  await nextTask();
  if (id !== state.runId) return;
  state.result = result;
  $("nodes-kind").textContent = nodesTableNote(result);
  if (!(await draw(id))) return; // a newer run came while this one was drawn
  const drawn = performance.now();
  const s = result.summary;
  const el = $("status");
  el.dataset.run = String(id);
  el.dataset.totalMs = String(Math.round(drawn - started));
  el.dataset.planMs = String(Math.round(result.timings?.plan ?? 0));
  // When the answer's first message arrived, on the page's clock (the tests time the main thread from there).
  el.dataset.arrivedAt = String(result.arrivedAt ?? received);
  if (result.type === "failed") {
    setStatus("error", `The planner failed: ${result.message}`);
    return;
  }
  const pods = s?.pods?.length ?? 0;
  const pendingPods = (s?.pods ?? []).filter((p) => !p.spec?.nodeName).length;
  setStatus(
    result.exitCode === 2 ? "unusable" : "done",
    `${result.exitCode === 2 ? "Unusable input. " : result.exitCode === 1 ? "Some objects refused. " : ""}` +
      `${s?.nodes?.length ?? 0} nodes, ${pods} pod${pods === 1 ? "" : "s"}, ${pendingPods} Pending. ` +
      `Planned in ${Math.round(result.timings?.plan ?? 0)} ms, shown ${Math.round(drawn - started)} ms after the request (drawing ${Math.round(drawn - received)} ms).`,
  );
  if (result.version) $("version").textContent = result.version;
}

function showAllProblems() {
  // Which run's lint findings are shown (the tests wait on it).
  if (state.result?.lint) $("problems").dataset.lintRun = String(state.result.run);
  const problems = problemsByEditor(state.result);
  for (const k of Object.keys(editors)) showProblems(editors[k], problems[k] ?? []);
  // The texts the problems were found in: a fix applies only to the text it was made for.
  const docs = Object.fromEntries(Object.entries(editors).map(([k, v]) => [k, v.state.doc]));
  renderProblems($("problems"), state.result, problems, {
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
function showEditor(editor) {
  const tab = tabs.find((t) => t.dataset.editor === editor);
  if (tab) selectTab(tab);
}

/** Resolves in a later task (so that the browser may paint and answer input between the steps of a draw). */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Draw run `id`'s results, in a few tasks: for 10,000 nodes each step takes tens of milliseconds, and one task
 * of them all would freeze the page. Resolves false when a newer run started meanwhile (it draws its own).
 */
async function draw(id) {
  const result = state.result;
  const s = result?.summary;
  showAllProblems();
  // The frames are replayed when the timeline is first moved: the final state needs none of them, and for
  // 10,000 nodes replaying them makes tens of thousands of objects while the page is drawn.
  state.framesCache = null;
  state.frame = frameCount();
  stopPlaying();
  drawTimeline();
  await nextTask();
  if (id !== state.runId) return false;
  await drawFrame();
  await nextTask();
  if (id !== state.runId) return false;
  renderPending($("pending"), s, selectPod);
  renderStatus($("workloads"), s);
  renderEvents($("events"), s, { onAll: allEvents });
  fill($("notes"), (s?.notes ?? []).map((n) => h("li", null, n)));
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
  renderEvents($("events"), { ...state.result.summary, events: answer.events }, { all: true });
}

const map = createMap($("map"), { onPod: selectPod, onDaemonSetNode: showDaemonSetNode });

/** Draw the frame shown (the final state, or a round of the timeline) in the view shown, map or grid. */
async function drawFrame() {
  const s = state.result?.summary;
  const final = state.frame >= frameCount();
  const f = final ? null : frames()[state.frame];
  const opts = {
    pods: final ? s?.pods : f.pods,
    onPod: selectPod,
    onDaemonSetNode: showDaemonSetNode,
    selected: state.selectedPod,
    filter: $("node-filter").value,
    onlyUsed: $("only-used").checked,
    final,
  };
  // The other view is emptied rather than kept: a hidden grid of 10,000 rows would still cost its drawing.
  if (state.view === "map") {
    fill($("grid"));
    await map.draw(s, opts);
  } else {
    renderGrid($("grid"), s, opts);
  }
}

function showView(view) {
  state.view = view;
  for (const b of document.querySelectorAll(".view-switch button")) b.setAttribute("aria-pressed", b.dataset.view === view ? "true" : "false");
  $("map").hidden = view !== "map";
  $("grid").hidden = view !== "grid";
  drawFrame();
}
$("view-map").addEventListener("click", () => showView("map"));
$("view-grid").addEventListener("click", () => showView("grid"));

// ------------------------------------------------------------------ pod detail

function findPod(key) {
  return (state.result?.summary?.pods ?? []).find((p) => `${p.metadata.namespace}/${p.metadata.name}` === key) ?? null;
}

function selectPod(key) {
  state.selectedPod = key;
  state.selectedDaemonSetNode = null;
  for (const b of document.querySelectorAll("#grid button.pod, #map button.pod-chip")) {
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
  renderPodDetail(el, answer.pod ?? pod, answer.placements ?? [], state.result?.summary?.nodes);
}

/** Why a DaemonSet runs no pod on a node, as the engine says it (its plan with verdicts has daemonSetNodes). */
async function showDaemonSetNode(daemonSet, node) {
  state.selectedPod = null;
  state.selectedDaemonSetNode = { daemonSet, node };
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

function framePod(key) {
  for (let i = frames().length - 1; i >= 0; i--) {
    const p = frames()[i].pods.find((x) => `${x.metadata.namespace}/${x.metadata.name}` === key);
    if (p) return p;
  }
  return { metadata: { name: key.split("/")[1], namespace: key.split("/")[0] }, spec: {}, status: {} };
}

// ------------------------------------------------------------------ timeline

/**
 * The timeline's frames: one per (phase, round) of the plan's steps, each with the pods as they stand; empty
 * until loadFrames has made them.
 */
function frames() {
  return state.framesCache ?? [];
}

/**
 * Replay the frames, once per result. A large plan's summary has its steps without their actions (the worker
 * leaves them out past a few thousand: `stepActionsLeftOut`); they are asked for here, when the timeline is
 * first moved.
 */
async function loadFrames() {
  const result = state.result;
  if (state.framesCache || !result) return;
  let summary = result.summary;
  if (summary?.stepActionsLeftOut) {
    const answer = await ask({ type: "steps" });
    if (state.result !== result || answer.type !== "steps") return;
    summary = { ...summary, steps: answer.steps };
  }
  state.framesCache ??= timelineFrames(summary);
}
const frameCount = () => state.result?.summary?.steps?.length ?? 0;

function drawTimeline() {
  const n = frameCount();
  const slider = $("tl-slider");
  slider.max = String(n);
  slider.value = String(state.frame);
  slider.disabled = n === 0;
  for (const id of ["tl-first", "tl-prev", "tl-play", "tl-next", "tl-last"]) $(id).disabled = n === 0;
  const final = state.frame >= n;
  const f = final ? null : frames()[state.frame];
  $("tl-label").textContent = n === 0 ? "Nothing happened." : final ? `Final state (after ${n} round${n === 1 ? "" : "s"})` : `${f.phase}, round ${f.round} (${state.frame + 1} of ${n})`;
  const items = [];
  if (f) {
    for (const a of f.actions) {
      items.push(h("li", { class: `op-${a.op}` }, `${a.op} ${a.kind.toLowerCase()}/${a.name}`, a.node ? ` → ${a.node}` : "", a.owner ? ` (${a.owner})` : ""));
    }
  }
  fill($("tl-actions"), items.length ? h("ol", null, items) : null);
  const lines = f ? f.rollout : state.result?.summary?.rollout?.filter((r) => r.phase === state.result?.summary?.steps?.at(-1)?.phase) ?? [];
  const stalls = f ? f.stalls : state.result?.summary?.stalls ?? [];
  fill(
    $("tl-rollout"),
    lines?.length ? [h("h4", null, "kubectl rollout status"), h("pre", { class: "kubectl" }, lines.map((l) => `${l.resource ?? l.kind + "/" + l.name}: ${l.message}`).join("\n"))] : null,
    stalls?.length ? [h("h4", null, "Stalled rollouts"), h("ul", null, stalls.map((s) => h("li", null, `${s.resource ?? s.kind + "/" + s.name}: ${s.status ?? ""} `, (s.reasons ?? []).map((r) => r.message).join("; "))))] : null,
  );
}

async function goFrame(i) {
  const frame = Math.max(0, Math.min(frameCount(), i));
  if (frame < frameCount()) await loadFrames();
  if (frame < frameCount() && !state.framesCache) return; // a newer result came meanwhile
  state.frame = frame;
  drawTimeline();
  drawFrame();
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
$("tl-slider").oninput = (e) => (stopPlaying(), goFrame(Number(e.target.value)));
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

const select = $("examples");
for (const ex of EXAMPLES) select.appendChild(h("option", { value: ex.id }, ex.title));

function loadExample(id) {
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
  const out = $("share-link");
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

// The plan as a file: the worker's `planJson` text, the same bytes as `kubeplan plan FILES --output json`.
$("download-plan").addEventListener("click", async () => {
  const answer = await ask({ type: "plan-text" });
  if (answer.type !== "plan-text" || answer.text === null) {
    $("share-note").textContent = "No plan to download: the input could not be planned.";
    return;
  }
  const url = URL.createObjectURL(new Blob([answer.text], { type: "application/json" }));
  const link = h("a", { href: url, download: "kubeplan-plan.json" });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
});

async function fromLocation() {
  const hash = location.hash;
  if (hash.startsWith("#v1=")) {
    try {
      const t = await decodeShare(hash);
      select.value = "";
      $("example-description").textContent = "From a shared link.";
      setTexts(t);
      selectTab(tabs[0]);
      return run();
    } catch (e) {
      $("share-note").textContent = `Could not open the shared link: ${e.message}`;
    }
  }
  const m = /^#example=(.+)$/.exec(hash);
  return loadExample(m ? decodeURIComponent(m[1]) : EXAMPLES[0].id);
}

window.addEventListener("hashchange", () => {
  // Our own replaceState does not fire this; a pasted link does.
  fromLocation();
});

fromLocation();
