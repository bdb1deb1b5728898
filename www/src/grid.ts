// The grid: one row per node, one column per workload (and one for pods no controller owns), each cell the pods
// of that workload on that node as buttons coloured by state. Pods with no node are in the first row, "Pending".
//
// Only the rows near the scroll box's view are in the page (row-window.ts): 10,000 rows of buttons would take
// seconds to build and lay out. A filter keeps the rows that stay in view and draws the others.

import { h, fill } from "./dom.ts";
import { gridItems, podState, sharedGrid, taintText, type Column, type Grid, type GridItem, type GridNode } from "./model.ts";
import type { PlanSummary, PodSummary } from "./protocol.ts";
import { createRowWindow, type WindowedTable } from "./row-window.ts";

/** Rows drawn beyond the view, above and below (pixels), and the most in the page at once (row-window.ts). */
const OVERSCAN_PX = 400;
const MAX_ROWS = 200;

/** What the grid's buttons call. */
export interface GridHandlers {
  onPod: (key: string) => void;
  onDaemonSetNode: (daemonSet: string, node: string) => void;
}

/** What a draw shows besides the summary. */
export interface GridDrawOptions {
  /** The pods of a timeline frame; the summary's when absent. */
  pods?: readonly PodSummary[] | undefined;
  selected?: string | null;
  /** Keep the nodes whose name contains this. */
  filter?: string;
  /** Keep the nodes with pods. */
  onlyUsed?: boolean;
}

export interface GridView {
  /** Draw `summary` (or a frame's `pods`); the same summary and pods again only filter the rows. */
  draw(summary: PlanSummary | null | undefined, opts?: GridDrawOptions): void;
  /** The pod shown as selected in the rows drawn from now on (the page marks the ones drawn). */
  select(key: string | null): void;
  /** Empty the box (the map is shown). */
  clear(): void;
}

/** The table of one grid (a summary, or a frame's pods): rebuilt when they change, kept while only filters do. */
interface Table extends WindowedTable<GridItem> {
  summary: PlanSummary | null | undefined;
  pods: readonly PodSummary[];
  grid: Grid;
  caption: HTMLTableCaptionElement;
}

/**
 * The grid in `box` (the scroll box: the rows drawn follow its scroll position). Returns `{draw, select, clear}`.
 */
export function createGrid(box: HTMLElement, handlers: GridHandlers): GridView {
  let shown: Table | null = null;
  let selected: string | null = null;
  /** Nodes whose taints and labels are open: still open when their row is drawn again. */
  const open = new Set<string>();
  /** The rows near the view; a node's row keeps its measured height across draws. */
  const rows = createRowWindow<GridItem>(box, { overscan: OVERSCAN_PX, max: MAX_ROWS });

  const rowOptions = (): RowOptions => ({ ...handlers, selected, open, columns: shown?.grid.columns ?? [] });

  function draw(summary: PlanSummary | null | undefined, { pods, selected: sel = null, filter = "", onlyUsed = false }: GridDrawOptions = {}): void {
    selected = sel;
    const framePods = pods ?? summary?.pods ?? [];
    if (!shown || shown.summary !== summary || shown.pods !== framePods || !shown.table.isConnected) {
      const grid = sharedGrid(summary, framePods);
      if (!grid.columns.length && !grid.rows.length) {
        clear();
        fill(box, h("p", { class: "empty" }, "No nodes and no workloads."));
        return;
      }
      const scrollTop = box.scrollTop; // kept: the new table is as tall, its rows in the spacer below for now
      shown = newTable(summary, framePods, grid, (item) => gridRow(item, rowOptions()));
      fill(box, shown.table);
      rows.show(shown, filterRows(shown, filter, onlyUsed));
      box.scrollTop = scrollTop;
    } else {
      rows.show(shown, filterRows(shown, filter, onlyUsed));
    }
    rows.update();
  }

  /** The rows the filters keep, counted in the caption and in aria-rowcount (with the header row). */
  function filterRows(t: Table, filter: string, onlyUsed: boolean): GridItem[] {
    const { items, hidden } = gridItems(t.grid, filter, onlyUsed);
    const nodes = t.grid.rows.length;
    const columns = t.grid.columns.length;
    t.caption.textContent = `${nodes} node${nodes === 1 ? "" : "s"} × ${columns} workload column${columns === 1 ? "" : "s"}${hidden ? ` (${hidden} nodes hidden by the filter)` : ""}`;
    t.table.setAttribute("aria-rowcount", String(items.length + 1));
    return items;
  }

  function clear() {
    rows.clear();
    shown = null;
    fill(box);
  }

  return {
    draw,
    select(key) {
      selected = key;
    },
    clear,
  };
}

function newTable(summary: PlanSummary | null | undefined, pods: readonly PodSummary[], grid: Grid, make: (item: GridItem) => HTMLTableRowElement): Table {
  const head = [h("th", { scope: "col", class: "corner" }, "node"), ...grid.columns.map(columnHeader)];
  const body = h("tbody");
  const caption = h("caption");
  const table = h("table", { class: "grid" }, caption, h("thead", null, h("tr", { "aria-rowindex": "1" }, head)), body);
  return { summary, pods, grid, table, caption, head, body, key: (item) => item.key, make };
}

