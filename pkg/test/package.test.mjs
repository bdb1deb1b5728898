// The package's metadata and contents as npm publishes them: the license it declares is the one it ships, the
// fields registries and bundlers read are there, and every file package.json points at is packed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { pkgDir, repoDir } from "./helpers.mjs";

const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

function packedFiles() {
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: pkgDir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return new Set(JSON.parse(r.stdout)[0].files.map((f) => f.path));
}

test("ships the Apache-2.0 text package.json declares, the repository's LICENSE", () => {
  assert.equal(manifest.license, "Apache-2.0");
  assert.ok(packedFiles().has("LICENSE"), "LICENSE is not packed");
  const text = readFileSync(join(pkgDir, "LICENSE"), "utf8");
  assert.match(text, /^\s*Apache License\s+Version 2\.0, January 2004/);
  assert.match(text, /END OF TERMS AND CONDITIONS/);
  assert.equal(text, readFileSync(join(repoDir, "LICENSE"), "utf8"));
});

test("homepage, bugs and sideEffects are declared", () => {
  assert.match(manifest.homepage, /^https:\/\/github\.com\/kubeplan\/kubeplan\b/);
  assert.match(manifest.bugs.url, /^https:\/\/github\.com\/kubeplan\/kubeplan\/issues$/);
  // No module of the package changes anything outside itself when imported, so bundlers may drop unused ones.
  assert.equal(manifest.sideEffects, false);
});

test("every file package.json names is packed", () => {
  const packed = packedFiles();
  const targets = [];
  const walk = (v) => (typeof v === "string" ? targets.push(v) : Object.values(v).forEach(walk));
  walk(manifest.exports);
  walk(manifest.bin);
  targets.push(manifest.main, manifest.module, manifest.browser, manifest.types);
  for (const t of targets) assert.ok(packed.has(t.replace(/^\.\//, "")), `${t} is not packed`);
});
