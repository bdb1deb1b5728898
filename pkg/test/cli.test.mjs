// The npm CLI against the native binary: same stdout, stderr and exit code, byte for byte.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { DAEMONSET, NODES, REJECTED, cli, nativeBinary } from "./helpers.mjs";

const native = nativeBinary();
const dir = mkdtempSync(join(tmpdir(), "kubeplan-cli-"));
writeFileSync(join(dir, "nodes.yaml"), NODES);
writeFileSync(join(dir, "ds.yaml"), DAEMONSET);
writeFileSync(join(dir, "web.yaml"), REJECTED);
writeFileSync(join(dir, "broken.yaml"), "kind: Node\nmetadata: {name: [\n");
writeFileSync(join(dir, "latin1.yaml"), Buffer.from([0x6b, 0x3a, 0x20, 0xe9, 0x0a]));
mkdirSync(join(dir, "all"));
writeFileSync(join(dir, "all", "b.yaml"), DAEMONSET);
writeFileSync(join(dir, "all", "a.yml"), NODES);
writeFileSync(join(dir, "all", "notes.txt"), "not a manifest");

const runs = [
  ["plan", "nodes.yaml", "ds.yaml", "--output", "json"],
  ["plan", "all", "-o", "json"],
  ["plan", "all/", "-o", "json"],
  ["plan", "nodes.yaml", "web.yaml", "-o", "json"],
  ["plan", "broken.yaml", "-o", "json"],
  ["plan", "missing.yaml"],
  ["plan", "latin1.yaml"],
  ["plan", "all/notes.txt", "-o", "json"],
  ["plan", "nodes.yaml", "--update", "ds.yaml", "-o", "json"],
  ["plan", "-", "-o", "json"],
  ["plan", "nodes.yaml", "-o", "xml"],
  ["plan"],
  ["frobnicate"],
  ["version"],
  ["--version"],
  ["help"],
  [],
];

function run(cmd, args) {
  return spawnSync(cmd[0], [...cmd.slice(1), ...args], { cwd: dir, input: NODES, encoding: "utf8" });
}

for (const args of runs) {
  test(`kubeplan ${args.join(" ")}`, { skip: native ? false : "no native binary (cargo build --release)" }, () => {
    const n = run([native], args);
    const w = run([process.execPath, cli], args);
    assert.equal(w.stderr, n.stderr);
    assert.equal(w.stdout, n.stdout);
    assert.equal(w.status, n.status);
  });
}
