// What the cluster map draws, without DOM (Node tests check it): nodes grouped by a label, each node's
// allocation as the engine counted it (the plan's `nodes`: requested against allocatable), its badges, the
// Pending pods grouped by the scheduler's message, and the heat map's layout, colour values and keyboard moves.
//
// Nothing here computes a request or a fit: the figures are the engine's, attached to each node of the summary
// by the worker as `node.resources = {allocatable, requested}`.

import type { Amounts } from "kubeplan";
import { buildGrid, pendingMessage, taintText, type Column, type Grid, type GridNode, type PendingMessage, type Row } from "./model.ts";
import type { PlanSummary, PodSummary } from "./protocol.ts";

/** From this many nodes on, the map is a heat map (one cell per node) instead of a box per node. */
export const DENSE_AT = 1000;

/** The label the map groups by unless the user picks another. */
export const ZONE_LABEL = "topology.kubernetes.io/zone";

/** CPU in cores from millicores, as kubectl describe node prints requests: 1500 → "1.5", 250 → "0.25". */
export function formatCpu(milli: number): string {
  return String(milli / 1000);
}

const BINARY: readonly [unit: string, size: number][] = [
  ["Ti", 2 ** 40],
  ["Gi", 2 ** 30],
  ["Mi", 2 ** 20],
  ["Ki", 2 ** 10],
];

