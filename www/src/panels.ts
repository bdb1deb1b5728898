// The result panels around the grid: problems and rejections, Pending pods with the scheduler's message,
// `kubectl get` tables, events, and the verdicts of every node for one pod.

import type { Action, DaemonSetNode, PlacementRecord } from "kubeplan";
import { h, fill, setChildren, type Child } from "./dom.ts";
import { statusTables, tabwrite } from "./model.ts";
import { pendingLanes, type Lane } from "./map-model.ts";
import { editorOfFile, type EditorFix, type EditorName, type ProblemsByEditor } from "./input.ts";
import type { NodeSummary, PlanSummary, PodSummary } from "./protocol.ts";
import { createRowWindow, type RowWindow } from "./row-window.ts";
import { afterFrame } from "./tasks.ts";

/** Shows a place in its editor. */
type Goto = (editor: EditorName, line: number, column: number) => void;
/** Applies a lint fix to its editor. */
type ApplyFix = (editor: EditorName, fix: EditorFix) => void;

/**
 * The problems of every editor and the API server's refusals. A problem's place is a button that shows it in its
 * editor (`onGoto(editor, line, column)`); a lint fix with edits is a button that applies it (`onFix(editor, fix)`),
 * one without is named.
 */
export function renderProblems(
  container: HTMLElement,
  summary: Pick<PlanSummary, "rejections"> | null | undefined,
  problems: ProblemsByEditor,
  { onGoto, onFix }: { onGoto?: Goto; onFix?: ApplyFix } = {},
): void {
  const rejections = summary?.rejections ?? [];
  // A refusal is listed once, with its phase, under the refusals; not again among the input's problems.
  const refused = new Set(rejections.map((r) => `${r.line}|${r.message}`));
  const items: HTMLLIElement[] = [];
  for (const [editor, list] of entries(problems)) {
    for (const p of list) {
      if (refused.has(`${p.line}|${p.message}`)) continue;
      items.push(
        h(
          "li",
          { class: `sev-${p.severity}` },
          editor === "other" ? h("span", { class: "where" }, "") : placeButton(editor, p.line, p.column, onGoto),
          " ",
          h("span", { class: "sev" }, p.severity),
          " ",
          p.message,
          fixControl(editor, p.fix, onFix),
        ),
      );
    }
  }
  const rej = rejections.map((r) => {
    const editor = r.line ? editorOfFile(r.file) : null;
    return h(
      "li",
      { class: "sev-error" },
      editor && r.line ? [placeButton(editor, r.line, r.column ?? 1, onGoto), " "] : null,
      h("span", { class: "where" }, `${r.phase}`),
      " ",
      h("span", { class: "sev" }, "rejected"),
      " ",
      `${r.kind} ${r.namespace ? r.namespace + "/" : ""}${r.name}: `,
      r.message,
    );
  });
  if (!items.length && !rej.length) {
    fill(container);
    container.hidden = true;
    return;
  }
  container.hidden = false;
  fill(
    container,
    rej.length ? [h("h3", null, "What the API server (or kubectl) refused"), h("ul", { class: "problems" }, rej)] : null,
    items.length ? [h("h3", null, "Problems in the input"), h("ul", { class: "problems" }, items)] : null,
  );
}

/** Object.entries with the record's own key type (Object.entries types keys as strings). */
function entries<K extends string, V>(record: Record<K, V>): [K, V][] {
  return Object.entries(record) as [K, V][];
}

/** `editor:line:column` as a button that shows that place in its editor. */
function placeButton(editor: EditorName, line: number, column: number, onGoto: Goto | undefined): HTMLButtonElement {
  const where = `${editor}:${line}:${column}`;
  return h("button", { type: "button", class: "where link", title: `Show ${where} in the editor`, onclick: () => onGoto?.(editor, line, column) }, where);
}

function fixControl(editor: EditorName | "other", fix: EditorFix | undefined, onFix: ApplyFix | undefined): Child {
  if (!fix) return null;
  // A fix of a file no editor holds can only be read.
  if (!fix.edits.length || editor === "other") return [" ", h("span", { class: "fix" }, `(fix: ${fix.description})`)];
  return [" ", h("button", { type: "button", class: "fix", title: "Apply this fix to the editor's text", onclick: () => onFix?.(editor, fix) }, `Fix: ${fix.description}`)];
}

