// The cluster map: the Pending pods in lanes by the scheduler's message, then the nodes grouped by a label (the
// zone unless the user picks another), each a box with its badges, its cpu / memory / pods allocation as bars
// (the engine's figures) and its pods as chips. From DENSE_AT nodes on, a heat map on a canvas instead: one cell
// per node, coloured by the allocation of a resource or by the presence of a workload; a cell (or a group) opens
// the boxes of that node (or group).
//
// What is drawn is computed in map-model.ts; this file only builds elements (with h(), so every name stays text)
// and paints the canvas.

import { h, fill, type Child } from "./dom.ts";
import { buildGrid, podState, type Column, type GridNode, type Row } from "./model.ts";
import {
  ZONE_LABEL,
  cellAt,
  cellRect,
  HEAT_NONE,
  heatLayout,
  heatStep,
  heatValue,
  labelKeys,
  mapFromGrid,
  moveCell,
  nodeBadges,
  nodeFigures,
  rowPods,
  type ClusterMap,
  type Group,
  type HeatLayout,
  type Lane,
} from "./map-model.ts";
import type { PlanSummary, PodSummary } from "./protocol.ts";
import { slicer, type Pause } from "./tasks.ts";

/** Chips a lane or a zoomed group shows before a "more" button: enough to see, few enough to draw at once. */
const LANE_CHIPS = 200;
const GROUP_BOXES = 120;

/**
 * Node boxes drawn per task (each box is a few dozen elements): a map of a few hundred nodes appears a hundred
 * boxes at a time rather than in one long task. (Counted rather than timed: most of a box's cost is its layout,
 * after the task.)
 */
const BOXES_PER_TASK = 100;

const podKey = (p: PodSummary) => `${p.metadata.namespace}/${p.metadata.name}`;
const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

/** What a draw shows besides the summary. */
export interface MapDrawOptions {
  /** A timeline frame's pods; the summary's when absent. */
  pods?: readonly PodSummary[] | undefined;
  selected?: string | null;
  filter?: string;
  onlyUsed?: boolean;
  /** false while a timeline frame is shown: the bars are the final state's figures. */
  final?: boolean;
  /** The pause between steps of the draw this one is part of (tasks.ts); its own slicer's when absent. */
  pause?: Pause | undefined;
}

export interface MapHandlers {
  onPod: (key: string) => void;
  onDaemonSetNode: (daemonSet: string, node: string) => void;
}

/** The heat map opened at one node's box, or at a group's boxes. */
type Zoom = { node: string } | { group: string | null };

/** What the parts of one draw share. */
interface DrawContext extends MapHandlers {
  map: ClusterMap;
  selected: string | null | undefined;
  final: boolean;
  zoomTo: (zoom: Zoom | null) => Promise<void>;
}

/** The map's choices, kept across draws. */
interface MapState {
  groupBy: string;
  metric: string;
  zoom: Zoom | null;
  /** The heat map cell the keyboard is on. */
  focus: number;
  last: [summary: PlanSummary | null | undefined, opts: MapDrawOptions] | null;
}

/** Node boxes left for later tasks: `budget` boxes may still be drawn now, `rest` holds each list's others. */
interface Deferred {
  budget: number;
  rest: [list: HTMLElement, rows: Row[]][];
}

interface HeatMap {
  element: HTMLElement;
  paint(): void;
  dispose(): void;
}

/**
 * The map in `container`, with its own controls (group by, colour by) kept across draws so that focus stays on
 * them. `onPod(key)` opens a pod's detail, `onDaemonSetNode(dsKey, node)` says why a DaemonSet has no pod on a
 * node. Returns `{draw(summary, {pods, selected, filter, onlyUsed, final})}`; `draw` resolves once the map is
 * drawn, in a few tasks rather than one long one (for 10,000 nodes each step takes tens of milliseconds), or
 * gives up when a newer draw starts.
 */
