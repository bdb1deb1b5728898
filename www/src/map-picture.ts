// The map as a picture, without DOM (Node tests check it): where each shape of the downloaded SVG goes. The box
// view's picture has what the screen has, grouped alike: the Pending lanes (each scheduler message and its pod
// chips), then each group's title and its node boxes in columns (name, badges, the engine's figures as bars, pod
// chips, a dashed chip for each DaemonSet without a pod there). The heat map's picture is one cell per node where
// the canvas draws it. Colours are the page's theme (its CSS variables, read by the caller); text widths come from
// the caller's `measure` (a canvas's, on the page), so that chips and badges fit their text.

import { podState, type Column, type GridNode, type Row } from "./model.ts";
import { heatMarked, nodeBadges, nodeFigures, rowPods, type Badge, type Group, type HeatLayout, type Lane } from "./map-model.ts";
import type { PodSummary } from "./protocol.ts";

/** The theme's colours the picture uses, by the name of the page's CSS variable (without `--`). */
export type ThemeColour =
  | "panel" | "fg" | "muted" | "line" | "subtle" | "quiet" | "bar" | "taint" | "taint-bg"
  | `${"ok" | "pend" | "done" | "bad"}${"" | "-bg" | "-line"}`;
/** A theme colour's value (any CSS colour). */
export type Theme = (colour: ThemeColour) => string;

export interface Font {
  family: "sans" | "mono";
  size: number;
  bold?: boolean;
  italic?: boolean;
}

/** A text's width in pixels in a font. */
export type Measure = (text: string, font: Font) => number;

export interface Rect {
  type: "rect";
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  stroke?: string | undefined;
  dashed?: boolean | undefined;
  radius?: number;
}

/** A line of text: `y` is its top, `fill` its colour. */
export interface Text {
  type: "text";
  x: number;
  y: number;
  text: string;
  fill: string;
  font: Font;
}

/** Shapes that make one thing: a node (`data: {node}`), a group, a lane, a pod; `title` names it (SVG `<title>`). */
export interface ShapeGroup {
  type: "group";
  data: Record<string, string>;
  title: string;
  shapes: Shape[];
}

export type Shape = Rect | Text | ShapeGroup;

/** A picture: its size in pixels, background, shapes, and what it shows (`kubeplan map of 3 nodes`, its title). */
export interface Picture {
  width: number;
  height: number;
  background: string;
  title: string;
  shapes: Shape[];
}

/** What a box picture shows: the groups (with the rows on screen) and the Pending lanes. */
export interface BoxesInput {
  groups: readonly Group[];
  lanes: readonly Lane[];
  columns: readonly Column[];
  /** The picture's width: the map's on screen. */
  width: number;
  /** Chips a lane shows before saying how many more (the screen's "more" button). */
  laneChips: number;
}

const MARGIN = 12;
const GAP = 8;
/** A node box's narrowest (the screen's 15rem). */
const BOX_MIN = 225;
const BOX_PAD_X = 8;
const BOX_PAD_Y = 6;
/** A bar's text column (the screen's 9.5rem). */
const BAR_TEXT = 142;
const CHIP_H = 16;
const CHIP_GAP = 2;
const LINE = 1.35;

const NAME: Font = { family: "mono", size: 13, bold: true };
const GROUP_TITLE: Font = { family: "mono", size: 13, bold: true };
const COUNT: Font = { family: "sans", size: 13 };
const SMALL: Font = { family: "mono", size: 11 };
const BADGE: Font = { family: "sans", size: 11 };
const MESSAGE: Font = { family: "mono", size: 12 };
const HEADING: Font = { family: "sans", size: 13, bold: true };
const HEAT_TITLE: Font = { family: "sans", size: 12 };

const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

/**
 * The box view as a picture: the Pending lanes, then each group's title and boxes. As wide as the map on screen,
 * with as many boxes a line; wider for many nodes (√(nodes / 2) boxes a line: a box being about half as tall as
 * wide, the picture is about as tall as wide), so that hundreds of nodes do not make a thin strip (nor, as a PNG,
 * one scaled down to a sliver).
 */
