// The map's picture (map-picture.ts) painted on a 2D canvas: the page's fonts by name, and each rect and text as
// the SVG (map-export.ts) draws it. No DOM: the PNG worker (png-worker.ts) paints on an OffscreenCanvas with it,
// and the page on a canvas of its own where there is no OffscreenCanvas.

import type { Font, Rect, Shape, Text } from "./map-picture.ts";

/** The page's font families (style.css), by the picture's names for them. */
export const FAMILIES: Record<Font["family"], string> = {
  sans: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  mono: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace",
};

/** A font as CSS's `font` shorthand has it. */
export const cssFont = (f: Font) => `${f.italic ? "italic " : ""}${f.bold ? "bold " : ""}${f.size}px ${FAMILIES[f.family]}`;

/**
 * Where a text's baseline goes: `y` is its top, and the baseline about 0.8 of the size below it in these fonts
 * (the SVG's `y` too).
 */
export const baseline = (t: Text) => t.y + t.font.size * 0.8;

/** A shape that paints: a rect or a text (a group only names its shapes). */
export type Paint = Rect | Text;

/** The rects and texts of `shapes`, in the order they paint (a group's in its place). */
export function paints(shapes: readonly Shape[], out: Paint[] = []): Paint[] {
  for (const shape of shapes) {
    if (shape.type === "group") paints(shape.shapes, out);
    else out.push(shape);
  }
  return out;
}

export type Canvas2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Make `g`'s canvas the picture's ground: filled with `background`, drawn on at `scale` (shapes are in CSS px). */
export function beginPicture(g: Canvas2D, background: string, scale: number): void {
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.fillStyle = background;
  g.fillRect(0, 0, g.canvas.width, g.canvas.height);
  g.setTransform(scale, 0, 0, scale, 0, 0);
  g.textBaseline = "alphabetic";
}

/** Paint `shapes` on `g`, each as the SVG draws it: a rect filled then stroked (1 px, dashed 3 2), a text filled. */
export function paintShapes(g: Canvas2D, shapes: readonly Paint[]): void {
  let font = ""; // the font set last (setting one parses it)
  for (const shape of shapes) {
    if (shape.type === "rect") {
      paintRect(g, shape);
      continue;
    }
    const wanted = cssFont(shape.font);
    if (wanted !== font) g.font = font = wanted;
    g.fillStyle = shape.fill;
    g.fillText(shape.text, shape.x, baseline(shape));
  }
}

function paintRect(g: Canvas2D, r: Rect): void {
  g.beginPath();
  g.roundRect(r.x, r.y, r.width, r.height, r.radius ?? 0);
  g.fillStyle = r.fill;
  g.fill();
  if (!r.stroke) return;
  g.setLineDash(r.dashed ? [3, 2] : []);
  g.lineWidth = 1;
  g.strokeStyle = r.stroke;
  g.stroke();
}