function columnHeader(c: Column): HTMLTableCellElement {
  const label = c.kind === "Pod" ? "Pods (no controller)" : `${c.kind} ${c.namespace}/${c.name}`;
  return h("th", { scope: "col", dataset: { workload: c.key } }, label);
}

// ------------------------------------------------------------------ rows

/** What a row's buttons call and show. */
interface RowOptions extends GridHandlers {
  columns: readonly Column[];
  selected: string | null;
  /** Nodes whose taints and labels disclosure is open. */
  open: Set<string>;
}

/** A node's row (or the Pending pods'): its header cell, then a cell per column. */
function gridRow(item: GridItem, opts: RowOptions): HTMLTableRowElement {
  if (!item.node) {
    const th = h("th", { scope: "row", class: "node" }, h("span", { class: "node-name" }, "Pending (no node)"));
    return h("tr", { class: "pending-row", dataset: { node: "" } }, th, cells(item, opts));
  }
  return h("tr", { dataset: { node: item.node.name } }, nodeHeader(item.node, opts.open), cells(item, opts));
}

function cells(item: GridItem, opts: RowOptions): HTMLTableCellElement[] {
  const node = item.node;
  return opts.columns.map((c) => {
    const list = item.cells.get(c.key) ?? [];
    // A DaemonSet with no pod on a node: the DaemonSet controller did not create one there (the scheduler
    // never saw it), because the node's taints, the pod's node selector or affinity exclude the node.
    // The cell is a button that asks the engine why (its daemonSetNodes entry for the node).
    const none =
      !list.length && c.kind === "DaemonSet" && node
        ? h(
            "button",
            {
              type: "button",
              class: "no-pod",
              dataset: { daemonset: `${c.namespace}/${c.name}` },
              title: "No pod: the DaemonSet controller does not run one on this node. Click for the engine's reason.",
              onclick: () => opts.onDaemonSetNode(`${c.namespace}/${c.name}`, node.name),
            },
            "no pod",
          )
        : null;
    return h("td", { class: node ? "" : "pending", dataset: { workload: c.key } }, list.map((p) => podButton(p, opts)), none);
  });
}

function nodeHeader(node: GridNode, open: Set<string>): HTMLTableCellElement {
  const badges: HTMLElement[] = [];
  if (node.missing) badges.push(h("span", { class: "badge bad", title: "spec.nodeName names a node the input does not have" }, "no such node"));
  if (node.unschedulable) badges.push(h("span", { class: "badge warn" }, "SchedulingDisabled"));
  if (node.ready && node.ready !== "True" && !node.missing) badges.push(h("span", { class: "badge bad" }, node.ready === "False" ? "NotReady" : "Unknown"));
  const nt = (node.taints ?? []).length;
  const nl = Object.keys(node.labels ?? {}).length;
  // The lists are built when opened: a row draws one summary line per node, not every label.
  const more = nt || nl ? nodeMore(node, `${nt} taint${nt === 1 ? "" : "s"}, ${nl} label${nl === 1 ? "" : "s"}`, open) : null;
  // A few taints are shown in the row itself: they are most often why a node has no pod.
  const inlineTaints = nt && nt <= 3 ? h("div", { class: "taints" }, (node.taints ?? []).map((t) => h("span", { class: "taint" }, taintText(t)))) : null;
  return h("th", { scope: "row", class: "node" }, h("span", { class: "node-name" }, node.name), " ", badges, inlineTaints, more);
}

/** The node's taints and labels in a disclosure, its lists built when first opened; `open` remembers it open. */
function nodeMore(node: GridNode, title: string, open: Set<string>): HTMLDetailsElement {
  const d = h("details", {
    class: "node-more",
    ontoggle: () => {
      if (d.open) open.add(node.name);
      else open.delete(node.name);
      if (!d.open || d.dataset.filled) return;
      d.dataset.filled = "1";
      const taints = (node.taints ?? []).map((t) => h("li", null, taintText(t)));
      const labels = Object.entries(node.labels ?? {}).map(([k, v]) => h("li", null, v === "" ? k : `${k}=${v}`));
      if (taints.length) d.append(h("div", { class: "sub" }, "taints:"), h("ul", { class: "kv" }, taints));
      if (labels.length) d.append(h("div", { class: "sub" }, "labels:"), h("ul", { class: "kv" }, labels));
    },
  }, h("summary", null, title));
  d.open = open.has(node.name);
  return d;
}

function podButton(pod: PodSummary, { onPod, selected }: RowOptions): HTMLButtonElement {
  const state = podState(pod);
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  return h(
    "button",
    {
      type: "button",
      class: ["pod", `st-${state.toLowerCase()}`, selected === key ? "selected" : ""],
      title: `${key}: ${state}`,
      "aria-pressed": selected === key ? "true" : "false",
      dataset: { pod: key, state },
      onclick: () => onPod(key),
    },
    h("span", { class: "pod-name" }, pod.metadata.name),
    h("span", { class: "pod-state" }, state),
  );
}