/** Pods listed per group of Pending pods until "Show all" is asked for. */
const PENDING_PODS_SHOWN = 100;
/**
 * The rest, on "Show all": a list of this many per frame, each a flex container of its own, laid out alone (2,900
 * names added to one list in one task took 270 to 450 ms under load; 500 a frame, a frame's task 77 to 106 ms of
 * the page's own time, against the bar of 100; 250, 41 to 73 ms; 150, no better: 44 to 61).
 */
const PENDING_PODS_PER_FRAME = 250;

/**
 * The Pending pods in groups by what they say, as the map's Pending lanes (map-model.ts `pendingLanes`, the most
 * crowded first): each group's reason and message once, then its pods, the first PENDING_PODS_SHOWN of them until
 * "Show all", each a button that selects the pod. The pods of a workload that fits no node mostly share a message:
 * 3,000 of them drawn each with its message took over a second of the page.
 */
export function renderPending(container: HTMLElement, summary: PlanSummary | null | undefined, onPod: (key: string) => void): void {
  const groups = pendingLanes(summary?.pods ?? [], summary);
  if (!groups.length) {
    fill(container, h("p", { class: "empty" }, "No pod is Pending."));
    return;
  }
  fill(container, groups.map((g) => pendingGroup(g, onPod)));
}

/** A group: a lone pod as its name, reason and message; several as the reason, their count, the message, then their names. */
function pendingGroup(g: Lane, onPod: (key: string) => void): HTMLElement {
  const pods = g.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  const n = pods.length;
  const reason = g.reason ? h("span", { class: "reason" }, g.reason) : null;
  const item = (key: string) => h("li", { dataset: { pod: key } }, h("button", { type: "button", class: "linklike", onclick: () => onPod(key) }, key), n === 1 && reason ? [" ", reason] : null);
  const list = h("ul", { class: "pending-list" }, pods.slice(0, PENDING_PODS_SHOWN).map(item));
  const message = h(g.fromScheduler ? "pre" : "p", { class: g.fromScheduler ? "sched-message" : "note" }, g.message);
  const more =
    n > PENDING_PODS_SHOWN
      ? h("p", { class: "note" }, `The first ${PENDING_PODS_SHOWN} of ${n} shown. `, h("button", {
          type: "button",
          onclick: async () => {
            more?.remove();
            let after: Element = list;
            for (let from = PENDING_PODS_SHOWN; from < n; from += PENDING_PODS_PER_FRAME) {
              if (from > PENDING_PODS_SHOWN) await afterFrame();
              if (!after.isConnected) return; // drawn again meanwhile
              const next = h("ul", { class: "pending-list" }, pods.slice(from, from + PENDING_PODS_PER_FRAME).map(item));
              after.after(next);
              after = next;
            }
          },
        }, `Show all ${n}`))
      : null;
  const parts = n === 1 ? [list, message] : [h("p", { class: "pending-said" }, reason, ` ${n} pods`), message, list, more];
  return h("section", { class: "pending-group", dataset: { pods: String(n) } }, parts);
}

export function renderStatus(container: HTMLElement, summary: PlanSummary | null | undefined): void {
  const tables = statusTables(summary);
  if (!tables.length) {
    fill(container, h("p", { class: "empty" }, "No workloads."));
    return;
  }
  fill(
    container,
    tables.map((t) => [h("h3", null, h("code", null, `$ ${t.title}`)), h("pre", { class: "kubectl", dataset: { table: t.title } }, tabwrite(t.header, t.rows))]),
  );
}

const EVENTS_SHOWN = 200;
/** The rows of events drawn per step when the drawing is paced (`pause`). */
const EVENT_ROWS_PER_STEP = 50;

/**
 * The events, the first EVENTS_SHOWN of them unless `all`. The summary carries only those first ones and the count
 * (`eventCount`); `onAll()` fetches the rest and draws them. With `pause`, the rows come EVENT_ROWS_PER_STEP at a
 * time with a pause between (a large plan's drawing waits a frame there: a table of 200 rows took 20 to 90 ms of
 * style and layout in one frame, 50 rows take a quarter of it, the rows before them kept as laid out); resolves once
 * every row is in the table, or once another call has replaced it.
 */
