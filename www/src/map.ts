// The cluster map: the Pending pods in lanes by the scheduler's message, then the nodes grouped by a label (the
// zone unless the user picks another), each a box with its badges, its cpu / memory / pods allocation as bars
// (the engine's figures) and its pods as chips. From DENSE_AT nodes on, a heat map on a canvas instead: one cell
// per node, coloured by the allocation of a resource or by the presence of a workload; a cell (or a group) opens
// the boxes of that node (or group).
//
// What is drawn is computed in map-model.ts; this file only builds elements (with h(), so every name stays text)
// and paints the canvas. "Download map" saves what is shown as SVG or PNG (map-picture.ts lays it out,
// map-export.ts makes the files).

import { download, h, fill, setChildren } from "./dom.ts";
import { canvasMeasure, canvasPng, inTasks, picturePng, pngScale, svgTextSteps, themeOf } from "./map-export.ts";
import { boxesPictureSteps, heatPicture, type Picture, type Theme } from "./map-picture.ts";
import { podState, sharedGrid, type Column, type Grid, type GridNode, type Row } from "./model.ts";
import {
  ZONE_LABEL,
  cellAt,
  cellRect,
  HEAT_NONE,
  heatLayout,
  heatMarked,
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
  /** false while a timeline frame is shown: its nodes carry that round's figures where known (`atRound`). */
  final?: boolean;
  /** The pause between steps of the draw this one is part of (tasks.ts); its own slicer's when absent. */
  pause?: Pause | undefined;
}

export interface MapHandlers {
  onPod: (key: string) => void;
  onDaemonSetNode: (daemonSet: string, node: string) => void;
}

/**
 * A zoom into the heat map: one node's box, or one group's boxes, `shown` of them (more on request). The count
 * lives in the zoom, so that a later draw of it (a new plan, a pod selected, a frame of the timeline) shows as
 * many boxes as the user asked for.
 */
type Zoom = { node: string } | GroupZoom;
type GroupZoom = { group: string | null; shown: number };

/** What the parts of one draw share. */
interface DrawContext extends MapHandlers {
  map: ClusterMap;
  selected: string | null | undefined;
  final: boolean;
  zoomTo: (zoom: Zoom | null) => Promise<void>;
  /** The node boxes and the Pending lane drawn for this grid before, shown again as they are. */
  kept: Kept;
}

/** The most node boxes kept for later draws (a map draws 999 at most, a zoom 120 at a time). */
const KEPT_BOXES = 2000;

/**
 * What the draws of one grid (a plan or a timeline frame) with the same pod selected make alike: its node boxes,
 * by row, and its Pending lane. A draw for another filter, "only nodes with pods" or a zoom shows them again
 * rather than making them anew (with the state the user left them in: a taint list open stays open); a new grid
 * or selection starts afresh.
 */
class Kept {
  private readonly boxes = new Map<Row, HTMLElement>();
  private lane: HTMLElement | null | undefined;

  constructor(
    private readonly grid: Grid,
    private readonly selected: string | null | undefined,
    private readonly final: boolean,
  ) {}

  /** Whether a draw of `grid` with `selected` and `final` shows the same boxes. */
  fits(grid: Grid, selected: string | null | undefined, final: boolean): boolean {
    return this.grid === grid && this.selected === selected && this.final === final;
  }

  has(row: Row): boolean {
    return this.boxes.has(row);
  }

  /** The row's box: the one kept, or one made now and kept. */
  box(row: Row, ctx: DrawContext): HTMLElement {
    let box = this.boxes.get(row);
    if (!box) {
      if (this.boxes.size >= KEPT_BOXES) this.boxes.clear();
      box = nodeBox(row, ctx);
      this.boxes.set(row, box);
    }
    return box;
  }