export function boxesPicture(input: BoxesInput, theme: Theme, measure: Measure): Picture {
  return finish(boxesPictureSteps(input, theme, measure));
}

/**
 * boxesPicture a line of boxes at a time: a step lays out one line of node boxes (or one Pending lane) and
 * yields, and the generator returns the picture. The page runs the steps a few milliseconds per task (hundreds of
 * nodes take tens of milliseconds: every text is measured).
 */
export function* boxesPictureSteps(input: BoxesInput, theme: Theme, measure: Measure): Generator<void, Picture, void> {
  const nodes = input.groups.reduce((n, g) => n + g.rows.length, 0);
  const cols = Math.max(1, Math.floor((input.width - 2 * MARGIN + GAP) / (BOX_MIN + GAP)), Math.ceil(Math.sqrt(nodes / 2)));
  const width = Math.max(input.width, cols * (BOX_MIN + GAP) - GAP + 2 * MARGIN);
  const inner = width - 2 * MARGIN;
  const shapes: Shape[] = [];
  let y = MARGIN;
  if (input.lanes.length) {
    const lanes = yield* pendingLanes(input.lanes, MARGIN, y, inner, input.laneChips, theme, measure);
    shapes.push(lanes.shape);
    y += lanes.height + 2 * GAP;
  }
  const boxWidth = (inner - GAP * (cols - 1)) / cols;
  for (const group of input.groups) {
    const g = yield* groupSection(group, input.columns, { x: MARGIN, y, width: inner, cols, boxWidth }, theme, measure);
    shapes.push(g.shape);
    y += g.height + 2 * GAP;
  }
  return { width, height: Math.ceil(y - 2 * GAP + MARGIN), background: theme("panel"), title: `kubeplan map of ${plural(nodes, "node")}`, shapes };
}

/** A group: its title, then its boxes in lines of `cols`, each line as tall as its tallest box. */
function* groupSection(group: Group, columns: readonly Column[], at: { x: number; y: number; width: number; cols: number; boxWidth: number }, theme: Theme, measure: Measure): Generator<void, { shape: ShapeGroup; height: number }, void> {
  // The count after the title, a space apart (a text's own leading space would be collapsed in SVG).
  const count = `· ${plural(group.rows.length, "node")}`;
  const space = measure(" ", COUNT);
  const title = fit(group.title, GROUP_TITLE, at.width - space - measure(count, COUNT), measure);
  const shapes: Shape[] = [text(title, at.x, at.y, GROUP_TITLE, theme("fg")), text(count, at.x + measure(title, GROUP_TITLE) + space, at.y, COUNT, theme("muted"))];
  let y = at.y + lineHeight(GROUP_TITLE) + GAP;
  for (let i = 0; i < group.rows.length; i += at.cols) {
    const line = group.rows.slice(i, i + at.cols).map((row, k) => nodeBox(row, columns, at.x + k * (at.boxWidth + GAP), y, at.boxWidth, theme, measure));
    const height = Math.max(...line.map((b) => b.frame.height));
    for (const box of line) {
      box.frame.height = height; // a line's boxes are as tall as its tallest, as on screen
      shapes.push(box.shape);
    }
    y += height + GAP;
    yield;
  }
  return { shape: { type: "group", data: { group: group.value ?? "" }, title: group.title, shapes }, height: y - GAP - at.y };
}

