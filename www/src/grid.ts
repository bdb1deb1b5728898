// The grid: one row per node, one column per workload (and one for pods no controller owns), each cell the pods
// of that workload on that node as buttons coloured by state. Pods with no node are in the first row, "Pending".
//
// Only the rows near the scroll box's view are in the page (10,000 rows of buttons would take seconds to build
// and lay out): spacer rows above and below them keep the table as tall as all its rows, each row's height
// measured once drawn (estimated before). The table still says how many rows it has (`aria-rowcount`) and where
// each drawn one is (`aria-rowindex`). A filter keeps the rows that stay in view and draws the others.

import { h, fill } from "./dom.ts";
import { gridItems, gridWindow, podState, sharedGrid, taintText, type Column, type Grid, type GridItem, type GridNode } from "./model.ts";
import type { PlanSummary, PodSummary } from "./protocol.ts";

/** Rows drawn beyond the view, above and below (pixels): a scroll of a few lines, or Tab to the next row, finds them drawn. */
const OVERSCAN_PX = 400;
/** The most rows in the page at once, whatever the view's height. */
const MAX_ROWS = 200;
/** A row's height until one is measured. */
const FIRST_ESTIMATE_PX = 34;

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
interface Table {
  summary: PlanSummary | null | undefined;
  pods: readonly PodSummary[];
  grid: Grid;
  table: HTMLTableElement;
  caption: HTMLTableCaptionElement;
  head: HTMLTableCellElement[];
  body: HTMLTableSectionElement;
  above: HTMLTableRowElement;
  below: HTMLTableRowElement;
  /** The rows the filters keep. */
  items: GridItem[];
  /** The rows in the page, by key (a node's name; "" the Pending row). */
  drawn: Map<string, HTMLTableRowElement>;
  /** The widest each column has been, so that columns do not narrow as other rows come into view. */
  widths: number[];
}

/**
 * The grid in `box` (the scroll box: the rows drawn follow its scroll position). Returns `{draw, select, clear}`.
 */
