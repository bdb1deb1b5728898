// The package as bundlers see it: each bundler builds the consumers in app/ following the recipe README.md gives
// for it, against the package installed from its packed tarball, and the bundle runs in headless Chromium, which
// proves the engine was emitted where the bundle looks for it. Also that the old esbuild snippet (no loader) now
// fails saying what to do.
//
//   node pkg/test/bundlers/run.mjs APP_DIR
//
// APP_DIR: a project with the packed kubeplan installed in its node_modules (scripts/test-js.sh makes it). The
// bundlers come from $KUBEPLAN_BUNDLERS (default .tools/bundlers, installed by scripts/test-js.sh at pinned
// versions); the browser is Debian's chromium ($CHROMIUM, default /usr/bin/chromium), driven by playwright-core.
import assert from "node:assert/strict";
import { cpSync, createReadStream, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const app = resolve(process.argv[2] ?? "");
const tools = resolve(process.env.KUBEPLAN_BUNDLERS ?? join(here, "..", "..", "..", ".tools", "bundlers"));
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
assert.ok(existsSync(join(app, "node_modules", "kubeplan", "package.json")), `${app}: no node_modules/kubeplan`);

// The bundlers' JavaScript APIs, imported from the tools folder (where their own dependencies resolve).
writeFileSync(
  join(tools, "bundlers.mjs"),
  `export { build as esbuild } from "esbuild";
export { build as vite, createServer as viteDevServer } from "vite";
export { default as webpack } from "webpack";
export { rollup } from "rollup";
export { nodeResolve } from "@rollup/plugin-node-resolve";
export { importMetaAssets } from "@web/rollup-plugin-import-meta-assets";
export { chromium } from "playwright-core";
`,
);
const tool = await import(pathToFileURL(join(tools, "bundlers.mjs")));

cpSync(join(here, "app"), app, { recursive: true });
const dist = join(app, "dist");
const page = (script) => `<!doctype html>\n<title>kubeplan</title>\n<script type="module" src="${script}"></script>\n`;

/** Each recipe: build `entry` into dist/<name>/ with an index.html that loads it. */
const BUILDS = {
  async esbuild(entry, out, { loader = "file" } = {}) {
    await tool.esbuild({
      entryPoints: [join(app, entry)],
      bundle: true,
      format: "esm",
      platform: "browser",
      outfile: join(out, "main.js"),
      loader: loader ? { ".wasm": loader } : {},
      logLevel: "error",
    });
    writeFileSync(join(out, "index.html"), page("./main.js"));
  },
  async vite(entry, out) {
    writeFileSync(join(app, "index.html"), page(`./${entry}`));
    await tool.vite({
      root: app,
      base: "./", // the page is served from dist/<name>/, not the site's root
      configFile: false,
      logLevel: "error",
      build: { outDir: out, emptyOutDir: true, chunkSizeWarningLimit: 1 << 20 },
    });
  },
  async webpack(entry, out) {
    const stats = await new Promise((done, fail) =>
      tool
        .webpack({
          mode: "production",
          context: app,
          entry: `./${entry}`,
          output: { path: out, filename: "main.js" },
          performance: { hints: false },
        })
        .run((e, s) => (e ? fail(e) : done(s))),
    );
    assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
    writeFileSync(join(out, "index.html"), page("./main.js"));
  },
  async rollup(entry, out) {
    const bundle = await tool.rollup({
      input: join(app, entry),
      plugins: [tool.nodeResolve({ browser: true }), tool.importMetaAssets()],
      onwarn() {},
    });
    await bundle.write({ dir: out, format: "es", entryFileNames: "main.js" });
    await bundle.close();
    writeFileSync(join(out, "index.html"), page("./main.js"));
  },
};

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
let server;
let origin;
let browser;

before(async () => {
  server = createServer((req, res) => {
    const file = join(dist, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(dist) || !existsSync(file) || !extname(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await tool.chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Build with `bundler`, open the page, and return what the consumer left in `kubeplanResult`. */
async function bundleAndRun(name, bundler, entry, options) {
  const out = join(dist, name);
  mkdirSync(out, { recursive: true });
  await BUILDS[bundler](entry, out, options);
  return run(`${origin}/${name}/index.html`);
}

/** What the consumer at `url` left in `kubeplanResult`. */
async function run(url) {
  const tab = await browser.newPage();
  const problems = [];
  tab.on("pageerror", (e) => problems.push(String(e)));
  tab.on("response", (r) => r.ok() || problems.push(`${r.status()} ${r.url()}`));
  try {
    await tab.goto(url);
    await tab.waitForFunction(() => globalThis.kubeplanResult !== undefined, null, { timeout: 30_000 }).catch((e) => {
      throw new Error(`${e.message}; the page met: ${problems.join("; ") || "nothing"}`);
    });
    return await tab.evaluate(() => globalThis.kubeplanResult);
  } finally {
    await tab.close();
  }
}

const PLACED = { pods: ["web on node-1"], errors: [] };

test("esbuild: --loader:.wasm=file and init(new URL(wasmUrl, import.meta.url))", async () => {
  assert.deepEqual(await bundleAndRun("esbuild", "esbuild", "esbuild.js"), PLACED);
});

test("esbuild: --loader:.wasm=binary and init(wasm), one file", async () => {
  assert.deepEqual(await bundleAndRun("esbuild-inline", "esbuild", "esbuild-inline.js", { loader: "binary" }), PLACED);
  assert.deepEqual(readdirSync(join(dist, "esbuild-inline")).sort(), ["index.html", "main.js"]);
});

test("esbuild without a loader: init() rejects saying where the recipe is", async () => {
  const r = await bundleAndRun("esbuild-no-loader", "esbuild", "plain.js", { loader: false });
  assert.match(r.error ?? "", /^kubeplan: the engine did not load \(.*404.*\).*"Browsers and bundlers" in kubeplan's README/);
});

test("Vite: import wasmUrl from 'kubeplan/kubeplan_bg.wasm?url' and init(wasmUrl)", async () => {
  assert.deepEqual(await bundleAndRun("vite", "vite", "vite.js"), PLACED);
});

test("Vite build: init() alone", async () => {
  assert.deepEqual(await bundleAndRun("vite-plain", "vite", "plain.js"), PLACED);
});

test("Vite dev server (dependency pre-bundling): init() alone", async () => {
  writeFileSync(join(app, "index.html"), page("./plain.js"));
  const vite = await tool.viteDevServer({
    root: app,
    configFile: false,
    logLevel: "error",
    cacheDir: join(app, ".vite-cache"),
    server: { host: "127.0.0.1", port: 0, strictPort: false },
  });
  await vite.listen();
  try {
    assert.deepEqual(await run(vite.resolvedUrls.local[0]), PLACED);
  } finally {
    await vite.close();
  }
});

test("webpack 5: init() alone", async () => {
  assert.deepEqual(await bundleAndRun("webpack", "webpack", "plain.js"), PLACED);
});

test("Rollup with @rollup/plugin-node-resolve and @web/rollup-plugin-import-meta-assets: init() alone", async () => {
  assert.deepEqual(await bundleAndRun("rollup", "rollup", "plain.js"), PLACED);
});