export async function renderEvents(
  container: HTMLElement,
  summary: Pick<PlanSummary, "events" | "eventCount"> | null | undefined,
  { all = false, onAll, pause }: { all?: boolean; onAll?: () => void; pause?: () => Promise<void> } = {},
): Promise<void> {
  const events = summary?.events ?? [];
  const total = all ? events.length : summary?.eventCount ?? events.length;
  if (!total) {
    fill(container, h("p", { class: "empty", dataset: { events: "0" } }, "No events."));
    return;
  }
  // A 1,000-node plan has thousands of events: the first ones are drawn, the rest on request.
  const shown = all ? events : events.slice(0, EVENTS_SHOWN);
  const note = h(
    "p",
    { class: "note", dataset: { events: String(total) } },
    `${total} event${total === 1 ? "" : "s"}`,
    shown.length < total
      ? [`, the first ${shown.length} shown. `, h("button", { type: "button", onclick: () => (shown.length < events.length ? renderEvents(container, summary, { all: true }) : onAll?.()) }, `Show all ${total}`)]
      : ".",
  );
  if (all) {
    renderAllEvents(container, shown, note);
    return;
  }
  allEventsWindows.get(container)?.clear();
  // A re-plan after a small edit mostly has the same first events, in the same places: the table drawn last time
  // is kept, and only the rows that show something else are made again (200 rows are some 1,600 elements to make,
  // style and lay out: 10 to 30 ms of a 1,000-node re-plan). When more rows differ than a paced step would make,
  // the table is drawn anew, paced.
  const body = container.querySelector<HTMLTableElement>(":scope > table.events:not(.all)")?.tBodies[0];
  const keys = shown.map(eventKey);
  const changed = body ? keys.flatMap((key, i) => {
    const at = body.rows[i];
    return at && rowKeys.get(at) === key ? [] : [i];
  }) : null;
  if (body && changed && (!pause || changed.length <= EVENT_ROWS_PER_STEP)) {
    for (const i of changed) {
      const row = keyedRow(shown[i]!, keys[i]!);
      const at = body.rows[i];
      if (at) at.replaceWith(row);
      else body.append(row);
    }
    while (body.rows.length > shown.length) body.lastElementChild?.remove();
    setChildren(container, [body.parentElement!, note]);
    return;
  }
  const step = pause ? EVENT_ROWS_PER_STEP : shown.length;
  const rows = (from: number, to: number) => shown.slice(from, to).map((e, i) => keyedRow(e, keys[from + i]!));
  const tbody = h("tbody", null, rows(0, step));
  fill(container, h("table", { class: "events" }, eventsHead(), tbody), note);
  for (let from = step; from < shown.length; from += step) {
    await pause?.();
    if (!container.contains(tbody)) return; // drawn again meanwhile
    tbody.append(...rows(from, from + step));
  }
}

const eventsHead = () => h("thead", null, h("tr", null, ["PHASE", "ROUND", "TYPE", "REASON", "OBJECT", "FROM", "MESSAGE"].map((t) => h("th", { scope: "col" }, t))));

/** Each events box's window over every event, made when "Show all" is first asked for in it. */
const allEventsWindows = new WeakMap<HTMLElement, RowWindow<number>>();

/**
 * Every event, in `container`'s scroll box: only the rows near its view are in the page (row-window.ts). A
 * 10,000-node plan has some 18,000 events: made all at once, their rows held the page for close to a second.
 */
function renderAllEvents(container: HTMLElement, events: readonly PlanEventRow[], note: HTMLElement) {
  let rows = allEventsWindows.get(container);
  if (!rows) {
    rows = createRowWindow<number>(container, { estimate: 20 });
    allEventsWindows.set(container, rows);
  }
  const head = eventsHead();
  const body = h("tbody");
  const table = h("table", { class: "events all", "aria-rowcount": String(events.length + 1) }, head, body);
  fill(container, table, note);
  container.scrollTop = 0;
  rows.show({ table, body, head: [...head.rows[0]!.cells], key: String, make: (i) => eventRow(events[i]!) }, events.map((_, i) => i));
  rows.update();
}

type PlanEventRow = PlanSummary["events"][number];

/** Each event row's key (eventKey): what it shows. */
const rowKeys = new WeakMap<HTMLTableRowElement, string>();

/** Everything an event's row shows, as one string. */
const eventKey = (e: PlanEventRow): string =>
  [e.phase, e.round, e.type, e.reason, e.involvedObject.kind, e.involvedObject.name, e.source?.component ?? "", e.message, e.count].join("\u0000");

/** An event's row, its key remembered (rowKeys). */
function keyedRow(e: PlanEventRow, key: string): HTMLTableRowElement {
  const row = eventRow(e);
  rowKeys.set(row, key);
  return row;
}