/** A node's box: its frame, then its name and badges, bars, pod chips and DaemonSet chips, top to bottom. */
function nodeBox(row: Row, columns: readonly Column[], x: number, y: number, width: number, theme: Theme, measure: Measure): { shape: ShapeGroup; frame: Rect } {
  const node = row.node;
  const inner = width - 2 * BOX_PAD_X;
  const left = x + BOX_PAD_X;
  const cordoned = Boolean(node.unschedulable);
  const frame: Rect = { type: "rect", x, y, width, height: 0, radius: 6, fill: cordoned ? theme("subtle") : theme("panel"), stroke: heatMarked(node) && !cordoned ? theme("bad-line") : theme("line"), dashed: cordoned };
  const shapes: Shape[] = [frame];
  let top = titleLine(node, left, y + BOX_PAD_Y, inner, shapes, theme, measure) + 4;
  top = bars(node, left, top, inner, shapes, theme, measure);
  const pods = rowPods(row, columns);
  if (pods.length) top = chips(pods.map((p) => podChip(p, theme)), left, top, inner, shapes, measure) + 4;
  else {
    shapes.push(text("no pods", left, top, SMALL, theme("muted")));
    top += lineHeight(SMALL) + 4;
  }
  // A DaemonSet with no pod here: a dashed chip, as on screen.
  const missing = columns.filter((c) => c.kind === "DaemonSet" && !row.cells.has(c.key) && !node.missing);
  if (missing.length) top = chips(missing.map((c) => ({ text: `no ${c.name}`, fill: theme("panel"), stroke: theme("line"), colour: theme("muted"), dashed: true })), left, top, inner, shapes, measure) + 4;
  frame.height = top - y + BOX_PAD_Y - 4;
  return { shape: { type: "group", data: { node: node.name }, title: `node ${node.name}`, shapes }, frame };
}

/** The node's name, then its badges on the same line while they fit; returns the y under them. */
function titleLine(node: GridNode, x: number, y: number, width: number, shapes: Shape[], theme: Theme, measure: Measure): number {
  const name = fit(node.name, NAME, width, measure);
  const items = [{ width: measure(name, NAME) + 4, badge: null }, ...nodeBadges(node).map((badge) => ({ width: measure(badge.text, BADGE) + 10, badge }))];
  const height = lineHeight(NAME);
  const placed = flow(items, width, 4);
  for (const item of placed) {
    const [px, py] = [x + item.x, y + item.line * height];
    shapes.push(...(item.badge ? badge(item.badge, px, py + 2, item.width, theme) : [text(name, px, py, NAME, theme("fg"))]));
  }
  return y + lines(placed) * height;
}

function badge(b: Badge, x: number, y: number, width: number, theme: Theme): Shape[] {
  const [fill, colour] = b.kind === "warn" ? [theme("pend-bg"), theme("pend")] : b.kind === "bad" ? [theme("bad-bg"), theme("bad")] : [theme("taint-bg"), theme("taint")];
  return [{ type: "rect", x, y, width, height: lineHeight(BADGE) + 1, radius: 7, fill }, text(b.text, x + 5, y + 1, BADGE, colour)];
}

/** The engine's figures as bars: the text (`cpu 1.5/8`) and a track filled to the share requested. */
function bars(node: GridNode, x: number, y: number, width: number, shapes: Shape[], theme: Theme, measure: Measure): number {
  const figures = nodeFigures(node);
  if (!figures.length) {
    shapes.push(text("No allocation figures in the plan for this node.", x, y, SMALL, theme("muted")));
    return y + lineHeight(SMALL) + 4;
  }
  const textWidth = Math.min(BAR_TEXT, width * 0.6);
  const track = { x: x + textWidth + 6, width: Math.max(20, width - textWidth - 6) };
  for (const f of figures) {
    shapes.push(text(fit(f.text, SMALL, textWidth, measure), x, y, SMALL, f.over ? theme("bad") : theme("fg")));
    const ty = y + 4;
    shapes.push({ type: "rect", x: track.x, y: ty, width: track.width, height: 7, radius: 3.5, fill: theme("quiet"), stroke: theme("line") });
    const share = f.allocatable > 0 ? Math.min(1, f.fraction) : f.requested > 0 ? 1 : 0;
    if (share > 0) shapes.push({ type: "rect", x: track.x, y: ty, width: track.width * share, height: 7, radius: 3.5, fill: f.over ? theme("bad") : theme("bar") });
    y += lineHeight(SMALL) + 2;
  }
  return y + 3;
}

interface Chip {
  text: string;
  fill: string;
  stroke: string;
  colour: string;
  dashed?: boolean;
  /** The pod (`namespace/name`) it stands for. */
  pod?: string;
}

