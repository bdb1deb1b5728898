// Build the playground into dist/: the page and its stylesheet, main.js, worker.js (the planner), yaml-worker.js and
// png-worker.js (the plan's YAML and the map's PNG downloads) bundled by esbuild from src/ (ES modules; the YAML of the examples inlined as text;
// the types only stripped: `npm run typecheck` checks them), and the engine's kubeplan_bg.wasm beside the worker.
// `node build.mjs --watch` rebuilds on change.
import * as esbuild from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const watch = process.argv.includes("--watch");

// The wasm of the package the bundle imports (www/node_modules/kubeplan, a link to ../pkg).
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve("kubeplan/package.json"));

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await Promise.all([
  copyFile(join(here, "src/index.html"), join(dist, "index.html")),
  copyFile(join(here, "src/style.css"), join(dist, "style.css")),
  copyFile(join(pkgDir, "kubeplan_bg.wasm"), join(dist, "kubeplan_bg.wasm")),
]);

const options = {
  entryPoints: { main: join(here, "src/main.ts"), worker: join(here, "src/worker.ts"), "yaml-worker": join(here, "src/yaml-worker.ts"), "png-worker": join(here, "src/png-worker.ts") },
  outdir: dist,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["chrome109", "firefox115", "safari16"],
  conditions: ["browser"],
  minify: true,
  sourcemap: true,
  loader: { ".yaml": "text" },
  // CodeMirror parses a text in idle time, in slices as long as the idle period (25 to 45 ms) where the browser has
  // no `navigator.scheduling.isInputPending` (Firefox, Safari), and of 100 ms where it has (Chromium: each slice
  // asks it whether input waits, which costs a fifth of the parse, and gets no for a paste). Read as undefined in
  // the bundle (only @codemirror/language reads it), Chromium's slices are the others': 1 MB of nodes parsed in
  // tasks of at most about 60 ms instead of 100 to 150 ms (e2e, playground's README, *Speed*).
  define: { "navigator.scheduling": "undefined" },
  legalComments: "linked",
  logLevel: process.argv.includes("--quiet") ? "warning" : "info",
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