function eventRow(e: PlanEventRow): HTMLTableRowElement {
  return h(
    "tr",
    { class: e.type === "Warning" ? "warning" : "" },
    h("td", null, e.phase),
    h("td", { class: "num" }, String(e.round)),
    h("td", null, e.type),
    h("td", null, e.reason),
    h("td", null, `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}`),
    h("td", null, e.source?.component ?? ""),
    h("td", null, e.message, e.count > 1 ? h("span", { class: "count" }, ` (×${e.count})`) : null),
  );
}

/**
 * Why DaemonSet `daemonSet` ("ns/name") runs no pod on `node`: the engine's `daemonSetNodes` entry (`{reason,
 * message}`), `undefined` while it is asked for, null when the plan gives none.
 */
export function renderDaemonSetNode(container: HTMLElement, daemonSet: string, node: string, entry: DaemonSetNode | null | undefined): void {
  const parts: Child[] = [h("h3", null, `DaemonSet ${daemonSet}: no pod on ${node}`)];
  if (entry === undefined) parts.push(h("p", { class: "note" }, "Asking the planner why…"));
  else if (entry === null) parts.push(h("p", { class: "note" }, "The plan gives no reason for this node (this engine's plan has no daemonSetNodes entry for it)."));
  else {
    parts.push(
      h("dl", { class: "facts ds-reason" }, h("dt", null, "reason"), h("dd", { dataset: { reason: entry.reason } }, entry.reason), entry.message ? [h("dt", null, "message"), h("dd", null, entry.message)] : null),
      h("p", { class: "note" }, "The DaemonSet controller creates no pod for a node its pod template does not fit (node selector or affinity, taints not tolerated, nodeName); the scheduler never sees one."),
    );
  }
  fill(container, parts);
}

/** One pod: its state, its conditions, and for every scheduling decision about it every node's verdict. */
export function renderPodDetail(
  container: HTMLElement,
  pod: PodSummary | null,
  placements?: readonly PlacementRecord[] | null,
  nodes?: readonly NodeSummary[],
): void {
  if (!pod) {
    fill(container, h("p", { class: "empty" }, "Click a pod in the map or the grid to see every node's verdict."));
    return;
  }
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const conds = (pod.status?.conditions ?? []).map((c) =>
    h("li", null, `${c.type}=${c.status}`, c.reason ? ` ${c.reason}` : "", c.message ? [": ", h("span", { class: "msg" }, c.message)] : null),
  );
  const labels = Object.entries(pod.metadata?.labels ?? {}).map(([k, v]) => h("li", null, `${k}=${v}`));
  const parts: Child[] = [
    h("h3", null, key),
    h(
      "dl",
      { class: "facts" },
      h("dt", null, "node"),
      h("dd", null, pod.spec?.nodeName ?? "none (Pending)"),
      h("dt", null, "phase"),
      h("dd", null, pod.status?.phase || "Pending"),
      pod.spec?.schedulerName && pod.spec.schedulerName !== "default-scheduler" ? [h("dt", null, "scheduler"), h("dd", null, pod.spec.schedulerName)] : null,
      pod.spec?.containers?.length ? [h("dt", null, "images"), h("dd", null, pod.spec.containers.map((c) => c.image).join(", "))] : null,
    ),
    conds.length ? [h("h4", null, "Conditions"), h("ul", { class: "kv conds" }, conds)] : null,
    labels.length ? [h("h4", null, "Labels"), h("ul", { class: "kv" }, labels)] : null,
  ];
  if (!placements) {
    parts.push(h("p", { class: "note" }, "Asking the planner for every node's verdict…"));
  } else if (!placements.length) {
    parts.push(
      h("p", { class: "note" }, pod.spec?.nodeName && !(pod.status?.conditions ?? []).some((c) => c.type === "PodScheduled") ? "Never scheduled: spec.nodeName was set when the pod was created, so it went to its node without the scheduler." : "The scheduler made no decision about this pod."),
    );
  } else {
    for (const p of placements) parts.push(decision(p, nodes, pod));
  }
  fill(container, parts);
}

// Where the Kubernetes documentation explains what each scheduler plugin checks or scores; a plugin not listed
// links to the list of plugins.
const K8S_DOCS = "https://kubernetes.io/docs/";
const PLUGIN_DOCS: Partial<Record<string, string>> = {
  NodeResourcesFit: "concepts/configuration/manage-resources-containers/#how-pods-with-resource-requests-are-scheduled",
  TaintToleration: "concepts/scheduling-eviction/taint-and-toleration/",
  NodeAffinity: "concepts/scheduling-eviction/assign-pod-node/#node-affinity",
  NodeName: "concepts/scheduling-eviction/assign-pod-node/#nodename",
  NodeUnschedulable: "concepts/architecture/nodes/#manual-node-administration",
  PodTopologySpread: "concepts/scheduling-eviction/topology-spread-constraints/",
  InterPodAffinity: "concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity",
  DefaultPreemption: "concepts/scheduling-eviction/pod-priority-preemption/#preemption",
  SchedulingGates: "concepts/scheduling-eviction/pod-scheduling-readiness/",
};
const PLUGIN_LIST = "reference/scheduling/config/#scheduling-plugins";