export function createMap(container: HTMLElement, { onPod, onDaemonSetNode }: MapHandlers): { draw: (summary: PlanSummary | null | undefined, opts?: MapDrawOptions) => Promise<void> } {
  const ui: MapState = { groupBy: ZONE_LABEL, metric: "cpu", zoom: null, focus: 0, last: null };
  const groupSelect = h("select", { id: "map-group-by", onchange: () => ((ui.groupBy = groupSelect.value), (ui.zoom = null), redraw()) });
  const metricSelect = h("select", { id: "map-metric", onchange: () => ((ui.metric = metricSelect.value), redraw()) });
  const metricLabel = h("label", { class: "map-metric" }, "Colour by ", metricSelect);
  const tools = h("div", { class: "map-tools" }, h("label", null, "Group nodes by ", groupSelect), metricLabel);
  const body = h("div", { class: "map-body" });
  fill(container, tools, body);
  let heat: HeatMap | null = null; // the heat map's handle while it is shown
  let drawing = 0; // the newest draw: an older one stops at its next step

  function redraw(): Promise<void> {
    return ui.last ? draw(...ui.last) : Promise.resolve();
  }

  /** Open a node's or a group's boxes (`{node}`, `{group}`), or go back to the heat map (null), keeping focus. */
  async function zoomTo(zoom: Zoom | null): Promise<void> {
    ui.zoom = zoom;
    await redraw();
    body.querySelector<HTMLElement>(zoom ? ".map-back" : "canvas.heat")?.focus();
  }

  async function draw(summary: PlanSummary | null | undefined, opts: MapDrawOptions = {}): Promise<void> {
    ui.last = [summary, opts];
    const me = ++drawing;
    const nodes = summary?.nodes ?? [];
    // The user's choice is kept even when this input lacks the label (the select then shows no grouping), so
    // that the next input with zones is grouped by them again.
    setOptions(groupSelect, [["", "(no grouping)"], ...(summary?.labelKeys ?? labelKeys(nodes)).map((k): [string, string] => [k, k])], ui.groupBy);
    const pause = opts.pause ?? slicer();
    const pods = opts.pods ?? summary?.pods ?? [];
    const grid = buildGrid(summary, pods);
    await pause();
    if (me !== drawing) return;
    const map = mapFromGrid(grid, summary, { pods, groupBy: groupSelect.value, filter: opts.filter ?? "", onlyUsed: opts.onlyUsed ?? false });
    const workloadMetrics = map.columns.filter((c) => c.kind !== "Pod").map((c): [string, string] => [`workload:${c.key}`, `pods of ${c.kind} ${c.namespace}/${c.name}`]);
    setOptions(metricSelect, [["cpu", "cpu requested"], ["memory", "memory requested"], ["pods", "pods"], ...workloadMetrics], ui.metric);
    const ctx: DrawContext = { map, onPod, onDaemonSetNode, selected: opts.selected, final: opts.final !== false, zoomTo };
    heat?.dispose();
    heat = null;
    const metric = metricSelect.value;
    if (!map.dense) ui.zoom = null; // a zoom is into the heat map: gone with it
    const dense = map.dense && !ui.zoom;
    const parts: Child[] = [pendingLane(map.lanes, ctx)];
    const deferred: Deferred = { budget: BOXES_PER_TASK, rest: [] }; // boxes past the first hundred, drawn a task at a time
    if (!nodes.length) parts.push(h("p", { class: "empty" }, "No nodes."));
    else if (ui.zoom) parts.push(zoomed(ui.zoom, ctx));
    else if (dense) {
      heat = heatMap(map, metric, ui, ctx);
      parts.push(heat.element);
    } else parts.push(map.groups.map((g) => groupSection(g, ctx, Infinity, deferred)));
    if (map.shown < map.total) parts.push(h("p", { class: "note" }, `${plural(map.total - map.shown, "node")} hidden by the filter.`));
    await pause();
    if (me !== drawing) return;
    metricLabel.hidden = !dense;
    container.dataset.mode = ui.zoom ? "zoom" : dense ? "heat" : "boxes";
    fill(body, parts);
    heat?.paint();
    for (const [list, rows] of deferred.rest) {
      for (let i = 0; i < rows.length; i += BOXES_PER_TASK) {
        if (!(await nextTask(me))) return;
        list.append(...rows.slice(i, i + BOXES_PER_TASK).map((r) => nodeBox(r, ctx)));
      }
    }
  }

  /** Resolves in a later task: true if draw number `me` is still the newest. */
  function nextTask(me: number): Promise<boolean> {
    return new Promise((resolve) => setTimeout(() => resolve(me === drawing), 0));
  }

  return { draw };
}

