// Every conformance case (the public ones and the new categories') through the npm CLI and through the native
// CLI: the same bytes on stdout and stderr, the same exit code. Whether the plan is right is
// ../shared/conformance/check's business (the new categories' cases do not all pass yet); this asserts that the
// WebAssembly build answers exactly as the native one does, which holds for every case.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { cli, conformanceCases, nativeBinary } from "./helpers.mjs";

const native = nativeBinary();
const cases = conformanceCases();
const skip = !native ? "no native binary (cargo build --release)" : cases.length === 0 ? "no conformance cases found" : false;

function run(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd[0], [...cmd.slice(1), ...args], { encoding: "utf8", maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

describe("npm CLI and native CLI agree on every conformance case", { skip, concurrency: 2 }, () => {
  for (const [name, dir] of cases) {
    test(name, async () => {
      const args = ["plan", join(dir, "input.yaml")];
      if (existsSync(join(dir, "update.yaml"))) args.push("--update", join(dir, "update.yaml"));
      if (existsSync(join(dir, "steps.yaml"))) args.push("--steps", join(dir, "steps.yaml"));
      args.push("--output", "json");
      const [n, w] = await Promise.all([run([native], args), run([process.execPath, cli], args)]);
      assert.equal(w.code, n.code);
      assert.ok(w.stdout === n.stdout, `stdout differs for ${name}`);
      assert.equal(w.stderr, n.stderr);
    });
  }
});