/** A plugin's name as a link to the page that explains it (opened apart, without a referrer). */
export function pluginLink(plugin: string): HTMLAnchorElement {
  const href = K8S_DOCS + (PLUGIN_DOCS[plugin] ?? PLUGIN_LIST);
  return h("a", { href, target: "_blank", rel: "noopener noreferrer", class: "plugin-doc", title: `${plugin} in the Kubernetes documentation` }, plugin);
}

/** How many tied nodes the tie sentence names before it counts the rest. */
export const TIED_NAMES_SHOWN = 10;

/** The tie, naming at most TIED_NAMES_SHOWN nodes (a 1,000-node cluster can tie hundreds). */
export function tiedSentence(tiedNodes: readonly string[]): string {
  const shown = tiedNodes.slice(0, TIED_NAMES_SHOWN).join(", ");
  const more = tiedNodes.length - TIED_NAMES_SHOWN;
  return (
    `Tied for the top score: ${shown}${more > 0 ? ` and ${more} more` : ""} (${tiedNodes.length} nodes)` +
    " — kubeplan takes the smallest name; kube-scheduler picks one of them at random."
  );
}

function decision(p: PlacementRecord, nodes: readonly NodeSummary[] | undefined, pod: PodSummary): HTMLElement {
  const plugins = new Set<string>();
  for (const s of Object.values(p.scores ?? {})) for (const k of Object.keys(s)) if (k !== "total") plugins.add(k);
  const pluginList = [...plugins].sort();
  // A tie needs two nodes; the engine lists the chosen node alone when it had the top score to itself.
  const tied = new Set(p.tiedNodes && p.tiedNodes.length > 1 ? p.tiedNodes : []);
  const names = new Set([...Object.keys(p.rejected ?? {}), ...Object.keys(p.scores ?? {})]);
  if (p.selectedNode) names.add(p.selectedNode);
  const order = [...names].sort((a, b) => {
    // The chosen node first, then the tied ones, then by score, then rejected ones by name.
    const rank = (n: string) => (n === p.selectedNode ? 0 : tied.has(n) ? 1 : p.scores?.[n] ? 2 : 3);
    return rank(a) - rank(b) || (p.scores?.[b]?.total ?? 0) - (p.scores?.[a]?.total ?? 0) || (a < b ? -1 : 1);
  });
  const row = (n: string) => {
    const v = p.rejected?.[n];
    const s = p.scores?.[n];
    const verdict = v
      ? h("td", { class: "rejected", colspan: String(pluginList.length + 1) }, h("strong", null, pluginLink(v.plugin)), ": ", v.reasons.join("; "))
      : s
        ? [pluginList.map((k) => h("td", { class: "num" }, String(s[k] ?? 0))), h("td", { class: "num total" }, String(s.total ?? 0))]
        : h("td", { class: "fits", colspan: String(pluginList.length + 1) }, "feasible (the only one: not scored)");
    return h(
      "tr",
      { class: n === p.selectedNode ? "chosen" : tied.has(n) ? "tied" : v ? "rej" : "", dataset: { node: n } },
      h("th", { scope: "row" }, n, n === p.selectedNode ? " ✓" : tied.has(n) ? " (tied)" : ""),
      verdict,
    );
  };
  const total = nodes?.length ?? 0;
  const unexamined = Math.max(0, total - (p.examinedNodes ?? 0));
  const dsPod = (pod?.metadata?.ownerReferences ?? []).some((r) => r.kind === "DaemonSet");
  const why = dsPod
    ? "a DaemonSet pod's node affinity names its one node, so the scheduler looks at no other"
    : "the scheduler filters only until it has enough feasible nodes (percentageOfNodesToScore), or the pod's node affinity names fewer nodes";
  const summary = [
    `${p.phase}, round ${p.round}: `,
    p.profile ? `profile ${p.profile}, ` : "",
    p.selectedNode ? `bound to ${p.selectedNode}` : "no node fits",
    p.topScore !== undefined && p.topScore !== null ? ` (top score ${p.topScore})` : "",
    `; ${p.feasibleNodes} feasible of ${p.examinedNodes} examined`,
    unexamined ? ` (${unexamined} not examined: ${why})` : "",
  ].join("");
  return h(
    "section",
    { class: "decision" },
    h("h4", null, summary),
    tied.size ? h("p", { class: "tied-set" }, tiedSentence(p.tiedNodes ?? [])) : null,
    p.message ? h("pre", { class: "sched-message" }, p.message) : null,
    p.nominatedNode ? h("p", null, `Nominated node (preemption): ${p.nominatedNode}`) : null,
    order.length ? verdictTable(order, row, pluginList) : null,
  );
}