function setOptions(select: HTMLSelectElement, options: readonly [value: string, text: string][], value: string): void {
  const same = select.options.length === options.length && options.every(([v], i) => select.options[i]?.value === v);
  if (!same) fill(select, options.map(([v, text]) => h("option", { value: v }, text)));
  select.value = options.some(([v]) => v === value) ? value : options[0]?.[0] ?? "";
}

// ------------------------------------------------------------------ Pending lane

function pendingLane(lanes: readonly Lane[], ctx: DrawContext): HTMLElement | null {
  if (!lanes.length) return null;
  const count = lanes.reduce((n, l) => n + l.pods.length, 0);
  return h(
    "section",
    { class: "map-pending", "aria-label": "Pending pods" },
    h("h3", null, `Pending: ${plural(count, "pod")}`),
    lanes.map((lane) =>
      h(
        "div",
        { class: "lane", dataset: { reason: lane.reason } },
        h(lane.fromScheduler ? "pre" : "p", { class: lane.fromScheduler ? "sched-message lane-message" : "note lane-message" }, lane.message),
        chips(lane.pods, ctx, LANE_CHIPS),
      ),
    ),
  );
}

/** Pod chips, the first `limit` of them and a button for the rest. */
function chips(pods: readonly PodSummary[], ctx: DrawContext, limit = Infinity): HTMLElement {
  const box = h("div", { class: "chips" }, pods.slice(0, limit).map((p) => podChip(p, ctx)));
  if (pods.length > limit) {
    const more = h("button", { type: "button", class: "more", onclick: () => (more.replaceWith(...pods.slice(limit).map((p) => podChip(p, ctx)))) }, `${plural(pods.length - limit, "more pod")}`);
    box.append(more);
  }
  return box;
}

function podChip(pod: PodSummary, ctx: DrawContext): HTMLButtonElement {
  const state = podState(pod);
  const key = podKey(pod);
  const on = ctx.selected === key;
  return h(
    "button",
    {
      type: "button",
      class: ["pod-chip", `st-${state.toLowerCase()}`, on ? "selected" : ""],
      title: `${key}: ${state}`,
      "aria-pressed": on ? "true" : "false",
      dataset: { pod: key, state },
      onclick: () => ctx.onPod(key),
    },
    pod.metadata.name,
  );
}

// ------------------------------------------------------------------ boxes

/**
 * A group's title and boxes, the first `limit` of them with a button for more. With `deferred` (`{budget, rest}`),
 * only `budget` boxes (shared by all groups) are drawn now; `[list, rows]` for the others goes in `rest`.
 */
function groupSection(group: Group, ctx: DrawContext, limit = Infinity, deferred: Deferred | null = null): HTMLElement {
  let rows = group.rows.slice(0, limit);
  let rest: Row[] = [];
  if (deferred) {
    const now = Math.min(rows.length, deferred.budget);
    deferred.budget -= now;
    rest = rows.slice(now);
    rows = rows.slice(0, now);
  }
  const list = h("div", { class: "map-nodes" }, rows.map((r) => nodeBox(r, ctx)));
  if (rest.length) deferred?.rest.push([list, rest]);
  if (group.rows.length > limit) {
    let shown = limit;
    const more = h("button", {
      type: "button",
      class: "more",
      onclick: () => {
        const next = group.rows.slice(shown, shown + limit);
        shown += next.length;
        list.append(...next.map((r) => nodeBox(r, ctx)));
        if (shown >= group.rows.length) more.remove();
        else more.textContent = `Show ${plural(Math.min(limit, group.rows.length - shown), "more node")}`;
      },
    }, `Show ${plural(Math.min(limit, group.rows.length - limit), "more node")}`);
    return h("section", { class: "map-group", dataset: { group: group.value ?? "" } }, groupTitle(group), list, more);
  }
  return h("section", { class: "map-group", dataset: { group: group.value ?? "" } }, groupTitle(group), list);
}

function groupTitle(group: Group): HTMLElement {
  return h("h3", { class: "group-title" }, group.title, h("span", { class: "count" }, ` · ${plural(group.rows.length, "node")}`));
}