/** A pod's chip, coloured by its state as on screen. */
function podChip(pod: PodSummary, theme: Theme): Chip {
  const state = podState(pod);
  const tone = state === "Running" ? "ok" : state === "Pending" ? "pend" : state === "Succeeded" ? "done" : "bad";
  return { text: pod.metadata.name, fill: theme(`${tone}-bg`), stroke: theme(`${tone}-line`), colour: theme(tone), pod: `${pod.metadata.namespace}/${pod.metadata.name}` };
}

/** Chips left to right in lines of `width`; returns the y under them. */
function chips(list: readonly Chip[], x: number, y: number, width: number, shapes: Shape[], measure: Measure): number {
  const items = list.map((chip) => {
    const label = fit(chip.text, SMALL, width - 10, measure);
    return { chip, label, width: measure(label, SMALL) + 10 };
  });
  const placed = flow(items, width, CHIP_GAP);
  for (const item of placed) shapes.push(...chipShapes(item.chip, item.label, x + item.x, y + item.line * (CHIP_H + CHIP_GAP), item.width));
  return y + lines(placed) * (CHIP_H + CHIP_GAP);
}

/** A chip's shapes: its frame and text; a pod's in a group naming the pod. */
function chipShapes(chip: Chip, label: string, x: number, y: number, width: number): Shape[] {
  const frame: Rect = { type: "rect", x, y, width, height: CHIP_H, radius: 3, fill: chip.fill, stroke: chip.stroke, dashed: chip.dashed };
  const caption = text(label, x + 5, y + 2, { ...SMALL, italic: chip.dashed }, chip.colour);
  return chip.pod ? [{ type: "group", data: { pod: chip.pod }, title: chip.pod, shapes: [frame, caption] }] : [frame, caption];
}

/** The Pending lanes: a heading, then each message (wrapped) over its chips, in a box like the screen's. */
function* pendingLanes(lanes: readonly Lane[], x: number, y: number, width: number, limit: number, theme: Theme, measure: Measure): Generator<void, { shape: ShapeGroup; height: number }, void> {
  const count = lanes.reduce((n, l) => n + l.pods.length, 0);
  const inner = width - 2 * BOX_PAD_X;
  const left = x + BOX_PAD_X;
  const frame: Rect = { type: "rect", x, y, width, height: 0, radius: 4, fill: theme("pend-bg"), stroke: theme("pend-line") };
  const shapes: Shape[] = [frame, text(`Pending: ${plural(count, "pod")}`, left, y + BOX_PAD_Y, HEADING, theme("pend"))];
  let top = y + BOX_PAD_Y + lineHeight(HEADING) + 4;
  for (const lane of lanes) {
    const message = wrap(lane.message, MESSAGE, inner - 8, measure);
    const laneShapes: Shape[] = [];
    const boxHeight = message.length * lineHeight(MESSAGE) + 8;
    if (lane.fromScheduler) laneShapes.push({ type: "rect", x: left, y: top, width: inner, height: boxHeight, radius: 4, fill: theme("panel") });
    message.forEach((line, i) => laneShapes.push(text(line, left + 4, top + 4 + i * lineHeight(MESSAGE), MESSAGE, lane.fromScheduler ? theme("fg") : theme("muted"))));
    top += boxHeight + 4;
    const shown = lane.pods.slice(0, limit).map((p) => podChip(p, theme));
    top = chips(shown, left, top, inner, laneShapes, measure);
    if (lane.pods.length > limit) {
      laneShapes.push(text(`and ${plural(lane.pods.length - limit, "more pod")}`, left, top, SMALL, theme("muted")));
      top += lineHeight(SMALL);
    }
    top += 6;
    shapes.push({ type: "group", data: { reason: lane.reason }, title: lane.message, shapes: laneShapes });
    yield;
  }
  const height = top - y + BOX_PAD_Y - 6;
  frame.height = height;
  return { shape: { type: "group", data: { pending: String(count) }, title: "Pending pods", shapes }, height };
}