export function createGrid(box: HTMLElement, handlers: GridHandlers): GridView {
  let shown: Table | null = null;
  let selected: string | null = null;
  /** Row heights measured, by row key (node name; "" Pending), kept across draws: a node's row keeps its size. */
  const heights = new Map<string, number>();
  let measuredSum = 0;
  /** Nodes whose taints and labels are open: still open when their row is drawn again. */
  const open = new Set<string>();
  let frame = 0;

  const estimate = () => (heights.size ? measuredSum / heights.size : FIRST_ESTIMATE_PX);
  const heightOf = (key: string | undefined) => (key !== undefined ? heights.get(key) : undefined) ?? estimate();
  const remember = (key: string, height: number) => {
    measuredSum += height - (heights.get(key) ?? 0);
    heights.set(key, height);
  };

  // A drawn row that changes height (its taints opened, the box narrower, fonts loaded): the window again, next frame.
  const resized = new ResizeObserver((entries) => {
    const changed = entries.some((e) => {
      const key = e.target instanceof HTMLElement ? e.target.dataset.node : undefined;
      return key === undefined || Math.abs(e.target.getBoundingClientRect().height - (heights.get(key) ?? -1)) >= 0.5;
    });
    if (changed) later();
  });
  resized.observe(box);
  box.addEventListener("scroll", () => update());

  function later() {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => update());
  }

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
      shown = newTable(summary, framePods, grid);
      fill(box, shown.table);
      filterRows(shown, filter, onlyUsed);
      setSpacers(shown, 0, shown.items.reduce((sum, item) => sum + heightOf(item.key), 0));
      box.scrollTop = scrollTop;
    } else {
      filterRows(shown, filter, onlyUsed);
    }
    update();
  }

  /** The rows the filters keep, counted in the caption and in aria-rowcount (with the header row). */
  function filterRows(t: Table, filter: string, onlyUsed: boolean) {
    const { items, hidden } = gridItems(t.grid, filter, onlyUsed);
    t.items = items;
    const nodes = t.grid.rows.length;
    const columns = t.grid.columns.length;
    t.caption.textContent = `${nodes} node${nodes === 1 ? "" : "s"} × ${columns} workload column${columns === 1 ? "" : "s"}${hidden ? ` (${hidden} nodes hidden by the filter)` : ""}`;
    t.table.setAttribute("aria-rowcount", String(items.length + 1));
  }

  /**
   * Draw the rows in and near the view; measure them, and keep the row at the top of the view where it was (rows
   * above it measured taller or shorter than estimated would move it; after a filter, if it is still there). At
   * the end of the rows, stay there.
   */
  function update() {
    const t = shown;
    if (!t) return;
    const atEnd = box.scrollTop > 0 && box.scrollTop + box.clientHeight >= box.scrollHeight - 1;
    const anchor = rowInView(t);
    // Measured heights change the window: a few passes settle it.
    for (let pass = 0; pass < 3 && drawWindow(t); pass++);
    if (anchor?.row.isConnected) {
      const moved = anchor.row.getBoundingClientRect().top - anchor.top;
      if (Math.abs(moved) >= 1) box.scrollTop += moved;
    }
    if (atEnd) box.scrollTop = box.scrollHeight;
  }

  /** The first drawn row in view, and where it is. */
  function rowInView(t: Table): { row: HTMLTableRowElement; top: number } | null {
    const top = box.getBoundingClientRect().top;
    for (const row of t.body.rows) {
      if (row === t.above || row === t.below) continue;
      const r = row.getBoundingClientRect();
      if (r.bottom > top) return { row, top: r.top };
    }
    return null;
  }

  /** Draw the window for the scroll position; true if a row measured other than its estimate. */
  function drawWindow(t: Table): boolean {
    const top = box.getBoundingClientRect().top + box.clientTop - t.body.getBoundingClientRect().top;
    const win = gridWindow(t.items.length, (i) => heightOf(t.items[i]?.key), top, top + box.clientHeight, { overscan: OVERSCAN_PX, max: MAX_ROWS });
    placeRows(t, t.items.slice(win.first, win.end), win.first);
    setSpacers(t, win.before, win.after);
    let changed = false;
    for (const [key, row] of t.drawn) {
      const height = row.getBoundingClientRect().height;
      if (Math.abs(height - heightOf(key)) >= 0.5) {
        remember(key, height);
        changed = true;
      }
    }
    if (win.first > 0 || win.end < t.items.length) keepWidths(t);
    return changed;
  }

  /**
   * Put `items`' rows between the spacers, in order: rows already drawn stay (a focused button keeps its focus),
   * others are made; rows out of the window go (focus on one moves to the box, not to the page).
   */
  function placeRows(t: Table, items: readonly GridItem[], first: number) {
    const keep = new Set(items.map((item) => item.key));
    for (const [key, row] of t.drawn) {
      if (keep.has(key)) continue;
      if (row.contains(document.activeElement)) box.focus({ preventScroll: true });
      resized.unobserve(row);
      row.remove();
      t.drawn.delete(key);
    }
    let before: HTMLTableRowElement = t.above;
    items.forEach((item, i) => {
      let row = t.drawn.get(item.key);
      if (!row) {
        row = gridRow(item, rowOptions());
        t.drawn.set(item.key, row);
        before.after(row);
        resized.observe(row);
      }
      row.setAttribute("aria-rowindex", String(first + i + 2)); // the header is row 1
      before = row;
    });
  }

  /** Columns keep the widest they have been (the table's layout sizes them by the rows drawn). */
  function keepWidths(t: Table) {
    t.head.forEach((th, i) => {
      const width = th.getBoundingClientRect().width;
      if (width > (t.widths[i] ?? 0) + 0.5) {
        t.widths[i] = width;
        th.style.setProperty("min-width", `${width}px`);
      }
    });
  }

  function clear() {
    if (shown) for (const row of shown.drawn.values()) resized.unobserve(row);
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

/** The spacer rows' heights (a spacer of no height is not displayed: it would still have a border's). */
function setSpacers(t: Table, before: number, after: number) {
  for (const [row, height] of [[t.above, before], [t.below, after]] as const) {
    row.hidden = height <= 0;
    row.style.setProperty("height", `${height}px`);
  }
}

function newTable(summary: PlanSummary | null | undefined, pods: readonly PodSummary[], grid: Grid): Table {
  const head = [h("th", { scope: "col", class: "corner" }, "node"), ...grid.columns.map(columnHeader)];
  const spacer = () => h("tr", { class: "grid-spacer", "aria-hidden": "true" }, h("td", { colspan: String(head.length) }));
  const above = spacer();
  const below = spacer();
  const body = h("tbody", null, above, below);
  const caption = h("caption");
  const table = h("table", { class: "grid" }, caption, h("thead", null, h("tr", { "aria-rowindex": "1" }, head)), body);
  return { summary, pods, grid, table, caption, head, body, above, below, items: [], drawn: new Map(), widths: [] };
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