function nodeBox(row: Row, ctx: DrawContext): HTMLElement {
  const node = row.node;
  const pods = rowPods(row, ctx.map.columns);
  // A DaemonSet with no pod here: a button asking the engine why (its daemonSetNodes entry).
  const missing = ctx.map.columns.filter((c) => c.kind === "DaemonSet" && !row.cells.has(c.key) && !node.missing);
  return h(
    "article",
    { class: ["map-node", node.unschedulable ? "cordoned" : "", node.ready && node.ready !== "True" ? "not-ready" : ""], dataset: { node: node.name }, "aria-label": `node ${node.name}` },
    h("h4", { class: "node-title" }, h("span", { class: "node-name" }, node.name), badges(node)),
    bars(node, ctx.final),
    pods.length ? chips(pods, ctx) : h("p", { class: "empty" }, "no pods"),
    missing.length
      ? h(
          "div",
          { class: "chips" },
          missing.map((c) =>
            h(
              "button",
              { type: "button", class: "no-pod-chip", dataset: { daemonset: `${c.namespace}/${c.name}` }, title: `Why DaemonSet ${c.namespace}/${c.name} runs no pod on ${node.name}`, onclick: () => ctx.onDaemonSetNode(`${c.namespace}/${c.name}`, node.name) },
              `no ${c.name}`,
            ),
          ),
        )
      : null,
  );
}

function badges(node: GridNode): HTMLElement[] {
  return nodeBadges(node).map((b) =>
    b.kind === "taint"
      ? // The taints in a details element: a tooltip alone is out of a keyboard's reach.
        h("details", { class: "badge-details" }, h("summary", { class: "badge taint-badge", title: b.title }, b.text), h("ul", { class: "kv" }, b.title.split("\n").map((t) => h("li", null, t))))
      : h("span", { class: `badge ${b.kind}`, title: b.title }, b.text),
  );
}

function bars(node: GridNode, final: boolean): HTMLElement {
  const figures = nodeFigures(node);
  if (!figures.length) return h("p", { class: "note bars-none" }, "No allocation figures in the plan for this node.");
  return h(
    "div",
    { class: "bars" },
    figures.map((f) => {
      const pct = f.allocatable > 0 ? Math.round(f.fraction * 100) : null;
      const title = `${f.text}${pct === null ? "" : ` (${pct}%)`} requested of allocatable${final ? "" : " — the final state's figures"}`;
      const fillEl = h("span", { class: "bar-fill" });
      // The width is a custom property set through the CSSOM: the page's CSP allows no style attribute.
      fillEl.style.setProperty("--fill", `${Math.min(100, pct ?? (f.requested > 0 ? 100 : 0))}%`);
      return h(
        "div",
        {
          class: ["bar", f.over ? "over" : ""],
          role: "meter",
          "aria-label": f.id,
          "aria-valuemin": "0",
          "aria-valuemax": String(f.allocatable),
          "aria-valuenow": String(f.requested),
          "aria-valuetext": f.text,
          title,
          dataset: { resource: f.id, requested: String(f.requested), allocatable: String(f.allocatable) },
        },
        h("span", { class: "bar-text" }, f.text),
        h("span", { class: "bar-track" }, fillEl),
      );
    }),
  );
}

function zoomed(zoom: Zoom, ctx: DrawContext): Child[] {
  const back = h("button", { type: "button", class: "map-back", onclick: () => ctx.zoomTo(null) }, "← All nodes (heat map)");
  if ("node" in zoom) {
    const row = ctx.map.groups.flatMap((g) => g.rows).find((r) => r.node.name === zoom.node);
    return [back, row ? h("div", { class: "map-nodes" }, nodeBox(row, ctx)) : h("p", { class: "empty" }, `No node ${zoom.node} in this view.`)];
  }
  const group = ctx.map.groups.find((g) => g.value === zoom.group);
  return [back, group ? groupSection(group, ctx, GROUP_BOXES) : h("p", { class: "empty" }, "This group has no nodes in this view.")];
}

// ------------------------------------------------------------------ heat map

/** The heat map's cell size: smaller for more nodes, so that 10,000 fit in a few screens. */
const cellSize = (n: number) => (n > 4000 ? 8 : 12);

/** `#rrggbb` → [r, g, b]. */
function rgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  const [r = 128, g = 128, b = 128] = m ? m.slice(1).map((x) => parseInt(x, 16)) : [];
  return [r, g, b];
}

/** The heat map's colours: `colours` indexed by heatStep, then the text, the red corner and the focus ring. */
interface Palette {
  colours: string[];
  text: string;
  mark: string;
  focus: string;
}

