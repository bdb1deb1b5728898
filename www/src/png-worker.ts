// The map's box picture as a PNG, off the page's main thread: its shapes painted on an OffscreenCanvas
// (picture-canvas.ts) as they come, a part per message, then encoded. At 999 nodes that is some 30,000 shapes on
// a canvas of 16 million pixels: seconds that the page would otherwise freeze for. The page starts one for a
// download (map-export.ts picturePng) and ends it when it has answered:
//
//   {type: "start", width, height, scale, background}   a canvas of width × height pixels, shapes drawn at scale
//   {type: "shapes", shapes}                            → {type: "painted", count} (how many so far)
//   {type: "end"}                                       → {type: "png", blob}
// and {type: "failed", message} if anything throws.

import { beginPicture, paintShapes, type Paint } from "./picture-canvas.ts";

export type PngRequest =
  | { type: "start"; width: number; height: number; scale: number; background: string }
  | { type: "shapes"; shapes: Paint[] }
  | { type: "end" };

export type PngAnswer = { type: "painted"; count: number } | { type: "png"; blob: Blob } | { type: "failed"; message: string };

/** The worker's global scope, as much of it as this file uses (see worker.ts on `self`). */
declare const self: {
  postMessage(message: PngAnswer): void;
  onmessage: ((event: MessageEvent<PngRequest>) => void) | null;
};

let g: OffscreenCanvasRenderingContext2D | null = null;
let painted = 0;

async function answer(msg: PngRequest): Promise<PngAnswer | null> {
  switch (msg.type) {
    case "start": {
      g = new OffscreenCanvas(msg.width, msg.height).getContext("2d");
      if (!g) throw new Error("no 2D context on an OffscreenCanvas");
      beginPicture(g, msg.background, msg.scale);
      return null;
    }
    case "shapes":
      if (!g) throw new Error("shapes before start");
      paintShapes(g, msg.shapes);
      painted += msg.shapes.length;
      return { type: "painted", count: painted };
    case "end":
      if (!g) throw new Error("end before start");
      return { type: "png", blob: await g.canvas.convertToBlob({ type: "image/png" }) };
  }
}

self.onmessage = async (e) => {
  try {
    const reply = await answer(e.data);
    if (reply) self.postMessage(reply);
  } catch (err) {
    self.postMessage({ type: "failed", message: err instanceof Error ? err.message : String(err) });
  }
};
