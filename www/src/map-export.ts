// The map as a file: a picture (map-picture.ts) made an SVG document, or painted as a PNG (picture-canvas.ts) in
// a worker of its own (png-worker.ts) so that the page stays responsive; the heat map's PNG is its canvas.
// Everything stays in the page: the SVG is built element by element (its texts as Text nodes) and serialised, its
// fonts are the page's families by name (no font file, no URL in it), and the PNG is painted from the same shapes.

import { h, svg } from "./dom.ts";
import type { Measure, Picture, Shape, Theme, ThemeColour } from "./map-picture.ts";
import { FAMILIES, baseline, beginPicture, cssFont, paintShapes, paints, type Paint } from "./picture-canvas.ts";
import type { PngAnswer, PngRequest } from "./png-worker.ts";
import { nextTask, stepsInTasks } from "./tasks.ts";

/** The most pixels a PNG gets (16,384² would be too many for some browsers' canvases: Safari's limit is 4,096²). */
const MAX_PIXELS = 4096 * 4096;
const MAX_SIDE = 16_384;

/** The theme as `el` is drawn now (light or dark): its CSS variables, each read once. */
export function themeOf(el: Element): Theme {
  const css = getComputedStyle(el);
  const read = new Map<ThemeColour, string>();
  return (colour) => {
    let value = read.get(colour);
    if (value === undefined) read.set(colour, (value = css.getPropertyValue(`--${colour}`).trim()));
    return value;
  };
}

/** Text widths as the page's fonts have them, measured on a canvas. */
export function canvasMeasure(): Measure {
  const g = h("canvas").getContext("2d");
  let font = "";
  return (text, f) => {
    if (!g) return text.length * f.size * 0.6; // no 2D context: about a monospace character's width
    const wanted = cssFont(f);
    if (wanted !== font) g.font = font = wanted;
    return g.measureText(text).width;
  };
}

/** Coordinates to the hundredth of a pixel: a 10,000-node picture stays a few MB. */
const px = (v: number) => Math.round(v * 100) / 100;

/**
 * The picture as an SVG document's text, made a group of shapes (a node, a pod) at a time: the generator yields
 * after each, and returns the text (run it with inTasks).
 */