/** The palette from the page's CSS variables, indexed by heatStep: eleven steps from --heat-lo to --heat-hi, then over, none, present, absent. */
function palette(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string) => css.getPropertyValue(name).trim();
  const lo = rgb(v("--heat-lo"));
  const hi = rgb(v("--heat-hi"));
  // Step 0 (nothing requested) is the pale end; the first tenth already a fifth of the way, so that a node with
  // a little requested stands apart from an empty one.
  const at = (i: number) => (i === 0 ? 0 : 0.2 + (0.8 * i) / 10);
  const ramp = Array.from({ length: 11 }, (_, i) => `rgb(${lo.map((c, k) => Math.round(c + ((hi[k] ?? c) - c) * at(i))).join(",")})`);
  return { colours: [...ramp, v("--bad"), v("--line"), v("--ok"), v("--line")], text: v("--fg"), mark: v("--bad"), focus: v("--accent") };
}



/** What a cell says when hovered or focused: the node, its group, its figures, badges and pods. */
function cellText(row: Row, group: Group, columns: readonly Column[]): string {
  const figures = nodeFigures(row.node).map((f) => f.text);
  const marks = nodeBadges(row.node).map((b) => b.text);
  const pods = rowPods(row, columns).length;
  return [row.node.name, group.value === "" ? null : group.title, ...figures, ...marks, plural(pods, "pod")].filter(Boolean).join(" · ");
}

