// Shared by the tests: the example menu as the page bundles it (src/examples.ts through esbuild, the YAML as
// text), the request the page sends for an example, a static file server for www/dist on 127.0.0.1, and the
// browser the page tests drive (Debian's chromium, flags and the wait for a plan drawn).
import * as esbuild from "esbuild";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, sep, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const WWW = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DIST = join(WWW, "dist");

/** Import a module of src/ bundled as the page has it. */
export async function importBundled(entry) {
  const out = await esbuild.build({
    entryPoints: [join(WWW, "src", entry)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    loader: { ".yaml": "text" },
    logLevel: "silent",
  });
  const code = out.outputFiles[0].text;
  return import("data:text/javascript;base64," + Buffer.from(code).toString("base64"));
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".map": "application/json",
};

/** Serve `root` on 127.0.0.1 at a random port. Resolves to `{url, close, requests}` (paths asked for). */
export function serveStatic(root = DIST) {
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      let file = normalize(join(root, path));
      if (!file.startsWith(root + sep) && file !== root) throw Object.assign(new Error("outside"), { code: "ENOENT" });
      if (path.endsWith("/")) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
    }
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      ok({ url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((done) => server.close(done)) });
    }),
  );
}

/** The browser of the page tests: Debian's chromium (CHROMIUM overrides the path), headless, launched by playwright-core. */
/**
 * Let a browser context reach `origin` only: every other request is recorded in `outside` and refused (the page
 * promises that nothing leaves the origin; a test asserts `outside` stays empty).
 */
export function sameOriginOnly(context, origin, outside) {
  return context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/")) return route.continue();
    outside.push(url);
    return route.abort();
  });
}

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

/** Wait until the page's status says a run newer than `previousRun` is drawn; resolves to that run's id. */
export async function waitDone(page, previousRun, timeout = 60_000) {
  await page.waitForFunction(
    (prev) => {
      const s = document.getElementById("status");
      return s && s.dataset.run && s.dataset.run !== prev && ["done", "unusable"].includes(s.dataset.state);
    },
    previousRun,
    { timeout },
  );
  return page.getAttribute("#status", "data-run");
}