export function* svgTextSteps(picture: Picture): Generator<void, string, void> {
  const shapes: SVGElement[] = [];
  for (const shape of picture.shapes) shapes.push(yield* shapeSvg(shape));
  const root = svg(
    "svg",
    { width: px(picture.width), height: px(picture.height), viewBox: `0 0 ${px(picture.width)} ${px(picture.height)}`, role: "img", "aria-label": picture.title },
    svg("title", null, picture.title),
    svg("rect", { width: "100%", height: "100%", fill: picture.background }),
    shapes,
  );
  yield; // the text in a task of its own: at 999 nodes it is 1.6 MB
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}\n`;
}

function* shapeSvg(shape: Shape): Generator<void, SVGElement, void> {
  switch (shape.type) {
    case "rect":
      return svg("rect", {
        x: px(shape.x),
        y: px(shape.y),
        width: px(shape.width),
        height: px(shape.height),
        rx: shape.radius,
        fill: shape.fill,
        stroke: shape.stroke,
        "stroke-dasharray": shape.dashed ? "3 2" : undefined,
      });
    case "text":
      // `y` is the text's top; SVG places its baseline.
      return svg(
        "text",
        {
          x: px(shape.x),
          y: px(baseline(shape)),
          fill: shape.fill,
          "font-family": FAMILIES[shape.font.family],
          "font-size": shape.font.size,
          "font-weight": shape.font.bold ? "bold" : undefined,
          "font-style": shape.font.italic ? "italic" : undefined,
        },
        shape.text,
      );
    case "group": {
      const children: SVGElement[] = [];
      for (const child of shape.shapes) children.push(yield* shapeSvg(child));
      yield;
      return svg("g", Object.fromEntries(Object.entries(shape.data).map(([k, v]) => [`data-${k}`, v])), svg("title", null, shape.title), children);
    }
  }
}

/** How much a picture of `width` × `height` is scaled in its PNG: the screen's pixel ratio, less if too large. */
export function pngScale(width: number, height: number, ratio: number): number {
  return Math.min(ratio, MAX_SIDE / width, MAX_SIDE / height, Math.sqrt(MAX_PIXELS / (width * height)));
}

/** Shapes sent (or, without a worker's canvas, painted) per task: 4,000 are copied to a worker in a few ms. */
const PART = 4000;

/** How long steps of work run before the page gets a turn: a picture's steps are short, and the page is drawn meanwhile. */
const SLICE_MS = 20;

/** Run `steps` to their end, SLICE_MS of them per task (the page answers between), to their value. */
export const inTasks = <T>(steps: Generator<void, T, void>): Promise<T> => stepsInTasks(steps, SLICE_MS);

/**
 * The picture as a PNG, `scale` times its size: its shapes sent a part per task to a worker that paints them on an
 * OffscreenCanvas and encodes the PNG (png-worker.ts), so that the page answers meanwhile. `progress` is told the
 * share of the shapes painted (0 to 1). Where there is no OffscreenCanvas (Safari before 16.4), painted on a canvas
 * of the page's, a part per task.
 */
export function picturePng(picture: Picture, scale: number, progress: (share: number) => void): Promise<Blob> {
  const shapes = paints(picture.shapes);
  const size = { width: Math.round(picture.width * scale), height: Math.round(picture.height * scale) };
  const paint = typeof OffscreenCanvas === "function" ? pngInWorker : pngInPage;
  return paint(shapes, { ...size, scale, background: picture.background }, (count) => progress(shapes.length ? count / shapes.length : 1));
}

/** The canvas a PNG is painted on: its size in pixels, the picture's scale and background. */
type PngStart = Omit<Extract<PngRequest, { type: "start" }>, "type">;

function pngInWorker(shapes: readonly Paint[], start: PngStart, painted: (count: number) => void): Promise<Blob> {
  const worker = new Worker("png-worker.js", { type: "module" });
  const post = (msg: PngRequest) => worker.postMessage(msg);
  return new Promise<Blob>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<PngAnswer>) => {
      const answer = e.data;
      if (answer.type === "painted") painted(answer.count);
      else if (answer.type === "png") resolve(answer.blob);
      else reject(new Error(answer.message));
    };
    worker.onerror = (e) => reject(new Error(e.message || "the PNG worker failed to start"));
    (async () => {
      post({ type: "start", ...start });
      for (let i = 0; i < shapes.length; i += PART) {
        post({ type: "shapes", shapes: shapes.slice(i, i + PART) });
        await nextTask();
      }
      post({ type: "end" });
    })().catch(reject);
  }).finally(() => worker.terminate());
}

async function pngInPage(shapes: readonly Paint[], start: PngStart, painted: (count: number) => void): Promise<Blob> {
  const canvas = h("canvas", { width: start.width, height: start.height });
  const g = canvas.getContext("2d");
  if (!g) throw new Error("the browser gave no canvas to paint the PNG on");
  beginPicture(g, start.background, start.scale);
  for (let i = 0; i < shapes.length; i += PART) {
    paintShapes(g, shapes.slice(i, i + PART));
    painted(Math.min(shapes.length, i + PART));
    await nextTask();
  }
  return pngOf(canvas);
}

/** A canvas's picture on `background` (the heat map's canvas is transparent between its cells). */
export function canvasPng(source: HTMLCanvasElement, background: string): Promise<Blob> {
  const canvas = h("canvas", { width: source.width, height: source.height });
  const g = canvas.getContext("2d");
  if (g) {
    g.fillStyle = background;
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(source, 0, 0);
  }
  return pngOf(canvas);
}

function pngOf(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the browser made no PNG of the map"))), "image/png"));
}