  /** The Pending lane (null when no pod is Pending). */
  pending(lanes: readonly Lane[], ctx: DrawContext): HTMLElement | null {
    if (this.lane === undefined) this.lane = pendingLane(lanes, ctx);
    return this.lane;
  }
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

/** Node boxes left for later tasks: `budget` boxes may still be made now, `rest` holds each list's others. */
interface Deferred {
  budget: number;
  rest: [list: HTMLElement, rows: Row[]][];
}

interface HeatMap {
  element: HTMLElement;
  canvas: HTMLCanvasElement;
  /** Show `map`'s nodes coloured by `metric` from the next paint on. */
  show(map: ClusterMap, metric: string): void;
  /** Paint what was shown last (once the element is in the page: its width is the box's). */
  paint(): void;
  /** The heat map as painted last, as a picture (null before its first paint). */
  picture(theme: Theme): Picture | null;
}

type PictureFormat = "svg" | "png";

/**
 * The map in `container`, with its own controls (group by, colour by) kept across draws so that focus stays on
 * them. `onPod(key)` opens a pod's detail, `onDaemonSetNode(dsKey, node)` says why a DaemonSet has no pod on a
 * node. Returns `{draw(summary, {pods, selected, filter, onlyUsed, final})}`; `draw` resolves once the map is
 * drawn, in a few tasks rather than one long one (for 10,000 nodes each step takes tens of milliseconds), or
 * gives up when a newer draw starts. A draw keeps what the last ones made where it can: the heat map (repainted)
 * and, for the same grid, the node boxes and the Pending lane (`Kept`), so that a filter typed at 10,000 nodes
 * moves what is drawn instead of making it again, and makes at most a hundred new boxes per task.
 */
export function createMap(container: HTMLElement, { onPod, onDaemonSetNode }: MapHandlers): { draw: (summary: PlanSummary | null | undefined, opts?: MapDrawOptions) => Promise<void> } {
  const ui: MapState = { groupBy: ZONE_LABEL, metric: "cpu", zoom: null, focus: 0, last: null };
  const groupSelect = h("select", { id: "map-group-by", onchange: () => ((ui.groupBy = groupSelect.value), (ui.zoom = null), redraw()) });
  const metricSelect = h("select", { id: "map-metric", onchange: () => ((ui.metric = metricSelect.value), redraw()) });
  const metricLabel = h("label", { class: "map-metric" }, "Colour by ", metricSelect);
  const downloads = downloadControls(save);
  const tools = h("div", { class: "map-tools" }, h("label", null, "Group nodes by ", groupSelect), metricLabel, downloads.element);
  const body = h("div", { class: "map-body" });
  const hiddenNote = h("p", { class: "note" });
  fill(container, tools, body);
  let heat: HeatMap | null = null; // made when first shown, then kept
  let heatShown = false;
  let kept: Kept | null = null;
  let shown: ClusterMap | null = null; // the map drawn last
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
    const grid = sharedGrid(summary, pods);
    await pause();
    if (me !== drawing) return;
    const map = mapFromGrid(grid, summary, { pods, groupBy: groupSelect.value, filter: opts.filter ?? "", onlyUsed: opts.onlyUsed ?? false });
    const workloadMetrics = map.columns.filter((c) => c.kind !== "Pod").map((c): [string, string] => [`workload:${c.key}`, `pods of ${c.kind} ${c.namespace}/${c.name}`]);
    setOptions(metricSelect, [["cpu", "cpu requested"], ["memory", "memory requested"], ["pods", "pods"], ...workloadMetrics], ui.metric);
    const selected = opts.selected;
    const final = opts.final !== false;
    if (!kept?.fits(grid, selected, final)) kept = new Kept(grid, selected, final);
    const ctx: DrawContext = { map, onPod, onDaemonSetNode, selected, final, zoomTo, kept };
    if (!map.dense) ui.zoom = null; // a zoom is into the heat map: gone with it
    const dense = map.dense && !ui.zoom;
    if (dense) {
      heat ??= heatMap(ui, zoomTo);
      heat.show(map, metricSelect.value);
      await pause();
      if (me !== drawing) return;
    }
    // What is kept (the heat map, boxes, the lane) moves into place: nothing is taken out of the page before here.
    const parts: Node[] = [];
    const lane = kept.pending(map.lanes, ctx);
    if (lane) parts.push(lane);
    const deferred: Deferred = { budget: BOXES_PER_TASK, rest: [] }; // boxes past the first hundred made, a task at a time
    if (!nodes.length) parts.push(h("p", { class: "empty" }, "No nodes."));
    else if (ui.zoom) parts.push(...zoomed(ui.zoom, ctx));
    else if (dense && heat) parts.push(heat.element);
    else parts.push(...map.groups.map((g) => groupSection(g, ctx, deferred)));
    hiddenNote.textContent = `${plural(map.total - map.shown, "node")} hidden by the filter.`;
    if (map.shown < map.total) parts.push(hiddenNote);
    await pause();
    if (me !== drawing) return;
    metricLabel.hidden = !dense;
    shown = map;
    heatShown = dense;
    downloads.enable(nodes.length > 0);
    container.dataset.mode = ui.zoom ? "zoom" : dense ? "heat" : "boxes";
    setChildren(body, parts);
    if (dense) heat?.paint();
    for (const [list, rows] of deferred.rest) {
      for (let left = rows; left.length; ) {
        if (!(await nextTask(me))) return;
        left = placeBoxes(list, left, ctx, { budget: BOXES_PER_TASK });
      }
    }
  }