/** Verdict tables up to this many rows are drawn whole; longer ones only near their box's view. */
const VERDICT_ROWS_DRAWN = 200;

/**
 * A decision's verdicts, a row per node in `order`, in a scroll box. A pod the scheduler looked at on 10,000 nodes
 * has a row for each (and a Pending pod a table for each try): past VERDICT_ROWS_DRAWN rows only those near the
 * box's view are made (row-window.ts).
 */
function verdictTable(order: readonly string[], row: (node: string) => HTMLTableRowElement, pluginList: readonly string[]): HTMLElement {
  const headRow = h("tr", null, h("th", { scope: "col" }, "node"), pluginList.length ? [pluginList.map((k) => h("th", { scope: "col" }, pluginLink(k))), h("th", { scope: "col" }, "total")] : h("th", { scope: "col" }, "verdict"));
  const head = h("thead", null, headRow);
  if (order.length <= VERDICT_ROWS_DRAWN) return h("div", { class: "scroll" }, h("table", { class: "verdicts" }, head, h("tbody", null, order.map(row))));
  const body = h("tbody");
  const table = h("table", { class: "verdicts windowed", "aria-rowcount": String(order.length + 1) }, head, body);
  const box = h("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": "Every node's verdict" }, table);
  const rows = createRowWindow<string>(box, { estimate: 22 });
  rows.show({ table, body, head: [...headRow.cells], key: (n) => n, make: row }, order);
  // Drawn once the caller has put the box in the page (its view's height is what the window fills), before a frame.
  queueMicrotask(() => rows.update());
  return box;
}

/** A round's actions up to this many are an ordered list drawn whole; a longer round's only near its box's view. */
const ROUND_ACTIONS_DRAWN = 200;

/** An action as the timeline says it: `create pod/web-0 → node-3 (ReplicaSet/web-5d8f)`. */
const actionText = (a: Action): string => `${a.op} ${a.kind.toLowerCase()}/${a.name}${a.node ? ` → ${a.node}` : ""}${a.owner ? ` (${a.owner})` : ""}`;

/**
 * The actions of the timeline's round shown, in their order, or null for none. A DaemonSet's round at 10,000 nodes
 * holds 10,000 of them: made and laid out as list items in one task, that took 65 to 134 ms of the page's own time
 * when the timeline was first moved, so past ROUND_ACTIONS_DRAWN a table numbered as the list is holds them, its
 * rows made only near the box's view (row-window.ts).
 */
export function renderRoundActions(actions: readonly Action[]): HTMLElement | null {
  if (!actions.length) return null;
  if (actions.length <= ROUND_ACTIONS_DRAWN) return h("ol", null, actions.map((a) => h("li", { class: `op-${a.op}` }, actionText(a))));
  const headRow = h("tr", null, h("th", { scope: "col", class: "num" }, "#"), h("th", { scope: "col" }, `action (${actions.length.toLocaleString("en-US")})`));
  const body = h("tbody");
  const table = h("table", { class: "round-actions windowed", "aria-rowcount": String(actions.length + 1) }, h("thead", null, headRow), body);
  const box = h("div", { class: "round-actions-box", tabindex: "0", role: "region", "aria-label": "The round's actions" }, table);
  const make = (i: number) => {
    const a = actions[i]!;
    return h("tr", { class: `op-${a.op}` }, h("td", { class: "num" }, String(i + 1)), h("td", null, actionText(a)));
  };
  const rows = createRowWindow<number>(box, { estimate: 17 });
  rows.show({ table, body, head: [...headRow.cells], key: String, make }, actions.map((_, i) => i));
  // Drawn once the caller has put the box in the page (its view's height is what the window fills), before a frame.
  queueMicrotask(() => rows.update());
  return box;
}
