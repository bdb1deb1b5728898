// The other entry points: CommonJS require(), and the browser build (driven from Node with the bytes in hand).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";

import * as esm from "kubeplan";

import { DAEMONSET, NODES, pkgDir } from "./helpers.mjs";

const input = NODES + "---\n" + DAEMONSET;

test("require('kubeplan') gives the same answers", () => {
  const require = createRequire(import.meta.url);
  const cjs = require("kubeplan");
  assert.equal(cjs.version(), esm.version());
  assert.equal(cjs.planJson(input).text, esm.planJson(input).text);
  assert.deepEqual(cjs.plan(input), esm.plan(input));
  const p = cjs.debugPanic("in cjs");
  assert.equal(p.errors[0].code, "internal-error");
  assert.equal(cjs.plan(input).ok, true);
});

test("browser entry: an engine that does not load rejects saying what to do, and init() can be called again", () => {
  // In a process of its own: here the Node entry has already loaded the glue this entry shares.
  const script = `import { readFileSync } from "node:fs";
    const browser = await import("./browser.mjs");
    const failed = await browser.init(new Uint8Array([1, 2, 3])).then(() => "loaded", (e) => e.message);
    await browser.init(readFileSync("kubeplan_bg.wasm"));
    console.log(JSON.stringify({ failed, ok: browser.plan("kind: Node\\napiVersion: v1\\nmetadata: {name: a}\\n").ok }));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: pkgDir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const { failed, ok } = JSON.parse(r.stdout);
  assert.match(failed, /^kubeplan: the engine did not load \(.+\)\. .*"Browsers and bundlers" in kubeplan's README/);
  assert.equal(ok, true);
});

test("require('kubeplan/node-io') where require() cannot load ES modules (Node 18 and 20)", () => {
  // Later Nodes can require() an ES module unless told not to; this one is told, as Node 18 and 20 behave.
  const flags = process.allowedNodeEnvironmentFlags.has("--no-experimental-require-module") ? ["--no-experimental-require-module"] : [];
  const script = `const { createNodeIo, ioErrorText } = require("kubeplan/node-io");
    const { runCli } = require("kubeplan");
    const r = runCli(["version"], createNodeIo());
    process.stdout.write(typeof ioErrorText + " " + r.stdout);`;
  const r = spawnSync(process.execPath, [...flags, "-e", script], { cwd: pkgDir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `function ${esm.version()}\n`);
});

test("browser entry: an error value before init, the same answers after", async () => {
  const browser = await import(join(pkgDir, "browser.mjs"));
  const early = browser.plan(input);
  assert.equal(early.ok, false);
  assert.match(early.errors[0].message, /await init\(\) first/);
  await browser.default(readFileSync(join(pkgDir, "kubeplan_bg.wasm")));
  await browser.init(); // a second call is the same promise
  assert.equal(browser.planJson(input).text, esm.planJson(input).text);
  assert.equal(browser.debugPanic("in browser").errors[0].code, "internal-error");
  assert.equal(browser.plan(input).ok, true);
});
