// The other entry points: CommonJS require(), and the browser build (driven from Node with the bytes in hand).
import assert from "node:assert/strict";
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