function heatMap(map: ClusterMap, metric: string, ui: MapState, ctx: DrawContext): HeatMap {
  const rows = map.groups.flatMap((g) => g.rows);
  const groupOfIndex = map.groups.flatMap((g) => g.rows.map(() => g));
  const cell = cellSize(rows.length);
  const canvas = h("canvas", {
    class: "heat",
    tabindex: "0",
    "aria-roledescription": "heat map",
    "aria-label": `Heat map of ${plural(rows.length, "node")}: arrow keys move between nodes, Enter opens one`,
    "aria-describedby": "heat-status",
  });
  const tip = h("div", { class: "heat-tip", hidden: true, "aria-hidden": "true" });
  const status = h("p", { id: "heat-status", class: "heat-status", "aria-live": "polite" });
  const scroller = h("div", { class: "heat-scroll" }, canvas, tip);
  const legend = h("p", { class: "heat-legend note" }, legendText(metric));
  const groupButtons = h(
    "div",
    { class: "heat-groups" },
    map.groups.map((g) => h("button", { type: "button", class: "heat-group", dataset: { group: g.value ?? "" }, title: `Show the boxes of the nodes with ${g.title}`, onclick: () => ctx.zoomTo({ group: g.value }) }, `${g.label} (${g.rows.length.toLocaleString("en")})`)),
  );
  const element = h("div", { class: "heat-box" }, groupButtons, legend, scroller, status);
  let layout: HeatLayout | null = null;
  let colours: Uint8Array | null = null; // each cell's palette index, computed once per draw
  ui.focus = Math.min(ui.focus, Math.max(0, rows.length - 1));

  function paint() {
    const width = scroller.clientWidth - 2;
    if (width <= 0) return;
    const g2 = canvas.getContext("2d");
    if (!g2) return;
    const shape = heatLayout(map.groups.map((g) => g.rows.length), { width, cell, gap: 2, header: 18 });
    layout = shape;
    const pal = palette(canvas);
    const steps = (colours ??= Uint8Array.from(rows, (r) => heatStep(heatValue(r, metric), metric)));
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(shape.height * dpr);
    canvas.style.setProperty("width", `${width}px`);
    canvas.style.setProperty("height", `${shape.height}px`);
    g2.setTransform(dpr, 0, 0, dpr, 0, 0);
    g2.clearRect(0, 0, width, shape.height);
    g2.font = "12px system-ui, sans-serif";
    g2.textBaseline = "top";
    shape.groups.forEach((g, gi) => {
      g2.fillStyle = pal.text;
      g2.fillText(`${map.groups[gi]?.label} · ${plural(g.count, "node")}`, 0, g.y + 2);
    });
    // One path per colour (a style change per cell would be 10,000 of them); the cells' places computed group by
    // group, line by line, without an object per cell.
    const paths = pal.colours.map(() => new Path2D());
    const marks = new Path2D();
    const mark = Math.max(3, cell / 3);
    for (const g of shape.groups) {
      for (let k = 0; k < g.count; k++) {
        const i = g.first + k;
        const x = (k % shape.cols) * shape.pitch;
        const y = g.top + Math.floor(k / shape.cols) * shape.pitch;
        paths[steps[i] ?? HEAT_NONE]?.rect(x, y, cell, cell);
        // Cordoned or not ready: a corner mark, so the nodes the scheduler skips stand out whatever the colour.
        const n = rows[i]?.node;
        if (n && (n.unschedulable || (n.ready && n.ready !== "True"))) marks.rect(x + cell - mark, y, mark, mark);
      }
    }
    paths.forEach((path, c) => {
      g2.fillStyle = pal.colours[c] ?? pal.text;
      g2.fill(path);
    });
    g2.fillStyle = pal.mark;
    g2.fill(marks);
    if (document.activeElement === canvas && rows.length) {
      const r = cellRect(shape, ui.focus);
      g2.strokeStyle = pal.focus;
      g2.lineWidth = 2;
      g2.strokeRect(r.x - 1, r.y - 1, cell + 2, cell + 2);
    }
  }

  /** What cell `i` says ("" past the last). */
  const describe = (i: number) => {
    const row = rows[i];
    const group = groupOfIndex[i];
    return row && group ? cellText(row, group, map.columns) : "";
  };
  const say = (i: number) => (status.textContent = describe(i));
  const open = (i: number) => {
    const row = rows[i];
    if (i < 0 || !row) return;
    ui.focus = i; // where the keyboard is when the heat map comes back
    ctx.zoomTo({ node: row.node.name });
  };
  const pointCell = (e: MouseEvent) => {
    const box = canvas.getBoundingClientRect();
    return layout ? cellAt(layout, e.clientX - box.left, e.clientY - box.top) : -1;
  };

  canvas.addEventListener("mousemove", (e) => {
    const i = pointCell(e);
    if (i < 0 || !layout) {
      tip.hidden = true;
      return;
    }
    const r = cellRect(layout, i);
    tip.textContent = describe(i);
    tip.hidden = false;
    // Beside the cell, kept inside the scroll box (left of the cell in the right half).
    const right = r.x > scroller.clientWidth / 2;
    tip.classList.toggle("left", right);
    tip.style.setProperty("--x", `${right ? r.x - 6 : r.x + cell + 6}px`);
    tip.style.setProperty("--y", `${r.y}px`);
  });
  canvas.addEventListener("mouseleave", () => (tip.hidden = true));
  canvas.addEventListener("click", (e) => open(pointCell(e)));
  canvas.addEventListener("focus", () => (say(ui.focus), paint()));
  canvas.addEventListener("blur", () => paint());
  canvas.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      open(ui.focus);
      return;
    }
    if (!layout || !["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].includes(e.key)) return;
    e.preventDefault();
    ui.focus = moveCell(layout, ui.focus, e.key);
    say(ui.focus);
    paint();
    // Keep the focused cell in view inside the scroll box.
    const r = cellRect(layout, ui.focus);
    if (r.y < scroller.scrollTop) scroller.scrollTop = r.y - 20;
    else if (r.y + cell > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = r.y + cell - scroller.clientHeight + 20;
  });
  // Repainted when the box changes width (the window, the detail column) or the colour scheme changes.
  let frame = 0;
  let lastWidth = 0;
  const resized = new ResizeObserver(() => {
    if (scroller.clientWidth === lastWidth) return;
    lastWidth = scroller.clientWidth;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(paint);
  });
  resized.observe(scroller);
  const scheme = window.matchMedia("(prefers-color-scheme: dark)");
  const repaint = () => paint();
  scheme.addEventListener("change", repaint);

  return {
    element,
    paint,
    dispose() {
      resized.disconnect();
      scheme.removeEventListener("change", repaint);
      cancelAnimationFrame(frame);
    },
  };
}

function legendText(metric: string): string {
  if (metric.startsWith("workload:")) return "Green: the node has a pod of the workload; grey: it has none. A red corner: cordoned or not ready.";
  return `Palest: no ${metric} requested; then a step deeper for each tenth of the allocatable ${metric} requested, up to 100%; red: over 100%; grey: no figures. A red corner: cordoned or not ready.`;
}