  /** Download the map shown as `format`; says what was made. */
  async function save(format: PictureFormat, progress: (share: number) => void): Promise<string> {
    const theme = themeOf(container);
    const file = `kubeplan-map.${format}`;
    const heatMapShown = heatShown ? heat : null;
    if (format === "png" && heatMapShown) {
      download(await canvasPng(heatMapShown.canvas, theme("panel")), file);
      return `Downloaded ${file}: the heat map, ${heatMapShown.canvas.width} × ${heatMapShown.canvas.height} px.`;
    }
    // Hundreds of boxes take hundreds of milliseconds to lay out and write as SVG: a few milliseconds per task.
    const picture = heatMapShown ? heatMapShown.picture(theme) : await boxes(theme);
    if (!picture) return "No map to download yet.";
    if (format === "svg") {
      download(new Blob([await inTasks(svgTextSteps(picture))], { type: "image/svg+xml" }), file);
      return `Downloaded ${file}: the ${picture.title}.`;
    }
    const ratio = window.devicePixelRatio || 1;
    const scale = pngScale(picture.width, picture.height, ratio);
    download(await picturePng(picture, scale, progress), file);
    const size = `${Math.round(picture.width * scale)} × ${Math.round(picture.height * scale)} px`;
    return `Downloaded ${file}: ${size}${scale < ratio ? ", scaled down to what a canvas holds" : ""}.`;
  }

  /** The boxes shown as a picture: every group's, or a zoom's (the boxes it has drawn so far). */
  async function boxes(theme: Theme): Promise<Picture | null> {
    if (!shown) return null;
    let groups = shown.groups;
    if (ui.zoom) {
      const drawn = new Set(Array.from(body.querySelectorAll<HTMLElement>("article.map-node"), (a) => a.dataset.node));
      groups = groups.map((g) => ({ ...g, rows: g.rows.filter((r) => drawn.has(r.node.name)) })).filter((g) => g.rows.length);
    }
    return inTasks(boxesPictureSteps({ groups, lanes: shown.lanes, columns: shown.columns, width: body.clientWidth, laneChips: LANE_CHIPS }, theme, canvasMeasure()));
  }

  /** Resolves in a later task: true if draw number `me` is still the newest. */
  function nextTask(me: number): Promise<boolean> {
    return new Promise((resolve) => setTimeout(() => resolve(me === drawing), 0));
  }

  return { draw };
}

/**
 * "Download map: SVG PNG", and a line that says what is being made, then what was downloaded (or what went
 * wrong); a PNG painted in parts shows how far it is. A click while a file is being made is ignored.
 */