/** A generator's value, its steps run at once. */
export function finish<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

// ------------------------------------------------------------------ heat map

/** What the heat map's picture needs of the canvas: its groups' labels and rows, its layout and each cell's colour. */
export interface HeatInput {
  groups: readonly Pick<Group, "label" | "rows">[];
  layout: HeatLayout;
  /** The canvas's width (its layout's lines are as wide or a gap narrower). */
  width: number;
  /** Cell `i`'s colour (in the flattened order, group by group). */
  colour: (i: number) => string;
}

/** The heat map as the canvas draws it: each group's title, one square per node, a red corner if cordoned or not ready. */
export function heatPicture({ groups, layout, width, colour }: HeatInput, theme: Theme): Picture {
  const shapes: Shape[] = [];
  const mark = Math.max(3, layout.cell / 3);
  layout.groups.forEach((g, gi) => {
    const group = groups[gi];
    if (!group) return;
    const cells: Shape[] = [text(`${group.label} · ${plural(g.count, "node")}`, 0, g.y + 2, HEAT_TITLE, theme("fg"))];
    group.rows.forEach((row, k) => {
      const x = (k % layout.cols) * layout.pitch;
      const y = g.top + Math.floor(k / layout.cols) * layout.pitch;
      const square: Rect = { type: "rect", x, y, width: layout.cell, height: layout.cell, fill: colour(g.first + k) };
      const corner: Rect[] = heatMarked(row.node) ? [{ type: "rect", x: x + layout.cell - mark, y, width: mark, height: mark, fill: theme("bad") }] : [];
      cells.push({ type: "group", data: { node: row.node.name }, title: row.node.name, shapes: [square, ...corner] });
    });
    shapes.push({ type: "group", data: { group: group.label }, title: group.label, shapes: cells });
  });
  return { width, height: layout.height, background: theme("panel"), title: `kubeplan heat map of ${plural(layout.total, "node")}`, shapes };
}

// ------------------------------------------------------------------ text

const text = (value: string, x: number, y: number, font: Font, fill: string): Shape => ({ type: "text", x, y, text: value, fill, font });

export const lineHeight = (font: Font) => Math.ceil(font.size * LINE);

/** `value` cut to fit `width` with an ellipsis (the screen's text-overflow). */
export function fit(value: string, font: Font, width: number, measure: Measure): string {
  if (measure(value, font) <= width) return value;
  return value.slice(0, fitting(value, "…", font, width, measure)) + "…";
}

/** How many characters of `value`, from its start and followed by `suffix`, fit `width` (a binary search). */
function fitting(value: string, suffix: string, font: Font, width: number, measure: Measure): number {
  let lo = 0;
  let hi = value.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(value.slice(0, mid) + suffix, font) <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `value` in lines no wider than `width`: at its line breaks, then between words; a word too long is cut. */
export function wrap(value: string, font: Font, width: number, measure: Measure): string[] {
  const out: string[] = [];
  for (const paragraph of value.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      const next = line ? `${line} ${word}` : word;
      if (measure(next, font) <= width) {
        line = next;
        continue;
      }
      if (line) out.push(line);
      line = word;
      while (line.length > 1 && measure(line, font) > width) {
        const n = Math.max(1, fitting(line, "", font, width, measure));
        out.push(line.slice(0, n));
        line = line.slice(n);
      }
    }
    out.push(line);
  }
  return out;
}

/** Items of `width`s left to right in lines of `width` (`gap` between): each with its x and line. */
export function flow<T extends { width: number }>(items: readonly T[], width: number, gap: number): (T & { x: number; line: number })[] {
  let x = 0;
  let line = 0;
  return items.map((item) => {
    if (x > 0 && x + item.width > width) {
      x = 0;
      line++;
    }
    const placed = { ...item, x, line };
    x += item.width + gap;
    return placed;
  });
}

/** How many lines flowed items take. */
const lines = (placed: readonly { line: number }[]) => (placed.length ? Math.max(...placed.map((p) => p.line)) + 1 : 0);