/** Bytes in the largest binary unit that keeps the number at least 1, one decimal at most: "32Gi", "1.5Gi". */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of BINARY) {
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10}${unit}`;
  }
  return String(bytes);
}

/** The resources drawn as bars, in the order kubectl describe node lists them; each picks its field of the engine's figures. */
export const RESOURCES: readonly { id: string; field: "milliCpu" | "memory" | "pods"; format: (amount: number) => string }[] = [
  { id: "cpu", field: "milliCpu", format: formatCpu },
  { id: "memory", field: "memory", format: formatBytes },
  { id: "pods", field: "pods", format: String },
];

/** A bar: how much of a resource the node's pods request of its allocatable. */
export interface Figure {
  id: string;
  requested: number;
  allocatable: number;
  fraction: number;
  over: boolean;
  /** `cpu 1.5/8` */
  text: string;
}

function figure(id: string, requested: number, allocatable: number, format: (amount: number) => string): Figure {
  // Over 1 happens (a pod with spec.nodeName bypasses the fit check): the bar is full and says so.
  const fraction = allocatable > 0 ? requested / allocatable : requested > 0 ? Infinity : 0;
  return { id, requested, allocatable, fraction, over: fraction > 1, text: `${id} ${format(requested)}/${format(allocatable)}` };
}

/**
 * A node's bars: `[{id, requested, allocatable, fraction, over, text: "cpu 1.5/8"}]` for cpu, memory, pods and
 * each extended resource (`scalar`) either side names; `[]` when the plan has no figures for the node.
 */
export function nodeFigures(node: GridNode): Figure[] {
  const r = node.resources;
  if (!r?.allocatable) return [];
  const alloc: Partial<Amounts> = r.allocatable;
  const req: Partial<Amounts> = r.requested ?? {};
  const out = RESOURCES.map((res) => figure(res.id, req[res.field] ?? 0, alloc[res.field] ?? 0, res.format));
  const scalars = [...new Set([...Object.keys(alloc.scalar ?? {}), ...Object.keys(req.scalar ?? {})])].sort();
  for (const name of scalars) out.push(figure(name, req.scalar?.[name] ?? 0, alloc.scalar?.[name] ?? 0, String));
  return out;
}

/** A node's badges: `[{text, kind: "warn"|"bad"|"taint", title}]` — no such node, cordoned, not ready, taints. */
export interface Badge {
  text: string;
  kind: "warn" | "bad" | "taint";
  title: string;
}

export function nodeBadges(node: GridNode): Badge[] {
  const out: Badge[] = [];
  if (node.missing) out.push({ text: "no such node", kind: "bad", title: "spec.nodeName names a node the input does not have" });
  if (node.unschedulable) out.push({ text: "SchedulingDisabled", kind: "warn", title: "Cordoned: spec.unschedulable is true" });
  if (!node.missing && node.ready && node.ready !== "True") {
    out.push({ text: node.ready === "False" ? "NotReady" : "Unknown", kind: "bad", title: `The Ready condition is ${node.ready}` });
  }
  const taints = node.taints ?? [];
  if (taints.length) {
    out.push({ text: `${taints.length} taint${taints.length === 1 ? "" : "s"}`, kind: "taint", title: taints.map(taintText).join("\n") });
  }
  return out;
}

/** Whether the scheduler skips the node as it stands: cordoned, or not ready (the heat map's red corner). */
export function heatMarked(node: GridNode): boolean {
  return Boolean(node.unschedulable || (node.ready && node.ready !== "True"));
}

/**
 * Label keys worth grouping by, the zone first, then region, then the rest by name. A key every node has a
 * value of its own for (the hostname) would make a group per node and is left out.
 */
export function labelKeys(nodes: readonly { labels?: Record<string, string> }[] | undefined): string[] {
  const values = new Map<string, Set<string>>(); // key → its values
  for (const n of nodes ?? []) {
    for (const [k, v] of Object.entries(n.labels ?? {})) {
      const seen = values.get(k);
      if (seen) seen.add(v);
      else values.set(k, new Set([v]));
    }
  }
  const count = (nodes ?? []).length;
  const rank = (k: string) => (k === ZONE_LABEL ? 0 : k === "topology.kubernetes.io/region" ? 1 : 2);
  return [...values.entries()]
    .filter(([k, vs]) => k === ZONE_LABEL || count < 2 || vs.size < count)
    .map(([k]) => k)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

// One collator for all comparisons: localeCompare with options builds one per call, slow over many.
const collator = new Intl.Collator("en", { numeric: true });
const byText = (a: string, b: string) => collator.compare(a, b);

/**
 * Rows (`{node, cells}` as buildGrid makes them) in groups by the value of label `key`: `[{value, title, label,
 * rows}]` (`title` "key=value", `label` the value alone),
 * the values in natural order, then the nodes without the label. No key: one group of all.
 */
export interface Group {
  /** The label's value; "" when the map is not grouped, null for the nodes without the label. */
  value: string | null;
  title: string;
  label: string;
  rows: Row[];
}

export function groupRows(rows: Row[], key: string): Group[] {
  if (!key) return rows.length ? [{ value: "", title: "all nodes", label: "all nodes", rows }] : [];
  const groups = new Map<string, Row[]>();
  const without: Row[] = [];
  for (const row of rows) {
    const v = row.node.labels?.[key];
    if (v === undefined) {
      without.push(row);
      continue;
    }
    const group = groups.get(v);
    if (group) group.push(row);
    else groups.set(v, [row]);
  }
  const out: Group[] = [...groups].sort(([a], [b]) => byText(a, b)).map(([v, rows]) => ({ value: v, title: `${key}=${v}`, label: v === "" ? '""' : v, rows }));
  if (without.length) out.push({ value: null, title: `no ${key} label`, label: `no ${key}`, rows: without });
  return out;
}

/**
 * The Pending pods in lanes by the scheduler's message (what the Pending panel shows for each):
 * `[{message, reason, fromScheduler, pods}]`, the most crowded lane first.
 */
export interface Lane extends PendingMessage {
  pods: PodSummary[];
}

export function pendingLanes(pods: readonly PodSummary[], summary: Pick<PlanSummary, "placements" | "schedulerConfiguration"> | null | undefined): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const p of pods) {
    if (p.spec?.nodeName || (p.status?.phase || "Pending") !== "Pending") continue;
    const m = pendingMessage(p, summary?.placements, summary?.schedulerConfiguration);
    const lane = lanes.get(m.message);
    if (lane) lane.pods.push(p);
    else lanes.set(m.message, { ...m, pods: [p] });
  }
  return [...lanes.values()].sort((a, b) => b.pods.length - a.pods.length || byText(a.message, b.message));
}

/**
 * The map: the grid's rows (every node with its pods per workload) filtered and grouped, the Pending lanes, and
 * whether the map is dense (a heat map). `filter` keeps nodes whose name contains it; `onlyUsed` nodes with pods.
 */
/** What the map shows of the grid. */
export interface MapOptions {
  pods?: readonly PodSummary[];
  /** The label key to group by; "" for one group. */
  groupBy?: string;
  filter?: string;
  onlyUsed?: boolean;
}

export interface ClusterMap {
  columns: Column[];
  groups: Group[];
  /** How many nodes the filters keep, of `total`. */
  shown: number;
  total: number;
  lanes: Lane[];
  dense: boolean;
}

type MapSummary = Pick<PlanSummary, "workloads" | "nodes" | "pods" | "placements" | "schedulerConfiguration">;

export function buildMap(summary: MapSummary | null | undefined, { pods = summary?.pods ?? [], ...opts }: MapOptions = {}): ClusterMap {
  return mapFromGrid(buildGrid(summary, pods), summary, { pods, ...opts });
}

/** The map from the grid buildGrid made (the page draws 10,000 nodes in several tasks: the grid is one). */
export function mapFromGrid(
  grid: Grid,
  summary: Omit<MapSummary, "workloads" | "nodes"> | null | undefined,
  { pods = summary?.pods ?? [], groupBy = ZONE_LABEL, filter = "", onlyUsed = false }: MapOptions = {},
): ClusterMap {
  const needle = filter.trim();
  const rows = grid.rows.filter((r) => !(needle && !r.node.name.includes(needle)) && !(onlyUsed && r.cells.size === 0));
  return {
    columns: grid.columns,
    groups: groupRows(rows, groupBy),
    shown: rows.length,
    total: grid.rows.length,
    lanes: pendingLanes(pods, summary),
    dense: rows.length >= DENSE_AT,
  };
}

/** All pods of a row (a node), in workload column order. */
export function rowPods(row: Row, columns: readonly Column[]): PodSummary[] {
  return columns.flatMap((c) => row.cells.get(c.key) ?? []);
}

// ------------------------------------------------------------------ heat map

/**
 * What a heat cell's colour says, 0..1 (more than 1: over-allocated), or null when unknown: the fraction of a
 * resource requested (`metric` "cpu", "memory", "pods"), or for `workload:<column key>` 1 when the node has a pod
 * of that workload and 0 when not.
 */
export function heatValue(row: Row, metric: string): number | null {
  if (metric.startsWith("workload:")) return (row.cells.get(metric.slice("workload:".length)) ?? []).length ? 1 : 0;
  // Straight from the figures, without nodeFigures' texts: this runs for every cell of a 10,000-node map.
  const r = row.node.resources;
  const field = RESOURCES.find((x) => x.id === metric)?.field;
  if (!r?.allocatable || !field) return null;
  const req = r.requested?.[field] ?? 0;
  const alloc = r.allocatable[field] ?? 0;
  return alloc > 0 ? req / alloc : req > 0 ? Infinity : 0;
}

/** The heat map's colour steps after the ramp's eleven (0: nothing requested, 1-10: each tenth of allocatable). */
export const HEAT_OVER = 11;
export const HEAT_NONE = 12;
export const HEAT_PRESENT = 13;
export const HEAT_ABSENT = 14;

/**
 * A heat value (heatValue) as a colour step: 0 for nothing requested, else 1 to 10 by tenths rounded up (so that
 * a node with anything requested never looks empty), HEAT_OVER past 100%; HEAT_NONE without figures; for a
 * workload, HEAT_PRESENT or HEAT_ABSENT.
 */
export function heatStep(value: number | null, metric: string): number {
  if (value === null) return HEAT_NONE;
  if (metric.startsWith("workload:")) return value ? HEAT_PRESENT : HEAT_ABSENT;
  if (value > 1) return HEAT_OVER;
  return value === 0 ? 0 : Math.max(1, Math.ceil(value * 10 - 1e-9));
}

/**
 * Where each cell is drawn: groups stacked, each a title line then its cells left to right in rows of `cols`.
 * `{cols, height, groups: [{title, y, top, rows: n, first, count}]}`; `first` is the group's first cell index in
 * the flattened order (group by group), `top` the y of its first cell row.
 */
/** A group of the heat map: its title line at `y`, `lines` rows of cells from `top`, cells `first`.. in all. */
export interface HeatGroup {
  y: number;
  top: number;
  lines: number;
  first: number;
  count: number;
}

export interface HeatLayout {
  cols: number;
  /** A cell and its gap. */
  pitch: number;
  cell: number;
  height: number;
  total: number;
  groups: HeatGroup[];
}

export function heatLayout(groupSizes: readonly number[], { width, cell = 12, gap = 2, header = 20 }: { width: number; cell?: number; gap?: number; header?: number }): HeatLayout {
  const pitch = cell + gap;
  const cols = Math.max(1, Math.floor((width + gap) / pitch));
  let y = 0;
  let first = 0;
  const groups = groupSizes.map((count): HeatGroup => {
    const lines = Math.ceil(count / cols);
    const g = { y, top: y + header, lines, first, count };
    y += header + lines * pitch + gap;
    first += count;
    return g;
  });
  return { cols, pitch, cell, height: y, total: first, groups };
}

/** The rectangle of cell `index` (flattened order): `{x, y, group}`. */
export function cellRect(layout: HeatLayout, index: number): { x: number; y: number; group: number } {
  const gi = groupOf(layout, index);
  const g = layout.groups[gi];
  if (!g) return { x: 0, y: 0, group: 0 }; // no cells at all
  const i = index - g.first;
  return { x: (i % layout.cols) * layout.pitch, y: g.top + Math.floor(i / layout.cols) * layout.pitch, group: gi };
}

function groupOf(layout: HeatLayout, index: number): number {
  // Binary search: 10,000 cells in a few groups, looked up on every mouse move.
  let lo = 0;
  let hi = layout.groups.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((layout.groups[mid]?.first ?? 0) <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The cell index under point (x, y), or -1 (a gap, a title line, past the last cell of a group). */
export function cellAt(layout: HeatLayout, x: number, y: number): number {
  const col = Math.floor(x / layout.pitch);
  if (col < 0 || col >= layout.cols || x - col * layout.pitch >= layout.cell) return -1;
  for (const g of layout.groups) {
    if (y < g.top || y >= g.top + g.lines * layout.pitch) continue;
    const line = Math.floor((y - g.top) / layout.pitch);
    if (y - g.top - line * layout.pitch >= layout.cell) return -1;
    const i = line * layout.cols + col;
    return i < g.count ? g.first + i : -1;
  }
  return -1;
}

/**
 * The cell an arrow key moves to from `index`: left/right step through the order, up/down a line within the
 * group, then into the group above or below at the same column (its nearest cell); Home/End the first and last.
 */
export function moveCell(layout: HeatLayout, index: number, key: string): number {
  const last = layout.total - 1;
  if (last < 0) return -1;
  if (key === "Home") return 0;
  if (key === "End") return last;
  if (key === "ArrowLeft") return Math.max(0, index - 1);
  if (key === "ArrowRight") return Math.min(last, index + 1);
  const gi = groupOf(layout, index);
  const g = layout.groups[gi];
  if (!g) return index;
  const i = index - g.first;
  const col = i % layout.cols;
  if (key === "ArrowDown") {
    if (i + layout.cols < g.count) return index + layout.cols;
    // Past this group's last line: the first line of the next non-empty group, same column or its last cell.
    const next = layout.groups.slice(gi + 1).find((x) => x.count);
    if (Math.floor(i / layout.cols) < g.lines - 1) return g.first + g.count - 1;
    return next ? next.first + Math.min(col, next.count - 1) : index;
  }
  if (key === "ArrowUp") {
    if (i - layout.cols >= 0) return index - layout.cols;
    const prev = layout.groups.slice(0, gi).reverse().find((x) => x.count);
    if (!prev) return index;
    const lastLine = (prev.lines - 1) * layout.cols;
    return prev.first + Math.min(lastLine + col, prev.count - 1);
  }
  return index;
}
