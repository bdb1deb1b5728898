// The map as a file: a picture (map-picture.ts) made an SVG document, or a PNG rasterised from it on a canvas; the
// heat map's PNG is its canvas. Everything stays in the page: the SVG is built element by element (its texts as
// Text nodes) and serialised, its fonts are the page's families by name (no font file, no URL in it), and the
// PNG is drawn from a data: URL of the SVG (the page's CSP allows images from 'self' and data: only).

import { h, svg } from "./dom.ts";
import type { Font, Measure, Picture, Shape, Theme, ThemeColour } from "./map-picture.ts";

/** The page's font families (style.css), by the picture's names for them. */
const FAMILIES: Record<Font["family"], string> = {
  sans: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  mono: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace",
};

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

const cssFont = (f: Font) => `${f.italic ? "italic " : ""}${f.bold ? "bold " : ""}${f.size}px ${FAMILIES[f.family]}`;

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

/** The picture as an SVG document's text. */
export function svgText(picture: Picture): string {
  const root = svg(
    "svg",
    { width: px(picture.width), height: px(picture.height), viewBox: `0 0 ${px(picture.width)} ${px(picture.height)}`, role: "img", "aria-label": picture.title },
    svg("title", null, picture.title),
    svg("rect", { width: "100%", height: "100%", fill: picture.background }),
    picture.shapes.map(shapeSvg),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}\n`;
}

function shapeSvg(shape: Shape): SVGElement {
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
      // `y` is the text's top; SVG places its baseline (about 0.8 of the size below the top in these fonts).
      return svg(
        "text",
        {
          x: px(shape.x),
          y: px(shape.y + shape.font.size * 0.8),
          fill: shape.fill,
          "font-family": FAMILIES[shape.font.family],
          "font-size": shape.font.size,
          "font-weight": shape.font.bold ? "bold" : undefined,
          "font-style": shape.font.italic ? "italic" : undefined,
        },
        shape.text,
      );
    case "group":
      return svg("g", Object.fromEntries(Object.entries(shape.data).map(([k, v]) => [`data-${k}`, v])), svg("title", null, shape.title), shape.shapes.map(shapeSvg));
  }
}

/** How much a picture of `width` × `height` is scaled in its PNG: the screen's pixel ratio, less if too large. */
export function pngScale(width: number, height: number, ratio: number): number {
  return Math.min(ratio, MAX_SIDE / width, MAX_SIDE / height, Math.sqrt(MAX_PIXELS / (width * height)));
}

/** The SVG text rasterised: drawn from a data: URL onto a canvas of the picture's size (times `scale`). */
export async function svgPng(text: string, picture: Pick<Picture, "width" | "height">, scale: number): Promise<Blob> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await image.decode();
  const canvas = h("canvas", { width: Math.round(picture.width * scale), height: Math.round(picture.height * scale) });
  canvas.getContext("2d")?.drawImage(image, 0, 0, canvas.width, canvas.height);
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