function downloadControls(save: (format: PictureFormat, progress: (share: number) => void) => Promise<string>): { element: HTMLElement; enable: (on: boolean) => void } {
  const note = h("span", { class: "note map-download-note", "aria-live": "polite" });
  const meter = h("progress", { class: "map-download-progress", max: "1", hidden: true, "aria-labelledby": "map-download-label" });
  let making = false;
  const progress = (share: number) => {
    meter.value = share;
    meter.hidden = false;
  };
  const button = (format: PictureFormat, title: string) =>
    h("button", {
      type: "button",
      id: `map-download-${format}`,
      title,
      onclick: async () => {
        if (making) return;
        making = true;
        const what = format.toUpperCase();
        note.textContent = `Making the ${what}…`;
        note.textContent = await save(format, progress).catch((e: unknown) => `Could not make the ${what}: ${e instanceof Error ? e.message : String(e)}`);
        meter.hidden = true;
        making = false;
      },
    }, format.toUpperCase());
  const buttons = [button("svg", "The map shown, as an SVG picture"), button("png", "The map shown, as a PNG image")];
  const element = h("div", { class: "map-download", role: "group", "aria-labelledby": "map-download-label" }, h("span", { id: "map-download-label" }, "Download map:"), buttons, meter, note);
  return {
    element,
    enable(on) {
      for (const b of buttons) b.disabled = !on;
    },
  };
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
 * A group's title and every box of it. Only `deferred.budget` boxes (shared by all groups) are drawn now;
 * `[list, rows]` for the others goes in `deferred.rest`.
 */
function groupSection(group: Group, ctx: DrawContext, deferred: Deferred): HTMLElement {
  const list = h("div", { class: "map-nodes" });
  const rest = placeBoxes(list, group.rows, ctx, deferred);
  if (rest.length) deferred.rest.push([list, rest]);
  return h("section", { class: "map-group", dataset: { group: group.value ?? "" } }, groupTitle(group), list);
}

/**
 * A zoomed group's title and its first `zoom.shown` boxes, with a button for GROUP_BOXES more that counts them
 * in the zoom.
 */
function zoomedGroupSection(group: Group, ctx: DrawContext, zoom: GroupZoom): HTMLElement {
  const list = h("div", { class: "map-nodes" });
  const section = h("section", { class: "map-group", dataset: { group: group.value ?? "" } }, groupTitle(group), list);
  const drawn = () => list.childElementCount;
  const showUpTo = (count: number) => {
    list.append(...group.rows.slice(drawn(), count).map((r) => ctx.kept.box(r, ctx)));
    zoom.shown = count; // the user's ask, kept even where a filter leaves fewer boxes
  };
  showUpTo(zoom.shown);
  const left = () => group.rows.length - drawn();
  if (left() > 0) {
    const more = h("button", {
      type: "button",
      class: "more",
      onclick: () => {
        showUpTo(drawn() + GROUP_BOXES);
        if (left() > 0) more.textContent = moreText();
        else more.remove();
      },
    });
    const moreText = () => `Show ${plural(Math.min(GROUP_BOXES, left()), "more node")}`;
    more.textContent = moreText();
    section.append(more);
  }
  return section;
}

/**
 * Put the boxes of `rows` in `list`, in order, while the budget lasts: a box made now spends one, a kept box
 * nothing. Returns the rows left for a later task.
 */
function placeBoxes(list: HTMLElement, rows: readonly Row[], ctx: DrawContext, spend: { budget: number }): Row[] {
  let placed = 0;
  for (const row of rows) {
    if (!ctx.kept.has(row)) {
      if (spend.budget <= 0) break;
      spend.budget--;
    }
    placed++;
  }
  list.append(...rows.slice(0, placed).map((row) => ctx.kept.box(row, ctx)));
  return rows.slice(placed);
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
  const atRound = node.missing ? undefined : node.atRound;
  const roundNote = atRound ? " at this round" : atRound === false ? " — the final state's figures (a pod's requests at this round are not known)" : " — the final state's figures";
  if (!figures.length) return h("p", { class: "note bars-none" }, "No allocation figures in the plan for this node.");
  return h(
    "div",
    { class: "bars" },
    figures.map((f) => {
      const pct = f.allocatable > 0 ? Math.round(f.fraction * 100) : null;
      const title = `${f.text}${pct === null ? "" : ` (${pct}%)`} requested of allocatable${final ? "" : roundNote}`;
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

function zoomed(zoom: Zoom, ctx: DrawContext): HTMLElement[] {
  const back = h("button", { type: "button", class: "map-back", onclick: () => ctx.zoomTo(null) }, "← All nodes (heat map)");
  if ("node" in zoom) {
    const row = ctx.map.groups.flatMap((g) => g.rows).find((r) => r.node.name === zoom.node);
    return [back, row ? h("div", { class: "map-nodes" }, ctx.kept.box(row, ctx)) : h("p", { class: "empty" }, `No node ${zoom.node} in this view.`)];
  }
  const group = ctx.map.groups.find((g) => g.value === zoom.group);
  return [back, group ? zoomedGroupSection(group, ctx, zoom) : h("p", { class: "empty" }, "This group has no nodes in this view.")];
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

/** What the heat map shows: the map's rows in group order, each cell's group and colour step, the cell size. */
interface HeatView {
  map: ClusterMap;
  rows: Row[];
  groupOf: Group[];
  steps: Uint8Array;
  cell: number;
}

function heatView(map: ClusterMap, metric: string): HeatView {
  const rows = map.groups.flatMap((g) => g.rows);
  return {
    map,
    rows,
    groupOf: map.groups.flatMap((g) => g.rows.map(() => g)),
    steps: Uint8Array.from(rows, (r) => heatStep(heatValue(r, metric), metric)),
    cell: cellSize(rows.length),
  };
}

/** The heat map as painted: what it showed, where each cell went, in which colours, how wide. */
interface Painted {
  view: HeatView;
  layout: HeatLayout;
  pal: Palette;
  width: number;
}

/**
 * The heat map, made once and kept: each draw `show`s it a map (another filter, colour or plan) and paints it
 * again, so that its canvas, scroll position and focus stay. Hover, keyboard and picture read what was painted.
 */
function heatMap(ui: MapState, zoomTo: (zoom: Zoom | null) => Promise<void>): HeatMap {
  const canvas = h("canvas", { class: "heat", tabindex: "0", "aria-roledescription": "heat map", "aria-describedby": "heat-status" });
  const tip = h("div", { class: "heat-tip", hidden: true, "aria-hidden": "true" });
  const status = h("p", { id: "heat-status", class: "heat-status", "aria-live": "polite" });
  const scroller = h("div", { class: "heat-scroll" }, canvas, tip);
  const legend = h("p", { class: "heat-legend note" });
  const groupButtons = h("div", { class: "heat-groups" });
  const element = h("div", { class: "heat-box" }, groupButtons, legend, scroller, status);
  let view: HeatView | null = null; // shown last
  let painted: Painted | null = null; // painted last

  function show(map: ClusterMap, metric: string) {
    view = heatView(map, metric);
    canvas.setAttribute("aria-label", `Heat map of ${plural(view.rows.length, "node")}: arrow keys move between nodes, Enter opens one`);
    legend.textContent = legendText(metric);
    setGroupButtons(map.groups);
    ui.focus = Math.min(ui.focus, Math.max(0, view.rows.length - 1));
  }

  /** A button per group, made again only when the groups or their counts change. */
  function setGroupButtons(groups: readonly Group[]) {
    const label = (g: Group) => `${g.label} (${g.rows.length.toLocaleString("en")})`;
    const buttons = groupButtons.children;
    const same = buttons.length === groups.length && groups.every((g, i) => buttons[i]?.textContent === label(g) && buttons[i]?.getAttribute("data-group") === (g.value ?? ""));
    if (same) return;
    fill(
      groupButtons,
      groups.map((g) => h("button", { type: "button", class: "heat-group", dataset: { group: g.value ?? "" }, title: `Show the boxes of the nodes with ${g.title}`, onclick: () => zoomTo({ group: g.value, shown: GROUP_BOXES }) }, label(g))),
    );
  }

  function paint() {
    const width = scroller.clientWidth - 2;
    const g2 = canvas.getContext("2d");
    if (width <= 0 || !g2 || !view) return;
    const { map, rows, steps, cell } = view;
    const layout = heatLayout(map.groups.map((g) => g.rows.length), { width, cell, gap: 2, header: 18 });
    const pal = palette(canvas);
    painted = { view, layout, pal, width };
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(layout.height * dpr);
    canvas.style.setProperty("width", `${width}px`);
    canvas.style.setProperty("height", `${layout.height}px`);
    g2.setTransform(dpr, 0, 0, dpr, 0, 0);
    g2.clearRect(0, 0, width, layout.height);
    g2.font = "12px system-ui, sans-serif";
    g2.textBaseline = "top";
    layout.groups.forEach((g, gi) => {
      g2.fillStyle = pal.text;
      g2.fillText(`${map.groups[gi]?.label} · ${plural(g.count, "node")}`, 0, g.y + 2);
    });
    // One path per colour (a style change per cell would be 10,000 of them); the cells' places computed group by
    // group, line by line, without an object per cell.
    const paths = pal.colours.map(() => new Path2D());
    const marks = new Path2D();
    const mark = Math.max(3, cell / 3);
    for (const g of layout.groups) {
      for (let k = 0; k < g.count; k++) {
        const i = g.first + k;
        const x = (k % layout.cols) * layout.pitch;
        const y = g.top + Math.floor(k / layout.cols) * layout.pitch;
        paths[steps[i] ?? HEAT_NONE]?.rect(x, y, cell, cell);
        // Cordoned or not ready: a corner mark, so the nodes the scheduler skips stand out whatever the colour.
        const n = rows[i]?.node;
        if (n && heatMarked(n)) marks.rect(x + cell - mark, y, mark, mark);
      }
    }
    paths.forEach((path, c) => {
      g2.fillStyle = pal.colours[c] ?? pal.text;
      g2.fill(path);
    });
    g2.fillStyle = pal.mark;
    g2.fill(marks);
    if (document.activeElement === canvas && rows.length) {
      const r = cellRect(layout, ui.focus);
      g2.strokeStyle = pal.focus;
      g2.lineWidth = 2;
      g2.strokeRect(r.x - 1, r.y - 1, cell + 2, cell + 2);
    }
  }

  /** What painted cell `i` says ("" past the last). */
  const describe = (i: number) => {
    const row = painted?.view.rows[i];
    const group = painted?.view.groupOf[i];
    return row && group && painted ? cellText(row, group, painted.view.map.columns) : "";
  };
  const say = (i: number) => (status.textContent = describe(i));
  const open = (i: number) => {
    const row = painted?.view.rows[i];
    if (i < 0 || !row) return;
    ui.focus = i; // where the keyboard is when the heat map comes back
    zoomTo({ node: row.node.name });
  };
  const pointCell = (e: MouseEvent) => {
    const box = canvas.getBoundingClientRect();
    return painted ? cellAt(painted.layout, e.clientX - box.left, e.clientY - box.top) : -1;
  };

  canvas.addEventListener("mousemove", (e) => {
    const i = pointCell(e);
    if (i < 0 || !painted) {
      tip.hidden = true;
      return;
    }
    const r = cellRect(painted.layout, i);
    tip.textContent = describe(i);
    tip.hidden = false;
    // Beside the cell, kept inside the scroll box (left of the cell in the right half).
    const right = r.x > scroller.clientWidth / 2;
    tip.classList.toggle("left", right);
    tip.style.setProperty("--x", `${right ? r.x - 6 : r.x + painted.layout.cell + 6}px`);
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
    if (!painted || !["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].includes(e.key)) return;
    e.preventDefault();
    ui.focus = moveCell(painted.layout, ui.focus, e.key);
    say(ui.focus);
    paint();
    // Keep the focused cell in view inside the scroll box.
    const r = cellRect(painted.layout, ui.focus);
    const cell = painted.layout.cell;
    if (r.y < scroller.scrollTop) scroller.scrollTop = r.y - 20;
    else if (r.y + cell > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = r.y + cell - scroller.clientHeight + 20;
  });
  // Repainted when the box changes width (the window, the detail column) or the colour scheme changes; not when it
  // comes into the page at the width it was just painted at (at 10,000 nodes a second paint, in the next frame).
  let frame = 0;
  new ResizeObserver(() => {
    if (painted && painted.view === view && painted.width === scroller.clientWidth - 2) return;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(paint);
  }).observe(scroller);
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => paint());

  /** The cells as last painted, in the colours they were painted in. */
  function picture(theme: Theme): Picture | null {
    if (!painted) return null;
    const { view: shown, layout, pal, width } = painted;
    return heatPicture({ groups: shown.map.groups, layout, width, colour: (i) => pal.colours[shown.steps[i] ?? HEAT_NONE] ?? pal.text }, theme);
  }

  return { element, canvas, show, paint, picture };
}

function legendText(metric: string): string {
  if (metric.startsWith("workload:")) return "Green: the node has a pod of the workload; grey: it has none. A red corner: cordoned or not ready.";
  return `Palest: no ${metric} requested; then a step deeper for each tenth of the allocatable ${metric} requested, up to 100%; red: over 100%; grey: no figures. A red corner: cordoned or not ready.`;
}
